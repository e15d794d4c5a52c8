"""Opening a tracker for a change: every check that protects the user's file comes first
(what the file is, who holds it), then the lock, held until the replace, then one read
of the package, as `liste` reads it, that the session of workbook/update starts from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core.errors import WorkbookError
from relances.workbook.files import check_office_locks, corrupted, digest, read_package, write_lock
from relances.workbook.layout import Layout
from relances.workbook.read import (
    calamine_sheets,
    journal_loader,
    tracker_from_sheets,
)
from relances.workbook.totals import summary_rows, table_totals
from relances.workbook.update import Update

if TYPE_CHECKING:
    from relances.xlsx.book import Book


@contextmanager
def open_for_update(path: Path, today: date, force: bool = False) -> Iterator[Update]:
    """The tracker open for a change, held from the read to the replace, after every
    check that protects the user's file."""
    from relances.xlsx.package import PackageError
    from relances.xlsx.sheet import SheetError

    read_package(path)  # a missing or unopenable file is said before anything is made
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"« {path.name} » : relances n'écrit que dans les classeurs .xlsx ou .xlsm.")
    with write_lock(path):
        data = read_package(path)
        check_office_locks(path, force)
        try:
            update = session_on(path, data, today, force)
            yield update
        except (PackageError, SheetError) as error:
            raise corrupted(path) from error


def session_on(path: Path, data: bytes, today: date, force: bool = False) -> Update:
    """A session over a package's bytes, read as `liste` reads them. The values read are
    dropped once the few the session needs are taken, before the sheet's XML is opened:
    at 50 000 rows either is a hundred megabytes."""
    from relances.xlsx.book import Book

    sheets = calamine_sheets(path, data)
    tracker, layout = tracker_from_sheets(sheets, today, path, table_totals(data),
                                          journal_loader(path, data))
    rows = sheets.pop(layout.sheet)
    del sheets
    name_index = layout.columns["name"] - 1
    summaries = summary_rows(rows, layout)
    named = [number for number, values in enumerate(rows, start=1)
             if number > layout.header_row and name_index < len(values)
             and values[name_index] not in (None, "") and number not in summaries]
    highest = 0
    if layout.has("id"):
        index = layout.columns["id"] - 1
        highest = max((int(values[index]) for values in rows[layout.header_row:]
                       if index < len(values) and isinstance(values[index], int | float)
                       and not isinstance(values[index], bool)), default=0)
    next_dates = _column(rows, layout, "next_followup", named)
    contacts = _column(rows, layout, "contact", named)
    del rows
    book = Book(data)
    last = _data_end(book, layout, max(named, default=layout.header_row))
    return Update(path, book, layout, tracker, digest(data), last,
                  [row for row in named if row <= last], today, force, highest, next_dates,
                  contacts)


def _column(rows: list[list[Any]], layout: Layout, key: str,
            named: list[int]) -> dict[int, object]:
    """One column's values as read, by row."""
    if not layout.has(key):
        return {}
    index = layout.columns[key] - 1
    return {row: rows[row - 1][index] for row in named if index < len(rows[row - 1])}


def _data_end(book: Book, layout: Layout, last_named: int) -> int:
    """The last data row: a Table's totals row is never data, whatever its name cell says."""
    from relances.xlsx.references import ranges_of

    entry = book.entry(layout.sheet)
    end = last_named
    for table in book.related(entry.part, "table") if entry and entry.part else []:
        root = book.package.xml(table)
        totals = int(root.get("totalsRowCount", "0") or 0)
        spans = ranges_of(root.get("ref", ""))
        if totals and spans and spans[0][0] <= layout.header_row + 1 <= spans[0][2]:
            end = min(end, spans[0][2] - totals)
    return max(end, layout.header_row)
