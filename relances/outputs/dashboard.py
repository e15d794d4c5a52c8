"""The monthly dashboard `relances analyse` prints as a PDF: KPI tiles, charts,
recommendations, the source and owner tables, lost reasons and definitions, on A4.

It is drawn from the analysis and its advice alone, with the labels, headers and
definitions of the catalogue (core/figures), so the PDF, the terminal and the JSON always
print the same figures under the same names. Charts are vector drawings
(reportlab.graphics) in three greys with black outlines and a value on every bar: they
read the same printed in black and white. reportlab is imported inside the functions that
draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from relances.core import figures
from relances.core.model import CALL_BACK_SCORE
from relances.outputs.pdf import escape, register_fonts
from relances.text.show import format_amount, format_date, format_percent

if TYPE_CHECKING:
    from relances.core.advice import Recommendation
    from relances.core.figures import Breakdown
    from relances.core.model import Settings
    from relances.core.stats import Analysis


_BAR_GREYS = ("#404040", "#9A9A9A", "#E2E2E2")
"""Dark, mid, light: three fills a black-and-white printer keeps apart."""


def dashboard_pdf(a: Analysis, advice: Sequence[Recommendation], settings: Settings,
                  today: date) -> bytes:
    """The A4 dashboard: title and period, KPI tiles, the three charts, recommendations,
    the source and owner tables, lost reasons, and what every figure counts."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus.flowables import BalancedColumns

    register_fonts()
    width = A4[0] - 30 * mm

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, **{"fontName": "Vera", "fontSize": 8.5, "leading": 11,
                                       **kw})

    body, small = style("body"), style("small", fontSize=6.6, leading=7.9,
                                       textColor=colors.HexColor("#404040"))
    heading = style("heading", fontName="VeraBd", fontSize=11.5, leading=14, spaceBefore=5,
                    spaceAfter=2)
    span = figures.PERIOD.text(a)
    who = f" — responsable : {escape(a.owner)}" if a.owner else ""
    company = f"{escape(settings.company)} — " if settings.company else ""
    story: list[Any] = [
        Paragraph("Analyse des relances commerciales",
                  style("title", fontName="VeraBd", fontSize=18, leading=22)),
        Paragraph(f"{company}{span}{who}",
                  style("period", fontSize=10.5, leading=14)),
        Spacer(1, 4 * mm), _tiles(a, settings, width, style), Spacer(1, 4 * mm),
        Table([[_conversion_chart(a, width / 2 - 3 * mm),
                _pipeline_chart(a, width / 2 - 3 * mm)]],
              colWidths=[width / 2, width / 2], style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                       ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        Spacer(1, 3 * mm), _monthly_chart(a, width),
    ]
    said = [Paragraph("Recommandations", heading)]
    said += [Paragraph(f"• {escape(r.message)}", body) for r in advice] or [
        Paragraph("Rien à signaler : aucun seuil n'est franchi.", body)]
    story.append(KeepTogether(said))
    tables = [figures.BY_SOURCE, figures.BY_OWNER, figures.ACTIVITY, figures.BY_MONTH,
              figures.LOST_REASONS]
    if a.to_call_back:  # else their tile says none, and page two keeps its room
        tables.append(figures.CALL_BACK)
    for breakdown in tables:
        story.append(KeepTogether([Paragraph(escape(breakdown.label), heading),
                                   _grid(_table(breakdown, a), width, style,
                                         breakdown.empty)]))
    story.append(Paragraph("Définitions", heading))
    # Two columns: the definitions are a glossary, read as one, and so fit on page two.
    story.append(BalancedColumns(
        [Paragraph(f"<b>{escape(item.label)}</b> : {escape(item.define(a.period, settings))}",
                   small) for item in figures.DEFINED], nCols=2, innerPadding=4 * mm))

    def chrome(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Vera", 7)
        canvas.setFillColor(colors.HexColor("#595959"))
        canvas.drawString(15 * mm, 9 * mm, f"relances analyse — {format_date(today)}")
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"page {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
        bottomMargin=16 * mm, title="Analyse des relances commerciales",
        author=settings.company or "relances",
        subject=span, invariant=1,
        lang="fr-FR",
    ).build(story, onFirstPage=chrome, onLaterPages=chrome)
    return buffer.getvalue()


def _tiles(a: Analysis, settings: Settings, width: float, style: Any) -> Any:
    """Twenty KPI tiles, four a row: the figure big, its name above, a hint below."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table

    tiles = (
        (figures.PROSPECTS, f"{a.in_progress} en cours"),
        (figures.QUOTES, ""),
        (figures.WON, f"{a.won_without_amount} sans montant" if a.won_without_amount else ""),
        (figures.LOST, ""),
        (figures.CONVERSION, f"secteur : {figures.SECTOR.text(a)}"),
        (figures.WIN_RATE, "gagnés / décidés"),
        (figures.REVENUE, ""),
        (figures.WEIGHTED, "prospects actifs"),
        (figures.AVERAGE_DEAL, ""),
        (figures.DELAY, f"sur {a.delay.count} affaire(s)"),
        (figures.FOLLOWUPS, "lignes du Journal"),
        (figures.OVERDUE, f"sur {a.active} prospects actifs"),
        (figures.CREATED, "lignes du Journal"),
        (figures.ABANDONED, f"plus de {settings.abandon_days} jours ouvrés"),
        (figures.MEETINGS, "RDV et visites"),
        (figures.FOLLOWED_SHARE, f"{a.won_followed} gain(s) sur {a.won}"),
        (figures.STALE, "lignes rouges du classeur"),
        (figures.ZOMBIES, f"plus de {settings.zombie_days} jours sans contact"),
        (figures.SATISFACTION, f"{a.satisfaction.count} client(s) noté(s)"),
        (figures.CALLS_BACK, ", ".join(p.name for p in a.to_call_back[:3])
         + (" …" if len(a.to_call_back) > 3 else "") or f"note de {CALL_BACK_SCORE} ou moins"),
    )
    label = style("tile-label", fontSize=7.5, leading=9, textColor=colors.HexColor("#404040"))
    value = style("tile-value", fontName="VeraBd", fontSize=13.5, leading=15.5)
    hint = style("tile-hint", fontSize=6.5, leading=8, textColor=colors.HexColor("#595959"))
    cells = [[Paragraph(escape(figure.label), label), Paragraph(figure.text(a), value),
              Paragraph(note or " ", hint)] for figure, note in tiles]
    grid = [cells[i:i + 4] for i in range(0, len(cells), 4)]
    return Table(grid, colWidths=[width / 4] * 4, style=[
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("INNERGRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])


def _bars(title: str, width: float, categories: Sequence[str],
          series: Sequence[tuple[str, Sequence[float]]], label: Any,
          line: tuple[str, Sequence[float]] | None = None) -> Any:
    """A titled column chart in greys, each bar labelled; an optional dashed line with
    marked, labelled points drawn over it on the same scale; a legend below."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors

    height = 62 * 2.834645669  # 62 mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 11, title, fontName="VeraBd", fontSize=9.5))
    if not categories:
        drawing.add(String(0, height / 2, "Aucune donnée sur la période.", fontName="Vera",
                           fontSize=8))
        return drawing
    values = [v for _, data in series for v in data] + (list(line[1]) if line else [])
    top = max([*values, 0]) * 1.18 or 1
    long = max(len(c) for c in categories) * len(categories) > width / 6
    bottom = 44 if long else 30
    chart = VerticalBarChart()
    # A few categories get bars of a sensible width rather than the whole drawing.
    plot = min(width - 40, len(categories) * (28 * len(series) + 30))
    chart.x, chart.y, chart.width, chart.height = 34, bottom, plot, height - bottom - 30
    chart.data = [list(data) for _, data in series]
    chart.categoryAxis.categoryNames = list(categories)
    axis_labels = chart.categoryAxis.labels
    axis_labels.fontName, axis_labels.fontSize = "Vera", 6.5
    if long:
        axis_labels.angle, axis_labels.boxAnchor, axis_labels.dy = 25, "ne", -2
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = "Vera", 6
    chart.valueAxis.labelTextFormat = label
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, colors.HexColor("#DDDDDD")
    chart.barSpacing, chart.groupSpacing = 1, 8
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(_BAR_GREYS[index % len(_BAR_GREYS)])
        chart.bars[index].strokeColor, chart.bars[index].strokeWidth = colors.black, 0.5
    chart.barLabelFormat = label
    chart.barLabels.fontName, chart.barLabels.fontSize = "Vera", 6
    chart.barLabels.nudge, chart.barLabels.boxAnchor = 5, "s"
    drawing.add(chart)
    if line is not None:
        over = HorizontalLineChart()
        over.x, over.y, over.width, over.height = chart.x, chart.y, chart.width, chart.height
        over.data = [list(line[1])]
        over.categoryAxis.categoryNames = list(categories)
        over.categoryAxis.visible = over.valueAxis.visible = False
        over.valueAxis.valueMin, over.valueAxis.valueMax = 0, top
        over.lines[0].strokeColor, over.lines[0].strokeWidth = colors.black, 1.2
        over.lines[0].strokeDashArray = (3, 2)
        over.lines[0].symbol = makeMarker("FilledCircle", size=3.5)
        over.lineLabelFormat = label
        over.lineLabels.fontName, over.lineLabels.fontSize, over.lineLabels.dy = "VeraBd", 6, 6
        drawing.add(over)
    x = 0.0
    for index, (name, _) in enumerate(series):
        drawing.add(Rect(x, 3, 8, 6, fillColor=colors.HexColor(_BAR_GREYS[index % 3]),
                         strokeColor=colors.black, strokeWidth=0.5))
        drawing.add(String(x + 11, 3.5, name, fontName="Vera", fontSize=6.5))
        x += 18 + 3.6 * len(name)
    if line is not None:
        drawing.add(Line(x, 6, x + 12, 6, strokeColor=colors.black, strokeWidth=1.2,
                         strokeDashArray=(3, 2)))
        drawing.add(String(x + 15, 3.5, line[0], fontName="Vera", fontSize=6.5))
    return drawing


def _series(breakdown: Breakdown, rows: Sequence[Any], key: str,
            scale: float = 1) -> tuple[str, list[float]]:
    """One drawn column of a breakdown: its header, and its values as numbers."""
    field = breakdown.field(key)
    return field.header, [scale * float(field.value(row) or 0) for row in rows]


def _categories(breakdown: Breakdown, rows: Sequence[Any]) -> list[str]:
    name = breakdown.columns[0]
    return [name.text(row) for row in rows]


def _conversion_chart(a: Analysis, width: float) -> Any:
    groups = [g for g in a.by_source if g.prospects]
    return _bars(figures.CONVERSION_CHART, width, _categories(figures.BY_SOURCE, groups),
                 [(f"{figures.CONVERSION.label} (gagnés / prospects suivis)",
                   _series(figures.BY_SOURCE, groups, "taux_conversion", 100)[1])],
                 lambda v: format_percent(v / 100))


def _pipeline_chart(a: Analysis, width: float) -> Any:
    pipeline = figures.PIPELINE
    return _bars(f"{pipeline.label} (aujourd'hui)", width, _categories(pipeline, a.pipeline),
                 [_series(pipeline, a.pipeline, "montant"),
                  _series(pipeline, a.pipeline, "ca_pondere")],
                 lambda v: format_amount(round(v)))


def _monthly_chart(a: Analysis, width: float) -> Any:
    months = figures.BY_MONTH
    return _bars(months.label, width, _categories(months, a.by_month),
                 [_series(months, a.by_month, key) for key in ("entres", "gagnes", "perdus")],
                 lambda v: f"{v:.0f}", _series(months, a.by_month, "actifs_fin_de_mois"))


def _table(breakdown: Breakdown, a: Analysis) -> list[list[str]]:
    """The header row, then one row of French text per row of the breakdown."""
    columns = breakdown.columns
    return [[field.header for field in columns]] + [[field.text(row) for field in columns]
                                                     for row in breakdown.rows(a)]


def _grid(rows: list[list[str]], width: float, style: Any, empty: str) -> Any:
    """A plain table: grey bold header, thin rules, figures right-aligned. The name
    column narrows in a wide table so that each figure keeps room for « 12 345,67 € »."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table

    if len(rows) == 1:
        return Paragraph(f"{empty[:1].upper()}{empty[1:]}.", style("empty"))
    figures_width = (len(rows[0]) - 1) * 19 * mm
    first = width * 0.6 if len(rows[0]) == 2 else \
        max(width * 0.16, min(width * 0.24, width - figures_width))
    # Short names (« janv. 2026 ») leave their room to the figures' headers.
    first = min(first, max(len(row[0]) for row in rows) * 1.6 * mm + 6 * mm)
    rest = (width - first) / max(len(rows[0]) - 1, 1)
    cell = style("cell", fontSize=7.5, leading=9)
    head = style("head", fontName="VeraBd", fontSize=6.8, leading=8.5, alignment=2)
    header = [Paragraph(escape(rows[0][0]), style("head-first", parent=head, alignment=0)),
              *(Paragraph(escape(text), head) for text in rows[0][1:])]
    data = [header, *([Paragraph(escape(row[0]), cell), *row[1:]] for row in rows[1:])]
    return Table(data, colWidths=[first] + [rest] * (len(rows[0]) - 1), repeatRows=1, style=[
        ("FONT", (0, 0), (-1, -1), "Vera", 7.5), ("FONT", (0, 0), (-1, 0), "VeraBd", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#808080")),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
