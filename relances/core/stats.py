"""The monthly analysis: what the follow-ups are worth and where to put the effort.

Pure: prospects, Journal lines, settings, today and a period in; every figure out.
Nothing here reads a file or the clock; figures names and defines them in French,
advice reads them.

One principle keeps the figures consistent: a row is classified by its *current*
status (a deal lost then reactivated counts as in progress: its loss was undone),
and its dates place it in time. The Journal adds what the row no longer shows: that a
quote was sent, when the first follow-up happened, how many follow-ups there were.
Amounts are Decimal and rounded once, half up, at the cent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from relances.core.cadence import is_zombie
from relances.core.model import JournalEntry, Prospect, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.text.parsing import fold as _fold
from relances.text.parsing import normalize

CENT = Decimal("0.01")
_PIPELINE_STATUSES = (Status.PROSPECT, Status.QUOTE_SENT, Status.NEGOTIATION)
_QUOTE_STATUSES = (Status.QUOTE_SENT, Status.NEGOTIATION)
_MEETINGS = frozenset({"RDV", "Visite"})
"""The Journal's channels of an appointment held (the club's « rendez-vous »)."""
fold = lru_cache(maxsize=4096)(_fold)
"""Owners, sources and reasons repeat on thousands of rows: each is folded once."""


@dataclass(frozen=True)
class Period:
    """The days an analysis covers, both ends included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def period(today: date, start: date | None = None, end: date | None = None) -> Period:
    """The year to date unless given. Without a start, the period begins on the 1st of
    January of its end's year; the future holds no data, so it never ends after today.
    It may come out empty (start after end): the caller says so."""
    last = min(end or today, today)
    return Period(start or date(last.year, 1, 1), last)


@dataclass
class Group:
    """The figures of one source or one owner, counted in place."""

    label: str | None
    """As first written; None for the rows without a source (or owner)."""
    prospects: int = 0
    quotes: int = 0
    won: int = 0
    lost: int = 0
    revenue: Decimal = Decimal(0)
    followups: int = 0
    """Journal lines in the period (owners only)."""
    overdue: int = 0
    """Active prospects whose follow-up date has passed, today (owners only)."""
    created: int = 0
    """Journal lines of the period that planned a follow-up (owners only)."""
    abandoned: int = 0
    """Active prospects whose planned follow-up was dropped, today (owners only)."""
    meetings: int = 0
    """Journal lines of the period on the RDV or Visite channel (owners only)."""

    @property
    def named(self) -> bool:
        return self.label is not None

    @property
    def in_progress(self) -> int:
        return self.prospects - self.won - self.lost

    @property
    def conversion(self) -> float | None:
        return ratio(self.won, self.prospects)

    @property
    def win_rate(self) -> float | None:
        return ratio(self.won, self.won + self.lost)


@dataclass(frozen=True)
class Month:
    """One month of the monthly trend: deals entered, won, lost, and still open at its end."""

    start: date
    end: date
    """The month's last day, or the period's when it ends inside the month."""
    entered: int
    won: int
    lost: int
    active: int
    """Entered by `end` and not yet won or lost on that day."""
    without_followup: int
    """Entered in the month, still active, and no follow-up planned."""
    without_owner: int
    """Entered in the month with no Responsable."""


@dataclass(frozen=True)
class StatusLine:
    """One status of the pipeline: how many deals and what they weigh."""

    status: Status
    prospects: int
    amount: Decimal
    weighted: Decimal
    stale: int
    """Left without contact longer than the status's alert threshold: the red rows."""


@dataclass(frozen=True)
class Average:
    """A mean with how many values it stands on, so "—" and small samples explain themselves."""

    value: float | None
    count: int


@dataclass
class Analysis:
    """Every figure of `analyse`, computed from the tracker alone."""

    period: Period
    owner: str | None
    prospects: int
    quotes: int
    won: int
    lost: int
    conversion: float | None
    win_rate: float | None
    revenue: Decimal
    won_without_amount: int
    average_deal: Decimal | None
    weighted_pipeline: Decimal
    pipeline: list[StatusLine]
    delay: Average
    followup_delay: Average
    followups_before_win: Average
    followups: int
    created: int
    abandoned: int
    meetings: int
    won_followed: int
    """Won in the period after at least one follow-up in the Journal."""
    active: int
    overdue: int
    stale: int
    zombies: int
    by_source: list[Group]
    by_owner: list[Group]
    by_month: list[Month]
    lost_reasons: list[tuple[str | None, int]]
    undated: int
    sector_low: float
    sector_high: float
    satisfaction: Average = Average(None, 0)
    """The clients' scores (Satisfaction), today."""
    to_call_back: list[Prospect] = field(default_factory=list)
    """Won clients whose score is 2 or less, the worst first."""

    @property
    def in_progress(self) -> int:
        return self.prospects - self.won - self.lost

    @property
    def won_unfollowed(self) -> int:
        return self.won - self.won_followed

    @property
    def followed_share(self) -> float | None:
        return ratio(self.won_followed, self.won)


