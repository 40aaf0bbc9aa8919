"""The flows on the embedded default: one temporary Prefect server for the whole module."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from pipeline.outputs.folders import ANALYSIS

# Each sample paper as text; sample_docs also holds its DOCX and PDF renderings (other
# contents under the same names), an encrypted PDF and a scan read by OCR.
TEXT_SAMPLES = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
SAMPLE_NAMES = sorted(Path(p).stem for p in TEXT_SAMPLES)
PROTOKOLL = (
    "KOMMUNFULLMÄKTIGE\nSAMMANTRÄDESPROTOKOLL\n\nJusterare: Per Holm (M)\n\n"
    "§ 12 Dnr KS 2020/411\nMotion om fler laddstolpar\n\n"
    "Kommunfullmäktige beslutar att bifalla motionen.\n\n"
    "§ 13 Dnr KS 2020/512\nMotion om en ny simhall\n\n"
    "Kommunfullmäktige beslutar att avslå motionen.\n"
)


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    """The embedded runtime, with its Prefect home in a temporary folder."""
    home = Path(tempfile.mkdtemp(prefix="attsats-prefect-"))
    saved = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    from flows.runtime import prefect_runtime

    try:
        with prefect_runtime() as url:
            yield url
    finally:
        if saved is None:
            os.environ.pop("PREFECT_HOME", None)
        else:
            os.environ["PREFECT_HOME"] = saved
        shutil.rmtree(home, ignore_errors=True)


def folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


def artifact_keys(flow_run_id) -> set[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key for a in found}


def task_run_names(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return sorted(r.name.rsplit("-", 1)[0] for r in runs)


def archive_with_bundle(tmp_path: Path) -> Path:
    path = tmp_path / "handlingar.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("kf/protokoll.txt", PROTOKOLL)
        zf.writestr("kf/kopia.txt", (SAMPLES / f"{SAMPLE_NAMES[0]}.txt").read_bytes())
        zf.writestr("../utanfor.txt", "x")
    return path


def test_batch_flow_writes_folders_report_and_artifacts_then_nothing_new(
    api: str, tmp_path: Path
) -> None:
    from flows.batch_flow import batch_flow

    out = tmp_path / "out"
    archive = archive_with_bundle(tmp_path)
    state = batch_flow([*TEXT_SAMPLES, str(archive)], str(out), return_state=True)
    summary = state.result()
    # The meeting head is no part of its own: one part per §.
    expected = sorted(SAMPLE_NAMES + [f"protokoll-del-0{n}" for n in (1, 2)])
    assert folders(out) == expected
    assert (out / "rapport.html").exists() and (out / "rapport.xlsx").exists()
    assert (summary["files"], summary["documents"], summary["duplicates"]) == (
        len(SAMPLE_NAMES) + 2,
        len(expected),
        1,
    )
    assert [p["code"] for p in summary["problems"]] == ["W201"]
    assert "Dubbletter (samma innehåll under annat namn): 1" in summary["lines"]
    # Orchestration stays coarse: plan, one chunk, report; however many documents.
    flow_run_id = state.state_details.flow_run_id
    assert task_run_names(flow_run_id) == ["analysera", "planera", "rapport"]
    assert {"batch-sammanfattning", "batch-dokument", "batch-bedomning"} <= artifact_keys(
        flow_run_id
    )
    assert not list((out / ".attsats").glob("uppackat-*"))

    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = batch_flow([*TEXT_SAMPLES, str(archive)], str(out))
    assert (again["documents"], again["already"]) == (0, len(SAMPLE_NAMES) + 1)
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    assert {p: t for p, t in after.items() if ".attsats" not in p.parts} == {
        p: t for p, t in before.items() if ".attsats" not in p.parts
    }


def test_batch_flow_on_a_process_pool_gives_the_same_outputs(api: str, tmp_path: Path) -> None:
    from flows.batch_flow import CHUNKS_PER_WORKER, batch_flow

    out = tmp_path / "out"
    state = batch_flow(TEXT_SAMPLES, str(out), workers=2, with_report=False, return_state=True)
    assert state.result()["documents"] == len(SAMPLE_NAMES)
    assert folders(out) == SAMPLE_NAMES
    assert task_run_names(state.state_details.flow_run_id).count("analysera") == min(
        2 * CHUNKS_PER_WORKER, len(SAMPLE_NAMES)
    )


def test_inbox_flow_processes_each_file_and_publishes_its_table(api: str, tmp_path: Path) -> None:
    from flows.inbox_flow import inbox_flow

    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for name in SAMPLE_NAMES[:2]:
        shutil.copy(SAMPLES / f"{name}.txt", inbox)
    (inbox / "trasig.pdf").write_bytes(b"inte en pdf")
    handled = inbox_flow(
        str(inbox), str(outbox), settle=0.05, poll_interval=0.05, mode="poll", once=True
    )
    assert handled == 3
    assert folders(outbox) == SAMPLE_NAMES[:2]
    for name in SAMPLE_NAMES[:2]:
        assert (outbox / name / ANALYSIS).exists() and (outbox / name / f"{name}.txt").exists()
    assert (inbox / "failed" / "trasig.pdf.reason.json").exists()

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    keys = [f"dokument-{n.replace('_', '-').lower()}" for n in SAMPLE_NAMES[:2]]
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    assert {a.key for a in found} == set(keys)


def test_batch_command_prints_a_swedish_summary(api: str, tmp_path: Path) -> None:
    from pipeline.cli.main import app

    out = tmp_path / "out"
    inputs = [p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".pdf", ".txt")]
    result = CliRunner().invoke(app, ["batch", str(SAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Nya dokument: {len(inputs)}" in result.output
    assert "Kunde inte läsas: 1" in result.output  # the encrypted PDF; the scan is OCR-read
    assert f"{SAMPLES / 'krypterad.pdf'}: E105" in result.output
    assert "Rapport:" in result.output
    assert len(folders(out)) == len(inputs)
    assert (out / "rapport.html").exists() and (out / "rapport.xlsx").exists()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if ".attsats" not in p.parts}
    result = CliRunner().invoke(app, ["batch", str(SAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Nya dokument: 0" in result.output
    assert f"Redan behandlade (hoppades över): {len(inputs)}" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if ".attsats" not in p.parts} == before


def test_batch_command_refuses_missing_paths(tmp_path: Path) -> None:
    from pipeline.cli.main import app

    result = CliRunner().invoke(app, ["batch", str(tmp_path / "saknas"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "Finns inte" in result.output


@pytest.mark.parametrize("command", ["batch", "watch"])
@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--styrmodell", "finns-inte", "Okänd styrmodell 'finns-inte'; kända: "),
        ("--templates", "saknas", "Mallmappen finns inte: "),
    ],
)
def test_flow_commands_check_styrmodell_and_templates_before_anything_is_written(
    tmp_path: Path, command: str, option: str, value: str, message: str
) -> None:
    """Checked as `attsats analyze` checks them, before Prefect starts: exit 2."""
    from pipeline.cli.main import app

    source = tmp_path / "in"
    source.mkdir()
    (source / "motion.txt").write_text("Motion om belysning\n", encoding="utf-8")
    out = tmp_path / "out"
    if option == "--templates":
        value = str(tmp_path / value)
    result = CliRunner().invoke(app, [command, str(source), "--out", str(out), option, value])
    assert result.exit_code == 2
    assert message in result.output
    analyzed = CliRunner().invoke(app, ["analyze", str(source / "motion.txt"), option, value])
    assert (analyzed.exit_code, analyzed.output) == (2, result.output)
    assert not out.exists() and sorted(p.name for p in source.iterdir()) == ["motion.txt"]


def test_serve_needs_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.cli.main import app

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "PREFECT_API_URL" in result.output


def test_watch_command_once_takes_what_is_waiting(api: str, tmp_path: Path) -> None:
    from pipeline.cli.main import app

    inbox, outbox, failed = tmp_path / "in", tmp_path / "out", tmp_path / "fel"
    inbox.mkdir()
    shutil.copy(SAMPLES / f"{SAMPLE_NAMES[0]}.txt", inbox)
    (inbox / "~$laddstolpar.docx").write_bytes(b"lock")
    (inbox / "trasig.pdf").write_bytes(b"inte en pdf")
    args = ["watch", str(inbox), "--out", str(outbox), "--failed", str(failed)]
    options = ["--poll", "--once", "--settle", "0", "--interval", "0.05"]
    result = CliRunner().invoke(app, args + options)
    assert result.exit_code == 0, result.output
    assert "2 filer behandlade." in result.output
    assert folders(outbox) == [SAMPLE_NAMES[0]]
    reason = json.loads((failed / "trasig.pdf.reason.json").read_text(encoding="utf-8"))
    assert (reason["code"], reason["file"]) == ("E103", "trasig.pdf")
    assert sorted(p.name for p in inbox.iterdir()) == ["processing", "~$laddstolpar.docx"]


def test_watch_runs_as_a_service_until_sigterm(api: str, tmp_path: Path) -> None:
    """`attsats watch` in a process of its own: a file moved into the inbox is taken on
    inotify's IN_MOVED_TO (the settle time is far longer than the test), and SIGTERM ends
    the service cleanly."""
    from pipeline.service.inbox import open_events

    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    events = open_events(inbox)
    if events is None:
        pytest.skip("inotify is not available here (the service would wait --settle seconds)")
    events.close()
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        service = subprocess.Popen(
            [str(Path(sys.executable).parent / "attsats"), "watch", str(inbox),
             "--out", str(outbox), "--settle", "600", "--interval", "0.2"],
            stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PREFECT_API_URL": api},
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (inbox / "processing").is_dir():  # the watcher is up
            assert service.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)  # processing/ is made just before the inotify watch is set
        staged = tmp_path / "skrivs.txt"
        shutil.copy(SAMPLES / f"{SAMPLE_NAMES[1]}.txt", staged)
        os.rename(staged, inbox / f"{SAMPLE_NAMES[1]}.txt")
        target = outbox / SAMPLE_NAMES[1] / f"{SAMPLE_NAMES[1]}.txt"
        while not target.exists():
            assert service.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert (outbox / SAMPLE_NAMES[1] / ANALYSIS).exists()
    finally:
        service.send_signal(signal.SIGTERM)
        code = service.wait(timeout=30)
    assert code == 0, log.read_text()
    assert "1 filer behandlade." in log.read_text()


def descendants(pid: int) -> list[int]:
    """Every living process started under `pid`, in a session of its own or not."""
    from test_reliability import children

    return children(pid)


def test_watch_on_the_embedded_default_leaves_no_process_after_sigterm(
    api: str, tmp_path: Path
) -> None:
    """Promise 13: `attsats watch` starts its own Prefect API server (the database of this
    module's runtime is reused, so it starts in seconds) and a worker; within 10 s of
    SIGTERM none of them is alive. The console says what became of each file."""
    from test_reliability import alive

    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(SAMPLES / f"{SAMPLE_NAMES[1]}.txt", inbox)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log = tmp_path / "watch.log"
    with log.open("w") as sink:
        service = subprocess.Popen(
            [str(Path(sys.executable).parent / "attsats"), "watch", str(inbox),
             "--out", str(outbox), "--settle", "0.2", "--interval", "0.1", "--poll"],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        target = outbox / SAMPLE_NAMES[1] / f"{SAMPLE_NAMES[1]}.txt"
        while not target.exists():
            assert service.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        started = descendants(service.pid)
        assert len(started) >= 2, started  # the API server and the worker at least
        signalled = time.monotonic()
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=10)
        while any(alive(p) for p in started):
            assert time.monotonic() - signalled < 10, [p for p in started if alive(p)]
            time.sleep(0.1)
    finally:
        if service.poll() is None:
            service.kill()
    text = log.read_text()
    assert f"{SAMPLE_NAMES[1]}.txt: " in text and f"→ out/{SAMPLE_NAMES[1]}/" in text, text


def small_papers(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"papper-{n:04d}.txt").write_text(
            f"Information om vinterväghållningen, del {n}\n\n"
            f"Tekniska nämnden informeras om plogningen av {n} kilometer väg.\n",
            encoding="utf-8",
        )


def task_run_states(flow_run_id) -> list[tuple[str, str]]:
    """(task name, state) of every task run of a flow run, page by page."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    found: list[tuple[str, str]] = []
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                limit=200,
                offset=len(found),
            )
            # A run whose first state event is not recorded yet has no state.
            found += [
                (r.name.rsplit("-", 1)[0], r.state.type.value if r.state else "") for r in page
            ]
            if len(page) < 200:
                return found


