"""analyse: every figure with its definition, the tables, the advice, and the JSON.

Labels, headers, keys and definitions come from the catalogue (core/figures); this
module only lays them out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from relances.core import figures
from relances.text.show import (
    format_amount,
    format_date,
    format_days,
    format_month,
    format_percent,
    format_score,
    format_tenths,
    iso_date,
    iso_month,
    json_number,
)
from relances.ui.common import GridColumn, each, grid, warn_problems
from relances.ui.console import console, errors

if TYPE_CHECKING:
    from relances.core.figures import Breakdown, Field, Figure
    from relances.core.stats import Analysis
    from relances.services.analysis import Analysed


def _figures(title: str, a: Analysis, defined: dict[str, str],
             rows: Sequence[tuple[Figure[Any], str]]) -> None:
    """Label, figure, and what it counts (with what the row adds to it): the definition
    wraps in its own column."""
    console.print()
    console.print(title, style="bold")
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(style="dim")
    for figure, more in rows:
        table.add_row(f"  {figure.label}", figure.text(a), defined[figure.key] + more)
    console.print(table)


def _bar(value: float, top: float, width: int = 20) -> str:
    """A bar of █ scaled to the largest value: readable piped, printed or in a terminal."""
    return "█" * round(width * value / top) if top > 0 and value > 0 else ""


def analysis(result: Analysed) -> None:
    """Every figure with its definition, the tables, the advice, then what was written."""
    warn_problems(result.problems)
    a = result.analysis
    d = figures.definitions(a.period, result.settings)
    who = f" — responsable {a.owner}" if a.owner else ""
    console.print(f"Analyse {figures.PERIOD.text(a)}{who}", style="bold")
    if a.undated:
        console.print(f"{a.undated} ligne(s) sans aucune date, hors analyse.",
                      style="yellow")
    _figures("Entonnoir", a, d, [(figures.PROSPECTS, ""), (figures.QUOTES, ""),
                                 (figures.WON, ""), (figures.LOST, ""),
                                 (figures.IN_PROGRESS, "")])
    _figures("Conversion", a, d, [
        (figures.CONVERSION, f" ; {figures.SECTOR.label.lower()} : {figures.SECTOR.text(a)}"),
        (figures.WIN_RATE, ""),
    ])
    without = (f" ; {a.won_without_amount} affaire(s) gagnée(s) sans montant"
               if a.won_without_amount else "")
    _figures("Chiffre d'affaires", a, d, [(figures.REVENUE, without), (figures.WEIGHTED, ""),
                                          (figures.AVERAGE_DEAL, "")])
    _figures("Délais", a, d, [
        (figures.DELAY, f" ({a.delay.count} affaire(s))"),
        (figures.FOLLOWUP_DELAY, f" ({a.followup_delay.count} affaire(s))"),
        (figures.FOLLOWUPS_BEFORE_WIN, f" ({a.followups_before_win.count} affaire(s))"),
    ])
    _figures("Activité", a, d, [
        (figures.FOLLOWUPS, ""),
        (figures.OVERDUE, f" (sur {figures.ACTIVE.text(a)} {figures.ACTIVE.label.lower()})"),
        (figures.CREATED, ""),
        (figures.MEETINGS, ""),
        (figures.ABANDONED, ""),
        (figures.STALE, ""),
        (figures.ZOMBIES, ""),
    ])
    _figures("Gains et relances", a, d, [
        (figures.WON_FOLLOWED, f" ({figures.FOLLOWED_SHARE.text(a)} des gains)"),
        (figures.WON_UNFOLLOWED, ""),
    ])
    _figures("Satisfaction", a, d, [
        (figures.SATISFACTION, f" ({a.satisfaction.count})"),
    ])
    _table(figures.PIPELINE, a, d)
    top = max((g.conversion or 0 for g in a.by_source), default=0)
    _table(figures.BY_SOURCE, a, d, lambda g: _bar(g.conversion or 0, top))
    _table(figures.BY_OWNER, a, d)
    _table(figures.ACTIVITY, a, d)
    most = max((m.entered for m in a.by_month), default=0)
    _table(figures.BY_MONTH, a, d, lambda m: _bar(m.entered, most))
    _table(figures.LOST_REASONS, a, d)
    _table(figures.CALL_BACK, a, d)
    console.print()
    console.print("Recommandations", style="bold")
    for number, advice in enumerate(result.advice, start=1):
        console.print(f"  {number}. {advice.message}", soft_wrap=True)
    if not result.advice:
        console.print("  Rien à signaler : aucun seuil n'est franchi.")
    console.print()
    _written(result)


def _table(breakdown: Breakdown, a: Analysis, defined: dict[str, str],
           bar: Callable[[Any], str] | None = None) -> None:
    """A breakdown with the catalogue's columns (the first, a name, on the left), a bar
    after them when given, and its definition below."""
    console.print()
    rows = breakdown.rows(a)
    if not rows:
        console.print(f"{breakdown.label} : {breakdown.empty}.", soft_wrap=True)
        return
    columns = [GridColumn(field.header, index > 0, field.width, each(field.text))
               for index, field in enumerate(breakdown.columns)]
    if bar is not None:
        columns.append(GridColumn("", False, 20, each(bar)))
    grid(breakdown.label, columns, rows)
    console.print(f"  {defined[breakdown.key]}", style="dim")


def _written(result: Analysed) -> None:
    """What the command wrote, or why the sheet was left as it was."""
    if result.refreshed:
        backup = f" (version précédente : {result.backup.name})" if result.backup else ""
        console.print(f"Feuille Tableau de bord mise à jour : données et graphiques{backup}.",
                      soft_wrap=True)
    elif result.not_refreshed:
        errors.print(f"Tableau de bord non mis à jour : {result.not_refreshed}",
                     style="yellow", soft_wrap=True)
    if result.pdf is not None:
        console.print(f"Tableau de bord PDF : {result.pdf}", soft_wrap=True)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _tenths(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


_FOR_PROGRAMS: dict[Any, Callable[[Any], Any]] = {
    format_percent: _rate, format_amount: json_number, format_days: _tenths,
    format_tenths: _tenths, format_month: iso_month, format_score: _tenths,
    format_date: iso_date,
}
"""What a value the catalogue writes in French this way is in JSON: rates 0–1, amounts
in euros, days and means to a tenth, months in ISO; counts and names as they are."""


def _machine(item: Figure[Any] | Field[Any], value: Any) -> Any:
    convert = _FOR_PROGRAMS.get(item.show)
    return value if convert is None else convert(value)


def analysis_json(result: Analysed) -> dict[str, Any]:
    """One object keyed as the catalogue; null where a figure cannot be computed."""
    a = result.analysis

    def values(*items: Figure[Any]) -> dict[str, Any]:
        return {item.key: _machine(item, item.value(a)) for item in items}

    def rows(breakdown: Breakdown) -> list[dict[str, Any]]:
        return [{field.key: _machine(field, field.value(row)) for field in breakdown.fields}
                for row in breakdown.rows(a)]

    return {
        figures.PERIOD.key: {"debut": a.period.start.isoformat(),
                             "fin": a.period.end.isoformat()},
        "responsable": a.owner,
        **values(figures.PROSPECTS, figures.QUOTES, figures.WON, figures.LOST,
                 figures.IN_PROGRESS, figures.CONVERSION, figures.WIN_RATE),
        figures.SECTOR.key: {"bas": a.sector_low, "haut": a.sector_high},
        **values(figures.REVENUE, figures.WEIGHTED, figures.AVERAGE_DEAL,
                 figures.WON_WITHOUT_AMOUNT, figures.DELAY, figures.FOLLOWUP_DELAY,
                 figures.FOLLOWUPS_BEFORE_WIN, figures.FOLLOWUPS, figures.ACTIVE,
                 figures.OVERDUE, figures.STALE, figures.ZOMBIES, figures.CREATED,
                 figures.ABANDONED, figures.MEETINGS, figures.WON_FOLLOWED,
                 figures.WON_UNFOLLOWED, figures.FOLLOWED_SHARE, figures.SATISFACTION,
                 figures.RATED, figures.CALLS_BACK),
        **{b.key: rows(b) for b in (figures.PIPELINE, figures.BY_SOURCE, figures.BY_OWNER,
                                    figures.ACTIVITY, figures.BY_MONTH,
                                    figures.LOST_REASONS, figures.CALL_BACK)},
        "recommandations": [{"code": r.code, "message": r.message, "indicateur": r.figure,
                             "valeur": r.value, "seuil": r.threshold}
                            for r in result.advice],
        **values(figures.UNDATED),
        "definitions": figures.definitions(a.period, result.settings),
        "tableau_de_bord": {"mis_a_jour": result.refreshed, "raison": result.not_refreshed,
                            "pdf": str(result.pdf) if result.pdf else None},
    }
