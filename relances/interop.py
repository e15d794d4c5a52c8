"""Exchanges with other programs: the agenda (the follow-ups as an iCalendar file), the
import of prospects from other files and the export to CSV, HubSpot and Pipedrive.

The builders are pure (plain values in, events or bytes out, no clock); the only file
access is the atomic write of what they produced. icalendar is imported inside the
function that needs it, so that no other command pays for it.

An agenda file is imported again and again (every Monday, after every change): each
event's UID is derived from the workbook's name, the prospect and the planned date, so
that a new import updates the events already in the calendar instead of duplicating
them, and SEQUENCE grows with "today" so that the newest export wins.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core.cadence import DECISION
from relances.core.errors import InvalidInput
from relances.core.model import Problem, Prospect, Rule, Settings, Status
from relances.text.parsing import (
    ParseError,
    check_email,
    fold,
    join_contact,
    normalize,
    normalize_phone,
    parse_amount,
    parse_date,
    parse_int,
    parse_probability,
    split_contact,
)
from relances.text.show import format_amount, format_date, format_percent

if TYPE_CHECKING:
    from relances.core.routine import Item
    from relances.core.workdays import WorkCalendar

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
    advice = "Clôturer ou tenter une dernière relance personnalisée" if item.to_decide \
        else item.step.advice if item.step else None
    if advice:
        lines.append(f"Conseil : {advice}")
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


# =========================================================================== import
#
# `relances importer` reads a file made elsewhere (a CSV saved by a French Excel, another
# tracker, an export of HubSpot or Pipedrive) and turns each row into what the tracker
# would hold. Everything here is pure except `read_source`, which reads the file: the
# decisions (which header is which field, what a value means, whether a row is new, adds
# to a prospect already there, or contradicts it) are plain functions of plain values.

IGNORE = "ignore"
"""The field of a column the user asked to skip with --colonne "En-tête=Ignorer"."""

_MAX_SOURCE_UNCOMPRESSED = 1 << 30
_PERSON_NAMES = frozenset({"nom", "name", "nomdefamille", "lastname", "surname", "familyname"})

# Headers of other tools, normalised, mapped to (field, priority): when several columns
# give the same field, the lowest priority that holds a value wins (a Pipedrive "won"
# status beats the stage the deal was won in; a deal owner beats a contact owner).
# They are tried before the tracker's own synonyms (schema), which cover French files.
_FOREIGN_HEADERS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("prenom", "firstname", "givenname", "personfirstname"), ("first_name", 1)),
    **dict.fromkeys(("nomdefamille", "lastname", "surname", "familyname", "personlastname"),
                    ("last_name", 1)),
    **dict.fromkeys(("civilite", "salutation"), ("civility", 1)),
    **dict.fromkeys(("personname", "contactname", "nomducontact", "contactperson",
                     "personnecontact"), ("person", 1)),
    **dict.fromkeys(("companyname", "organizationname", "organisationname", "organization",
                     "nomdelentreprise", "nomdelasociete", "accountname", "associatedcompany",
                     "compagnie"), ("name", 1)),
    **dict.fromkeys(("dealtitle", "dealname", "opportunityname", "nomdelaffaire",
                     "nomdelatransaction"), ("title", 1)),
    **dict.fromkeys(("dealvalue", "dealamount", "montantdelaffaire", "montantdelatransaction"),
                    ("amount", 1)),
    **dict.fromkeys(("dealcurrency", "currency", "devise", "monnaie"), ("currency", 1)),
    "dealstatus": ("status", 0),
    **dict.fromkeys(("dealstage", "stage", "pipelinestage", "phase", "phasedelatransaction",
                     "etapedelatransaction"), ("status", 1)),
    **dict.fromkeys(("lifecyclestage", "phasedecycledevie"), ("status", 2)),
    **dict.fromkeys(("leadstatus", "statutduprospect", "statutdulead"), ("status", 3)),
    **dict.fromkeys(("dealexpectedclosedate", "expectedclosedate", "closedate", "closingdate",
                     "datedecloture", "datedefermeture", "datedesignature", "dealclosetime",
                     "dealdealclosedon", "dealwontime", "deallosttime"), ("close_date", 1)),
    **dict.fromkeys(("dealprobability", "winprobability", "probabilitedegain"),
                    ("probability", 1)),
    "dealowner": ("owner", 0), "proprietairedelatransaction": ("owner", 0),
    **dict.fromkeys(("contactowner", "personowner", "hubspotowner", "proprietaire",
                     "proprietaireducontact"), ("owner", 1)),
    **dict.fromkeys(("companyowner", "organizationowner"), ("owner", 2)),
    **dict.fromkeys(("personemail", "personemailwork", "personemailhome", "personemailother",
                     "emailaddress", "workemail", "adresseelectronique"), ("email", 1)),
    **dict.fromkeys(("personphone", "personphonework", "personphonemobile", "personphonehome",
                     "personphoneother", "phonenumber", "mobilephonenumber", "mobilephone",
                     "workphone", "telephonemobile", "telephonefixe", "telephoneportable"),
                    ("phone", 1)),
    **dict.fromkeys(("dealaddtime", "dealdealcreated", "dealcreated", "createdate", "createdat",
                     "creationdate", "personaddtime", "dateajout", "datedajout"),
                    ("first_contact", 1)),
    **dict.fromkeys(("deallastactivitydate", "lastactivitydate", "lastcontacted",
                     "lastactivity", "dealupdatetime"), ("last_contact", 1)),
    **dict.fromkeys(("dealnextactivitydate", "nextactivitydate", "activityduedate",
                     "prochaineactivite"), ("next_followup", 1)),
    **dict.fromkeys(("activitytype",), ("action", 1)),
    **dict.fromkeys(("deallostreason", "lostreason", "closedlostreason", "raisondelaperte"),
                    ("lost_reason", 1)),
    **dict.fromkeys(("originalsource", "dealsource", "dealsourcechannel", "dealsourceorigin",
                     "sourcedorigine"), ("source", 1)),
    **dict.fromkeys(("dealdescription", "notecontent", "dealnotes"), ("notes", 1)),
}

_FIELD_WORDS: dict[str, str] = {
    "prenom": "first_name", "nomdefamille": "last_name", "civilite": "civility",
    "personne": "person", "titre": "title", "affaire": "title", "transaction": "title",
    "datecloture": "close_date", "datedecloture": "close_date", "cloture": "close_date",
    "devise": "currency", "ignorer": IGNORE, "aucun": IGNORE, "rien": IGNORE,
}
"""Field names accepted by --colonne besides the tracker's headers and their synonyms."""

