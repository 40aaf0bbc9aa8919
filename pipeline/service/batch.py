"""Batches: folders and zip archives to one output folder per document, resumable.

`collect` finds the files (zip archives unpacked safely into a scratch folder), `plan`
asks the ledger what is new, `process_file` turns one file into its documents' output
folders and records the result, `make_chunks` groups the work so an orchestrator hands
out a few large pieces instead of one per document. Running the same batch again finds
everything in the ledger and writes nothing.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from extractors import SUFFIXES
from pipeline.document import Document, Problem, Source
from pipeline.errors import message, record
from pipeline.outputs.files import publish, safe_name
from pipeline.outputs.folders import name_candidates, write_outputs
from pipeline.outputs.render import DraftError
from pipeline.outputs.report import HTML as REPORT_HTML
from pipeline.outputs.summary import DOC_TYPE_NAMES
from pipeline.privacy import mask
from pipeline.service.inputs import SKIPPED_PREFIXES, expand_inputs, is_input_name
from pipeline.service.ledger import Ledger, sha256_of
from pipeline.service.precedents import add as add_precedent
from pipeline.service.precedents import for_document, keep_open
from pipeline.service.worker import (
    DEFAULT_MEMORY_MB,
    DEFAULT_SECONDS,
    DEFAULT_TARGET,
    Cancelled,
    LimitExceeded,
    shared,
)
from pipeline.service.worker import (
    Limits as WorkerLimits,
)
from pipeline.styrmodell.loader import load_profile
from pipeline.styrmodell.schema import Profile, ProfileError

STATE_DIR = ".attsats"
ARCHIVE_SUFFIXES = (".zip",)
DEFAULT_ATTEMPTS = 3
MIN_MEMORY_MB = 1024


def state_dir(out: Path) -> Path:
    """Where a batch or inbox keeps its ledger and scratch files, inside its output folder."""
    return out / STATE_DIR


def ledger_path(out: Path) -> Path:
    return state_dir(out) / "ledger.sqlite"


class SettingsError(ValueError):
    """Settings that cannot be used (an unknown styrmodell, no such template folder);
    the message is Swedish, the same `attsats analyze` gives."""


@dataclass(frozen=True)
class Settings:
    """How each document is assessed and written, the same for a whole batch or inbox.

    Plain strings, so it pickles into process-pool workers and is a JSON flow parameter;
    the profile is loaded where the work is done (`load_profile` is cached per process).
    The defaults are the municipality's own profile (else `generisk`) and the shipped
    templates.
    """

    styrmodell: str | None = None  # a shipped profile's id or a YAML file
    templates: str | None = None  # a folder with the municipality's own templates
    seconds: float = DEFAULT_SECONDS  # the time limit for reading one file
    memory_mb: int = DEFAULT_MEMORY_MB  # the memory limit for reading one file

    def limits(self) -> WorkerLimits:
        return WorkerLimits(self.seconds, self.memory_mb)

    def profile(self) -> Profile | None:
        return load_profile(self.styrmodell) if self.styrmodell else None

    def templates_dir(self) -> Path | None:
        return Path(self.templates) if self.templates is not None else None

    def check(self) -> None:
        """Raise `SettingsError` unless the profile loads and the template folder exists."""
        try:
            self.profile()
        except ProfileError as error:
            raise SettingsError(str(error)) from error
        if self.templates is not None and not Path(self.templates).is_dir():
            raise SettingsError(f"Mallmappen finns inte: {self.templates}")
        # A warm worker (spaCy, the classifier, the profiles) reserves about 600 MB.
        if self.seconds <= 0 or self.memory_mb < MIN_MEMORY_MB:
            raise SettingsError(
                "Tidsgränsen måste vara större än 0 sekunder och minnesgränsen minst"
                f" {MIN_MEMORY_MB} MB."
            )


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Limits:
    """Bounds for unpacking archives: a zip bomb or a hostile archive stops here."""

    max_members: int = 10_000
    max_member_bytes: int = 512 * 1024**2
    max_total_bytes: int = 4 * 1024**3
    max_depth: int = 3  # archives inside archives


@dataclass(frozen=True)
class Item:
    """One file to analyse: where its bytes are and how the user knows it."""

    path: str
    origin: str
    sha256: str
    size: int
    name: str = ""  # the output folder reserved for it


@dataclass(frozen=True)
class Result:
    origin: str
    sha256: str
    state: str  # done | failed | quarantined | stopped (the service stopped; resumed later)
    folders: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    code: str | None = None
    message: str | None = None
    attempts: int = 1
    clauses: int = 0  # att-satser found, over all the file's documents


@dataclass
class Plan:
    todo: list[Item] = field(default_factory=list)
    already: list[Item] = field(default_factory=list)
    duplicates: list[tuple[Item, str]] = field(default_factory=list)  # (item, first origin)
    set_aside: list[Item] = field(default_factory=list)  # tried too often before
    problems: list[Problem] = field(default_factory=list)


INPUT_SUFFIXES = (*SUFFIXES, *ARCHIVE_SUFFIXES)


@dataclass
class Budget:
    members: int = 0
    total: int = 0


def member_target(name: str) -> PurePosixPath | None:
    """The relative path an archive member may be unpacked to, or None if it would leave
    the target folder (absolute, `..`, a drive letter)."""
    normalized = name.replace("\\", "/")
    parts = PurePosixPath(normalized).parts
    if not parts or normalized.startswith("/") or ":" in parts[0]:
        return None
    if any(part in ("..", "") for part in parts):
        return None
    return PurePosixPath(*(safe_file_name(p) for p in parts))


def safe_file_name(name: str) -> str:
    """`safe_name` that keeps the suffix (which says the format) however long the stem."""
    path = PurePosixPath(name)
    if not path.suffix or len(path.suffix) > 16:
        return safe_name(name)
    return safe_name(path.stem) + "." + safe_name(path.suffix[1:])


def unpack(
    archive: Path, origin: str, target: Path, limits: Limits, budget: Budget, depth: int
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Unpack the documents in a zip archive into `target`, within `limits`."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []

    def skip(member: str, reason: str) -> None:
        problems.append(
            Problem(
                code="W201", message=message("W201", member=member, archive=origin, reason=reason)
            )
        )

    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        problems.append(
            Problem(code="E202", message=message("E202", archive=origin, detail=str(exc)[:200]))
        )
        return found, problems
    with zf:
        for info in zf.infolist():
            member_name = PurePosixPath(info.filename.replace("\\", "/")).name
            if info.is_dir() or member_name.startswith(SKIPPED_PREFIXES):
                continue  # folders, lock files and hidden files (`__MACOSX/._x`)
            if not is_input_name(member_name, INPUT_SUFFIXES):
                skip(info.filename, "formatet stöds inte")
                continue
            relative = member_target(info.filename)
            if relative is None:
                skip(info.filename, "sökvägen pekar utanför arkivet")
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                skip(info.filename, "symboliska länkar packas inte upp")
                continue
            if info.flag_bits & 0x1:
                skip(info.filename, "posten är krypterad")
                continue
            if budget.members >= limits.max_members:
                skip(info.filename, f"arkiven har fler än {limits.max_members} filer")
                break
            budget.members += 1
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            written, reason = 0, None
            try:
                with zf.open(info) as source, open(destination, "wb") as sink:
                    while block := source.read(1 << 20):
                        written += len(block)
                        if written > limits.max_member_bytes:
                            reason = f"större än {limits.max_member_bytes // 1024**2} MB uppackad"
                            break
                        if budget.total + written > limits.max_total_bytes:
                            reason = (
                                f"arkiven blir större än {limits.max_total_bytes // 1024**2} MB"
                                " uppackade"
                            )
                            break
                        sink.write(block)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                reason = f"posten är skadad ({str(exc)[:120]})"
            if reason:
                destination.unlink(missing_ok=True)
                skip(info.filename, reason)
                continue
            budget.total += written
            member_origin = f"{origin}/{info.filename}"
            if destination.suffix.lower() in ARCHIVE_SUFFIXES:
                if depth + 1 >= limits.max_depth:
                    skip(info.filename, f"arkiv i arkiv i mer än {limits.max_depth} nivåer")
                    continue
                inner, inner_problems = unpack(
                    destination,
                    member_origin,
                    destination.with_name(destination.name + ".d"),
                    limits,
                    budget,
                    depth + 1,
                )
                found += inner
                problems += inner_problems
            else:
                found.append((destination, member_origin))
    return found, problems


def collect(
    paths: Iterable[Path], scratch: Path, limits: Limits = Limits()
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every document file under `paths` as (where it is now, its name for the user)."""
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    budget = Budget()
    for candidate in expand_inputs(paths, INPUT_SUFFIXES):
        if candidate.suffix.lower() in ARCHIVE_SUFFIXES:
            target = scratch / f"{safe_name(candidate.name)}-{uuid.uuid4().hex[:8]}"
            found, issues = unpack(candidate, str(candidate), target, limits, budget, 0)
            files += found
            problems += issues
        else:
            files.append((candidate, str(candidate)))
    return files, problems


