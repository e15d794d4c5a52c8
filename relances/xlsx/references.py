"""Cell references, ranges and formulas, moved as Excel moves them when rows change.

Two changes exist. An insertion (`Insertion`) makes room for new rows: everything from
`at` down moves by `count`, in every reference to that sheet wherever it is written,
and the ranges that ended just above (the last data row) grow to take the new rows in,
as a Table, a filter or a SUM over the data do when a row is typed under them. A sort
moves whole rows: formulas inside a moved row are translated as Excel translates them
when it sorts (relative references follow the row, absolute ones stay), references
from elsewhere are left alone.

Formulas are cut with openpyxl's tokenizer and only the reference tokens are rewritten
in place, so spaces, strings and function names stay exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

MAX_ROW = 1048576
MAX_COLUMN = 16384

_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)")
_ROW = re.compile(r"(\$?)([0-9]+)")
_COLUMN = re.compile(r"\$?[A-Za-z]{1,3}")
_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """"A" is 1, "AB" is 28."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


@lru_cache(maxsize=4096)
def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_cell(ref: str) -> tuple[int, int]:
    """(row, column) of "AB12"; ValueError when it is not a plain cell reference."""
    match = _CELL.fullmatch(ref)
    if match is None:
        raise ValueError(ref)
    return int(match[4]), column_index(match[2])


def cell_name(row: int, column: int) -> str:
    return f"{column_letters(column)}{row}"


@dataclass(frozen=True)
class Insertion:
    """`count` new rows at row `at` of `sheet`: rows from `at` down move down (unless
    `move` is off: the rows there were free), and ranges that ended on row `at - 1`
    grow to take the new rows in."""

    sheet: str
    at: int
    count: int
    move: bool = True
    grow: bool = True

    def row(self, row: int) -> int:
        """Where a row goes: rows above `at` stay, the others move (never past the end)."""
        return min(row + self.count, MAX_ROW) if self.move and row >= self.at else row

    def span(self, first: int, last: int, grow: bool = True) -> tuple[int, int]:
        """Where a range of rows goes; a range ending on the last row above `at` grows."""
        new_last = self.row(last)
        if grow and self.grow and last == self.at - 1 and first <= last:
            new_last = min(last + self.count, MAX_ROW)
        return self.row(first), new_last

    def touches(self, text: str) -> bool:
        """Whether a formula or range may name a row this insertion moves or grows: a
        cheap look at its numbers saves tokenizing the thousands that cannot. The last
        row of the sheet never moves ($B$2:$B$1048576 is the whole column)."""
        return any(self.at - 1 <= int(number) < MAX_ROW for number in _DIGITS.findall(text))


# --------------------------------------------------------------------------- ranges


def shift_range(ref: str, insertion: Insertion, grow: bool = True,
                cell_grows: bool = False) -> str:
    """"A1:B5" (or "B5", "A:A", "3:7") after the insertion, $ signs kept. A single row
    grows only where it stands for the data (a validation's or a rule's cells, a
    Table): in a formula, =J11 and =SUM(E7:F7) keep to their row, =SUM(E4:E7) grows."""
    parts = ref.split(":")
    if len(parts) == 1:
        match = _CELL.fullmatch(ref)
        if match is None:
            return ref
        row = int(match[4])
        new_first, new_last = insertion.span(row, row, grow and cell_grows)
        if new_first == new_last:
            return _with_row(match, new_first)
        return f"{_with_row(match, new_first)}:{_with_row(match, new_last)}"
    if len(parts) != 2:
        return ":".join(shift_range(part, insertion, False) for part in parts)
    first, last = (_CELL.fullmatch(part) or _ROW.fullmatch(part) for part in parts)
    if first is None or last is None or first.re is not last.re:
        return ref
    row_group = 4 if first.re is _CELL else 2
    top, bottom = int(first[row_group]), int(last[row_group])
    new_first, new_last = insertion.span(top, bottom, grow and (cell_grows or top < bottom))
    return f"{_with_row(first, new_first)}:{_with_row(last, new_last)}"


def _with_row(match: re.Match[str], row: int) -> str:
    if match.re is _CELL:
        return f"{match[1]}{match[2]}{match[3]}{row}"
    return f"{match[1]}{row}"


def shift_sqref(sqref: str, insertion: Insertion, grow: bool = True) -> str:
    """A list of ranges separated by spaces (validations, conditional formats)."""
    return " ".join(shift_range(part, insertion, grow, cell_grows=True)
                    for part in sqref.split())