_EXTRA_FIELD_LABELS = {
    "first_name": "Prénom", "last_name": "Nom de famille", "civility": "Civilité",
    "person": "Personne", "title": "Titre de l'affaire", "close_date": "Date de clôture",
    "currency": "Devise",
}

_STATUS_WORDS: dict[str, Status | None] = {
    # None: the column says nothing about the stage ("open" in Pipedrive's Deal - Status),
    # so the next status column decides.
    "open": None, "ouvert": None, "ouverte": None, "encours": None, "other": None,
    "autre": None,
    **dict.fromkeys(("new", "lead", "nouveau", "nouvelle", "acontacter", "inprogress",
                     "attemptedtocontact", "connected", "qualified", "contactmade",
                     "demoscheduled", "appointmentscheduled", "qualifiedtobuy", "subscriber",
                     "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "opendeal",
                     "premiercontact", "prisedecontact", "qualifie",
                     "contacte", "arelancer", "rdv", "rendezvous", "rdvprogramme",
                     "opportunite", "abonne", "piste"), Status.PROSPECT),
    **dict.fromkeys(("proposition", "devis", "proposalmade", "proposal", "quotesent",
                     "presentationscheduled", "offre", "offreenvoyee", "devisenvoye",
                     "propositionenvoyee", "propositioncommerciale"), Status.QUOTE_SENT),
    **dict.fromkeys(("nego", "negociation", "negotiation", "negotiationsstarted",
                     "decisionmakerboughtin", "contractsent", "contratenvoye", "ennegociation",
                     "negociationencours"), Status.NEGOTIATION),
    **dict.fromkeys(("client", "clients", "won", "closedwon", "customer", "evangelist", "gagne",
                     "gagnee", "signe", "signee", "conclu", "conclue", "dealwon"), Status.WON),
    **dict.fromkeys(("perdu", "perdue", "lost", "closedlost", "unqualified", "badtiming",
                     "notinterested", "pasinteresse", "inactif", "inactive", "abandonne",
                     "abandonnee", "deallost", "disqualified", "nonqualifie"),
                    Status.LOST),
}

_ACTION_WORDS = {"call": "Tel", "phonecall": "Tel", "meeting": "RDV", "lunch": "RDV",
                 "email": "Email", "task": "Tâche", "deadline": "Échéance"}
_EUROS = frozenset({"eur", "euro", "euros", ""})
"""Normalised: "€" normalises to nothing."""
_ISO_STAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE)
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")
"""The quote `exporter` (or another careful tool) put before a formula-like text."""
_CLOSE_NOTE = "Clôture prévue : "
_SEPARATORS = {";": "« ; »", ",": "« , »", "\t": "tabulation"}


@dataclass(frozen=True)
class Column:
    """One column of the source: its header as written and the field it feeds."""

    index: int
    header: str
    field: str
    priority: int = 1


@dataclass
class SourceSheet:
    """The table found in the source file: where its header is and what each column means."""

    path: Path
    label: str
    """How problems name the source: "clients.csv" or "clients.xlsx, feuille Contacts"."""
    detail: str
    """What was detected, for the user: "CSV, séparateur « ; », encodage Windows-1252"."""
    rows: list[list[Any]]
    header_row: int
    """0-based index of the header row in `rows`."""
    columns: list[Column]
    ignored: list[str]
    """Headers of columns that feed no field, as written."""


