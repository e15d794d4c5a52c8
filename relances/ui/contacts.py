"""The people of a client: contact ajouter, liste, retirer, and the contacts under a card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from relances.core.contacts import described
from relances.core.model import Contact
from relances.ui.common import warn_problems
from relances.ui.console import console

if TYPE_CHECKING:
    from relances.services.contacts import ContactChange, People


def contact_json(c: Contact) -> dict[str, Any]:
    """Stable keys, null when empty, as the Contacts sheet holds them."""
    return {"nom": c.name, "civilite": c.civility, "poste": c.position, "email": c.email,
            "telephone": c.phone, "mobile": c.mobile, "role": c.role,
            "principal": c.principal, "notes": c.notes}


def contact_lines(contacts: Sequence[Contact]) -> None:
    """Under a card: one line a person, the principal marked."""
    if not contacts:
        return
    console.print("Contacts", style="bold")
    for c in contacts:
        mark = " ★ principal" if c.principal else ""
        console.print(f"  {described(c)}{mark}", soft_wrap=True)
        if c.notes:
            console.print(f"    {c.notes}", soft_wrap=True)


def added(result: ContactChange) -> None:
    c = result.contact
    principal = " (contact principal : les brouillons lui seront adressés)" \
        if c.principal else ""
    console.print(f"Contact ajouté chez {result.prospect.name} : {described(c)}{principal}.",
                  soft_wrap=True)
    _backup(result)


def removed(result: ContactChange) -> None:
    console.print(f"Contact retiré de {result.prospect.name} : {described(result.contact)}.",
                  soft_wrap=True)
    left = len(result.contacts)
    console.print(f"Il reste {left} contact(s)." if left else "Il ne reste aucun contact : "
                  "les brouillons reprennent la colonne Contact du suivi.")
    _backup(result)


def _backup(result: ContactChange) -> None:
    if result.backup is not None:
        console.print(f"Version précédente sauvegardée : {result.backup.name}", soft_wrap=True)


def listing(result: People) -> None:
    warn_problems(result.problems)
    if not result.clients:
        console.print("Aucun contact enregistré : ajoutez-en avec relances contact ajouter "
                      "QUI NOM.")
        return
    for prospect, contacts in result.clients:
        ident = f"{prospect.id} — " if prospect.id is not None else ""
        console.print(f"{ident}{prospect.name}", style="bold")
        if not contacts:
            console.print("  aucun contact (les brouillons utilisent la colonne Contact)")
        for c in contacts:
            mark = " ★ principal" if c.principal else ""
            console.print(f"  {described(c)}{mark}", soft_wrap=True)


def listing_json(result: People) -> list[dict[str, Any]]:
    return [{"id": p.id, "client": p.name, "contacts": [contact_json(c) for c in contacts]}
            for p, contacts in result.clients]
