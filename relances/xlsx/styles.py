"""styles.xml: the number format a cell shows, and the few new styles relances needs.

A new style is always looked for among the existing ones first, so that running a
command a hundred times adds a style once, not a hundred times.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from relances.xlsx.xml import MAIN, insert_in_order, local, q

if TYPE_CHECKING:
    from lxml.etree import _Element

    from relances.xlsx.package import Package

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
"""The formats ECMA-376 numbers without writing them (§18.8.30). Written out here rather
than taken from openpyxl, whose import costs every `maj` a tenth of a second."""
_EAST_ASIAN_DATES = frozenset((*range(27, 37), *range(50, 59)))
"""Ids Excel uses for dates in Chinese, Japanese and Korean locales."""
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)

_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")
_FIRST_CUSTOM_FORMAT = 164
_MINIMAL = (
    b'<styleSheet xmlns="' + MAIN.encode() + b'"><fonts count="1"><font><sz val="11"/>'
    b'<name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill>'
    b'<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    b'</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    b'</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    b'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
    b'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle '
    b'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
"""What Excel needs at the least, for a package made without styles."""
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


@dataclass(frozen=True)
class Look:
    """A style relances gives to cells it creates itself (headers, captions)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    """Font colour, "RRGGBB"."""
    fill: str | None = None
    """Solid background, "RRGGBB"."""
    wrap: bool = False
    number_format: str | None = None