def parse_column_options(options: Sequence[str]) -> list[tuple[str, str]]:
    """--colonne "En-tête=champ" → (header, field); every option is checked before reading."""
    from relances.core import schema

    keys = {normalize(key): key for key in (*schema.COLUMN_BY_KEY, *_EXTRA_FIELD_LABELS)}
    pairs = []
    for option in options:
        header, equal, word = option.rpartition("=")
        if not equal or not header.strip() or not word.strip():
            raise InvalidInput(
                f"--colonne : « {option} » doit avoir la forme \"En-tête=champ\", par exemple "
                "--colonne \"Raison sociale=Nom\" ou --colonne \"Ville=Ignorer\".")
        found = normalize(word)
        column = schema.column_for_header(word)
        field = _FIELD_WORDS.get(found) or (column.key if column else None) or keys.get(found)
        if field in ("id", *schema.FORMULA_KEYS):
            raise InvalidInput(
                f"--colonne : « {word.strip()} » est calculé par relances (ID, Délai, CA "
                "pondéré) et ne s'importe pas : choisissez un autre champ ou Ignorer.")
        if field is None:
            raise InvalidInput(
                f"--colonne : « {word.strip()} » n'est pas un champ du suivi. Champs possibles : "
                f"{', '.join(_field_choices())}, ou Ignorer.")
        pairs.append((header.strip(), field))
    return pairs


def _field_choices() -> list[str]:
    from relances.core import schema

    headers = [c.header for c in schema.COLUMNS
               if c.key not in ("id", "contact", *schema.FORMULA_KEYS)]
    return [*headers, *_EXTRA_FIELD_LABELS.values()]


def field_label(field: str) -> str:
    """The French name of a field, as a tracker header says it."""
    from relances.core import schema

    column = schema.COLUMN_BY_KEY.get(field)
    return column.header if column else _EXTRA_FIELD_LABELS.get(field, field)


def map_columns(values: Sequence[Any], overrides: Sequence[tuple[str, str]] = ()) -> tuple[
        list[Column], list[str], set[str]]:
    """Which field each header feeds; also the unmapped headers and the overrides found.

    A bare "Nom" next to a "Prénom", or next to a company column, is the person's last
    name (the classic CRM table: Nom, Prénom, Entreprise): the prospect is the company.
    """
    from relances.core import schema

    wanted = {normalize(header): field for header, field in overrides}
    columns: list[Column] = []
    ignored: list[str] = []
    found: set[str] = set()
    for index, value in enumerate(values):
        header = _cell_text(value)
        if header is None:
            continue
        key = normalize(header)
        if key in wanted:
            found.add(key)
            if wanted[key] != IGNORE:
                columns.append(Column(index, header, wanted[key], -1))
            continue
        if key in _FOREIGN_HEADERS:
            field, priority = _FOREIGN_HEADERS[key]
            columns.append(Column(index, header, field, priority))
            continue
        column = schema.column_for_header(header)
        if column is not None and column.key in schema.FORMULA_KEYS:
            continue  # Délai, CA pondéré: recomputed by the tracker's own formulas
        if column is None or column.key == "id":
            ignored.append(header)
        else:
            columns.append(Column(index, header, column.key))
    fields = [c.field for c in columns]
    names = [c for c in columns if c.field == "name"]
    companies = [c for c in names if normalize(c.header) not in _PERSON_NAMES]
    if "first_name" in fields or (companies and len(names) > len(companies)):
        columns = [dataclasses.replace(c, field="last_name")
                   if c.field == "name" and c.priority >= 0
                   and normalize(c.header) in _PERSON_NAMES else c for c in columns]
    return columns, ignored, found


def _usable(columns: Sequence[Column], first: bool) -> bool:
    """A header row names the prospect somehow and has at least one other known column;
    a first row naming the prospect alone is the header of a plain list of names."""
    fields = {c.field for c in columns}
    return bool(fields & {"name", "first_name", "last_name", "person", "title"}) \
        and (len(columns) >= 2 or first)


