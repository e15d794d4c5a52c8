"""traiter: the week's follow-ups one after the other, each answer written at once.

The queue is `semaine`'s work in its order (the overdue first, then the week's, hot
prospects first, then the clients' satisfaction calls and reactivations); each task
carries what the user needs on the phone: the person to ask for, the last exchanges,
the step's advice, the draft `emails` prepared. Answers go through `maj`'s own update,
or `postpone`, one safe write each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from relances.core.accounts import exchanges_finder
from relances.core.contacts import people_finder, recipient
from relances.core.errors import InvalidInput
from relances.core.model import Contact, JournalEntry, Problem, Prospect
from relances.core.routine import Item
from relances.services.common import Moved, find_prospect, read, work_calendar, worked

LAST_EXCHANGES = 3


@dataclass(frozen=True)
class Task:
    """One follow-up of the queue, with what the card shows."""

    item: Item
    """The prospect as the week shows it: its step, « relance 2/4 » or « à décider »."""
    exchanges: list[JournalEntry]
    """The last few, newest first."""
    person: Contact | None
    """The principal contact or the decision maker, when the Contacts sheet names one."""
    draft: Path | None
    """The email or call script `emails` wrote for it this week, when there is one."""

    @property
    def prospect(self) -> Prospect:
        return self.item.prospect

    @property
    def query(self) -> str:
        """How each write finds the prospect again: its ID, else its row (rows do not move
        while the queue runs: no answer sorts the sheet)."""
        p = self.prospect
        return str(p.id) if p.id is not None else f"ligne {p.row}"


@dataclass
class Queue:
    tasks: list[Task]
    problems: list[Problem]
    end: date


def work_queue(path: Path, today: date, days: int = 7, owner: str | None = None) -> Queue:
    """The overdue follow-ups by date, then the period's, hot first, then the clients',
    as `semaine` lists them; a prospect appears once."""
    from relances.core.routine import week
    from relances.outputs.drafts import draft_stem, week_folder

    tracker = read(path, today, journal=True)
    found = week(tracker.prospects, tracker.rules, tracker.settings, today, days, owner)
    exchanges = exchanges_finder(tracker.journal)
    people = people_finder(tracker.contacts)
    folder = path.parent / week_folder(today)
    tasks = []
    for item in [*found.overdue, *found.due, *found.clients]:
        p = item.prospect
        stem = draft_stem(p)
        draft = next((f for f in (folder / f"{stem}.eml", folder / f"{stem}-appel.txt")
                      if f.is_file()), None)
        tasks.append(Task(item, exchanges(p)[:LAST_EXCHANGES],
                          recipient(p, people(p)), draft))
    return Queue(tasks, tracker.problems, found.end)


@dataclass(frozen=True)
class Postponed:
    """A follow-up moved to another day: no exchange, so no Journal line."""

    prospect: Prospect
    before: date | None
    moved: Moved | None
    backup: Path | None


def postpone(path: Path, today: date, now: datetime, query: str, when: date,
             force: bool = False) -> Postponed:
    """The follow-up's new day (a working day, as the cadence plans them), nothing else."""
    from relances.workbook.session import open_for_update

    if when < today:
        raise InvalidInput("une relance se reporte à aujourd'hui ou plus tard, pas dans le "
                           "passé : donnez une date à venir (vendredi, j+3, 31/01…).")
    with open_for_update(path, today, force) as session:
        before = find_prospect(session.tracker.prospects, query)
        planned, moved = worked(when, work_calendar(session.tracker.settings))
        after = before.replace(next_followup=planned)
        session.rewrite(after, ["next_followup"], ["next_followup"])
        backup = session.save(now)
    return Postponed(after, before.next_followup, moved, backup)