def ratio(part: int, whole: int) -> float | None:
    """None, shown "—", when there is nothing to divide: never a crash, never a fake 0 %."""
    return part / whole if whole else None


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- one row


@dataclass(frozen=True)
class _Row:
    """A prospect with the dates the analysis places it by, read once."""

    prospect: Prospect
    entered: date | None
    decided: date | None
    """For a won or lost row: Statut depuis, else Dernier contact, else the entry date."""
    lines: tuple[JournalEntry, ...]
    """Its Journal lines, oldest first."""

    @property
    def status(self) -> Status:
        return self.prospect.status or Status.PROSPECT

    @property
    def closed(self) -> bool:
        return not self.status.active

    def closed_by(self, day: date) -> bool:
        return self.closed and self.decided is not None and self.decided <= day

    @property
    def first_interaction(self) -> date | None:
        """Première interaction, else the first Journal line: an actual exchange."""
        if self.prospect.first_contact is not None:
            return self.prospect.first_contact
        return self.lines[0].when if self.lines else None

    def followups_after_first(self) -> list[JournalEntry]:
        first = self.first_interaction
        return [e for e in self.lines if first is not None and e.when > first]


_Matched = list[tuple[JournalEntry, int | None]]


def _rows(prospects: Sequence[Prospect],
          journal: Sequence[JournalEntry]) -> tuple[list[_Row], _Matched]:
    """Each prospect with its Journal lines (by ID, else by name when it names one row),
    and every Journal line with the index of its prospect (None when it has none)."""
    by_id = {p.id: i for i, p in enumerate(prospects) if p.id is not None}
    by_name: dict[str, list[int]] = {}
    lines: list[list[JournalEntry]] = [[] for _ in prospects]
    matched: _Matched = []
    for entry in journal:
        index = by_id.get(entry.prospect_id) if entry.prospect_id is not None else None
        if index is None:
            if not by_name:  # only lines without a known ID need names: fold them once
                for i, p in enumerate(prospects):
                    by_name.setdefault(_fold(p.name), []).append(i)
            named = by_name.get(_fold(entry.name), [])
            index = named[0] if len(named) == 1 else None
        if index is not None:
            lines[index].append(entry)
        matched.append((entry, index))
    rows = []
    for p, own in zip(prospects, lines, strict=True):
        own.sort(key=lambda e: e.when)
        entered = p.first_contact or (own[0].when if own else None) or p.status_since \
            or p.last_contact
        decided = None
        if p.status is not None and not p.status.active:
            decided = p.status_since or p.last_contact or entered
        rows.append(_Row(p, entered, decided, tuple(own)))
    return rows, matched


def _reached_quote(row: _Row, end: date) -> bool:
    """Passed through Devis envoyé by the end of the period, as the row or the Journal shows."""
    since = row.prospect.status_since
    if row.status in _QUOTE_STATUSES and (since is None or since <= end):
        return True
    return any(e.when <= end and (e.status in _QUOTE_STATUSES
                                  or normalize(e.outcome or "") == "devisenvoye")
               for e in row.lines)


# --------------------------------------------------------------------------- the analysis


