"""Scans: a PDF without a text layer read by OCR (Tesseract with its Swedish model).

pypdfium2 renders each page to an image; Tesseract (`tesseract-ocr-swe`) gives its words
with their positions and confidences (TSV). The words become printed lines, the lines
paragraphs by the same joining as the text and PDF backends (`extractors.lines`), and
running headers and footers are set apart by repetition (`extractors.furniture`). The
document is marked `ocr` with each page's confidence. Tesseract runs one page at a time,
single-threaded, with a time limit per page.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extractors.furniture import furniture_lines
from extractors.lines import Line, normalize_space, wrapped_paragraphs
from pipeline.document import Document, OcrPage, Paragraph, Section
from pipeline.errors import AttsatsError, record

DPI = 300
LANGUAGE = "swe"
SECTION_LANGUAGE = "eng"  # has "§", which the Swedish model lacks
PAGE_TIMEOUT_SECONDS = 120
MAX_PAGES = 300
MAX_PIXELS = 60_000_000  # a page rendered larger than this (about A2 at 300 dpi) is scaled down
PARAGRAPH_GAP = 1.5  # a gap this many times the usual line spacing ends a paragraph
LOW_CONFIDENCE = 0.6  # below this mean word confidence the page gets a warning of its own


@dataclass
class OcrLine:
    text: str
    top: int
    bottom: int
    left: int
    right: int
    paragraph: tuple[int, int]  # Tesseract's (block, paragraph)


@dataclass
class OcrResult:
    lines: list[OcrLine]
    confidence: float
    words: int


def installed_languages() -> list[str]:
    """The models Tesseract has; empty when it is not installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return []
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return listed.stdout.split()


def available() -> bool:
    """Tesseract with the Swedish model is installed."""
    return LANGUAGE in installed_languages()


def words_of(tsv: str) -> list[dict[str, str]]:
    """Tesseract's recognised words (level 5 rows with a confidence and some text)."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        row["text"] = (row.get("text") or "").strip()
        if row.get("level") == "5" and row["text"] and float(row["conf"]) >= 0:
            words.append(row)
    return words


def lines_of(words: list[dict[str, str]]) -> OcrResult:
    """Words as lines top to bottom, with the mean word confidence."""
    grouped: dict[tuple[int, int, int], list[dict[str, str]]] = {}
    for word in words:
        key = (int(word["block_num"]), int(word["par_num"]), int(word["line_num"]))
        grouped.setdefault(key, []).append(word)
    lines = []
    for (block, par, _), members in grouped.items():
        members.sort(key=lambda w: int(w["left"]))
        lines.append(
            OcrLine(
                text=normalize_space(" ".join(w["text"] for w in members)),
                top=min(int(w["top"]) for w in members),
                bottom=max(int(w["top"]) + int(w["height"]) for w in members),
                left=min(int(w["left"]) for w in members),
                right=max(int(w["left"]) + int(w["width"]) for w in members),
                paragraph=(block, par),
            )
        )
    lines.sort(key=lambda line: (line.top, line.left))
    confidences = [float(w["conf"]) / 100 for w in words]
    confidence = statistics.fmean(confidences) if confidences else 0.0
    return OcrResult(lines=lines, confidence=confidence, words=len(confidences))


def read_tsv(tsv: str) -> OcrResult:
    return lines_of(words_of(tsv))


def suspects(words: list[dict[str, str]]) -> list[dict[str, str]]:
    """One-character words before a number on the same line: where a "§" stands in a
    Swedish paper ("§ 11", "§ 170"), which the Swedish model cannot output (its character
    set lacks it) and reads as "&", "8" or "S"."""
    found = []
    for word, after in zip(words, words[1:], strict=False):
        same_line = all(word[k] == after[k] for k in ("block_num", "par_num", "line_num"))
        if same_line and len(word["text"]) == 1 and after["text"][:1].isdigit():
            found.append(word)
    return found


def overlap(a: dict[str, str], b: dict[str, str]) -> float:
    """How much of word `a`'s box `b`'s box covers."""
    ax, ay, aw, ah = (int(a[k]) for k in ("left", "top", "width", "height"))
    bx, by, bw, bh = (int(b[k]) for k in ("left", "top", "width", "height"))
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    return max(0, w) * max(0, h) / max(1, aw * ah)


def tesseract(image_path: Path, language: str, timeout: float) -> str:
    """Tesseract's TSV for one page image; raises E112 on failure or timeout."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", str(image_path), "stdout", "-l", language, "--dpi", str(DPI), "tsv"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AttsatsError("E112", detail=f"en sida tog mer än {timeout:.0f} sekunder") from exc
    except OSError as exc:
        raise AttsatsError("E112", detail=str(exc)[:200]) from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = said[-1] if said else f"slutkod {done.returncode}"
        raise AttsatsError("E112", detail=detail[:200])
    return done.stdout.decode("utf-8", "replace")


def recognise(image_path: Path, timeout: float | None = None) -> OcrResult:
    """One page image through Tesseract's Swedish model. Where a "§" may have been misread
    (`suspects`), the page is read once more with the English model, which has the sign,
    and its reading is taken for those words only."""
    timeout = timeout or PAGE_TIMEOUT_SECONDS
    words = words_of(tesseract(image_path, LANGUAGE, timeout))
    doubtful = suspects(words)
    if doubtful and SECTION_LANGUAGE in installed_languages():
        second = words_of(tesseract(image_path, SECTION_LANGUAGE, timeout))
        signs = [w for w in second if w["text"].startswith("§")]
        for word in doubtful:
            if any(overlap(word, sign) > 0.5 for sign in signs):
                word["text"] = "§"
    return lines_of(words)


