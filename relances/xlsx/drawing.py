"""Where pictures, shapes, charts and notes sit on a sheet, and how they follow rows.

Drawing anchors count rows from 0; notes' shapes live in the legacy VML part, which
Excel writes in a loose HTML-like XML: it is edited as text, number by number, never
parsed and written back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from relances.xlsx.xml import CHART, DRAWING, REL, XDR, local, q

if TYPE_CHECKING:
    from lxml.etree import _Element

    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

_ANCHORS = ("twoCellAnchor", "oneCellAnchor")
_CLIENT_DATA = re.compile(rb"(<(\w+:)?ClientData\b.*?</\2?ClientData>)", re.S)
_ANCHOR = re.compile(rb"(<(\w+:)?Anchor>)([^<]*)(</\2?Anchor>)")
_ROW = re.compile(rb"(<(\w+:)?Row>)\s*([0-9]+)\s*(</\2?Row>)")


def anchors(root: _Element) -> list[_Element]:
    """The anchored objects of a drawing part (absolute anchors do not follow cells)."""
    return [a for a in root if local(a) in _ANCHORS]


def anchor_rows(anchor: _Element) -> tuple[int, int]:
    """The first and last sheet rows (1-based) an object covers."""
    rows = []
    for end in ("from", "to"):
        row = anchor.find(f"{q(XDR, end)}/{q(XDR, 'row')}")
        if row is not None and (row.text or "").strip().isdigit():
            rows.append(int(row.text) + 1)
    return (rows[0], rows[-1]) if rows else (0, 0)


def move_anchors(root: _Element, new_row: Callable[[int], int]) -> bool:
    """Move every anchor's rows (1-based in, 1-based out); True when one moved."""
    moved = False
    for anchor in anchors(root):
        for end in ("from", "to"):
            row = anchor.find(f"{q(XDR, end)}/{q(XDR, 'row')}")
            if row is None or not (row.text or "").strip().isdigit():
                continue
            target = new_row(int(row.text) + 1) - 1
            if target != int(row.text):
                row.text = str(target)
                moved = True
    return moved


def move_note_shapes(vml: bytes, new_row: Callable[[int], int]) -> bytes:
    """The VML of notes with each shape's row moved (1-based in and out). `new_row` is
    asked for the note's own cell row; the shape's box moves by the same amount."""

    def shape(match: re.Match[bytes]) -> bytes:
        block = match.group(1)
        row = _ROW.search(block)
        if row is None:
            return block
        old = int(row.group(3))
        delta = new_row(old + 1) - 1 - old
        if delta == 0:
            return block
        block = _ROW.sub(lambda m: m.group(1) + str(int(m.group(3)) + delta).encode()
                         + m.group(4), block, count=1)
        return _ANCHOR.sub(lambda m: m.group(1) + _move_box(m.group(3), delta)
                           + m.group(4), block, count=1)

    return _CLIENT_DATA.sub(shape, vml)


def _move_box(numbers: bytes, delta: int) -> bytes:
    """An Anchor's "col, dx, row, dy, col, dx, row, dy": both rows move by delta."""
    parts = numbers.split(b",")
    if len(parts) != 8:
        return numbers
    for index in (2, 6):
        value = parts[index].strip()
        if value.isdigit():
            parts[index] = parts[index].replace(value, str(max(int(value) + delta, 0))
                                                .encode())
    return b",".join(parts)


DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
EMU_PER_CM = 360000
_CHART_PARTS = ("chartStyle", "chartColorStyle")
"""Parts Excel adds beside a chart it edited: they go when the chart goes."""


def sheet_drawing(book: Book, sheet: Sheet) -> str:
    """The drawing part of a sheet, made (empty) when the sheet has none."""
    part = book.part_of(sheet)
    found = book.related(part, "drawing")
    if found:
        return found[0]
    drawing = book.package.free_name("xl/drawings/drawing{}.xml")
    root = etree.Element(q(XDR, "wsDr"), nsmap={"xdr": XDR, "a": DRAWING})
    book.package.changed(drawing, root)
    book.package.declare(drawing, DRAWING_TYPE)
    rid = book.package.rels(part).add(f"{REL}/drawing", drawing)
    sheet.add("drawing", **{q(REL, "id"): rid})
    return drawing


