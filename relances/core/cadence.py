"""The cadence engine: when and how to follow up next, from the rules of Règles.

Pure functions of (prospect, rules, settings, calendar): no I/O, no clock. Steps
counted from "Statut depuis" use the row's "Relances faites" count R to know
which step comes next; the date is the later of the step's own day and the
previous follow-up plus the spacing the cadence intends, so a late follow-up
never makes the next one come too soon. After the last step, or at the
"Relances max" of Paramètres, nothing is sent any more: the user decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from relances.core.model import Event, JournalEntry, Outcome, Prospect, Rule, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.text.parsing import fold
from relances.text.show import day_month

DECISION = "Clôturer ou dernière relance ?"
"""The action written once the cadence is exhausted: no harassment."""


@dataclass(slots=True)
class Step:
    """The next planned follow-up, with what the user needs to do it well. Slots, not
    frozen: the week makes one for each of 30 000 prospects, five times faster."""

    when: date
    action: str
    number: int
    """1-based: the step is "relance {number}/{total}"."""
    total: int
    advice: str | None = None
    template: str | None = None
    decision: bool = False
    expiry: date | None = None
    """The quote's last day, when the step was brought forward for it."""


def steps_for(status: Status, rules: Sequence[Rule]) -> list[Rule]:
    """A status's steps in the order they fall."""
    return sorted((r for r in rules if r.status is status), key=lambda r: r.day)


def next_step(prospect: Prospect, rules: Sequence[Rule], settings: Settings,
              calendar: WorkCalendar, today: date | None = None) -> Step | None:
    """The follow-up after the R already done; None when the cadence has nothing more.

    A step whose day has already passed is planned for `today`: a follow-up is never
    planned in the past."""
    status = prospect.status or Status.PROSPECT
    return step_after(prospect, steps_for(status, rules), settings, calendar, today)


def step_after(prospect: Prospect, steps: Sequence[Rule], settings: Settings,
               calendar: WorkCalendar, today: date | None = None) -> Step | None:
    """next_step, for a caller that has the status's steps at hand: the weekly routine
    sorts them once per status rather than once per prospect."""
    status = prospect.status or Status.PROSPECT
    done = prospect.followups_done or 0
    anchor = prospect.status_since or prospect.first_contact or prospect.last_contact
    if not steps or anchor is None:
        return None
    total = min(len(steps), settings.max_followups) if not steps[-1].from_last_contact \
        else settings.max_followups
    if done >= total:
        step = _decision(prospect, anchor, done, total, calendar) if status.active else None
    else:
        step = _scheduled(prospect, steps, done, total, anchor, calendar)
    if step is not None and today is not None and step.when < today:
        step = replace(step, when=calendar.next_working_day(today))
    return _before_expiry(prospect, step, calendar, today)


QUOTE_MARGIN = 2
"""Working days before a quote's last valid day by which it is followed up."""


def quote_deadline(prospect: Prospect, calendar: WorkCalendar,
                   today: date | None = None) -> date | None:
    """The last day a follow-up may wait to for an open quote: QUOTE_MARGIN working days
    before the quote's last valid day (today, when that is already past), so the client
    can still sign at its price. None without a valid open quote."""
    valid = prospect.quote_valid_until
    since = today or prospect.last_contact or prospect.status_since
    if valid is None or not prospect.quote_expires(since or valid):
        return None
    latest = calendar.working_days_before(valid, QUOTE_MARGIN)
    if today is not None:
        latest = max(latest, calendar.next_working_day(today))
    return latest if latest <= valid else None


def _before_expiry(prospect: Prospect, step: Step | None, calendar: WorkCalendar,
                   today: date | None) -> Step | None:
    """A quote about to expire is not left to the cadence's later step."""
    latest = quote_deadline(prospect, calendar, today)
    if step is None or latest is None or latest >= step.when:
        return step
    return replace(step, when=latest, expiry=prospect.quote_valid_until)


def _scheduled(prospect: Prospect, steps: Sequence[Rule], done: int, total: int,
               anchor: date, calendar: WorkCalendar) -> Step:
    """The later of the step's own day and the last follow-up plus the intended spacing."""
    if steps[-1].from_last_contact:
        rule = steps[min(done, len(steps) - 1)]
        when = (prospect.last_contact or anchor) + timedelta(days=rule.day)
    else:
        rule = steps[done]
        when = anchor + timedelta(days=rule.day)
        if done and prospect.last_contact is not None:
            spacing = rule.day - steps[done - 1].day
            when = max(when, prospect.last_contact + timedelta(days=spacing))
    return Step(calendar.next_working_day(when), rule.action, done + 1, total, rule.advice,
                rule.template)


def _decision(prospect: Prospect, anchor: date, done: int, total: int,
              calendar: WorkCalendar) -> Step:
    """Once the steps are spent, a week after the last one the user decides: close or retry."""
    last = max(anchor, prospect.last_contact or anchor)
    return Step(calendar.next_working_day(last + timedelta(days=7)), DECISION, done, total,
                "Relances épuisées : classer Perdu, ou tenter une dernière relance "
                "personnalisée.", None, decision=True)


def retry(on: date, settings: Settings, calendar: WorkCalendar) -> date:
    """Unreachable: the same step again after a few working days."""
    return calendar.add_working_days(on, settings.retry_days)


def is_dead(prospect: Prospect, today: date, settings: Settings) -> bool:
    """The workflow's rule: an active prospect without any interaction for too long is lost."""
    last = prospect.last_contact or prospect.first_contact
    return prospect.active and last is not None and (today - last).days > settings.auto_lost_days


