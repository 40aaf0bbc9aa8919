"""A deterministic archive of papers to measure on: same seed, same files, same bytes.

The papers are the shared corpus (`../shared/corpus/*/*.txt`, read in place, never copied
into the project) and the samples' texts, set as PDF and DOCX by the project's own
typesetter (`pipeline.outputs.typeset`, from the text's analysis, as `attsats evaluate
--routes pdf,docx` does) and by the independent `../shared/tools/render.py`. A bundle is
several papers set as one file (each paper from a new page), up to 40 pages.

Every file of an archive is made unique in its bytes (the ledger of `batch` and `watch`
treats the same bytes under another name as a duplicate and does no work): a PDF gets a
comment line after its end (`%bench <n>`), a DOCX a zip comment, a text a last line of
spaces and tabs. Renderings are cached by content under the cache folder, archives by recipe, so a
rerun only reads them back.

Profiles:
- `mixed`: PDF and DOCX, 1-40 pages, bundles included (the side-by-side runs);
- `small`: single papers of at most two pages as render.py sets them, PDF and DOCX (the inbox);
- `small-txt`: the same papers as text (the memory runs, where N reaches 10,000).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import random
import re
import shutil
import zipfile
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RENDER_TOOL = SHARED / "tools" / "render.py"
SAMPLES = ROOT / "sample_docs"
RECIPE = 3  # raise when the way files are chosen or made changes
PROFILES = ("mixed", "small", "small-txt")
MAX_PAGES = 40
SMALL_PAGES = 2
BUNDLE_SHARE = 0.25
PAGE_MARKER = re.compile(r"^<!--\s*sida\s+\d+\s*-->\s*$", re.MULTILINE)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


@dataclass(frozen=True)
class Paper:
    """One source text: `id` is `<corpus>/<stem>`."""

    id: str
    path: Path
    pages: int  # its pages as render.py sets it (else its `<!-- sida N -->` pages), at least 1


@dataclass(frozen=True)
class Spec:
    """What one archive file is to be, before it is made."""

    index: int
    fmt: str  # pdf, docx or txt
    typesetter: str  # own, render or text
    members: tuple[str, ...]  # paper ids, in order

    @property
    def kind(self) -> str:
        return "bundle" if len(self.members) > 1 else "single"

    @property
    def name(self) -> str:
        stem = self.members[0].split("/")[-1]
        tag = f"bunt{len(self.members)}" if self.kind == "bundle" else self.typesetter
        return f"{self.index:05d}-{stem}-{tag}.{self.fmt}"


@dataclass
class Entry:
    """One made file, as the manifest lists it."""

    name: str
    fmt: str
    kind: str
    typesetter: str
    members: list[str]
    pages: int  # a PDF's page count; a DOCX's: its typesetter's PDF's; a text's: its source's
    size: int
    sha256: str


@dataclass
class Archive:
    folder: Path
    entries: list[Entry]

    def files(self, fmt: str | None = None) -> list[Path]:
        return [self.folder / e.name for e in self.entries if fmt is None or e.fmt == fmt]

    def pages(self, fmt: str | None = None) -> int:
        return sum(e.pages for e in self.entries if fmt is None or e.fmt == fmt)


def papers(
    shared: Path = SHARED, samples: Path = SAMPLES, cache_dir: Path | None = None
) -> list[Paper]:
    """Every source text, sorted by id: the corpus's and the samples'. Its pages are those of
    its rendering by render.py (cached), or without that tool its `<!-- sida N -->` pages."""
    found = sorted((shared / "corpus").glob("*/*.txt")) + sorted(samples.glob("*.txt"))
    result = []
    for path in found:
        corpus = path.parent.name
        text = path.read_text(encoding="utf-8")
        pages = max(1, len(PAGE_MARKER.findall(text)))
        if RENDER_TOOL.is_file():
            pages = pdf_pages(render(text, "pdf", "render", cache_dir or default_cache(), path))
        result.append(Paper(f"{corpus}/{path.stem}", path, pages))
    return sorted(result, key=lambda p: p.id)


def plan(n: int, seed: int, profile: str, sources: list[Paper]) -> list[Spec]:
    """The files of an archive, chosen by a seeded generator: a pure function of its inputs."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
    rng = random.Random(f"attsats-bench:{seed}:{profile}")
    small = [p for p in sources if p.pages <= SMALL_PAGES] or sources
    specs = []
    for index in range(n):
        if profile == "small-txt":
            specs.append(Spec(index, "txt", "text", (rng.choice(small).id,)))
            continue
        if profile == "small":
            fmt = rng.choice(("pdf", "docx"))
            specs.append(Spec(index, fmt, rng.choice(("own", "render")), (rng.choice(small).id,)))
            continue
        if rng.random() < BUNDLE_SHARE:
            wanted = rng.randint(2, 12)
            members: list[Paper] = []
            for paper in rng.sample(sources, len(sources)):
                if len(members) == wanted:
                    break
                if sum(p.pages for p in members) + paper.pages <= MAX_PAGES:
                    members.append(paper)
            fmt = "pdf" if rng.random() < 0.7 else "docx"
            specs.append(Spec(index, fmt, "render", tuple(p.id for p in members)))
        else:
            fmt = "pdf" if rng.random() < 0.6 else "docx"
            typesetter = rng.choice(("own", "render"))
            specs.append(Spec(index, fmt, typesetter, (rng.choice(sources).id,)))
    return specs


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def render_module():
    """`../shared/tools/render.py` loaded in this process (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("attsats_bench_render", RENDER_TOOL)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(RENDER_TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def deterministic_docx(data: bytes) -> bytes:
    """A DOCX with fixed zip times and document dates: python-docx stamps the time of saving."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = CORE_DATES.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", body)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.external_attr = item.external_attr
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def unique_bytes(data: bytes, fmt: str, index: int) -> bytes:
    """The same paper with bytes of its own: nothing a reader shows changes."""
    mark = f"bench {index:05d}"
    if fmt == "pdf":
        return data + f"\n%{mark}\n".encode()
    if fmt == "docx":
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a") as zf:
            zf.comment = mark.encode()
        return out.getvalue()
    # A text has nowhere to hide a mark: the index in binary as spaces and tabs on a last
    # line of its own, which every reader drops as blank.
    bits = "".join(" " if b == "0" else "\t" for b in f"{index:020b}")
    return data + f"\n{bits}\n".encode()