@pytest.mark.slow
def test_500_documents_on_the_embedded_default_meet_no_locked_database(
    api: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Promise 12: 500 documents as a batch on two workers, and 500 through the inbox on
    two workers (each file its analysis and table task runs in the inbox's flow run):
    every run completes, none is failed by SQLite's "database is locked"."""
    from flows.batch_flow import batch_flow
    from flows.inbox_flow import inbox_flow

    small_papers(tmp_path / "arkiv", 500)
    state = batch_flow(
        [str(tmp_path / "arkiv")], str(tmp_path / "ut"), workers=2, with_report=False,
        return_state=True,
    )  # fmt: skip
    assert state.is_completed() and state.result()["documents"] == 500
    small_papers(tmp_path / "in", 500)
    inbox = inbox_flow(
        str(tmp_path / "in"), str(tmp_path / "ut2"), settle=0, poll_interval=0.05,
        mode="poll", once=True, workers=2, return_state=True,
    )  # fmt: skip
    assert inbox.is_completed() and inbox.result() == 500
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=30)
    # Task runs reach the API as events, which the server records a moment later.
    deadline = time.monotonic() + 120
    while True:
        tasks = task_run_states(inbox.state_details.flow_run_id)
        analysed = [name for name, _ in tasks].count("analysera-fil")
        settled = all(state == "COMPLETED" for _, state in tasks)
        if (analysed == 500 and settled) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert [name for name, _ in tasks].count("analysera-fil") == 500
    assert {state for _, state in tasks} == {"COMPLETED"}
    assert "database is locked" not in caplog.text


def test_prefect_keeps_no_personnummer(api: str, tmp_path: Path) -> None:
    """Issue 14, item 11: parameters, artifacts and logs in Prefect's database are masked."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    from flows.document_flow import process_document
    from pipeline.outputs.folders import name_candidates
    from pipeline.service.ledger import sha256_of

    number = "811218-9876"  # Luhn-valid, nobody's
    source = tmp_path / f"medborgarforslag {number}.txt"
    source.write_text(
        "Medborgarförslag\n\nTill Kommunfullmäktige i Norrviks kommun\n\n"
        "Medborgarförslag om en bänk vid badplatsen\n\n"
        f"Jag föreslår att kommunen ställer en bänk vid badplatsen för {number}.\n",
        encoding="utf-8",
    )
    sha = sha256_of(source)
    name = name_candidates(source.name, sha)[0]
    state = process_document(
        str(source), source.name, sha, name, str(tmp_path / "out"), return_state=True
    )
    assert state.result().state == "done"
    APILogWorker.drain_all(timeout=5)
    flow_run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        parameters = client.read_flow_run(flow_run_id).parameters
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    assert parameters["origin"] == "medborgarforslag 811218-****.txt"
    assert artifacts and all(number not in f"{a.data} {a.description}" for a in artifacts)
    home = Path(os.environ["PREFECT_HOME"])
    stored = b"".join(p.read_bytes() for p in home.rglob("*.db*") if p.is_file())
    assert stored and number.encode() not in stored and b"8112189876" not in stored
