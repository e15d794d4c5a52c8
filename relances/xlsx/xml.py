"""Namespaces, the one safe parser, and serialising a tree without touching its prolog."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree import _Element

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VTYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_blank_text=False)
"""No entity expansion, no network, libxml2's size limits on: a part is data, never code."""
_BIG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                              remove_blank_text=False)
"""For the skeleton of a long sheet, whose attributes may pass libxml2's 10 MB text limit
(a conditional format over thousands of scattered cells); still no entities, no network."""

_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>)?\s*")


def q(namespace: str, tag: str) -> str:
    """Clark notation, the only way lxml names an element whatever its prefix in the file."""
    return f"{{{namespace}}}{tag}"


def parse(data: bytes, big: bool = False) -> _Element:
    """The root of a part. A malformed part raises lxml's XMLSyntaxError: the caller says
    the file is damaged."""
    return etree.fromstring(data, _BIG_PARSER if big else _PARSER)


DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
"""Excel's own, for the parts relances adds."""


def prolog(data: bytes) -> bytes:
    """The XML declaration exactly as the part had it (Excel's `standalone="yes"` and its
    line break included, or nothing), so that a rewritten part starts as the original."""
    match = _PROLOG.match(data)
    return match.group(0) if match else b""


def serialise(root: _Element, declaration: bytes) -> bytes:
    """The tree in UTF-8 behind the original declaration; lxml keeps every prefix and
    namespace declaration where the file had them."""
    return declaration + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def local(element: _Element) -> str:
    """The tag without its namespace: "row" for {main}row, whatever the prefix."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def insert_in_order(parent: _Element, element: _Element, order: tuple[str, ...]) -> _Element:
    """Put a new child where the schema's sequence wants it: before the first existing
    child that comes after it in `order`. Excel repairs a file whose children are out of
    order, so appending at the end is not enough."""
    name = local(element)
    later = set(order[order.index(name) + 1:])
    for index, existing in enumerate(parent):
        if local(existing) in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element
