"""The use cases, one function per command: open the tracker, call the core, save.

They return plain results and never print; cli.py renders them through ui.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from relances import schema
from relances.errors import InvalidInput, NeedsConfirmation, NotFound, WorkbookError
from relances.model import (
    Event,
    JournalEntry,
    Notice,
    Outcome,
    Problem,
    Prospect,
    Rule,
    Settings,
    Status,
    Tracker,
)
from relances.parsing import (
    ParseError,
    check_email,
    fold,
    format_date,
    format_percent,
    normalize,
    normalize_phone,
    parse_amount,
    parse_date,
    parse_probability,
    split_contact,
)

if TYPE_CHECKING:
    from relances import interop
    from relances.cadence import Step
    from relances.emails import Prepared, Written
    from relances.routine import Week
    from relances.workbook.files import Restored
    from relances.workdays import WorkCalendar

DEFAULT_FILE = "relances-clients.xlsx"


def resolve_path(option: str | None) -> Path:
    """One place decides which workbook: --fichier, then RELANCES_FICHIER, then the default."""
    chosen = option or os.environ.get("RELANCES_FICHIER") or DEFAULT_FILE
    return Path(chosen).expanduser()


def output_target(output: str, default_name: str, suffixes: tuple[str, ...], kind: str,
                  example: str, option: str = "--sortie") -> Path:
    """--sortie (or --pdf) names a file, or a folder that then gets the default name. The
    file is replaced without asking, so its suffix is checked: it is never the workbook."""
    target = Path(output).expanduser()
    if target.is_dir():
        return target / default_name
    if not target.suffix:
        target = target.with_name(target.name + suffixes[0])
    if target.suffix.lower() not in suffixes:
        raise InvalidInput(f"{option} : « {output} » doit être {kind} : par exemple "
                           f"{option} {example}.")
    if not target.parent.is_dir():
        raise InvalidInput(f"{option} : le dossier « {target.parent} » n'existe pas : "
                           "créez-le ou choisissez un autre dossier.")
    return target


def parse_option(option: str, parser: Callable[[str], object], text: str) -> object:
    """A value typed on the command line that does not read names its option."""
    try:
        return parser(text)
    except ParseError as error:
        raise InvalidInput(f"{option} : {error}.") from None


# --------------------------------------------------------------------------- init


@dataclass(frozen=True)
class Created:
    """The workbook `init` made, and how many example prospects it holds."""

    path: Path
    prospects: int


def init(path: Path, today: date, example: bool) -> Created:
    """Create the tracker, with the workflow's example prospects when asked."""
    from relances.example import example_journal, example_prospects, example_settings
    from relances.workbook.create import create_tracker

    if not example:
        create_tracker(path, today, [])
        return Created(path, 0)
    prospects = sorted(example_prospects(today), key=followup_order)
    create_tracker(path, today, prospects, example_journal(prospects), example_settings())
    return Created(path, len(prospects))


# --------------------------------------------------------------------------- ajouter


@dataclass
class NewProspect:
    """What the user typed for `ajouter`, still as text."""

    name: str
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    status: str | None = None
    source: str | None = None
    project: str | None = None
    amount: str | None = None
    probability: str | None = None
    first_contact: str | None = None
    last_contact: str | None = None
    next_followup: str | None = None
    action: str | None = None
    notes: str | None = None
    owner: str | None = None
    interlocutor: str | None = None
    status_since: str | None = None


_OPTION_OF = {
    "email": "--email", "phone": "--tel", "status": "--statut", "source": "--source",
    "project": "--projet", "amount": "--montant", "probability": "--proba",
    "first_contact": "--premiere", "last_contact": "--dernier",
    "next_followup": "--prochaine", "action": "--action", "notes": "--note",
    "owner": "--responsable", "interlocutor": "--interlocuteur", "status_since": "--depuis",
}


def build_prospect(typed: NewProspect, today: date, settings: Settings) -> Prospect:
    """Read every typed value; the first one that does not read stops everything."""
    name = typed.name.strip()
    if not name:
        raise InvalidInput("Le nom du prospect est vide : donnez-le entre guillemets, "
                           "par exemple relances ajouter \"Martin Menuiserie\".")
    email, phone = split_contact(typed.contact) if typed.contact else (None, None)
    email = typed.email or email
    phone = typed.phone or phone
    if email:
        email = parse_option("--email", check_email, email)
    if phone:
        phone = parse_option("--tel", lambda t: normalize_phone(t, settings.country), phone)

    def when(option: str, text: str | None) -> date | None:
        return parse_option(option, lambda t: parse_date(t, today), text) if text else None

    status = (parse_option("--statut", schema.parse_status, typed.status)
              if typed.status else Status.PROSPECT)
    probability = (parse_option("--proba", parse_probability, typed.probability)
                   if typed.probability else settings.default_probability[status])
    for option, text in (("--premiere", typed.first_contact), ("--dernier", typed.last_contact),
                         ("--depuis", typed.status_since)):
        if text:
            _refuse_future(option, when(option, text), today)
    first = when("--premiere", typed.first_contact) or today
    return Prospect(
        name=name, email=email, phone=phone, status=status,
        source=_clean(typed.source), project=_clean(typed.project),
        amount=parse_option("--montant", parse_amount, typed.amount) if typed.amount else None,
        probability=probability, first_contact=first,
        last_contact=when("--dernier", typed.last_contact) or first,
        next_followup=when("--prochaine", typed.next_followup),
        action=schema.parse_action(typed.action) if typed.action else None,
        notes=_clean(typed.notes), owner=_clean(typed.owner),
        interlocutor=_clean(typed.interlocutor),
        status_since=when("--depuis", typed.status_since) or first, followups_done=0,
    )


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text else None


