"""The Contacts sheet written: a person added, made principal, or removed.

The sheet is made at the first `relances contact ajouter`, in the look of Journal;
relances writes only the ten columns it knows, through the session's safe write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.model import Contact
from relances.workbook.contacts import CONTACT_WIDTHS, contact_cells, contact_columns

if TYPE_CHECKING:
    from relances.workbook.update import Update
    from relances.xlsx.sheet import Sheet


def add_contacts(session: Update, contacts: Sequence[Contact],
                 others: Sequence[Contact] = ()) -> list[Contact]:
    """People under the last line, in the sheet's own columns (a field the user's sheet
    lacks gets its header at the end of the row). A new principal takes the place of the
    client's previous one (`others`), so a client has one principal at most."""
    sheet, columns = _contacts_sheet(session)
    if any(c.principal for c in contacts):
        for other in others:
            if other.principal and other.row is not None:
                session.set_line_cell(sheet, other.row, columns["principal"], "non")
    width = max(columns.values())
    lines = []
    for contact in contacts:
        line: list[object] = [None] * width
        for field, value in contact_cells(contact).items():
            line[columns[field] - 1] = value
        lines.append(line)
    first = session.append_lines(sheet, lines, ())
    return [c.replace(row=row) for row, c in enumerate(contacts, start=first)]


def remove_contact(session: Update, contact: Contact) -> None:
    assert contact.row is not None
    sheet, columns = _contacts_sheet(session)
    session.remove_line(sheet, contact.row, max(columns.values()))


def _contacts_sheet(session: Update) -> tuple[Sheet, dict[str, int]]:
    """The sheet and the 1-based column of each field, the sheet made when missing."""
    from relances.workbook.sheets import add_lines_sheet, write_header
    from relances.workbook.values import first_row

    book = session.book
    if book.entry(schema.SHEET_CONTACTS) is None:
        sheet = add_lines_sheet(book, schema.SHEET_CONTACTS, schema.CONTACT_HEADERS,
                                CONTACT_WIDTHS)
        return sheet, {f: i for i, f in enumerate(schema.CONTACT_FIELDS, start=1)}
    sheet = book.sheet(schema.SHEET_CONTACTS)
    header = first_row(session.path, book.package.source, schema.SHEET_CONTACTS)
    columns = {field: index + 1 for field, index in contact_columns(header).items()}
    last = max([len(header), *columns.values()])
    for field, title in zip(schema.CONTACT_FIELDS, schema.CONTACT_HEADERS, strict=True):
        if field not in columns:
            last += 1
            write_header(book, sheet, 1, last, (title,))
            columns[field] = last
    return sheet, columns
