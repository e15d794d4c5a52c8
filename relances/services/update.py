"""maj: one exchange recorded, the next follow-up planned."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.errors import InvalidInput, NeedsConfirmation, option
from relances.core.model import (
    Event,
    JournalEntry,
    Outcome,
    Prospect,
    Status,
)
from relances.services.common import (
    Change,
    Moved,
    changed_fields,
    changes_between,
    clean_text,
    find_prospect,
    read,
    refuse_future,
    work_calendar,
    worked,
)
from relances.text.parsing import normalize
from relances.text.show import format_date

if TYPE_CHECKING:
    from relances.core.cadence import Step


@dataclass
class Answers:
    """What the user gave `maj`, read: the exchange's date, its channel and outcome, the
    new status, probability and next date."""

    when: date | None = None
    channel: str | None = None
    summary: str | None = None
    outcome: Outcome | None = None
    status: Status | None = None
    probability: float | None = None
    next_date: date | None = None
    action: str | None = None
    alert: str | None = None
    reason: str | None = None
    note: str | None = None
    satisfaction: int | None = None
    """The client's score, 1 to 5, after a satisfaction call."""
    old_date_confirmed: bool = False
    """The user said yes: an exchange more than a year back is not a typo."""


def read_event(answers: Answers, today: date) -> Event:
    """The exchange, checked against today before the workbook is touched."""
    if answers.outcome is Outcome.MEETING and answers.next_date is None:
        raise InvalidInput(f"{option('outcome')} rdv : indiquez la date du rendez-vous avec "
                           f"{option('next_followup')}.")
    alert = answers.alert
    if alert is not None:
        alert = "" if normalize(alert) in ("aucune", "aucun", "non", "") else alert.strip()
    exchanged = answers.when
    if exchanged is not None:
        refuse_future("date", exchanged, today)
        if exchanged < today - timedelta(days=365) and not answers.old_date_confirmed:
            raise NeedsConfirmation(
                f"le {format_date(exchanged)} remonte à plus d'un an : vérifiez "
                "l'année, ou lancez la commande dans un terminal pour confirmer.",
                f"Le {format_date(exchanged)} remonte à plus d'un an : est-ce bien la date "
                "de l'échange ?", about="date")
    return Event(
        when=exchanged or today, channel=answers.channel,
        summary=clean_text(answers.summary), outcome=answers.outcome,
        status=answers.status, probability=answers.probability,
        next_date=answers.next_date, action=answers.action,
        alert=alert, lost_reason=clean_text(answers.reason), note=clean_text(answers.note),
        satisfaction=answers.satisfaction,
    )


@dataclass
class Updated:
    """What `maj` wrote: the changes, the next step planned, the backup made."""

    prospect: Prospect
    changes: list[Change]
    step: Step | None
    backup: Path | None
    moved: Moved | None = None
    added_column: str | None = None
    """The letter of the Satisfaction column, when this update added it to the sheet."""


def update(path: Path, today: date, now: datetime, query: str, answers: Answers,
           force: bool = False) -> Updated:
    """Record one interaction: the row, its Historique, a Journal line, the next follow-up."""
    from relances.core.cadence import next_step, record
    from relances.workbook.session import open_for_update

    event = read_event(answers, today)
    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        before = find_prospect(tracker.prospects, query)
        calendar = work_calendar(tracker.settings)
        planned, moved = worked(event.next_date, calendar)
        event = replace(event, next_date=planned)
        after = record(before, event, tracker.rules, tracker.settings, calendar, today)
        added = None
        if event.satisfaction is not None:
            _refuse_unwon(after)
            added = session.colour_satisfaction()
        fields = [f for f in session.layout.fields() if f not in schema.FORMULA_KEYS]
        session.rewrite(after, changed_fields(before, after, fields), _asked(answers))
        session.journal(JournalEntry(
            event.when, after.id, after.name, event.channel, event.summary, event.issue,
            after.status, after.probability, after.owner, after.next_followup))
        backup = session.save(now)
    step = next_step(after, tracker.rules, tracker.settings, calendar, today)
    return Updated(after, changes_between(before, after, fields), step, backup, moved, added)


def _refuse_unwon(after: Prospect) -> None:
    """A score is a client's verdict on work done: a deal still open has none to give."""
    if after.status is not Status.WON:
        status = (after.status or Status.PROSPECT).value
        raise InvalidInput(
            f"{option('satisfaction')} note un client gagné : « {after.name} » est en "
            f"{status}. Ajoutez {option('outcome')} gagne si l'affaire vient d'être signée.")


_ASKED = {"when": ("last_contact",), "status": ("status",), "outcome": ("status",),
          "probability": ("probability",), "next_date": ("next_followup",),
          "action": ("action",), "alert": ("alert",), "reason": ("lost_reason",),
          "note": ("notes",), "satisfaction": ("satisfaction",)}


"""The fields a `maj` option sets in so many words: they may replace an unreadable cell."""


def _asked(answers: Answers) -> set[str]:
    return {key for name, keys in _ASKED.items() if getattr(answers, name) for key in keys}


def preview(path: Path, today: date, query: str, answers: Answers) -> tuple[Prospect, Prospect]:
    """What `maj` would plan, without writing: the default of the interactive question."""
    from relances.core.cadence import record

    tracker = read(path, today)
    before = find_prospect(tracker.prospects, query)
    event = read_event(answers, today)
    after = record(before, event, tracker.rules, tracker.settings,
                   work_calendar(tracker.settings), today)
    return before, after
