"""An import's plan, pure: what becomes of each row read from another tool's file.

A row adds a prospect, fills the empty fields of one already there (the same email, or
the same name once normalised), or brings nothing new; a value that differs from the
tracker's is listed as a conflict, never written. The plan is made before anything is
written, so that a simulation shows exactly what the import does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from relances.core import schema
from relances.core.accounts import exchanges_finder
from relances.core.cadence import next_step
from relances.core.contacts import contacts_of
from relances.core.importing import SourceRow, field_label
from relances.core.model import Contact, JournalEntry, Problem, Prospect, Rule, Settings, Status
from relances.text.parsing import fold, normalize
from relances.text.show import show_value

if TYPE_CHECKING:
    from relances.core.workdays import WorkCalendar

@dataclass(frozen=True)
class Conflict:
    """A value of the file that differs from the tracker's: the tracker's is kept."""

    line: int
    name: str
    label: str
    kept: str
    offered: str
    where: str = "dans le suivi"


@dataclass(eq=False)
class _Target:
    """A prospect rows may add to: one already in the tracker, or one this import adds."""

    prospect: Prospect | None
    """The tracker's prospect (with what this import fills), None for a new one."""
    given: dict[str, Any]
    """For a new prospect: what the file gives, merged over its rows."""
    line: int
    """The first line of the file that adds or fills it."""
    filled: list[str] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    """The people of numbered columns, over its rows."""
    persons: list[dict[str, Any]] = field(default_factory=list)
    """The person each of its rows names beside the company."""
    stated: frozenset[str] = frozenset()
    exchanges: list[JournalEntry] = field(default_factory=list)
    """The Journal lines its rows bring (a relances accounts file)."""

    @property
    def name(self) -> str:
        return self.prospect.name if self.prospect is not None else self.given["name"]


@dataclass
class ImportPlan:
    """What an import does, row by row, before anything is written."""

    additions: list[tuple[int, Prospect]] = field(default_factory=list)
    """(source line, the new prospect; its ID is given when it is written)."""
    completions: list[tuple[int, Prospect, list[str]]] = field(default_factory=list)
    """(first source line, the tracker's prospect with the filled fields, those fields)."""
    completed: list[tuple[int, str, list[str]]] = field(default_factory=list)
    """Every row that fills something: (line, prospect name, labels of the fields)."""
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    """Rows that match a prospect and bring nothing new: (line, prospect name)."""
    ignored: list[SourceRow] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    """Labels of fields the file gives but Suivi has no column for: not imported."""
    people: list[tuple[Prospect | int, Contact]] = field(default_factory=list)
    """Contacts to add: (the tracker's prospect, or the index of an addition, the person);
    their client is set when the prospect is written."""
    exchanges: list[tuple[Prospect | int, JournalEntry]] = field(default_factory=list)
    """Journal lines to add, tied the same way; none the tracker already has."""

    @property
    def usable(self) -> int:
        return len(self.additions) + len(self.completed) + len(self.unchanged)


def storable(columns: Iterable[str]) -> set[str]:
    """The fields the tracker's sheet has a place for (email and phone fit a Contact cell)."""
    have = set(columns)
    if "contact" in have:
        have |= {"email", "phone"}
    return have


def plan_import(rows: Sequence[SourceRow], existing: Sequence[Prospect],
                columns: Sequence[str], settings: Settings, rules: Sequence[Rule],
                calendar: WorkCalendar, today: date, contacts: Sequence[Contact] = (),
                journal: Sequence[JournalEntry] = ()) -> ImportPlan:
    """Decide each row's fate: add it, fill the empty fields of a prospect already there
    (same email, or same name once normalised: "Martin-Menuiserie" is "Martin Menuiserie"),
    or nothing. Differing values are listed as conflicts, never written. A row repeating a
    prospect of the same file adds to it instead of adding it twice."""
    place = storable(columns)
    by_email: dict[str, _Target] = {}
    by_name: dict[str, _Target] = {}

    def index(target: _Target, email: str | None, name: str | None) -> None:
        if email:
            by_email.setdefault(email.casefold(), target)
        if name and normalize(name):
            by_name.setdefault(normalize(name), target)

    def find(values: dict[str, Any]) -> _Target | None:
        email, name = values.get("email"), normalize(values.get("name") or "")
        return (by_email.get(email.casefold()) if email else None) \
            or (by_name.get(name) if name else None)

    for prospect in existing:
        index(_Target(prospect, {}, 0), prospect.email, prospect.name)
    plan = ImportPlan()
    new: list[_Target] = []
    touched: list[_Target] = []
    seen: list[_Target] = []
    given_fields: set[str] = set()
    for row in rows:
        plan.warnings.extend(row.warnings)
        values = {k: v for k, v in row.values.items() if k in place}
        target = find(values)
        if row.problems and not (row.nameless and target is not None):
            plan.ignored.append(row)
            continue
        given_fields.update(row.values)
        if target is None:
            target = _Target(None, values, row.line, stated=row.stated)
            new.append(target)
            index(target, values.get("email"), values["name"])
            _gather(target, row, seen)
            continue
        if _another_person(target, row):
            # One row a person: its email and phone are that person's, not the client's.
            values = {k: v for k, v in values.items()
                      if k not in ("email", "phone", "interlocutor")}
        _gather(target, row, seen)
        filled = _merge(target, values, row.line, plan.conflicts)
        if not filled:
            plan.unchanged.append((row.line, target.name))
            continue
        plan.completed.append((row.line, target.name, [field_label(f) for f in filled]))
        if target.prospect is not None and not any(t is target for t in touched):
            target.line = row.line
            touched.append(target)
        index(target, values.get("email"), None)
    plan.additions = [(t.line, new_prospect(t.given, settings, rules, calendar, today,
                                            t.stated)) for t in new]
    plan.completions = [(t.line, t.prospect, t.filled) for t in touched
                        if t.prospect is not None]
    order = list(schema.COLUMN_BY_KEY)
    plan.unplaced = [field_label(f) for f in sorted(
        given_fields - place, key=lambda f: (order.index(f) if f in order else len(order), f))]
    additions = {id(t): number for number, t in enumerate(new)}
    logged = exchanges_finder(journal)
    for target in seen:
        prospect = target.prospect
        owner = prospect if prospect is not None else additions[id(target)]
        known = contacts_of(prospect, contacts) if prospect is not None else []
        plan.people += [(owner, person) for person in _people(target, known)]
        plan.exchanges += [(owner, entry) for entry in _unlogged(
            target.exchanges, logged(prospect) if prospect is not None else [])]
    return plan