def chart_title(root: _Element) -> str:
    """The text of a chart's own title."""
    title = root.find(f".//{q(CHART, 'title')}")
    if title is None:
        return ""
    return "".join(t.text or "" for t in title.iter(q(DRAWING, "t")))


def remove_charts(book: Book, drawing: str, owned: Callable[[_Element, _Element], bool]) -> None:
    """Take out the charts `owned(anchor, chart root)` accepts, with their parts; every
    other object of the drawing stays as it is."""
    root = book.package.xml(drawing)
    rels = book.package.rels(drawing)
    for anchor in anchors(root):
        reference = anchor.find(f".//{q(CHART, 'chart')}")
        if reference is None:
            continue
        rid = reference.get(q(REL, "id"), "")
        relation = rels.by_id(rid)
        part = rels.target(relation) if relation is not None else None
        if part is None or not book.package.has(part):
            continue
        if not owned(anchor, book.package.xml(part)):
            continue
        root.remove(anchor)
        rels.remove(rid)
        _remove_part(book, part)
        book.package.changed(drawing)


def _remove_part(book: Book, part: str) -> None:
    own = book.package.rels(part)
    for kind in _CHART_PARTS:
        for _, target in own.of_type(kind):
            book.package.remove(target)
            book.package.undeclare(target)
    if book.package.has(own.part):
        book.package.remove(own.part)
    book.package.remove(part)
    book.package.undeclare(part)


def add_chart(book: Book, drawing: str, chart: bytes, name: str, mark: str,
              column: int, row: int, width_cm: float, height_cm: float) -> None:
    """A chart part, drawn from cell (row, column) (1-based) at a fixed size; `mark`
    goes into its description, so the next run knows the chart is its own."""
    part = book.package.free_name("xl/charts/chart{}.xml")
    book.package.put(part, chart)
    book.package.declare(part, CHART_TYPE)
    rid = book.package.rels(drawing).add(f"{REL}/chart", part)
    root = book.package.xml(drawing)
    used = [int(e.get("id", "0")) for e in root.iter(q(XDR, "cNvPr"))
            if (e.get("id") or "").isdigit()]
    anchor = etree.SubElement(root, q(XDR, "oneCellAnchor"))
    start = etree.SubElement(anchor, q(XDR, "from"))
    for tag, value in (("col", column - 1), ("colOff", 0), ("row", row - 1), ("rowOff", 0)):
        etree.SubElement(start, q(XDR, tag)).text = str(value)
    etree.SubElement(anchor, q(XDR, "ext"), cx=str(round(width_cm * EMU_PER_CM)),
                     cy=str(round(height_cm * EMU_PER_CM)))
    frame = etree.SubElement(anchor, q(XDR, "graphicFrame"), macro="")
    properties = etree.SubElement(frame, q(XDR, "nvGraphicFramePr"))
    etree.SubElement(properties, q(XDR, "cNvPr"), id=str(max(used, default=1) + 1),
                     name=name, descr=mark)
    etree.SubElement(properties, q(XDR, "cNvGraphicFramePr"))
    transform = etree.SubElement(frame, q(XDR, "xfrm"))
    etree.SubElement(transform, q(DRAWING, "off"), x="0", y="0")
    etree.SubElement(transform, q(DRAWING, "ext"), cx="0", cy="0")
    graphic = etree.SubElement(etree.SubElement(frame, q(DRAWING, "graphic")),
                               q(DRAWING, "graphicData"), uri=CHART)
    etree.SubElement(graphic, q(CHART, "chart"), {q(REL, "id"): rid},
                     nsmap={"c": CHART, "r": REL})
    etree.SubElement(anchor, q(XDR, "clientData"))
    book.package.changed(drawing)


def description(anchor: _Element) -> str:
    properties = anchor.find(f".//{q(XDR, 'cNvPr')}")
    return "" if properties is None else properties.get("descr", "")
