"""The totals rows of a tracker, never prospects: those of its Excel Tables, which the
sheet's values alone cannot tell from a prospect (read from the package's few small
parts, and only when it has Tables at all), and the summary rows people type under
their data (a « Total » line, a SUM without a name).
"""

from __future__ import annotations

import functools
import io
import operator
import posixpath
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from relances.text.parsing import fold

if TYPE_CHECKING:
    from relances.workbook.layout import Layout

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def table_totals(data: bytes) -> dict[str, set[int]]:
    """The totals rows of the Excel Tables of each sheet (their last rows). The package's
    few small parts are read only when it has Tables at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if not any(n.startswith("xl/tables/") for n in names):
            return {}
        found: dict[str, set[int]] = {}
        for sheet, part in _sheet_parts(archive, names):
            for table in _targets(archive, names, part, "/table"):
                root = _xml(archive, table)
                count = int(root.get("totalsRowCount") or 0)
                match = re.fullmatch(r"\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?(\d+)", root.get("ref", ""))
                if count and match:
                    last = int(match[1])
                    found.setdefault(sheet, set()).update(range(last - count + 1, last + 1))
        return found


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    from defusedxml.ElementTree import fromstring

    return fromstring(archive.read(name))


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(sheet name, part) of each worksheet, as workbook.xml and its relationships say."""
    relations = dict(_relations(archive, names, "xl/workbook.xml"))
    found = []
    for sheet in _xml(archive, "xl/workbook.xml").iter(f"{{{_MAIN}}}sheet"):
        target = relations.get(sheet.get(f"{{{_REL}}}id", ""))
        if target is not None:
            found.append((sheet.get("name", ""), target[1]))
    return found


def _targets(archive: zipfile.ZipFile, names: set[str], part: str, kind: str) -> list[str]:
    return [target for kind_uri, target in dict(_relations(archive, names, part)).values()
            if kind_uri.endswith(kind)]


def _relations(archive: zipfile.ZipFile, names: set[str],
               part: str) -> list[tuple[str, tuple[str, str]]]:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in names:
        return []
    found = []
    for relation in _xml(archive, rels):
        target = relation.get("Target", "")
        target = (target.lstrip("/") if target.startswith("/")
                  else posixpath.normpath(posixpath.join(folder, target)))
        found.append((relation.get("Id", ""), (relation.get("Type", ""), target)))
    return found


_TOTAL_NAME = re.compile(r"(?:sous[ -]?)?totau?[lx]\b|somme\b|cumul\b")


def summary_rows(rows: Sequence[Sequence[Any]], layout: Layout) -> set[int]:
    """Totals and summary rows (1-based), never prospects: a name that says Total,
    Sous-total, Totaux, Somme…, or no name and an amount that is the sum of the amounts
    above it (a SUM under the data, whose formula calamine does not show). Every row is
    looked at, so the common case stays cheap: only the rows without a name, or whose
    name could start one of those words, are looked at one by one; the amounts of the
    rows between are added up in one go (as floats: a total matches within a euro)."""
    first = layout.header_row
    body = rows[first:]
    name = layout.columns["name"] - 1
    amount = layout.columns.get("amount", 0) - 1
    labels = [values[name] if name < len(values) else None for values in body]
    amounts = [values[amount] if 0 <= amount < len(values) else None for values in body]
    numbers = [value if type(value) is float or type(value) is int else 0.0
               for value in amounts]
    found, running, added = set(), 0.0, 0
    for index in [i for i, label in enumerate(labels) if _may_sum(label)]:
        running = functools.reduce(operator.add, numbers[added:index], running)
        added = index
        label = labels[index]
        if label:
            total = _TOTAL_NAME.match(fold(label)) is not None
        else:
            total = (running != 0 and type(amounts[index]) in (float, int)
                     and abs(numbers[index] - running) < 1)
        if total:
            found.add(first + index + 1)
            added = index + 1
    return found


def _may_sum(label: object) -> bool:
    """A row to look at: no name, or a name that may say Total (most rows are neither):
    one that starts like « so », « to », « cu » in any case, with a space, or with a
    letter beyond ASCII (which may fold to them)."""
    if label is None or label == "":
        return True
    if type(label) is not str:
        return False
    start = label[:2]
    return start.lower() in _TOTAL_PAIRS or not start.isascii() or start[0].isspace()


_TOTAL_PAIRS = frozenset(("so", "to", "cu"))
