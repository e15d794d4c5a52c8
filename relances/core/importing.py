"""An import's reading, pure: which field each header of another tool's file feeds, and
what each row of it gives, with the tracker's own tolerant parsers.

`relances importer` reads a file made elsewhere (a CSV saved by a French Excel, another
tracker, an export of HubSpot or Pipedrive); workbook/sources finds its table, this
module turns each row into the values the tracker would hold, and core/merging decides
what becomes of them. Plain values in, plain values out: no file, no clock.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from relances.core import schema
from relances.core.errors import option
from relances.core.model import JournalEntry, Problem, Status
from relances.core.people import JOB_TITLES, POSITION, Warn, checked, numbered_people, people_field
from relances.text.parsing import (
    ParseError,
    check_email,
    normalize,
    normalize_phone,
    parse_amount,
    parse_date,
    parse_int,
    parse_probability,
    parse_score,
    split_contact,
)
from relances.text.show import format_date

IGNORE = "ignore"
"""The field of a column the user asked to skip ("En-tête=Ignorer")."""


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
"""Words that name a field when the user maps a column by hand, besides the tracker's
headers and their synonyms."""

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
_PERSON_LIKE = re.compile(r"[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_][^\W\d_ .'-]*){0,4}\.?")
"""A few words of letters (« Claire Roux », « M. Martin »): a Contact cell naming a person."""


@dataclass(frozen=True)
class SourceColumn:
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
    columns: list[SourceColumn]
    ignored: list[str]
    """Headers of columns that feed no field, as written."""
    unit: str = "ligne"
    """What the import's numbers count: the file's lines."""


def field_named(word: str) -> str | None:
    """The field a word names, for a column the user maps by hand: a tracker header or one
    of its synonyms (Nom, Société, Mél…), a field of other tools (Prénom, Devise…), or
    IGNORE; None when it names none. The computed columns (ID, Délai, CA pondéré) are
    named too: whoever asks refuses them."""
    found = normalize(word)
    column = schema.column_for_header(word)
    keys = {normalize(key): key for key in (*schema.COLUMN_BY_KEY, *_EXTRA_FIELD_LABELS)}
    return _FIELD_WORDS.get(found) or (column.key if column else None) or keys.get(found)


def field_choices() -> list[str]:
    """The fields a column may feed, by their French names, in the tracker's order."""
    headers = [c.header for c in schema.COLUMNS
               if c.key not in ("id", "contact", *schema.FORMULA_KEYS)]
    return [*headers, *_EXTRA_FIELD_LABELS.values()]


def field_label(field: str) -> str:
    """The French name of a field, as a tracker header says it."""
    column = schema.COLUMN_BY_KEY.get(field)
    return column.header if column else _EXTRA_FIELD_LABELS.get(field, field)


def map_columns(values: Sequence[Any], overrides: Sequence[tuple[str, str]] = ()) -> tuple[
        list[SourceColumn], list[str], set[str]]:
    """Which field each header feeds; also the unmapped headers and the overrides found.

    A bare "Nom" next to a "Prénom", or next to a company column, is the person's last
    name (the classic CRM table: Nom, Prénom, Entreprise): the prospect is the company.
    """
    wanted = {normalize(header): field for header, field in overrides}
    columns: list[SourceColumn] = []
    ignored: list[str] = []
    found: set[str] = set()
    for index, value in enumerate(values):
        header = cell_text(value)
        if header is None:
            continue
        key = normalize(header)
        if key in wanted:
            found.add(key)
            if wanted[key] != IGNORE:
                columns.append(SourceColumn(index, header, wanted[key], -1))
            continue
        person = people_field(key) or (POSITION if key in JOB_TITLES else None)
        if person is not None:
            columns.append(SourceColumn(index, header, person))
            continue
        if key in _FOREIGN_HEADERS:
            field, priority = _FOREIGN_HEADERS[key]
            columns.append(SourceColumn(index, header, field, priority))
            continue
        column = schema.column_for_header(header)
        if column is not None and column.key in schema.FORMULA_KEYS:
            continue  # Délai, CA pondéré: recomputed by the tracker's own formulas
        if column is None or column.key == "id":
            ignored.append(header)
        else:
            columns.append(SourceColumn(index, header, column.key))
    fields = [c.field for c in columns]
    names = [c for c in columns if c.field == "name"]
    companies = [c for c in names if normalize(c.header) not in _PERSON_NAMES]
    if "first_name" in fields or (companies and len(names) > len(companies)):
        columns = [dataclasses.replace(c, field="last_name")
                   if c.field == "name" and c.priority >= 0
                   and normalize(c.header) in _PERSON_NAMES else c for c in columns]
    return columns, ignored, found


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
    people: list[dict[str, Any]] = field(default_factory=list)
    """The people of its numbered columns (« Contact 2 », « Email 2 »…)."""
    person: dict[str, Any] | None = None
    """The person the row names beside its company (a file of one row a person)."""
    stated: frozenset[str] = frozenset()
    """Fields the row states even when empty (a relances accounts file): a new prospect
    gets no default for them."""
    exchanges: list[JournalEntry] = field(default_factory=list)
    """Its Journal lines, oldest first (a relances accounts file)."""


