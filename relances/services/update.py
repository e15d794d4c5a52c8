"""maj: one exchange recorded, the next follow-up planned."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.errors import InvalidInput, NeedsConfirmation
from relances.core.model import (
    Event,
    JournalEntry,
    Outcome,
    Prospect,
)
from relances.services.common import (
    Change,
    Moved,
    changed_fields,
    changes_between,
    clean_text,
    find_prospect,
    parse_option,
    read,
    refuse_future,
    work_calendar,
    worked,
)
from relances.text.parsing import ParseError, normalize, parse_date, parse_probability
from relances.text.show import format_date

if TYPE_CHECKING:
    from relances.core.cadence import Step


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
        refuse_future("--date", exchanged, today)
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
        summary=clean_text(answers.summary), outcome=outcome,
        status=parse_option("--statut", schema.parse_status, answers.status)
        if answers.status else None,
        probability=parse_option("--proba", parse_probability, answers.probability)
        if answers.probability else None,
        next_date=next_date,
        action=schema.parse_action(answers.action) if answers.action else None,
        alert=alert, lost_reason=clean_text(answers.reason), note=clean_text(answers.note),
    )


@dataclass
class Updated:
    """What `maj` wrote: the changes, the next step planned, the backup made."""

    prospect: Prospect
    changes: list[Change]
    step: Step | None
    backup: Path | None
    moved: Moved | None = None


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
        fields = [f for f in session.layout.fields() if f not in schema.FORMULA_KEYS]
        session.rewrite(after, changed_fields(before, after, fields), _asked(answers))
        session.journal(JournalEntry(
            event.when, after.id, after.name, event.channel, event.summary,
            event.outcome.label if event.outcome else None, after.status, after.probability,
            after.owner))
        backup = session.save(now)
    step = next_step(after, tracker.rules, tracker.settings, calendar, today)
    return Updated(after, changes_between(before, after, fields), step, backup, moved)


_ASKED = {"when": ("last_contact",), "status": ("status",), "outcome": ("status",),
          "probability": ("probability",), "next_date": ("next_followup",),
          "action": ("action",), "alert": ("alert",), "reason": ("lost_reason",),
          "note": ("notes",)}


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
