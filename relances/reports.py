"""Printable documents made with reportlab: the monthly dashboard and the onboarding
checklist. Fonts come from reportlab's own Vera family, which carries accents and the
euro sign on every system; reportlab is imported inside the functions that draw."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core.errors import InvalidInput
from relances.core.model import Prospect, Rule, Status
from relances.core.workdays import WorkCalendar
from relances.text.parsing import ParseError, fold, normalize
from relances.text.show import format_amount, format_date

if TYPE_CHECKING:
    from relances.core.model import Settings
    from relances.core.stats import Analysis


def _register_fonts() -> None:
    """Vera ships inside reportlab: accents and € render the same on every system."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (("Vera", "Vera.ttf"), ("VeraBd", "VeraBd.ttf"),
                       ("VeraIt", "VeraIt.ttf"), ("VeraBI", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, file))
    for bold, italic, name in ((0, 0, "Vera"), (1, 0, "VeraBd"), (0, 1, "VeraIt"),
                               (1, 1, "VeraBI")):
        addMapping("Vera", bold, italic, name)


_PDF_SUBSTITUTES = {"\u202f": "\u00a0", "→": "->", "←": "<-", "Σ": "somme", "✓": "oui",
                    "✗": "non"}
"""Signs Vera lacks, written as it can; anything else it lacks (an emoji in a client's
name) is left out rather than printed as an empty box."""


@functools.lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    _register_fonts()
    return frozenset(pdfmetrics.getFont("Vera").face.charToGlyph)


def printable(text: str) -> str:
    """The text as the PDF font can draw it."""
    glyphs = _glyphs()
    if all(ord(c) in glyphs or c in "\n\t" for c in text):
        return text
    return "".join(c if ord(c) in glyphs or c in "\n\t" else _PDF_SUBSTITUTES.get(c, "")
                   for c in text)


def escape(text: str) -> str:
    """User text in a reportlab paragraph: drawable, XML-safe."""
    from xml.sax.saxutils import escape as xml_escape

    return xml_escape(printable(text))


# --------------------------------------------------------------------------- dashboard (analyse)

# The monthly dashboard is drawn from stats.Analysis alone, so the PDF, the terminal and
# the JSON always print the same figures with the same definitions. Charts are vector
# drawings (reportlab.graphics) in three greys with black outlines and a value on every
# bar: they read the same printed in black and white.

_BAR_GREYS = ("#404040", "#9A9A9A", "#E2E2E2")
"""Dark, mid, light: three fills a black-and-white printer keeps apart."""


