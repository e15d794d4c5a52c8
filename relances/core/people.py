"""An import's people: the contacts a file gives beside the prospect itself.

Two shapes bring several people per client: numbered columns (« Contact 2 », « Email 2 »,
« Téléphone 2 », « Poste 2 », « Rôle 2 »…), and files of one row a person (a HubSpot
contacts export: several rows for one company, each with its own first and last name).
Each person becomes a row of the Contacts sheet; a client with a single person keeps it
in Suivi's Interlocuteur column, as before. Pure: values in, people out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relances.core import schema
from relances.text.parsing import ParseError, check_email, normalize, normalize_phone, split_contact

PEOPLE = "people"
"""The prefix of the fields of numbered columns: « people2.email »."""
POSITION = "position"
"""The field of a job title column (« Job Title », « Fonction »): the row's person's."""

_NUMBERED = re.compile(
    r"(contact|nom|nomcontact|nomducontact|interlocuteur|prenom|civilite|email|mail|courriel"
    r"|emailcontact|tel|telephone|telcontact|mobile|portable|poste|fonction|role)(\d+)")
_ATTRIBUTES = {
    "contact": "contact", "nom": "name", "nomcontact": "name", "nomducontact": "name",
    "interlocuteur": "name", "prenom": "first_name", "civilite": "civility",
    "email": "email", "mail": "email", "courriel": "email", "emailcontact": "email",
    "tel": "phone", "telephone": "phone", "telcontact": "phone", "mobile": "mobile",
    "portable": "mobile", "poste": "position", "fonction": "position", "role": "role"}
JOB_TITLES = frozenset({"jobtitle", "fonction", "poste", "intitulduposte", "intituleduposte"})


def people_field(header_key: str) -> str | None:
    """« Email 2 » → people2.email; « Contact 1 » is the prospect's own Contact column."""
    match = _NUMBERED.fullmatch(header_key)
    if match is None or int(match[2]) < 2:
        return None
    return f"{PEOPLE}{int(match[2])}.{_ATTRIBUTES[match[1]]}"


Warn = Callable[[str, str], None]
"""warn(field, message): a value of a person that does not read, said and left out."""


def numbered_people(values: dict[str, Any], country: str, warn: Warn) -> list[dict[str, Any]]:
    """The people of the numbered columns, taken out of `values`, in their order."""
    groups: dict[int, dict[str, Any]] = {}
    for key in [k for k in values if k.startswith(PEOPLE)]:
        number, attribute = key[len(PEOPLE):].split(".", 1)
        groups.setdefault(int(number), {})[attribute] = values.pop(key)
    people = []
    for number in sorted(groups):
        given = groups[number]
        text = given.pop("contact", None)
        if text:
            email, phone = split_contact(str(text))
            if email is None and phone is None:
                given.setdefault("name", text)
            given.setdefault("email", email)
            given.setdefault("phone", phone)
        first = given.pop("first_name", None)
        if first:
            given["name"] = " ".join(part for part in (first, given.get("name")) if part)
        person = checked(given, country, lambda f, m, n=number: warn(f"{f}{n}", m))
        if person:
            people.append(person)
    return people


def checked(given: dict[str, Any], country: str, warn: Warn) -> dict[str, Any] | None:
    """A person's values the tracker's way: an email of the right shape, a phone of the
    country, one of the four roles; what does not read is said and left out. No name and
    no email: no person."""
    person = {k: v for k, v in given.items() if v not in (None, "")}
    if "email" in person:
        try:
            person["email"] = check_email(str(person["email"]).strip())
        except ParseError as error:
            warn("Email ", f"{error} : contact importé sans cet email")
            del person["email"]
    for key in ("phone", "mobile"):
        if key in person:
            try:
                person[key] = normalize_phone(str(person[key]), country)
            except ParseError:
                person[key] = " ".join(str(person[key]).split())
    if "role" in person:
        try:
            person["role"] = schema.parse_role(str(person["role"]))
        except ParseError as error:
            warn("Rôle ", f"{error} : contact importé sans rôle")
            del person["role"]
    person.setdefault("name", person.get("email"))
    return person if person.get("name") else None


def same_person(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return normalize(str(a.get("name", ""))) == normalize(str(b.get("name", "")))
