"""analyse: the figures of a period, Tableau de bord refreshed, the PDF written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core import figures, schema
from relances.core.advice import recommendations
from relances.core.errors import InvalidInput, NotFound, option
from relances.core.model import (
    JournalEntry,
    Problem,
    Settings,
    Tracker,
)
from relances.services.common import clean_text, output_target, read, work_calendar
from relances.text.parsing import fold
from relances.text.show import format_amount, format_count, format_date, format_percent
from relances.workbook.files import write_atomically

if TYPE_CHECKING:
    from relances.core.advice import Recommendation
    from relances.core.stats import Analysis, Period
    from relances.workbook.dashboard import ChartTable

_NUMBER_FORMATS: dict[Any, str] = {format_count: "0", format_percent: "0.0%",
                                   format_amount: schema.AMOUNT_FORMAT}
"""The cells of Tableau de bord hold numbers, formatted in Excel as the catalogue's
formatter writes them; the other columns (names, months) hold their French text."""


@dataclass
class Analysed:
    """The analysis with its advice, and whether Tableau de bord and the PDF were written."""

    analysis: Analysis
    advice: list[Recommendation]
    settings: Settings
    problems: list[Problem]
    refreshed: bool
    """True when Tableau de bord was rewritten with this analysis."""
    not_refreshed: str | None
    """Why the sheet was not refreshed although asked (open in Excel, changed meanwhile…)."""
    backup: Path | None = None
    pdf: Path | None = None


def analyse(path: Path, today: date, now: datetime, since: date | None = None,
            until: date | None = None, owner: str | None = None, pdf: str | None = None,
            refresh: bool = True, force: bool = False) -> Analysed:
    """The monthly analysis; Tableau de bord refreshed through the safe write path when
    asked. The figures matter more than the sheet: when the workbook cannot be written
    (open in Excel, content at risk, changed meanwhile) they are still returned, with
    the reason, from a read-only pass."""
    from relances.core import stats
    from relances.core.errors import WorkbookBusy
    from relances.workbook.session import open_for_update

    span = stats.period(today, since, until)
    if span.start > span.end:
        raise InvalidInput(
            f"La période est vide : elle commencerait le {format_date(span.start)} et finirait "
            f"le {format_date(span.end)} (jamais après aujourd'hui) : donnez un {option('since')} "
            f"plus ancien, ou un {option('until')} plus tardif.")
    target = _pdf_target(span, pdf)
    owner = clean_text(owner)
    result: Analysed | None = None
    not_refreshed = None
    if refresh:
        try:
            with open_for_update(path, today, force) as session:
                tracker = session.tracker
                analysis = _analysis(tracker, session.journal_entries(), today, span, owner)
                result = Analysed(analysis, recommendations(analysis, tracker.settings),
                                  tracker.settings, tracker.problems, False, None)
                session.refresh_analysis(_caption(analysis, today),
                                         _chart_tables(analysis, tracker.settings))
                result.backup = session.save(now)
                result.refreshed = True
        except WorkbookBusy as failure:
            not_refreshed = failure.message
    if result is None or not result.refreshed:
        tracker = read(path, today, journal=True)
        analysis = _analysis(tracker, tracker.journal, today, span, owner)
        result = Analysed(analysis, recommendations(analysis, tracker.settings),
                          tracker.settings, tracker.problems, False, not_refreshed)
    if target is not None:
        from relances.outputs.dashboard import dashboard_pdf

        write_atomically(target, dashboard_pdf(result.analysis, result.advice, result.settings,
                                               today), "pdf")
        result.pdf = target
    return result


def _analysis(tracker: Tracker, journal: list[JournalEntry], today: date, span: Period,
              owner: str | None) -> Analysis:
    from relances.core import stats

    if owner is not None:
        known = {fold(name): name for name in
                 [*(p.owner for p in tracker.prospects), *(e.owner for e in journal)] if name}
        if fold(owner) not in known:
            names = ", ".join(sorted(known.values(), key=fold)) or "aucun"
            raise NotFound(f"Aucun prospect ni ligne du Journal pour le responsable « {owner} » "
                           f"(responsables connus : {names}) : vérifiez l'orthographe.")
    return stats.analyse(tracker.prospects, journal, tracker.settings, today, span,
                         work_calendar(tracker.settings), owner)


def pdf_name(span: Period) -> str:
    """analyse-performance-janvier-2026.pdf, as the workflow names it: the period's last month."""
    from relances.text.show import format_day_month

    month = fold(format_day_month(span.end).split(" ", 1)[1])
    return f"analyse-performance-{month}-{span.end.year}.pdf"


def _pdf_target(span: Period, output: str | None) -> Path | None:
    """--pdf names a file or a folder (then the workflow's name); always a .pdf, since it
    is replaced without asking and must never be the workbook."""
    if output is None:
        return None
    return output_target(output, pdf_name(span), (".pdf",),
                         "un fichier .pdf (il est remplacé à chaque analyse)", "analyse.pdf",
                         "pdf")


def _caption(analysis: Analysis, today: date) -> str:
    who = f", responsable {analysis.owner}" if analysis.owner else ""
    return (f"Analyse {figures.PERIOD.text(analysis)}{who} "
            f"(relances analyse du {format_date(today)})")


def _chart_tables(a: Analysis, settings: Settings) -> list[ChartTable]:
    """The four charts' data, as small tables on Tableau de bord, with the catalogue's
    headers (an amount's header says its unit, as the tracker's columns do), then what
    every figure counts, in the words the terminal and the PDF use."""
    from relances.workbook.dashboard import ChartTable

    def table(title: str, breakdown: figures.Breakdown, keys: tuple[str, ...],
              bars: tuple[int, ...], line: tuple[int, ...] = (),
              axis_format: str = "0") -> ChartTable:
        fields = [breakdown.field(key) for key in keys]
        formats = tuple(_NUMBER_FORMATS.get(f.show) for f in fields)
        return ChartTable(
            title, tuple(f"{f.header} (€)" if f.show is format_amount else f.header
                         for f in fields),
            [[f.value(row) if number else f.text(row)
              for f, number in zip(fields, formats, strict=True)]
             for row in breakdown.rows(a)],
            formats, bars, line, axis_format)

    return [
        table(figures.CONVERSION_CHART, figures.BY_SOURCE,
              ("source", "prospects", "gagnes", "taux_conversion", "ca_realise"), (3,),
              axis_format="0%"),
        table(figures.BY_MONTH.label, figures.BY_MONTH,
              tuple(f.key for f in figures.BY_MONTH.columns), (1, 2, 3), (4,)),
        table(figures.PIPELINE.label, figures.PIPELINE,
              tuple(f.key for f in figures.PIPELINE.columns), (2, 3),
              axis_format=schema.AMOUNT_FORMAT),
        table(figures.ACTIVITY.label, figures.ACTIVITY,
              tuple(f.key for f in figures.ACTIVITY.columns), (1, 2, 3)),
        ChartTable(figures.SATISFACTION.label, ("Indicateur", "Valeur"),
                   [[figure.label, figure.text(a)] for figure in
                    (figures.SATISFACTION, figures.RATED, figures.CALLS_BACK)], (None, None), ()),
        table(figures.CALL_BACK.label, figures.CALL_BACK,
              tuple(f.key for f in figures.CALL_BACK.columns), ()),
        ChartTable("Définitions", ("Indicateur", "Définition"),
                   [[item.label, item.define(a.period, settings)] for item in figures.DEFINED],
                   (None, None), ()),
    ]
