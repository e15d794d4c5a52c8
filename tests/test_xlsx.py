"""The OOXML editor on its own: references, rows, cells and the package, piece by piece.

The commands' tests (test_zero_loss.py) show the editor at work on a whole user file;
these pin down the rules it applies, including the shapes of XML that Excel does not
write but other programs do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from relances.xlsx.book import Book
from relances.xlsx.package import Package
from relances.xlsx.references import (
    Insertion,
    _rewrite_tokens,
    follow_rows,
    move_sqref,
    rewrite_references,
    shift_formula,
    shift_sqref,
    translate_formula,
)
from relances.xlsx.sheet import Sheet
from relances.xlsx.values import Formula, escape_text, number_text, serial

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(("formula", "expected"), [
    ("SUM(E4:E7)", "SUM(E4:E8)"),                   # a range over the data grows
    ("E7", "E7"),                                   # a cell stays a cell
    ("SUM(E7:F7)", "SUM(E7:F7)"),                   # one row is not the data
    ("E8*2", "E9*2"),                               # the totals row moves down
    ("SUM($E$4:$E$7)+$E$8", "SUM($E$4:$E$8)+$E$9"),  # $ signs kept, rows moved all the same
    ("Calc!A8", "Calc!A8"),                         # another sheet is not moved
    ("SUM(A:A)", "SUM(A:A)"),                       # whole columns need nothing
    ("SUM(E4:E7)  +  1", "SUM(E4:E8)  +  1"),       # spacing kept as typed
    ('IF(A8="E7",1,2)', 'IF(A9="E7",1,2)'),         # text is never a reference
    ("SUBTOTAL(109,Table1[Montant])", "SUBTOTAL(109,Table1[Montant])"),
    ("[1]Suivi!A9", "[1]Suivi!A9"),                 # another workbook's Suivi
])
def test_an_insertion_moves_and_grows_references_on_its_sheet(formula: str,
                                                               expected: str) -> None:
    assert shift_formula(formula, "Suivi", Insertion("Suivi", 8, 1)) == expected


@pytest.mark.parametrize(("formula", "expected"), [
    ("SUM(Suivi!E4:E7)", "SUM(Suivi!E4:E8)"),
    ("'Suivi'!$E$8", "'Suivi'!$E$9"),
    ("suivi!E8", "suivi!E9"),                        # sheet names ignore case
    ("SUM(E4:E7)", "SUM(E4:E7)"),                    # this sheet's own cells
    ("'L''atelier'!A8", "'L''atelier'!A8"),
])
def test_other_sheets_follow_only_their_references_to_it(formula: str, expected: str) -> None:
    assert shift_formula(formula, "Calc", Insertion("Suivi", 8, 1)) == expected


def test_a_quoted_sheet_name_with_an_apostrophe_is_found() -> None:
    insertion = Insertion("L'atelier", 8, 2)
    assert shift_formula("SUM('L''atelier'!B2:B7)", "Calc", insertion) == \
        "SUM('L''atelier'!B2:B9)"


def test_rows_that_were_free_do_not_move() -> None:
    appended = Insertion("Suivi", 8, 1, move=False)
    assert shift_formula("SUM(E4:E7)+E20", "Suivi", appended) == "SUM(E4:E8)+E20"


@pytest.mark.parametrize(("sqref", "expected"), [
    ("D4:D7", "D4:D8"), ("D4", "D4"), ("D7", "D7:D8"), ("A2:V1048576", "A2:V1048576"),
    ("B4:B5 D7", "B4:B5 D7:D8"), ("E9", "E10"),
])
def test_validation_and_rule_ranges(sqref: str, expected: str) -> None:
    assert shift_sqref(sqref, Insertion("Suivi", 8, 1)) == expected


def test_a_sort_moves_the_cells_of_sorted_rows_and_keeps_whole_ranges() -> None:
    moves = {4: 7, 7: 4}
    assert move_sqref("D4", moves, 4, 7) == "D7"
    assert move_sqref("D4:D7", moves, 4, 7) == "D4:D7"
    assert move_sqref("B4 C7", moves, 4, 7) == "C4 B7"
    assert move_sqref("D2:D1048576", moves, 4, 7) == "D2:D1048576"


@pytest.mark.parametrize(("formula", "expected"), [
    ('IF(ISNUMBER(J4),TODAY()-J4,"")', 'IF(ISNUMBER(J7),TODAY()-J7,"")'),
    ("Calc!A4*2", "Calc!A4*2"),          # what it points to elsewhere stays
    ("SUM(E4:E7)", "SUM(E4:E7)"),        # a range over several sorted rows stays
    ("G4+G5", "G7+G5"),
    ("$A$4", "$A$7"),                    # the row moved: even an absolute reference follows
    ('"J4"&J4', '"J4"&J7'),
])
def test_a_sorted_formula_keeps_pointing_at_its_own_row(formula: str, expected: str) -> None:
    assert follow_rows(formula, "Suivi", "Suivi", {4: 7, 7: 4}) == expected


_OPERANDS = st.sampled_from(["J12", "$J$12", "A3", "B12:D12", "C3:C12", "LOG10(J12)",
                             "12", '""', "1E+12", "G12*H12", "SUM(A1:A12)", "TODAY()",
                             "ATAN2(A12,B3)", "IF(J12>0,J3,\"\")", "AB12", "SUM(5:7)",
                             "XFD12", "$A12:B$3"])
_OPERATORS = st.sampled_from(["+", "-", "*", "&", ",", ">=", " "])


@settings(max_examples=300, deadline=None)
@given(first=_OPERANDS, rest=st.lists(st.tuples(_OPERATORS, _OPERANDS), max_size=6),
       moves=st.dictionaries(st.sampled_from([3, 7, 12]), st.sampled_from([3, 4, 12, 40]),
                             max_size=3))
def test_the_quick_path_gives_what_the_tokenizer_gives(
        first: str, rest: list[tuple[str, str]], moves: dict[int, int]) -> None:
    formula = first + "".join(operator + operand for operator, operand in rest)
    for change in _changes(moves):
        assert rewrite_references(formula, change) == _rewrite_tokens(formula, change)


@pytest.mark.parametrize("formula", [
    "Suivi!$A$1:$V$1001", "'Tableau de bord'!$E$1:$I$40", "'L''atelier'!B12", "S!$12:$12",
    "Suivi!A:B", "Société.2026!C3:C12", "[1]Tarifs!A1", "Suivi!A1+1", "'S'!A12:B12"])
def test_one_reference_to_a_sheet_is_read_as_the_tokenizer_reads_it(formula: str) -> None:
    for change in _changes({12: 3, 1001: 1002}, sheet="Suivi"):
        assert rewrite_references(formula, change) == _rewrite_tokens(formula, change)


def _changes(moves: dict[int, int],
             sheet: str = "S") -> list[Callable[[str | None, str], str | None]]:
    """What the editor asks of references: follow a sort, shift for an insertion, copy."""
    insertion = Insertion(sheet, min(moves, default=5), 2)

    def on(rewrite: Callable[[str], str]) -> Callable[[str | None, str], str | None]:
        """The reference rewritten as it stands in its formula, sheet name included."""
        def change(named: str | None, ref: str) -> str:
            quoted = "" if named is None else "'" + named.replace("'", "''") + "'!"
            result = rewrite(quoted + ref)
            return result[len(quoted):] if result.startswith(quoted) else result
        return change

    return [on(lambda ref: follow_rows(ref, sheet, sheet, moves)),
            on(lambda ref: shift_formula(ref, sheet, insertion)),
            on(lambda ref: translate_formula(ref, 3, 2))]


def test_a_shared_formula_copied_down_and_right() -> None:
    assert translate_formula("$A$1+B2*C$3", 2, 1) == "$A$1+C4*D$3"
    assert translate_formula("A1", -1) == "#REF!"


# --------------------------------------------------------------------------- cells


def test_text_is_stored_as_excel_stores_it() -> None:
    assert escape_text("_x0041_ \x01 ok") == "_x005F_x0041_ _x0001_ ok"
    assert number_text(8500.0) == "8500" and number_text(0.1) == "0.1"
    assert serial(date(2026, 1, 20)) == 46042
    assert serial(datetime(2026, 1, 20, 12)) == 46042.5


def _sheet(rows: str) -> Sheet:
    return Sheet("Feuil1", f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData>'
                 '</worksheet>'.encode())


def _written(sheet: Sheet) -> bytes:
    buffer = io.BytesIO()
    sheet.write(buffer)
    return buffer.getvalue()


def test_an_untouched_sheet_is_written_as_it_was_read() -> None:
    data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet '
            f'xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility'
            '/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
            ' mc:Ignorable="x14ac"><sheetData><row r="1" x14ac:dyDescent="0.25"><c r="A1">'
            '<v>1</v></c></row></sheetData></worksheet>').encode()
    assert _written(Sheet("S", data)) == data


def test_a_changed_row_keeps_the_prefixes_of_its_file() -> None:
    data = ('<x:worksheet xmlns:x="' + MAIN + '" xmlns:x14ac="urn:ac"><x:sheetData>'
            '<x:row r="1" x14ac:dyDescent="0.3"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
            '</x:sheetData></x:worksheet>').encode()
    sheet = Sheet("S", data)
    sheet.set_value(1, 2, "deux")
    sheet.set_value(2, 1, Formula("A1*2"))
    out = _written(sheet).decode()
    assert '<x:row r="1" x14ac:dyDescent="0.3"><x:c r="A1"><x:v>1</x:v></x:c>' in out
    assert '<x:c r="B1" t="inlineStr"><x:is><x:t>deux</x:t></x:is></x:c>' in out
    assert '<x:row r="2"><x:c r="A2"><x:f>A1*2</x:f></x:c></x:row>' in out
    assert "ns0" not in out and out.count("xmlns:x=") == 1


def test_rows_written_without_numbers_are_numbered_once() -> None:
    """Excel numbers every row and cell; some generators leave them implicit."""
    sheet = _sheet('<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c><v>3</v></c>'
                   '</row><row><c r="C5"><v>4</v></c></row>')
    assert sheet.row_numbers() == [1, 4, 5]
    assert sorted(sheet.cells(1)) == [1, 2] and sorted(sheet.cells(5)) == [3]


def test_a_comment_between_rows_is_kept() -> None:
    sheet = _sheet('<row r="1"><c r="A1"><v>1</v></c></row><!-- gardé -->'
                   '<row r="2"><c r="A2"><v>2</v></c></row>')
    sheet.set_value(3, 1, 3)
    assert sheet.row_numbers() == [1, 2, 3]


def test_a_value_replaces_a_cell_content_and_keeps_its_style() -> None:
    sheet = _sheet('<row r="1"><c r="A1" s="4" t="s" vm="1"><v>7</v></c></row>')
    sheet.set_value(1, 1, True)
    assert b'<c r="A1" s="4" t="b"><v>1</v></c>' in _written(sheet)
    sheet.set_value(1, 1, None)
    assert b'<c r="A1" s="4"/>' in _written(sheet)


def test_a_new_cell_goes_in_column_order() -> None:
    sheet = _sheet('<row r="1"><c r="A1"><v>1</v></c><c r="D1"><v>4</v></c></row>')
    sheet.set_value(1, 3, 3)
    sheet.set_value(1, 27, 27)
    refs = [c.get("r") for c in etree.fromstring(_written(sheet)).iter(f"{{{MAIN}}}c")]
    assert refs == ["A1", "C1", "D1", "AA1"]


# --------------------------------------------------------------------------- package


def test_a_package_written_without_changes_keeps_every_entry() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a/>")
        archive.writestr("xl/b.bin", bytes(range(256)) * 40)
    data = buffer.getvalue()
    package = Package(data)
    out = io.BytesIO()
    package.write(out)
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(out) as after:
        assert [i.filename for i in before.infolist()] == [i.filename for i in after.infolist()]
        for a, b in zip(before.infolist(), after.infolist(), strict=True):
            assert (a.CRC, a.compress_size, a.date_time) == (b.CRC, b.compress_size,
                                                             b.date_time)


def test_a_book_adds_a_sheet_where_excel_would(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "b.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Suivi"
    book.save(path)
    edited = Book(path.read_bytes())
    sheet = edited.add_sheet("Journal", f'<worksheet xmlns="{MAIN}"><sheetData/>'
                                        "</worksheet>".encode())
    sheet.set_value(1, 1, "Date")
    out = tmp_path / "c.xlsx"
    with out.open("wb") as stream:
        edited.write(stream)
    reread = openpyxl.load_workbook(out)
    assert reread.sheetnames == ["Suivi", "Journal"]
    assert reread["Journal"]["A1"].value == "Date"
