"""A Prefect API server kept warm between commands, stopping itself when nobody needs it.

Starting Prefect's API server costs ~6 s, more than analysing a paper. A command that
ends (`attsats batch`) therefore borrows one server per `PREFECT_HOME`:

- `state.json` says where it listens (pid, port); a command checks it and the health
  endpoint, and starts a new server (detached, in a session of its own, output to
  `server.log`) only when none answers. `start.lock` keeps two commands from starting
  two servers at once.
- A command holds a shared lock on `lease` while it uses the server. The server tries for
  the exclusive lock every second: while it cannot get it, a command is at work; once it
  has held it for the idle time, it stops, keeping the lock until it is gone, so a command
  never borrows a server that is stopping. Locks die with their process, so a command
  killed by `kill -9` does not keep the server alive.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

STATE = "state.json"
LEASE = "lease"
START_LOCK = "start.lock"
LOG = "server.log"
CHECK_SECONDS = 1.0
HEALTH_TIMEOUT = 2.0


def folder(home: Path) -> Path:
    path = home / "attsats-server"
    path.mkdir(parents=True, exist_ok=True)
    return path


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=HEALTH_TIMEOUT) as answer:
            return answer.status == 200
    except (OSError, ValueError):
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(where: Path) -> str | None:
    """The address of the recorded server, if it is alive and answers."""
    try:
        state = json.loads((where / STATE).read_text(encoding="utf-8"))
        pid, url = int(state["pid"]), str(state["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if alive(pid) and healthy(url) else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(where: Path, idle: float, env: dict[str, str], startup: float) -> str:
    """Start a detached server and wait until it answers; its address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    with open(where / LOG, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.warm_server", str(where), str(port), str(idle)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,  # not stopped by the command's Ctrl-C or its end
        )
    deadline = time.monotonic() + startup
    while not healthy(url):
        if process.poll() is not None:
            raise RuntimeError(
                f"Prefect API server exited with {process.returncode}; see {where / LOG}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Prefect API server did not answer in {startup:g} s")
        time.sleep(0.1)
    return url


def take_lease(where: Path) -> IO[str]:
    """A shared hold on the server; waits while a server that is stopping holds it."""
    lease = open(where / LEASE, "a+", encoding="utf-8")  # noqa: SIM115 (held by the caller)
    fcntl.flock(lease, fcntl.LOCK_SH)
    return lease


@contextlib.contextmanager
def borrow(home: Path, idle: float, env: dict[str, str], startup: float) -> Iterator[str]:
    """The kept-warm server's address, started when none runs, held for this block."""
    where = folder(home)
    with open(where / START_LOCK, "a+", encoding="utf-8") as starting:
        fcntl.flock(starting, fcntl.LOCK_EX)
        lease = take_lease(where)
        try:
            url = running(where) or start(where, idle, env, startup)
        except BaseException:
            lease.close()
            raise
    try:
        yield url
    finally:
        lease.close()


# --- the server process ------------------------------------------------------------------


def stop_when_idle(server, lease: IO[str], idle: float) -> None:
    """Ask uvicorn to stop once no command has held the lease for `idle` seconds; the
    exclusive lock is then kept on `lease`, which the caller holds open until it exits."""
    quiet_since = time.monotonic()
    while not server.should_exit:
        time.sleep(CHECK_SECONDS)
        try:
            fcntl.flock(lease, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            quiet_since = time.monotonic()
            continue
        if time.monotonic() - quiet_since >= idle:
            server.should_exit = True  # the lock stays held until the process is gone
            return
        fcntl.flock(lease, fcntl.LOCK_UN)


def main(where: Path, port: int, idle: float) -> None:
    import uvicorn

    config = uvicorn.Config(
        "prefect.server.api.server:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="error",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    lease = open(where / LEASE, "a+", encoding="utf-8")  # noqa: SIM115 (held until exit)
    threading.Thread(target=stop_when_idle, args=(server, lease, idle), daemon=True).start()
    state = where / STATE
    state.write_text(
        json.dumps({"pid": os.getpid(), "url": f"http://127.0.0.1:{port}/api"}), encoding="utf-8"
    )
    try:
        server.run()
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(state.read_text(encoding="utf-8")).get("pid") == os.getpid():
                state.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
