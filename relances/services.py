"""The use cases, one function per command: open the tracker, call the core, save.

They return plain results and never print; cli.py renders them through ui.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from relances import schema
from relances.errors import InvalidInput, NotFound, WorkbookError
from relances.model import JournalEntry, Problem, Prospect, Settings, Status, Tracker
from relances.parsing import (
    ParseError,
    check_email,
    fold,
    normalize_phone,
    parse_amount,
    parse_date,
    parse_probability,
    split_contact,
)

DEFAULT_FILE = "relances-clients.xlsx"


def resolve_path(option: str | None) -> Path:
    """One place decides which workbook: --fichier, then RELANCES_FICHIER, then the default."""
    chosen = option or os.environ.get("RELANCES_FICHIER") or DEFAULT_FILE
    return Path(chosen).expanduser()


def parse_option(option: str, parser: Callable[[str], object], text: str) -> object:
    """A value typed on the command line that does not read names its option."""
    try:
        return parser(text)
    except ParseError as error:
        raise InvalidInput(f"{option} : {error}.") from None


# --------------------------------------------------------------------------- init


@dataclass(frozen=True)
class Created:
    path: Path
    prospects: int


def init(path: Path, today: date, example: bool) -> Created:
    """Create the tracker, with the workflow's example prospects when asked."""
    from relances.example import example_journal, example_prospects, example_settings
    from relances.workbook import create_tracker

    if not example:
        create_tracker(path, [])
        return Created(path, 0)
    prospects = example_prospects(today)
    create_tracker(path, prospects, example_journal(prospects), example_settings())
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


_OPTION_OF = {
    "email": "--email", "phone": "--tel", "status": "--statut", "source": "--source",
    "project": "--projet", "amount": "--montant", "probability": "--proba",
    "first_contact": "--premiere", "last_contact": "--dernier",
    "next_followup": "--prochaine", "action": "--action", "notes": "--note",
    "owner": "--responsable", "interlocutor": "--interlocuteur",
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
        interlocutor=_clean(typed.interlocutor), status_since=first, followups_done=0,
    )


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text else None


def add(path: Path, today: date, typed: NewProspect, force: bool = False) -> Prospect:
    """Append one prospect with the next free ID, formulas and formats included."""
    from relances.workbook import open_for_update

    with open_for_update(path, today, force) as update:
        prospect = build_prospect(typed, today, update.tracker.settings)
        _refuse_missing_columns(typed, update.layout.columns, path)
        if update.layout.has("id"):
            prospect = prospect.replace(id=update.next_id())
        prospect = update.append(prospect)
        update.save()
    return prospect


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
    statuses: Sequence[str] = ()
    min_probability: str | None = None
    before: str | None = None
    owner: str | None = None
    search: str | None = None


@dataclass
class Listing:
    prospects: list[Prospect]
    tracker: Tracker
    today: date
    total: int = 0
    problems: list[Problem] = field(default_factory=list)


def read(path: Path, today: date) -> Tracker:
    from relances.workbook import read_tracker

    return read_tracker(path, today)


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
    return (prospect.next_followup or date.max, fold(prospect.name))


def _haystack(prospect: Prospect) -> str:
    parts = (prospect.name, prospect.email, prospect.phone, prospect.project, prospect.notes,
             prospect.interlocutor)
    return fold(" | ".join(p for p in parts if p))


@dataclass
class Card:
    prospect: Prospect
    journal: list[JournalEntry]
    tracker: Tracker
    today: date


def show(path: Path, today: date, query: str) -> Card:
    tracker = read(path, today)
    prospect = find_prospect(tracker.prospects, query)
    entries = [e for e in tracker.journal
               if (prospect.id is not None and e.prospect_id == prospect.id)
               or (e.prospect_id is None and fold(e.name) == fold(prospect.name))]
    return Card(prospect, sorted(entries, key=lambda e: e.when, reverse=True), tracker, today)


def find_prospect(prospects: Sequence[Prospect], query: str) -> Prospect:
    """QUI is an ID or a piece of the name, without caring for case or accents."""
    text = query.strip()
    if text.isdigit():
        matches = [p for p in prospects if p.id == int(text)]
    else:
        wanted = fold(text)
        matches = [p for p in prospects if wanted and wanted in fold(p.name)]
        exact = [p for p in matches if fold(p.name) == wanted]
        matches = exact or matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"Aucun prospect ne correspond à « {query} » : vérifiez l'orthographe, ou "
            f"cherchez avec relances liste --chercher \"{query}\".")
    names = ", ".join(f"{p.id} {p.name}" if p.id is not None else p.name for p in matches[:10])
    raise NotFound(
        f"« {query} » désigne {len(matches)} prospects ({names}) : précisez le nom ou "
        "donnez l'ID.")


# --------------------------------------------------------------------------- verifier, annuler


@dataclass
class Check:
    problems: list[Problem]
    prospects: int


def check(path: Path, today: date) -> Check:
    tracker = read(path, today)
    return Check(tracker.problems, len(tracker.prospects))


def undo(path: Path, force: bool = False):
    from relances.workbook import restore_last_backup

    if not path.exists():
        raise WorkbookError(f"Le fichier « {path} » n'existe pas : rien à annuler.")
    return restore_last_backup(path, force)