def _another_person(target: _Target, row: SourceRow) -> bool:
    return row.person is not None and bool(target.persons) and not any(
        fold(p["name"]) == fold(row.person["name"]) for p in target.persons)


def _gather(target: _Target, row: SourceRow, seen: list[_Target]) -> None:
    """What a row brings besides the prospect's fields: its people and exchanges."""
    if not row.people and row.person is None and not row.exchanges:
        return
    if not any(t is target for t in seen):
        seen.append(target)
    target.people += row.people
    target.exchanges += row.exchanges
    if row.person is not None:
        target.persons.append(row.person)


def _people(target: _Target, known: Sequence[Contact]) -> list[Contact]:
    """The numbered people, and the persons of the rows once two different people speak
    for the same client; never twice the same name, nor one the client already has."""
    persons = list({fold(p["name"]): p for p in reversed(target.persons)}.values())[::-1]
    chosen = (persons if len(persons) > 1 or target.people else []) + target.people
    names = {fold(c.name) for c in known}
    found = []
    for person in chosen:
        if fold(person["name"]) not in names:
            names.add(fold(person["name"]))
            found.append(Contact("", **person))
    return found


def _unlogged(entries: Sequence[JournalEntry],
              logged: Sequence[JournalEntry]) -> list[JournalEntry]:
    """An exchange the Journal already holds (same day, channel and summary) is not written
    again: importing the same file twice adds nothing."""
    seen = {(e.when, e.channel, e.summary) for e in logged}
    fresh = []
    for entry in entries:
        key = (entry.when, entry.channel, entry.summary)
        if key not in seen:
            seen.add(key)
            fresh.append(entry)
    return fresh


def _merge(target: _Target, values: dict[str, Any], line: int,
           conflicts: list[Conflict]) -> list[str]:
    """Fill what the target lacks; report what it holds differently. Returns filled fields."""
    prospect = target.prospect
    where = "dans le suivi" if prospect is not None else f"ligne {target.line} du fichier"
    filled = []
    for key, value in values.items():
        old = getattr(prospect, key, None) if prospect is not None else target.given.get(key)
        if old is None or old == "":
            filled.append(key)
        elif not same_value(key, old, value):
            conflicts.append(Conflict(line, target.name, field_label(key), show_value(old, 60),
                                      show_value(value, 60), where))
    if filled:
        changes = {key: values[key] for key in filled}
        if target.prospect is not None:
            target.prospect = target.prospect.replace(**changes)
            target.filled.extend(k for k in filled if k not in target.filled)
        else:
            target.given.update(changes)
    return filled


def same_value(key: str, old: Any, new: Any) -> bool:
    """Equal as the user means it: case, accents and spacing of text do not count, nor the
    way a phone number is written."""
    if isinstance(old, str) and isinstance(new, str):
        if key == "name":
            return normalize(old) == normalize(new)
        if key == "phone":
            return re.sub(r"\D", "", old.replace("+33", "0")) == \
                re.sub(r"\D", "", new.replace("+33", "0"))
        if key == "email":
            return old.casefold() == new.casefold()
        return fold(old) == fold(new)
    if isinstance(old, float | Decimal) and isinstance(new, float | Decimal):
        return abs(Decimal(str(old)) - Decimal(str(new))) < Decimal("0.005")
    return bool(old == new)


def new_prospect(given: dict[str, Any], settings: Settings, rules: Sequence[Rule],
                 calendar: WorkCalendar, today: date,
                 stated: frozenset[str] = frozenset()) -> Prospect:
    """A row of the file as `ajouter` would have added it: the status's default probability,
    the cadence's next follow-up and action when the file gives none.

    Dates the file does not give stay empty (an import day is not a first contact); the
    status is counted from the close date of a won or lost deal, else from the last contact,
    else from today. A field the file states, even empty, gets no default."""
    values = dict(given)

    def default(key: str, value: Any) -> Any:
        return values.get(key) if key in stated else values.setdefault(key, value)

    status = default("status", Status.PROSPECT) or Status.PROSPECT
    default("probability", settings.default_probability[status])
    last = values.get("last_contact")
    default("first_contact", last)
    default("status_since", last or values.get("first_contact") or today)
    default("followups_done", 0)
    prospect = Prospect(**values)
    if prospect.next_followup is None and "next_followup" not in stated:
        step = next_step(prospect, rules, settings, calendar, today)
        if step is not None:
            prospect = prospect.replace(next_followup=step.when,
                                        action=prospect.action or step.action)
    return prospect
