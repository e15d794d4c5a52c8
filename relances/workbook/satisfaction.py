"""The Satisfaction column of a tracker: added at the right of the user's headers the
first time a score is given, and the colours of its scores over each row.

A score of 2 or less paints the row red (a client to call back), 3 yellow, 4 and 5
green: Excel's own Bad, Neutral and Good colours, which LibreOffice shows the same.
The rules are living formulas over the column, so a score typed by hand colours its
row at once, and they come before the tracker's other colours (a won row is grey).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.errors import WorkbookError
from relances.core.model import CALL_BACK_SCORE
from relances.xlsx.columns import Highlight, column_range, has_rule, highlight_first, widen_to
from relances.xlsx.references import MAX_ROW, column_letters

if TYPE_CHECKING:
    from relances.workbook.layout import Layout
    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

_WIDTH = 12


def colour_satisfaction(book: Book, sheet: Sheet, layout: Layout, last_row: int) -> str | None:
    """The column ready to take a score and its colours in place; the new column's
    letter when it had to be added (the data ends at `last_row`)."""
    added = None
    if not layout.has("satisfaction"):
        column = _free_column(sheet, layout, last_row)
        header = schema.COLUMN_BY_KEY["satisfaction"].header
        sheet.set_value(layout.header_row, column, header,
                        sheet.style_of(layout.header_row, column - 1))
        widen_to(book, sheet, layout.header_row, column, header)
        sheet.set_width(column, _WIDTH)
        layout.columns["satisfaction"], layout.headers["satisfaction"] = column, header
        added = column_letters(column)
    first = layout.header_row + 1
    cell = f"${layout.letter('satisfaction')}{first}"
    low = CALL_BACK_SCORE
    rules = [Highlight(f"AND(ISNUMBER({cell}),{cell}<={low})", "FFC7CE", "9C0006"),
             Highlight(f"AND(ISNUMBER({cell}),{cell}={low + 1})", "FFEB9C", "9C5700"),
             Highlight(f"AND(ISNUMBER({cell}),{cell}>{low + 1})", "C6EFCE", "006100")]
    if not has_rule(sheet, rules[0].formula):
        last = max(sheet.last_filled_column(layout.header_row), *layout.columns.values())
        highlight_first(book, sheet, column_range(first, MAX_ROW, last), rules)
    return added


def _free_column(sheet: Sheet, layout: Layout, last_row: int) -> int:
    """The column right of the last header, when nothing of the user's is in it (the
    data's rows and the one under them, a totals row)."""
    column = sheet.last_filled_column(layout.header_row) + 1
    below = range(layout.header_row, max(last_row, layout.header_row) + 2)
    if any(sheet.filled(row, column) for row in below):
        raise WorkbookError(
            f"La colonne {column_letters(column)} de « {layout.sheet} », à droite de vos "
            "en-têtes, n'est pas vide : ajoutez vous-même un en-tête « Satisfaction » à "
            "votre tableau, puis relancez la commande.")
    return column