def is_zombie(prospect: Prospect, today: date, settings: Settings) -> bool:
    """Neither won nor lost, silent for long and unlikely: it needs a frank decision."""
    days = prospect.days_without_contact(today)
    return (prospect.active and days is not None and days > settings.zombie_days
            and (prospect.probability or 0) < settings.zombie_probability)


CALL_BACK_DAYS = 2
"""Working days before an unhappy client is called back."""
CALL_BACK_ADVICE = "Client mécontent : écouter, proposer une solution et une date"


def advice_for(prospect: Prospect, step: Step | None) -> str | None:
    """What to do at this follow-up: an unhappy client is called back to put things
    right, whatever the cadence's step would say (ask for a review, a new offer)."""
    if prospect.unhappy:
        return CALL_BACK_ADVICE
    return step.advice if step is not None else None


HISTORY_LIMIT = 1000
"""Historique is a short summary (the Journal keeps everything); Excel caps a cell at 32 767."""

_STATUS_OF_OUTCOME = {
    Outcome.QUOTE: Status.QUOTE_SENT,
    Outcome.WON: Status.WON,
    Outcome.LOST: Status.LOST,
}


def record(prospect: Prospect, event: Event, rules: Sequence[Rule], settings: Settings,
           calendar: WorkCalendar, today: date | None = None) -> Prospect:
    """The row after an interaction: contact, status, count, and the next follow-up planned."""
    old_status = prospect.status or Status.PROSPECT
    status = event.status or (_STATUS_OF_OUTCOME.get(event.outcome, old_status)
                              if event.outcome else old_status)
    changed = status is not old_status
    # A new quote, a repeat sale or a second refusal starts its status's cadence again.
    restart = changed or event.outcome in (Outcome.INTERESTED, Outcome.MEETING,
                                           *_STATUS_OF_OUTCOME)
    unreachable = event.outcome is Outcome.UNREACHABLE
    updated = prospect.replace(
        status=status,
        last_contact=prospect.last_contact if unreachable else event.when,
        status_since=event.when if restart else prospect.status_since,
        followups_done=0 if restart else (prospect.followups_done or 0) + (not unreachable),
        probability=_probability(prospect, event, status, changed, settings),
        history=_history(prospect.history, event),
        notes=_append(prospect.notes, event.note),
        lost_reason=event.lost_reason or prospect.lost_reason,
        alert=prospect.alert if event.alert is None else (event.alert or None),
        satisfaction=prospect.satisfaction if event.satisfaction is None
        else event.satisfaction,
    )
    when, action = _planned(prospect, updated, event, rules, settings, calendar,
                            max(today or event.when, event.when))
    return updated.replace(next_followup=when, action=action)


def _planned(before: Prospect, after: Prospect, event: Event, rules: Sequence[Rule],
             settings: Settings, calendar: WorkCalendar,
             today: date) -> tuple[date | None, str | None]:
    """The user's date and action always win; else a retry, or the cadence's next step."""
    if event.outcome is Outcome.UNREACHABLE:
        when = event.next_date or max(retry(event.when, settings, calendar),
                                      calendar.next_working_day(today))
        return when, event.action or before.action or event.channel
    if after.unhappy and event.satisfaction is not None:
        return (event.next_date or calendar.add_working_days(today, CALL_BACK_DAYS),
                event.action or "Tel")
    step = next_step(after, rules, settings, calendar, today)
    default = "RDV" if event.outcome is Outcome.MEETING else (step.action if step else None)
    return event.next_date or (step.when if step else None), event.action or default


def _probability(prospect: Prospect, event: Event, status: Status, changed: bool,
                 settings: Settings) -> float | None:
    if event.probability is not None:
        return event.probability
    if changed:
        return settings.default_probability[status]
    return prospect.probability


def history_line(event: Event) -> str:
    """"27/01 Tel : Client veut comparer 2 autres devis", as the workflow writes it."""
    what = event.summary or event.issue or "relance"
    if event.issue and event.summary:
        what = f"{what} ({event.issue})"
    return f"{day_month(event.when)} {event.channel or 'Relance'} : {what}"


def _history(history: str | None, event: Event) -> str:
    """Newest first; the oldest lines go when the summary grows too long."""
    lines = [history_line(event), *(history or "").splitlines()]
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > HISTORY_LIMIT:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) if kept else lines[0][: HISTORY_LIMIT - 1] + "…"


def _append(notes: str | None, note: str | None) -> str | None:
    if not note:
        return notes
    return f"{notes}\n{note}" if notes else note


def with_default_probabilities(prospects: Sequence[Prospect],
                               settings: Settings) -> list[Prospect]:
    """A tracker without a Probabilité column still weighs its pipeline: each prospect
    takes its status's default probability (Paramètres)."""
    defaults = settings.default_probability
    return [p if p.probability is not None
            else replace(p, probability=defaults.get(p.status or Status.PROSPECT))
            for p in prospects]


def with_followups_from_journal(prospects: Sequence[Prospect],
                                journal: Sequence[JournalEntry]) -> list[Prospect]:
    """A tracker without a Relances faites column counts them in the Journal: the lines
    of the prospect (by ID, else by name) since its status began, so that the cadence
    proposes the next step rather than the first one again."""
    by_id: dict[int, list[date]] = {}
    by_name: dict[str, list[date]] = {}
    for entry in journal:
        if entry.prospect_id is not None:
            by_id.setdefault(entry.prospect_id, []).append(entry.when)
        by_name.setdefault(fold(entry.name), []).append(entry.when)
    counted = []
    for p in prospects:
        days = by_id.get(p.id, []) if p.id is not None else by_name.get(fold(p.name), [])
        since = p.status_since or p.first_contact or date.min
        done = sum(day >= since for day in days)
        counted.append(replace(p, followups_done=done) if done else p)
    return counted
