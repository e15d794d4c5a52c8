"""The week ahead: semaine, the bare relances, agenda, emails and modeles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from relances.core.cadence import advice_for
from relances.core.model import Settings
from relances.text.show import (
    format_amount,
    format_date,
    format_percent,
    iso_date,
    json_number,
    short_date,
)
from relances.ui.common import (
    GridColumn,
    amount_text,
    days_text,
    grid,
    ident_text,
    percent_text,
    row_style,
    warn_problems,
)
from relances.ui.console import console

if TYPE_CHECKING:

    from relances.core.routine import Item
    from relances.services.week import Agenda, CopiedTemplates, Drafts, Weekly


def _week_columns(today: date, settings: Settings) -> tuple[GridColumn[Item], ...]:
    """The week's tables' columns; their cells are written by `_week_cells`."""
    def overdue(i: Item) -> str:
        return "bold red" if i.prospect.is_overdue(today) else ""

    return (
        GridColumn("ID", True, 6, None),
        GridColumn("Nom", False, 26, None),
        GridColumn("Date", False, 8, None, overdue),
        GridColumn("Action", False, 10, None),
        GridColumn("Étape", False, 12, None),
        GridColumn("Montant", True, 12, None),
        GridColumn("Proba", True, 5, None,
                   lambda i: "bold green" if i.prospect.is_hot(settings) else ""),
        GridColumn("Délai", True, 6, None),
        GridColumn("Conseil", False, 60, None),
    )


def _week_cells(item: Item, today: date) -> tuple[str, ...]:
    """One line of the week's tables, in `_week_columns`' order: written row by row,
    once for a prospect listed in several sections (late and hot, due and dormant)."""
    p = item.prospect
    return (ident_text(p), p.name, short_date(p.next_followup, today), p.action or "",
            item.step_label, amount_text(p), percent_text(p),
            days_text(item.days_without_contact), advice_text(item))


def advice_text(item: Item) -> str:
    """The quote's deadline first: it is what makes this follow-up urgent."""
    advice = item.advice or ""
    if item.expiry is None:
        return advice
    return f"Devis expire le {format_date(item.expiry)}" + (f" — {advice}" if advice else "")


def week(result: Weekly) -> None:
    """The Monday routine, section by section; an empty section says so in one line."""
    warn_problems(result.problems)
    w, s = result.week, result.settings
    console.print(f"Semaine du {format_date(w.start)} au {format_date(w.end)}",
                  style="bold")
    sections = (
        ("En retard", w.overdue, "aucune relance en retard."),
        ("À faire", w.due, "rien de prévu sur la période."),
        ("Clients : satisfaction, fidélisation, réactivation", w.clients,
         "aucune relance de client gagné ou perdu sur la période."),
        ("Sans date", w.undated, "tous les prospects actifs ont une prochaine relance."),
        (f"Prospects chauds (≥ {format_percent(s.hot_probability)}) : à traiter en début "
         "de semaine", w.hot, "aucun prospect chaud."),
        (f"Dormants (plus de {s.dormant_days} jours sans contact) : relancer ou abandonner",
         w.dormant, "aucun prospect dormant."),
        (f"Zombies (plus de {s.zombie_days} jours, probabilité sous "
         f"{format_percent(s.zombie_probability)}) : dernière réactivation ou Perdu "
         "(relances planifier)", w.zombies, "aucun zombie."),
    )
    columns = _week_columns(w.start, s)
    written: dict[int, tuple[str, ...]] = {}
    for title, items, empty in sections:
        console.print()
        if not items:
            console.print(f"{title} : {empty}", soft_wrap=True)  # one line, even piped
            continue
        cells = [written[id(i)] if id(i) in written
                 else written.setdefault(id(i), _week_cells(i, w.start)) for i in items]
        grid(f"{title} ({len(items)})", columns, items,
             lambda i: row_style(i.prospect, w.start, s), cells)
    console.print()
    st = w.stats
    console.print("Statistiques", style="bold")
    console.print(f"  Prospects actifs : {st.active}")
    console.print(f"  CA pondéré (Σ montant × probabilité) : {format_amount(st.weighted_pipeline)}")
    console.print(f"  Affaires gagnées : {st.won} sur {st.total} prospects")
    console.print(f"  Taux de conversion (gagnés / total) : {format_percent(st.conversion)}")
    console.print(f"  Relances à faire sur la période : {st.due_this_week} "
                  f"(+ {st.overdue} en retard)")


def week_json(result: Weekly) -> dict[str, Any]:
    w = result.week

    def items(section: Sequence[Item]) -> list[dict[str, Any]]:
        return [{
            "id": i.prospect.id, "nom": i.prospect.name,
            "statut": i.prospect.status.value if i.prospect.status else None,
            "prochaine_relance": iso_date(i.prospect.next_followup), "action": i.prospect.action,
            "probabilite": i.prospect.probability, "montant": json_number(i.prospect.amount),
            "jours_sans_contact": i.days_without_contact, "etape": i.step_label or None,
            "conseil": None if i.to_decide else advice_for(i.prospect, i.step),
            "responsable": i.prospect.owner, "devis_expire_le": iso_date(i.expiry),
        } for i in section]

    st = w.stats
    return {
        "periode": {"debut": w.start.isoformat(), "fin": w.end.isoformat()},
        "en_retard": items(w.overdue), "a_faire": items(w.due), "clients": items(w.clients),
        "sans_date": items(w.undated),
        "chauds": items(w.hot), "dormants": items(w.dormant), "zombies": items(w.zombies),
        "stats": {
            "actifs": st.active, "ca_pondere": json_number(st.weighted_pipeline),
            "gagnes": st.won, "total": st.total, "taux_conversion": st.conversion,
            "relances_semaine": st.due_this_week, "en_retard": st.overdue,
        },
    }


