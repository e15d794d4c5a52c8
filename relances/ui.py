"""Everything the user reads in the terminal: rich tables, cards and messages.

With cli.py the only code that prints. Colours follow the workbook's own code:
grey for closed deals, orange for an alert, red for a stale prospect, bold red
for an overdue follow-up, bold green for a hot probability.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

from relances.model import Notice, Problem, Prospect, Settings, Status
from relances.parsing import format_amount, format_date, format_percent, format_weekday

if TYPE_CHECKING:
    from rich.console import Console

    from relances.routine import Item
    from relances.services import (
        Added,
        Agenda,
        Cadence,
        Card,
        Check,
        CopiedTemplates,
        Created,
        Drafts,
        Listing,
        Moved,
        Planning,
        Updated,
        Weekly,
    )
    from relances.workbook.files import Restored



class Output:
    """Where ui writes: rich's Console on a terminal, the bare stream when piped.

    Piped output (a script, `> fichier`, another program) has no colour to show: text is
    written as is, one line per line, never wrapped at 80 columns, and rich, whose import
    alone takes longer than listing 1 000 prospects, is not loaded at all. Tables and
    panels are still drawn by rich, piped or not."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self._stderr else sys.stdout

    @cached_property
    def rich(self) -> Console:
        from rich.console import Console

        # Cell text is data: "[rappel]" or ":smile:" in a note must print as typed.
        return Console(stderr=self._stderr, highlight=False, markup=False, emoji=False)

    @property
    def is_terminal(self) -> bool:
        """rich's answer, asked only when the stream may be a terminal: it is not one
        when it is no tty and no FORCE_COLOR or TTY_COMPATIBLE=1 says to treat it as one."""
        isatty = getattr(self.stream, "isatty", None)
        if not (isatty is not None and isatty()) and not os.environ.get("FORCE_COLOR") \
                and os.environ.get("TTY_COMPATIBLE") != "1":
            return False
        return self.rich.is_terminal

    def print(self, *objects: Any, style: str | None = None, end: str = "\n",
              soft_wrap: bool = False) -> None:
        if self.is_terminal or not all(isinstance(o, str) for o in objects):
            self.rich.print(*objects, style=style, end=end, soft_wrap=soft_wrap)
        else:
            self.stream.write(" ".join(objects) + end)


console = Output()
errors = Output(stderr=True)


def error(message: str) -> None:
    errors.print(message, style="bold red")


def warn_problems(problems: Sequence[Problem], limit: int = 5) -> None:
    """Commands carry on past cells they cannot read, but never silently: the prospect
    is kept with that one field empty, and the cell is left as it is."""
    notices = [p for p in problems if isinstance(p, Notice)]
    for notice in notices:
        errors.print(f"Note : {notice}.", style="yellow")
    problems = [p for p in problems if not isinstance(p, Notice)]
    if not problems:
        return
    errors.print(f"Attention : {len(problems)} cellule(s) illisible(s), lue(s) comme vide(s) "
                 "et laissée(s) telle(s) quelle(s) (détail : relances verifier).",
                 style="yellow")
    for problem in problems[:limit]:
        errors.print(f"  {problem}", style="yellow")
    if len(problems) > limit:
        errors.print(f"  … et {len(problems) - limit} autre(s).", style="yellow")


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
    import json

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


@lru_cache(maxsize=4096)
def _short_date(value: date | None, today: date) -> str:
    """Lists show 13/01 within the current year, 13/01/25 otherwise: the table fits 80 columns.
    Cached: 10 000 prospects share a few hundred dates."""
    if value is None:
        return ""
    if value.year == today.year:
        return f"{value.day:02d}/{value.month:02d}"
    return f"{value.day:02d}/{value.month:02d}/{value.year % 100:02d}"


# --------------------------------------------------------------------------- commands


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


def moved(change: Moved | None) -> None:
    """A date typed for a day off, and where it went."""
    if change is not None:
        console.print(f"Prochaine relance : {format_weekday(change.typed)} → "
                      f"{format_weekday(change.planned)} (les relances tombent un jour "
                      "ouvré).")


