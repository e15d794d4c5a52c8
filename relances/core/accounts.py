"""The client account as one document: the prospect's fields, its people, its exchanges
and where it stands in its cadence, in the field names of the Excel-CRM article (id, nom,
prenom, email, telephone, adresse…) where they apply.

`voir --json` prints one account, `exporter --format json` writes them all, and
`importer` reads that file back: every key written here is read back by `rows`, so a
tracker exported then imported into another holds the same accounts. Pure: values in,
JSON-ready values out (dates stay dates, the serialiser writes them in ISO).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from relances.core import schema
from relances.core.cadence import Step, step_after, steps_for
from relances.core.contacts import people_finder, recipient
from relances.core.importing import SourceRow
from relances.core.model import Contact, JournalEntry, Problem, Prospect, Status, Tracker
from relances.core.workdays import WorkCalendar
from relances.text.parsing import ParseError, fold, parse_score, split_person
from relances.text.show import json_number

FORMAT = "relances-comptes"
"""The document's `format` key: what `importer` recognises a relances export by."""
VERSION = 1

PROSPECT_KEYS = {
    "id": "id", "nom": "name", "email": "email", "telephone": "phone", "statut": "status",
    "source": "source", "projet": "project", "montant": "amount",
    "probabilite": "probability", "premiere_interaction": "first_contact",
    "dernier_contact": "last_contact", "prochaine_relance": "next_followup",
    "action": "action", "responsable": "owner", "interlocuteur": "interlocutor",
    "statut_depuis": "status_since", "relances_faites": "followups_done", "alerte": "alert",
    "motif_perte": "lost_reason", "validite_devis": "quote_valid_until",
    "satisfaction": "satisfaction", "historique": "history", "notes": "notes",
}
"""JSON key -> Prospect field, in the order an account lists them."""
ADDRESS_KEYS = {"rue": "street", "code_postal": "postal_code", "ville": "city",
                "pays": "country"}
ADDRESS_FIELDS = frozenset(ADDRESS_KEYS.values())
CONTACT_KEYS = {"nom": "name", "civilite": "civility", "poste": "position", "email": "email",
                "telephone": "phone", "mobile": "mobile", "role": "role",
                "principal": "principal", "notes": "notes"}
EXCHANGE_KEYS = {"date": "when", "canal": "channel", "resume": "summary", "issue": "outcome",
                 "statut": "status", "probabilite": "probability", "responsable": "owner",
                 "prochaine_relance": "next_followup"}
Say = Callable[[str | None, str], None]
"""say(key, message): a value of the document that does not read."""
_DATES = frozenset({"first_contact", "last_contact", "next_followup", "status_since", "when",
                    "quote_valid_until"})


def _shown(value: Any) -> Any:
    """A value as JSON holds it: statuses by their label, amounts as plain numbers."""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def prospect_fields(p: Prospect) -> dict[str, Any]:
    """Stable keys, probability as 0–1, null when empty, and the sheet row. Built 50 000
    times for a big tracker's `liste --json`: one dict display, no loop over the keys."""
    status, amount = p.status, p.amount
    return {
        "id": p.id, "nom": p.name, "email": p.email, "telephone": p.phone,
        "statut": status.value if status else None, "source": p.source,
        "projet": p.project, "montant": None if amount is None else json_number(amount),
        "probabilite": p.probability, "premiere_interaction": p.first_contact,
        "dernier_contact": p.last_contact, "prochaine_relance": p.next_followup,
        "action": p.action, "responsable": p.owner, "interlocuteur": p.interlocutor,
        "statut_depuis": p.status_since, "relances_faites": p.followups_done,
        "alerte": p.alert, "motif_perte": p.lost_reason,
        "validite_devis": p.quote_valid_until, "satisfaction": p.satisfaction,
        "historique": p.history, "notes": p.notes, "ligne": p.row,
    }


