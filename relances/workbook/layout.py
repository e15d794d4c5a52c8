"""Where a sheet's header is (one scan, for trackers and files to import alike), where a
tracker's columns are, found by header name, and the formulas of its rows."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from relances.core import schema
from relances.xlsx.references import column_letters

HEADER_SCAN_ROWS = 10
_Found = TypeVar("_Found")


@dataclass
class Layout:
    """Where the columns of a tracker sheet are: found by header name, never by position."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    """Field key -> 1-based column index."""
    headers: dict[str, str] = field(default_factory=dict)
    """Field key -> the header text as the user wrote it, for messages."""

    def has(self, key: str) -> bool:
        return key in self.columns

    @functools.cached_property
    def readers(self) -> tuple[tuple[str, int, str], ...]:
        """(field, 0-based index, kind) of every column read into a Prospect, worked out
        once per sheet rather than once per row."""
        return tuple((key, position - 1, schema.COLUMN_BY_KEY[key].kind)
                     for key, position in self.columns.items()
                     if key not in schema.FORMULA_KEYS)

    def fields(self) -> tuple[str, ...]:
        return tuple(sorted(self.columns, key=self.columns.__getitem__))

    def letter(self, key: str) -> str:
        return column_letters(self.columns[key])


def scan_header(rows: Sequence[Sequence[Any]], header: Callable[[int, Sequence[Any]], _Found | None]
                ) -> tuple[int, _Found] | None:
    """The header row among the first rows, trackers and files to import alike: hand-made
    lists and exports often have a title above. `header(index, values)` says what a row
    means as a header, None when it is none; the first row it reads wins (0-based)."""
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = header(index, values)
        if found is not None:
            return index, found
    return None


def find_layout(sheet: str, rows: Sequence[Sequence[Any]]) -> Layout | None:
    """Where a tracker's columns are: the first row naming the prospect and another column."""
    found = scan_header(rows, _tracker_header)
    if found is None:
        return None
    index, (columns, headers) = found
    _words_are_no_dates(columns, headers, rows[index + 1:index + 1 + _SAMPLE])
    return Layout(sheet, index + 1, columns, headers)


def _tracker_header(_: int, values: Sequence[Any]) -> tuple[dict[str, int],
                                                            dict[str, str]] | None:
    """Field key -> 1-based column and header as written, when the row names the
    prospect and at least one other column of the tracker."""
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for position, value in enumerate(values, start=1):
        column = schema.column_for_header(value)
        if column is not None and column.key not in columns:
            columns[column.key] = position
            headers[column.key] = str(value).strip()
    return (columns, headers) if "name" in columns and len(columns) >= 2 else None


_SAMPLE = 50
"""Data rows looked at to tell a column of words from a column of dates."""
_DATE_WORDS = re.compile(r"\d|aujourd|demain|hier|lundi|mardi|mercredi|jeudi|vendredi|"
                         r"samedi|dimanche|semaine|mois|fin |mi-", re.IGNORECASE)


def _words_are_no_dates(columns: dict[str, int], headers: dict[str, str],
                        body: Sequence[Sequence[Any]]) -> None:
    """A column whose header says a date but whose cells are words (« Rappeler »,
    « Envoyer devis ») is not a date column: the follow-up column becomes the planned
    action when the sheet has none, any other is left unread, never read as dates."""
    for key in [k for k in columns if schema.COLUMN_BY_KEY[k].kind == "date"]:
        index = columns[key] - 1
        cells = [row[index] for row in body if index < len(row) and row[index] not in
                 (None, "")]
        words = [c for c in cells if isinstance(c, str) and not _DATE_WORDS.search(c)]
        if not cells or len(words) * 2 <= len(cells):
            continue
        position, header = columns.pop(key), headers.pop(key)
        if key == "next_followup" and "action" not in columns:
            columns["action"], headers["action"] = position, header


def tracker_layout() -> Layout:
    """The layout init creates: the workflow's 14 columns, then the tool's own."""
    created = [c for c in schema.COLUMNS if c.created]
    return Layout(schema.SHEET_TRACKER, 1,
                  {c.key: i for i, c in enumerate(created, start=1)},
                  {c.key: c.header for c in created})


def row_formulas(layout: Layout, row: int) -> dict[str, str]:
    """Délai and CA pondéré of one row, as stored (English function names, no "="): a
    date or amount typed as text shows empty rather than #VALUE!."""
    formulas = {}
    if layout.has("delay") and layout.has("last_contact"):
        last = f"{layout.letter('last_contact')}{row}"
        formulas["delay"] = f'IF(ISNUMBER({last}),TODAY()-{last},"")'
    if layout.has("weighted") and layout.has("amount") and layout.has("probability"):
        amount = f"{layout.letter('amount')}{row}"
        chance = f"{layout.letter('probability')}{row}"
        formulas["weighted"] = (f'IF(AND(ISNUMBER({amount}),ISNUMBER({chance})),'
                                f'{amount}*{chance},"")')
    return formulas
