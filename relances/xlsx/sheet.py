"""One worksheet part, edited in place.

A sheet of 50 000 rows is 60 MB of XML and a gigabyte as an lxml tree, so it is never
parsed whole. Everything but the rows (columns, merges, validations, conditional
formats, filters, extension lists) is parsed as a skeleton; the rows stay byte slices
of the original part and only the rows a change touches are parsed, each on its own,
inside a wrapper that declares the worksheet's namespaces so that their prefixes
survive. On writing, untouched rows are copied as they were.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, TYPE_CHECKING

from lxml import etree

from relances.xlsx.references import cell_name, column_index
from relances.xlsx.values import EXCEL_EPOCH, write_value
from relances.xlsx.xml import MAIN, STRICT, insert_in_order, parse, prolog, q

if TYPE_CHECKING:
    from lxml.etree import _Element

_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData\b[^>]*?(/?)>")
_ROW_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?row)\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb"\sr=\"([0-9]+)\"")
_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_XMLNS = re.compile(rb"\sxmlns(?::[A-Za-z_][\w.-]*)?=\"[^\"]*\"")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|f|is)\b[^/>]*>")
class SheetError(Exception):
    """The worksheet's XML cannot be read."""


class _Row:
    """A row of the sheet: a slice of the original part, bytes of its own once a change
    was made and set down (`text`), or a parsed element while a change is under way."""

    __slots__ = ("cells", "dirty", "element", "end", "number", "start", "text")

    def __init__(self, number: int, start: int, end: int,
                 element: _Element | None = None) -> None:
        self.number = number
        self.start = start
        self.end = end
        self.element = element
        self.text: bytes | None = None
        self.dirty = element is not None
        """The parsed element differs from the bytes: it must be written anew."""
        self.cells: dict[int, _Element] | None = None
        """The parsed element's cells by column, once asked for."""


