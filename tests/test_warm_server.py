"""The kept-warm Prefect server: borrowed by one command after another, stopped when idle."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SAMPLES

from flows import warm_server

ATTSATS = Path(sys.executable).parent / "attsats"


def test_the_server_stops_only_once_no_command_has_held_it_for_the_idle_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm_server, "CHECK_SECONDS", 0.05)
    server = SimpleNamespace(should_exit=False)
    borrowed = warm_server.take_lease(tmp_path)
    with open(tmp_path / warm_server.LEASE, "a+", encoding="utf-8") as held_by_server:
        watcher = threading.Thread(
            target=warm_server.stop_when_idle, args=(server, held_by_server, 0.3)
        )
        watcher.start()
        time.sleep(0.8)
        assert not server.should_exit  # a command holds it, however long
        borrowed.close()
        watcher.join(timeout=5)
        assert server.should_exit
        # Stopping, the server keeps the lease: a command waits instead of borrowing it.
        with (
            open(tmp_path / warm_server.LEASE, encoding="utf-8") as late,
            pytest.raises(BlockingIOError),
        ):
            fcntl.flock(late, fcntl.LOCK_SH | fcntl.LOCK_NB)


def test_a_second_batch_borrows_the_first_ones_server_which_then_stops_by_itself(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "motion_gang_och_cykel.txt", inputs)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(ATTSATS_DATA=str(tmp_path / "data"), ATTSATS_SERVER_IDLE="10")
    env.pop("PREFECT_HOME", None)
    state = tmp_path / "data" / "prefect" / "attsats-server" / warm_server.STATE

    def batch(out: str) -> None:
        done = subprocess.run(
            [str(ATTSATS), "batch", str(inputs), "--out", str(tmp_path / out), "--no-report"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Nya dokument: 1" in done.stdout, done.stdout

    batch("ut1")
    first = json.loads(state.read_text(encoding="utf-8"))
    batch("ut2")  # a fresh output folder: the flow runs again, on the same server
    assert json.loads(state.read_text(encoding="utf-8")) == first
    deadline = time.monotonic() + 40
    while warm_server.alive(first["pid"]):
        assert time.monotonic() < deadline, "the idle server did not stop"
        time.sleep(0.2)
    assert not state.exists()
