"""The prospects and their changes: init, ajouter, liste, voir, verifier, annuler, maj,
planifier, regles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from relances.core import schema
from relances.core.cadence import CALL_BACK_ADVICE, QUOTE_MARGIN
from relances.core.model import Prospect, Settings, Status
from relances.text.show import (
    format_amount,
    format_date,
    format_percent,
    format_score,
    short_date,
)
from relances.ui.common import (
    GridColumn,
    amount_text,
    days_text,
    grid,
    ident_text,
    moved,
    percent_text,
    row_style,
    warn_problems,
)
from relances.ui.console import console
from relances.ui.contacts import contact_lines
from relances.ui.options import said

if TYPE_CHECKING:

    from relances.services.planning import Cadence, Planning
    from relances.services.prospects import Added, Card, Check, Created, Listing, Restored
    from relances.services.update import Updated


def created(result: Created) -> None:
    what = (f"avec {result.prospects} prospects d'exemple" if result.prospects
            else "vide, prêt à remplir")
    console.print(f"Classeur créé : {result.path} ({what}).")
    if result.prospects:
        console.print("Ouvrez-le dans Excel ou LibreOffice, ou voyez la semaine : "
                      "relances semaine")
    else:
        console.print("Remplissez-le dans Excel ou LibreOffice, ou avec relances ajouter "
                      "(ou relances importer pour reprendre un fichier existant).")


def added(result: Added) -> None:
    p = result.prospect
    ident = f"ID {p.id} — " if p.id is not None else ""
    console.print(f"Prospect ajouté : {ident}{p.name} (ligne {p.row}).")
    moved(result.moved)


def _list_columns(today: date, settings: Settings) -> tuple[GridColumn[Prospect], ...]:
    def overdue(p: Prospect) -> str:
        return "bold red" if p.active and p.is_overdue(today) else ""

    return (
        GridColumn("ID", True, 6, lambda ps: [ident_text(p) for p in ps]),
        GridColumn("Nom", False, 26, lambda ps: [p.name for p in ps]),
        GridColumn("Statut", False, 12, lambda ps: [str(p.status or "") for p in ps]),
        GridColumn("Montant", True, 12, lambda ps: [amount_text(p) for p in ps]),
        GridColumn("Proba", True, 5, lambda ps: [percent_text(p) for p in ps],
                   lambda p: "bold green" if p.active and p.is_hot(settings) else ""),
        GridColumn("Délai", True, 6,
                   lambda ps: [days_text(p.days_without_contact(today)) for p in ps]),
        GridColumn("Relance", False, 8, lambda ps: [short_date(p.next_followup, today)
                                                    for p in ps], overdue),
        GridColumn("Action", False, 10, lambda ps: [p.action or "" for p in ps]),
        GridColumn("Resp.", False, 12, lambda ps: [p.owner or "" for p in ps]),
    )


def listing(result: Listing) -> None:
    """One line a prospect, coloured like the workbook."""
    warn_problems(result.problems)
    if not result.prospects:
        console.print(f"Aucun prospect ne correspond ({result.total} au total).")
        return
    settings, today = result.tracker.settings, result.today
    grid(f"{len(result.prospects)} prospect(s) sur {result.total}",
         _list_columns(today, settings), result.prospects,
         lambda p: row_style(p, today, settings))


def card(result: Card) -> None:
    """The whole card in a frame coloured like the row; piped, the same lines unframed."""
    p, today, settings = result.prospect, result.today, result.tracker.settings
    fields = [(label, value) for label, value in _card_fields(p, p.days_without_contact(today))
              if value not in (None, "")]
    title = f"{p.id} — {p.name}" if p.id is not None else p.name
    if console.is_terminal:
        _framed_card(title, fields, row_style(p, today, settings) or "blue")
    else:
        width = max((len(label) for label, _ in fields), default=0)
        console.print("\n".join([title, *(f"  {label:<{width}}  {value}"
                                           for label, value in fields)]))
    if p.history:
        console.print("Historique", style="bold")
        for line in p.history.splitlines():
            console.print(f"  {line}")
    contact_lines(result.contacts)
    if result.journal:
        console.print("Journal", style="bold")
        for entry in result.journal:
            parts = [format_date(entry.when), entry.channel or "", entry.summary or "",
                     f"({entry.outcome})" if entry.outcome else ""]
            console.print("  " + " ".join(x for x in parts if x))


def _framed_card(title: str, fields: Sequence[tuple[str, str]], border: str) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    lines = Table.grid(padding=(0, 2))
    lines.add_column(style="bold")
    lines.add_column()
    for label, value in fields:
        lines.add_row(label, value)
    console.print(Panel(lines, title=Text(title), title_align="left", border_style=border))


def _card_fields(p: Prospect, days: int | None) -> Iterable[tuple[str, Any]]:
    yield "Statut", p.status.value if p.status else None
    yield "Statut depuis", format_date(p.status_since)
    yield "Interlocuteur", p.interlocutor
    yield "Email", p.email
    yield "Téléphone", p.phone
    yield "Adresse", ", ".join(part for part in (
        p.street, " ".join(x for x in (p.postal_code, p.city) if x), p.country) if part)
    yield "Source", p.source
    yield "Projet", p.project
    yield "Montant", format_amount(p.amount) if p.amount is not None else None
    yield "Probabilité", format_percent(p.probability) if p.probability is not None else None
    yield "CA pondéré", format_amount(p.weighted_amount) if p.amount is not None else None
    yield "Première interaction", format_date(p.first_contact)
    yield "Dernier contact", (f"{format_date(p.last_contact)} ({_ago(days)})"
                              if days is not None else None)
    yield "Prochaine relance", format_date(p.next_followup)
    yield "Action prévue", p.action
    yield "Relances faites", str(p.followups_done) if p.followups_done is not None else None
    yield "Responsable", p.owner
    yield "Alerte", p.alert
    yield "Motif perte", p.lost_reason
    yield "Validité devis", format_date(p.quote_valid_until)
    yield "Satisfaction", format_score(p.satisfaction) if p.satisfaction is not None else None
    yield "Notes", p.notes


def _ago(days: int) -> str:
    if days == 0:
        return "aujourd'hui"
    if days < 0:
        return f"dans {-days} jour{'s' if days < -1 else ''}"
    return f"il y a {days} jour{'s' if days > 1 else ''}"


def checked(result: Check) -> None:
    for problem in result.problems:
        console.print(said(str(problem)))
    if result.problems:
        console.print(f"{len(result.problems)} problème(s) trouvé(s) ; "
                      f"{result.prospects} prospect(s) lisible(s).")
    else:
        console.print(f"Aucun problème : {result.prospects} prospect(s) lu(s).")
    for notice in result.notices:
        console.print(f"Note : {said(str(notice))}.")


def restored(result: Restored) -> None:
    console.print(f"Version du {result.when:%d/%m/%Y à %H:%M:%S} restaurée "
                  f"(sauvegarde {result.backup.name}).")
    console.print(f"La version remplacée est gardée dans {result.kept}.")


def updated(result: Updated) -> None:
    """What changed, before → after, so the user sees the plan they just made."""
    p = result.prospect
    console.print(f"{p.name} mis à jour.")
    for change in result.changes:
        if change.label == "Prochaine relance":
            action = f" ({p.action})" if p.action else ""
            console.print(f"  {change.label} : {change.after}{action}")
        elif change.before == "—":
            console.print(f"  {change.label} : {change.after}")
        else:
            console.print(f"  {change.label} : {change.before} → {change.after}")
    moved(result.moved)
    if result.added_column:
        console.print(f"  Colonne « Satisfaction » ajoutée en {result.added_column} : chaque "
                      "ligne y prend la couleur de sa note.")
    step = result.step
    if p.unhappy and any(c.label == "Satisfaction" for c in result.changes):
        console.print(f"  Conseil : {CALL_BACK_ADVICE}", style="yellow")
    if step is not None and step.expiry is not None and p.next_followup == step.when:
        console.print(f"  Le devis expire le {format_date(step.expiry)} : la relance est "
                      f"avancée de {QUOTE_MARGIN} jours ouvrés avant.")
    if step is not None and step.advice and p.next_followup == step.when:
        console.print(f"  Conseil : {step.advice}")
    if p.status is Status.WON and any(c.label == "Statut" for c in result.changes):
        who = p.id if p.id is not None else f'"{p.name}"'
        console.print(f"Affaire gagnée : préparez l'accueil du client avec relances accueil {who}")


def planning(result: Planning) -> None:
    if result.simulated:
        console.print("Simulation : rien n'a été écrit.", style="bold")
    verb = "serait" if result.simulated else "a été"
    for item in result.planned:
        p = item.prospect
        console.print(f"{p.id if p.id is not None else ''} {p.name} — {item.reason}".strip())
        for change in item.changes:
            console.print(f"  {change.label} : {change.before} → {change.after}")
    if result.formulas_restored:
        restored = "seraient rétablis" if result.simulated else "rétablis"
        console.print(f"Formules et formats {restored} sur {result.formulas_restored} ligne(s).")
    if result.sorted:
        console.print(f"Le suivi {verb} trié par prochaine relance.")
    if result.not_sorted:
        console.print(result.not_sorted, style="yellow")
    if not (result.planned or result.formulas_restored or result.sorted
            or result.not_sorted):
        console.print("Tout est déjà planifié : rien à changer.")
    if result.zombies:
        s = result.settings
        console.print(f"{len(result.zombies)} zombie(s) à trancher (plus de {s.zombie_days} "
                      "jours sans contact, probabilité sous "
                      f"{format_percent(s.zombie_probability)}) : dernière relance ou "
                      "Perdu.", style="yellow")
        for p in result.zombies:
            console.print(f"  {p.id if p.id is not None else ''} {p.name}".rstrip())
    if result.backup is not None:
        console.print(f"Version précédente sauvegardée : {result.backup.name}")


def cadence(result: Cadence) -> None:
    from rich import box
    from rich.table import Table

    warn_problems(result.problems)
    table = Table(title="Cadence de relance (feuille Règles)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for header in ("Statut", "Jour", "Compté depuis", "Action", "Conseil"):
        table.add_column(header)
    order = list(Status)
    for rule in sorted(result.rules, key=lambda r: (order.index(r.status), r.day)):
        table.add_row(rule.status.value, f"J+{rule.day}",
                      schema.FROM_LAST_CONTACT if rule.from_last_contact
                      else schema.FROM_STATUS_START, rule.action, rule.advice or "")
    console.print(table)
    s = result.settings
    console.print(f"Au plus {s.max_followups} relances par statut, puis décision (clôturer ou "
                  f"dernière relance). Injoignable : nouvel essai après {s.retry_days} jours "
                  "ouvrés.")
    days = f"jours ouvrés, jours fériés {s.country}" if s.working_days_only else "tous les jours"
    console.print(f"Dates de relance : {days}. Perdu automatique après "
                  f"{s.auto_lost_days} jours sans interaction (relances planifier).")