def tool_hash(typesetter: str) -> str:
    """What a rendering depends on besides its text: the typesetter's own code."""
    digest = hashlib.sha256(str(RECIPE).encode())
    if typesetter == "render":
        digest.update(RENDER_TOOL.read_bytes())
    elif typesetter == "own":
        for path in sorted((ROOT / "pipeline" / "outputs" / "typeset").glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def bundle_text(texts: list[str]) -> str:
    """Papers one after the other, each from a new page."""
    return "\n<!-- sida 1 -->\n".join(texts)


def render(text: str, fmt: str, typesetter: str, cache_dir: Path, source: Path) -> bytes:
    """The rendering of `text`, from the cache or made now (and cached)."""
    if typesetter == "text":
        return text.encode("utf-8")
    key = sha256_bytes(text.encode("utf-8"))[:24]
    target = cache_dir / "renderings" / f"{typesetter}-{tool_hash(typesetter)}" / f"{key}.{fmt}"
    if target.is_file():
        return target.read_bytes()
    import reportlab.rl_config

    reportlab.rl_config.invariant = 1  # no time stamps or random ids in the PDFs
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if typesetter == "render":
        module = render_module()
        pages = module.pages(text)
        (module.to_pdf if fmt == "pdf" else module.to_docx)(pages, scratch)
    else:
        from pipeline.outputs.typeset import typeset
        from pipeline.stages.run import analyze

        typeset(analyze(source), fmt, scratch)  # type: ignore[arg-type]
    data = scratch.read_bytes()
    if fmt == "docx":
        data = deterministic_docx(data)
    scratch.write_bytes(data)
    scratch.replace(target)
    return data


def pdf_pages(data: bytes) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def make(spec: Spec, by_id: dict[str, Paper], cache_dir: Path) -> tuple[bytes, int, list[str]]:
    """The bytes of one archive file, its pages and its papers. A DOCX has the pages of the
    same typesetter's PDF of it; a bundle that comes out longer than 40 pages loses papers
    from its end until it fits."""
    members = [by_id[m] for m in spec.members]
    while True:
        text = bundle_text([p.path.read_text(encoding="utf-8") for p in members])
        data = render(text, spec.fmt, spec.typesetter, cache_dir, members[0].path)
        pdf = (
            data
            if spec.fmt == "pdf"
            else render(text, "pdf", spec.typesetter, cache_dir, members[0].path)
        )
        pages = pdf_pages(pdf) if spec.fmt != "txt" else sum(p.pages for p in members)
        if pages <= MAX_PAGES or len(members) == 1:
            break
        members = members[:-1]
    return unique_bytes(data, spec.fmt, spec.index), pages, [p.id for p in members]


def archive_key(n: int, seed: int, profile: str, sources: list[Paper]) -> str:
    digest = hashlib.sha256(f"{RECIPE}:{n}:{seed}:{profile}".encode())
    for paper in sources:
        digest.update(paper.id.encode())
        digest.update(paper.path.read_bytes())
    for typesetter in ("own", "render"):
        digest.update(tool_hash(typesetter).encode())
    return digest.hexdigest()[:12]


def default_cache() -> Path:
    if os.environ.get("ATTSATS_BENCH_CACHE"):
        return Path(os.environ["ATTSATS_BENCH_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "attsats" / "bench"


def build(
    n: int,
    seed: int = 15,
    profile: str = "mixed",
    cache_dir: Path | None = None,
    sources: list[Paper] | None = None,
) -> Archive:
    """The archive of `n` files, read back from the cache when it was made before."""
    cache_dir = cache_dir or default_cache()
    sources = sources if sources is not None else papers(cache_dir=cache_dir)
    if not sources:
        raise FileNotFoundError(f"no source texts (looked in {SHARED / 'corpus'} and {SAMPLES})")
    folder = (
        cache_dir / "archives" / f"{profile}-n{n}-s{seed}-{archive_key(n, seed, profile, sources)}"
    )
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return Archive(folder / "files", [Entry(**e) for e in data["entries"]])
    by_id = {p.id: p for p in sources}
    staging = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "files").mkdir(parents=True)
    entries = []
    for spec in plan(n, seed, profile, sources):
        data, pages, members = make(spec, by_id, cache_dir)
        (staging / "files" / spec.name).write_bytes(data)
        entries.append(
            Entry(
                spec.name,
                spec.fmt,
                "bundle" if len(members) > 1 else "single",
                spec.typesetter,
                members,
                pages,
                len(data),
                sha256_bytes(data),
            )
        )
    record = {"n": n, "seed": seed, "profile": profile, "entries": [asdict(e) for e in entries]}
    (staging / "manifest.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)
    return Archive(folder / "files", entries)


def describe(archive: Archive) -> dict[str, object]:
    """Counts for the report: files by format and kind, pages, the page range."""
    pages = [e.pages for e in archive.entries]
    return {
        "files": len(archive.entries),
        "pdf": sum(e.fmt == "pdf" for e in archive.entries),
        "docx": sum(e.fmt == "docx" for e in archive.entries),
        "txt": sum(e.fmt == "txt" for e in archive.entries),
        "bundles": sum(e.kind == "bundle" for e in archive.entries),
        "pages": sum(pages),
        "pdf_pages": archive.pages("pdf"),
        "min_pages": min(pages, default=0),
        "max_pages": max(pages, default=0),
        "folder": str(archive.folder),
    }