T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a table drawn by `grid`: its header, its alignment, the widest it
    may grow, how to write its cells and, on a terminal only, a cell's own style (bold
    red for an overdue date…)."""

    header: str
    right: bool
    cap: int
    texts: Callable[[Sequence[T]], list[str]]
    """Every cell of the column at once: one comprehension, not a call per cell."""
    style: Callable[[T], str] | None = None


def _each(text: Callable[[T], str]) -> Callable[[Sequence[T]], list[str]]:
    """A column whose cells are written one by one, for the shorter tables."""
    return lambda items: list(map(text, items))


def _list_columns(today: date, settings: Settings) -> tuple[Column[Prospect], ...]:
    def overdue(p: Prospect) -> str:
        late = p.active and p.next_followup is not None and p.next_followup < today
        return "bold red" if late else ""

    return (
        Column("ID", True, 6, lambda ps: [_ident_text(p) for p in ps]),
        Column("Nom", False, 26, lambda ps: [p.name for p in ps]),
        Column("Statut", False, 12, lambda ps: [str(p.status or "") for p in ps]),
        Column("Montant", True, 12, lambda ps: [_amount_text(p) for p in ps]),
        Column("Proba", True, 5, lambda ps: [_percent_text(p) for p in ps],
               lambda p: "bold green" if p.active and p.is_hot(settings) else ""),
        Column("Délai", True, 6, lambda ps: [_days(p.days_without_contact(today)) for p in ps]),
        Column("Relance", False, 8, lambda ps: [_short_date(p.next_followup, today)
                                                for p in ps], overdue),
        Column("Action", False, 10, lambda ps: [p.action or "" for p in ps]),
        Column("Resp.", False, 12, lambda ps: [p.owner or "" for p in ps]),
    )


def _ident_text(p: Prospect) -> str:
    return "" if p.id is None else str(p.id)


def _amount_text(p: Prospect) -> str:
    return "" if p.amount is None else format_amount(p.amount)


def _percent_text(p: Prospect) -> str:
    return "" if p.probability is None else format_percent(p.probability)


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


def grid(title: str, columns: Sequence[Column[T]], items: Sequence[T],
         row_style: Callable[[T], str] | None = None) -> None:
    """A table drawn by hand rather than with rich's Table, which measures every cell
    twice: 10 000 prospects print in a few hundredths of a second instead of ten. Cells
    are written column by column, each line is then one str.format, and styles are
    worked out only for a terminal."""
    texts = [_fitted([c.header, *c.texts(items)], c.cap) for c in columns]
    widths = [max(map(len, column)) for column in texts]
    template = "  ".join(f"{{:{'>' if c.right else '<'}{width}}}"
                         for width, c in zip(widths, columns, strict=True))
    lines = [title, *(template.format(*values).rstrip()
                      for values in zip(*texts, strict=True))]
    plain = "\n".join(lines) + "\n"
    if not console.is_terminal:
        sys.stdout.write(plain)  # piped: no colour to compute
        return
    from rich.text import Span, Text

    spans = [Span(0, len(title), "bold")]
    offset = len(title) + 1
    for line, item in zip(lines[1:], (None, *items), strict=True):
        start, end = offset, offset + len(line)
        style = "" if item is None or row_style is None else row_style(item)
        if style:
            spans.append(Span(start, end, style))
        for width, c in zip(widths, columns, strict=True):
            cell = "bold" if item is None else c.style(item) if c.style else ""
            if cell:
                spans.append(Span(start, min(start + width, end), cell))
            start += width + 2
        offset = end + 1
    console.print(Text(plain, spans=spans, no_wrap=True, overflow="ellipsis"), end="")


def _fitted(column: list[str], cap: int) -> list[str]:
    """A column's texts, those longer than its widest allowed width cut with an ellipsis."""
    if max(map(len, column)) <= cap:
        return column
    return [text if len(text) <= cap else text[: cap - 1] + "…" for text in column]


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
    for notice in result.notices:
        console.print(f"Note : {notice}.")


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
    step = result.step
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