class Styles:
    """The workbook's styles part, parsed when a cell's format must be known or made."""

    def __init__(self, package: Package, part: str | None) -> None:
        self.package = package
        if part is None:
            part = "xl/styles.xml"
            package.changed(part, etree.fromstring(_MINIMAL))
            package.declare(part, STYLES_TYPE)
            package.rels("xl/workbook.xml").add(STYLES_REL, part)
        self.part = part
        self.root = package.xml(part)
        self.ns = etree.QName(self.root).namespace or MAIN
        self._codes: dict[int, str] | None = None

    def _section(self, name: str, create: bool = False) -> _Element | None:
        section = self.root.find(q(self.ns, name))
        if section is None and create:
            section = insert_in_order(self.root, etree.Element(q(self.ns, name)), _ORDER)
        return section

    def _cell_formats(self) -> list[_Element]:
        section = self._section("cellXfs")
        return [] if section is None else section.findall(q(self.ns, "xf"))

    def _custom_codes(self) -> dict[int, str]:
        if self._codes is None:
            section = self._section("numFmts")
            self._codes = {} if section is None else {
                int(f.get("numFmtId", "0")): f.get("formatCode", "")
                for f in section.iterchildren(q(self.ns, "numFmt"))}
        return self._codes

    def number_format(self, style: int) -> str:
        """The format code a cell of this style shows its number with."""
        formats = self._cell_formats()
        if not 0 <= style < len(formats):
            return "General"
        number = int(formats[style].get("numFmtId", "0"))
        return self._custom_codes().get(number) or BUILTIN_FORMATS.get(number, "General")

    def shows_date(self, style: int) -> bool:
        """Whether the format shows a date or a time: a day, month, year, hour or second
        code outside quoted text, escapes and [colours] ([h] of elapsed time counts)."""
        formats = self._cell_formats()
        if 0 <= style < len(formats) and int(formats[style].get("numFmtId", "0")) \
                in _EAST_ASIAN_DATES:
            return True
        code = self.number_format(style).split(";", 1)[0]
        return bool(_DATE_CODE.search(_LITERALS.sub("", code)))

    def shows_percent(self, style: int) -> bool:
        return "%" in _LITERALS.sub("", self.number_format(style))

    def shows_general(self, style: int) -> bool:
        return self.number_format(style) in ("General", "@")

    def with_number_format(self, style: int, code: str) -> int:
        """The style of a cell that looks like `style` but shows numbers with `code`."""
        formats = self._cell_formats()
        if not formats:
            return self.add(Look(number_format=code))
        base = formats[style] if 0 <= style < len(formats) else formats[0]
        xf = copy.deepcopy(base)
        xf.set("numFmtId", str(self._format_id(code)))
        xf.set("applyNumberFormat", "1")
        return self._find_or_add(xf)

    def add(self, look: Look) -> int:
        """The style of a cell relances creates: the default font and border, changed as
        `look` says; reused when an equal style is there."""
        formats = self._cell_formats()
        base = formats[0] if formats else None
        xf = etree.Element(q(self.ns, "xf"))
        for name in ("numFmtId", "fontId", "fillId", "borderId", "xfId"):
            xf.set(name, base.get(name, "0") if base is not None else "0")
        if look.number_format:
            xf.set("numFmtId", str(self._format_id(look.number_format)))
            xf.set("applyNumberFormat", "1")
        if look.bold or look.italic or look.size or look.color:
            xf.set("fontId", str(self._font(look)))
            xf.set("applyFont", "1")
        if look.fill:
            xf.set("fillId", str(self._fill(look.fill)))
            xf.set("applyFill", "1")
        if look.wrap:
            etree.SubElement(xf, q(self.ns, "alignment"), wrapText="1", vertical="center")
            xf.set("applyAlignment", "1")
        return self._find_or_add(xf)

    def _find_or_add(self, xf: _Element) -> int:
        wanted = _signature(xf)
        formats = self._cell_formats()
        for index, existing in enumerate(formats):
            if _signature(existing) == wanted:
                return index
        section = self._section("cellXfs", create=True)
        assert section is not None
        section.append(xf)
        section.set("count", str(len(formats) + 1))
        self.package.changed(self.part)
        return len(formats)

    def _format_id(self, code: str) -> int:
        for number, builtin in BUILTIN_FORMATS.items():
            if builtin == code:
                return number
        codes = self._custom_codes()
        for number, existing in codes.items():
            if existing == code:
                return number
        number = max([_FIRST_CUSTOM_FORMAT - 1, *codes]) + 1
        section = self._section("numFmts", create=True)
        assert section is not None
        etree.SubElement(section, q(self.ns, "numFmt"), numFmtId=str(number), formatCode=code)
        section.set("count", str(len(section)))
        codes[number] = code
        self.package.changed(self.part)
        return number

    def highlight(self, fill: str, color: str) -> int:
        """The differential format of a colour rule (a fill and a text colour, "RRGGBB"),
        reused when the workbook has it already."""
        dxfs = self._section("dxfs", create=True)
        assert dxfs is not None
        dxf = etree.Element(q(self.ns, "dxf"))
        font = etree.SubElement(dxf, q(self.ns, "font"))
        etree.SubElement(font, q(self.ns, "color"), rgb=f"FF{color}")
        pattern = etree.SubElement(etree.SubElement(dxf, q(self.ns, "fill")),
                                   q(self.ns, "patternFill"))
        etree.SubElement(pattern, q(self.ns, "bgColor"), rgb=f"FF{fill}")
        return self._reuse(dxfs, "dxf", dxf)

    def _font(self, look: Look) -> int:
        fonts = self._section("fonts", create=True)
        assert fonts is not None
        existing = fonts.findall(q(self.ns, "font"))
        font = (copy.deepcopy(existing[0]) if existing
                else etree.Element(q(self.ns, "font")))
        for part in list(font):
            if local(part) in ("b", "i", "color") or (look.size and local(part) == "sz"):
                font.remove(part)
        if look.bold:
            font.insert(0, etree.Element(q(self.ns, "b")))
        if look.italic:
            font.insert(0, etree.Element(q(self.ns, "i")))
        if look.color:
            etree.SubElement(font, q(self.ns, "color"), rgb=f"FF{look.color}")
        if look.size:
            etree.SubElement(font, q(self.ns, "sz"), val=f"{look.size:g}")
        return self._reuse(fonts, "font", font)

    def _fill(self, colour: str) -> int:
        fills = self._section("fills", create=True)
        assert fills is not None
        fill = etree.Element(q(self.ns, "fill"))
        pattern = etree.SubElement(fill, q(self.ns, "patternFill"), patternType="solid")
        etree.SubElement(pattern, q(self.ns, "fgColor"), rgb=f"FF{colour}")
        etree.SubElement(pattern, q(self.ns, "bgColor"), indexed="64")
        return self._reuse(fills, "fill", fill)

    def _reuse(self, section: _Element, tag: str, element: _Element) -> int:
        wanted = _signature(element)
        existing = section.findall(q(self.ns, tag))
        for index, other in enumerate(existing):
            if _signature(other) == wanted:
                return index
        section.append(element)
        section.set("count", str(len(existing) + 1))
        self.package.changed(self.part)
        return len(existing)


def _signature(element: _Element) -> tuple[object, ...]:
    """What an element says, whatever the prefixes and the order of its attributes: two
    styles with the same signature look the same."""
    return (element.tag, tuple(sorted(element.attrib.items())), (element.text or "").strip(),
            tuple(_signature(part) for part in element if isinstance(part.tag, str)))