def render_pages(data: bytes, folder: Path, only: set[int] | None = None) -> list[Path]:
    """Each page (or those numbered in `only`) as a grey-scale PNG at `DPI`, scaled down
    when it would be huge."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise AttsatsError("E104", fmt="PDF", detail=str(exc)[:200]) from exc
    try:
        count = len(only) if only is not None else len(pdf)
        if count > MAX_PAGES:
            raise AttsatsError(
                "E110", detail=f"{count} inskannade sidor, gränsen för OCR är {MAX_PAGES}"
            )
        paths = []
        for number, page in enumerate(pdf, start=1):
            if only is not None and number not in only:
                continue
            width, height = page.get_size()
            scale = DPI / 72
            pixels = width * scale * height * scale
            if pixels > MAX_PIXELS:
                scale *= (MAX_PIXELS / pixels) ** 0.5
            image = page.render(scale=scale, grayscale=True).to_pil()
            path = folder / f"sida-{number:04d}.png"
            image.save(path)
            paths.append(path)
        return paths
    finally:
        pdf.close()


def page_paragraphs(
    pages: list[list[OcrLine]], page_numbers: list[int]
) -> tuple[list[Paragraph], list[Paragraph]]:
    """Body paragraphs and furniture from every page's lines."""
    furniture = furniture_lines([[line.text for line in lines] for lines in pages])
    heights = [line.bottom - line.top for lines in pages for line in lines]
    height = statistics.median(heights) if heights else 0
    spacings = sorted(
        b.top - a.top
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if b.top - a.top >= 0.5 * height
    )
    # The line spacing inside a paragraph: the lower quartile of the spacings (paragraphs
    # are further apart; a page of one-line paragraphs would fool the median), at most
    # 1.5 line heights (a page of a few lines has too few spacings to tell).
    quartile = spacings[len(spacings) // 4] if spacings else 1.5 * height
    leading = min(quartile, 1.5 * height)
    widths = sorted(line.right - line.left for lines in pages for line in lines)
    wrap_width = widths[int(0.9 * (len(widths) - 1))] if widths else None
    body: list[Line] = []
    kept: list[Paragraph] = []
    for page_index, (lines, number) in enumerate(zip(pages, page_numbers, strict=True)):
        previous: OcrLine | None = None
        for i, line in enumerate(lines):
            if (page_index, i) in furniture:
                kept.append(Paragraph(text=line.text, page=number, index=len(kept)))
                continue
            # Vertical space alone ends a paragraph: Tesseract's own paragraphs split
            # running text at random.
            gap = previous is None or line.top - previous.top > PARAGRAPH_GAP * leading
            body.append(
                Line(text=line.text, page=number, gap_before=gap, width=line.right - line.left)
            )
            previous = line
    paragraphs = wrapped_paragraphs(body, wrap_width)
    for index, paragraph in enumerate(paragraphs):
        paragraph.index = index
    return paragraphs, kept


def extract(data: bytes, doc: Document) -> None:
    """Fill `doc` from the page images; E106 when no OCR is installed, E112 when it fails."""
    if not available():
        raise AttsatsError("E106")
    with tempfile.TemporaryDirectory(prefix="attsats-ocr-") as scratch:
        images = render_pages(data, Path(scratch))
        results = [recognise(path) for path in images]
    numbers = list(range(1, len(results) + 1))
    doc.source.pages = len(results)
    doc.ocr = True
    doc.ocr_pages = [
        OcrPage(page=n, confidence=round(r.confidence, 3), words=r.words)
        for n, r in zip(numbers, results, strict=True)
    ]
    if not any(r.lines for r in results):
        raise AttsatsError("E112", detail="ingen text kunde tolkas på sidorna")
    paragraphs, furniture = page_paragraphs([r.lines for r in results], numbers)
    doc.furniture = furniture
    doc.sections = [Section(heading=None, level=0, paragraphs=paragraphs)]
    words = sum(r.words for r in results)
    mean = sum(r.confidence * r.words for r in results) / max(1, words)
    record(doc, "W106", confidence=round(100 * mean))


def fill_missing_pages(data: bytes, doc: Document) -> None:
    """A PDF with text whose pages without a text layer (W103: a scanned signature page, an
    appendix) are OCR-read and put in their place; a page OCR finds nothing on keeps its
    warning. Does nothing without Tesseract."""
    missing = sorted({w.page for w in doc.warnings if w.code == "W103" and w.page})
    if not missing or not available():
        return
    with tempfile.TemporaryDirectory(prefix="attsats-ocr-") as scratch:
        images = render_pages(data, Path(scratch), set(missing))
        results = dict(zip(missing, (recognise(path) for path in images), strict=True))
    read = [n for n, r in results.items() if r.lines]
    if not read:
        return
    paragraphs = doc.paragraphs()
    for number in read:
        found, _ = page_paragraphs([results[number].lines], [number])
        at = next((i for i, p in enumerate(paragraphs) if (p.page or 0) > number), None)
        at = len(paragraphs) if at is None else at
        paragraphs[at:at] = found
    for index, paragraph in enumerate(paragraphs):
        paragraph.index = index
    doc.sections = [Section(heading=None, level=0, paragraphs=paragraphs)]
    doc.ocr = True
    doc.ocr_pages = [
        OcrPage(page=n, confidence=round(results[n].confidence, 3), words=results[n].words)
        for n in read
    ]
    doc.warnings = [w for w in doc.warnings if not (w.code == "W103" and w.page in read)]
    if doc.status == "partial" and not any(w.code == "W103" for w in doc.warnings):
        doc.status = "ok"
    words = sum(results[n].words for n in read)
    mean = sum(results[n].confidence * results[n].words for n in read) / max(1, words)
    record(doc, "W106", confidence=round(100 * mean))