def analyse(prospects: Sequence[Prospect], journal: Sequence[JournalEntry],
            settings: Settings, today: date, span: Period, calendar: WorkCalendar,
            owner: str | None = None) -> Analysis:
    """Every figure of `relances analyse`, for the rows of one owner or of everyone; the
    calendar counts the working days a follow-up may be late before it is abandoned."""
    rows, lines = _rows(prospects, journal)
    wanted = fold(owner) if owner else None

    def mine(name: str | None) -> bool:
        return wanted is None or fold(name or "") == wanted

    rows = [r for r in rows if mine(r.prospect.owner)]
    owned_lines = [(e, e.owner or (prospects[i].owner if i is not None else None))
                   for e, i in lines]
    owned_lines = [(e, who) for e, who in owned_lines if mine(who)]
    dated = [r for r in rows if r.entered is not None]
    followed = [r for r in dated if r.entered <= span.end  # type: ignore[operator]
                and not (r.closed and r.decided is not None and r.decided < span.start)]
    won = [r for r in followed if r.status is Status.WON and r.decided in span]
    lost = [r for r in followed if r.status is Status.LOST and r.decided in span]
    active = [r for r in rows if not r.closed]
    overdue = [r for r in active if r.prospect.is_overdue(today)]
    revenue = sum((r.prospect.amount or Decimal(0) for r in won), Decimal(0))
    with_amount = [r for r in won if r.prospect.amount is not None]
    period_lines = [(e, who) for e, who in owned_lines if e.when in span]
    abandoned = [r for r in overdue if _abandoned(r, today, settings.abandon_days, calendar)]
    created = [(e, who) for e, who in period_lines if e.next_followup is not None]
    meetings = [(e, who) for e, who in period_lines if e.channel in _MEETINGS]

    return Analysis(
        period=span, owner=owner,
        prospects=len(followed),
        quotes=sum(1 for r in followed if _reached_quote(r, span.end)),
        won=len(won), lost=len(lost),
        conversion=ratio(len(won), len(followed)),
        win_rate=ratio(len(won), len(won) + len(lost)),
        revenue=cents(revenue),
        won_without_amount=len(won) - len(with_amount),
        average_deal=cents(revenue / len(with_amount)) if with_amount else None,
        weighted_pipeline=cents(sum((_weighted(r.prospect) for r in active), Decimal(0))),
        pipeline=[_status_line(s, [r.prospect for r in active if r.status is s], today,
                               settings) for s in _PIPELINE_STATUSES],
        delay=_mean(_days(r.first_interaction, r.prospect.status_since)
                    for r in won + lost),
        followup_delay=_mean(_days(_first_followup(r), r.prospect.status_since)
                             for r in won + lost),
        followups_before_win=_mean(_followups_before_win(r) for r in won),
        followups=len(period_lines), created=len(created), abandoned=len(abandoned),
        meetings=len(meetings), won_followed=sum(1 for r in won if _followed_up(r)),
        active=len(active), overdue=len(overdue),
        stale=sum(1 for r in active if r.prospect.is_stale(today, settings)),
        zombies=sum(1 for r in active if is_zombie(r.prospect, today, settings)),
        by_source=_groups(followed, won, lost, lambda r: r.prospect.source, span),
        by_owner=_groups(followed, won, lost, lambda r: r.prospect.owner, span,
                         _Activity(overdue, abandoned, [who for _, who in period_lines],
                                   [who for _, who in created],
                                   [who for _, who in meetings])),
        by_month=_months(dated, won, lost, span),
        lost_reasons=_counted(r.prospect.lost_reason for r in lost),
        undated=len(rows) - len(dated),
        sector_low=settings.sector_rate_low, sector_high=settings.sector_rate_high,
        satisfaction=_mean(r.prospect.satisfaction for r in rows),
        to_call_back=sorted((r.prospect for r in rows if r.prospect.unhappy),
                            key=lambda p: (p.satisfaction, _fold(p.name))),
    )


def _weighted(p: Prospect) -> Decimal:
    """Exact Σ amount × probability, rounded once at the end, as the Tableau de bord's
    SUMPRODUCT: a row without amount or probability counts 0, as it does there."""
    if p.amount is None or p.probability is None:
        return Decimal(0)
    return p.amount * Decimal(repr(p.probability))


def _status_line(status: Status, deals: Sequence[Prospect], today: date,
                 settings: Settings) -> StatusLine:
    return StatusLine(status, len(deals),
                      cents(sum((p.amount or Decimal(0) for p in deals), Decimal(0))),
                      cents(sum((_weighted(p) for p in deals), Decimal(0))),
                      sum(1 for p in deals if p.is_stale(today, settings)))


def _days(start: date | None, end: date | None) -> int | None:
    """Both dates known and in order; otherwise the row stays out of the mean."""
    if start is None or end is None or end < start:
        return None
    return (end - start).days


def _abandoned(row: _Row, today: date, days: int, calendar: WorkCalendar) -> bool:
    """Late by more than `days` working days, and nothing in the Journal since the day it
    was planned for: the follow-up was dropped, not just delayed."""
    planned = row.prospect.next_followup
    if planned is None or calendar.add_working_days(planned, days) >= today:
        return False
    return not any(e.when >= planned for e in row.lines)


def _followed_up(row: _Row) -> bool:
    """At least one Journal line between the first interaction and the decision day: the
    deal went through a follow-up before it was won."""
    decided = row.decided
    return any(decided is None or e.when < decided for e in row.followups_after_first())


