"""Everything the user reads in the terminal: rich tables, cards and messages.

With cli.py the only code that prints. Colours follow the workbook's own code:
grey for closed deals, orange for an alert, red for a stale prospect, bold red
for an overdue follow-up, bold green for a hot probability.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Span, Text

from relances.model import Problem, Prospect, Settings, Status
from relances.parsing import format_amount, format_date, format_percent

if TYPE_CHECKING:
    from relances.routine import Item
    from relances.services import (
        Agenda,
        Cadence,
        Card,
        Check,
        Created,
        Listing,
        Planning,
        Updated,
        Weekly,
    )
    from relances.workbook import Restored

# Cell text is data: "[rappel]" or ":smile:" in a note must print as typed, never as markup.
console = Console(highlight=False, markup=False, emoji=False)
errors = Console(stderr=True, highlight=False, markup=False, emoji=False)


def error(message: str) -> None:
    errors.print(Text(message, style="bold red"))


def warn_problems(problems: Sequence[Problem], limit: int = 5) -> None:
    """Commands carry on past unreadable rows, but never silently."""
    if not problems:
        return
    errors.print(Text(f"Attention : {len(problems)} valeur(s) illisible(s), ligne(s) ignorée(s) "
                      "(détail : relances verifier).", style="yellow"))
    for problem in problems[:limit]:
        errors.print(Text(f"  {problem}", style="yellow"))
    if len(problems) > limit:
        errors.print(Text(f"  … et {len(problems) - limit} autre(s).", style="yellow"))


# --------------------------------------------------------------------------- JSON


def prospect_json(p: Prospect) -> dict[str, Any]:
    """Stable keys, ISO dates, probability as 0–1, null when empty."""
    return {
        "id": p.id, "nom": p.name, "email": p.email, "telephone": p.phone,
        "statut": p.status.value if p.status else None, "source": p.source,
        "projet": p.project, "montant": _number(p.amount), "probabilite": p.probability,
        "premiere_interaction": _iso(p.first_contact), "dernier_contact": _iso(p.last_contact),
        "prochaine_relance": _iso(p.next_followup), "action": p.action,
        "responsable": p.owner, "interlocuteur": p.interlocutor,
        "statut_depuis": _iso(p.status_since), "relances_faites": p.followups_done,
        "alerte": p.alert, "motif_perte": p.lost_reason, "historique": p.history,
        "notes": p.notes, "ligne": p.row,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# --------------------------------------------------------------------------- colours


def row_style(p: Prospect, today: date, settings: Settings) -> str:
    """The same precedence as the workbook's conditional formats."""
    if not p.active:
        return "grey50"
    if p.alert:
        return "dark_orange"
    days = p.days_without_contact(today)
    if days is not None and days > settings.alert_days:
        return "red"
    return ""


def _days(days: int | None) -> str:
    return "" if days is None else f"{days} j"


def _short_date(value: date | None, today: date) -> str:
    """Lists show 13/01 within the current year, 13/01/25 otherwise: the table fits 80 columns."""
    if value is None:
        return ""
    return f"{value:%d/%m}" if value.year == today.year else f"{value:%d/%m/%y}"


# --------------------------------------------------------------------------- commands


def created(result: Created) -> None:
    what = (f"avec {result.prospects} prospects d'exemple" if result.prospects
            else "vide, prêt à remplir")
    console.print(f"Classeur créé : {result.path} ({what}).")
    console.print("Ouvrez-le dans Excel ou LibreOffice, ou essayez : relances liste")


def added(p: Prospect) -> None:
    ident = f"ID {p.id} — " if p.id is not None else ""
    console.print(f"Prospect ajouté : {ident}{p.name} (ligne {p.row}).")


Cell = tuple[str, str]
"""A cell's text and its own style (bold red for an overdue date…)."""

_LIST_COLUMNS = (
    # header, right-aligned, widest
    ("ID", True, 6), ("Nom", False, 26), ("Statut", False, 12), ("Montant", True, 12),
    ("Proba", True, 5), ("Délai", True, 6), ("Relance", False, 8), ("Action", False, 10),
    ("Resp.", False, 12),
)


def listing(result: Listing) -> None:
    """One line a prospect, coloured like the workbook."""
    warn_problems(result.problems)
    if not result.prospects:
        console.print(f"Aucun prospect ne correspond ({result.total} au total).")
        return
    settings, today = result.tracker.settings, result.today
    grid(f"{len(result.prospects)} prospect(s) sur {result.total}", _LIST_COLUMNS,
         [(_list_cells(p, today, settings), row_style(p, today, settings))
          for p in result.prospects])


