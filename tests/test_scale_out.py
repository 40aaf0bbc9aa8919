"""Scale-out, end to end: PostgreSQL, `prefect server start`, a process work pool, a worker,
deployments registered by `attsats serve`, and a batch run through the deployment on a
process pool. Everything started here is stopped here."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SAMPLES

from flows.batch_flow import CHUNKS_PER_WORKER
from pipeline.outputs.folders import ANALYSIS

BIN = Path(sys.executable).parent
POOL = "attsats-test"
TEXT_SAMPLES = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
SAMPLE_NAMES = sorted(Path(p).stem for p in TEXT_SAMPLES)


def missing_precondition() -> str | None:
    """Why PostgreSQL cannot be had here, or None. scripts/install.sh installs it (it is in
    system-packages.txt), and scripts/postgres.sh installs it when it is missing, given
    apt-get and root or passwordless sudo."""
    if sys.platform != "linux" or not shutil.which("bash"):
        return "needs Linux and bash (scripts/postgres.sh)"
    if glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return None
    if not shutil.which("apt-get"):
        return "PostgreSQL is not installed (/usr/lib/postgresql/*/bin) and there is no apt-get"
    if os.geteuid() != 0 and (
        not shutil.which("sudo")
        or subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode != 0
    ):
        return "PostgreSQL is not installed and installing it needs root or passwordless sudo"
    return None


MISSING = missing_precondition()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop a process and everything it started (its own session)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(check, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} did not come up in {seconds} s:\n{log.read_text()[-3000:]}")


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict[str, str]]:
    work = Path(tempfile.mkdtemp(prefix="attsats-scale-"))
    work.chmod(0o755)  # the postgres user must reach its data folder inside
    pg_dir = work / "postgres"
    pg_port = free_port()
    started: list[subprocess.Popen] = []
    postgres_up = False
    try:
        url = (
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(pg_dir), str(pg_port)],
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        postgres_up = True
        api_port = free_port()
        api = f"http://127.0.0.1:{api_port}/api"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
            "PREFECT_HOME": str(work / "prefect"),
            "PREFECT_API_DATABASE_CONNECTION_URL": url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
        }
        server_log = work / "server.log"
        with server_log.open("w") as log:
            started.append(
                subprocess.Popen(
                    [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                     "--port", str(api_port)],
                    env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )
            )  # fmt: skip
        wait_until(lambda: healthy(api), 150, "the Prefect server", server_log)
        client_env = {**env, "PREFECT_API_URL": api}
        serve = subprocess.run(
            [str(BIN / "attsats"), "serve", "--pool", POOL],
            env=client_env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=work,
        )
        assert serve.returncode == 0, serve.stdout + serve.stderr
        worker_log = work / "worker.log"
        with worker_log.open("w") as log:
            started.append(
                subprocess.Popen(
                    [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process"],
                    env=client_env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True, cwd=work,
                )
            )  # fmt: skip
        yield {
            "api": api,
            "work": str(work),
            "serve": serve.stdout,
            "db": url,
            "port": str(pg_port),
        }
    finally:
        for process in reversed(started):
            stop(process)
        if postgres_up:
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(pg_dir)],
                timeout=60,
                check=False,
            )
        shutil.rmtree(work, ignore_errors=True)


def run_batch(api: str, parameters: dict) -> tuple[str, str, list[str]]:
    """Run the batch deployment; return its final state, its summary artifact and the names
    of its task runs."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
    )
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}):
        flow_run = run_deployment(
            "attsats-batch/batch", parameters=parameters, timeout=240, poll_interval=1
        )
        with get_client(sync_client=True) as client:
            artifacts = client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id])
                )
            )
            tasks = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
            )
    summary = next((a.data for a in artifacts if a.key == "batch-sammanfattning"), "")
    return flow_run.state.type.value, summary, sorted(t.name.rsplit("-", 1)[0] for t in tasks)


def test_serve_registers_every_deployment(cluster: dict[str, str]) -> None:
    for name in ("attsats-batch/batch", "attsats-dokument/dokument", "attsats-inkorg/inkorg"):
        assert f"Registrerad: {name}" in cluster["serve"]


def test_a_batch_runs_through_the_deployment_on_postgres(cluster: dict[str, str]) -> None:
    work = Path(cluster["work"])
    archive = work / "handlingar.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("kopia.txt", (SAMPLES / f"{SAMPLE_NAMES[0]}.txt").read_bytes())
    out = work / "out"
    state, summary, tasks = run_batch(
        cluster["api"], {"paths": [*TEXT_SAMPLES, str(archive)], "out": str(out), "workers": 2}
    )
    assert state == "COMPLETED"
    # Two process-pool workers, a few chunks each (at most one per new paper): a handful of
    # analysis tasks for the whole batch, not one per document.
    chunks = min(2 * CHUNKS_PER_WORKER, len(SAMPLE_NAMES))
    assert tasks == ["analysera"] * chunks + ["planera", "rapport"]
    assert f"| Nya dokument | {len(SAMPLE_NAMES)} |" in summary
    assert "| Dubbletter (samma innehåll under annat namn) | 1 |" in summary
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and p.name[0] != ".") == (
        SAMPLE_NAMES
    )
    for name in SAMPLE_NAMES:
        data = json.loads((out / name / ANALYSIS).read_text(encoding="utf-8"))
        assert data["source"]["path"] == str(SAMPLES / f"{name}.txt")
        assert data["status"] != "failed"
    assert (out / "rapport.html").stat().st_size > 0 and (out / "rapport.xlsx").exists()
    # The runs are recorded in PostgreSQL, not in a SQLite file.
    count = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", cluster["port"], "-U", "attsats", "-d", "prefect",
         "-tAc", "SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert int(count) >= 1
    assert not list((Path(cluster["work"]) / "prefect").glob("*.db"))

    before = {p: p.stat().st_mtime_ns for p in out.glob("*/*")}
    state, again, _ = run_batch(cluster["api"], {"paths": TEXT_SAMPLES, "out": str(out)})
    assert state == "COMPLETED" and "| Nya dokument | 0 |" in again
    assert f"| Redan behandlade (hoppades över) | {len(SAMPLE_NAMES)} |" in again
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/*")} == before
