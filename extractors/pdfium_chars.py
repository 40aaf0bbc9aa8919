"""A PDF page's characters and words read with pdfium, shaped as pdfplumber gives them.

pdfplumber (pdfminer) interprets every content stream in Python, which costs more than all
the reading after it; pdfium does the same in C. This module asks pdfium for what the PDF
reader needs of each character (its text, origin, advance, font size and name, whether it
is upright) and groups characters into words by pdfplumber's rules (`extract_words` with
x and y tolerance 3: a word ends at a blank, a gap wider than 3 points, a step back, or
a change of font or size), so the rest of the reader sees the same words and positions.
Boxes follow pdfminer's: from the font's descent to one font size above it, as wide as
the glyph's advance; `top` and `bottom` are measured from the top of the page.

Three ctypes calls per character (its text object, its text, its origin); what is the
same for a whole text object (font, size, matrix) or for a font's glyph (its advance) is
asked once per page. Positions are kept on a 1/1024 pt grid. pdfium keeps a font's
advances in whole thousandths of an em, so a line set in a font with fractional widths
can end a fraction of a point short of where pdfminer puts it.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from itertools import groupby

import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS

X_TOLERANCE = 3.0  # pdfplumber's default: a gap wider than this (points) ends a word
Y_TOLERANCE = 3.0  # ... and tops further apart than this are different lines

# pdfplumber spells out ligatures (`expand_ligatures`); so do we.
LIGATURES = {
    "\ufb00": "ff",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb06": "st",
    "\ufb05": "st",
}


# pdfium's stand-ins, as pdfminer reads them: a hyphen pdfium took for a line-end
# hyphenation, and a glyph with no text (pdfminer: NUL).
UNICODE = {0xFFFE: "-", 0x0002: "-", 0: "\x00"}
GRID = 1024.0  # positions are kept in 1/1024 pt: far finer than any producer prints


def snap(value: float) -> float:
    """A position on a binary grid, so that equal spacings subtract to equal numbers (two
    lines 14 pt apart are exactly 14 pt apart, not 14 pt and a rounding error)."""
    return round(value * GRID) / GRID


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str


@dataclass(slots=True)
class Run:
    """What pdfium says once per text object: its font, size, and whether it is upright;
    `widths` are the advances of the font at that size, shared by its text objects."""

    font: object
    fontname: str
    size: float
    descent: float
    upright: bool
    widths: dict[str, float]


class PageReader:
    """Reusable ctypes buffers for reading the characters of a document's pages, and the
    fonts' names and advances (asked again on each page: a font handle lives no longer
    than the pages that use it)."""

    def __init__(self) -> None:
        self._x = ctypes.c_double()
        self._y = ctypes.c_double()
        self._px = ctypes.byref(self._x)
        self._py = ctypes.byref(self._y)
        self._width = ctypes.c_float()
        self._pwidth = ctypes.byref(self._width)
        self._matrix = pdfium_c.FS_MATRIX()
        self._box = pdfium_c.FS_RECTF()
        self._names: dict[int, str] = {}
        self._widths: dict[tuple[int, float], dict[str, float]] = {}

    def fontname(self, font, key: int) -> str:
        name = self._names.get(key)
        if name is None:
            size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(max(size, 1))
            if size:
                pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
            name = buffer.value.decode("utf-8", "replace")
            self._names[key] = name
        return name

    def run(self, textpage, index: int, obj) -> Run:
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        size = snap(pdfium_c.FPDFText_GetFontSize(textpage, index))
        descent = ctypes.c_float()
        font_key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if not font or not pdfium_c.FPDFFont_GetDescent(font, size, ctypes.byref(descent)):
            descent.value = 0.0
        fontname = self.fontname(font, font_key) if font else ""
        if fontname in FONT_METRICS and not pdfium_c.FPDFFont_GetIsEmbedded(font):
            # A standard font the file leaves to the reader: pdfminer measures it by the
            # font's published metrics, pdfium by the font it substitutes.
            descent.value = float(FONT_METRICS[fontname][0]["Descent"]) * size / 1000
        pdfium_c.FPDFText_GetMatrix(textpage, index, self._matrix)
        m = self._matrix
        return Run(
            font=font,
            fontname=fontname,
            size=size,
            descent=min(descent.value, 0.0),
            upright=m.a * m.d > 0 and m.b * m.c <= 0,
            widths=self._widths.setdefault((font_key, size), {}),
        )

    def advance(self, run: Run, text: str, textpage, index: int) -> float:
        """The glyph's advance, as pdfminer measures a character's width; the box's width
        when the text does not lead back to one glyph."""
        width = 0.0
        if (
            run.font
            and len(text) == 1
            and pdfium_c.FPDFFont_GetGlyphWidth(run.font, ord(text), run.size, self._pwidth)
        ):
            width = self._width.value
        if width <= 0.0:
            pdfium_c.FPDFText_GetLooseCharBox(textpage, index, self._box)
            return max(self._box.right - self._box.left, 0.0)  # this glyph's: not cached
        run.widths[text] = width
        return width

    def chars(self, page) -> tuple[list[Char], bool]:
        """The page's upright characters in content order, blanks included (they end
        words), pdfium's generated spaces and line breaks left out; and whether the page
        has a text layer (any character that is not blank, upright or not)."""
        self._names.clear()
        self._widths.clear()
        textpage = page.get_textpage()
        try:
            count = pdfium_c.FPDFText_CountChars(textpage.raw)
            if count <= 0:
                return [], False
            has_text = bool(textpage.get_text_range().strip())
            return self._chars(textpage.raw, page, count), has_text
        finally:
            textpage.close()

    def _chars(self, textpage, page, count: int) -> list[Char]:
        top = page.get_mediabox()[3]
        handle = ctypes.cast(textpage, ctypes.c_void_p).value
        get_object, get_unicode, get_origin = _GET_OBJECT, _GET_UNICODE, _GET_ORIGIN
        px, py, x, y = self._px, self._py, self._x, self._y
        runs: dict[int, Run | None] = {}
        out: list[Char] = []
        append = out.append
        obj_key = run = widths = None
        size = descent = 0.0
        fontname = ""
        last_key, last_index, last_y = None, -1, None
        char_top = char_bottom = 0.0
        for index in range(count):
            key = get_object(handle, index)
            if key != obj_key:
                if not key:  # generated by pdfium: a space or a line break it inferred
                    continue
                obj_key = key
                run = runs.get(key, False)
                if run is False:
                    run = self.run(textpage, index, ctypes.cast(key, pdfium_c.FPDF_PAGEOBJECT))
                    run = run if run.upright else None
                    runs[key] = run
                if run is not None:
                    widths, size, descent, fontname = (
                        run.widths,
                        run.size,
                        run.descent,
                        run.fontname,
                    )
                    last_y = None
            if run is None:
                continue
            code = get_unicode(handle, index)
            char = chr(code) if 32 <= code < 0xFFFE else UNICODE.get(code) or chr(code)
            get_origin(handle, index, px, py)
            x0 = round(x.value * GRID) / GRID
            if key == last_key and x0 == out[-1].x0:
                # One glyph, several characters (a ligature "fi"): pdfplumber keeps them
                # as one character as wide as the glyph.
                previous = out[-1]
                previous.text += char
                pdfium_c.FPDFText_GetLooseCharBox(textpage, last_index, self._box)
                previous.x1 = max(previous.x1, snap(self._box.right))
                continue
            last_key, last_index = key, index
            if y.value != last_y:
                last_y = y.value
                base = top - last_y - descent
                char_top = round((base - size) * GRID) / GRID
                char_bottom = round(base * GRID) / GRID
            width = widths.get(char)
            if width is None:
                width = self.advance(run, char, textpage, index)
            append(
                Char(
                    char,
                    x0,
                    round((x.value + width) * GRID) / GRID,
                    char_top,
                    char_bottom,
                    size,
                    fontname,
                )
            )
        return out


def _prototype(function, restype, *argtypes):
    """A pdfium function called with plain integers for handles: pypdfium2's typed
    pointers cost a conversion per call, which the per-character loop cannot afford."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_GET_OBJECT = _prototype(
    pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int
)
_GET_UNICODE = _prototype(
    pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int
)
_GET_ORIGIN = _prototype(
    pdfium_c.FPDFText_GetCharOrigin,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_double),
    ctypes.POINTER(ctypes.c_double),
)


