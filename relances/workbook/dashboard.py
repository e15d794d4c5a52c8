"""The analysis block and its charts on Tableau de bord, replaced at each `analyse`.

The block's cells are named (RelancesAnalyse), so the next run empties exactly them,
never a cell of the user's around it; relances' charts carry a mark in their
description, so the next run replaces them and never touches a chart of the user's.
Charts sit to the right of the block, beside the tables they draw, never over them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relances.core import schema
from relances.workbook.layout import Layout
from relances.workbook.sheets import HEADER_LOOK, add_dashboard
from relances.xlsx.references import column_letters, ranges_of
from relances.xlsx.styles import Look

if TYPE_CHECKING:
    from lxml.etree import _Element

    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

ANALYSIS_NAME = "RelancesAnalyse"
"""Defined name over the block `analyse` wrote on Tableau de bord."""
ANALYSIS_COLUMN = 5
"""Column E: beside the live KPIs (A to C), one empty column between."""
CHART_MARK = "relances analyse"
_CHART_WIDTH, _CHART_HEIGHT = 17.0, 8.5
"""Centimetres: the charts stacked beside the tables, two to a landscape page."""
_CHART_ROWS = 18


@dataclass(frozen=True)
class ChartTable:
    """One table of figures written on Tableau de bord, and the native chart drawn from it.

    Column 0 holds the categories; `bars` and `line` are the columns drawn (0-based): a
    table with no bars is written without a chart."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    formats: tuple[str | None, ...]
    bars: tuple[int, ...]
    line: tuple[int, ...] = ()
    axis_format: str = "0"


def write_analysis(book: Book, layout: Layout, caption: str,
                   tables: Sequence[ChartTable]) -> None:
    """Replace the previous analysis on Tableau de bord: its data block and its charts.
    The live KPI formulas stay; a tracker without the sheet gains it."""
    if book.entry(schema.SHEET_DASHBOARD) is None:
        sheet = add_dashboard(book, layout)
    else:
        sheet = book.sheet(schema.SHEET_DASHBOARD)
    first = _clear_previous(book, sheet)
    width = max(len(t.headers) for t in tables)
    for offset, size in enumerate((24, *([13] * (width - 1)))):
        sheet.set_width(first + offset, size)
    styles = book.styles
    sheet.set_value(1, first, caption, styles.add(Look(bold=True, size=12)))
    sheet.set_value(2, first, "Données des graphiques, remplacées à chaque « relances "
                    "analyse ».", styles.add(Look(italic=True, color="595959")))
    bold, header_style = styles.add(Look(bold=True)), styles.add(HEADER_LOOK)
    row, drawn = 4, []
    for table in tables:
        sheet.set_value(row, first, table.title, bold)
        header = row + 1
        for offset, text in enumerate(table.headers):
            sheet.set_value(header, first + offset, text, header_style)
        formats = [styles.add(Look(number_format=f)) if f else None for f in table.formats]
        for line, values in enumerate(table.rows, start=header + 1):
            for offset, value in enumerate(values):
                sheet.set_value(line, first + offset, value, formats[offset])
        last = header + len(table.rows)
        if table.rows and table.bars:
            drawn.append((table, header, last))
        row = last + 2
    end = column_letters(first + width - 1)
    book.set_defined_name(ANALYSIS_NAME,
                          f"'{sheet.name}'!${column_letters(first)}$1:${end}${row}")
    _replace_charts(book, sheet, drawn, first, first + width + 1, {t.title for t in tables})


def _clear_previous(book: Book, sheet: Sheet) -> int:
    """Empty the block the last run wrote and return where the new one goes: the same
    place, or column E when it is free, else the first free column on the right."""
    previous = book.defined_name(ANALYSIS_NAME)
    if previous is not None and previous.text and "!" in previous.text:
        where, ref = previous.text.rsplit("!", 1)
        spans = ranges_of(ref.replace("$", ""))
        if where.strip("'").replace("''", "'") == sheet.name and spans:
            top, left, bottom, right = spans[0]
            sheet.clear(top, left, bottom, right)
            return left
    used = sheet.last_column()
    return ANALYSIS_COLUMN if used < ANALYSIS_COLUMN else used + 2


def _replace_charts(book: Book, sheet: Sheet, drawn: list[tuple[ChartTable, int, int]],
                    first: int, column: int, titles: set[str]) -> None:
    """relances' charts out (those it marked, and those of earlier versions, found by
    their titles), the new ones in, stacked in the column right of the block."""
    from relances.xlsx.drawing import add_chart, chart_title, description, remove_charts

    drawing_part = _drawing(book, sheet, bool(drawn))
    if drawing_part is None:
        return

    def ours(anchor: _Element, chart: _Element) -> bool:
        return description(anchor) == CHART_MARK or chart_title(chart) in titles

    remove_charts(book, drawing_part, ours)
    for index, (table, header, last) in enumerate(drawn):
        xml = _chart_xml(sheet.name, table, first, header, last)
        add_chart(book, drawing_part, xml, f"Graphique {table.title}", CHART_MARK,
                  column, 4 + _CHART_ROWS * index, _CHART_WIDTH, _CHART_HEIGHT)


def _drawing(book: Book, sheet: Sheet, needed: bool) -> str | None:
    from relances.xlsx.drawing import sheet_drawing

    existing = book.related(book.part_of(sheet), "drawing")
    if existing or needed:
        return sheet_drawing(book, sheet)
    return None


def _chart_xml(sheet: str, table: ChartTable, first: int, header: int, last: int) -> bytes:
    """A clustered column chart (and a line over it), built by openpyxl's chart classes:
    every flag said, axes shown (LibreOffice reads an absent flag as "show")."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.xml.functions import tostring

    quoted = "'" + sheet.replace("'", "''") + "'"

    def reference(column: int, top: int) -> Reference:
        letter = column_letters(first + column)
        return Reference(range_string=f"{quoted}!${letter}${top}:${letter}${last}")

    def series(columns: Sequence[int], chart: BarChart | LineChart) -> None:
        for column in columns:
            chart.add_data(reference(column, header), titles_from_data=True)
        chart.set_categories(reference(0, header + 1))

    chart = BarChart()
    chart.type, chart.grouping, chart.title = "col", "clustered", table.title
    chart.style = 10
    series(table.bars, chart)
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                     showLegendKey=False, showPercent=False,
                                     showBubbleSize=False)
    chart.y_axis.numFmt = table.axis_format
    chart.y_axis.scaling.min = 0
    chart.legend.position = "b"
    if table.line:
        line = LineChart()
        series(table.line, line)
        chart += line
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + tostring(
        chart._write())
