"""The follow-ups of a period, and the weekly routine, as an iCalendar (.ics) file.

Pure: events and bytes out of plain values, "today" given, never the clock. icalendar
is imported inside the function that needs it, so that no other command pays for it.

An agenda file is imported again and again (every Monday, after every change): each
event's UID is derived from the workbook's name, the prospect and the planned date, so
that a new import updates the events already in the calendar instead of duplicating
them, and SEQUENCE grows with "today" so that the newest export wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from relances.core.cadence import DECISION
from relances.core.model import Prospect
from relances.text.parsing import fold, join_contact
from relances.text.show import format_amount, format_date, format_percent

if TYPE_CHECKING:
    from relances.core.routine import Item


@dataclass(frozen=True)
class _ZoneRule:
    """A zone's yearly daylight-saving rule: (month, nth Sunday, -1 the last, hour)."""

    standard: int
    """Hours from UTC in winter; summer is one more."""
    names: tuple[str, str]
    summer_starts: tuple[int, int, int]
    summer_ends: tuple[int, int, int]


_EUROPE = _ZoneRule(1, ("CET", "CEST"), (3, -1, 2), (10, -1, 3))
_ZONE_RULES = {
    "Europe/Paris": _EUROPE, "Europe/Brussels": _EUROPE, "Europe/Luxembourg": _EUROPE,
    "Europe/Zurich": _EUROPE,
    "America/Toronto": _ZoneRule(-5, ("EST", "EDT"), (3, 2, 2), (11, 1, 2)),
}

FOLLOWUP_MINUTES = 15
ALARM_MINUTES = 15
PRODID = "-//relances//Agenda des relances//FR"
_SEQUENCE_EPOCH = date(2000, 1, 1)


@dataclass(frozen=True)
class AgendaEvent:
    """One event, in the local wall-clock time of the calendar's time zone."""

    uid: str
    summary: str
    description: str
    start: datetime
    """Naive: the time zone is the calendar's."""
    minutes: int
    weekly_on: str | None = None
    """"MO", "FR"…: the event repeats every week on that day."""
    overdue: bool = False


def agenda_filename(today: date) -> str:
    """relances-semaine-04.ics: the ISO week, as French calendars number weeks."""
    return f"relances-semaine-{today.isocalendar().week:02d}.ics"


def followup_events(book: str, overdue: Sequence[Item], due: Sequence[Item], at: time,
                    first_day: date) -> list[AgendaEvent]:
    """One event per follow-up, back to back from "Heure des relances".

    Overdue follow-ups are placed on `first_day` (the first working day from today)
    before that day's own ones; within a day the order is the one given (the week's
    priority), so the calls of a morning follow each other instead of overlapping.
    """
    placed = [(first_day, item, True) for item in overdue]
    placed += [(item.prospect.next_followup, item, False) for item in due
               if item.prospect.next_followup is not None]
    placed.sort(key=lambda entry: entry[0])
    slots: dict[date, int] = {}
    events = []
    for day, item, late in placed:
        slot = slots.get(day, 0)
        slots[day] = slot + 1
        planned = item.prospect.next_followup
        assert planned is not None
        start = datetime.combine(day, at) + timedelta(minutes=slot * FOLLOWUP_MINUTES)
        events.append(AgendaEvent(
            uid=followup_uid(book, item.prospect, planned), summary=followup_summary(item),
            description=followup_description(item, late), start=start,
            minutes=FOLLOWUP_MINUTES, overdue=late))
    return events


def followup_uid(book: str, prospect: Prospect, planned: date) -> str:
    """Stable per workbook, prospect and planned date (the date in the workbook, not the
    day an overdue follow-up is placed on: tomorrow's export moves it, it does not add one)."""
    who = f"id:{prospect.id}" if prospect.id is not None else f"nom:{fold(prospect.name)}"
    return _uid(book, who, planned.isoformat())


def _uid(book: str, *parts: str) -> str:
    # The file name, not its folder: moving the workbook keeps the calendar's events.
    key = "\n".join((fold(book), *parts))
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@relances"


def followup_summary(item: Item) -> str:
    """"Relance Tel — Martin Menuiserie": what to do, then who."""
    p = item.prospect
    if p.action == DECISION or (not p.action and item.to_decide):
        return f"À décider — {p.name}"
    action = p.action or (item.step.action if item.step else None)
    return f"Relance {action} — {p.name}" if action else f"Relance — {p.name}"


