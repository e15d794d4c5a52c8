"""The sheets relances adds to a workbook it did not create: Journal and Tableau de bord.

They look like the ones `init` makes (header style, widths, frozen header, filter) and
print well; the live KPI formulas of Tableau de bord are written once, here and in
`init`, from `kpi_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.model import Status
from relances.workbook.layout import Layout
from relances.xlsx.styles import Look

if TYPE_CHECKING:
    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

LAST_ROW = 1048576
"""Rules and validations span whole columns so rows typed by hand later are covered."""
HEADER_FILL = "1F4E78"
HEADER_LOOK = Look(bold=True, color="FFFFFF", fill=HEADER_FILL, wrap=True)
JOURNAL_WIDTHS = (12, 6, 28, 10, 60, 14, 14, 12, 14, 13)
DASHBOARD_WIDTHS = (26, 16, 56)
KPI_KEYS = ("name", "status", "amount", "probability", "next_followup")


def kpi_rows(layout: Layout) -> list[tuple[str, str, str, str]]:
    """(label, formula without "=", number format, definition) of each live KPI: they
    count Suivi's columns whole, so hand edits are counted without running relances."""

    def col(key: str) -> str:
        letter = layout.letter(key)
        return f"{schema.SHEET_TRACKER}!${letter}${layout.header_row + 1}:${letter}${LAST_ROW}"

    status, name = col("status"), col("name")
    won, lost = Status.WON.value, Status.LOST.value
    active = f'{name},"<>",{status},"<>{won}",{status},"<>{lost}"'
    return [
        ("Prospects actifs", f"COUNTIFS({active})", "0",
         "lignes de Suivi ni gagnées ni perdues"),
        ("CA pondéré (€)",
         f'SUMPRODUCT(({status}<>"{won}")*({status}<>"{lost}"),{col("amount")},'
         f'{col("probability")})', schema.AMOUNT_FORMAT,
         "somme des montants × probabilité des prospects actifs"),
        ("Affaires gagnées", f'COUNTIF({status},"{won}")', "0", "statut Gagné"),
        ("Affaires perdues", f'COUNTIF({status},"{lost}")', "0", "statut Perdu"),
        ("Prospects au total", f'COUNTIF({name},"<>")', "0", "toutes les lignes de Suivi"),
        ("Taux de conversion", 'IF(B6=0,"—",B4/B6)', "0.0%", "gagnés / total"),
        ("CA gagné (€)", f'SUMIF({status},"{won}",{col("amount")})', schema.AMOUNT_FORMAT,
         "somme des montants gagnés"),
        ("Relances en retard",
         f'COUNTIFS({active},{col("next_followup")},"<"&TODAY())', "0",
         "prochaine relance dépassée, prospects actifs"),
    ]


def has_kpis(layout: Layout) -> bool:
    return layout.sheet == schema.SHEET_TRACKER and all(map(layout.has, KPI_KEYS))


def write_header(book: Book, sheet: Sheet, row: int, first: int,
                 headers: Sequence[str]) -> None:
    """A header row in relances' look: bold white on dark blue, wrapped."""
    style = book.styles.add(HEADER_LOOK)
    for offset, text in enumerate(headers):
        sheet.set_value(row, first + offset, text, style)


def add_journal(book: Book) -> Sheet:
    """Journal, made at the first interaction recorded on a tracker that has none."""
    return add_lines_sheet(book, schema.SHEET_JOURNAL, schema.JOURNAL_HEADERS, JOURNAL_WIDTHS)


def add_lines_sheet(book: Book, name: str, headers: Sequence[str],
                    widths: Sequence[float]) -> Sheet:
    """A sheet of lines (Journal, Contacts): relances' header, a filter over every
    column, the header printed on each page."""
    from relances.xlsx.blank import blank_sheet
    from relances.xlsx.references import column_letters

    sheet = book.add_sheet(name, blank_sheet(widths))
    write_header(book, sheet, 1, 1, headers)
    _tall_header(sheet)
    sheet.add("autoFilter", ref=f"A1:{column_letters(len(headers))}{LAST_ROW}")
    _print_titles(book, name)
    return sheet


def add_dashboard(book: Book, layout: Layout) -> Sheet:
    """Tableau de bord, made by the first `analyse` on a tracker that has none: with the
    live KPIs when Suivi has the columns they count."""
    from relances.xlsx.blank import blank_sheet
    from relances.xlsx.values import Formula

    sheet = book.add_sheet(schema.SHEET_DASHBOARD, blank_sheet(DASHBOARD_WIDTHS,
                                                               one_page=True))
    if has_kpis(layout):
        write_header(book, sheet, 1, 1, ("Indicateur", "Valeur", "Définition"))
        _tall_header(sheet)
        bold = book.styles.add(Look(bold=True))
        for row, (label, formula, number_format, definition) in enumerate(
                kpi_rows(layout), start=2):
            sheet.set_value(row, 1, label, bold)
            sheet.set_value(row, 2, Formula(formula),
                            book.styles.add(Look(number_format=number_format)))
            sheet.set_value(row, 3, definition)
        book.recalculate_on_open()
    return sheet


def _tall_header(sheet: Sheet) -> None:
    row = sheet.row(1)
    assert row is not None
    row.set("ht", "32")
    row.set("customHeight", "1")
    sheet.mark(1)


def _print_titles(book: Book, name: str) -> None:
    """The header row is printed at the top of every page."""
    entry = book.entry(name)
    assert entry is not None
    book.set_defined_name("_xlnm.Print_Titles", f"'{name}'!$1:$1", entry.index)