def folder_taken(out: Path) -> Callable[[str], bool]:
    return lambda name: name == STATE_DIR or (out / name).exists()


def plan(
    paths: Iterable[Path],
    out: Path,
    scratch: Path,
    limits: Limits = Limits(),
    max_attempts: int = DEFAULT_ATTEMPTS,
    preview: bool = False,
) -> Plan:
    """What this batch has to do, given what the ledger already knows. A `preview` only
    reads the ledger and stops at the first file with work (`todo` then holds that file,
    without an output name): whether a batch has anything to do, each file hashed once."""
    files, problems = collect(paths, scratch, limits)
    result = Plan(problems=problems)
    first_seen: dict[str, str] = {}
    with Ledger(ledger_path(out)) as ledger:
        for path, origin in files:
            try:
                sha, size = sha256_of(path), path.stat().st_size
            except OSError:
                sha, size = "", 0  # unreadable: the analysis records why (E101)
            item = Item(path=str(path), origin=origin, sha256=sha, size=size)
            key = content_key(sha, origin)
            entry = ledger.get(key)
            if key in first_seen or (entry and entry.state in ("done", "failed")):
                first = first_seen.get(key) or (entry.name if entry else origin)
                if first in (origin, mask(origin)):  # the ledger keeps names masked
                    result.already.append(item)
                else:
                    if not preview:
                        ledger.see(key, origin, "duplicate")
                    result.duplicates.append((item, first))
                continue
            if entry and entry.attempts >= max_attempts:
                result.set_aside.append(item)
                continue
            first_seen[key] = origin
            if preview:
                result.todo.append(item)
                break
            name = ledger.reserve(key, name_candidates(Path(origin).name, key), folder_taken(out))
            ledger.see(key, origin, "new")
            result.todo.append(
                Item(path=item.path, origin=origin, sha256=sha, size=size, name=name)
            )
    return result


