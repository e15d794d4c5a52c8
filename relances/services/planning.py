"""planifier and regles: the cadence applied to the whole tracker, and shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.model import (
    Event,
    JournalEntry,
    Outcome,
    Problem,
    Prospect,
    Rule,
    Settings,
    Tracker,
)
from relances.services.common import Change, changed_fields, changes_between, read, work_calendar
from relances.text.show import format_date

if TYPE_CHECKING:
    from relances.core.workdays import WorkCalendar


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


def plan(path: Path, today: date, now: datetime, simulate: bool = False, recompute: bool = False,
         force: bool = False) -> Planning:
    """Fill missing follow-ups from the cadence, close the long-silent, tidy the sheet."""
    from relances.core.cadence import is_dead, is_zombie, quote_deadline
    from relances.workbook.session import open_for_update

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
                                             after.probability, after.owner,
                                             after.next_followup))
            elif before.next_followup is None or before.action is None or recompute:
                after, reason = _from_cadence(before, today, tracker, calendar, recompute)
            elif (latest := quote_deadline(before, calendar, today)) is not None \
                    and before.next_followup > latest:
                after = before.replace(next_followup=latest)
                reason = f"devis valable jusqu'au {format_date(before.quote_valid_until)}"
            else:
                continue
            changes = changes_between(before, after, fields)
            if changes:
                session.rewrite(after, changed_fields(before, after, fields))
                planned.append(Planned(after, changes, reason))
        zombies = [p for p in tracker.prospects if is_zombie(p, today, tracker.settings)
                   and not is_dead(p, today, tracker.settings)]
        sorting = session.sort_by_next_followup()
        moved = sorting is True
        backup = None
        if not simulate and (planned or restored or moved):
            backup = session.save(now)
    return Planning(planned, zombies, restored, moved, simulate, tracker.settings, backup,
                    sorting if isinstance(sorting, str) else None)


def _close_silent(before: Prospect, today: date, tracker: Tracker,
                  calendar: WorkCalendar) -> tuple[Prospect, str]:
    """The workflow's rule: no interaction for too long means lost, said in the Journal."""
    from relances.core.cadence import record

    days = (today - (before.last_contact or before.first_contact or today)).days
    reason = f"Classé Perdu automatiquement : aucune interaction depuis {days} jours"
    event = Event(today, outcome=Outcome.LOST, summary=reason,
                  lost_reason=before.lost_reason or f"Sans nouvelles depuis {days} jours")
    after = record(before, event, tracker.rules, tracker.settings, calendar, today)
    return after.replace(last_contact=before.last_contact), reason


def _from_cadence(before: Prospect, today: date, tracker: Tracker, calendar: WorkCalendar,
                  recompute: bool) -> tuple[Prospect, str]:
    """An empty date (or every date, with --recalculer) comes from the cadence."""
    from relances.core.cadence import next_step

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
