"""The workflow's advice on an analysis: each recommendation is triggered by a figure
crossing its threshold, and names that figure by its key in the catalogue.

Pure: an Analysis and the settings in, recommendations out, worded in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from relances.core import figures
from relances.text.show import format_amount, format_days, format_percent, format_score

if TYPE_CHECKING:
    from relances.core.model import Settings
    from relances.core.stats import Analysis

DELAY_LIMIT = 45
"""Days from first interaction to decision beyond which the workflow says: follow up earlier."""
OVERDUE_SHARE = 0.20
"""Overdue follow-ups on this share of the active prospects: the weekly routine is slipping."""


@dataclass(frozen=True)
class Recommendation:
    """Advice triggered when a figure crosses its threshold."""

    code: str
    message: str
    figure: str
    """The key of the figure that triggers it (a key of the JSON output)."""
    value: float | None
    threshold: float | None = None


def recommendations(a: Analysis, settings: Settings) -> list[Recommendation]:
    """The workflow's advice, each with the figure and threshold that trigger it."""
    advice: list[Recommendation] = []
    if a.conversion is not None and a.conversion < settings.sector_rate_low:
        advice.append(Recommendation(
            "qualification",
            f"Améliorer la qualification dès le premier contact : taux de conversion "
            f"{format_percent(a.conversion)}, sous la référence du secteur "
            f"({figures.SECTOR.text(a)}).",
            figures.CONVERSION.key, a.conversion, settings.sector_rate_low))
    if a.delay.value is not None and a.delay.value > DELAY_LIMIT:
        advice.append(Recommendation(
            "relancer_plus_tot",
            f"Relancer plus tôt : {format_days(a.delay.value)} en moyenne entre la première "
            f"interaction et la décision, plus de {DELAY_LIMIT} jours (délai optimal du "
            "secteur : 14 à 30 jours).",
            figures.DELAY.key, round(a.delay.value, 1), DELAY_LIMIT))
    advice.extend(_source_advice(a))
    if a.zombies:
        advice.append(Recommendation(
            "zombies",
            f"Faire le tri : {a.zombies} zombie(s), sans contact depuis plus de "
            f"{settings.zombie_days} jours et de probabilité inférieure à "
            f"{format_percent(settings.zombie_probability)} : une dernière relance de "
            "réactivation, ou Perdu (relances planifier).",
            figures.ZOMBIES.key, a.zombies, 0))
    if a.overdue and a.active and a.overdue / a.active >= OVERDUE_SHARE:
        advice.append(Recommendation(
            "routine",
            f"Tenir la routine du lundi : {a.overdue} relance(s) en retard sur {a.active} "
            f"prospects actifs ({format_percent(a.overdue / a.active)}, seuil "
            f"{format_percent(OVERDUE_SHARE)}) : relances semaine chaque lundi à 9 h.",
            figures.OVERDUE.key, a.overdue, OVERDUE_SHARE))
    if a.to_call_back:
        names = ", ".join(f"{p.name} ({format_score(p.satisfaction)})" for p in a.to_call_back)
        advice.append(Recommendation(
            "clients_mecontents",
            f"Rappeler les clients mécontents : {names}. Un problème réglé vite garde le "
            "client et sa recommandation.",
            figures.CALLS_BACK.key, len(a.to_call_back), 0))
    return advice


def _source_advice(a: Analysis) -> list[Recommendation]:
    """The best source by conversion, and by revenue when it is another: only when at
    least two named sources can be compared, with their counts so small samples show."""
    named = [g for g in a.by_source if g.named]
    if len(named) < 2:
        return []
    advice = []
    converting = [g for g in named if g.won]
    best = max(converting, key=lambda g: (g.conversion or 0, g.revenue, g.prospects),
               default=None)
    if best is not None:
        advice.append(Recommendation(
            "source_conversion",
            f"Investir davantage dans « {best.label} » : meilleur taux de conversion, "
            f"{format_percent(best.conversion)} ({best.won} gagné(s) sur {best.prospects} "
            "prospect(s)).",
            figures.BY_SOURCE.key, best.conversion))
    earning = [g for g in named if g.revenue > 0]
    richest = max(earning, key=lambda g: (g.revenue, g.conversion or 0), default=None)
    if richest is not None and richest is not best:
        advice.append(Recommendation(
            "source_ca",
            f"« {richest.label} » rapporte le plus : {format_amount(richest.revenue)} réalisés "
            f"({richest.won} affaire(s) gagnée(s)).",
            figures.BY_SOURCE.key, float(richest.revenue)))
    return advice
