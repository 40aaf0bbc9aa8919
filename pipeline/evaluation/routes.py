"""Renderings of a corpus paper for `attsats evaluate`: the routes a paper can reach the reader by.

A rule written against one layout shows up only when the same paper is read through other
producers, so every gold paper is read along each route:

- `txt`: the text as it is;
- `pdf`, `docx`: the project's own typesetter (`pipeline.outputs.typeset`), from the text's
  analysis;
- `render-pdf`, `render-docx`: the independent typesetter `../shared/tools/render.py`, run as a
  subprocess (it writes `OUTDIR/<stem>.pdf` and `OUTDIR/<stem>.docx` in one call);
- `lo-pdf`: LibreOffice printing the `render-docx` file to PDF, as a Word export would.

Renderings are cached under `<cache>/<source sha256>/<route>-<tool fingerprint>/`, so a second
run reads them back; the fingerprint changes with the tool (render.py's bytes, the LibreOffice
installation, the project's own code for its typesetter), never with the time of the run. A
route whose tool is missing is reported as unavailable, not raised.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.office import run_in_group

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
RENDER_TOOL = SHARED / "tools" / "render.py"


@dataclass(frozen=True)
class Route:
    """One way to a rendering: its name, the file suffix it yields and who produces it."""

    name: str
    suffix: str
    producer: str  # "source", "own", "render" or "libreoffice"


ROUTES: dict[str, Route] = {
    r.name: r
    for r in (
        Route("txt", ".txt", "source"),
        Route("pdf", ".pdf", "own"),
        Route("docx", ".docx", "own"),
        Route("render-pdf", ".pdf", "render"),
        Route("render-docx", ".docx", "render"),
        Route("lo-pdf", ".pdf", "libreoffice"),
    )
}
# What `make test` reads every corpus through; the others are the slow routes.
FAST_ROUTES = ("txt",)

# LibreOffice converts a batch per call (its start-up dominates); each batch gets this many
# seconds plus a share per file before it is stopped.
LO_BATCH = 25
LO_TIMEOUT_BASE = 120.0
LO_TIMEOUT_PER_FILE = 20.0
RENDER_TIMEOUT = 120.0


class RenderError(Exception):
    """A rendering that could not be made; the message is for the user (Swedish)."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_routes(spec: str) -> list[str]:
    """`"txt,pdf"` -> ["txt", "pdf"]; `"all"` -> every route. Unknown names raise ValueError."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if names == ["all"]:
        return list(ROUTES)
    unknown = [n for n in names if n not in ROUTES]
    if unknown:
        raise ValueError(f"Okänd väg: {', '.join(unknown)} (kända: {', '.join(ROUTES)})")
    return list(dict.fromkeys(names))


@cache
def code_fingerprint(root: Path = ROOT) -> str:
    """The hash of the project's own code and patterns: the own typesetter's renderings are
    made from an analysis, so any change to the analyzer makes them anew."""
    digest = hashlib.sha256()
    for package in ("pipeline", "extractors"):
        for path in sorted((root / package).rglob("*")):
            if path.suffix in {".py", ".yaml", ".yml"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache() -> Path:
    """`$ATTSATS_RENDER_CACHE`, else the user's cache folder: outside the checkout, shared by
    worktrees (the keys are content hashes, so sharing is safe)."""
    if os.environ.get("ATTSATS_RENDER_CACHE"):
        return Path(os.environ["ATTSATS_RENDER_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "attsats" / "renderings"


class Renderer:
    """Makes and caches the renderings of papers along the routes."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        render_tool: Path = RENDER_TOOL,
        soffice: str | None = None,
        python: str = sys.executable,
        base: Callable[[Path], object] | None = None,
    ) -> None:
        self.cache_dir = cache_dir or default_cache()
        self.render_tool = render_tool
        self.soffice = soffice if soffice is not None else shutil.which("soffice")
        self.python = python
        # The analysis the own typesetter sets from (`pipeline.stages.run.analyze` by default).
        self.base = base
        # Per route: how many renderings were read from the cache and how many were made.
        self.counts: dict[str, dict[str, int]] = {}

    def unavailable(self, route: str) -> str | None:
        """Why a route cannot run here (Swedish), or None when its tools are present."""
        producer = ROUTES[route].producer
        if producer in {"render", "libreoffice"} and not self.render_tool.is_file():
            return f"{route}: hoppas över, typsättaren {self.render_tool} saknas (../shared)"
        if producer == "libreoffice" and not self.soffice:
            return f"{route}: hoppas över, LibreOffice (soffice) finns inte på datorn"
        return None

    def fingerprint(self, route: str) -> str:
        producer = ROUTES[route].producer
        if producer == "own":
            return code_fingerprint()[:12]
        tool = sha256_file(self.render_tool)
        if producer == "libreoffice":
            program = Path(os.path.realpath(self.soffice or "soffice"))
            stamp = f"{program}:{program.stat().st_mtime_ns}" if program.exists() else str(program)
            tool = hashlib.sha256(f"{tool}|{stamp}".encode()).hexdigest()
        return tool[:12]

    def cached_path(self, paper: Path, route: str, sha: str | None = None) -> Path:
        sha = sha or sha256_file(paper)
        folder = self.cache_dir / sha / f"{route}-{self.fingerprint(route)}"
        return folder / f"{paper.stem}{ROUTES[route].suffix}"

    def render(self, papers: Iterable[Path], route: str) -> dict[Path, Path | RenderError]:
        """Each paper's rendering along `route` (a path), or the error that stopped it."""
        papers = list(papers)
        counts = self.counts.setdefault(route, {"cached": 0, "made": 0})
        if ROUTES[route].producer == "source":
            return {p: p for p in papers}
        reason = self.unavailable(route)
        if reason:
            return {p: RenderError(reason) for p in papers}
        result: dict[Path, Path | RenderError] = {}
        todo: list[tuple[Path, Path]] = []
        for paper in papers:
            target = self.cached_path(paper, route)
            if target.is_file():
                result[paper] = target
                counts["cached"] += 1
            else:
                todo.append((paper, target))
        producer = ROUTES[route].producer
        made: dict[Path, Path | RenderError]
        if producer == "own":
            made = {paper: self._own(paper, route, target) for paper, target in todo}
        elif producer == "render":
            made = {paper: self._render_tool(paper, route, target) for paper, target in todo}
        else:
            made = self._libreoffice(todo)
        counts["made"] += sum(1 for v in made.values() if isinstance(v, Path))
        result.update(made)
        return {p: result[p] for p in papers}

    def _own(self, paper: Path, route: str, target: Path) -> Path | RenderError:
        from pipeline.outputs.typeset import typeset  # loaded only when a rendering is asked for

        if self.base is None:
            from pipeline.stages.run import analyze

            self.base = analyze
        try:
            with _staging(target) as tmp:
                fmt = "pdf" if route == "pdf" else "docx"
                typeset(self.base(paper), fmt, tmp / target.name)  # type: ignore[arg-type]
        except Exception as error:  # the typesetter's failure is a result to report
            return RenderError(f"{route}: egen typsättning misslyckades ({error})")
        return target

    def _render_tool(self, paper: Path, route: str, target: Path) -> Path | RenderError:
        """render.py writes both the PDF and the DOCX; both are kept, for either route."""
        with tempfile.TemporaryDirectory(prefix="attsats-render-") as tmp:
            try:
                done = subprocess.run(
                    [self.python, str(self.render_tool), str(paper), tmp],
                    capture_output=True,
                    text=True,
                    timeout=RENDER_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return RenderError(f"{route}: render.py tog mer än {RENDER_TIMEOUT:.0f} s")
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["okänt fel"])[-1]
                return RenderError(f"{route}: render.py misslyckades ({last})")
            sha = sha256_file(paper)
            for other in ("render-pdf", "render-docx"):
                produced = Path(tmp) / f"{paper.stem}{ROUTES[other].suffix}"
                if produced.is_file():
                    _install(produced, self.cached_path(paper, other, sha))
        if not target.is_file():
            return RenderError(f"{route}: render.py skrev ingen {target.suffix}-fil")
        return target

    def _libreoffice(self, todo: list[tuple[Path, Path]]) -> dict[Path, Path | RenderError]:
        """Convert the render.py DOCX files to PDF, a batch of files per soffice call."""
        sources = self.render(dict.fromkeys(paper for paper, _ in todo), "render-docx")
        result: dict[Path, Path | RenderError] = {}
        jobs: list[tuple[Path, Path, Path]] = []
        for paper, target in todo:
            docx = sources[paper]
            if isinstance(docx, RenderError):
                result[paper] = RenderError(f"lo-pdf: ingen DOCX att skriva ut ({docx})")
            else:
                jobs.append((paper, target, docx))
        for start in range(0, len(jobs), LO_BATCH):
            result.update(self._soffice_batch(jobs[start : start + LO_BATCH]))
        return result

    def _soffice_batch(self, jobs: list[tuple[Path, Path, Path]]) -> dict[Path, Path | RenderError]:
        result: dict[Path, Path | RenderError] = {}
        with tempfile.TemporaryDirectory(prefix="attsats-lo-") as tmp:
            inbox, outbox, profile = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "profile")
            inbox.mkdir()
            names = {}
            for n, (paper, _target, docx) in enumerate(jobs):
                # Unique names: two corpora may both hold a d01.
                name = f"{n:04d}"
                shutil.copyfile(docx, inbox / f"{name}.docx")
                names[paper] = name
            command = [
                str(self.soffice),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outbox),
                *(str(inbox / f"{names[paper]}.docx") for paper, _, _ in jobs),
            ]
            timeout = LO_TIMEOUT_BASE + LO_TIMEOUT_PER_FILE * len(jobs)
            returncode, output = run_in_group(command, timeout, home=Path(tmp))
            problem = (
                f"avbröts efter {timeout:.0f} s"
                if returncode is None
                else f"slutkod {returncode}: {output.strip()[-200:]}"
                if returncode
                else "inget fel rapporterat"
            )
            for paper, target, _docx in jobs:
                produced = outbox / f"{names[paper]}.pdf"
                if produced.is_file() and produced.stat().st_size:
                    _install(produced, target)
                    result[paper] = target
                else:
                    result[paper] = RenderError(f"lo-pdf: LibreOffice skrev ingen PDF ({problem})")
        return result


class _staging:
    """A private folder beside `target`; its file replaces `target` atomically on success, so
    a parallel run never reads half a rendering."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.target.parent))
        return self.tmp

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                os.replace(self.tmp / self.target.name, self.target)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _install(produced: Path, target: Path) -> None:
    with _staging(target) as tmp:
        shutil.copyfile(produced, tmp / target.name)
