"""What a write changed in a package, part by part and, inside XML parts, node by node.

`compare` tells which parts are byte-identical, changed, added or removed; `xml_changes`
lists every difference between two versions of an XML part as a readable line
("/worksheet/autoFilter@ref: 'A3:I7' -> 'A3:I8'"). Worksheet rows are matched through
the row move the command made (none, an insertion, a sort), so a row that only moved
shows no change, and cells are compared by column.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REF = re.compile(r"([A-Z]+)(\d+)")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@dataclass
class Comparison:
    same: set[str]
    changed: set[str]
    added: set[str]
    removed: set[str]


def compare(before: dict[str, bytes], after: dict[str, bytes]) -> Comparison:
    common = before.keys() & after.keys()
    return Comparison({n for n in common if before[n] == after[n]},
                      {n for n in common if before[n] != after[n]},
                      set(after) - set(before), set(before) - set(after))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else "#"


def xml_changes(before: bytes, after: bytes,
                rows: Callable[[int], int] = lambda row: row) -> list[str]:
    """Every difference between two versions of a part; `rows` says where each row of
    the old version went (worksheets)."""
    old, new = etree.fromstring(before), etree.fromstring(after)
    found: list[str] = []
    _diff(old, new, "/" + _local(old), found, rows)
    return found


def _diff(old: etree._Element, new: etree._Element, path: str, found: list[str],
          rows: Callable[[int], int]) -> None:
    for name in sorted(set(old.attrib) | set(new.attrib)):
        if old.get(name) != new.get(name):
            found.append(f"{path}@{etree.QName(name).localname}: {old.get(name)!r} -> "
                         f"{new.get(name)!r}")
    if (old.text or "").strip() != (new.text or "").strip():
        found.append(f"{path}: {(old.text or '').strip()!r} -> {(new.text or '').strip()!r}")
    if _local(old) == "sheetData":
        _diff_rows(old, new, path, found, rows)
        return
    old_children = [c for c in old if isinstance(c.tag, str)]
    new_children = [c for c in new if isinstance(c.tag, str)]
    matcher = difflib.SequenceMatcher(a=[_local(c) for c in old_children],
                                      b=[_local(c) for c in new_children], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old_children[i1:i2], new_children[j1:j2], strict=True):
                _diff(a, b, f"{path}/{_local(a)}", found, rows)
            continue
        for a in old_children[i1:i2]:
            found.append(f"{path}: <{_local(a)}> removed")
        for b in new_children[j1:j2]:
            found.append(f"{path}: <{_local(b)}> added")


def _diff_rows(old: etree._Element, new: etree._Element, path: str, found: list[str],
               rows: Callable[[int], int]) -> None:
    after = {int(r.get("r")): r for r in new}
    reached = set()
    for row in old:
        number = int(row.get("r"))
        target = rows(number)
        reached.add(target)
        moved = after.get(target)
        if moved is None:
            found.append(f"row {number}: removed")
            continue
        for name in sorted((set(row.attrib) | set(moved.attrib)) - {"r", "spans"}):
            if row.get(name) != moved.get(name):
                found.append(f"row {target}@{name}: {row.get(name)!r} -> {moved.get(name)!r}")
        _diff_cells(row, moved, target, found)
    for number in sorted(set(after) - reached):
        found.append(f"row {number}: added")


def _cells(row: etree._Element) -> dict[str, etree._Element]:
    return {_REF.fullmatch(c.get("r"))[1]: c for c in row}


def _diff_cells(old: etree._Element, new: etree._Element, row: int,
                found: list[str]) -> None:
    before, after = _cells(old), _cells(new)
    for column in sorted(set(before) | set(after), key=lambda c: (len(c), c)):
        a, b = before.get(column), after.get(column)
        if a is None or b is None:
            found.append(f"{column}{row}: {'added' if a is None else 'removed'}")
            continue
        if _cell(a) != _cell(b):
            found.append(f"{column}{row}: {_cell(a)} -> {_cell(b)}")


def _cell(cell: etree._Element) -> tuple[object, ...]:
    """What a cell holds and looks like, its own address aside."""
    attributes = tuple(sorted((k, v) for k, v in cell.attrib.items() if k != "r"))
    content = tuple((_local(part), part.get("t"), part.get("ref"),
                     "".join(part.itertext()).strip()) for part in cell)
    return attributes, content
