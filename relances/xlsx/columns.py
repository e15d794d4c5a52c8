"""A column added at the right of a sheet's data, and colour rules relances adds to a
user's own sheet.

A new column joins what the data already belongs to: the Table whose header row it
extends (its range, its filter, a column of that name) and the sheet's filter, so a
user's Table with a totals row still reads as one. A colour rule goes before the
sheet's others, which keep their order: the first rule that holds paints the cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from relances.xlsx.references import cell_name, column_letters, ranges_of
from relances.xlsx.xml import q

if TYPE_CHECKING:
    from lxml.etree import _Element

    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"


@dataclass(frozen=True)
class Highlight:
    """A colour rule: the formula (written for the range's first row), the fill and the
    text colour ("RRGGBB")."""

    formula: str
    fill: str
    color: str


def widen_to(book: Book, sheet: Sheet, header_row: int, column: int, name: str) -> None:
    """Tables and the sheet's filter whose header row ends just left of `column` take
    it in; the Table names its new column as the header cell does, as Excel requires."""
    for part in book.related(book.part_of(sheet), "table"):
        root = book.package.xml(part)
        spans = ranges_of(root.get("ref", ""))
        if not spans or spans[0][0] != header_row or spans[0][3] != column - 1:
            continue
        first_column, last_row = spans[0][1], spans[0][2]
        root.set("ref", _span(header_row, first_column, last_row, column))
        table_filter = root.find(q(sheet.ns, "autoFilter"))
        if table_filter is not None:
            table_filter.set("ref", _span(header_row, first_column,
                                          ranges_of(table_filter.get("ref", ""))[0][2], column))
        columns = root.find(q(sheet.ns, "tableColumns"))
        assert columns is not None
        number = max((int(c.get("id", "0")) for c in columns), default=0) + 1
        etree.SubElement(columns, q(sheet.ns, "tableColumn"), id=str(number), name=name)
        columns.set("count", str(len(columns)))
        book.package.changed(part)
    sheet_filter = sheet.find("autoFilter")
    if sheet_filter is not None:
        spans = ranges_of(sheet_filter.get("ref", ""))
        if spans and spans[0][0] == header_row and spans[0][3] == column - 1:
            sheet_filter.set("ref", _span(header_row, spans[0][1], spans[0][2], column))
            sheet.changed = True


def _span(first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    return f"{cell_name(first_row, first_column)}:{cell_name(last_row, last_column)}"


def has_rule(sheet: Sheet, formula: str) -> bool:
    """Whether a colour rule of the sheet already reads this formula."""
    return any(f.text == formula for f in sheet.root.iter(q(sheet.ns, "formula")))


def highlight_first(book: Book, sheet: Sheet, sqref: str, rules: Sequence[Highlight]) -> None:
    """Colour rules over `sqref`, before every rule the sheet has (those move down in
    priority, their order kept); each stops the rules after it where it holds."""
    _make_room(sheet, len(rules))
    first = sheet.find("conditionalFormatting")
    if first is None:
        element = sheet.add("conditionalFormatting", sqref=sqref)
    else:  # listed in the order they apply
        element = etree.Element(q(sheet.ns, "conditionalFormatting"), sqref=sqref)
        first.addprevious(element)
    styles = book.styles
    for priority, rule in enumerate(rules, start=1):
        cf_rule = etree.SubElement(element, q(sheet.ns, "cfRule"), type="expression",
                                   dxfId=str(styles.highlight(rule.fill, rule.color)),
                                   priority=str(priority), stopIfTrue="1")
        etree.SubElement(cf_rule, q(sheet.ns, "formula")).text = rule.formula


def _make_room(sheet: Sheet, count: int) -> None:
    """Priorities are shared by the sheet's rules, Excel 2010's (x14) among them."""
    rules: list[_Element] = [*sheet.root.iter(q(sheet.ns, "cfRule")),
                             *sheet.root.iter(q(X14, "cfRule"))]
    for rule in rules:
        priority = rule.get("priority")
        if priority is not None and priority.isdigit():
            rule.set("priority", str(int(priority) + count))
    sheet.changed = True


def column_range(first_row: int, last_row: int, last_column: int) -> str:
    """« A4:S1048576 »: whole rows of the data, from column A."""
    return f"A{first_row}:{column_letters(last_column)}{last_row}"