def dashboard_pdf(a: Analysis, settings: Settings, today: date) -> bytes:
    """The A4 dashboard: title and period, KPI tiles, the three charts, recommendations,
    the source and owner tables, lost reasons, and what every figure counts."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

    from relances.text.show import format_date

    _register_fonts()
    width = A4[0] - 30 * mm

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, **{"fontName": "Vera", "fontSize": 8.5, "leading": 11,
                                       **kw})

    body, small = style("body"), style("small", fontSize=7, leading=8.8,
                                       textColor=colors.HexColor("#404040"))
    heading = style("heading", fontName="VeraBd", fontSize=11.5, leading=15, spaceBefore=8,
                    spaceAfter=3)
    span = a.period
    who = f" — responsable : {escape(a.owner)}" if a.owner else ""
    company = f"{escape(settings.company)} — " if settings.company else ""
    story: list[Any] = [
        Paragraph("Analyse des relances commerciales",
                  style("title", fontName="VeraBd", fontSize=18, leading=22)),
        Paragraph(f"{company}du {format_date(span.start)} au {format_date(span.end)}{who}",
                  style("period", fontSize=10.5, leading=14)),
        Spacer(1, 4 * mm), _tiles(a, width, style), Spacer(1, 4 * mm),
        Table([[_conversion_chart(a, width / 2 - 3 * mm),
                _pipeline_chart(a, width / 2 - 3 * mm)]],
              colWidths=[width / 2, width / 2], style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                       ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        Spacer(1, 3 * mm), _monthly_chart(a, width),
    ]
    advice = [Paragraph("Recommandations", heading)]
    advice += [Paragraph(f"• {escape(r.message)}", body) for r in a.recommendations] or [
        Paragraph("Rien à signaler : aucun seuil n'est franchi.", body)]
    story.append(KeepTogether(advice))
    for title, table in (("Par source", _source_table(a)), ("Par responsable", _owner_table(a)),
                         ("Évolution mensuelle", _month_table(a)),
                         ("Motifs de perte", _reason_table(a))):
        story.append(KeepTogether([Paragraph(title, heading), _grid(table, width, style)]))
    story.append(Paragraph("Définitions", heading))
    labels = dict(_DEFINITION_LABELS)
    story += [Paragraph(f"<b>{escape(labels.get(key, key))}</b> : {escape(text)}", small)
              for key, text in a.definitions.items()]

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
        subject=f"du {format_date(span.start)} au {format_date(span.end)}", invariant=1,
        lang="fr-FR",
    ).build(story, onFirstPage=chrome, onLaterPages=chrome)
    return buffer.getvalue()


_DEFINITION_LABELS = (
    ("periode", "Période"), ("prospects", "Prospects suivis"), ("devis_envoyes", "Devis envoyés"),
    ("gagnes", "Gagnés"), ("perdus", "Perdus"), ("en_cours", "En cours"),
    ("taux_conversion", "Taux de conversion"), ("taux_reussite", "Taux de réussite"),
    ("reference_secteur", "Référence du secteur"), ("ca_realise", "CA réalisé"),
    ("ca_pondere", "CA pondéré"), ("ca_moyen", "CA moyen"),
    ("pipeline_par_statut", "Pipeline par statut"), ("delai_moyen_jours", "Délai moyen"),
    ("delai_relance_decision_jours", "Délai de la première relance à la décision"),
    ("relances_avant_gain", "Relances avant un gain"), ("relances_faites", "Relances faites"),
    ("relances_en_retard", "Relances en retard"), ("zombies", "Zombies"),
    ("par_source", "Par source"), ("par_responsable", "Par responsable"),
    ("par_mois", "Évolution mensuelle"), ("motifs_perte", "Motifs de perte"),
    ("lignes_sans_date", "Lignes sans date"),
)


def _tiles(a: Analysis, width: float, style: Any) -> Any:
    """Twelve KPI tiles, four a row: the figure big, its name above, a hint below."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table

    from relances.core.stats import format_days, sector_reference
    from relances.text.show import format_amount, format_percent

    def count(n: int | None) -> str:
        return "—" if n is None else str(n)

    tiles = (
        ("Prospects suivis", count(a.prospects), f"{a.in_progress} en cours"),
        ("Devis envoyés", count(a.quotes), ""),
        ("Gagnés", count(a.won), f"{a.won_without_amount} sans montant"
         if a.won_without_amount else ""),
        ("Perdus", count(a.lost), ""),
        ("Taux de conversion", format_percent(a.conversion),
         f"secteur : {sector_reference(a)}"),
        ("Taux de réussite", format_percent(a.win_rate), "gagnés / décidés"),
        ("CA réalisé", format_amount(a.revenue), ""),
        ("CA pondéré", format_amount(a.weighted_pipeline), "prospects actifs"),
        ("CA moyen par affaire", format_amount(a.average_deal), ""),
        ("Délai moyen", format_days(a.delay.value), f"sur {a.delay.count} affaire(s)"),
        ("Relances faites", count(a.followups), "lignes du Journal"),
        ("Relances en retard", count(a.overdue), f"{a.zombies} zombie(s)"),
    )
    label = style("tile-label", fontSize=7.5, leading=9, textColor=colors.HexColor("#404040"))
    value = style("tile-value", fontName="VeraBd", fontSize=14, leading=17)
    hint = style("tile-hint", fontSize=6.5, leading=8, textColor=colors.HexColor("#595959"))
    cells = [[Paragraph(name, label), Paragraph(figure, value), Paragraph(note or " ", hint)]
             for name, figure, note in tiles]
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


def _conversion_chart(a: Analysis, width: float) -> Any:
    from relances.text.show import format_percent

    groups = [g for g in a.by_source if g.prospects]
    return _bars("Conversion par source", width, [g.label for g in groups],
                 [("Taux de conversion (gagnés / prospects suivis)",
                   [100 * (g.conversion or 0) for g in groups])],
                 lambda v: format_percent(v / 100))


def _pipeline_chart(a: Analysis, width: float) -> Any:
    from relances.text.show import format_amount

    return _bars("Pipeline par statut (aujourd'hui)", width,
                 [s.status.value for s in a.pipeline],
                 [("Montant", [float(s.amount) for s in a.pipeline]),
                  ("CA pondéré", [float(s.weighted) for s in a.pipeline])],
                 lambda v: format_amount(round(v)))


