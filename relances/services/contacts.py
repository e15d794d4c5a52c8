"""Several people per client: `relances contact ajouter`, `liste` and `retirer`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from relances.core.contacts import contacts_of
from relances.core.errors import InvalidInput, NotFound
from relances.core.model import Contact, Problem, Prospect
from relances.services.common import clean_text, find_prospect, read
from relances.text.parsing import ParseError, fold, normalize_phone


@dataclass
class ContactChange:
    """One person added to a client or removed from it, and the client's people after."""

    prospect: Prospect
    contact: Contact
    contacts: list[Contact]
    backup: Path | None


def add_contact(path: Path, today: date, now: datetime, query: str, typed: Contact,
                force: bool = False) -> ContactChange:
    """A person added to the client's contacts (the sheet is made if needed). A second
    person of the same name at the same client is refused: `retirer` finds people by
    name. Phones are written the tracker's way, for its country."""
    from relances.workbook.people import add_contacts
    from relances.workbook.session import open_for_update

    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        prospect = find_prospect(tracker.prospects, query)
        own = contacts_of(prospect, tracker.contacts)
        name = " ".join(typed.name.split())
        if not name:
            raise InvalidInput("le nom du contact est vide : donnez son nom, par exemple "
                               "relances contact ajouter martin \"Claire Roux\".")
        if any(fold(c.name) == fold(name) for c in own):
            raise InvalidInput(
                f"{prospect.name} a déjà un contact « {name} » : retirez-le d'abord "
                f"(relances contact retirer {_who(prospect)} \"{name}\"), ou donnez un "
                "autre nom.")
        phones = {key: _phone(getattr(typed, key), tracker.settings.country, key)
                  for key in ("phone", "mobile")}
        client: int | str = prospect.id if prospect.id is not None else prospect.name
        contact = typed.replace(client=client, name=name, civility=clean_text(typed.civility),
                                position=clean_text(typed.position),
                                notes=clean_text(typed.notes), **phones)
        [contact] = add_contacts(session, [contact], own)
        backup = session.save(now)
    after = [c.replace(principal=False) if contact.principal else c for c in own]
    return ContactChange(prospect, contact, contacts_of(prospect, [*after, contact]), backup)


def _phone(text: str | None, country: str, about: str) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return normalize_phone(text, country)
    except ParseError as error:
        raise InvalidInput(f"{error}.", about=about) from None


def _who(prospect: Prospect) -> str:
    return str(prospect.id) if prospect.id is not None else f'"{prospect.name}"'


def remove_contact(path: Path, today: date, now: datetime, query: str, name: str,
                   force: bool = False) -> ContactChange:
    """One person out of the client's contacts, found by their name or part of it."""
    from relances.workbook.people import remove_contact as erase_contact
    from relances.workbook.session import open_for_update

    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        prospect = find_prospect(tracker.prospects, query)
        own = contacts_of(prospect, tracker.contacts)
        contact = _find_contact(prospect, own, name)
        erase_contact(session, contact)
        backup = session.save(now)
    return ContactChange(prospect, contact, [c for c in own if c is not contact], backup)


def _find_contact(prospect: Prospect, own: list[Contact], name: str) -> Contact:
    """The whole name first, then a part of it that only one person has."""
    wanted = fold(name)
    exact = [c for c in own if fold(c.name) == wanted]
    found = exact or [c for c in own if wanted and wanted in fold(c.name)]
    if len(found) == 1:
        return found[0]
    known = ", ".join(f"« {c.name} »" for c in own) or "aucun"
    if not found:
        raise NotFound(f"{prospect.name} n'a pas de contact « {name} » (contacts : {known}).")
    raise InvalidInput(f"« {name} » désigne plusieurs contacts de {prospect.name} ({known}) : "
                       "donnez le nom entier.")


@dataclass
class People:
    """`contact liste`: each client asked for (or every client that has people) and its
    people, the principal first."""

    clients: list[tuple[Prospect, list[Contact]]]
    problems: list[Problem]


def list_contacts(path: Path, today: date, query: str | None = None) -> People:
    tracker = read(path, today)
    if query is not None:
        prospect = find_prospect(tracker.prospects, query)
        return People([(prospect, contacts_of(prospect, tracker.contacts))],
                      tracker.problems)
    clients = [(p, own) for p in tracker.prospects if (own := contacts_of(p, tracker.contacts))]
    return People(clients, tracker.problems)