class Sheet:
    """A worksheet: the skeleton tree, and the rows in file order."""

    def __init__(self, name: str, data: bytes, epoch: date = EXCEL_EPOCH) -> None:
        self.name = name
        self.epoch = epoch
        self._data: bytes | None = data
        self.declaration = prolog(data)
        start = _SHEET_DATA.search(data)
        if start is None:
            raise SheetError(f"{name}: pas de sheetData")
        prefix = start.group(1)
        self._tag = (prefix + b":" if prefix else b"") + b"sheetData"
        if start.group(2):
            body_start = body_end = after = start.end()
        else:
            body_start = start.end()
            body_end = data.find(b"</" + self._tag + b">", body_start)
            if body_end < 0:
                raise SheetError(f"{name}: sheetData non fermé")
            after = body_end + len(self._tag) + 3
        skeleton = data[:start.start()] + b"<" + self._tag + b"/>" + data[after:]
        try:
            self.root = parse(skeleton, big=True)
        except etree.XMLSyntaxError as error:
            raise SheetError(f"{name}: {error}") from error
        self.ns = etree.QName(self.root).namespace or MAIN
        if self.ns == STRICT:
            raise SheetError(f"{name}: OOXML strict")
        root_tag = _ROOT_START.search(data)
        declarations = b"".join(_XMLNS.findall(root_tag.group(0) if root_tag else b""))
        declarations += b"".join(_XMLNS.findall(start.group(0)))
        self._wrapper = b"<w" + declarations + b">"
        self.rows: list[_Row] = []
        self._split_rows(body_start, body_end)
        self._index: dict[int, int] | None = None
        self.changed = False

    # ----------------------------------------------------------------- rows

    def _split_rows(self, start: int, end: int) -> None:
        """Cut the rows out of sheetData; anything unusual between them (comments,
        rows without numbers) makes every row parsed once, which is slower but exact."""
        data, position, previous = self._data, start, 0
        while position < end:
            match = _ROW_START.search(data, position, end)
            if match is None:
                if data[position:end].strip():
                    return self._parse_all(start, end)
                break
            if data[position:match.start()].strip():
                return self._parse_all(start, end)
            if match.group(2):
                row_end = match.end()
            else:
                closing = b"</" + match.group(1) + b">"
                row_end = data.find(closing, match.end(), end)
                if row_end < 0:
                    raise SheetError(f"{self.name}: ligne non fermée")
                row_end += len(closing)
            number = _ROW_NUMBER.search(match.group(0))
            if number is None or b"<![CDATA[" in data[match.start():row_end]:
                return self._parse_all(start, end)
            row = int(number.group(1))
            if row <= previous:
                return self._parse_all(start, end)
            self.rows.append(_Row(row, match.start(), row_end))
            previous, position = row, row_end
        return None

    def _parse_all(self, start: int, end: int) -> None:
        """The slow path: sheetData parsed whole, rows and cells numbered explicitly."""
        self.rows = []
        try:
            body = self._parse_fragment(self._data[start:end])
        except etree.XMLSyntaxError as error:
            raise SheetError(f"{self.name}: {error}") from error
        previous = 0
        for element in list(body):
            if not isinstance(element.tag, str) or etree.QName(element).localname != "row":
                continue
            number = int(element.get("r") or previous + 1)
            element.set("r", str(number))
            column = 0
            for cell in element.iterchildren(q(self.ns, "c")):
                ref = cell.get("r")
                column = column_index(_CELL_REF.fullmatch(ref)[1]) if ref else column + 1
                cell.set("r", cell_name(number, column))
            self.rows.append(_Row(number, 0, 0, self._wrapped(element)))
            previous = number

    def _parse_fragment(self, fragment: bytes) -> _Element:
        return parse(self._wrapper + fragment + b"</w>", big=True)

    def _wrapped(self, element: _Element) -> _Element:
        """A row moved into a wrapper of its own, which keeps its namespaces in scope."""
        wrapper = self._parse_fragment(b"")
        wrapper.append(element)
        return element

    def _position(self, number: int) -> int | None:
        if self._index is None:
            self._index = {row.number: i for i, row in enumerate(self.rows)}
        return self._index.get(number)

    def mentions(self, pattern: re.Pattern[bytes]) -> bool:
        """Whether the part's XML, as read, matches (a sheet's name in its formulas)."""
        if self._data is not None:
            return bool(pattern.search(self._data))
        skeleton = etree.tostring(self.root, encoding="UTF-8")
        return bool(pattern.search(skeleton)) or any(
            pattern.search(row.text or b"") for row in self.rows)

    def compact(self) -> None:
        """Once most rows have bytes of their own (a sort rewrote them), copy out the few
        others and let the part as read go: at 50 000 rows that is 60 MB less."""
        if self._data is None or sum(r.text is None for r in self.rows) > len(self.rows) / 2:
            return
        for row in self.rows:
            if row.text is None and row.element is None:
                row.text = self._data[row.start:row.end]
        self._data = None

    def row_numbers(self) -> list[int]:
        return [row.number for row in self.rows]

    def last_row(self) -> int:
        return self.rows[-1].number if self.rows else 0

    def raw_row(self, number: int) -> bytes | None:
        """The row's XML as it is now (for cheap searches: "does it hold a value?")."""
        position = self._position(number)
        return None if position is None else self._raw(self.rows[position])

    def _raw(self, row: _Row) -> bytes:
        if row.element is not None and row.dirty:
            return _serialise_row(row.element)
        if row.text is not None:
            return row.text
        assert self._data is not None
        return self._data[row.start:row.end]

    def set_down(self, number: int) -> None:
        """Turn a parsed row back into bytes: a change over 50 000 rows keeps one row's
        tree at a time, not a gigabyte of them."""
        position = self._position(number)
        if position is not None:
            _set_down(self.rows[position])

    def mark(self, number: int) -> None:
        """Say that a parsed row was changed: the sheet is written with it."""
        position = self._position(number)
        if position is not None:
            self.rows[position].dirty = True
            self.changed = True

    def row_has_values(self, number: int) -> bool:
        """Whether any cell of the row holds a value or a formula (styles alone do not
        count: a pre-formatted empty row is free)."""
        raw = self.raw_row(number)
        if raw is None or not _HAS_VALUE.search(raw):
            return False
        row = self.row(number)
        assert row is not None
        return any(self._holds_value(cell) for cell in row.iterchildren(q(self.ns, "c")))

    def filled(self, number: int, column: int) -> bool:
        """Whether a cell holds a value or a formula (a style alone leaves it free)."""
        cell = self.cells(number).get(column)
        return cell is not None and self._holds_value(cell)

    def last_filled_column(self, number: int) -> int:
        """The rightmost cell of a row holding a value or a formula; 0 for none."""
        return max((column for column, cell in self.cells(number).items()
                    if self._holds_value(cell)), default=0)

    def _holds_value(self, cell: _Element) -> bool:
        for part in cell:
            name = etree.QName(part).localname if isinstance(part.tag, str) else ""
            if name == "f" or name == "is" or (name == "v" and (part.text or "") != ""):
                return True
        return False

    def row(self, number: int, create: bool = False) -> _Element | None:
        """The parsed row element (made when `create` and the row does not exist)."""
        position = self._position(number)
        if position is not None:
            row = self.rows[position]
            if row.element is None:
                row.element = self._parse_fragment(self._raw(row))[0]
            return row.element
        if not create:
            return None
        element = etree.SubElement(self._parse_fragment(b""), q(self.ns, "row"),
                                   r=str(number))
        new = _Row(number, 0, 0, element)
        if not self.rows or self.rows[-1].number < number:
            self.rows.append(new)  # the usual case, a row under the others: no reindexing
            if self._index is not None:
                self._index[number] = len(self.rows) - 1
        else:
            self.rows.insert(bisect.bisect([r.number for r in self.rows], number), new)
            self._index = None
        self.changed = True
        return element

    def rows_where(self, wanted: Callable[[bytes], bool]) -> Iterator[tuple[int, _Element]]:
        """The rows whose XML `wanted` accepts, parsed one at a time and set down again
        once the caller is done with them; the others are not even parsed."""
        for row in list(self.rows):
            if wanted(self._raw(row)):
                element = self.row(row.number)
                assert element is not None
                yield row.number, element
                self.set_down(row.number)

    def rows_naming_row(self, number: int) -> Iterator[tuple[int, _Element]]:
        """The rows whose XML may name row `number` (E7, $E$7, 3:7; not a cell's value),
        found by a plain byte search over the part as read: 50 000 rows are neither
        sliced nor scanned by a regular expression one by one."""
        needle = str(number).encode()
        wanted: set[int] = set()
        data = self._data or b""
        starts = [row.start for row in self.rows]
        position = data.find(needle)
        while position >= 0:
            end = position + len(needle)
            before, after = data[position - 1:position], data[end:end + 1]
            if not (before.isdigit() or before in b">.") and not (after.isdigit()
                                                                   or after == b"."):
                index = bisect.bisect_right(starts, position) - 1
                if index >= 0 and self.rows[index].end > position:
                    wanted.add(index)
            position = data.find(needle, end)
        for index, row in enumerate(self.rows):
            if row.element is not None or row.text is not None:
                wanted.add(index)
        for index in sorted(wanted):
            row = self.rows[index]
            element = self.row(row.number)
            assert element is not None
            yield row.number, element
            self.set_down(row.number)

    def renumber(self, moves: dict[int, int],
                 edit: Callable[[_Element, int, int], None] | None = None) -> None:
        """Give rows new numbers (old -> new) and keep them in order; the cells of each
        moved row are renamed, and `edit(row, old, new)` may change the rest of it (its
        formulas). One moved row is parsed at a time: a sort of 50 000 rows never holds
        them all as trees."""
        for row in self.rows:
            target = moves.get(row.number)
            if target is None:
                continue
            was_parsed = row.element is not None
            if not was_parsed:
                row.element = self._parse_fragment(self._raw(row))[0]
            element = row.element
            element.set("r", str(target))
            for cell in element.iterchildren(q(self.ns, "c")):
                ref = cell.get("r")
                if ref:
                    cell.set("r", _CELL_REF.fullmatch(ref)[1] + str(target))
            if edit is not None:
                edit(element, row.number, target)
            row.dirty = True
            row.number = target
            if not was_parsed:
                _set_down(row)
        self.rows.sort(key=lambda row: row.number)
        self._index = None
        self.changed = True

    # ----------------------------------------------------------------- cells

    def cells(self, number: int) -> dict[int, _Element]:
        """The cells of a row by column (do not change the mapping: `cell` does)."""
        element = self.row(number)
        if element is None:
            return {}
        row = self.rows[self._position(number)]  # type: ignore[index]
        if row.cells is None:
            found = {}
            for cell in element.iterchildren(q(self.ns, "c")):
                match = _CELL_REF.fullmatch(cell.get("r", ""))
                if match:
                    found[column_index(match[1])] = cell
            row.cells = found
        return row.cells

    def cell(self, number: int, column: int) -> _Element:
        """The cell element, made (in column order) when missing."""
        element = self.row(number, create=True)
        assert element is not None
        cells = self.cells(number)
        existing = cells.get(column)
        if existing is not None:
            return existing
        cell = etree.Element(q(self.ns, "c"), r=cell_name(number, column))
        later = min((c for c in cells if c > column), default=None)
        if later is not None:
            cells[later].addprevious(cell)
        else:
            before = element.find(q(self.ns, "extLst"))
            if before is not None:
                before.addprevious(cell)
            else:
                element.append(cell)
        cells[column] = cell
        _widen_spans(element, column)
        self.mark(number)
        return cell

    def set_value(self, number: int, column: int,
                  value: object, style: int | None = None) -> None:
        """Write one value: a number, a text (always text, even "=…"), a date (its serial
        number: the style gives its look), a boolean, a Formula, or None to empty the
        cell. The cell keeps its style unless `style` is given. Nothing is made to hold
        nothing: an empty value for a cell that does not exist leaves it absent."""
        if value is None and style is None and column not in self.cells(number):
            return
        cell = self.cell(number, column)
        write_value(cell, self.ns, value, self.epoch)
        if style is not None:
            if style:
                cell.set("s", str(style))
            else:
                cell.attrib.pop("s", None)
        self.mark(number)

    def clear(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Remove the cells of a block, values and styles."""
        for number in self.row_numbers():
            if not first_row <= number <= last_row:
                continue
            cells = self.cells(number)
            for column in [c for c in cells if first_column <= c <= last_column]:
                cell = cells.pop(column)
                cell.getparent().remove(cell)
                self.mark(number)

    def last_column(self) -> int:
        """The rightmost column holding a value (a small sheet's: every row is parsed)."""
        return max(map(self.last_filled_column, self.row_numbers()), default=0)

    def set_width(self, column: int, width: float) -> None:
        """A column's width, splitting a <col> that spans several columns."""
        cols = self.find("cols")
        if cols is None:
            cols = self.add("cols")
        for existing in list(cols):
            low, high = int(existing.get("min", "0")), int(existing.get("max", "0"))
            if not low <= column <= high:
                continue
            for start, end in ((low, column - 1), (column + 1, high)):
                if start <= end:
                    piece = copy.deepcopy(existing)
                    piece.set("min", str(start))
                    piece.set("max", str(end))
                    if start < column:
                        existing.addprevious(piece)
                    else:
                        existing.addnext(piece)
            existing.set("min", str(column))
            existing.set("max", str(column))
            existing.set("width", f"{width:g}")
            existing.set("customWidth", "1")
            self.changed = True
            return
        new = etree.Element(q(self.ns, "col"), min=str(column), max=str(column),
                            width=f"{width:g}", customWidth="1")
        later = next((c for c in cols if int(c.get("min", "0")) > column), None)
        if later is not None:
            later.addprevious(new)
        else:
            cols.append(new)
        self.changed = True

    def style_of(self, number: int, column: int) -> int:
        cell = self.cells(number).get(column)
        return int(cell.get("s", "0")) if cell is not None else 0

    # ----------------------------------------------------------------- skeleton

    def find(self, tag: str) -> _Element | None:
        return self.root.find(q(self.ns, tag))

    def add(self, tag: str, **attributes: str) -> _Element:
        """A new child of the worksheet, where the schema's sequence puts it."""
        element = etree.Element(q(self.ns, tag), attributes)
        insert_in_order(self.root, element, WORKSHEET_ORDER)
        self.changed = True
        return element

    # ----------------------------------------------------------------- writing

    def write(self, stream: IO[bytes]) -> None:
        """The part as it is now: the skeleton around the rows, untouched rows copied."""
        text = etree.tostring(self.root, encoding="UTF-8", xml_declaration=False)
        marker = b"<" + self._tag + b"/>"
        head, _, tail = text.partition(marker)
        if not _:
            raise SheetError(f"{self.name}: sheetData perdu")
        stream.write(self.declaration)
        stream.write(head)
        if not self.rows:
            stream.write(marker)
        else:
            stream.write(b"<" + self._tag + b">")
            data = memoryview(self._data or b"")
            for row in self.rows:
                if row.element is not None and row.dirty:
                    stream.write(_serialise_row(row.element))
                elif row.text is not None:
                    stream.write(row.text)
                else:
                    stream.write(data[row.start:row.end])
            stream.write(b"</" + self._tag + b">")
        stream.write(tail)


def _set_down(row: _Row) -> None:
    if row.element is not None:
        if row.dirty:
            row.text = _serialise_row(row.element)
        row.element = row.cells = None
        row.dirty = False


def _serialise_row(element: _Element) -> bytes:
    """A row without its wrapper: the wrapper's start tag holds only namespace
    declarations, whose values never contain ">"."""
    text = etree.tostring(element.getparent(), encoding="UTF-8", xml_declaration=False)
    return text[text.index(b">") + 1:text.rindex(b"</")]


def _widen_spans(row: _Element, column: int) -> None:
    """`spans` is Excel's hint of the row's first and last columns: keep it true."""
    spans = row.get("spans")
    if not spans or ":" not in spans:
        return
    first, last = (int(x) for x in spans.split(":", 1))
    if column < first or column > last:
        row.set("spans", f"{min(first, column)}:{max(last, column)}")


WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
    "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
    "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
    "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst")
"""CT_Worksheet's sequence: a child out of this order makes Excel repair the file."""
