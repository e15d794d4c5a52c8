"""The Contacts sheet read: several people per client, one row a person.

Columns are found by their header, so the user may reorder them or add their own beside
them; workbook/people writes the sheet. A tracker without it works as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relances.core import schema
from relances.core.model import Contact, Problem
from relances.text.parsing import ParseError, normalize

CONTACT_WIDTHS = (10, 24, 10, 20, 28, 16, 16, 13, 10, 40)
_YES = frozenset({"oui", "o", "x", "vrai", "true", "1", "yes", "principal", "principale"})
_HEADERS = {normalize(header): field
            for header, field in zip(schema.CONTACT_HEADERS, schema.CONTACT_FIELDS,
                                     strict=True)} | {
    "client": "client", "idclient": "client", "nomclient": "client", "tel": "phone",
    "telephone": "phone", "portable": "mobile", "email": "email", "mail": "email",
    "fonction": "position", "role": "role", "principal": "principal"}


def contacts_from_rows(rows: Sequence[Sequence[Any]]) -> tuple[list[Contact], list[Problem]]:
    """Each row a person; a row without a client or a name is no contact and says why, a
    role that is none of the four is reported and left empty."""
    if not rows:
        return [], []
    where = contact_columns(rows[0])
    contacts: list[Contact] = []
    problems: list[Problem] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {field: _clean(values[index]) if index < len(values) else None
                 for field, index in where.items()}
        if not any(cells.values()):
            continue
        client, name = cells.get("client"), cells.get("name")
        if client is None or name is None:
            problems.append(Problem(schema.SHEET_CONTACTS, number, None,
                                    "il faut l'ID client et le nom du contact"))
            continue
        role = cells.get("role")
        if role is not None:
            try:
                role = schema.parse_role(str(role))
            except ParseError as error:
                problems.append(Problem(schema.SHEET_CONTACTS, number, "Rôle", str(error)))
                role = None
        contacts.append(Contact(
            client, str(name), *(_text(cells.get(f)) for f in
                                 ("civility", "position", "email", "phone", "mobile")),
            role, normalize(str(cells.get("principal") or "")) in _YES,
            _text(cells.get("notes")), number))
    return contacts, problems


def contact_columns(header: Sequence[Any]) -> dict[str, int]:
    """Each Contact field and its 0-based column, found by header (the first of a kind)."""
    where: dict[str, int] = {}
    for index, text in enumerate(header):
        if isinstance(text, str) and (field := _HEADERS.get(normalize(text))):
            where.setdefault(field, index)
    return where


def _clean(value: Any) -> Any:
    """calamine's '' is empty and 12.0 is 12: an ID reads as the int it is."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() and len(text) < 10 else text or None
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def contact_cells(contact: Contact) -> dict[str, object]:
    """The cells of a contact, by Contact field."""
    return dict(zip(schema.CONTACT_FIELDS, (
        contact.client, contact.name, contact.civility, contact.position, contact.email,
        contact.phone, contact.mobile, contact.role, "oui" if contact.principal else "non",
        contact.notes), strict=True))
