"""Several people at one client: whom a draft is written to, whom a call asks for.

The Contacts sheet lists them (one row a person, tied to the client by its ID, or by its
name in a tracker without IDs); a tracker without the sheet works as before, with the
Contact and Interlocuteur columns of Suivi.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from relances.core.model import Contact, Prospect
from relances.core.schema import DECISION_MAKER
from relances.text.parsing import fold, split_person


def belongs(contact: Contact, prospect: Prospect) -> bool:
    """By ID when the tracker has IDs, else by the client's name (accents and case aside)."""
    if isinstance(contact.client, int):
        return contact.client == prospect.id
    return fold(contact.client) == fold(prospect.name) or (
        prospect.id is not None and contact.client.strip() == str(prospect.id))


def contacts_of(prospect: Prospect, contacts: Sequence[Contact]) -> list[Contact]:
    """The client's people, the principal first, then the decision maker, then the others
    in the sheet's order."""
    own = [c for c in contacts if belongs(c, prospect)]
    return sorted(own, key=lambda c: (not c.principal, c.role != DECISION_MAKER))


def people_finder(contacts: Sequence[Contact]) -> Callable[[Prospect], list[Contact]]:
    """contacts_of for many prospects: the sheet is grouped by client once, so an export
    of 50 000 clients does not read the whole sheet for each."""
    by_id: dict[int, list[Contact]] = {}
    by_text: dict[str, list[Contact]] = {}
    for c in contacts:
        if isinstance(c.client, int):
            by_id.setdefault(c.client, []).append(c)
        else:
            by_text.setdefault(fold(c.client), []).append(c)

    def people(p: Prospect) -> list[Contact]:
        candidates = by_text.get(fold(p.name), [])
        if p.id is not None:
            candidates = by_id.get(p.id, []) + by_text.get(str(p.id), []) + candidates
        return contacts_of(p, candidates) if candidates else []

    return people


def recipient(prospect: Prospect, contacts: Sequence[Contact]) -> Contact | None:
    """The principal contact, else the decision maker; None leaves Suivi's own Contact and
    Interlocuteur columns in charge."""
    own = contacts_of(prospect, contacts)
    if own and (own[0].principal or own[0].role == DECISION_MAKER):
        return own[0]
    return None


def person(contact: Contact) -> str:
    """« Mme Claire Roux », « Paul Roux » : the contact as a list names them."""
    return " ".join(part for part in (contact.civility, contact.name) if part)


def addressed_as(contact: Contact) -> str:
    """« Mme Roux » when a civility is given (French greets by the last name), else the
    name as written: a draft's « Bonjour Madame Roux, »."""
    if not contact.civility:
        return contact.name
    last = split_person(contact.name)[1] or contact.name
    return f"{contact.civility} {last}"


def speaking_to(prospect: Prospect, contacts: Sequence[Contact]) -> Prospect:
    """The prospect as its drafts see it: addressed to its recipient (name, email, phone)
    when it has one, its own columns filling what the contact leaves empty."""
    chosen = recipient(prospect, contacts)
    if chosen is None:
        return prospect
    return prospect.replace(interlocutor=addressed_as(chosen),
                            email=chosen.email or prospect.email,
                            phone=chosen.phone or chosen.mobile or prospect.phone)


def others(prospect: Prospect, contacts: Sequence[Contact]) -> list[Contact]:
    """The client's people a call does not ask for first."""
    chosen = recipient(prospect, contacts)
    return [c for c in contacts_of(prospect, contacts) if c is not chosen]


def described(contact: Contact) -> str:
    """« Mme Roux (Décideur, Directrice) — 06 12 34 56 78 — c.roux@x.fr »: one line."""
    about = ", ".join(part for part in (contact.role, contact.position) if part)
    reach = [part for part in (contact.phone, contact.mobile, contact.email) if part]
    return " — ".join([person(contact) + (f" ({about})" if about else ""), *reach])