def read_rows(source: SourceSheet, today: date, country: str) -> list[SourceRow]:
    """Every data row below the header, read with the tracker's own tolerant parsers.

    Rows with nothing in a known column are skipped silently (a blank line, a footer).
    """
    by_field: dict[str, list[SourceColumn]] = {}
    for column in sorted(source.columns, key=lambda c: (c.priority, c.index)):
        by_field.setdefault(column.field, []).append(column)
    rows = []
    for index in range(source.header_row + 1, len(source.rows)):
        row = _read_row(source, index, by_field, today, country)
        if row is not None:
            rows.append(row)
    return rows


def _read_row(source: SourceSheet, index: int, by_field: dict[str, list[SourceColumn]], today: date,
              country: str) -> SourceRow | None:
    cells = source.rows[index]
    row = SourceRow(index + 1, {})

    def raw(column: SourceColumn) -> Any:
        value = cells[column.index] if column.index < len(cells) else None
        if isinstance(value, str):
            value = _NEUTRALISED.sub("", value.strip(), count=1) if value.strip() else None
        return value

    if all(raw(c) is None for columns in by_field.values() for c in columns):
        return None

    def problem(column: SourceColumn, message: str, warning: bool = False) -> None:
        entry = Problem(source.label, row.line, column.header, message)
        (row.warnings if warning else row.problems).append(entry)

    given: dict[str, tuple[Any, SourceColumn]] = {}
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
                    f"le montant, ou ignorez la colonne avec {option('columns')}")
    if given.keys() & {"contact", "email", "phone"}:
        _read_contacts(given, values, country, problem)

    def warn(label: str, message: str) -> None:
        row.warnings.append(Problem(source.label, row.line, label.strip(), message))

    row.people = numbered_people(values, country, warn)
    row.person = _own_person(values, country, warn)
    _compose(values, given)
    if row.people and row.person is None and values.get("interlocutor"):
        # Contact 2, 3… beside it: the first person is one of the client's people too.
        row.person = checked({"name": values["interlocutor"], "email": values.get("email"),
                              "phone": values.get("phone")}, country, warn)
    if values.get("name") is None and not row.problems:
        row.nameless = True
        row.problems.append(Problem(
            source.label, row.line, None,
            "aucun nom : ni nom, ni entreprise, ni prénom, ni affaire dans cette ligne, "
            "ni email d'un prospect connu"))
    for key in ("first_name", "last_name", "civility", "person", "title", "currency",
                "close_date", "contact", POSITION):
        values.pop(key, None)
    order = _field_order()
    row.values = {key: values[key] for key in sorted(values, key=order.index)
                  if values[key] is not None}
    return row


@functools.cache
def _field_order() -> list[str]:
    """Fields in the tracker's column order, so reports list them as the sheet does."""
    keys = [c.key for c in schema.COLUMNS if c.key not in ("email", "phone")]
    at = keys.index("contact") + 1
    return [*keys[:at], "email", "phone", *keys[at:]]


def _read_value(field_name: str, value: Any, today: date) -> Any:
    """One cell, read by the kind of its field."""
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
    if kind == "score":
        return parse_score(value)
    if kind == "status":
        return parse_import_status(value)
    text = cell_text(value)
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
    text = cell_text(value) or ""
    key = normalize(text)
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    return schema.parse_status(text)


def _read_contacts(given: dict[str, tuple[Any, SourceColumn]], values: dict[str, Any], country: str,
                   problem: Callable[..., None]) -> None:
    """Emails are checked for shape (a row with a broken one is not imported: the email is
    how the next import recognises the prospect); phones are written the tracker's way, or
    kept as typed, with a warning, when they do not read as a number of the country."""
    found: dict[str, tuple[str, SourceColumn]] = {}
    if "contact" in given:
        value, column = given["contact"]
        text = cell_text(value) or ""
        email, phone = split_contact(text)
        if email is None and "@" in text:
            email = next(word for word in text.split() if "@" in word)  # check_email says why
        if email is None and phone is None and _PERSON_LIKE.fullmatch(text):
            values.setdefault("interlocutor", text)  # a name: the person to speak to
        elif email is None and phone is None:
            problem(column, f"« {text} » : ni email ni téléphone reconnu, non importé",
                    warning=True)
        found.update({k: (v, column) for k, v in (("email", email), ("phone", phone)) if v})
    found.update({k: (cell_text(given[k][0]) or "", given[k][1])
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


def _own_person(values: dict[str, Any], country: str, warn: Warn) -> dict[str, Any] | None:
    """The person beside the company, with the row's email and phone: in a file of one
    row a person, each row is one of the company's people."""
    name = values.get("person") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part)
    if not name or not values.get("name"):
        return None
    return checked({"name": name, "civility": values.get("civility"),
                    "email": values.get("email"), "phone": values.get("phone"),
                    "position": values.get(POSITION)}, country, warn)


def _compose(values: dict[str, Any], given: dict[str, tuple[Any, SourceColumn]]) -> None:
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


def cell_text(value: Any) -> str | None:
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

