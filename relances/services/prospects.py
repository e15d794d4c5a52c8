"""Creating and reading the tracker: init, ajouter, liste, voir, verifier, annuler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from relances.core import schema
from relances.core.accounts import exchanges_finder
from relances.core.contacts import contacts_of
from relances.core.errors import InvalidInput, WorkbookError, option
from relances.core.model import (
    Contact,
    JournalEntry,
    Notice,
    Problem,
    Prospect,
    Settings,
    Status,
    Tracker,
)
from relances.services.common import (
    TABLE_TEXTS,
    Moved,
    clean_text,
    find_prospect,
    followup_order,
    read,
    refuse_future,
    work_calendar,
    worked,
)
from relances.text.parsing import ParseError, fold, normalize, normalize_phone


@dataclass(frozen=True)
class Created:
    """The workbook `init` made, and how many example prospects it holds."""

    path: Path
    prospects: int


def init(path: Path, today: date, example: bool) -> Created:
    """Create the tracker, with the workflow's example prospects when asked."""
    from relances.core.example import example_journal, example_prospects, example_settings
    from relances.workbook.create import create_tracker

    if not example:
        create_tracker(path, today, [])
        return Created(path, 0)
    prospects = sorted(example_prospects(today), key=followup_order)
    create_tracker(path, today, prospects, example_journal(prospects), example_settings())
    return Created(path, len(prospects))


_GIVEN = ("email", "phone", "status", "source", "project", "amount", "probability",
          "first_contact", "last_contact", "next_followup", "action", "notes", "owner",
          "interlocutor", "status_since")
"""What `ajouter` may be given, each needing its column in the sheet."""


def build_prospect(typed: Prospect, today: date, settings: Settings) -> Prospect:
    """The new row: what was given (the phone as typed: its country is the workbook's),
    the defaults for the rest (today, the status's probability, Prospect)."""
    phone = typed.phone
    if phone:
        try:
            phone = normalize_phone(phone, settings.country)
        except ParseError as error:
            raise InvalidInput(f"{error}.", about="phone") from None
    for key in ("first_contact", "last_contact", "status_since"):
        refuse_future(key, getattr(typed, key), today)
    status = typed.status or Status.PROSPECT
    probability = (typed.probability if typed.probability is not None
                   else settings.default_probability[status])
    first = typed.first_contact or today
    return Prospect(
        name=typed.name.strip(), email=typed.email, phone=phone, status=status,
        source=clean_text(typed.source), project=clean_text(typed.project),
        amount=typed.amount, probability=probability, first_contact=first,
        last_contact=typed.last_contact or first, next_followup=typed.next_followup,
        action=typed.action, notes=clean_text(typed.notes), owner=clean_text(typed.owner),
        interlocutor=clean_text(typed.interlocutor),
        status_since=typed.status_since or first, followups_done=0,
    )


@dataclass(frozen=True)
class Added:
    """What `ajouter` wrote, and the follow-up date it had to move."""

    prospect: Prospect
    moved: Moved | None = None


def add(path: Path, today: date, now: datetime, typed: Prospect, force: bool = False,
        duplicate: bool = False, from_contact: bool = False) -> Added:
    """Append one prospect with the next free ID, formulas and formats included; a name
    already in the tracker is refused unless `duplicate` says it is another one.
    `from_contact`: the email and phone came in one « email / tel » text, for a tracker
    with a Contact column."""
    from relances.core.cadence import next_step
    from relances.workbook.session import open_for_update

    with open_for_update(path, today, force) as update:
        tracker = update.tracker
        prospect = build_prospect(typed, today, tracker.settings)
        if not duplicate:
            _refuse_duplicate(prospect.name, tracker.prospects)
        _refuse_missing_columns(typed, update.layout.columns, path, from_contact)
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
        update.save(now)
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
        f"relances maj {who}, ou ajoutez {option('duplicate')} pour créer un second prospect "
        "de ce nom. "
        "Rien n'a été écrit.")


def _refuse_missing_columns(typed: Prospect, columns: dict[str, int], path: Path,
                            from_contact: bool) -> None:
    """A value the sheet has no column for would be lost: say so rather than drop it."""
    has_contact = "contact" in columns
    missing = []
    for key in _GIVEN:
        if getattr(typed, key) is None or key in columns:
            continue
        if key in ("email", "phone") and (has_contact or from_contact):
            continue
        missing.append((option(key), schema.COLUMN_BY_KEY[key].header))
    if from_contact and not has_contact and not {"email", "phone"} & set(columns):
        missing.append((option("contact"), schema.COLUMN_BY_KEY["contact"].header))
    if missing:
        options = ", ".join(option for option, _ in missing)
        headers = ", ".join(f"« {header} »" for _, header in missing)
        raise InvalidInput(
            f"« {path.name} » n'a pas de colonne pour {options} : ajoutez la colonne "
            f"{headers} dans la feuille, ou retirez ces options. Rien n'a été écrit.")


@dataclass
class Filters:
    """`liste`'s filters, read before the workbook is opened, so that a bad one is
    refused first."""

    statuses: Sequence[Status] = ()
    min_probability: float | None = None
    before: date | None = None
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


def list_prospects(path: Path, today: date, filters: Filters, table: bool = False) -> Listing:
    """The prospects that pass every filter, soonest follow-up first; for a `table`
    without a search, only the text fields it shows are read."""
    statuses, minimum, before = set(filters.statuses), filters.min_probability, filters.before
    tracker = read(path, today, texts=TABLE_TEXTS if table and not filters.search else None)
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
    contacts: list[Contact]
    """The client's people (Contacts sheet), the principal first."""


def show(path: Path, today: date, query: str) -> Card:
    tracker = read(path, today, journal=True)
    prospect = find_prospect(tracker.prospects, query)
    return Card(prospect, exchanges_finder(tracker.journal)(prospect), tracker, today,
                contacts_of(prospect, tracker.contacts))


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


@dataclass(frozen=True)
class Restored:
    """What `annuler` did: which backup came back, where the replaced version went."""

    backup: Path
    when: datetime
    kept: Path


def undo(path: Path, now: datetime, force: bool = False) -> Restored:
    from relances.workbook.files import backup_time, restore_last_backup

    if not path.exists():
        raise WorkbookError(f"Le fichier « {path} » n'existe pas : rien à annuler.")
    backup, kept = restore_last_backup(path, now, force)
    return Restored(backup, backup_time(backup), kept)