def _refuse_future(option: str, when: date | None, today: date) -> None:
    """An exchange is dated the day it took place: never after today."""
    if when is not None and when > today:
        raise InvalidInput(
            f"{option} : le {format_date(when)} est dans le futur : un échange se date du "
            f"jour où il a eu lieu, aujourd'hui ({format_date(today)}) au plus tard.")


def worked(when: date | None, calendar: WorkCalendar) -> tuple[date | None, Moved | None]:
    """A follow-up date typed by hand falls on a working day, as the cadence's do: a
    Saturday or a public holiday moves to the next worked day, and the move is said."""
    if when is None:
        return None, None
    day = calendar.next_working_day(when)
    return day, (Moved(when, day) if day != when else None)


@dataclass(frozen=True)
class Moved:
    """A date given by hand that fell on a day off, and the working day it moved to."""

    typed: date
    planned: date


@dataclass(frozen=True)
class Added:
    """What `ajouter` wrote, and the follow-up date it had to move."""

    prospect: Prospect
    moved: Moved | None = None


def add(path: Path, today: date, typed: NewProspect, force: bool = False,
        duplicate: bool = False) -> Added:
    """Append one prospect with the next free ID, formulas and formats included; a name
    already in the tracker is refused unless `duplicate` says it is another one."""
    from relances.cadence import next_step
    from relances.workbook.update import open_for_update

    with open_for_update(path, today, force) as update:
        tracker = update.tracker
        prospect = build_prospect(typed, today, tracker.settings)
        if not duplicate:
            _refuse_duplicate(prospect.name, tracker.prospects)
        _refuse_missing_columns(typed, update.layout.columns, path)
        calendar = work_calendar(tracker.settings)
        planned, moved = worked(prospect.next_followup, calendar)
        prospect = prospect.replace(next_followup=planned)
        step = next_step(prospect, tracker.rules, tracker.settings, calendar, today)
        if step is not None and prospect.next_followup is None:
            prospect = prospect.replace(next_followup=step.when,
                                        action=prospect.action or step.action)
        if update.layout.has("id"):
            prospect = prospect.replace(id=update.next_id())
        prospect = update.append(prospect)
        update.save()
    return Added(prospect, moved)


def _refuse_duplicate(name: str, prospects: Sequence[Prospect]) -> None:
    """The same name twice is usually the same client typed again: say where it is."""
    key = normalize(name)
    existing = next((p for p in prospects if normalize(p.name) == key), None)
    if existing is None:
        return
    where = f"ligne {existing.row}" + (f", ID {existing.id}" if existing.id is not None else "")
    who = existing.id if existing.id is not None else f'"ligne {existing.row}"'
    raise InvalidInput(
        f"« {existing.name} » est déjà dans le suivi ({where}) : notez plutôt l'échange avec "
        f"relances maj {who}, ou ajoutez --doublon pour créer un second prospect de ce nom. "
        "Rien n'a été écrit.")


def _refuse_missing_columns(typed: NewProspect, columns: dict[str, int], path: Path) -> None:
    """A value the sheet has no column for would be lost: say so rather than drop it."""
    has_contact = "contact" in columns
    missing = []
    for key, option in _OPTION_OF.items():
        if getattr(typed, key) is None or key in columns:
            continue
        if key in ("email", "phone") and has_contact:
            continue
        missing.append((option, schema.COLUMN_BY_KEY[key].header))
    if typed.contact is not None and not has_contact and not {"email", "phone"} & set(columns):
        missing.append(("--contact", schema.COLUMN_BY_KEY["contact"].header))
    if missing:
        options = ", ".join(option for option, _ in missing)
        headers = ", ".join(f"« {header} »" for _, header in missing)
        raise InvalidInput(
            f"« {path.name} » n'a pas de colonne pour {options} : ajoutez la colonne "
            f"{headers} dans la feuille, ou retirez ces options. Rien n'a été écrit.")


# --------------------------------------------------------------------------- liste, voir


@dataclass
class Filters:
    """`liste`'s filters as typed: they are read before the workbook is opened, so that
    a bad one is refused first."""

    statuses: Sequence[str] = ()
    min_probability: str | None = None
    before: str | None = None
    owner: str | None = None
    search: str | None = None


@dataclass
class Listing:
    """The prospects `liste` shows, out of how many, with the rows it could not read."""

    prospects: list[Prospect]
    tracker: Tracker
    today: date
    total: int = 0
    problems: list[Problem] = field(default_factory=list)


def read(path: Path, today: date, journal: bool = False) -> Tracker:
    from relances.workbook.read import read_tracker

    return read_tracker(path, today, journal)


def list_prospects(path: Path, today: date, filters: Filters) -> Listing:
    """The prospects that pass every filter, soonest follow-up first."""
    statuses = {parse_option("--statut", schema.parse_status, s) for s in filters.statuses}
    minimum = (parse_option("--proba-min", parse_probability, filters.min_probability)
               if filters.min_probability else None)
    before = (parse_option("--avant", lambda t: parse_date(t, today), filters.before)
              if filters.before else None)
    tracker = read(path, today)
    owner = fold(filters.owner) if filters.owner else None
    search = fold(filters.search) if filters.search else None

    def keep(p: Prospect) -> bool:
        return ((not statuses or p.status in statuses)
                and (minimum is None or (p.probability or 0) >= minimum)
                and (before is None or (p.next_followup is not None and p.next_followup <= before))
                and (owner is None or fold(p.owner or "") == owner)
                and (search is None or search in _haystack(p)))

    chosen = sorted(filter(keep, tracker.prospects), key=followup_order)
    return Listing(chosen, tracker, today, len(tracker.prospects), tracker.problems)


