"""Where flows run: the embedded default, or a Prefect server named by PREFECT_API_URL.

Embedded default: no server to start by hand. Prefect's own ephemeral mode would start a
temporary API server in every process that needs one, the process-pool workers of a batch
included (measured: ~4 s each), so this module starts the server itself, with
`PREFECT_HOME` under the project's data folder, and hands its address to child processes
through the environment. Two kinds:

- `attsats watch` (a service) owns its server: started once, reused for every file, and
  stopped with the service, whatever stops it.
- A command that ends (`attsats batch`) borrows a kept-warm server (`flows.warm_server`):
  the first command starts it (~6 s), the next ones find it running and start at once. It
  stops by itself when no command has held it for `ATTSATS_SERVER_IDLE` seconds (default
  300; 0 = stop with the command), like a build tool's daemon.

The flow-run heartbeat is turned off: a sync flow run otherwise waits up to a second for
its heartbeat thread, per run. With PREFECT_API_URL set (the scale-out set-up,
`scripts/postgres.sh` and `prefect server start`), flows report there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect.server.api.server import SubprocessASGIServer

DATA_ENV = "ATTSATS_DATA"
# Creating the SQLite database on first use takes ~15 s, more on a busy machine; Prefect's
# own default (20 s) is too tight for that.
STARTUP_SECONDS = 120
IDLE_ENV = "ATTSATS_SERVER_IDLE"
LOG_LEVEL_ENV = "PREFECT_LOGGING_LEVEL"
DEFAULT_IDLE = 300.0


def data_dir() -> Path:
    """The project's data folder: $ATTSATS_DATA, else `.data` in the working directory."""
    return Path(os.environ.get(DATA_ENV) or Path.cwd() / ".data").resolve()


def die_with_parent() -> None:
    """In the server's child process before it runs: Linux sends it SIGTERM when attsats
    dies, even by kill -9, so no API server outlives the command that started it."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def session_server() -> SubprocessASGIServer:
    """Prefect's temporary API server, started in a session of its own: Ctrl-C in a
    terminal then reaches attsats alone, and the server stays up until the interrupted
    flows have reported their final state."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer

    class SessionServer(SubprocessASGIServer):
        def _run_uvicorn_command(self) -> subprocess.Popen:
            # As Prefect 3.8's own, plus start_new_session.
            return subprocess.Popen(
                args=[
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(prefect.__module_path__.parent),
                    "--factory",
                    "prefect.server.api.server:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "error",
                    "--lifespan",
                    "on",
                ],
                env=server_environment(),
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    return SessionServer()


def server_environment() -> dict[str, str]:
    """The environment of an embedded API server process: this process's settings, no UI."""
    from prefect.settings import get_current_settings

    return {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }


def idle_seconds() -> float:
    """How long a kept-warm server waits for the next command: $ATTSATS_SERVER_IDLE."""
    try:
        return max(0.0, float(os.environ.get(IDLE_ENV, DEFAULT_IDLE)))
    except ValueError:
        return DEFAULT_IDLE


@contextmanager
def prefect_runtime(quiet: bool = True, keep_warm: bool = False) -> Iterator[str]:
    """Run flows inside this block; yields the API address in use. With `keep_warm` the
    embedded server is borrowed from (or left for) the next command, see the module's
    docstring; otherwise it is this block's own."""
    from prefect.context import refresh_global_settings_context
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_HOME,
        PREFECT_SERVER_ANALYTICS_ENABLED,
        temporary_settings,
    )

    if quiet:
        logging.getLogger("prefect").setLevel(logging.WARNING)
        # Prefect's queue services log under their class names; draining them at the end
        # of a command says "Still processing items" in English, which is no news.
        for service in ("EventsWorker", "APILogWorker"):
            logging.getLogger(service).setLevel(logging.ERROR)
    external = PREFECT_API_URL.value()
    if external:
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield external
        return
    home = Path(os.environ.get("PREFECT_HOME") or data_dir() / "prefect")
    home.mkdir(parents=True, exist_ok=True)
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_API_URL", LOG_LEVEL_ENV)}
    with (
        temporary_settings(
            updates={PREFECT_HOME: str(home), PREFECT_SERVER_ANALYTICS_ENABLED: False}
        ),
        borrowed_server(home) if keep_warm and idle_seconds() > 0 else own_server() as url,
    ):
        try:
            os.environ["PREFECT_HOME"] = str(home)
            os.environ["PREFECT_API_URL"] = url  # for process-pool workers
            if quiet:  # their task-run lines too
                os.environ[LOG_LEVEL_ENV] = "WARNING"
            # and for this process's threads that run outside the settings context
            # (a process pool's result threads): else they start an ephemeral server.
            refresh_global_settings_context()
            with temporary_settings(
                updates={PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
            ):
                try:
                    yield url
                finally:
                    APILogWorker.drain_all(timeout=5)
                    EventsWorker.drain_all(timeout=5)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            refresh_global_settings_context()


@contextmanager
def own_server() -> Iterator[str]:
    """A server of this block's own, stopped when it ends."""
    server = session_server()
    try:
        # Inside the try: an interrupt while the server starts still stops it.
        server.start(timeout=STARTUP_SECONDS)
        yield server.api_url
    finally:
        server.stop()


@contextmanager
def borrowed_server(home: Path) -> Iterator[str]:
    from flows.warm_server import borrow

    with borrow(home, idle_seconds(), server_environment(), STARTUP_SECONDS) as url:
        yield url
