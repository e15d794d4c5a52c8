"""What follows when rows are inserted or sorted, everywhere in the package.

A row insertion moves, as Excel moves them: the rows below, references in every
formula of every sheet, defined names and chart series, merged cells, hyperlinks,
validation and conditional-format ranges (main and x14), filters, Tables, notes and
threaded comments with their shapes, pictures, and the source of pivot caches. A sort
moves whole rows with what belongs to their cells; what cannot follow (a merge across
rows, an object drawn over the rows) is reported before anything moves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lxml import etree

from relances.xlsx.drawing import anchor_rows, anchors, move_anchors, move_note_shapes
from relances.xlsx.references import (
    Insertion,
    follow_rows,
    move_sqref,
    ranges_of,
    shift_formula,
    shift_range,
    shift_sqref,
    split_cell,
    translate_formula,
)
from relances.xlsx.xml import local, q

if TYPE_CHECKING:
    from lxml.etree import _Element

    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*?(?:/>|>[^<]*<)")
_SHARED = re.compile(rb"""t=["']shared["']""")
_FORMULA_TAGS = frozenset({"formula", "formula1", "formula2", "f"})
_GROWING = frozenset({"dimension", "autoFilter", "sortState", "sortCondition",
                      "conditionalFormatting", "dataValidation", "protectedRange",
                      "ignoredError", "dataRef"})
"""Elements whose range grows with the data when a row is added under it."""
_FOLLOWING = frozenset({"mergeCell", "hyperlink", "selection", "cellWatch"})
"""Elements whose range moves with its cells but never grows."""
PIVOT_CACHE_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                    "pivotCacheDefinition+xml")


@dataclass(frozen=True)
class Obstacle:
    """Why rows cannot be sorted: "merge" (a merge across rows) or "drawing" (an object
    drawn over the rows), and where."""

    kind: str
    where: str


# --------------------------------------------------------------------------- insertion


def insert_rows(book: Book, name: str, at: int, count: int, move: bool) -> None:
    """Make room for `count` rows at row `at` of sheet `name`. With `move`, the rows from
    `at` down go down by `count`; without, the rows there are free and stay. Either
    way ranges that ended on row `at - 1` grow to take the new rows in."""
    sheet = book.sheet(name)
    part = book.part_of(sheet)
    if move and sheet.last_row() >= at:
        insertion = Insertion(name, at, count)
        _unshare(sheet, lambda first, last, text: last >= at or insertion.touches(text))
        sheet.renumber({n: insertion.row(n) for n in sheet.row_numbers() if n >= at})
        book.drop_calculation_chain()
    else:
        insertion = Insertion(name, at, count, move=False)
    _shift_cell_formulas(sheet, insertion)
    _shift_skeleton(sheet, insertion, own=True)
    mention = _mention(name)
    for other, other_part in book.worksheet_parts():
        if other_part != part and book.mentions(other_part, mention):
            other_sheet = book.sheet(other)
            _shift_cell_formulas(other_sheet, insertion)
            _shift_skeleton(other_sheet, insertion, own=False)
    for defined in book.defined_names():
        filtered = defined.get("name") == "_xlnm._FilterDatabase"
        if defined.text and (moved := shift_formula(defined.text, "", insertion,
                                                    filtered)) != defined.text:
            defined.text = moved
            book.changed()
    _shift_tables(book, sheet, insertion)
    _shift_comments(book, part, insertion.row)
    if insertion.move:
        for drawing in book.related(part, "drawing"):
            if move_anchors(book.package.xml(drawing), insertion.row):
                book.package.changed(drawing)
    _shift_charts(book, mention, insertion)
    _shift_pivot_sources(book, insertion)


def _mention(name: str) -> re.Pattern[bytes]:
    """Finds a sheet's name in a part's bytes, as UTF-8 or as character references, as
    Excel writes it (with the sheet's own case): a literal search, fast on 60 MB."""
    forms = {name.encode(), name.encode("ascii", "xmlcharrefreplace"),
             name.replace("'", "''").encode()}
    return re.compile(b"|".join(re.escape(f) for f in sorted(forms)))


def _shift_cell_formulas(sheet: Sheet, insertion: Insertion) -> None:
    """Formulas in the cells of a sheet; rows whose formulas cannot be concerned are not
    even parsed."""

    def concerned(raw: bytes) -> bool:
        return any(insertion.touches(m.group(0).decode("utf-8", "replace"))
                   for m in _FORMULA.finditer(raw))

    if insertion.move:
        rows = sheet.rows_where(concerned)
    else:  # only ranges ending on the last data row grow: the rows that name that row
        rows = sheet.rows_naming_row(insertion.at - 1)
    still = replace(insertion, grow=False)
    for number, row in rows:
        changed = False
        for formula in row.iter(q(sheet.ns, "f")):
            if formula.text and (moved := shift_formula(formula.text, sheet.name,
                                                        insertion)) != formula.text:
                if moved != shift_formula(formula.text, sheet.name, still):
                    _forget_value(formula)  # a range grew: the saved result is no more
                formula.text = moved
                changed = True
            ref = formula.get("ref")
            if ref and sheet.name.casefold() == insertion.sheet.casefold():
                moved = shift_range(ref, insertion, grow=False)
                if moved != ref:
                    formula.set("ref", moved)
                    changed = True
        if changed:
            sheet.mark(number)