def _monthly_chart(a: Analysis, width: float) -> Any:
    months = a.by_month
    return _bars("Évolution mensuelle", width, [m.label for m in months],
                 [("Entrés", [m.entered for m in months]), ("Gagnés", [m.won for m in months]),
                  ("Perdus", [m.lost for m in months])],
                 lambda v: f"{v:.0f}",
                 ("Actifs en fin de mois", [m.active for m in months]))


def _source_table(a: Analysis) -> list[list[str]]:
    from relances.text.show import format_amount, format_percent

    return [["Source", "Prospects", "Devis", "Gagnés", "Perdus", "Conversion", "Réussite",
             "CA réalisé"]] + [
        [g.label, str(g.prospects), str(g.quotes), str(g.won), str(g.lost),
         format_percent(g.conversion), format_percent(g.win_rate), format_amount(g.revenue)]
        for g in a.by_source]


def _owner_table(a: Analysis) -> list[list[str]]:
    from relances.text.show import format_amount, format_percent

    return [["Responsable", "Prospects", "Relances faites", "En retard", "Gagnés", "Perdus",
             "Conversion", "CA réalisé"]] + [
        [g.label, str(g.prospects), str(g.followups), str(g.overdue), str(g.won), str(g.lost),
         format_percent(g.conversion), format_amount(g.revenue)]
        for g in a.by_owner]


def _month_table(a: Analysis) -> list[list[str]]:
    return [["Mois", "Entrés", "Gagnés", "Perdus", "Actifs en fin de mois"]] + [
        [m.label, str(m.entered), str(m.won), str(m.lost), str(m.active)] for m in a.by_month]


def _reason_table(a: Analysis) -> list[list[str]]:
    from relances.core.stats import NO_REASON

    return [["Motif perte", "Affaires"]] + [[reason or NO_REASON, str(n)]
                                            for reason, n in a.lost_reasons]


def _grid(rows: list[list[str]], width: float, style: Any) -> Any:
    """A plain table: grey bold header, thin rules, figures right-aligned."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table

    if len(rows) == 1:
        return Paragraph("Aucune ligne sur la période.", style("empty"))
    first = width * (0.24 if len(rows[0]) > 2 else 0.6)
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


# --------------------------------------------------------------------------- checklist (accueil)

# The checklist is one Jinja template that renders Markdown (templates/accueil/, which a
# copy in modeles/accueil/ beside the workbook overrides, like the email templates); the
# PDF is drawn from that Markdown, so both outputs always say the same thing. Tick boxes
# are AcroForm check boxes that also draw their square on the page: they tick on screen
# and print as empty squares even from viewers that ignore forms.

TRADES = {"btp": "BTP et artisans", "commerce": "Commerce", "services": "Services"}
_TRADE_WORDS = {
    "btp": "btp", "batiment": "btp", "artisan": "btp", "artisans": "btp", "chantier": "btp",
    "commerce": "commerce", "commerces": "commerce", "boutique": "commerce",
    "magasin": "commerce", "vente": "commerce",
    "services": "services", "service": "services", "prestation": "services",
    "prestations": "services", "conseil": "services",
}

CLIENTS_FOLDER = "clients"
SUBFOLDERS = ("contrat", "plans", "factures", "correspondance", "photos")
CHECKLIST_TEMPLATE = "accueil/checklist.md.j2"


WELCOME_PACK_ABOVE = Decimal(10_000)
"""The workflow gives clients above this amount a welcome pack (strictly above)."""


def parse_trade(text: str) -> str:
    """--metier: btp, commerce or services, with a few everyday synonyms."""
    trade = _TRADE_WORDS.get(normalize(text))
    if trade is None:
        raise ParseError(f"« {text} » n'est pas un métier connu : choisissez btp, commerce "
                         "ou services")
    return trade


@dataclass(frozen=True)
class Milestone:
    """One follow-up of the Gagné cadence, dated when the day of the win is known."""

    day: int
    when: date | None
    action: str
    advice: str | None


@dataclass(frozen=True)
class Onboarding:
    """Everything the checklist says about one client, computed once, shown twice."""

    prospect: Prospect
    trade: str | None
    won_on: date | None
    """Statut depuis of a Gagné row: the day the deal was won, when the sheet has it."""
    start: date | None
    prepare: tuple[date, date] | None
    milestones: list[Milestone]
    welcome_pack: bool
    folder: str
    """Where --dossier puts the client's folder, as the user reads it."""
    dated: bool = True
    """The tracker has a Statut depuis column, where a signature's date would be."""

    @property
    def won(self) -> bool:
        return self.prospect.status is Status.WON