def words(chars: list[Char]) -> list[dict]:
    """pdfplumber's `extract_words(extra_attrs=["size", "fontname"])` on these characters:
    runs of one font and size, each cut into lines (tops within the y tolerance, chained),
    each line read left to right into words. A word also keeps the width of its first
    character (`lead`)."""
    found: list[dict] = []
    append = found.append
    for _, run in groupby(chars, key=lambda c: (c.size, c.fontname)):
        for line in lines_of(list(run)):
            word: list[Char] = []
            last = None
            for char in line:
                if char.text.isspace():
                    if word:
                        append(merged(word))
                    word, last = [], None
                    continue
                if last is not None and (
                    char.x0 < last.x0
                    or char.x0 > last.x1 + X_TOLERANCE
                    or abs(char.top - last.top) > Y_TOLERANCE
                ):
                    append(merged(word))
                    word = []
                word.append(char)
                last = char
            if word:
                append(merged(word))
    return found


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """pdfplumber's `cluster_objects` on `top`: distinct tops sorted and chained while
    each is within the tolerance of the one before; each line sorted by x0 (stable)."""
    tops = sorted({c.top for c in chars})
    cluster: dict[float, int] = {}
    k, last = 0, None
    for value in tops:
        if last is not None and value > last + Y_TOLERANCE:
            k += 1
        cluster[value] = k
        last = value
    lines: list[list[Char]] = [[] for _ in range(k + 1)]
    for c in chars:
        lines[cluster[c.top]].append(c)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def merged(chars: list[Char]) -> dict:
    first = chars[0]
    x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom
    for c in chars:
        x0 = c.x0 if c.x0 < x0 else x0
        x1 = c.x1 if c.x1 > x1 else x1
        top = c.top if c.top < top else top
        bottom = c.bottom if c.bottom > bottom else bottom
    text = "".join([c.text for c in chars])
    if not text.isascii():
        text = "".join([LIGATURES.get(c.text, c.text) for c in chars])
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "size": first.size,
        "fontname": first.fontname,
        "lead": first.x1 - first.x0,
    }


def drawn(page) -> tuple[bool, bool]:
    """Whether anything is drawn on the page, and whether any of it is a path (a ruling
    line or a box: only then can the page hold a ruled table)."""
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    return count > 0, any(
        kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
        for kind in (
            pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, k))
            for k in range(count)
        )
    )
