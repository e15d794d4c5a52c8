"""Suivi as a table for other programs: every column for a French Excel, the columns
and value shapes the importers of HubSpot and Pipedrive document, or the accounts as one
JSON document.

Pure: prospects in, rows of text, then CSV (or JSON) bytes, out; the service writes them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from relances.core import schema
from relances.core.cadence import DECISION
from relances.core.contacts import contacts_of, speaking_to
from relances.core.model import Contact, Prospect, Status
from relances.text.parsing import join_contact, split_person
from relances.text.show import decimal_comma, format_date, iso_date

EXPORT_FORMATS = {"csv": "CSV pour Excel", "hubspot": "HubSpot", "pipedrive": "Pipedrive",
                  "json": "comptes clients en JSON"}

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
    """relances-export-2026-01-20.csv, relances-hubspot-…: the format and the day in the
    name, so that an export replaces only that day's export of the same format."""
    name = {"csv": "export", "json": "comptes"}.get(fmt, fmt)
    return f"relances-{name}-{today.isoformat()}{export_suffix(fmt)}"


def export_suffix(fmt: str) -> str:
    return ".json" if fmt == "json" else ".csv"


def json_bytes(document: dict[str, Any]) -> bytes:
    """Indented for a person to read and a diff to compare, in UTF-8 with the accents as
    they are; dates in ISO."""
    import orjson

    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def export_table(fmt: str, prospects: Sequence[Prospect], columns: Sequence[str],
                 today: date, contacts: Sequence[Contact] = ()) -> list[list[str]]:
    """The header, then one row a prospect, every cell already text. A CRM's deal names
    the person drafts are written to: the principal contact, else the decision maker."""
    if fmt == "hubspot":
        return [list(_HUBSPOT_HEADERS),
                *(_hubspot_row(speaking_to(p, contacts)) for p in prospects)]
    if fmt == "pipedrive":
        return [list(_PIPEDRIVE_HEADERS),
                *(_pipedrive_row(speaking_to(p, contacts)) for p in prospects)]
    return _tracker_table(prospects, columns, today)


_HUBSPOT_CONTACT_HEADERS = ("First Name", "Last Name", "Salutation", "Job Title", "Email",
                            "Phone Number", "Mobile Phone Number", "Company Name")


def hubspot_contacts_table(prospects: Sequence[Prospect],
                           contacts: Sequence[Contact]) -> list[list[str]]:
    """HubSpot's contacts file, imported beside the deals: every person of the Contacts
    sheet, and the Interlocuteur of a client that has none there, tied to its company by
    name (HubSpot associates a contact with the company of the same name)."""
    rows = [list(_HUBSPOT_CONTACT_HEADERS)]
    for p in prospects:
        people = contacts_of(p, contacts)
        for c in people:
            first, last = split_person(c.name)
            rows.append([first, last, c.civility or "", c.position or "", c.email or "",
                         c.phone or "", c.mobile or "", p.name])
        if not people and (p.interlocutor or p.email):
            first, last = split_person(p.interlocutor)
            rows.append([first, last, "", "", p.email or "", p.phone or "", "", p.name])
    return rows


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
    """A cell as a French Excel reads it back from CSV: 8500,5 (no unit, which would make
    it text), 50%, 27/01/2026."""
    if value is None:
        return ""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Decimal):
        cents = value.quantize(Decimal("0.01"))
        return decimal_comma(cents if cents != cents.to_integral_value() else int(cents))
    if isinstance(value, float):
        return decimal_comma(_plain_number(Decimal(str(value)) * 100)) + "%"
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _plain_number(value: Decimal) -> str:
    """8500, 8500.5: no grouping, no currency, no trailing zeros (importers read these)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


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
        _plain_number(p.amount) if p.amount is not None else "", iso_date(closed) or "",
        p.owner or "",
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
        due = iso_date(p.next_followup) or ""
    return [
        _deal_title(p), _plain_number(p.amount) if p.amount is not None else "",
        "EUR" if p.amount is not None else "", stage, state, chance,
        iso_date(None if status.active else p.status_since) or "",
        (p.lost_reason or "") if status is Status.LOST else "", p.owner or "", p.name, person,
        p.email or "", p.phone or "", subject, kind, due, _notes(p),
    ]