def exchanges_finder(journal: Sequence[JournalEntry]) -> Callable[[Prospect],
                                                                 list[JournalEntry]]:
    """A prospect's Journal lines, newest first: by its ID, or by its name for lines that
    have none. Indexed once, so exporting 50 000 accounts reads the Journal once."""
    by_id: dict[int, list[JournalEntry]] = {}
    by_name: dict[str, list[JournalEntry]] = {}
    for entry in journal:
        if entry.prospect_id is not None:
            by_id.setdefault(entry.prospect_id, []).append(entry)
        else:
            by_name.setdefault(fold(entry.name), []).append(entry)

    def exchanges(p: Prospect) -> list[JournalEntry]:
        own = (by_id.get(p.id, []) if p.id is not None else []) + by_name.get(fold(p.name), [])
        return sorted(own, key=lambda e: e.when, reverse=True)

    return exchanges


def accounts(tracker: Tracker, chosen: Sequence[Prospect] | None = None) -> list[
        dict[str, Any]]:
    """Every account of the tracker, or those chosen; the Journal and the Contacts sheet
    are indexed once, so 50 000 accounts cost one pass over each."""
    exchanges = exchanges_finder(tracker.journal)
    people = people_finder(tracker.contacts)
    address = bool(ADDRESS_FIELDS & set(tracker.columns))
    # Only the step's number and advice are shown, not its date: no holiday look-up.
    calendar = WorkCalendar(tracker.settings.country, working_days_only=False)
    steps = {status: steps_for(status, tracker.rules) for status in Status}
    return [account(p, people(p), exchanges(p),
                    step_after(p, steps[p.status or Status.PROSPECT], tracker.settings,
                               calendar), address)
            for p in (tracker.prospects if chosen is None else chosen)]


def account(p: Prospect, own: Sequence[Contact], exchanges: Sequence[JournalEntry],
            step: Step | None, address: bool) -> dict[str, Any]:
    """The whole account, from the client's own people (principal first). `prenom` is
    the first name of whom the drafts greet; `adresse` is there when the tracker has an
    address column; `cadence` says the step the planned follow-up stands at and its
    advice, as `semaine` shows them."""
    chosen = recipient(p, own)
    document = prospect_fields(p)
    document["prenom"] = split_person(chosen.name if chosen else p.interlocutor)[0] or None
    if address:
        document["adresse"] = {key: getattr(p, name) for key, name in ADDRESS_KEYS.items()}
    document["contacts"] = [{key: getattr(c, name) for key, name in CONTACT_KEYS.items()}
                            for c in own]
    document["echanges"] = [{key: _shown(getattr(e, name)) for key, name in
                             EXCHANGE_KEYS.items()} for e in exchanges]
    document["cadence"] = _cadence(p, step)
    return document


def _cadence(p: Prospect, step: Step | None) -> dict[str, Any]:
    decided = step is not None and step.decision
    return {
        "etape": None if step is None or decided else step.number,
        "etapes": None if step is None else step.total,
        "a_decider": decided,
        "prochaine_relance": p.next_followup, "action": p.action,
        "conseil": step.advice if step else None, "modele": step.template if step else None,
    }


