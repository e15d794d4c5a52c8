"""Sheet values as the user last saw them, read with python-calamine: the one reader of
every spreadsheet relances opens, the tracker and the files to import alike.

calamine is ten to twenty times faster than openpyxl, and a formula cell reads as the
value Excel last saved for it (openpyxl would give its text), so `liste` and the write
commands, which both read values here, never see a different prospect. calamine says
'' for an empty cell and 140.0 for the 140 the user typed; one clean-up gives None and
140, so that messages quote a cell as Excel shows it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from relances.core import schema
from relances.workbook.files import corrupted


@contextmanager
def calamine_book(data: bytes, failure: Callable[[], Exception]) -> Iterator[Any]:
    """The spreadsheet in `data` (.xlsx, .xlsm, .xls, .ods), open for reading. Whatever
    calamine cannot read in the block, the file or one of its sheets, raises the
    caller's `failure()`: a tracker and a file to import are damaged in different words."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        yield CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as error:
        raise failure() from error


def sheet_rows(book: Any, name: str, convert: bool = True) -> list[list[Any]]:
    """One sheet's rows, each cell cleaned up: None for empty, 140 for 140.0. The long
    sheets, whose column readers take calamine's '' and 140.0 themselves, skip this pass
    (`convert=False`)."""
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not convert:
        return rows
    return [[None if v == "" else int(v) if isinstance(v, float) and v.is_integer() else v
             for v in row]
            for row in rows]


def calamine_sheets(path: Path, data: bytes,
                    journal: bool = False) -> dict[str, list[list[Any]]]:
    """The values of the tracker's sheets relances interprets."""
    with calamine_book(data, lambda: corrupted(path)) as book:
        return {name: sheet_rows(book, name, name not in _READ_BY_COLUMN)
                for name in wanted_sheets(book.sheet_names, journal)}


def calamine_sheet(path: Path, data: bytes, name: str) -> list[list[Any]]:
    """One sheet's values (the Journal, for `analyse`, which writes afterwards); none
    when the workbook has no such sheet."""
    with calamine_book(data, lambda: corrupted(path)) as book:
        if name not in book.sheet_names:
            return []
        return sheet_rows(book, name, name not in _READ_BY_COLUMN)


def first_row(path: Path, data: bytes, name: str) -> list[Any]:
    """A sheet's header, cleaned up, without reading the rows below: a writer checks a
    column is its own before filling it."""
    with calamine_book(data, lambda: corrupted(path)) as book:
        if name not in book.sheet_names:
            return []
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=1)
    return [None if v == "" else v for v in (rows[0] if rows else [])]


def wanted_sheets(names: Sequence[str], journal: bool = False) -> list[str]:
    """Only the sheets we interpret are parsed: a user's big extra sheet costs nothing."""
    ours = {schema.SHEET_TRACKER, schema.SHEET_SETTINGS, schema.SHEET_RULES,
            schema.SHEET_CONTACTS}
    if journal:
        ours.add(schema.SHEET_JOURNAL)
    if schema.SHEET_TRACKER in names:
        return [n for n in names if n in ours]
    return list(names)


_READ_BY_COLUMN = frozenset({schema.SHEET_TRACKER, schema.SHEET_JOURNAL})
"""The long sheets: their column readers take calamine's '' and 140.0 themselves."""