def read_source(path: Path, sheet: str | None = None,
                overrides: Sequence[tuple[str, str]] = ()) -> SourceSheet:
    """Read the table to import: CSV in any usual dialect, or a sheet of a workbook."""
    if not path.exists():
        raise InvalidInput(f"Le fichier à importer « {path} » n'existe pas : vérifiez le nom "
                           "et le dossier.")
    if path.is_dir():
        raise InvalidInput(f"« {path} » est un dossier : indiquez le fichier à importer.")
    data = path.read_bytes()
    spreadsheet = data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    if not spreadsheet and path.suffix.lower() not in (".csv", ".txt", ".tsv", ""):
        raise InvalidInput(
            f"« {path.name} » n'est ni un CSV ni un classeur : relances importe les fichiers "
            ".csv, .xlsx, .xls et .ods. Enregistrez-le dans l'un de ces formats.")
    if spreadsheet:
        return _read_workbook(path, data, sheet, overrides)
    if sheet is not None:
        raise InvalidInput(f"--feuille : « {path.name} » est un fichier CSV, qui n'a qu'une "
                           "feuille : retirez --feuille.")
    text, encoding = _decode(path, data)
    rows, delimiter = _csv_rows(text)
    detail = f"CSV, séparateur {_SEPARATORS[delimiter]}, encodage {encoding}"
    found = _find_header(rows, overrides)
    if found is None:
        raise _no_header(path.name, overrides)
    return SourceSheet(path, path.name, detail, rows, *found)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """French Excel saves "CSV (séparateur : point-virgule)" in Windows-1252; "CSV UTF-8"
    with a BOM; "Texte Unicode" in UTF-16. Anything else that is valid UTF-8 is UTF-8."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "UTF-8 (avec BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if b"\x00" in data:
        raise InvalidInput(f"« {path.name} » n'est pas un fichier texte CSV : ouvrez-le dans "
                           "Excel ou LibreOffice et enregistrez-le au format CSV ou .xlsx.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def _csv_rows(text: str) -> tuple[list[list[Any]], str]:
    """Sniff the delimiter among ; , and tab (Excel's "sep=;" first line wins), then read."""
    import csv

    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    hint = re.fullmatch(r'"?sep=(.)"?', first.strip(), re.IGNORECASE)
    if hint and hint[1] in _SEPARATORS:
        delimiter = hint[1]
        text = text[text.index(first) + len(first):].lstrip("\r\n")
    else:
        delimiter = _sniff(text, first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows = [[cell.strip() or None for cell in row] for row in reader]
    return rows, delimiter


def _sniff(text: str, first: str) -> str:
    """csv.Sniffer weighs every line; the header line decides when the sniffer hesitates
    or picks a character the header does not even contain."""
    import csv

    counts = {d: first.count(d) for d in _SEPARATORS}
    try:
        sniffed = csv.Sniffer().sniff("\n".join(text.splitlines()[:50]), delimiters=";,\t")
        delimiter = sniffed.delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in counts or counts[delimiter] == 0:
        delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    return delimiter


def _read_workbook(path: Path, data: bytes, sheet: str | None,
                   overrides: Sequence[tuple[str, str]]) -> SourceSheet:
    """.xlsx, .xls, .ods (python-calamine reads them all): the chosen or first usable sheet."""
    from python_calamine import CalamineError, CalamineWorkbook

    _check_zip(path, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [m.name for m in book.sheets_metadata if "Visible" in str(m.visible)]
        names = list(book.sheet_names)
        if sheet is not None:
            chosen = [n for n in names if fold(n) == fold(sheet)]
            if not chosen:
                raise InvalidInput(
                    f"--feuille : « {path.name} » n'a pas de feuille « {sheet} » ; ses "
                    f"feuilles : {', '.join(f'« {n} »' for n in names)}.")
            candidates = chosen
        else:
            candidates = [n for n in names if n in visible] or names
        kind = {b"PK": "classeur Excel"}.get(data[:2], "classeur Excel ancien format (.xls)")
        if b"opendocument" in data[:100]:
            kind = "classeur LibreOffice (.ods)"
        for name in candidates:
            rows = _sheet_rows(book.get_sheet_by_name(name))
            found = _find_header(rows, overrides)
            if found is not None:
                label = f"{path.name}, feuille {name}" if len(names) > 1 else path.name
                return SourceSheet(path, label, kind, rows, *found)
    except CalamineError as error:
        raise InvalidInput(f"« {path.name} » est endommagé ou protégé par un mot de passe et ne "
                           "peut pas être lu : ouvrez-le dans Excel ou LibreOffice et "
                           "enregistrez-en une copie sans mot de passe.") from error
    where = f"la feuille « {candidates[0]} » de « {path.name} »" if sheet is not None \
        else f"aucune feuille de « {path.name} »"
    raise _no_header(path.name, overrides, where)


def _check_zip(path: Path, data: bytes) -> None:
    """A workbook that unpacks to gigabytes is an attack, not a list of prospects."""
    import zipfile

    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # calamine says it is damaged, in its own words
    if total > _MAX_SOURCE_UNCOMPRESSED:
        raise InvalidInput(f"« {path.name} » se décompresse en un volume anormal : relances ne "
                           "l'importera pas.")


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    """'' is an empty cell; 140.0 is the 140 the user typed (a phone typed as a number too)."""
    return [[None if v == "" else int(v) if isinstance(v, float) and v.is_integer() else v
             for v in row] for row in sheet.to_python(skip_empty_area=False)]


def _find_header(rows: Sequence[Sequence[Any]], overrides: Sequence[tuple[str, str]]) -> tuple[
        int, list[Column], list[str]] | None:
    """The header among the first rows: exports and hand-made lists often have a title above."""
    filled = [i for i, values in enumerate(rows[:10]) if any(v is not None for v in values)]
    for index, values in enumerate(rows[:10]):
        columns, ignored, found = map_columns(values, overrides)
        if _usable(columns, bool(filled) and index == filled[0]):
            missing = [h for h, _ in overrides if normalize(h) not in found]
            if missing:
                headers = ", ".join(f"« {h} »" for v in values if (h := _cell_text(v)))
                raise InvalidInput(
                    f"--colonne : « {missing[0]} » n'est pas un en-tête du fichier. En-têtes "
                    f"trouvés : {headers}.")
            return index, columns, ignored
    return None


def _no_header(name: str, overrides: Sequence[tuple[str, str]],
               where: str | None = None) -> InvalidInput:
    where = where or f"« {name} »"
    return InvalidInput(
        f"Pas de ligne d'en-tête reconnaissable dans {where} : il faut une colonne qui nomme le "
        "prospect (« Nom », « Entreprise », « Société », « Prénom »…) et une autre colonne "
        "connue (« Email », « Statut », « Montant »…) sur une même ligne, parmi les 10 "
        "premières. Sinon, indiquez les colonnes avec --colonne \"En-tête=champ\" (par "
        "exemple --colonne \"Raison soc.=Nom\").")


# --------------------------------------------------------------------------- import: rows


@dataclass
class SourceRow:
    """One data row of the source, read: the values it gives, or why it cannot be used."""

    line: int
    """1-based row number, as a spreadsheet shows it."""
    values: dict[str, Any]
    """Prospect field -> value, only for what the row gives."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    nameless: bool = False
    """The only problem is the missing name: the row may still complete a prospect known
    by its email."""


def read_rows(source: SourceSheet, today: date, country: str) -> list[SourceRow]:
    """Every data row below the header, read with the tracker's own tolerant parsers.

    Rows with nothing in a known column are skipped silently (a blank line, a footer).
    """
    by_field: dict[str, list[Column]] = {}
    for column in sorted(source.columns, key=lambda c: (c.priority, c.index)):
        by_field.setdefault(column.field, []).append(column)
    rows = []
    for index in range(source.header_row + 1, len(source.rows)):
        row = _read_row(source, index, by_field, today, country)
        if row is not None:
            rows.append(row)
    return rows


def _read_row(source: SourceSheet, index: int, by_field: dict[str, list[Column]], today: date,
              country: str) -> SourceRow | None:
    cells = source.rows[index]
    row = SourceRow(index + 1, {})

    def raw(column: Column) -> Any:
        value = cells[column.index] if column.index < len(cells) else None
        if isinstance(value, str):
            value = _NEUTRALISED.sub("", value.strip(), count=1) if value.strip() else None
        return value

    if all(raw(c) is None for columns in by_field.values() for c in columns):
        return None

    def problem(column: Column, message: str, warning: bool = False) -> None:
        entry = Problem(source.label, row.line, column.header, message)
        (row.warnings if warning else row.problems).append(entry)

    given: dict[str, tuple[Any, Column]] = {}
    for field_name, columns in by_field.items():
        for column in columns:
            value = raw(column)
            if value is None:
                continue
            try:
                parsed = _read_value(field_name, value, today)
            except ParseError as error:
                problem(column, str(error))
                break
            if parsed is None and field_name == "status":
                continue  # "open": the next status column decides
            given[field_name] = (parsed, column)
            break
    values = {key: value for key, (value, _) in given.items()}
    if "currency" in given and "amount" in values:
        currency, column = given["currency"]
        if normalize(str(currency)) not in _EUROS:
            problem(column, f"montant en « {currency} » : relances compte en euros ; convertissez "
                    "le montant, ou ignorez la colonne avec --colonne")
    if given.keys() & {"contact", "email", "phone"}:
        _read_contacts(given, values, country, problem)
    _compose(values, given)
    if values.get("name") is None and not row.problems:
        row.nameless = True
        row.problems.append(Problem(
            source.label, row.line, None,
            "aucun nom : ni nom, ni entreprise, ni prénom, ni affaire dans cette ligne, "
            "ni email d'un prospect connu"))
    for key in ("first_name", "last_name", "civility", "person", "title", "currency",
                "close_date", "contact"):
        values.pop(key, None)
    order = _field_order()
    row.values = {key: values[key] for key in sorted(values, key=order.index)
                  if values[key] is not None}
    return row


@functools.cache
def _field_order() -> list[str]:
    """Fields in the tracker's column order, so reports list them as the sheet does."""
    from relances.core import schema

    keys = [c.key for c in schema.COLUMNS if c.key not in ("email", "phone")]
    at = keys.index("contact") + 1
    return [*keys[:at], "email", "phone", *keys[at:]]


def _read_value(field_name: str, value: Any, today: date) -> Any:
    """One cell, read by the kind of its field."""
    from relances.core import schema

    kind = schema.COLUMN_BY_KEY[field_name].kind if field_name in schema.COLUMN_BY_KEY \
        else "date" if field_name == "close_date" else "text"
    if isinstance(value, bool) and kind not in ("text", "contact", "email", "phone"):
        raise ParseError(f"« {'VRAI' if value else 'FAUX'} » n'est pas une valeur attendue ici")
    if kind == "date":
        return _date_text(value.strip(), today) if isinstance(value, str) \
            else parse_date(value, today)
    if kind == "amount":
        return parse_amount(value)
    if kind == "percent":
        return parse_probability(value)
    if kind == "int":
        return parse_int(value)
    if kind == "status":
        return parse_import_status(value)
    text = _cell_text(value)
    if field_name == "action" and text is not None:
        return _ACTION_WORDS.get(normalize(text)) or schema.parse_action(text)
    return text


@functools.lru_cache(maxsize=4096)
def _date_text(text: str, today: date) -> date | None:
    """Exports repeat the same few hundred dates: each text is read once. A time of day
    (HubSpot and Pipedrive write "2026-01-10 14:32:00") is dropped."""
    stamp = _ISO_STAMP.fullmatch(text)
    return parse_date(stamp[1] if stamp else text, today)


def parse_import_status(value: Any) -> Status | None:
    """The tracker's statuses and their synonyms, plus HubSpot's and Pipedrive's stages.

    None for a value that says nothing about the stage (Pipedrive's "open"); a value that
    maps to nothing raises ParseError: a status is never guessed."""
    from relances.core import schema

    text = _cell_text(value) or ""
    key = normalize(text)
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    return schema.parse_status(text)


def _read_contacts(given: dict[str, tuple[Any, Column]], values: dict[str, Any], country: str,
                   problem: Callable[..., None]) -> None:
    """Emails are checked for shape (a row with a broken one is not imported: the email is
    how the next import recognises the prospect); phones are written the tracker's way, or
    kept as typed, with a warning, when they do not read as a number of the country."""
    found: dict[str, tuple[str, Column]] = {}
    if "contact" in given:
        value, column = given["contact"]
        text = _cell_text(value) or ""
        email, phone = split_contact(text)
        if email is None and "@" in text:
            email = next(word for word in text.split() if "@" in word)  # check_email says why
        if email is None and phone is None:
            problem(column, f"« {text} » : ni email ni téléphone reconnu, non importé",
                    warning=True)
        found.update({k: (v, column) for k, v in (("email", email), ("phone", phone)) if v})
    found.update({k: (_cell_text(given[k][0]) or "", given[k][1])
                  for k in ("email", "phone") if k in given})
    for key in ("contact", "email", "phone"):
        values.pop(key, None)
    if "email" in found:
        text, column = found["email"]
        try:
            values["email"] = check_email(re.split(r"[,;\s]+", text.strip())[0])
        except ParseError as error:
            problem(column, str(error))
    if "phone" in found:
        text, column = found["phone"]
        try:
            values["phone"] = normalize_phone(text, country)
        except ParseError as error:
            values["phone"] = " ".join(text.split())
            problem(column, f"{error} : gardé tel quel", warning=True)


def _compose(values: dict[str, Any], given: dict[str, tuple[Any, Column]]) -> None:
    """The prospect's name, its interlocutor, its project and the close date's place."""
    person = values.get("person") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part) or None
    civility = values.get("civility")
    title = values.get("title")
    name = values.get("name")
    if name is None:
        name = person or title
        if name == title:
            title = None
    elif person and "interlocutor" not in values:
        values["interlocutor"] = f"{civility} {person}" if civility else person
    if title and "project" not in values:
        for separator in (" — ", " - ", " – "):
            if name and title.startswith(f"{name}{separator}"):
                title = title[len(name) + len(separator):]
        values["project"] = title or None
    values["name"] = name
    close = values.get("close_date")
    if close is not None:
        status = values.get("status")
        if status in (Status.WON, Status.LOST):
            values.setdefault("status_since", close)
        else:
            line = f"{_CLOSE_NOTE}{format_date(close)}"
            notes = values.get("notes")
            values["notes"] = f"{notes}\n{line}" if notes else line


def _cell_text(value: Any) -> str | None:
    """What the cell shows: 612345678.0 is 612345678; a date is 27/01/2026."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = format_date(value)
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------- import: plan


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
                calendar: WorkCalendar, today: date) -> ImportPlan:
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
            target = _Target(None, values, row.line)
            new.append(target)
            index(target, values.get("email"), values["name"])
            continue
        filled = _merge(target, values, row.line, plan.conflicts)
        if not filled:
            plan.unchanged.append((row.line, target.name))
            continue
        plan.completed.append((row.line, target.name, [field_label(f) for f in filled]))
        if target.prospect is not None and not any(t is target for t in touched):
            target.line = row.line
            touched.append(target)
        index(target, values.get("email"), None)
    plan.additions = [(t.line, new_prospect(t.given, settings, rules, calendar, today))
                      for t in new]
    plan.completions = [(t.line, t.prospect, t.filled) for t in touched
                        if t.prospect is not None]
    plan.unplaced = [field_label(f) for f in sorted(given_fields - place)]
    return plan


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
            conflicts.append(Conflict(line, target.name, field_label(key), show_value(old),
                                      show_value(value), where))
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


def show_value(value: Any) -> str:
    """A value as the tracker shows it, on one line."""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, float):
        return format_percent(value)
    if isinstance(value, date):
        return format_date(value)
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def new_prospect(given: dict[str, Any], settings: Settings, rules: Sequence[Rule],
                 calendar: WorkCalendar, today: date) -> Prospect:
    """A row of the file as `ajouter` would have added it: the status's default probability,
    the cadence's next follow-up and action when the file gives none.

    Dates the file does not give stay empty (an import day is not a first contact); the
    status is counted from the close date of a won or lost deal, else from the last contact,
    else from today."""
    from relances.core.cadence import next_step

    values = dict(given)
    status = values.setdefault("status", Status.PROSPECT)
    values.setdefault("probability", settings.default_probability[status])
    last = values.get("last_contact")
    values.setdefault("first_contact", last)
    values.setdefault("status_since", last or values.get("first_contact") or today)
    values.setdefault("followups_done", 0)
    prospect = Prospect(**values)
    if prospect.next_followup is None:
        step = next_step(prospect, rules, settings, calendar, today)
        if step is not None:
            prospect = prospect.replace(next_followup=step.when,
                                        action=prospect.action or step.action)
    return prospect


# =========================================================================== export
#
# `relances exporter` writes Suivi as CSV: every column for a French Excel, or the
# columns and value shapes the importers of HubSpot and Pipedrive document. Pure
# builders (prospects in, rows of text out), then one atomic write.

EXPORT_FORMATS = {"csv": "CSV pour Excel", "hubspot": "HubSpot", "pipedrive": "Pipedrive"}

HUBSPOT_PIPELINE = "default"
HUBSPOT_STAGES = {
    Status.PROSPECT: "appointmentscheduled",
    Status.QUOTE_SENT: "presentationscheduled",
    Status.NEGOTIATION: "decisionmakerboughtin",
    Status.WON: "closedwon",
    Status.LOST: "closedlost",
}
"""Our statuses on HubSpot's default sales pipeline, in the same order (the stage's own
probability, 20/60/80/100/0 %, is HubSpot's: it does not import a deal's probability)."""

PIPEDRIVE_STAGES = {
    Status.QUOTE_SENT: "Proposal Made",
    Status.NEGOTIATION: "Negotiations Started",
    Status.WON: "Negotiations Started",
    Status.LOST: "Qualified",
}
"""Pipedrive's default pipeline; a Prospect is "Contact Made" once contacted, else
"Qualified"; won and lost deals also get Deal - Status won / lost."""

PIPEDRIVE_ACTIVITIES = {"Email": "Email", "Tel": "Call", "RDV": "Meeting", "Visite": "Meeting"}

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP's advice against CSV injection: a cell that a spreadsheet could take for a
    formula (=, +, -, @, tab, carriage return first) starts with a single quote."""
    return f"'{text}" if text.startswith(_DANGEROUS) else text


def export_filename(fmt: str, today: date) -> str:
    name = {"csv": "export"}.get(fmt, fmt)
    return f"relances-{name}-{today.isoformat()}.csv"


def export_table(fmt: str, prospects: Sequence[Prospect], columns: Sequence[str],
                 today: date) -> list[list[str]]:
    """The header, then one row a prospect, every cell already text."""
    if fmt == "hubspot":
        return [list(_HUBSPOT_HEADERS), *(_hubspot_row(p) for p in prospects)]
    if fmt == "pipedrive":
        return [list(_PIPEDRIVE_HEADERS), *(_pipedrive_row(p) for p in prospects)]
    return _tracker_table(prospects, columns, today)


def export_bytes(fmt: str, table: Sequence[Sequence[str]]) -> bytes:
    """French Excel opens a UTF-8 file right only with a BOM, and splits columns on ";";
    the CRMs' importers want plain UTF-8 with commas."""
    import csv

    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=";" if fmt == "csv" else ",", lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] for row in table)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    return stream.getvalue().encode(encoding)