def _week_columns(today: date, settings: Settings) -> tuple[Column[Item], ...]:
    def overdue(i: Item) -> str:
        late = i.prospect.next_followup is not None and i.prospect.next_followup < today
        return "bold red" if late else ""

    return (
        Column("ID", True, 6, _each(lambda i: _ident_text(i.prospect))),
        Column("Nom", False, 26, _each(lambda i: i.prospect.name)),
        Column("Date", False, 8, _each(lambda i: _short_date(i.prospect.next_followup, today)),
               overdue),
        Column("Action", False, 10, _each(lambda i: i.prospect.action or "")),
        Column("Étape", False, 12, _each(attrgetter("step_label"))),
        Column("Montant", True, 12, _each(lambda i: _amount_text(i.prospect))),
        Column("Proba", True, 5, _each(lambda i: _percent_text(i.prospect)),
               lambda i: "bold green" if i.prospect.is_hot(settings) else ""),
        Column("Délai", True, 6, _each(lambda i: _days(i.days_without_contact))),
        Column("Conseil", False, 60, _each(_advice)),
    )


def _advice(item: Item) -> str:
    if item.to_decide:
        return "Clôturer ou tenter une dernière relance personnalisée"
    return (item.step.advice or "") if item.step else ""


def week(result: Weekly) -> None:
    """The Monday routine, section by section; an empty section says so in one line."""
    warn_problems(result.problems)
    w, s = result.week, result.settings
    console.print(f"Semaine du {format_date(w.start)} au {format_date(w.end)}",
                  style="bold")
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
            console.print(f"{title} : {empty}", soft_wrap=True)  # one line, even piped
            continue
        grid(f"{title} ({len(items)})", _week_columns(w.start, s), items,
             lambda i: row_style(i.prospect, w.start, s))
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


# --------------------------------------------------------------------------- emails, modeles


def drafts(result: Drafts) -> None:
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


# --------------------------------------------------------------------------- analyse