def onboarding(prospect: Prospect, rules: Sequence[Rule], max_followups: int,
               calendar: WorkCalendar, trade: str | None, dated: bool = True) -> Onboarding:
    """The dates count from the win, like the Gagné cadence: J+N, then the next working
    day, so the checklist and the workbook's Prochaine relance agree."""
    from relances.core.cadence import steps_for

    won_on = prospect.status_since if prospect.status is Status.WON else None

    def on(days: int) -> date | None:
        return None if won_on is None else calendar.next_working_day(won_on + timedelta(days))

    start, first, last = on(1), on(2), on(7)
    steps = steps_for(Status.WON, rules)[:max_followups]
    milestones = [Milestone(s.day, on(s.day), s.action, s.advice) for s in steps]
    pack = prospect.amount is not None and prospect.amount > WELCOME_PACK_ABOVE
    folder = f"{CLIENTS_FOLDER}/{client_folder_name(prospect)}/"
    return Onboarding(prospect, trade, won_on, start,
                      (first, last) if first and last else None, milestones, pack, folder,
                      dated)


# ----------------------------------------------------------------- Markdown


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_BREAKS = re.compile(r"[ \t\r\n\f\v\u2028\u2029\x85]+")


def _markdown_text(value: object) -> str:
    """A value from the workbook printed as itself: special characters escaped, line
    breaks folded, so a cell can never add a section, a box or emphasis."""
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return str(value)
    text = _LINE_BREAKS.sub(" ", str(value)).strip()  # no-break spaces stay unbreakable
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def checklist_context(plan: Onboarding) -> dict[str, Any]:
    """The names a checklist template may use, in French like the email templates'.
    Every text is already escaped for Markdown, so the template prints it as is."""
    p = plan.prospect
    md = _markdown_text
    phone = (p.phone or "").replace(" ", "\u00a0")  # a number never breaks across lines
    return {
        "client": md(p.name), "numero": p.id or "", "interlocuteur": md(p.interlocutor),
        "contact": " · ".join(md(part) for part in (p.email, phone) if part),
        "email": md(p.email), "telephone": md(phone), "projet": md(p.project),
        "montant": format_amount(p.amount) if p.amount is not None else "",
        "responsable": md(p.owner), "source": md(p.source),
        "statut": (p.status or Status.PROSPECT).value,
        "gagne": plan.won, "signe_le": format_date(plan.won_on),
        "colonne_statut_depuis": plan.dated,
        "metier": plan.trade or "", "metier_libelle": TRADES.get(plan.trade or "", ""),
        "demarrage": format_date(plan.start),
        "preparation_du": format_date(plan.prepare[0]) if plan.prepare else "",
        "preparation_au": format_date(plan.prepare[1]) if plan.prepare else "",
        "suivi": [{"jour": m.day, "date": format_date(m.when), "action": md(m.action),
                   "texte": md(_milestone_text(m))} for m in plan.milestones],
        "pack_accueil": plan.welcome_pack, "seuil_pack": format_amount(WELCOME_PACK_ABOVE),
        "dossier": md(plan.folder),
    }


def _milestone_text(milestone: Milestone) -> str:
    """"vérifier la satisfaction du client (Email)": the step's advice from Règles."""
    advice = (milestone.advice or "").strip()
    if not advice:
        return f"relance ({milestone.action})"
    return f"{advice[0].lower()}{advice[1:]} ({milestone.action})"


