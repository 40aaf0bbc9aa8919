"""No telemetry offline: attsats and the Prefect server it documents make no calls out.

Prefect's server sends usage telemetry every ten minutes unless
`server.analytics_enabled` is off; offline that prints "Failed to send telemetry". The
embedded server (`flows/runtime.py`) turns it off itself; the scale-out's
`prefect server start`, workers and flows read `[tool.prefect.server]` in pyproject.toml
when started in the checkout.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from conftest import ROOT, SAMPLES

BIN = Path(sys.executable).parent
ENABLED_SERVICES = (
    "import prefect.server.services.telemetry\n"
    "from prefect.server.services.perpetual_services import get_enabled_perpetual_services\n"
    "print(' '.join(c.function.__name__ for c in get_enabled_perpetual_services()))\n"
)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without Prefect settings, so only files decide."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def server_services(cwd: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", ENABLED_SERVICES],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_prefect_server_started_in_the_checkout_sends_no_telemetry(tmp_path: Path) -> None:
    # Outside the checkout Prefect's default holds: the telemetry service runs.
    assert "send_telemetry_heartbeat" in server_services(tmp_path)
    started_here = server_services(ROOT)
    assert "send_telemetry_heartbeat" not in started_here
    assert "schedule_deployments" in started_here  # the server's own work still runs


class Listener:
    """A proxy that answers nothing and counts who calls: every HTTP(S) call out goes here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.calls = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.calls += 1
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()


def test_a_batch_calls_nothing_outside_this_machine(tmp_path: Path) -> None:
    """A batch through the embedded Prefect server, every call out sent to a listening
    proxy: nothing arrives there, and nothing is said of telemetry or analytics."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "motion.txt").write_bytes((SAMPLES / "motion_gang_och_cykel.txt").read_bytes())
    proxy = Listener()
    try:
        result = subprocess.run(
            [str(BIN / "attsats"), "batch", str(inbox), "--out", str(tmp_path / "out")],
            cwd=tmp_path,  # outside the checkout: the embedded server's own setting counts
            env=clean_env(
                ATTSATS_DATA=str(tmp_path / "data"),
                HTTP_PROXY=proxy.url,
                HTTPS_PROXY=proxy.url,
                ALL_PROXY=proxy.url,
                NO_PROXY="127.0.0.1,localhost",
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        proxy.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    said = (result.stdout + result.stderr).lower()
    assert "telemetr" not in said and "analytics" not in said
    assert proxy.calls == 0
