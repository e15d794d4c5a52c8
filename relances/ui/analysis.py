"""analyse: every figure with its definition, the tables, the advice, and the JSON."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from relances.text.show import format_amount, format_date, format_percent, format_tenths
from relances.ui.common import Column, each, grid, json_number, warn_problems
from relances.ui.console import console, errors

if TYPE_CHECKING:

    from relances.core.stats import Group
    from relances.services.analysis import Analysed


def _figures(title: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """Label, figure, and what it counts: the definition wraps in its own column."""
    console.print()
    console.print(title, style="bold")
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(style="dim")
    for label, figure, definition in rows:
        table.add_row(f"  {label}", figure, definition)
    console.print(table)


def _bar(value: float, top: float, width: int = 20) -> str:
    """A bar of █ scaled to the largest value: readable piped, printed or in a terminal."""
    return "█" * round(width * value / top) if top > 0 and value > 0 else ""


def _count(value: int) -> str:
    return str(value)


def analysis(result: Analysed) -> None:
    """Every figure with its definition, the tables, the advice, then what was written."""
    from relances.core.stats import NO_REASON, format_days, sector_reference

    warn_problems(result.problems)
    a, d = result.analysis, result.analysis.definitions
    who = f" — responsable {a.owner}" if a.owner else ""
    console.print(f"Analyse du {format_date(a.period.start)} au "
                  f"{format_date(a.period.end)}{who}", style="bold")
    if a.undated:
        console.print(f"{a.undated} ligne(s) sans aucune date, hors analyse.",
                      style="yellow")
    _figures("Entonnoir", [
        ("Prospects suivis", _count(a.prospects), d["prospects"]),
        ("Devis envoyés", _count(a.quotes), d["devis_envoyes"]),
        ("Gagnés", _count(a.won), d["gagnes"]),
        ("Perdus", _count(a.lost), d["perdus"]),
        ("En cours", _count(a.in_progress), d["en_cours"]),
    ])
    _figures("Conversion", [
        ("Taux de conversion", format_percent(a.conversion),
         f"{d['taux_conversion']} ; référence du secteur : {sector_reference(a)}"),
        ("Taux de réussite", format_percent(a.win_rate), d["taux_reussite"]),
    ])
    without = (f" ; {a.won_without_amount} affaire(s) gagnée(s) sans montant"
               if a.won_without_amount else "")
    _figures("Chiffre d'affaires", [
        ("CA réalisé", format_amount(a.revenue), d["ca_realise"] + without),
        ("CA pondéré", format_amount(a.weighted_pipeline), d["ca_pondere"]),
        ("CA moyen par affaire", format_amount(a.average_deal), d["ca_moyen"]),
    ])
    _figures("Délais", [
        ("Délai moyen", format_days(a.delay.value),
         f"{d['delai_moyen_jours']} ({a.delay.count} affaire(s))"),
        ("Première relance → décision", format_days(a.followup_delay.value),
         f"{d['delai_relance_decision_jours']} ({a.followup_delay.count} affaire(s))"),
        ("Relances avant un gain", format_tenths(a.followups_before_win.value),
         f"{d['relances_avant_gain']} ({a.followups_before_win.count} affaire(s))"),
    ])
    _figures("Activité", [
        ("Relances faites", _count(a.followups), d["relances_faites"]),
        ("Relances en retard", _count(a.overdue),
         f"{d['relances_en_retard']} (sur {a.active} prospects actifs)"),
        ("Zombies", _count(a.zombies), d["zombies"]),
    ])
    _table("Pipeline par statut", d["pipeline_par_statut"],
           (("Statut", False, 14), ("Prospects", True, 9), ("Montant", True, 16),
            ("CA pondéré", True, 16)),
           [[s.status.value, str(s.prospects), format_amount(s.amount),
             format_amount(s.weighted)] for s in a.pipeline])
    top = max((g.conversion or 0 for g in a.by_source), default=0)
    _table("Par source", d["par_source"],
           (("Source", False, 24), ("Prospects", True, 9), ("Devis", True, 5),
            ("Gagnés", True, 6), ("Perdus", True, 6), ("Conversion", True, 10),
            ("Réussite", True, 8), ("CA réalisé", True, 14), ("", False, 20)),
           [[*_group_cells(g), format_amount(g.revenue), _bar(g.conversion or 0, top)]
            for g in a.by_source])
    _table("Par responsable", d["par_responsable"],
           (("Responsable", False, 18), ("Prospects", True, 9), ("Relances", True, 8),
            ("En retard", True, 9), ("Gagnés", True, 6), ("Perdus", True, 6),
            ("Conversion", True, 10), ("Réussite", True, 8), ("CA réalisé", True, 14)),
           [[g.label, str(g.prospects), str(g.followups), str(g.overdue), str(g.won),
             str(g.lost), format_percent(g.conversion), format_percent(g.win_rate),
             format_amount(g.revenue)] for g in a.by_owner])
    most = max((m.entered for m in a.by_month), default=0)
    _table("Évolution mensuelle", d["par_mois"],
           (("Mois", False, 10), ("Entrés", True, 6), ("Gagnés", True, 6), ("Perdus", True, 6),
            ("Actifs fin de mois", True, 18), ("", False, 20)),
           [[m.label, str(m.entered), str(m.won), str(m.lost), str(m.active),
             _bar(m.entered, most)] for m in a.by_month])
    _table("Motifs de perte", d["motifs_perte"],
           (("Motif", False, 40), ("Affaires", True, 8)),
           [[reason or NO_REASON, str(n)] for reason, n in a.lost_reasons])
    console.print()
    console.print("Recommandations", style="bold")
    for number, advice in enumerate(a.recommendations, start=1):
        console.print(f"  {number}. {advice.message}", soft_wrap=True)
    if not a.recommendations:
        console.print("  Rien à signaler : aucun seuil n'est franchi.")
    console.print()
    _written(result)


def _group_cells(g: Group) -> list[str]:
    return [g.label, str(g.prospects), str(g.quotes), str(g.won), str(g.lost),
            format_percent(g.conversion), format_percent(g.win_rate)]


def _table(title: str, definition: str, columns: Sequence[tuple[str, bool, int]],
           rows: Sequence[Sequence[str]]) -> None:
    console.print()
    if not rows:
        console.print(f"{title} : aucune ligne sur la période.", soft_wrap=True)
        return
    grid(title, [Column(header, right, cap, each(itemgetter(i)))
                 for i, (header, right, cap) in enumerate(columns)], rows)
    console.print(f"  {definition}", style="dim")


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


def analysis_json(result: Analysed) -> dict[str, Any]:
    """One object; rates 0–1, amounts in euros, null where a figure cannot be computed."""
    a = result.analysis

    def rate(value: float | None) -> float | None:
        return None if value is None else round(value, 6)

    def days(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    def group(g: Group, key: str) -> dict[str, Any]:
        return {key: g.label if g.named else None, "prospects": g.prospects,
                "devis_envoyes": g.quotes, "gagnes": g.won, "perdus": g.lost,
                "en_cours": g.in_progress, "taux_conversion": rate(g.conversion),
                "taux_reussite": rate(g.win_rate), "ca_realise": json_number(g.revenue)}

    return {
        "periode": {"debut": a.period.start.isoformat(), "fin": a.period.end.isoformat()},
        "responsable": a.owner,
        "prospects": a.prospects, "devis_envoyes": a.quotes, "gagnes": a.won,
        "perdus": a.lost, "en_cours": a.in_progress,
        "taux_conversion": rate(a.conversion), "taux_reussite": rate(a.win_rate),
        "reference_secteur": {"bas": a.sector_low, "haut": a.sector_high},
        "ca_realise": json_number(a.revenue), "ca_pondere": json_number(a.weighted_pipeline),
        "ca_moyen": json_number(a.average_deal), "gagnes_sans_montant": a.won_without_amount,
        "delai_moyen_jours": days(a.delay.value),
        "delai_relance_decision_jours": days(a.followup_delay.value),
        "relances_avant_gain": days(a.followups_before_win.value),
        "relances_faites": a.followups, "prospects_actifs": a.active,
        "relances_en_retard": a.overdue, "zombies": a.zombies,
        "pipeline_par_statut": [
            {"statut": s.status.value, "prospects": s.prospects, "montant": json_number(s.amount),
             "ca_pondere": json_number(s.weighted)} for s in a.pipeline],
        "par_source": [group(g, "source") for g in a.by_source],
        "par_responsable": [{**group(g, "responsable"), "relances_faites": g.followups,
                             "relances_en_retard": g.overdue} for g in a.by_owner],
        "par_mois": [{"mois": m.key, "entres": m.entered, "gagnes": m.won, "perdus": m.lost,
                      "actifs_fin_de_mois": m.active} for m in a.by_month],
        "motifs_perte": [{"motif": reason, "nombre": n} for reason, n in a.lost_reasons],
        "recommandations": [{"code": r.code, "message": r.message, "indicateur": r.figure,
                             "valeur": r.value, "seuil": r.threshold}
                            for r in a.recommendations],
        "lignes_sans_date": a.undated,
        "definitions": a.definitions,
        "tableau_de_bord": {"mis_a_jour": result.refreshed, "raison": result.not_refreshed,
                            "pdf": str(result.pdf) if result.pdf else None},
    }