def grid(title: str, columns: Sequence[tuple[str, bool, int]],
         rows: Sequence[tuple[Sequence[Cell], str]]) -> None:
    """A table drawn by hand rather than with rich's Table, which measures every cell
    twice: 10 000 prospects print in a fraction of a second instead of ten."""
    widths = [min(cap, max(len(header), *(len(cells[i][0]) for cells, _ in rows)))
              for i, (header, _, cap) in enumerate(columns)]
    lines = [title]
    spans: list[Span] = [Span(0, len(title), "bold")]
    offset = len(title) + 1
    header = [(h, "bold") for h, _, _ in columns]
    for cells, style in ((header, ""), *rows):
        line = "  ".join(_fit(value, widths[i], columns[i][1])
                         for i, (value, _) in enumerate(cells)).rstrip()
        if style:
            spans.append(Span(offset, offset + len(line), style))
        start = offset
        for i, (_, cell_style) in enumerate(cells):
            if cell_style:
                spans.append(Span(start, start + widths[i], cell_style))
            start += widths[i] + 2
        lines.append(line)
        offset += len(line) + 1
    plain = "\n".join(lines) + "\n"
    if console.is_terminal:
        console.print(Text(plain, spans=spans, no_wrap=True, overflow="ellipsis"), end="")
    else:
        sys.stdout.write(plain)


def _fit(value: str, width: int, right: bool) -> str:
    if len(value) > width:
        value = value[: width - 1] + "…"
    return value.rjust(width) if right else value.ljust(width)


def _list_cells(p: Prospect, today: date, settings: Settings) -> list[tuple[str, str]]:
    """The cells of a line, each with the style the workbook would give it."""
    overdue = p.active and p.next_followup is not None and p.next_followup < today
    hot = p.active and p.probability is not None and p.probability >= settings.hot_probability
    return [
        (str(p.id) if p.id is not None else "", ""), (p.name, ""),
        (p.status.value if p.status else "", ""),
        (format_amount(p.amount) if p.amount is not None else "", ""),
        (format_percent(p.probability) if p.probability is not None else "",
         "bold green" if hot else ""),
        (_days(p.days_without_contact(today)), ""),
        (_short_date(p.next_followup, today), "bold red" if overdue else ""),
        (p.action or "", ""), (p.owner or "", ""),
    ]


def card(result: Card) -> None:
    p, today, settings = result.prospect, result.today, result.tracker.settings
    days = p.days_without_contact(today)
    lines = Table.grid(padding=(0, 2))
    lines.add_column(style="bold")
    lines.add_column()
    for label, value in _card_fields(p, days):
        if value not in (None, ""):
            lines.add_row(label, value)
    title = f"{p.id} — {p.name}" if p.id is not None else p.name
    console.print(Panel(lines, title=Text(title), title_align="left",
                        border_style=row_style(p, today, settings) or "blue"))
    if p.history:
        console.print(Text("Historique", style="bold"))
        for line in p.history.splitlines():
            console.print(f"  {line}")
    if result.journal:
        console.print(Text("Journal", style="bold"))
        for entry in result.journal:
            parts = [format_date(entry.when), entry.channel or "", entry.summary or "",
                     f"({entry.outcome})" if entry.outcome else ""]
            console.print("  " + " ".join(x for x in parts if x))


def _card_fields(p: Prospect, days: int | None) -> Iterable[tuple[str, Any]]:
    yield "Statut", p.status.value if p.status else None
    yield "Statut depuis", format_date(p.status_since)
    yield "Interlocuteur", p.interlocutor
    yield "Email", p.email
    yield "Téléphone", p.phone
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
    yield "Notes", p.notes


def _ago(days: int) -> str:
    if days == 0:
        return "aujourd'hui"
    if days < 0:
        return f"dans {-days} jour{'s' if days < -1 else ''}"
    return f"il y a {days} jour{'s' if days > 1 else ''}"


def check(result: Check) -> None:
    for problem in result.problems:
        console.print(str(problem))
    if result.problems:
        console.print(f"{len(result.problems)} problème(s) trouvé(s) ; "
                      f"{result.prospects} prospect(s) lisible(s).")
    else:
        console.print(f"Aucun problème : {result.prospects} prospect(s) lu(s).")


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
    step = result.step
    if step is not None and step.advice and p.next_followup == step.when:
        console.print(f"  Conseil : {step.advice}")
    if p.status is Status.WON and any(c.label == "Statut" for c in result.changes):
        who = p.id if p.id is not None else f'"{p.name}"'
        console.print(f"Affaire gagnée : préparez l'accueil du client avec relances accueil {who}")


def planning(result: Planning) -> None:
    if result.simulated:
        console.print(Text("Simulation : rien n'a été écrit.", style="bold"))
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
    if not (result.planned or result.formulas_restored or result.sorted):
        console.print("Tout est déjà planifié : rien à changer.")
    if result.zombies:
        s = result.settings
        console.print(Text(f"{len(result.zombies)} zombie(s) à trancher (plus de {s.zombie_days} "
                           "jours sans contact, probabilité sous "
                           f"{format_percent(s.zombie_probability)}) : dernière relance ou "
                           "Perdu.", style="yellow"))
        for p in result.zombies:
            console.print(f"  {p.id if p.id is not None else ''} {p.name}".rstrip())
    if result.backup is not None:
        console.print(f"Version précédente sauvegardée : {result.backup.name}")