def followup_order(prospect: Prospect) -> tuple[date, str]:
    """Soonest follow-up first; prospects with nothing planned come last."""
    return (prospect.next_followup or date.max, prospect.name.casefold())


def _haystack(prospect: Prospect) -> str:
    parts = (prospect.name, prospect.email, prospect.phone, prospect.project, prospect.notes,
             prospect.interlocutor)
    return fold(" | ".join(p for p in parts if p))


@dataclass
class Card:
    """One prospect and its Journal lines, newest first, for `voir`."""

    prospect: Prospect
    journal: list[JournalEntry]
    tracker: Tracker
    today: date


def show(path: Path, today: date, query: str) -> Card:
    tracker = read(path, today, journal=True)
    prospect = find_prospect(tracker.prospects, query)
    entries = [e for e in tracker.journal
               if (prospect.id is not None and e.prospect_id == prospect.id)
               or (e.prospect_id is None and fold(e.name) == fold(prospect.name))]
    return Card(prospect, sorted(entries, key=lambda e: e.when, reverse=True), tracker, today)


_ROW_QUERY = re.compile(r"(?:ligne|l)\s*(\d+)", re.IGNORECASE)


def find_prospect(prospects: Sequence[Prospect], query: str) -> Prospect:
    """QUI is an ID, a row (« ligne 12 », « L12 ») or words of the name, in any order,
    without caring for case, accents or punctuation: « atelier deco » is « L'Atelier /
    Déco »."""
    text = query.strip()
    row = _ROW_QUERY.fullmatch(text)
    if text.isdigit():
        matches = [p for p in prospects if p.id == int(text)]
    elif row:
        matches = [p for p in prospects if p.row == int(row[1])]
    else:
        wanted = _words(text)
        named = [(p, _words(p.name)) for p in prospects]
        matches = [p for p, words in named if wanted and all(
            any(word in other for other in words) for word in wanted)]
        exact = [p for p, words in named if words == wanted and p in matches]
        matches = exact or matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"Aucun prospect ne correspond à « {query} » : vérifiez l'orthographe, ou "
            f"cherchez avec relances liste --chercher \"{query}\".")
    with_ids = all(p.id is not None for p in matches)
    names = ", ".join(f"{p.id} {p.name}" if with_ids else f"ligne {p.row} {p.name}"
                      for p in matches[:10])
    hint = "donnez l'ID" if with_ids else f"donnez la ligne (« ligne {matches[0].row} »)"
    raise NotFound(f"« {query} » désigne {len(matches)} prospects ({names}) : précisez le "
                   f"nom ou {hint}.")


def _words(text: str) -> list[str]:
    """The words of a name, folded: punctuation separates, it never has to match."""
    return re.findall(r"[^\W_]+", fold(text))


# --------------------------------------------------------------------------- verifier, annuler


@dataclass
class Check:
    """Everything `verifier` found wrong, and how many prospects read cleanly."""

    problems: list[Problem]
    prospects: int
    notices: list[Problem] = field(default_factory=list)
    """What was read otherwise than the sheet says (no Probabilité column…): no mistake."""


def check(path: Path, today: date) -> Check:
    tracker = read(path, today)
    notices = [p for p in tracker.problems if isinstance(p, Notice)]
    return Check([p for p in tracker.problems if not isinstance(p, Notice)],
                 len(tracker.prospects), notices)


def undo(path: Path, force: bool = False) -> Restored:
    from relances.workbook.files import restore_last_backup

    if not path.exists():
        raise WorkbookError(f"Le fichier « {path} » n'existe pas : rien à annuler.")
    return restore_last_backup(path, force)


# --------------------------------------------------------------------------- maj


@dataclass
class Answers:
    """What the user typed for `maj`, still as text."""

    when: str | None = None
    channel: str | None = None
    summary: str | None = None
    outcome: str | None = None
    status: str | None = None
    probability: str | None = None
    next_date: str | None = None
    action: str | None = None
    alert: str | None = None
    reason: str | None = None
    note: str | None = None
    old_date_confirmed: bool = False
    """The user said yes: an exchange more than a year back is not a typo."""


CHANNELS = ("Email", "Tel", "RDV", "Devis", "Visite", "Autre")
_OUTCOMES = {
    "injoignable": Outcome.UNREACHABLE, "pasvenu": Outcome.UNREACHABLE,
    "absent": Outcome.UNREACHABLE, "interesse": Outcome.INTERESTED,
    "rdv": Outcome.MEETING, "rendezvous": Outcome.MEETING, "devis": Outcome.QUOTE,
    "gagne": Outcome.WON, "signe": Outcome.WON, "perdu": Outcome.LOST,
    "pasinteresse": Outcome.LOST,
}


def parse_channel(text: str) -> str:
    """The channel is one of a short list, so the Journal can be counted by channel."""
    action = schema.parse_action(text)
    if action in CHANNELS:
        return action
    if normalize(text) == "autre":
        return "Autre"
    raise ParseError(f"« {text} » n'est pas un canal connu ({', '.join(CHANNELS)})")


def parse_outcome(text: str) -> Outcome:
    outcome = _OUTCOMES.get(normalize(text))
    if outcome is None:
        raise ParseError(f"« {text} » n'est pas une issue connue (injoignable, interesse, rdv, "
                         "devis, gagne, perdu)")
    return outcome