def _forget_value(formula: _Element) -> None:
    """Drop the saved result of a formula whose meaning changed, so that every program
    computes it afresh (LibreOffice keeps saved results of files Excel wrote)."""
    cell = formula.getparent()
    for value in cell.findall(q(etree.QName(formula).namespace or "", "v")):
        cell.remove(value)


def _shift_skeleton(sheet: Sheet, insertion: Insertion, own: bool) -> None:
    """Everything around the rows: formulas of rules and validations, and, on the sheet
    that gains rows, its ranges (merges, links, filters, rules, validations, x14)."""
    changed = False
    for element in sheet.root.iter():
        if not isinstance(element.tag, str):
            continue
        name = local(element)
        if name in _FORMULA_TAGS and element.text:
            moved = shift_formula(element.text, sheet.name, insertion)
            changed |= _replace_text(element, moved)
        if not own:
            continue
        if name == "sqref" and element.text:
            grows = local(element.getparent()) != "sparkline"  # one cell per sparkline
            changed |= _replace_text(element, shift_sqref(element.text, insertion, grows))
        for attribute in ("ref", "sqref", "r"):
            value = element.get(attribute)
            if value and (name in _GROWING or name in _FOLLOWING):
                moved = shift_sqref(value, insertion, grow=name in _GROWING)
                if moved != value:
                    element.set(attribute, moved)
                    changed = True
        if name == "brk" and insertion.move and (brk := element.get("id", "")).isdigit():
            moved = str(insertion.row(int(brk)))
            if moved != brk:
                element.set("id", moved)
                changed = True
    if changed:
        sheet.changed = True


def _replace_text(element: _Element, text: str) -> bool:
    if text == element.text:
        return False
    element.text = text
    return True


def _shift_tables(book: Book, sheet: Sheet, insertion: Insertion) -> None:
    """A Table grows with its data; its totals row stays its last row, and its totals
    are computed afresh."""
    for table in book.related(book.part_of(sheet), "table"):
        root = book.package.xml(table)
        changed = False
        for element in root.iter():
            value = element.get("ref") if isinstance(element.tag, str) else None
            if value:
                moved = shift_range(value, insertion)
                if moved != value:
                    element.set("ref", moved)
                    changed = True
        if not changed:
            continue
        book.package.changed(table)
        spans = ranges_of(root.get("ref", ""))
        if int(root.get("totalsRowCount", "0") or 0) and spans:
            totals = spans[0][2]
            for cell in sheet.cells(totals).values():
                formula = cell.find(q(sheet.ns, "f"))
                if formula is not None:
                    _forget_value(formula)
                    sheet.mark(totals)


def _shift_comments(book: Book, part: str, new_row: Callable[[int], int]) -> None:
    """Notes (their text and their shapes) and threaded comments follow their cells."""
    for kind in ("comments", "threadedComment"):
        for comments in book.related(part, kind):
            root = book.package.xml(comments)
            changed = False
            for element in root.iter():
                ref = element.get("ref") if isinstance(element.tag, str) else None
                if ref and local(element) in ("comment", "threadedComment"):
                    try:
                        row, _ = split_cell(ref)
                    except ValueError:
                        continue
                    target = new_row(row)
                    if target != row:
                        element.set("ref", ref[:len(ref) - len(str(row))] + str(target))
                        changed = True
            if changed:
                book.package.changed(comments)
    for vml in book.related(part, "vmlDrawing"):
        before = book.package.read(vml)
        after = move_note_shapes(before, new_row)
        if after != before:
            book.package.put(vml, after)


def _shift_charts(book: Book, mention: re.Pattern[bytes], insertion: Insertion) -> None:
    """Chart series drawn from the sheet grow and move with its rows."""
    for name in book.package.names():
        if not (name.startswith("xl/charts/") and name.endswith(".xml")):
            continue
        if not mention.search(book.package.read(name)):
            continue
        root = book.package.xml(name)
        changed = False
        for formula in root.iter():
            if isinstance(formula.tag, str) and local(formula) == "f" and formula.text:
                changed |= _replace_text(formula, shift_formula(formula.text, "",
                                                                insertion))
        if changed:
            book.package.changed(name)


def _shift_pivot_sources(book: Book, insertion: Insertion) -> None:
    for name in book.package.names():
        if book.package.content_type(name) != PIVOT_CACHE_TYPE:
            continue
        root = book.package.xml(name)
        for source in root.iter():
            if (isinstance(source.tag, str) and local(source) == "worksheetSource"
                    and (source.get("sheet") or "").casefold() == insertion.sheet.casefold()
                    and source.get("ref")):
                moved = shift_range(source.get("ref"), insertion)
                if moved != source.get("ref"):
                    source.set("ref", moved)
                    book.package.changed(name)