def cadence(result: Cadence) -> None:
    from relances import schema

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


# --------------------------------------------------------------------------- semaine

_WEEK_COLUMNS = (
    ("ID", True, 6), ("Nom", False, 26), ("Date", False, 8), ("Action", False, 10),
    ("Étape", False, 12), ("Montant", True, 12), ("Proba", True, 5), ("Délai", True, 6),
    ("Conseil", False, 60),
)


def week(result: Weekly) -> None:
    """The Monday routine, section by section; an empty section says so in one line."""
    warn_problems(result.problems)
    w, s = result.week, result.settings
    console.print(Text(f"Semaine du {format_date(w.start)} au {format_date(w.end)}",
                       style="bold"))
    sections = (
        ("En retard", w.overdue, "aucune relance en retard."),
        ("À faire", w.due, "rien de prévu sur la période."),
        ("Sans date", w.undated, "tous les prospects actifs ont une prochaine relance."),
        (f"Prospects chauds (≥ {format_percent(s.hot_probability)}) : à traiter en début "
         "de semaine", w.hot, "aucun prospect chaud."),
        (f"Dormants (plus de {s.dormant_days} jours sans contact) : relancer ou abandonner",
         w.dormant, "aucun prospect dormant."),
        (f"Zombies (plus de {s.zombie_days} jours, probabilité sous "
         f"{format_percent(s.zombie_probability)}) : dernière réactivation ou Perdu "
         "(relances planifier)", w.zombies, "aucun zombie."),
    )
    for title, items, empty in sections:
        console.print()
        if not items:
            console.print(Text(f"{title} : {empty}"), soft_wrap=True)  # one line, even piped
            continue
        grid(f"{title} ({len(items)})", _WEEK_COLUMNS,
             [(_week_cells(i, w.start, s), row_style(i.prospect, w.start, s)) for i in items])
    console.print()
    st = w.stats
    console.print(Text("Statistiques", style="bold"))
    console.print(f"  Prospects actifs : {st.active}")
    console.print(f"  CA pondéré (Σ montant × probabilité) : {format_amount(st.weighted_pipeline)}")
    console.print(f"  Affaires gagnées : {st.won} sur {st.total} prospects")
    console.print(f"  Taux de conversion (gagnés / total) : {format_percent(st.conversion)}")
    console.print(f"  Relances à faire sur la période : {st.due_this_week} "
                  f"(+ {st.overdue} en retard)")


def _week_cells(item: Item, today: date, settings: Settings) -> list[Cell]:
    p = item.prospect
    overdue = p.next_followup is not None and p.next_followup < today
    hot = p.probability is not None and p.probability >= settings.hot_probability
    advice = "Clôturer ou tenter une dernière relance personnalisée" if item.to_decide \
        else (item.step.advice or "") if item.step else ""
    return [
        (str(p.id) if p.id is not None else "", ""), (p.name, ""),
        (_short_date(p.next_followup, today), "bold red" if overdue else ""),
        (p.action or "", ""), (item.step_label, ""),
        (format_amount(p.amount) if p.amount is not None else "", ""),
        (format_percent(p.probability) if p.probability is not None else "",
         "bold green" if hot else ""),
        (_days(item.days_without_contact), ""), (advice, ""),
    ]


def week_json(result: Weekly) -> dict[str, Any]:
    w = result.week

    def items(section: Sequence[Item]) -> list[dict[str, Any]]:
        return [{
            "id": i.prospect.id, "nom": i.prospect.name,
            "statut": i.prospect.status.value if i.prospect.status else None,
            "prochaine_relance": _iso(i.prospect.next_followup), "action": i.prospect.action,
            "probabilite": i.prospect.probability, "montant": _number(i.prospect.amount),
            "jours_sans_contact": i.days_without_contact, "etape": i.step_label or None,
            "conseil": i.step.advice if i.step and not i.to_decide else None,
            "responsable": i.prospect.owner,
        } for i in section]

    st = w.stats
    return {
        "periode": {"debut": w.start.isoformat(), "fin": w.end.isoformat()},
        "en_retard": items(w.overdue), "a_faire": items(w.due), "sans_date": items(w.undated),
        "chauds": items(w.hot), "dormants": items(w.dormant), "zombies": items(w.zombies),
        "stats": {
            "actifs": st.active, "ca_pondere": _number(st.weighted_pipeline),
            "gagnes": st.won, "total": st.total, "taux_conversion": st.conversion,
            "relances_semaine": st.due_this_week, "en_retard": st.overdue,
        },
    }


def summary(result: Weekly) -> None:
    """`relances` alone: two lines, then the way to the detail."""
    st = result.week.stats
    console.print(f"{st.overdue} relance(s) en retard, {st.due_this_week} cette semaine.")
    console.print("Le détail : relances semaine (et relances --help pour toutes les commandes).")


# --------------------------------------------------------------------------- agenda


def agenda(result: Agenda) -> None:
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