def _tracker_table(prospects: Sequence[Prospect], columns: Sequence[str],
                   today: date) -> list[list[str]]:
    """Every column the sheet has, in its order, under the tool's headers; dates
    JJ/MM/AAAA, amounts 8500,50 and percentages 40% as a French Excel reads them."""
    from relances.core import schema

    keys = list(columns)
    rows = [[schema.COLUMN_BY_KEY[key].header for key in keys]]
    for p in prospects:
        values: dict[str, Any] = {key: getattr(p, key, None) for key in keys}
        if "contact" in values:
            values["contact"] = join_contact(None if "email" in keys else p.email,
                                             None if "phone" in keys else p.phone)
        if "delay" in values:
            values["delay"] = p.days_without_contact(today)
        if "weighted" in values:
            values["weighted"] = p.weighted_amount if p.amount is not None \
                and p.probability is not None else None
        rows.append([_french_cell(values[key]) for key in keys])
    return rows


def _french_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Decimal):
        cents = value.quantize(Decimal("0.01"))
        text = str(cents) if cents != cents.to_integral_value() else str(int(cents))
        return text.replace(".", ",")
    if isinstance(value, float):
        return _plain_number(Decimal(str(value)) * 100).replace(".", ",") + "%"
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _plain_number(value: Decimal) -> str:
    """8500, 8500.5: no grouping, no currency, no trailing zeros (importers read these)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def split_person(text: str | None) -> tuple[str, str]:
    """"Jean Dupont" → ("Jean", "Dupont"), "M. Martin" → ("", "Martin"): CRMs want the first
    and last names apart; a civility is dropped, a particle stays with the last name."""
    if not text:
        return "", ""
    words = text.split()
    if words and normalize(words[0]) in ("m", "mr", "mme", "mlle", "monsieur", "madame",
                                         "mademoiselle", "dr", "me", "mrs", "ms"):
        words = words[1:]
    if not words:
        return "", ""
    last = len(words) - 1
    for index, word in enumerate(words[1:], start=1):
        if word in ("de", "du", "des", "le", "la", "van", "von", "da", "di") \
                or word.startswith("d'"):
            last = index
            break
    return " ".join(words[:last]), " ".join(words[last:])


def _deal_title(p: Prospect) -> str:
    return f"{p.name} — {p.project}" if p.project else p.name


def _notes(p: Prospect) -> str:
    parts = [p.notes or ""]
    if p.history:
        parts.append(f"Historique :\n{p.history}")
    return "\n\n".join(part for part in parts if part)


_HUBSPOT_HEADERS = (
    "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Deal owner", "Next Step",
    "Closed Lost Reason", "Deal Description", "First Name", "Last Name", "Email",
    "Phone Number", "Company Name",
)


def _hubspot_row(p: Prospect) -> list[str]:
    """A deal with its contact and company, as HubSpot imports several objects from one
    file; the close date of a won or lost deal is the day its status began."""
    status = p.status or Status.PROSPECT
    first, last = split_person(p.interlocutor)
    closed = None if status.active else p.status_since
    step = f"{p.action or 'Relance'} le {format_date(p.next_followup)}" \
        if p.next_followup else ""
    return [
        _deal_title(p), HUBSPOT_PIPELINE, HUBSPOT_STAGES[status],
        _plain_number(p.amount) if p.amount is not None else "", _iso(closed), p.owner or "",
        step, (p.lost_reason or "") if status is Status.LOST else "", _notes(p), first, last,
        p.email or "", p.phone or "", p.name,
    ]


_PIPEDRIVE_HEADERS = (
    "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Stage", "Deal - Status",
    "Deal - Probability", "Deal - Expected close date", "Deal - Lost reason", "Deal - Owner",
    "Organization - Name", "Person - Name", "Person - Email", "Person - Phone",
    "Activity - Subject", "Activity - Type", "Activity - Due date", "Note - Content",
)


def _pipedrive_row(p: Prospect) -> list[str]:
    """A deal, its organisation, person, next activity (the follow-up) and a note."""
    status = p.status or Status.PROSPECT
    stage = PIPEDRIVE_STAGES.get(status) or ("Contact Made" if p.last_contact else "Qualified")
    state = {Status.WON: "won", Status.LOST: "lost"}.get(status, "open")
    person = p.interlocutor or (p.name if p.email or p.phone else "")
    chance = _plain_number((Decimal(str(p.probability)) * 100).quantize(Decimal("0.1"))) \
        if p.probability is not None else ""
    subject = kind = due = ""
    if p.next_followup:
        subject = f"À décider — {p.name}" if p.action == DECISION \
            else f"Relance {p.action} — {p.name}" if p.action else f"Relance — {p.name}"
        kind = PIPEDRIVE_ACTIVITIES.get(p.action or "", "Task")
        due = _iso(p.next_followup)
    return [
        _deal_title(p), _plain_number(p.amount) if p.amount is not None else "",
        "EUR" if p.amount is not None else "", stage, state, chance,
        _iso(None if status.active else p.status_since),
        (p.lost_reason or "") if status is Status.LOST else "", p.owner or "", p.name, person,
        p.email or "", p.phone or "", subject, kind, due, _notes(p),
    ]