# --------------------------------------------------------------------------- shared formulas


def _unshare(sheet: Sheet, wanted: Callable[[int, int, str], bool]) -> None:
    """Give every cell of the shared-formula groups that `wanted(first row, last row,
    master formula)` accepts its own formula: rows about to move would otherwise leave
    their group's first cell, which every other cell of the group is read from."""
    masters: dict[str, tuple[int, int, str]] = {}
    groups: set[str] = set()

    def shared(raw: bytes) -> bool:
        return bool(_SHARED.search(raw))

    for _, row in sheet.rows_where(shared):
        for formula in row.iter(q(sheet.ns, "f")):
            ref, si = formula.get("ref"), formula.get("si")
            if formula.get("t") == "shared" and ref and si is not None and formula.text:
                cell = formula.getparent()
                row_number, column = split_cell(cell.get("r", ""))
                masters[si] = (row_number, column, formula.text)
                spans = ranges_of(ref)
                if spans and wanted(spans[0][0], spans[0][2], formula.text):
                    groups.add(si)
    if not groups:
        return
    for number, row in sheet.rows_where(shared):
        for formula in list(row.iter(q(sheet.ns, "f"))):
            si = formula.get("si")
            if formula.get("t") != "shared" or si not in groups:
                continue
            master_row, master_column, text = masters[si]
            row_number, column = split_cell(formula.getparent().get("r", ""))
            formula.text = translate_formula(text, row_number - master_row,
                                             column - master_column)
            for attribute in ("t", "si", "ref"):
                formula.attrib.pop(attribute, None)
            sheet.mark(number)


# --------------------------------------------------------------------------- sorting


def sort_obstacle(book: Book, name: str, first: int, last: int) -> Obstacle | None:
    """What would stop rows first..last from moving whole, if anything."""
    sheet = book.sheet(name)
    merges = sheet.find("mergeCells")
    for merge in [] if merges is None else merges:
        for r1, _, r2, _ in ranges_of(merge.get("ref", "")):
            if r1 != r2 and r2 >= first and r1 <= last:
                return Obstacle("merge", merge.get("ref", ""))
    for drawing in book.related(book.part_of(sheet), "drawing"):
        for anchor in anchors(book.package.xml(drawing)):
            top, bottom = anchor_rows(anchor)
            if bottom >= first and top <= last:
                return Obstacle("drawing", _object_name(anchor))
    return None


def _object_name(anchor: _Element) -> str:
    """The name Excel shows for an object (Image 1, Graphique 2, ZoneTexte 3)."""
    for element in anchor.iter():
        if isinstance(element.tag, str) and local(element) == "cNvPr":
            return element.get("name", "")
    return ""


def sort_rows(book: Book, name: str, order: Iterable[int], first: int) -> None:
    """Put row order[i] at row first + i, whole: values, styles, height, formulas (their
    references to moved rows follow them), notes, threaded comments, links, sparklines,
    validations and formats of its own cells. The caller has checked `sort_obstacle`."""
    sheet = book.sheet(name)
    moves = {source: target for target, source in enumerate(order, start=first)
             if source != target}
    if not moves:
        return
    last = max(moves.values()) if moves else first
    low = min(moves)
    _unshare(sheet, lambda top, bottom, _: bottom >= low and top <= last)

    def follow(row: _Element, source: int, target: int) -> None:
        for formula in row.iter(q(sheet.ns, "f")):
            if formula.text:
                formula.text = follow_rows(formula.text, sheet.name, sheet.name, moves)
            if formula.get("ref"):
                formula.set("ref", follow_rows(formula.get("ref", ""), sheet.name,
                                               sheet.name, moves))

    sheet.renumber(moves, follow)
    sheet.compact()
    _move_skeleton(sheet, moves, low, last)
    _shift_comments(book, book.part_of(sheet), lambda row: moves.get(row, row))
    book.drop_calculation_chain()


def _move_skeleton(sheet: Sheet, moves: dict[int, int], first: int, last: int) -> None:
    """Links, single-row merges, and the validations and formats of single cells follow
    their rows; ranges over the whole sorted block stay."""
    changed = False
    for element in sheet.root.iter():
        if not isinstance(element.tag, str):
            continue
        name = local(element)
        if name in ("mergeCell", "hyperlink", "conditionalFormatting", "dataValidation",
                    "ignoredError"):
            attribute = "ref" if element.get("ref") is not None else "sqref"
            value = element.get(attribute)
            if value:
                moved = move_sqref(value, moves, first, last)
                if moved != value:
                    element.set(attribute, moved)
                    changed = True
        elif name == "sqref" and element.text:
            changed |= _replace_text(element, move_sqref(element.text, moves, first, last))
        elif name == "f" and local(element.getparent()) == "sparkline" and element.text:
            changed |= _replace_text(element, follow_rows(element.text, sheet.name,
                                                          sheet.name, moves))
    if changed:
        sheet.changed = True
