"""The totals rows of a workbook's Excel Tables: not prospects, though the sheet's values
alone cannot tell them from one. Read from the package's few small parts (workbook.xml,
the relationships, the tables), and only when it has Tables at all.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any

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