def part_names(base: str, count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"{base}-del-{n:0{width}d}" for n in range(1, count + 1)]


def content_key(sha256: str, origin: str) -> str:
    """The ledger key: the content's hash, or the name of a file that could not be read."""
    return sha256 or f"oläslig:{origin}"


def first_error(docs: list[Document]) -> tuple[str | None, str | None]:
    for doc in docs:
        if doc.errors:
            return doc.errors[0].code, doc.errors[0].message
    return None, None


def failed_document(path: Path, origin: str, sha256: str, code: str, **fields: object) -> Document:
    """A document that could not be read, with its coded reason (the reading never
    answered: a limit, or no text at all)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    doc = Document(
        source=Source(
            path=origin, sha256=sha256, format=SUFFIXES.get(path.suffix.lower()), size=size
        )
    )
    record(doc, code, **fields)
    return doc


def read_isolated(path: Path, settings: Settings, reader: str = DEFAULT_TARGET) -> list[Document]:
    """Read a file in this thread's worker process, within the settings' limits."""
    return shared.run(settings.limits(), path, settings.styrmodell, reader)


def published(out: Path, folders: list[str], sha256: str) -> bool:
    """Whether every folder of a file is in place with this content's analysis: a run
    that died after publishing them, before the ledger said so."""
    from pipeline.outputs.folders import ANALYSIS

    for folder in folders:
        try:
            doc = Document.model_validate_json((out / folder / ANALYSIS).read_bytes())
        except (OSError, ValueError):
            return False
        if doc.source.sha256 != sha256:
            return False
    return bool(folders)


def process_file(
    path: Path,
    origin: str,
    sha256: str,
    name: str,
    out: Path,
    max_attempts: int = DEFAULT_ATTEMPTS,
    keep_failed: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
    analyse: Callable[[Path], list[Document]] | None = None,
    reader: str = DEFAULT_TARGET,
) -> Result:
    """Analyse one file and publish each of its documents as `out/<name>/`.

    The reading runs in an isolated worker process (`reader` there, within the
    settings' time and memory limits: E204, E205), unless `analyse` is given, which runs
    here. The attempt is counted in the ledger before it starts, so a file that crashes
    the process is set aside after `max_attempts` tries; an exception is retried at once
    until then. A bundle's documents get `<name>-del-01`, `<name>-del-02`, ...
    With `keep_failed` off (the inbox), a file that cannot be read gets no folder.
    A draft template that fails (`DraftError`) is not retried: the folders are published
    with `analysis.json`, and the file is recorded as failed with `E203`.
    The folders are recorded before they are published, so a run that died between
    publishing and recording is completed on restart without a second analysis.
    """
    templates = settings.templates_dir()
    scratch = state_dir(out) / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    key = content_key(sha256, origin)
    with Ledger(ledger_path(out)) as ledger:
        entry = ledger.get(key)
        if entry and entry.state == "pending" and published(out, entry.folders, sha256):
            ledger.finish(key, "done", entry.folders)
            return Result(origin, sha256, "done", tuple(entry.folders), attempts=entry.attempts)
        while True:
            attempts = ledger.begin(key, origin)
            draft_error: str | None = None
            try:
                try:
                    docs = analyse(path) if analyse else read_isolated(path, settings, reader)
                except LimitExceeded as limit:
                    docs = [failed_document(path, origin, sha256, limit.code, **limit.fields)]
                docs = docs or [failed_document(path, origin, sha256, "E107")]
                for doc in docs:
                    doc.source.path = origin
                if len(docs) == 1:
                    folders = [name]
                else:
                    folders = [
                        ledger.reserve(key, [part, f"{part}-{key[:8]}"], folder_taken(out))
                        for part in part_names(name, len(docs))
                    ]
                failed = all(doc.status == "failed" for doc in docs)
                if failed and not keep_failed:
                    folders = []
                ledger.finish(key, "pending", folders)
                for doc, folder in zip(docs, folders, strict=False):
                    staging = scratch / f"{folder}.{uuid.uuid4().hex[:8]}"
                    try:
                        write_outputs(doc, staging, templates, for_document(out, doc, folder))
                    except DraftError as error:  # the template's fault: retrying cannot help
                        draft_error = draft_error or str(error)
                    publish(staging, out / folder)
                    add_precedent(out, folder, doc)
            except Cancelled:  # the service is stopping: this attempt does not count
                ledger.release(key)
                return Result(origin, sha256, "stopped", attempts=attempts - 1)
            except Exception as exc:  # an unexpected crash: retry, then quarantine
                detail = f"{type(exc).__name__}: {exc}"[:300]
                text = message("E201", attempts=attempts, detail=detail)
                if attempts < max_attempts:
                    ledger.finish(key, "pending", code="E201", message=text)
                    continue
                ledger.finish(key, "quarantined", code="E201", message=text)
                return Result(origin, sha256, "quarantined", (), (), "E201", text, attempts)
            if draft_error is not None:
                failed, code, text = True, "E203", message("E203", detail=draft_error[:300])
            else:
                code, text = first_error(docs) if failed else (None, None)
            state = "failed" if failed else "done"
            ledger.finish(key, state, folders, code, text)
            return Result(
                origin,
                sha256,
                state,
                tuple(folders),
                tuple(doc.doc_type for doc in docs),
                code,
                text,
                attempts,
                sum(len(doc.att_satser) for doc in docs),
            )


def process_chunk(
    items: list[Item],
    out: Path,
    max_attempts: int = DEFAULT_ATTEMPTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Result]:
    results = []
    # Held open for the chunk: closing the last connection to a WAL database checkpoints
    # it (an fsync), which each file's own short connections would otherwise pay.
    with Ledger(ledger_path(out)), keep_open(out):
        for i in items:
            result = process_file(
                Path(i.path), i.origin, i.sha256, i.name, out, max_attempts, settings=settings
            )
            if result.state == "stopped":
                break
            results.append(result)
    return results


def make_chunks(items: list[Item], count: int) -> list[list[Item]]:
    """At most `count` groups of about equal bytes (largest first, each to the lightest)."""
    count = max(1, min(count, len(items)))
    chunks: list[list[Item]] = [[] for _ in range(count)]
    loads = [0] * count
    for item in sorted(items, key=lambda i: (-i.size, i.origin)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(item)
        loads[lightest] += item.size
    return [c for c in chunks if c]


@dataclass
class Summary:
    files: int
    documents: int
    already: int
    duplicates: int
    failed: list[Result]
    quarantined: list[Result]
    set_aside: int
    problems: list[Problem]
    doc_types: dict[str, int]

    def counts(self) -> list[tuple[str, int]]:
        return [
            ("Filer i batchen", self.files),
            ("Nya dokument", self.documents),
            ("Redan behandlade (hoppades över)", self.already),
            ("Dubbletter (samma innehåll under annat namn)", self.duplicates),
            ("Kunde inte läsas", sum(r.code != "E203" for r in self.failed)),
            ("Utkasten kunde inte skapas (mallen)", sum(r.code == "E203" for r in self.failed)),
            ("Lades undan efter upprepade fel", len(self.quarantined) + self.set_aside),
        ]

    def details(self) -> list[str]:
        """Document types found, then every failure and archive problem."""
        found = ", ".join(f"{DOC_TYPE_NAMES[k]} {v}" for k, v in sorted(self.doc_types.items()))
        return (
            ([f"Dokumenttyper: {found}"] if found else [])
            + [f"{r.origin}: {r.code} {r.message}" for r in [*self.failed, *self.quarantined]]
            + [f"{p.code} {p.message}" for p in self.problems]
        )

    def lines(self) -> list[str]:
        """The summary in Swedish, one line per fact."""
        return [f"{label}: {n}" for label, n in self.counts()] + self.details()

    def markdown(self) -> str:
        rows = "".join(f"| {label} | {n} |\n" for label, n in self.counts())
        details = "".join(f"- {line}\n" for line in self.details())
        return f"| Uppgift | Antal |\n| --- | --- |\n{rows}" + (f"\n{details}" if details else "")


def summarize(the_plan: Plan, results: list[Result]) -> Summary:
    return Summary(
        files=len(the_plan.todo)
        + len(the_plan.already)
        + len(the_plan.duplicates)
        + len(the_plan.set_aside),
        documents=sum(len(r.folders) for r in results),
        already=len(the_plan.already),
        duplicates=len(the_plan.duplicates),
        failed=[r for r in results if r.state == "failed"],
        quarantined=[r for r in results if r.state == "quarantined"],
        set_aside=len(the_plan.set_aside),
        problems=the_plan.problems,
        doc_types=dict(Counter(t for r in results if r.state == "done" for t in r.doc_types)),
    )


def settled(
    paths: Iterable[Path], out: Path, max_attempts: int, with_report: bool = True
) -> Summary | None:
    """The summary of a batch that has nothing to do (every file done, failed, a
    duplicate or set aside, and the report there when one is wanted), read from the
    ledger alone; None when there is work."""
    if not ledger_path(out).exists() or (with_report and not (out / REPORT_HTML).exists()):
        return None
    scratch = state_dir(out) / f"granskat-{uuid.uuid4().hex[:8]}"
    try:
        the_plan = plan(paths, out, scratch, max_attempts=max_attempts, preview=True)
    finally:
        clean_scratch(scratch)
    return None if the_plan.todo else summarize(the_plan, [])


def clean_scratch(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