def document(accounts: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """The file `exporter --format json` writes: its format, version and day, then the
    accounts."""
    return {"format": FORMAT, "version": VERSION, "exporte_le": today, "comptes": accounts}


@dataclass(frozen=True)
class AccountsSource:
    """A relances accounts file to import, parsed."""

    path: Path
    label: str
    detail: str
    data: Any
    ignored: tuple[str, ...] = ()
    """No column is left out: an accounts file has none."""
    unit: str = "compte"
    """What the import's numbers count."""


def is_accounts(data: Any) -> bool:
    """A JSON document is ours when it says so with its list of accounts, or is a bare
    list of accounts."""
    return isinstance(data, list) or (isinstance(data, dict) and data.get("format") == FORMAT
                                      and isinstance(data.get("comptes"), list))


def rows(source: AccountsSource) -> list[SourceRow]:
    """The accounts as an import's rows: one a prospect, its people and exchanges with it."""
    data = source.data
    accounts = data if isinstance(data, list) else data.get("comptes")
    return [_row(number, item, source.label)
            for number, item in enumerate(accounts if isinstance(accounts, list) else [], 1)]


def _row(number: int, item: Any, label: str) -> SourceRow:
    """A key the account gives, even as null, is taken as given (the tracker's own empty
    cell), so the import adds no default to it; a field of the wrong kind leaves the
    account out, with the key and why; a contact or an exchange that does not read is
    left out with a warning."""
    row = SourceRow(number, {})

    where = f"{label}, compte {number}"

    def problem(key: str | None, message: str) -> None:
        row.problems.append(Problem(where, None, None, f"{key} : {message}" if key else message))

    def warn(key: str | None, message: str) -> None:
        row.warnings.append(Problem(where, None, None, f"{key} : {message}" if key else message))

    if not isinstance(item, dict):
        problem(None, "ce compte n'est pas un objet JSON")
        return row
    values = _values(item, PROSPECT_KEYS, problem)
    if isinstance(item.get("adresse"), dict):
        values.update(_values(item["adresse"], ADDRESS_KEYS, problem))
    row.stated = frozenset(values)
    row.values = {k: v for k, v in values.items() if v is not None}
    row.people = [person for c in _objects(item, "contacts", warn)
                  if (person := _person(c, warn))]
    # Newest first in the file; the Journal keeps them oldest first, same-day ones in the
    # file's order (a stable sort), so exporting again gives the same list.
    row.exchanges = sorted((entry for e in _objects(item, "echanges", warn)
                            if (entry := _exchange(e, row.values.get("name", ""), warn))),
                           key=lambda e: e.when)
    if not row.values.get("name"):
        problem("nom", "le compte n'a pas de nom")
    return row


def _objects(item: dict[str, Any], key: str, problem: Say) -> list[
        dict[str, Any]]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problem(key, "attendu : une liste d'objets")
        return []
    return value


def _values(item: dict[str, Any], keys: dict[str, str],
            problem: Say) -> dict[str, Any]:
    """The fields the object gives, typed the tracker's way."""
    values = {}
    for key, name in keys.items():
        if key in item:
            try:
                values[name] = _typed(name, item[key])
            except ParseError as error:
                problem(key, str(error))
            except (TypeError, ValueError, InvalidOperation):
                problem(key, f"« {item[key]} » ne se lit pas ici")
    return values


def _typed(name: str, value: Any) -> Any:
    """ISO dates, numbers as numbers, statuses by their label; text stays text."""
    if value is None or value == "":
        return None
    if name in _DATES:
        return date.fromisoformat(str(value)[:10])
    if name == "amount":
        return Decimal(str(value)) if not isinstance(value, bool) else _refuse(value)
    if name == "probability":
        return float(value) if not isinstance(value, bool | str) else _refuse(value)
    if name == "satisfaction":
        return parse_score(value)
    if name in ("id", "followups_done"):
        if isinstance(value, bool) or not float(value).is_integer():
            return _refuse(value)
        return int(value)
    if name == "status":
        return schema.parse_status(str(value))
    if name == "principal":
        return bool(value)
    return str(value)


def _refuse(value: Any) -> None:
    raise ValueError(value)


def _person(item: dict[str, Any], problem: Say) -> dict[str, Any] | None:
    values = {k: v for k, v in _values(item, CONTACT_KEYS, problem).items() if v is not None}
    if not values.get("name"):
        problem("contacts", "un contact sans nom est laissé de côté")
        return None
    return values


def _exchange(item: dict[str, Any], name: str,
              problem: Say) -> JournalEntry | None:
    values = _values(item, EXCHANGE_KEYS, problem)
    if values.get("when") is None:
        problem("echanges", "un échange sans date est laissé de côté")
        return None
    return JournalEntry(prospect_id=None, name=name, **values)