if TYPE_CHECKING:
    from relances.services import Analysed
    from relances.stats import Group


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
    from relances.stats import NO_REASON, format_days, sector_reference

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
        ("Relances avant un gain", _tenths(a.followups_before_win.value),
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


def _tenths(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _group_cells(g: Group) -> list[str]:
    return [g.label, str(g.prospects), str(g.quotes), str(g.won), str(g.lost),
            format_percent(g.conversion), format_percent(g.win_rate)]


def _table(title: str, definition: str, columns: Sequence[tuple[str, bool, int]],
           rows: Sequence[Sequence[str]]) -> None:
    console.print()
    if not rows:
        console.print(f"{title} : aucune ligne sur la période.", soft_wrap=True)
        return
    grid(title, [Column(header, right, cap, _each(itemgetter(i)))
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
                "taux_reussite": rate(g.win_rate), "ca_realise": _number(g.revenue)}

    return {
        "periode": {"debut": a.period.start.isoformat(), "fin": a.period.end.isoformat()},
        "responsable": a.owner,
        "prospects": a.prospects, "devis_envoyes": a.quotes, "gagnes": a.won,
        "perdus": a.lost, "en_cours": a.in_progress,
        "taux_conversion": rate(a.conversion), "taux_reussite": rate(a.win_rate),
        "reference_secteur": {"bas": a.sector_low, "haut": a.sector_high},
        "ca_realise": _number(a.revenue), "ca_pondere": _number(a.weighted_pipeline),
        "ca_moyen": _number(a.average_deal), "gagnes_sans_montant": a.won_without_amount,
        "delai_moyen_jours": days(a.delay.value),
        "delai_relance_decision_jours": days(a.followup_delay.value),
        "relances_avant_gain": days(a.followups_before_win.value),
        "relances_faites": a.followups, "prospects_actifs": a.active,
        "relances_en_retard": a.overdue, "zombies": a.zombies,
        "pipeline_par_statut": [
            {"statut": s.status.value, "prospects": s.prospects, "montant": _number(s.amount),
             "ca_pondere": _number(s.weighted)} for s in a.pipeline],
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


# --------------------------------------------------------------------------- accueil

if TYPE_CHECKING:
    from relances.reports import ClientFolder
    from relances.services import Welcome


def welcome(result: Welcome) -> None:
    """Where the checklist is and what it holds, the client's folder, what comes next."""
    warn_problems(result.problems)
    plan = result.plan
    p = plan.prospect
    who = p.id if p.id is not None else f'"{p.name}"'
    if not plan.won:
        status = p.status.value if p.status else Status.PROSPECT.value
        errors.print(
            f"Attention : {p.name} est au statut « {status} », pas Gagné : la liste est faite "
            "quand même, avec les échéances en jours (J+1, J+15…). Après la signature : "
            f"relances maj {who} --issue gagne, puis relances accueil {who} --remplacer.",
            style="yellow")
    elif plan.won_on is None and plan.dated:
        errors.print(
            f"Attention : « Statut depuis » est vide pour {p.name} : les échéances sont en "
            "jours (J+1, J+15…), sans dates. Notez-y la date de signature pour les avoir.",
            style="yellow")
    elif plan.won_on is None:
        errors.print(
            f"Attention : le suivi n'a pas de colonne « Statut depuis » où lire la date de "
            f"signature de {p.name} : les échéances sont en jours (J+1, J+15…), sans dates. "
            "Ajoutez cette colonne, avec la date de signature, pour les avoir.",
            style="yellow")
    if result.written:
        pack = ", pack d'accueil compris" if plan.welcome_pack else ""
        kind = "Markdown" if result.markdown else "PDF"
        console.print(f"Liste d'accueil de {p.name} écrite dans {result.path} ({kind} : "
                      f"{result.sections} section(s), {result.boxes} case(s) à cocher{pack}).")
    else:
        console.print(f"{result.path} est déjà à jour : laissé tel quel.")
    dated = [m for m in plan.milestones if m.when is not None]
    if dated:
        console.print("Relances de suivi : " + ", ".join(
            f"{format_date(m.when)} (J+{m.day})" for m in dated) + ".")
    if result.folder is not None:
        _client_folder(result.folder)
    if plan.trade is None:
        console.print("Astuce : --metier btp, commerce ou services met l'accent sur ce qui "
                      "compte dans votre métier.")


def _client_folder(folder: ClientFolder) -> None:
    """What --dossier made, and what it found and left alone."""
    made = [name for name in folder.created if name]
    kept = [name for name in folder.existing if name]
    if "" not in folder.created and not made:
        console.print(f"Dossier client déjà en place : {folder.path} (rien n'a été modifié).")
    elif not kept:
        console.print(f"Dossier client créé : {folder.path} ({', '.join(made)}).")
    else:
        console.print(f"Dossier client {folder.path} : créé(s) {', '.join(made)} ; déjà "
                      f"là, laissé(s) tel(s) quel(s) : {', '.join(kept)}.")


# --------------------------------------------------------------------------- importer, exporter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relances.services import Exported, Imported

_LISTED = 20
"""Prospects added or completed shown one by one; the rest are counted."""
_REPORTED = 100
"""Ignored rows, conflicts and warnings shown one by one: each needs a look."""


def _plural(count: int, word: str) -> str:
    """French counts: 0 and 1 are singular."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def _lines(title: str, lines: Sequence[str], limit: int) -> None:
    if not lines:
        return
    console.print(title, style="bold", soft_wrap=True)
    for line in lines[:limit]:
        console.print(f"  {line}", soft_wrap=True)
    if len(lines) > limit:
        console.print(f"  … et {len(lines) - limit} autre(s).")


def imported(result: Imported) -> None:
    """The counts first, then each row that needs a look: what was left out and why, and
    the values of the file that differ from the tracker's (kept)."""
    warn_problems(result.problems)
    plan = result.plan
    console.print(f"Lu : {result.source} ({result.detail}), "
                  f"{_plural(result.rows, 'ligne')} de données.", soft_wrap=True)
    if result.simulated:
        console.print("Simulation : rien n'a été écrit.", style="bold")
        counts = (f"{len(plan.additions)} à ajouter, {len(plan.completed)} à compléter, "
                  f"{_plural(len(plan.ignored), 'ignorée')}")
    else:
        counts = (f"{_plural(len(plan.additions), 'ajoutée')}, "
                  f"{_plural(len(plan.completed), 'complétée')}, "
                  f"{_plural(len(plan.ignored), 'ignorée')}")
    if plan.unchanged:
        counts += f", {len(plan.unchanged)} déjà à jour"
    console.print(counts + ".")
    if result.simulated:
        added = [f"ligne {line} : {p.name}{_planned(p)}" for line, p in plan.additions]
    else:
        lines = [line for line, _ in plan.additions]
        added = [f"ligne {line} : {_ident(p)}{p.name} (ligne {p.row} du suivi){_planned(p)}"
                 for line, p in zip(lines, result.added, strict=True)]
    _lines("À ajouter :" if result.simulated else "Ajoutées :", added, _LISTED)
    _lines("À compléter :" if result.simulated else "Complétées :",
           [f"ligne {line} : {name} : {', '.join(labels)}"
            for line, name, labels in plan.completed], _LISTED)
    _lines("Ignorées :", [str(problem) for row in plan.ignored for problem in row.problems],
           _REPORTED)
    _lines("Conflits (la valeur du suivi est gardée, rien n'est écrasé) :",
           [f"ligne {c.line} : {c.name}, {c.label} : « {c.kept} » {c.where}, « {c.offered} » "
            "dans le fichier" for c in plan.conflicts], _REPORTED)
    _lines("Avertissements :", [str(w) for w in plan.warnings], _REPORTED)
    if result.ignored_columns:
        console.print(f"Colonnes non importées : {', '.join(result.ignored_columns)} (pour en "
                      "importer une : --colonne \"En-tête=champ\").", soft_wrap=True)
    if plan.unplaced:
        console.print(f"Pas de colonne dans le suivi pour : {', '.join(plan.unplaced)} : "
                      "ajoutez ces colonnes à la feuille pour les importer.", soft_wrap=True)
    if plan.ignored:
        console.print("Corrigez les lignes ignorées dans le fichier et relancez l'import : "
                      "les prospects déjà importés ne seront pas dupliqués.", soft_wrap=True)
    if result.backup is not None:
        console.print(f"Version précédente sauvegardée : {result.backup.name}", soft_wrap=True)


def _ident(p: Prospect) -> str:
    return f"ID {p.id} — " if p.id is not None else ""


def _planned(p: Prospect) -> str:
    status = p.status.value if p.status else "Prospect"
    if p.next_followup is None:
        return f" ({status})"
    action = f" {p.action}" if p.action else ""
    return f" ({status}, relance{action} le {format_date(p.next_followup)})"


@contextmanager
def progress(delay: float = 1.0) -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress bar that appears only when the work lasts more than `delay` seconds, and
    only in a terminal (a pipe or a log gets the summary alone)."""
    if not errors.is_terminal:
        yield lambda what, done, total: None
        return
    import threading

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=errors.rich, transient=True)
    task = bar.add_task("", total=None)
    timer = threading.Timer(delay, bar.start)
    timer.daemon = True
    timer.start()

    def report(what: str, done: int, total: int | None) -> None:
        bar.update(task, description=what, completed=done, total=total)

    try:
        yield report
    finally:
        timer.cancel()
        timer.join()
        bar.stop()


def exported(result: Exported) -> None:
    from relances.interop import EXPORT_FORMATS

    warn_problems(result.problems)
    console.print(f"{_plural(result.prospects, 'prospect')} exporté(s) dans {result.path} "
                  f"({EXPORT_FORMATS[result.format]}).", soft_wrap=True)
    hint = {
        "csv": "Ouvrez-le dans Excel ou LibreOffice : colonnes séparées par « ; », dates "
               "JJ/MM/AAAA, montants 8500,50.",
        "hubspot": "Dans HubSpot : Importer > Fichier de l'ordinateur > Plusieurs objets "
                   "(contacts, entreprises, transactions) ; les colonnes se reconnaissent "
                   "seules. Deal owner doit être l'email d'un utilisateur HubSpot.",
        "pipedrive": "Dans Pipedrive : Outils et applications > Importer des données > Depuis "
                     "une feuille de calcul ; les colonnes se reconnaissent seules.",
    }[result.format]
    console.print(hint, soft_wrap=True)
