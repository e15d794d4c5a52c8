"""The Monday routine: what is overdue, what is due this week, what needs a decision.

Pure: a list of prospects, the cadence, the settings and today in; the week's
sections out. Nothing here reads a file or the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from relances.core.cadence import DECISION, Step, advice_for, is_zombie, step_after, steps_for
from relances.core.model import Prospect, Rule, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.text.parsing import fold


@dataclass(frozen=True)
class Item:
    """A prospect as the week shows it: where it stands in its cadence and since when."""

    prospect: Prospect
    days_without_contact: int | None
    step: Step | None
    expiry: date | None = None
    """The quote's last day, when it falls in the period or before the follow-up."""

    @property
    def to_decide(self) -> bool:
        """The cadence is spent: close, or one last personal follow-up."""
        return (self.prospect.action == DECISION
                or (self.step is not None and self.step.decision))

    @property
    def advice(self) -> str | None:
        """What to do: the step's advice, a call back for an unhappy client, a choice
        once the cadence is spent."""
        if self.to_decide:
            return "Clôturer ou tenter une dernière relance personnalisée"
        return advice_for(self.prospect, self.step)

    @property
    def step_label(self) -> str:
        """ "relance 2/4", or "à décider" once the cadence is spent."""
        if self.to_decide:
            return "à décider"
        if self.step is None:
            return ""
        return f"relance {self.step.number}/{self.step.total}"


@dataclass(frozen=True)
class Stats:
    """The figures at the foot of the week: the workflow's own few indicators."""

    active: int
    weighted_pipeline: Decimal
    won: int
    total: int
    conversion: float | None
    """won / total, the workflow's definition; None when there is no prospect."""
    due_this_week: int
    overdue: int


@dataclass(frozen=True)
class Week:
    """The routine's sections for one period, each sorted the way it is worked."""

    start: date
    end: date
    overdue: list[Item]
    due: list[Item]
    undated: list[Item]
    hot: list[Item]
    dormant: list[Item]
    zombies: list[Item]
    stats: Stats
    clients: list[Item] = field(default_factory=list)
    """Won or lost clients whose follow-up (a satisfaction call, a reactivation) is late
    or due in the period: work of the week, apart from the open deals."""


def week(prospects: Sequence[Prospect], rules: Sequence[Rule], settings: Settings,
         today: date, days: int = 7, owner: str | None = None) -> Week:
    """Sort the tracker into the routine's sections; each prospect appears where it acts."""
    chosen = [p for p in prospects if owner is None or fold(p.owner or "") == fold(owner)]
    # Only the step's number and advice matter here, not its date: no holiday look-up.
    calendar = WorkCalendar(settings.country, working_days_only=False)
    end = today + timedelta(days=days)
    steps = {status: steps_for(status, rules) for status in Status}

    def item(p: Prospect) -> Item:
        return Item(p, p.days_without_contact(today),
                    step_after(p, steps[p.status or Status.PROSPECT], settings, calendar),
                    _expiry(p, today, end))

    items = [item(p) for p in chosen if p.active]
    zombies = [i for i in items if is_zombie(i.prospect, today, settings)]
    zombie_rows = {id(i) for i in zombies}

    return Week(
        start=today, end=end,
        overdue=sorted((i for i in items if i.prospect.is_overdue(today)), key=_by_date),
        due=sorted((i for i in items if i.prospect.is_due(today, end)),
                   key=lambda i: _by_priority(i, settings)),
        undated=sorted((i for i in items if i.prospect.next_followup is None),
                       key=lambda i: -(i.days_without_contact or 0)),
        hot=sorted((i for i in items if i.prospect.is_hot(settings)),
                   key=lambda i: (-(i.prospect.probability or 0), *_by_date(i))),
        dormant=sorted((i for i in items if id(i) not in zombie_rows
                        and (i.days_without_contact or 0) > settings.dormant_days),
                       key=lambda i: -(i.days_without_contact or 0)),
        zombies=sorted(zombies, key=lambda i: -(i.days_without_contact or 0)),
        stats=_stats(chosen, items, today, end),
        clients=sorted((item(p) for p in chosen if not p.active
                        and p.next_followup is not None and p.next_followup <= end),
                       key=_by_date),
    )


def _expiry(p: Prospect, today: date, end: date) -> date | None:
    """« devis expire le … »: an open quote whose last day comes within the period, or
    before the follow-up planned for it."""
    valid = p.quote_valid_until
    if valid is None or not p.quote_expires(today):
        return None
    return valid if valid <= max(end, p.next_followup or end) else None


def _by_date(item: Item) -> tuple[date, str]:
    return item.prospect.next_followup or date.max, fold(item.prospect.name)


def _by_priority(item: Item, settings: Settings) -> tuple[bool, date, Decimal, str]:
    """Hot prospects first, then the soonest, then the biggest weighted amount."""
    p = item.prospect
    return (not p.is_hot(settings), p.next_followup or date.max, -p.weighted_amount,
            fold(p.name))


def _stats(chosen: Sequence[Prospect], items: Sequence[Item], today: date,
           end: date) -> Stats:
    won = sum(1 for p in chosen if p.status is Status.WON)
    return Stats(
        active=len(items),
        weighted_pipeline=sum((i.prospect.weighted_amount for i in items), Decimal(0)),
        won=won,
        total=len(chosen),
        conversion=won / len(chosen) if chosen else None,
        due_this_week=sum(1 for i in items if i.prospect.is_due(today, end)),
        overdue=sum(1 for i in items if i.prospect.is_overdue(today)),
    )