def read_event(answers: Answers, today: date) -> Event:
    """Every typed value is read before the workbook is touched."""
    def when(option: str, text: str | None) -> date | None:
        return parse_option(option, lambda t: parse_date(t, today), text) if text else None

    outcome = parse_option("--issue", parse_outcome, answers.outcome) if answers.outcome else None
    next_date = when("--prochaine", answers.next_date)
    if outcome is Outcome.MEETING and next_date is None:
        raise InvalidInput("--issue rdv : indiquez la date du rendez-vous avec --prochaine.")
    alert = answers.alert
    if alert is not None:
        alert = "" if normalize(alert) in ("aucune", "aucun", "non", "") else alert.strip()
    exchanged = when("--date", answers.when)
    if exchanged is not None:
        _refuse_future("--date", exchanged, today)
        if exchanged < today - timedelta(days=365) and not answers.old_date_confirmed:
            raise NeedsConfirmation(
                f"--date : le {format_date(exchanged)} remonte à plus d'un an : vérifiez "
                "l'année, ou lancez la commande dans un terminal pour confirmer.",
                f"Le {format_date(exchanged)} remonte à plus d'un an : est-ce bien la date "
                "de l'échange ?")
    return Event(
        when=exchanged or today,
        channel=parse_option("--canal", parse_channel, answers.channel)
        if answers.channel else None,
        summary=_clean(answers.summary), outcome=outcome,
        status=parse_option("--statut", schema.parse_status, answers.status)
        if answers.status else None,
        probability=parse_option("--proba", parse_probability, answers.probability)
        if answers.probability else None,
        next_date=next_date,
        action=schema.parse_action(answers.action) if answers.action else None,
        alert=alert, lost_reason=_clean(answers.reason), note=_clean(answers.note),
    )


@dataclass(frozen=True)
class Change:
    """One field `maj` or `planifier` changed, as the user will read it."""

    label: str
    before: str
    after: str


@dataclass
class Updated:
    """What `maj` wrote: the changes, the next step planned, the backup made."""

    prospect: Prospect
    changes: list[Change]
    step: Step | None
    backup: Path | None
    moved: Moved | None = None


_SHOWN = (
    ("status", "Statut"), ("probability", "Probabilité"), ("last_contact", "Dernier contact"),
    ("status_since", "Statut depuis"), ("followups_done", "Relances faites"),
    ("next_followup", "Prochaine relance"), ("action", "Action prévue"), ("alert", "Alerte"),
    ("lost_reason", "Motif perte"),
)


def changes_between(before: Prospect, after: Prospect, fields: Sequence[str]) -> list[Change]:
    """What moved, before → after, in the words and formats of the workbook."""
    return [Change(label, show_value(getattr(before, key)), show_value(getattr(after, key)))
            for key, label in _SHOWN
            if key in fields and getattr(before, key) != getattr(after, key)]