def _first_followup(row: _Row) -> date | None:
    """The first Journal line after the first interaction and before the decision day: a
    line on that day is the decision itself, not a follow-up."""
    decided = row.prospect.status_since
    after = [e for e in row.followups_after_first() if decided is None or e.when < decided]
    return after[0].when if after else None


def _followups_before_win(row: _Row) -> int | None:
    """Journal lines after the first interaction and before the day of the win; a row the
    Journal never saw, or without Statut depuis, cannot say."""
    decided = row.prospect.status_since
    if not row.lines or decided is None or row.first_interaction is None:
        return None
    return sum(1 for e in row.followups_after_first() if e.when < decided)


def _mean(values: Iterable[int | None]) -> Average:
    known = [v for v in values if v is not None]
    return Average(sum(known) / len(known) if known else None, len(known))


def _label_of(values: Iterable[str | None]) -> dict[str, str]:
    """"Site web" and "site  web" are one source; it is shown as first written."""
    labels: dict[str, str] = {}
    for value in values:
        if value and value.strip():
            labels.setdefault(fold(value), " ".join(value.split()))
    return labels


@dataclass(frozen=True)
class _Activity:
    """What each owner did and left undone: the rows late or abandoned today, and the
    owner of each Journal line of the period, of those that planned a follow-up, and of
    the appointments."""

    overdue: Sequence[_Row] = ()
    abandoned: Sequence[_Row] = ()
    lines: Sequence[str | None] = ()
    created: Sequence[str | None] = ()
    meetings: Sequence[str | None] = ()


def _groups(followed: Sequence[_Row], won: Sequence[_Row], lost: Sequence[_Row],
            key: Callable[[_Row], str | None], span: Period,
            activity: _Activity | None = None) -> list[Group]:
    """One Group per source (or owner), biggest first, the rows without one last.

    `activity` (owners only): so an owner who only made follow-ups still has a line."""
    done = activity or _Activity()
    labels = _label_of([*(key(r) for r in followed), *done.lines,
                        *(key(r) for r in done.overdue)])
    tallies: dict[str, Group] = {}

    def tally(value: str | None) -> Group:
        k = fold(value) if value and value.strip() else ""
        return tallies.setdefault(k, Group(labels.get(k)))

    for r in followed:
        t = tally(key(r))
        t.prospects += 1
        t.quotes += _reached_quote(r, span.end)
    for r in won:
        t = tally(key(r))
        t.won += 1
        t.revenue += r.prospect.amount or Decimal(0)
    for r in lost:
        tally(key(r)).lost += 1
    for r in done.overdue:
        tally(key(r)).overdue += 1
    for r in done.abandoned:
        tally(key(r)).abandoned += 1
    for who in done.lines:
        tally(who).followups += 1
    for who in done.created:
        tally(who).created += 1
    for who in done.meetings:
        tally(who).meetings += 1
    groups = list(tallies.values())
    for group in groups:
        group.revenue = cents(group.revenue)
    return sorted(groups, key=lambda g: (not g.named, -g.prospects, -g.revenue,
                                         fold(g.label or "")))


def _months(dated: Sequence[_Row], won: Sequence[_Row], lost: Sequence[_Row],
            span: Period) -> list[Month]:
    """Each month of the period, cut to the period: the sums of the months are the
    period's own figures."""
    months = []
    first = date(span.start.year, span.start.month, 1)
    while first <= span.end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        start, end = max(first, span.start), min(following - timedelta(days=1), span.end)
        inside = Period(start, end)
        months.append(Month(
            first, end,
            entered=sum(1 for r in dated if r.entered in inside),
            won=sum(1 for r in won if r.decided in inside),
            lost=sum(1 for r in lost if r.decided in inside),
            active=sum(1 for r in dated if r.entered <= end  # type: ignore[operator]
                       and not r.closed_by(end)),
            without_followup=sum(1 for r in dated if r.entered in inside and not r.closed
                                 and r.prospect.next_followup is None),
            without_owner=sum(1 for r in dated if r.entered in inside
                              and not (r.prospect.owner or "").strip()),
        ))
        first = following
    return months


def _counted(values: Iterable[str | None]) -> list[tuple[str | None, int]]:
    """Lost reasons counted, spelled as first written, the most frequent first; None
    (no reason given) last."""
    items = list(values)
    labels = _label_of(items)
    counts: dict[str, int] = {}
    for value in items:
        key = fold(value) if value and value.strip() else ""
        counts[key] = counts.get(key, 0) + 1
    named: list[tuple[str | None, int]] = sorted(
        ((labels[k], n) for k, n in counts.items() if k),
        key=lambda item: (-item[1], fold(item[0] or "")))
    return named + ([(None, counts[""])] if "" in counts else [])
