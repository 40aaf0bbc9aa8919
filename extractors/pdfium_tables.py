"""Ruled tables found from pdfium's path objects, by pdfplumber's table finder.

pdfplumber finds a ruled table from the page's edges (the sides of its lines, boxes and
curves) and reads each cell from the characters inside it; only the interpretation of
the page's content stream, which gives it those edges and characters, is slow. Here the
edges come from pdfium's path objects, shaped as pdfminer shapes them (a two-point path
is a line, a closed axis-aligned four-point path a box, anything else a curve), and the
characters from `extractors.pdfium_chars`; pdfplumber's own `TableFinder` and
`Table.extract` do the rest, so a table reads as it did.

A page this cannot read exactly (content inside form XObjects, a rotated page, a media
box away from the origin) is left to pdfplumber: `page_edges` returns None.
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableFinder

from extractors.pdfium_chars import Char

Point = tuple[float, float]


def page_edges(page) -> tuple[bool, list[dict]] | None:
    """Whether the page has a line or a box (pdfplumber looks for tables only then), and
    the edges of everything it draws; None when pdfplumber must read the page."""
    if page.get_rotation():
        return None
    left, bottom, _, top = page.get_mediabox()
    if left or bottom:
        return None
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    ruled = False
    edges: list[dict] = []
    for k in range(count):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        for ops in subpaths(obj, top):
            shape, found = shaped(ops)
            ruled = ruled or shape in ("line", "rect")
            edges.extend(found)
    return ruled, edges


def subpaths(obj, height: float) -> list[list[tuple[str, Point]]]:
    """The path's subpaths as pdfminer's operators ("m", "l", "c", "h") with their end
    points in page space, y measured from the top of the page."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[tuple[str, Point]] = []
    bezier = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            ops.append(("m", point))
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # a curve's two control points, then its end point
                ops.append(("c", point))
        else:
            ops.append(("l", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            start = next((p for op, p in reversed(ops) if op == "m"), point)
            ops.append(("h", start))
    shape = "".join(op for op, _ in ops)
    return [ops[m.start() : m.end()] for m in re.finditer(r"m[^m]+", shape)]


def shaped(ops: list[tuple[str, Point]]) -> tuple[str, list[dict]]:
    """pdfminer's reading of one subpath (`paint_path`) and pdfplumber's edges of it."""
    shape = "".join(op for op, _ in ops)
    pts = [p for _, p in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        return "line", [edge(*box, "h" if box[1] == box[3] else "v", "line")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            return "rect", [
                edge(left, top, right, top, "h", "rect_edge"),
                edge(left, bottom, right, bottom, "h", "rect_edge"),
                edge(left, top, left, bottom, "v", "rect_edge"),
                edge(right, top, right, bottom, "v", "rect_edge"),
            ]
    return "curve", [
        edge(
            min(p[0], q[0]),
            min(p[1], q[1]),
            max(p[0], q[0]),
            max(p[1], q[1]),
            "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None),
            "curve_edge",
        )
        for p, q in zip(pts, pts[1:], strict=False)
    ]


def edge(x0: float, top: float, x1: float, bottom: float, orientation, kind: str) -> dict:
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


class EdgePage:
    """What pdfplumber's table finder and `Table.extract` read of a page."""

    def __init__(self, edges: list[dict], chars: list[Char], bbox: tuple) -> None:
        self.edges = edges
        self.bbox = bbox
        self.chars = [
            {
                "text": c.text,
                "x0": c.x0,
                "x1": c.x1,
                "top": c.top,
                "bottom": c.bottom,
                "doctop": c.top,
                "upright": True,
                "width": c.x1 - c.x0,
                "height": c.bottom - c.top,
            }
            for c in chars
        ]


def inside(char: Char, bbox: tuple) -> bool:
    """`Table.extract`'s test: the character's centre in the box (right and bottom open)."""
    x0, top, x1, bottom = bbox
    h_mid, v_mid = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def find_tables(edges: list[dict], chars: list[Char], bbox: tuple) -> list[Table]:
    """pdfplumber's `page.find_tables()` (default settings) on these edges and characters.
    Each table reads its cells from the characters inside it only (`Table.extract` looks
    at every character of its page for every row)."""
    found = TableFinder(EdgePage(edges, [], bbox)).tables
    for table in found:
        box = table.bbox
        table.page = EdgePage(edges, [c for c in chars if inside(c, box)], bbox)
    return found