def summary(result: Weekly) -> None:
    """`relances` alone: two lines, then the way to the detail."""
    st = result.week.stats
    console.print(f"{st.overdue} relance(s) en retard, {st.due_this_week} cette semaine.")
    console.print("Le détail : relances semaine (et relances --help pour toutes les commandes).")


def agenda_written(result: Agenda) -> None:
    """How many events and where, then how to use the file."""
    warn_problems(result.problems)
    period = f"du {format_date(result.start)} au {format_date(result.end)}"
    if not result.written:
        console.print(f"Aucune relance {period} : aucun fichier écrit.")
        return
    late = ""
    if result.overdue:
        day = "aujourd'hui" if result.overdue_day == result.start \
            else f"le {format_date(result.overdue_day)}"
        late = f", dont {result.overdue} en retard placée(s) {day}"
    routine = (f" + {result.routine} rendez-vous hebdomadaires (lundi 9 h, vendredi 17 h)"
               if result.routine else "")
    total = result.followups + result.routine
    console.print(f"{total} événement(s) écrit(s) dans {result.path} : "
                  f"{result.followups} relance(s) {period}{late}{routine}.", soft_wrap=True)
    console.print("Importez ce fichier dans votre agenda (Outlook, Google Agenda, Calendrier "
                  "d'Apple) : importé de nouveau, il met à jour les mêmes événements sans "
                  "doublon.", soft_wrap=True)


def drafts_written(result: Drafts) -> None:
    """Where the drafts are, which were kept as the user left them, who was left out."""
    warn_problems(result.problems)
    prepared, written = result.prepared, result.written
    period = (f"du {format_date(prepared.start)} au {format_date(prepared.end)}, relances "
              "en retard comprises")
    if written is None:
        console.print(f"Aucun email ni appel à préparer {period} : aucun fichier écrit.",
                      soft_wrap=True)
        _not_prepared(result)
        return
    mails = sum(1 for d in prepared.drafts if d.kind == "Email")
    calls = len(prepared.drafts) - mails
    console.print(f"{mails} brouillon(s) d'email et {calls} script(s) d'appel ({period}) "
                  f"dans {written.folder} :", soft_wrap=True)
    kept = {id(d) for d in written.kept}
    replaced = {id(d) for d in written.replaced}
    for draft in prepared.drafts:
        state = " (déjà présent : conservé)" if id(draft) in kept else \
            " (remplacé)" if id(draft) in replaced else ""
        console.print(f"  {draft.filename} — {draft.prospect.name}{state}", soft_wrap=True)
    if written.kept:
        console.print(f"{len(written.kept)} fichier(s) déjà présent(s) conservé(s) tel(s) "
                      "quel(s), vos retouches comprises : --remplacer les refait à partir "
                      "des modèles.", soft_wrap=True)
    to_complete = [d.filename for d in prepared.drafts if d.to_complete]
    if to_complete:
        console.print(f"À compléter avant envoi (passage « [À COMPLÉTER … ] ») : "
                      f"{', '.join(to_complete)}.", soft_wrap=True)
    _not_prepared(result)
    if mails and not result.settings.sender_email:
        console.print("Paramètres n'a pas d'« Email de l'expéditeur » : les brouillons "
                      "n'ont pas d'expéditeur, votre messagerie mettra le vôtre.",
                      soft_wrap=True)
    console.print("Ouvrez un .eml avec Outlook, Thunderbird ou Mail : il s'ouvre en "
                  "brouillon, à relire avant d'envoyer. Le récapitulatif : "
                  f"{written.folder / 'index.txt'}", soft_wrap=True)


def _not_prepared(result: Drafts) -> None:
    skipped = result.prepared.skipped
    if not skipped:
        return
    console.print(f"Non préparé(s) : {len(skipped)}")
    for item in skipped:
        console.print(f"  {item.prospect.name} : {item.reason}", soft_wrap=True)


def templates_copied(result: CopiedTemplates) -> None:
    if result.copied:
        console.print(f"{len(result.copied)} modèle(s) copié(s) dans {result.folder} : "
                      f"{', '.join(result.copied)}.", soft_wrap=True)
    if result.kept:
        console.print(f"{len(result.kept)} modèle(s) déjà présent(s), conservé(s) sans y "
                      f"toucher : {', '.join(result.kept)}.", soft_wrap=True)
    use = "relances emails" if result.beside_workbook \
        else f'relances emails --modeles "{result.folder}"'
    console.print(f"Modifiez-les avec un éditeur de texte : {use} les utilise à la place "
                  "des modèles intégrés (les noms utilisables sont dans LISEZMOI.txt ; "
                  "supprimez un fichier pour revenir au modèle d'origine).", soft_wrap=True)
