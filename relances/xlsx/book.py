"""The workbook: its sheets and their parts, defined names, calculation flags, new sheets.

`Book` is what the rest of relances holds while it edits a file: sheets are opened
(parsed as `Sheet`) only when asked for, and `write` hands the package every part that
changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from lxml import etree

from relances.xlsx.package import Package
from relances.xlsx.sheet import Sheet
from relances.xlsx.styles import Styles
from relances.xlsx.values import EXCEL_EPOCH, MAC_EPOCH
from relances.xlsx.xml import CUSTOM_PROPS, MAIN, REL, VTYPES, insert_in_order, q

if TYPE_CHECKING:
    from lxml.etree import _Element

WORKBOOK_PART = "xl/workbook.xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = f"{REL}/worksheet"
CUSTOM_PROPS_PART = "docProps/custom.xml"
CUSTOM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_REL = f"{REL}/custom-properties"
_PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                   "bookViews", "sheets", "functionGroups", "externalReferences",
                   "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
                   "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr",
                   "webPublishObjects", "extLst")


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as workbook.xml lists it."""

    name: str
    part: str | None
    """None for a chart sheet or a dangling relationship: never edited."""
    index: int


class Book:
    """A workbook package open for editing."""

    def __init__(self, data: bytes) -> None:
        self.package = Package(data)
        self.part = self._workbook_part()
        self.root = self.package.xml(self.part)
        self.ns = etree.QName(self.root).namespace or MAIN
        self._sheets: dict[str, Sheet] = {}
        self._styles: Styles | None = None
        self._entries: list[SheetEntry] | None = None
        properties = self.root.find(q(self.ns, "workbookPr"))
        self.epoch = (MAC_EPOCH if properties is not None
                      and properties.get("date1904") in ("1", "true") else EXCEL_EPOCH)

    def _workbook_part(self) -> str:
        found = self.package.rels("").of_type("officeDocument")
        return found[0][1] if found else WORKBOOK_PART

    # ----------------------------------------------------------------- sheets

    def entries(self) -> list[SheetEntry]:
        if self._entries is None:
            self._entries = self._read_entries()
        return self._entries

    def _read_entries(self) -> list[SheetEntry]:
        rels = self.package.rels(self.part)
        found = []
        sheets = self.root.find(q(self.ns, "sheets"))
        for index, sheet in enumerate([] if sheets is None else sheets):
            relation = rels.by_id(sheet.get(q(REL, "id"), ""))
            part = None
            if relation is not None and relation.get("Type", "").endswith("/worksheet"):
                part = rels.target(relation)
            found.append(SheetEntry(sheet.get("name", ""), part, index))
        return found

    def entry(self, name: str) -> SheetEntry | None:
        return next((e for e in self.entries() if e.name.casefold() == name.casefold()),
                    None)

    def sheet(self, name: str) -> Sheet:
        """The worksheet `name`, parsed on first use."""
        entry = self.entry(name)
        if entry is None or entry.part is None:
            raise KeyError(name)
        if entry.part not in self._sheets:
            self._sheets[entry.part] = Sheet(entry.name, self.package.read(entry.part),
                                             self.epoch)
        return self._sheets[entry.part]

    def open_sheets(self) -> Iterator[tuple[str, Sheet]]:
        yield from self._sheets.items()

    def part_of(self, sheet: Sheet) -> str:
        return next(part for part, opened in self._sheets.items() if opened is sheet)

    def add_sheet(self, name: str, template: bytes) -> Sheet:
        """A new worksheet after the last one (sheet indexes of the user's defined names
        and views stay as they are)."""
        part = self.package.free_name("xl/worksheets/sheet{}.xml")
        self.package.put(part, template)
        self.package.declare(part, WORKSHEET_TYPE)
        rid = self.package.rels(self.part).add(WORKSHEET_REL, part)
        sheets = self.root.find(q(self.ns, "sheets"))
        if sheets is None:
            sheets = insert_in_order(self.root, etree.Element(q(self.ns, "sheets")),
                                     _WORKBOOK_ORDER)
        used = [int(s.get("sheetId", "0")) for s in sheets]
        etree.SubElement(sheets, q(self.ns, "sheet"),
                         {"name": name, "sheetId": str(max(used, default=0) + 1),
                          q(REL, "id"): rid})
        self.changed()
        self._entries = None
        sheet = Sheet(name, template, self.epoch)
        sheet.changed = True
        self._sheets[part] = sheet
        return sheet

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            found = self.package.rels(self.part).of_type("styles")
            self._styles = Styles(self.package, found[0][1] if found else None)
        return self._styles

    def mentions(self, part: str, pattern: re.Pattern[bytes]) -> bool:
        """Whether a worksheet's XML matches (an open sheet answers from its own copy:
        a part is never decompressed twice)."""
        opened = self._sheets.get(part)
        if opened is not None:
            return opened.mentions(pattern)
        return bool(pattern.search(self.package.read(part)))

    def worksheet_parts(self) -> list[tuple[str, str]]:
        """(name, part) of every worksheet, opened or not."""
        return [(e.name, e.part) for e in self.entries() if e.part is not None]

    def related(self, part: str, kind: str) -> list[str]:
        """The parts a part points to with a relationship of this kind ("table",
        "comments", "drawing", "vmlDrawing", "threadedComment", "chart"…)."""
        return [target for _, target in self.package.rels(part).of_type(kind)]

    # ----------------------------------------------------------------- workbook.xml

    def changed(self) -> None:
        self.package.changed(self.part)

    def defined_names(self) -> list[_Element]:
        names = self.root.find(q(self.ns, "definedNames"))
        return [] if names is None else names.findall(q(self.ns, "definedName"))

    def defined_name(self, name: str, sheet: int | None = None) -> _Element | None:
        scope = None if sheet is None else str(sheet)
        return next((d for d in self.defined_names() if d.get("name") == name
                     and d.get("localSheetId") == scope), None)

    def set_defined_name(self, name: str, formula: str, sheet: int | None = None) -> None:
        """A name of the workbook (or of one sheet, by its index), made or changed."""
        element = self.defined_name(name, sheet)
        if element is None:
            names = self.root.find(q(self.ns, "definedNames"))
            if names is None:
                names = insert_in_order(self.root, etree.Element(q(self.ns, "definedNames")),
                                        _WORKBOOK_ORDER)
            element = etree.SubElement(names, q(self.ns, "definedName"), name=name)
            if sheet is not None:
                element.set("localSheetId", str(sheet))
        if element.text != formula:
            element.text = formula
            self.changed()

    def recalculate_on_open(self) -> None:
        """New formulas have no saved value: Excel and LibreOffice compute them on open."""
        calc = self.root.find(q(self.ns, "calcPr"))
        if calc is None:
            calc = insert_in_order(self.root, etree.Element(q(self.ns, "calcPr")),
                                   _WORKBOOK_ORDER)
            calc.set("calcId", "191029")
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self.changed()

    def drop_calculation_chain(self) -> None:
        """Excel's list of formula cells in calculation order: once rows move it names
        cells that hold no formula, which Excel reports as damage. It rebuilds it."""
        rels = self.package.rels(self.part)
        for rid, part in rels.of_type("calcChain"):
            rels.remove(rid)
            self.package.remove(part)
            self.package.undeclare(part)

    # ----------------------------------------------------------------- properties

    def custom_property(self, name: str) -> str | None:
        if not self.package.has(CUSTOM_PROPS_PART):
            return None
        for prop in self.package.xml(CUSTOM_PROPS_PART):
            if prop.get("name") == name and len(prop):
                return prop[0].text
        return None

    def set_custom_property(self, name: str, value: int) -> None:
        """An integer document property (File > Properties > Custom in Excel)."""
        if self.custom_property(name) == str(value):
            return
        if not self.package.has(CUSTOM_PROPS_PART):
            root = etree.Element(q(CUSTOM_PROPS, "Properties"),
                                 nsmap={None: CUSTOM_PROPS, "vt": VTYPES})
            self.package.changed(CUSTOM_PROPS_PART, root)
            self.package.declare(CUSTOM_PROPS_PART, CUSTOM_PROPS_TYPE)
            self.package.rels("").add(CUSTOM_PROPS_REL, CUSTOM_PROPS_PART)
        root = self.package.xml(CUSTOM_PROPS_PART)
        prop = next((p for p in root if p.get("name") == name), None)
        if prop is None:
            used = [int(p.get("pid", "1")) for p in root]
            prop = etree.SubElement(root, q(CUSTOM_PROPS, "property"),
                                    fmtid=_PROPERTY_FORMAT, pid=str(max(used, default=1) + 1),
                                    name=name)
        for old in list(prop):
            prop.remove(old)
        etree.SubElement(prop, q(VTYPES, "i4")).text = str(value)
        self.package.changed(CUSTOM_PROPS_PART)

    # ----------------------------------------------------------------- writing

    def write(self, target: IO[bytes]) -> None:
        for part, sheet in self._sheets.items():
            if sheet.changed:
                self.package.put(part, sheet.write)
        self.package.write(target)