def checklist_markdown(plan: Onboarding, templates: Path | None = None) -> str:
    """The checklist as Markdown task lists ("- [ ] …"), from accueil/checklist.md.j2 in
    the user's `templates` folder (modeles/ beside the workbook) when it is there, else
    the built-in one: the same sandboxed Jinja, with the same rules, as the email
    templates (relances.emails.environment)."""
    from relances import emails

    env = emails.environment(templates)
    context = checklist_context(plan)
    try:
        text = env.get_template(CHECKLIST_TEMPLATE).render(context)
    except Exception as error:  # a user's template may fail in any way: say where
        raise _template_error(error, templates, list(context)) from None
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _template_error(error: Exception, templates: Path | None,
                    names: list[str]) -> InvalidInput:
    """One French sentence: which file and line, what is wrong, how to fix it."""
    import traceback

    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    own = templates / CHECKLIST_TEMPLATE if templates is not None else None
    if own is not None and own.is_file():
        try:
            shown = own.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except (ValueError, OSError):
            shown = str(own)
    else:
        shown = f"intégré {CHECKLIST_TEMPLATE}"
    line = getattr(error, "lineno", None)
    for frame in traceback.extract_tb(error.__traceback__):
        if line is None and frame.filename.endswith(Path(CHECKLIST_TEMPLATE).name):
            line = frame.lineno
    where = f"Le modèle {shown}" + (f", ligne {line}," if line else "")
    fix = "corrigez-le, ou supprimez-le pour revenir au modèle intégré"
    detail = str(getattr(error, "message", None) or error)
    if isinstance(error, UnicodeDecodeError):
        return InvalidInput(f"{where} n'est pas enregistré en UTF-8 : ouvrez-le dans un "
                            "éditeur de texte et enregistrez-le en UTF-8.")
    if isinstance(error, SecurityError):
        return InvalidInput(f"{where} utilise un nom interdit dans un modèle : {fix}.")
    if isinstance(error, UndefinedError):
        unknown = re.search(r"'([^']+)' is undefined", detail)
        culprit = f"« {unknown[1]} »" if unknown else "un nom"
        return InvalidInput(f"{where} utilise {culprit}, qui n'existe pas : les noms "
                            f"possibles sont {', '.join(names)}.")
    if isinstance(error, TemplateSyntaxError):
        return InvalidInput(f"{where} est mal écrit (Jinja : « {detail} ») : {fix}.")
    return InvalidInput(f"{where} n'a pas pu être appliqué ({type(error).__name__} : "
                        f"{detail}) : {fix}.")


# ----------------------------------------------------------------- Markdown -> structure


@dataclass
class CheckItem:
    """One line to tick, with the details printed under it (without boxes)."""

    text: str
    checked: bool = False
    details: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One heading of the welcome checklist and the boxes under it."""

    title: str
    when: str
    """What follows « — » in the heading (« J+1 · 13/01/2026 »), shown on the right."""
    content: list[CheckItem | str] = field(default_factory=list)
    """Boxes, and remarks (plain strings) where the template puts them."""


@dataclass
class Checklist:
    """The rendered Markdown read back, for the PDF (and to count boxes and sections)."""

    title: str = ""
    facts: list[str] = field(default_factory=list)
    """The client's card: the bullets before the first section."""
    intro: list[tuple[str, str]] = field(default_factory=list)
    """("note" | "box", text) before the first section."""
    sections: list[Section] = field(default_factory=list)

    @property
    def boxes(self) -> int:
        return sum(isinstance(c, CheckItem) for s in self.sections for c in s.content)


_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_BOX = re.compile(r"[-*+]\s+\[([ xX])\]\s*(.*)")
_DETAIL = re.compile(r"\s{2,}[-*+]\s+(.*)")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_QUOTE = re.compile(r">\s?(.*)")


def parse_checklist(markdown: str) -> Checklist:
    """Read back the small Markdown the template writes; anything else is a remark,
    so a user's own template never fails to print."""
    doc = Checklist()
    section: Section | None = None
    item: CheckItem | None = None
    previous = ""
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            previous = ""
            continue
        if (match := _HEADING.fullmatch(line)) is not None:
            level, text = len(match[1]), match[2].strip()
            if level == 1 and not doc.title and section is None:
                doc.title = text
            else:
                title, _, when = text.partition(" — ")
                section = Section(title.strip(), when.strip())
                doc.sections.append(section)
            item = None
            kind = "heading"
        elif (match := _DETAIL.fullmatch(line)) is not None and item is not None:
            item.details.append(match[1].strip())
            kind = "detail"
        elif (match := _BOX.fullmatch(line.strip())) is not None:
            item = CheckItem(match[2].strip(), match[1] in "xX")
            if section is None:
                section = Section("", "")
                doc.sections.append(section)
            section.content.append(item)
            kind = "item"
        elif (match := _BULLET.fullmatch(line.strip())) is not None and section is None:
            doc.facts.append(match[1].strip())
            kind = "fact"
        elif (match := _QUOTE.fullmatch(line.strip())) is not None and section is None:
            if previous == "box" and doc.intro:
                doc.intro[-1] = ("box", f"{doc.intro[-1][1]} {match[1].strip()}")
            else:
                doc.intro.append(("box", match[1].strip()))
            kind = "box"
        else:
            found = _QUOTE.fullmatch(line.strip()) or _BULLET.fullmatch(line.strip())
            text = found[1].strip() if found else line.strip()
            if section is None:
                if previous == "note" and doc.intro:
                    doc.intro[-1] = ("note", f"{doc.intro[-1][1]} {text}")
                else:
                    doc.intro.append(("note", text))
            elif previous == "note" and section.content and isinstance(section.content[-1], str):
                section.content[-1] = f"{section.content[-1]} {text}"
            else:
                section.content.append(text)
            item = None
            kind = "note"
        previous = kind
    return doc


