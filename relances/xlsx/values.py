"""What one cell holds, written as Excel writes it: numbers, dates as serial numbers,
inline text (escaped, within Excel's length), formulas without their saved value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from lxml import etree

from relances.xlsx.xml import q

if TYPE_CHECKING:
    from lxml.etree import _Element

_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CELL_CHILDREN = ("f", "v", "is", "extLst")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MAX_TEXT = 32767
"""Excel's limit for one cell: a longer text makes it repair the file."""
EXCEL_EPOCH = date(1899, 12, 30)
MAC_EPOCH = date(1904, 1, 1)


@dataclass(frozen=True)
class Formula:
    """A formula to write, without "=" and without a saved value."""

    text: str


def write_value(cell: _Element, ns: str, value: object, epoch: date = EXCEL_EPOCH) -> None:
    """Replace a cell's content, keeping its style and every other attribute."""
    for part in list(cell):
        if isinstance(part.tag, str) and etree.QName(part).localname in ("f", "v", "is"):
            cell.remove(part)
    for attribute in ("t", "cm", "vm"):
        cell.attrib.pop(attribute, None)
    if value is None:
        return
    if isinstance(value, Formula):
        _add(cell, ns, "f").text = escape_text(value.text)
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        _add(cell, ns, "v").text = "1" if value else "0"
    elif isinstance(value, int | float | Decimal):
        _add(cell, ns, "v").text = number_text(value)
    elif isinstance(value, datetime | date | time):
        _add(cell, ns, "v").text = number_text(serial(value, epoch))
    else:
        cell.set("t", "inlineStr")
        text = etree.SubElement(_add(cell, ns, "is"), q(ns, "t"))
        text.text = escape_text(str(value)[:MAX_TEXT])
        if text.text != text.text.strip() or "\n" in text.text:
            text.set(_XML_SPACE, "preserve")


def _add(cell: _Element, ns: str, tag: str) -> _Element:
    """A child in the schema's order (f, v, is, then extLst)."""
    element = etree.Element(q(ns, tag))
    later = _CELL_CHILDREN[_CELL_CHILDREN.index(tag) + 1:]
    for existing in cell:
        if isinstance(existing.tag, str) and etree.QName(existing).localname in later:
            existing.addprevious(element)
            return element
    cell.append(element)
    return element


def number_text(value: int | float | Decimal) -> str:
    """A number as Excel writes it: integers without ".0", the shortest exact decimal."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def serial(value: date | datetime | time, epoch: date = EXCEL_EPOCH) -> float | int:
    """Excel's serial number: days since the workbook's epoch, the time as a fraction."""
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, datetime):
        delta = value - datetime.combine(epoch, time())
        return delta / timedelta(days=1)
    return (value - epoch).days


def escape_text(text: str) -> str:
    """Text as OOXML stores it: "_x0041_" typed by a user stays literal, and characters
    XML cannot carry are written the way Excel writes them (_x0001_)."""
    text = _ESCAPED.sub(r"_x005F_\1", text)
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