def followup_description(item: Item, overdue: bool) -> str:
    """Everything needed to make the call without opening the workbook."""
    p = item.prospect
    lines = []
    if overdue and p.next_followup is not None:
        lines.append(f"En retard : prévue le {format_date(p.next_followup)}.")
    status = p.status.value if p.status else "Prospect"
    lines.append(f"Statut : {status}" + (f" ({item.step_label})" if item.step_label else ""))
    if p.project:
        lines.append(f"Projet : {p.project}")
    contact = " — ".join(part for part in (p.interlocutor, join_contact(p.email, p.phone))
                         if part)
    if contact:
        lines.append(f"Contact : {contact}")
    if p.amount is not None:
        chance = f" (probabilité {format_percent(p.probability)})" \
            if p.probability is not None else ""
        lines.append(f"Montant estimé : {format_amount(p.amount)}{chance}")
    if item.advice:
        lines.append(f"Conseil : {item.advice}")
    if p.alert:
        lines.append(f"Alerte : {p.alert}")
    if p.history:
        lines.append(f"Dernier échange : {p.history.splitlines()[0]}")
    if p.owner:
        lines.append(f"Responsable : {p.owner}")
    who = str(p.id) if p.id is not None else f'"{p.name}"'
    lines.append(f"Après l'échange : relances maj {who}")
    return "\n".join(lines)


_ROUTINE = (
    # weekday, RRULE day, start, minutes, summary, description
    (0, "MO", time(9, 0), 15, "Mise à jour du suivi",
     "Routine du lundi : noter les échanges oubliés (relances maj), puis voir la "
     "semaine (relances semaine) et exporter l'agenda (relances agenda)."),
    (4, "FR", time(17, 0), 30, "Revue de la semaine",
     "Revue du vendredi : relances faites, prochaines relances planifiées, prospects "
     "chauds, dormants et zombies à trancher (relances semaine)."),
)
"""The workflow's blocks against forgetting the update: Monday 9:00, Friday 17:00."""


def routine_events(book: str, today: date) -> list[AgendaEvent]:
    """The two weekly blocks, from their next occurrence; one UID each per workbook."""
    events = []
    for weekday, byday, at, minutes, summary, description in _ROUTINE:
        day = today + timedelta(days=(weekday - today.weekday()) % 7)
        events.append(AgendaEvent(_uid(book, f"routine:{byday}"), summary, description,
                                  datetime.combine(day, at), minutes, weekly_on=byday))
    return events


def calendar_bytes(events: Sequence[AgendaEvent], tzid: str, today: date) -> bytes:
    """The .ics file: the events in `tzid`, its VTIMEZONE, a display alarm for each.

    DTSTAMP is today at midnight UTC and SEQUENCE the number of days since 2000, both
    from "today", never the clock: the same day gives the same file, a later day wins.
    """
    from zoneinfo import ZoneInfo

    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(tzid)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    rules = _rule_timezone(tzid, range(today.year, today.year + 3))
    if rules is not None:
        calendar.add_component(rules)
    stamp = datetime.combine(today, time(0), tzinfo=UTC)
    sequence = max(0, (today - _SEQUENCE_EPOCH).days)
    for entry in events:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", entry.start.replace(tzinfo=zone))
        event.add("dtend", (entry.start + timedelta(minutes=entry.minutes)).replace(tzinfo=zone))
        if entry.weekly_on:
            event.add("rrule", {"freq": "weekly", "byday": entry.weekly_on})
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("categories", ["Relances"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", timedelta(minutes=-ALARM_MINUTES))
        event.add_component(alarm)
        calendar.add_component(event)
    first = min((e.start.date() for e in events), default=today)
    # Only when the rules above no longer match the tz database: its exact transitions.
    calendar.add_missing_timezones(first_date=min(first, today) - timedelta(days=1),
                                   last_date=date(first.year + 12, 1, 1))
    return calendar.to_ical()


def _rule_timezone(tzid: str, years: range) -> Any | None:
    """The VTIMEZONE as Outlook and Google write it: one yearly RRULE each way.

    icalendar's own VTIMEZONE lists each transition as an RDATE, which Outlook misreads
    (summer events an hour off, a weekly event crossing the change shifted): see
    iCalcreator issues 86 and 106. The rule is checked day by day against the tz
    database for the coming years; None (use the database's transitions) if it differs.
    """
    from zoneinfo import ZoneInfo

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    rule = _ZONE_RULES.get(tzid)
    if rule is None or not _rule_matches(ZoneInfo(tzid), rule, years):
        return None
    winter, summer = timedelta(hours=rule.standard), timedelta(hours=rule.standard + 1)
    timezone = Timezone()
    timezone.add("tzid", tzid)
    for kind, (month, nth, hour), before, after, name in (
            (TimezoneDaylight, rule.summer_starts, winter, summer, rule.names[1]),
            (TimezoneStandard, rule.summer_ends, summer, winter, rule.names[0])):
        part = kind()
        part.add("dtstart", datetime.combine(_sunday(1970, month, nth), time(hour)))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": f"{nth}SU"})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", name)
        timezone.add_component(part)
    return timezone


def _rule_matches(zone: Any, rule: _ZoneRule, years: range) -> bool:
    for year in years:
        starts = _sunday(year, *rule.summer_starts[:2])
        ends = _sunday(year, *rule.summer_ends[:2])
        day = date(year, 1, 1)
        while day.year == year:
            summer = starts <= day < ends
            expected = timedelta(hours=rule.standard + summer)
            if datetime.combine(day, time(12), zone).utcoffset() != expected:
                return False
            day += timedelta(days=1)
    return True


def _sunday(year: int, month: int, nth: int) -> date:
    """The nth Sunday of the month; -1 the last one."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)