def show_value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Status):
        return value.value
    if isinstance(value, float):
        return format_percent(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def update(path: Path, today: date, query: str, answers: Answers,
           force: bool = False) -> Updated:
    """Record one interaction: the row, its Historique, a Journal line, the next follow-up."""
    from relances.cadence import next_step, record
    from relances.workbook.update import open_for_update

    event = read_event(answers, today)
    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        before = find_prospect(tracker.prospects, query)
        calendar = work_calendar(tracker.settings)
        planned, moved = worked(event.next_date, calendar)
        event = replace(event, next_date=planned)
        after = record(before, event, tracker.rules, tracker.settings, calendar, today)
        fields = [f for f in session.layout.fields() if f not in schema.FORMULA_KEYS]
        session.rewrite(after, _changed_fields(before, after, fields), _asked(answers))
        session.journal(JournalEntry(
            event.when, after.id, after.name, event.channel, event.summary,
            event.outcome.label if event.outcome else None, after.status, after.probability,
            after.owner))
        backup = session.save()
    step = next_step(after, tracker.rules, tracker.settings, calendar, today)
    return Updated(after, changes_between(before, after, fields), step, backup, moved)


_ASKED = {"when": ("last_contact",), "status": ("status",), "outcome": ("status",),
          "probability": ("probability",), "next_date": ("next_followup",),
          "action": ("action",), "alert": ("alert",), "reason": ("lost_reason",),
          "note": ("notes",)}
"""The fields a `maj` option sets in so many words: they may replace an unreadable cell."""


def _asked(answers: Answers) -> set[str]:
    return {key for name, keys in _ASKED.items() if getattr(answers, name) for key in keys}


def _changed_fields(before: Prospect, after: Prospect, fields: Sequence[str]) -> list[str]:
    """The columns to write back: a single Contact cell only when its email or phone
    changed (rewriting it unchanged would still replace what the user typed)."""
    contact = (before.email, before.phone) != (after.email, after.phone)
    return [f for f in fields if (contact if f == "contact"
                                  else getattr(before, f, None) != getattr(after, f, None))]


def work_calendar(settings: Settings) -> WorkCalendar:
    from relances.workdays import WorkCalendar

    return WorkCalendar(settings.country, settings.working_days_only)


def preview(path: Path, today: date, query: str, answers: Answers) -> tuple[Prospect, Prospect]:
    """What `maj` would plan, without writing: the default of the interactive question."""
    from relances.cadence import record

    tracker = read(path, today)
    before = find_prospect(tracker.prospects, query)
    event = read_event(answers, today)
    after = record(before, event, tracker.rules, tracker.settings,
                   work_calendar(tracker.settings), today)
    return before, after


# --------------------------------------------------------------------------- planifier, regles


@dataclass
class Planned:
    """One row `planifier` changed, and why."""

    prospect: Prospect
    changes: list[Change]
    reason: str


@dataclass
class Planning:
    """What `planifier` did or, with --simulation, would do."""

    planned: list[Planned]
    zombies: list[Prospect]
    formulas_restored: int
    sorted: bool
    simulated: bool
    settings: Settings
    backup: Path | None = None
    not_sorted: str | None = None
    """Why the rows were left in their order, when something in them cannot move."""


def plan(path: Path, today: date, simulate: bool = False, recompute: bool = False,
         force: bool = False) -> Planning:
    """Fill missing follow-ups from the cadence, close the long-silent, tidy the sheet."""
    from relances.cadence import is_dead, is_zombie
    from relances.workbook.update import open_for_update

    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        calendar = work_calendar(tracker.settings)
        fields = [f for f in session.layout.fields() if f not in schema.FORMULA_KEYS]
        restored = session.restore_formulas()
        planned: list[Planned] = []
        for before in tracker.prospects:
            if is_dead(before, today, tracker.settings) and "status" not in before.unreadable:
                after, reason = _close_silent(before, today, tracker, calendar)
                session.journal(JournalEntry(today, after.id, after.name, None, reason,
                                             Outcome.LOST.label, after.status,
                                             after.probability, after.owner))
            elif before.next_followup is None or before.action is None or recompute:
                after, reason = _from_cadence(before, today, tracker, calendar, recompute)
            else:
                continue
            changes = changes_between(before, after, fields)
            if changes:
                session.rewrite(after, _changed_fields(before, after, fields))
                planned.append(Planned(after, changes, reason))
        zombies = [p for p in tracker.prospects if is_zombie(p, today, tracker.settings)
                   and not is_dead(p, today, tracker.settings)]
        sorting = session.sort_by_next_followup()
        moved = sorting is True
        backup = None
        if not simulate and (planned or restored or moved):
            backup = session.save()
    return Planning(planned, zombies, restored, moved, simulate, tracker.settings, backup,
                    sorting if isinstance(sorting, str) else None)


def _close_silent(before: Prospect, today: date, tracker: Tracker,
                  calendar: WorkCalendar) -> tuple[Prospect, str]:
    """The workflow's rule: no interaction for too long means lost, said in the Journal."""
    from relances.cadence import record

    days = (today - (before.last_contact or before.first_contact or today)).days
    reason = f"Classé Perdu automatiquement : aucune interaction depuis {days} jours"
    event = Event(today, outcome=Outcome.LOST, summary=reason,
                  lost_reason=before.lost_reason or f"Sans nouvelles depuis {days} jours")
    after = record(before, event, tracker.rules, tracker.settings, calendar, today)
    return after.replace(last_contact=before.last_contact), reason


def _from_cadence(before: Prospect, today: date, tracker: Tracker, calendar: WorkCalendar,
                  recompute: bool) -> tuple[Prospect, str]:
    """An empty date (or every date, with --recalculer) comes from the cadence."""
    from relances.cadence import next_step

    step = next_step(before, tracker.rules, tracker.settings, calendar, today)
    if step is None:
        return before, ""
    action = before.action if before.action and not recompute else step.action
    when = before.next_followup if before.next_followup and not recompute else step.when
    return (before.replace(next_followup=when, action=action),
            f"cadence : relance {step.number}/{step.total}")


@dataclass
class Cadence:
    """The rules `regles` shows, with the settings they are applied with."""

    rules: list[Rule]
    settings: Settings
    problems: list[Problem]


def rules(path: Path, today: date) -> Cadence:
    """The cadence in effect: the Règles sheet as the tool reads it."""
    tracker = read(path, today)
    problems = [p for p in tracker.problems if p.sheet == schema.SHEET_RULES]
    return Cadence(tracker.rules, tracker.settings, problems)


# --------------------------------------------------------------------------- semaine


@dataclass
class Weekly:
    """The week `semaine` shows, with the settings its thresholds come from."""

    week: Week
    settings: Settings
    problems: list[Problem]


def weekly(path: Path, today: date, days: int = 7, owner: str | None = None) -> Weekly:
    """Monday 9:00: the week's follow-ups, and what needs a decision."""
    from relances.routine import week

    if days < 0:
        raise InvalidInput(f"--jours : « {days} » doit être un nombre de jours positif.")
    tracker = read(path, today)
    return Weekly(week(tracker.prospects, tracker.rules, tracker.settings, today, days, owner),
                  tracker.settings, tracker.problems)


# --------------------------------------------------------------------------- agenda


@dataclass
class Agenda:
    """The calendar file `agenda` wrote and what it holds."""

    path: Path
    written: bool
    """False when there was nothing to put in a calendar: no file is written then."""
    followups: int
    overdue: int
    routine: int
    start: date
    end: date
    overdue_day: date
    """The day the overdue follow-ups are placed on: today, or the next working day."""
    timezone: str
    problems: list[Problem]


def agenda(path: Path, today: date, days: int = 7, output: str | None = None,
           routine: bool = False) -> Agenda:
    """The period's follow-ups (and the weekly routine) as an .ics file; the workbook is
    only read. Overdue follow-ups are placed on the first working day from today."""
    from relances import interop
    from relances.routine import week

    if days < 0:
        raise InvalidInput(f"--jours : « {days} » doit être un nombre de jours positif.")
    target = _agenda_target(path, today, output)
    tracker = read(path, today)
    settings = tracker.settings
    selected = week(tracker.prospects, tracker.rules, settings, today, days)
    first_day = work_calendar(settings).next_working_day(today) if selected.overdue else today
    events = interop.followup_events(path.name, selected.overdue, selected.due,
                                     settings.agenda_time, first_day)
    blocks = interop.routine_events(path.name, today) if routine else []
    timezone = interop.timezone_of(settings.country)
    if events or blocks:
        interop.write_atomically(
            target, interop.calendar_bytes([*events, *blocks], timezone, today))
    return Agenda(target, bool(events or blocks), len(events), len(selected.overdue),
                  len(blocks), selected.start, selected.end, first_day, timezone,
                  tracker.problems)


def _agenda_target(path: Path, today: date, output: str | None) -> Path:
    """Beside the workbook by default; --sortie names a file or a folder, always a .ics
    (the file is replaced without asking, so it must never be a workbook)."""
    from relances.interop import agenda_filename

    if output is None:
        return path.parent / agenda_filename(today)
    return output_target(output, agenda_filename(today), (".ics",),
                         "un fichier .ics (il est remplacé à chaque export)", "agenda.ics")


# --------------------------------------------------------------------------- emails, modeles


@dataclass
class Drafts:
    """What `relances emails` prepared and where; the workbook is only read."""

    prepared: Prepared
    written: Written | None
    """None when the period has nothing to draft: no folder is made then."""
    settings: Settings
    problems: list[Problem]


def drafts(path: Path, today: date, days: int = 7, output: str | None = None,
           templates: str | None = None, replace: bool = False) -> Drafts:
    """The period's email drafts and call scripts, all rendered before any is written."""
    from relances import emails as drafting

    if days < 0:
        raise InvalidInput(f"--jours : « {days} » doit être un nombre de jours positif.")
    folder = drafting.output_folder(path, today, output)
    user_templates = drafting.user_templates(path, templates)
    tracker = read(path, today)
    prepared = drafting.prepare(tracker.prospects, tracker.rules, tracker.settings, today,
                                days, user_templates)
    written = drafting.write(prepared, folder, replace, path.name) if prepared.drafts else None
    return Drafts(prepared, written, tracker.settings, tracker.problems)


@dataclass
class CopiedTemplates:
    """Which templates `modeles` copied and which it left as the user changed them."""

    folder: Path
    copied: list[str]
    kept: list[str]
    beside_workbook: bool
    """True when `relances emails` finds the folder by itself (no --modeles needed)."""


def copy_templates(path: Path, folder: str | None = None) -> CopiedTemplates:
    """The built-in templates, copied beside the workbook for the user to edit."""
    from relances import emails as drafting

    target = drafting.templates_folder(path, folder)
    copied, kept = drafting.copy_builtins(target)
    return CopiedTemplates(target, copied, kept, folder is None)


# --------------------------------------------------------------------------- analyse

if TYPE_CHECKING:
    from relances.stats import Analysis, Period
    from relances.workbook.dashboard import ChartTable


@dataclass
class Analysed:
    """The analysis, and whether Tableau de bord and the PDF were written."""

    analysis: Analysis
    settings: Settings
    problems: list[Problem]
    refreshed: bool
    """True when Tableau de bord was rewritten with this analysis."""
    not_refreshed: str | None
    """Why the sheet was not refreshed although asked (open in Excel, changed meanwhile…)."""
    backup: Path | None = None
    pdf: Path | None = None


def analyse(path: Path, today: date, since: str | None = None, until: str | None = None,
            owner: str | None = None, pdf: str | None = None, refresh: bool = True,
            force: bool = False) -> Analysed:
    """The monthly analysis; Tableau de bord refreshed through the safe write path when
    asked. The figures matter more than the sheet: when the workbook cannot be written
    (open in Excel, content at risk, changed meanwhile) they are still returned, with
    the reason, from a read-only pass."""
    from relances import stats
    from relances.errors import WorkbookBusy
    from relances.workbook.update import open_for_update

    def when(option: str, text: str | None) -> date | None:
        return parse_option(option, lambda t: parse_date(t, today), text) if text else None

    span = stats.period(today, when("--depuis", since), when("--jusqu-au", until))
    if span.start > span.end:
        raise InvalidInput(
            f"La période est vide : elle commencerait le {format_date(span.start)} et finirait "
            f"le {format_date(span.end)} (jamais après aujourd'hui) : donnez un --depuis plus "
            "ancien, ou un --jusqu-au plus tardif.")
    target = _pdf_target(span, pdf)
    owner = _clean(owner)
    result: Analysed | None = None
    not_refreshed = None
    if refresh:
        try:
            with open_for_update(path, today, force) as session:
                tracker = session.tracker
                analysis = _analysis(tracker, session.journal_entries(), today, span, owner)
                result = Analysed(analysis, tracker.settings, tracker.problems, False, None)
                session.refresh_analysis(_caption(analysis, today), _chart_tables(analysis))
                result.backup = session.save()
                result.refreshed = True
        except WorkbookBusy as failure:
            not_refreshed = failure.message
    if result is None or not result.refreshed:
        tracker = read(path, today, journal=True)
        analysis = _analysis(tracker, tracker.journal, today, span, owner)
        result = Analysed(analysis, tracker.settings, tracker.problems, False, not_refreshed)
    if target is not None:
        from relances import interop, reports

        interop.write_atomically(
            target, reports.dashboard_pdf(result.analysis, result.settings, today), "--pdf")
        result.pdf = target
    return result


def _analysis(tracker: Tracker, journal: list[JournalEntry], today: date, span: Period,
              owner: str | None) -> Analysis:
    from relances import stats

    if owner is not None:
        known = {fold(name): name for name in
                 [*(p.owner for p in tracker.prospects), *(e.owner for e in journal)] if name}
        if fold(owner) not in known:
            names = ", ".join(sorted(known.values(), key=fold)) or "aucun"
            raise NotFound(f"Aucun prospect ni ligne du Journal pour le responsable « {owner} » "
                           f"(responsables connus : {names}) : vérifiez l'orthographe.")
    return stats.analyse(tracker.prospects, journal, tracker.settings, today, span, owner)


def pdf_name(span: Period) -> str:
    """analyse-performance-janvier-2026.pdf, as the workflow names it: the period's last month."""
    from relances.parsing import format_day_month

    month = fold(format_day_month(span.end).split(" ", 1)[1])
    return f"analyse-performance-{month}-{span.end.year}.pdf"


def _pdf_target(span: Period, output: str | None) -> Path | None:
    """--pdf names a file or a folder (then the workflow's name); always a .pdf, since it
    is replaced without asking and must never be the workbook."""
    if output is None:
        return None
    return output_target(output, pdf_name(span), (".pdf",),
                         "un fichier .pdf (il est remplacé à chaque analyse)", "analyse.pdf",
                         "--pdf")


def _caption(analysis: Analysis, today: date) -> str:
    span = analysis.period
    who = f", responsable {analysis.owner}" if analysis.owner else ""
    return (f"Analyse du {format_date(span.start)} au {format_date(span.end)}{who} "
            f"(relances analyse du {format_date(today)})")


def _chart_tables(a: Analysis) -> list[ChartTable]:
    """The three charts' data, as small tables on Tableau de bord."""
    from relances.workbook.dashboard import ChartTable

    amount, count, rate = schema.AMOUNT_FORMAT, "0", "0.0%"
    return [
        ChartTable("Conversion par source",
                   ("Source", "Prospects", "Gagnés", "Taux de conversion", "CA réalisé (€)"),
                   [(g.label, g.prospects, g.won, g.conversion, g.revenue) for g in a.by_source],
                   (None, count, count, rate, amount), bars=(3,), axis_format="0%"),
        ChartTable("Évolution mensuelle",
                   ("Mois", "Entrés", "Gagnés", "Perdus", "Actifs en fin de mois"),
                   [(m.label, m.entered, m.won, m.lost, m.active) for m in a.by_month],
                   (None, count, count, count, count), bars=(1, 2, 3), line=(4,)),
        ChartTable("Pipeline par statut",
                   ("Statut", "Prospects", "Montant (€)", "CA pondéré (€)"),
                   [(s.status.value, s.prospects, s.amount, s.weighted) for s in a.pipeline],
                   (None, count, amount, amount), bars=(2, 3), axis_format=amount),
    ]


# --------------------------------------------------------------------------- accueil

if TYPE_CHECKING:
    from relances.reports import ClientFolder, Onboarding


@dataclass
class Welcome:
    """What `relances accueil` made for one client; the workbook is only read."""

    path: Path
    written: bool
    """False when the very same checklist was already there: it is left untouched."""
    markdown: bool
    plan: Onboarding
    sections: int
    boxes: int
    folder: ClientFolder | None
    problems: list[Problem]


def welcome(path: Path, today: date, query: str, trade: str | None = None,
            output: str | None = None, folder: bool = False,
            replace: bool = False) -> Welcome:
    """The onboarding checklist of one client, as a PDF or in Markdown, and the client's
    folder when asked. Everything is read, rendered and checked before anything is made.

    A checklist already on disk may have been ticked on screen: it is replaced only with
    --remplacer, unless it is byte for byte what this run would write (the PDF is made
    reproducibly), so running the same command twice is harmless."""
    from relances import emails, reports
    from relances.interop import write_atomically

    chosen = parse_option("--metier", reports.parse_trade, trade) if trade else None
    tracker = read(path, today)
    prospect = find_prospect(tracker.prospects, query)
    target = _welcome_target(path, prospect, output)
    markdown = target.suffix.lower() == ".md"
    plan = reports.onboarding(prospect, tracker.rules, tracker.settings.max_followups,
                              work_calendar(tracker.settings), chosen,
                              "status_since" in tracker.columns)
    text = reports.checklist_markdown(plan, emails.user_templates(path, None))
    footer = " · ".join(filter(None, (tracker.settings.company,
                                      f"Liste d'accueil de {prospect.name}")))
    data = text.encode("utf-8") if markdown else reports.checklist_pdf(text, footer)
    same = target.is_file() and target.read_bytes() == data
    if (target.exists() or target.is_symlink()) and not same and not replace:
        raise InvalidInput(
            f"« {target} » existe déjà et diffère de la liste à écrire (cases cochées, notes "
            "ou classeur modifiés depuis) : ajoutez --remplacer pour l'écraser, ou choisissez "
            "un autre fichier avec --sortie. Rien n'a été écrit.")
    made = reports.make_client_folder(path.parent, prospect) if folder else None
    if not same:
        write_atomically(target, data)
    shape = reports.parse_checklist(text)
    return Welcome(target, not same, markdown, plan, len(shape.sections), shape.boxes, made,
                   tracker.problems)


def _welcome_target(path: Path, prospect: Prospect, output: str | None) -> Path:
    """accueil-<nom>.pdf beside the workbook by default; --sortie names a .pdf or .md file,
    or a folder to put the default name in (never the workbook: only .pdf and .md)."""
    from relances.reports import checklist_filename

    if output is None:
        return path.parent / checklist_filename(prospect)
    return output_target(output, checklist_filename(prospect), (".pdf", ".md"),
                         "un fichier .pdf (à imprimer) ou .md (Markdown)", "accueil.pdf")


# --------------------------------------------------------------------------- importer, exporter


@dataclass
class Imported:
    """What `importer` did (or would do, with --simulation), row by row."""

    source: str
    """How the file is named in messages ("clients.xlsx, feuille Contacts")."""
    detail: str
    """What was detected: "CSV, séparateur « ; », encodage Windows-1252"."""
    rows: int
    plan: interop.ImportPlan
    added: list[Prospect]
    """The new prospects, with their ID and row once written."""
    ignored_columns: list[str]
    simulated: bool
    problems: list[Problem]
    """The tracker's own unreadable rows (they cannot be matched)."""
    backup: Path | None = None


Progress = Callable[[str, int, int | None], None]
"""progress(what is being done, done, total or None): ui draws it when it takes a while."""


def import_prospects(path: Path, today: date, source: str, simulate: bool = False,
                     sheet: str | None = None, columns: Sequence[str] = (),
                     force: bool = False, progress: Progress | None = None) -> Imported:
    """Add the file's new prospects and fill the empty fields of those already there, in
    one safe write; rows that do not read are left out with their reasons, and a file
    with no usable row at all changes nothing."""
    from relances import interop
    from relances.workbook.update import open_for_update

    report = progress or (lambda what, done, total: None)
    overrides = interop.parse_column_options(columns)
    report("Lecture du fichier à importer", 0, None)
    table = interop.read_source(Path(source).expanduser(), sheet, overrides)

    def decide(tracker: Tracker, fields: Sequence[str]) -> tuple[list[interop.SourceRow],
                                                                interop.ImportPlan]:
        settings = tracker.settings
        report("Lecture des lignes du fichier", 0, None)
        rows = interop.read_rows(table, today, settings.country)
        table.rows.clear()  # read into `rows`: 50 000 raw rows need not wait for the write
        plan = interop.plan_import(rows, tracker.prospects, fields, settings, tracker.rules,
                                   work_calendar(settings), today)
        _refuse_unusable(table, rows, plan)
        return rows, plan

    if simulate:
        tracker = read(path, today)
        rows, plan = decide(tracker, tracker.columns)
        return Imported(table.label, table.detail, len(rows), plan,
                        [p for _, p in plan.additions], table.ignored, True, tracker.problems)
    report("Lecture du suivi", 0, None)
    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        rows, plan = decide(tracker, session.layout.fields())
        added: list[Prospect] = []
        backup = None
        if plan.additions or plan.completions:
            first_id = session.next_id() if session.layout.has("id") else None
            total = len(plan.additions)
            added = session.append_all(
                [p if first_id is None else p.replace(id=first_id + number)
                 for number, (_, p) in enumerate(plan.additions)],
                lambda done: report("Ajout des prospects", done, total))
            for _, prospect, fields in plan.completions:
                session.complete(prospect, fields)
            report("Enregistrement du suivi", total, total)
            backup = session.save()
    return Imported(table.label, table.detail, len(rows), plan, added, table.ignored, False,
                    tracker.problems, backup)


def _refuse_unusable(table: interop.SourceSheet, rows: Sequence[interop.SourceRow],
                     plan: interop.ImportPlan) -> None:
    """Good rows are imported and bad ones reported; a file without one good row is surely
    not what the user meant to import: nothing is written and every reason is given."""
    if plan.usable:
        return
    if not rows:
        raise InvalidInput(
            f"« {table.label} » n'a aucune ligne de données sous son en-tête (ligne "
            f"{table.header_row + 1}) : rien n'a été importé.")
    shown = [str(problem) for row in plan.ignored for problem in row.problems]
    more = f"\n  … et {len(shown) - 20} autre(s) problème(s)." if len(shown) > 20 else ""
    raise InvalidInput(
        f"Aucune ligne de « {table.label} » n'est importable : rien n'a été écrit. Corrigez "
        "ces lignes dans le fichier, puis relancez :\n  " + "\n  ".join(shown[:20]) + more)


@dataclass
class Exported:
    """The CSV `exporter` wrote, with the rows it left out."""

    path: Path
    format: str
    prospects: int
    problems: list[Problem]


def export(path: Path, today: date, fmt: str = "csv", output: str | None = None) -> Exported:
    """Suivi as a CSV file: for Excel, or for HubSpot's or Pipedrive's importer; the
    workbook is only read."""
    from relances import interop

    chosen = normalize(fmt)
    if chosen not in interop.EXPORT_FORMATS:
        raise InvalidInput(f"--format : « {fmt} » n'est pas un format connu : csv (pour "
                           "Excel), hubspot ou pipedrive.")
    target = _export_target(path, today, chosen, output)
    tracker = read(path, today)
    table = interop.export_table(chosen, tracker.prospects, tracker.columns, today)
    interop.write_atomically(target, interop.export_bytes(chosen, table))
    return Exported(target, chosen, len(tracker.prospects), tracker.problems)


def _export_target(path: Path, today: date, fmt: str, output: str | None) -> Path:
    """Beside the workbook by default; --sortie names a .csv file or a folder (the file is
    replaced without asking, so it must never be a workbook)."""
    from relances.interop import export_filename

    if output is None:
        return path.parent / export_filename(fmt, today)
    return output_target(output, export_filename(fmt, today), (".csv",),
                         "un fichier .csv (il est remplacé à chaque export)", "clients.csv")