def ranges_of(sqref: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each range of a list."""
    found = []
    for part in sqref.split():
        ends = part.replace("$", "").split(":")
        try:
            if len(ends) == 1:
                row, column = split_cell(ends[0])
                found.append((row, column, row, column))
            else:
                (row1, col1), (row2, col2) = split_cell(ends[0]), split_cell(ends[1])
                found.append((row1, col1, row2, col2))
        except ValueError:
            if len(ends) == 2 and _COLUMN.fullmatch(ends[0]) and _COLUMN.fullmatch(ends[1]):
                found.append((1, column_index(ends[0].lstrip("$")), MAX_ROW,
                              column_index(ends[1].lstrip("$"))))
    return found


def render_ranges(ranges: Iterable[tuple[int, int, int, int]]) -> str:
    return " ".join(cell_name(r1, c1) if (r1, c1) == (r2, c2)
                    else f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
                    for r1, c1, r2, c2 in ranges)


def move_sqref(sqref: str, moves: dict[int, int], first: int, last: int) -> str:
    """A list of ranges after a sort of rows first..last (`moves`: old row -> new row).
    Cells inside the sorted rows follow their row; a range that covers every sorted
    row is unchanged, since a sort only permutes them."""
    ranges = ranges_of(sqref)
    if not ranges or all(r2 < first or r1 > last or (r1 <= first and r2 >= last)
                         for r1, _, r2, _ in ranges):
        return sqref
    cells: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in ranges:
        for row in range(r1, r2 + 1):
            for column in range(c1, c2 + 1):
                cells.add((moves.get(row, row), column))
    return render_ranges(_rectangles(cells))


def _rectangles(cells: set[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover a set of cells with few rectangles: runs of columns per row, then the rows
    that have the same run stacked."""
    by_row: dict[int, list[int]] = {}
    for row, column in cells:
        by_row.setdefault(row, []).append(column)
    rows_of: dict[tuple[int, int], list[int]] = {}
    for row, columns in by_row.items():
        for run in _runs(columns):
            rows_of.setdefault(run, []).append(row)
    return sorted((top, first, bottom, last) for (first, last), rows in rows_of.items()
                  for top, bottom in _runs(rows))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last): 1 2 3 5 gives (1, 3) and (5, 5)."""
    runs: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


# --------------------------------------------------------------------------- formulas


def sheet_of(token: str) -> tuple[str | None, str]:
    """The sheet a reference token names (None when it names none) and the rest:
    "'Tableau de bord'!$A$1" gives ("Tableau de bord", "$A$1"). External and 3-D
    references give the marker "" (they never name a sheet of this package alone)."""
    if "!" not in token:
        return None, token
    prefix, ref = token.rsplit("!", 1)
    if prefix.startswith("'") and prefix.endswith("'"):
        prefix = prefix[1:-1].replace("''", "'")
    if prefix.startswith("[") or ":" in prefix:
        return "", ref
    return prefix, ref


_PLAIN_REF = re.compile(r"(?<![A-Za-z0-9_.$:])\$?[A-Za-z]{1,3}\$?[0-9]+"
                        r"(?::\$?[A-Za-z]{1,3}\$?[0-9]+)?(?![0-9A-Za-z_.(!:$])")
"""A reference in a plain formula: a cell, or a range of two cells."""
_NOT_PLAIN = re.compile(r"['!\[{#]|(?<![A-Za-z$])\$?[0-9]+:\$?[0-9]"
                        r"|(?<![A-Za-z0-9$])\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![0-9A-Za-z(])"
                        r"|[A-Za-z0-9$]+:[A-Za-z0-9$]+:")
"""What makes a formula not plain: a sheet or workbook name, a structured or external
reference, an array, an error, a range of whole rows or columns, a chained range."""
_QUALIFIED = re.compile(r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!(?:\$?[A-Za-z]{1,3}\$?[0-9]+"
                        r"(?::\$?[A-Za-z]{1,3}\$?[0-9]+)?|\$?[0-9]+:\$?[0-9]+"
                        r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})")
"""A formula that is one reference to another sheet and nothing else."""


def rewrite_references(formula: str, change: Callable[[str | None, str], str | None]) -> str:
    """The formula with each reference token replaced by `change(sheet, ref)` (None keeps
    it); a formula the tokenizer does not understand is returned as it is.

    Most formulas of a tracker (its own Délai and CA pondéré among them) are plain: no
    text but "", no sheet named. Their references are found by one regular expression,
    which gives what the tokenizer gives (a test proves it) a hundred times faster and
    without loading openpyxl."""
    if '"' not in formula.replace('""', "") and not _NOT_PLAIN.search(formula):
        return _PLAIN_REF.sub(lambda m: change(None, m[0]) or m[0], formula)
    if _QUALIFIED.fullmatch(formula):  # a defined name, a print area, a chart's series
        sheet, ref = sheet_of(formula)
        replaced = change(sheet, ref)
        return formula if replaced is None else formula[:len(formula) - len(ref)] + replaced
    return _rewrite_tokens(formula, change)


def _rewrite_tokens(formula: str, change: Callable[[str | None, str], str | None]) -> str:
    from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

    try:
        tokens = Tokenizer("=" + formula).items
    except (TokenizerError, IndexError, ValueError):
        return formula
    out: list[str] = []
    position = 0
    for token in tokens:
        if token.type == Token.WSPACE:
            continue
        index = formula.find(token.value, position)
        if index < 0:
            return formula
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            sheet, ref = sheet_of(token.value)
            replaced = change(sheet, ref)
            if replaced is not None and replaced != ref:
                prefix = token.value[:len(token.value) - len(ref)]
                out.append(formula[position:index])
                out.append(prefix + replaced)
                position = index + len(token.value)
                continue
        out.append(formula[position:index + len(token.value)])
        position = index + len(token.value)
    out.append(formula[position:])
    return "".join(out)


def shift_formula(formula: str, host: str, insertion: Insertion,
                  data_range: bool = False) -> str:
    """A formula written on sheet `host`, after rows were inserted on `insertion.sheet`.
    `data_range` for a name that stands for the data itself (a filter's hidden
    _FilterDatabase): even a range of one row grows."""
    if not insertion.touches(formula):
        return formula
    target = insertion.sheet.casefold()
    if host.casefold() != target and target not in formula.replace("''", "'").casefold():
        return formula

    def change(sheet: str | None, ref: str) -> str | None:
        named = host if sheet is None else sheet
        if named.casefold() != target:
            return None
        return shift_range(ref, insertion, cell_grows=data_range and ":" in ref)

    return rewrite_references(formula, change)


def follow_rows(formula: str, host: str, sheet: str, moves: dict[int, int]) -> str:
    """A formula of a row that a sort moved: references to a cell (or a piece of one
    row) of a moved row follow that row, everything else stays. Relances sorts on its
    own, so a formula must go on computing the same thing for its prospect: Excel's
    sort would shift =Calc!A1 as if copied, and the amount would change hands."""
    target_sheet = sheet.casefold()

    def change(named: str | None, ref: str) -> str | None:
        if (host if named is None else named).casefold() != target_sheet:
            return None
        parts = ref.split(":")
        found = [_CELL.fullmatch(p) or (len(parts) > 1 and _ROW.fullmatch(p)) or None
                 for p in parts]
        if any(match is None for match in found):
            return None
        rows = {int(m[4] if m.re is _CELL else m[2]) for m in found if m is not None}
        if len(rows) != 1 or (row := rows.pop()) not in moves:
            return None
        return ":".join(_with_row(m, moves[row]) for m in found if m is not None)

    return rewrite_references(formula, change)


def translate_formula(formula: str, rows: int, columns: int = 0) -> str:
    """A formula copied `rows` rows down and `columns` columns right (negative: up,
    left): relative references follow, absolute ones stay, as when Excel sorts rows
    holding formulas or fills a formula down."""
    if rows == 0 and columns == 0:
        return formula

    def change(sheet: str | None, ref: str) -> str | None:
        return "#REF!" if (moved := _translate(ref, rows, columns)) is None else moved

    return rewrite_references(formula, change)


def _translate(ref: str, rows: int, columns: int) -> str | None:
    parts = []
    ranged = ":" in ref  # "A:A" and "3:7" only exist as ranges; a lone "TVA" is a name
    for part in ref.split(":"):
        if (match := _CELL.fullmatch(part)) is not None:
            row = int(match[4]) if match[3] else int(match[4]) + rows
            column = column_index(match[2]) + (0 if match[1] else columns)
            if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
                return None
            parts.append(f"{match[1]}{column_letters(column)}{match[3]}{row}")
        elif ranged and (match := _ROW.fullmatch(part)) is not None:
            row = int(match[2]) if match[1] else int(match[2]) + rows
            if not 1 <= row <= MAX_ROW:
                return None
            parts.append(f"{match[1]}{row}")
        elif ranged and columns and _COLUMN.fullmatch(part) and not part.startswith("$"):
            column = column_index(part) + columns
            if not 1 <= column <= MAX_COLUMN:
                return None
            parts.append(column_letters(column))
        else:
            parts.append(part)
    return ":".join(parts)