def inline_markup(text: str) -> str:
    """Markdown emphasis and escapes to reportlab's paragraph markup, XML-safe."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(_xml(text[i + 1]))
            i += 2
            continue
        if text.startswith("**", i):
            _toggle(out, open_tags, "b")
            i += 2
            continue
        if char == "*":
            _toggle(out, open_tags, "i")
            i += 1
            continue
        out.append(_xml(char))
        i += 1
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


def _toggle(out: list[str], open_tags: list[str], tag: str) -> None:
    if tag in open_tags:
        while open_tags:
            closing = open_tags.pop()
            out.append(f"</{closing}>")
            if closing == tag:
                break
    else:
        open_tags.append(tag)
        out.append(f"<{tag}>")


def _xml(char: str) -> str:
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char) or printable(char)


# ----------------------------------------------------------------- PDF

_MARGIN_MM = 18
_INK, _MUTED, _ACCENT = "#1F2933", "#5F6B7A", "#1F4E79"
_PALE, _LINE, _CALLOUT = "#EEF3F8", "#C5D0DC", "#FFF8E6"
_BOX_SIDE = 9.5
"""Side of a tick box, in points: big enough to tick with a pen."""
_NOTE_LINES = 6


def checklist_pdf(markdown: str, footer: str) -> bytes:
    """An A4 checklist with real tick boxes, "page 1 / 3" at the foot of each page.

    Byte-for-byte the same for the same input (reportlab's invariant mode), so a second
    run can tell an untouched file from one that was ticked on screen or changed."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    doc = parse_checklist(markdown)
    styles = _styles()
    width = A4[0] - 2 * _MARGIN_MM * mm - 12  # the frame's own padding: 6 points a side

    left, right = _MARGIN_MM * mm, A4[0] - _MARGIN_MM * mm

    def chrome(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(styles["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(left, 14 * mm, right, 14 * mm)
        canvas.setFont("Vera", 7.5)
        canvas.setFillColor(styles["muted"])
        canvas.drawString(left, 10 * mm, printable(footer))
        # "page 2 / 3": the total is a form drawn once the last page is known (one pass)
        label = f"page {document.page} / "
        start = right - canvas.stringWidth("page 99 / 99", "Vera", 7.5)
        canvas.drawString(start, 10 * mm, label)
        canvas.translate(start + canvas.stringWidth(label, "Vera", 7.5), 10 * mm)
        canvas.doForm(_PAGES_FORM)
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=left, rightMargin=_MARGIN_MM * mm,
        topMargin=16 * mm, bottomMargin=20 * mm,
        title=_plain(doc.title) or "Liste d'accueil", author="relances",
        subject="Liste d'accueil d'un nouveau client", invariant=1, lang="fr-FR")
    pdf.build(_story(doc, styles, width), onFirstPage=chrome, onLaterPages=chrome,
              canvasmaker=_counting_canvas(styles["muted"]))
    return buffer.getvalue()


_PAGES_FORM = "nombre_de_pages"


def _counting_canvas(colour: Any) -> Any:
    """A canvas that, when saved, draws the page count into the form the footers use."""
    from reportlab.pdfgen.canvas import Canvas

    class CountingCanvas(Canvas):  # type: ignore[misc]
        def save(self) -> None:
            self.beginForm(_PAGES_FORM)
            self.setFont("Vera", 7.5)
            self.setFillColor(colour)
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

    return CountingCanvas


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    ink, muted, accent = (colors.HexColor(c) for c in (_INK, _MUTED, _ACCENT))

    def style(name: str, **changes: Any) -> ParagraphStyle:
        base = {"fontName": "Vera", "fontSize": 9.5, "leading": 12.5, "textColor": ink}
        return ParagraphStyle(name, **{**base, **changes})

    return {
        "ink": ink, "muted": muted, "accent": accent, "white": colors.white,
        "pale": colors.HexColor(_PALE), "rule": colors.HexColor(_LINE),
        "callout": colors.HexColor(_CALLOUT),
        "kicker": style("kicker", fontSize=9, leading=12, textColor=accent, fontName="VeraBd"),
        "title": style("title", fontSize=20, leading=24, fontName="VeraBd"),
        "fact": style("fact", fontSize=9, leading=12),
        "box": style("box", fontSize=9, leading=12),
        "head": style("head", fontSize=11, leading=14, fontName="VeraBd",
                      textColor=colors.white),
        "when": style("when", fontSize=9, leading=14, textColor=colors.white,
                      alignment=TA_RIGHT),
        "body": style("body"),
        "detail": style("detail", fontSize=8.5, leading=11, textColor=muted),
        "note": style("note", fontSize=8.5, leading=11, textColor=muted, fontName="VeraIt"),
        "notes": style("notes", fontSize=9.5, leading=12, textColor=muted, fontName="VeraBd"),
    }


def _story(doc: Checklist, styles: dict[str, Any], width: float) -> list[Any]:
    """The flowables, made afresh for each pass (reportlab consumes them)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

    story: list[Any] = []
    if doc.title:
        label, _, name = doc.title.partition(" : ")
        if name:
            story.append(Paragraph(inline_markup(label).upper(), styles["kicker"]))
        story += [Paragraph(inline_markup(name or label), styles["title"]), Spacer(1, 4 * mm)]
    if doc.facts:
        cells = [Paragraph(inline_markup(f), styles["fact"]) for f in doc.facts]
        cells += [Paragraph("", styles["fact"])] * (len(cells) % 2)
        table = Table([cells[i:i + 2] for i in range(0, len(cells), 2)],
                      colWidths=[width / 2] * 2)
        table.setStyle([
            ("BACKGROUND", (0, 0), (-1, -1), styles["pale"]),
            ("BOX", (0, 0), (-1, -1), 0.6, styles["rule"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -2), 2),
            ("TOPPADDING", (0, 0), (-1, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
        ])
        story += [table, Spacer(1, 3 * mm)]
    for kind, text in doc.intro:
        if kind == "note":
            story += [Paragraph(inline_markup(text), styles["note"]), Spacer(1, 2 * mm)]
            continue
        callout = Table([[Paragraph(inline_markup(text), styles["box"])]], colWidths=[width])
        callout.setStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 3, styles["accent"]),
            ("BACKGROUND", (0, 0), (-1, -1), styles["callout"]),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ])
        story += [callout, Spacer(1, 3 * mm)]
    boxes = iter(range(1, 100_000))
    for number, section in enumerate(doc.sections, start=1):
        heading: list[Any] = []
        if section.title:
            band = Table([[Paragraph(f"{number}.&nbsp;&nbsp;{inline_markup(section.title)}",
                                     styles["head"]),
                           Paragraph(inline_markup(section.when), styles["when"])]],
                         colWidths=[width * 0.55, width * 0.45])
            band.setStyle([
                ("BACKGROUND", (0, 0), (-1, -1), styles["accent"]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ])
            heading += [band, Spacer(1, 2.5 * mm)]
        parts = [_tick_box(c, styles, f"case{next(boxes):03d}") if isinstance(c, CheckItem)
                 else Paragraph(inline_markup(c), styles["note"]) for c in section.content]
        # a heading never ends a page alone: it keeps its first two lines with it
        story += [CondPageBreak(30 * mm), KeepTogether(heading + parts[:2]), *parts[2:],
                  Spacer(1, 4 * mm)]
    lines = Table([[""]] * _NOTE_LINES, colWidths=[width], rowHeights=[7 * mm] * _NOTE_LINES)
    lines.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, styles["rule"])])
    story.append(KeepTogether([Paragraph("Notes", styles["notes"]), lines]))
    return story


def _tick_box(item: CheckItem, styles: dict[str, Any], name: str) -> Any:
    """A tick box and its text, the details hanging under the text without a box.

    The box is an AcroForm check box (ticked with a click in a PDF reader, saved with the
    file) that also draws its square on the page, so it prints even from a reader that
    ignores forms."""
    from reportlab.platypus import Flowable, Paragraph

    body, gap, indent = styles["body"], 7.0, 8.0

    class TickBox(Flowable):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.text = Paragraph(inline_markup(item.text), body)
            self.details = [Paragraph(f"–&nbsp;&nbsp;{inline_markup(d)}", styles["detail"])
                            for d in item.details]
            self.parts: list[tuple[Any, float, float]] = []

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            left = _BOX_SIDE + gap
            inner = available_width - left
            self.parts = [(self.text, left, self.text.wrap(inner, available_height)[1])]
            self.parts += [(d, left + indent, d.wrap(inner - indent, available_height)[1])
                           for d in self.details]
            self.width = available_width
            self.height = sum(height for _, _, height in self.parts) + 5
            return self.width, self.height

        def draw(self) -> None:
            top = self.height - 2
            self.canv.acroForm.checkbox(
                name=name, checked=item.checked, buttonStyle="check", size=_BOX_SIDE, x=0,
                y=top - body.leading + 1.2, relative=True, borderWidth=0.8,
                borderColor=styles["muted"], fillColor=styles["white"],
                textColor=styles["accent"], forceBorder=True, fieldFlags="",
                annotationFlags="print", tooltip=_plain(item.text)[:200])
            for paragraph, left, height in self.parts:
                top -= height
                paragraph.drawOn(self.canv, left, top)

    return TickBox()


def _plain(text: str) -> str:
    """The text of a Markdown line, for a tooltip or a PDF title."""
    return re.sub(r"\\(.)|\*+", lambda m: m[1] or "", text).strip()


# ----------------------------------------------------------------- files and folders


_SEPARATORS = re.compile(r"[/\\|]")
_FORBIDDEN = re.compile(r'[<>:"?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in "123456789¹²³"),
             *(f"LPT{i}" for i in "123456789¹²³")}
_NAME_LIMIT = 80
"""Characters, so that clients/<name>/factures/… stays far from Windows' path limit."""


def client_folder_name(prospect: Prospect) -> str:
    """A folder name every system accepts, as close to the client's name as possible:
    accents kept (composed, as Windows and Linux write them), separators turned into
    dashes ("Dupont/Fils" gives "Dupont-Fils"), the other characters Windows forbids
    dropped, no dot or space at either end (hidden on Unix, refused by Windows), never
    a device name (CON, NUL, COM1…), and never empty."""
    text = unicodedata.normalize("NFC", prospect.name)
    text = _FORBIDDEN.sub(" ", _SEPARATORS.sub("-", text))
    text = re.sub(r"-{2,}", "-", " ".join(text.split()))
    text = text[:_NAME_LIMIT].strip(" .-")
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    if not text:
        text = f"Client {prospect.id}" if prospect.id is not None else "Client"
    return text


def checklist_filename(prospect: Prospect, suffix: str = ".pdf") -> str:
    """accueil-boulangerie-petit.pdf: lower case ASCII, readable, safe everywhere."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(prospect.name)).strip("-")[:60].strip("-")
    if not slug:
        slug = f"client-{prospect.id}" if prospect.id is not None else "client"
    return f"accueil-{slug}{suffix}"


@dataclass(frozen=True)
class ClientFolder:
    """The client's folder, and which of its parts this run made."""

    path: Path
    created: list[str]
    """The folders made by this run ("" for the client's folder itself)."""
    existing: list[str]


def make_client_folder(root: Path, prospect: Prospect) -> ClientFolder:
    """clients/<Nom>/ and its sub-folders: only what is missing is created, nothing that
    exists is renamed, emptied or rewritten. A folder that differs only by case or
    accent composition (macOS writes accents decomposed) is taken as the same one."""
    name = client_folder_name(prospect)
    clients = root / CLIENTS_FOLDER
    folder = _existing_entry(clients, name) or clients / name
    created: list[str] = []
    existing: list[str] = []
    try:
        for path, label in ((clients, None), (folder, ""),
                            *((_existing_entry(folder, sub) or folder / sub, sub)
                              for sub in SUBFOLDERS)):
            if path.is_dir():
                if label is not None:
                    existing.append(label)
                continue
            if path.exists() or path.is_symlink():
                raise InvalidInput(
                    f"« {path} » existe déjà et n'est pas un dossier : renommez-le, "
                    "relances ne touche pas aux fichiers existants.")
            path.mkdir()
            if label is not None:
                created.append(label)
    except OSError as failure:
        raise InvalidInput(f"Impossible de créer le dossier client « {folder} » "
                           f"({failure.strerror or failure}) : vérifiez que le dossier du "
                           "classeur est accessible en écriture.") from None
    return ClientFolder(folder, created, existing)


def _existing_entry(parent: Path, name: str) -> Path | None:
    wanted = unicodedata.normalize("NFC", name).casefold()
    if not parent.is_dir():
        return None
    for entry in sorted(parent.iterdir()):
        if unicodedata.normalize("NFC", entry.name).casefold() == wanted:
            return entry
    return None
