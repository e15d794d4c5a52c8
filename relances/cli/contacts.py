"""relances contact ajouter, liste, retirer: several people per client."""

from typing import Annotated

import typer

from relances.cli.app import FrenchCommand, FrenchGroup, app, handled
from relances.cli.options import AS_EMAIL, File, Force, Json, Today, now, reader

contact_app = typer.Typer(
    cls=FrenchGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="Les personnes d'un client : qui décide, qui suit la technique, qui paie.\n\n"
    "Les brouillons s'adressent au contact principal, sinon au décideur, sinon à la "
    "colonne Contact du suivi.",
    context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(contact_app, name="contact")

AS_ROLE = reader("relances.core.schema", "parse_role")

Who = Annotated[str, typer.Argument(help="Le client : ID ou morceau du nom (8, martin).",
                                    show_default=False)]


@contact_app.command("ajouter", cls=FrenchCommand)
@handled
def add(
    qui: Who,
    nom: Annotated[str, typer.Argument(help="Nom du contact : « Claire Roux ».",
                                       show_default=False)],
    role: Annotated[str | None, typer.Option(
        help="Décideur, Technique, Facturation ou Observateur.", show_default=False,
        callback=AS_ROLE)] = None,
    civilite: Annotated[str | None, typer.Option(
        help="M., Mme… : « Bonjour Madame Roux » dans les emails.", show_default=False)] = None,
    poste: Annotated[str | None, typer.Option(help="Fonction : « Directrice ».",
                                              show_default=False)] = None,
    email: Annotated[str | None, typer.Option(help="Email.", show_default=False,
                                              callback=AS_EMAIL)] = None,
    tel: Annotated[str | None, typer.Option(help="Téléphone.", show_default=False)] = None,
    mobile: Annotated[str | None, typer.Option(help="Mobile.", show_default=False)] = None,
    principal: Annotated[bool, typer.Option(
        "--principal", help="Le contact à qui écrire et à demander au téléphone (remplace "
        "le principal précédent).")] = False,
    note: Annotated[str | None, typer.Option(help="Notes.", show_default=False)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Ajouter une personne chez un client (la feuille Contacts est créée au besoin).

    Exemple : relances contact ajouter martin "Claire Roux" --civilite Mme --role Décideur
    --email c.roux@martin.fr --principal
    """
    from relances.core.model import Contact
    from relances.services.contacts import add_contact
    from relances.ui.contacts import added

    typed = Contact("", nom, civilite, poste, email, tel, mobile, role, principal, note)
    added(add_contact(fichier, aujourdhui, now(), qui, typed, force))


@contact_app.command("liste", cls=FrenchCommand)
@handled
def list_(
    qui: Annotated[str | None, typer.Argument(
        help="Un client (sinon tous ceux qui ont des contacts).", show_default=False)] = None,
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Lister les contacts d'un client, ou de tous les clients.

    Exemple : relances contact liste martin
    """
    from relances.services.contacts import list_contacts
    from relances.ui.console import print_json
    from relances.ui.contacts import listing, listing_json

    result = list_contacts(fichier, aujourdhui, qui)
    if json:
        print_json(listing_json(result))
    else:
        listing(result)


@contact_app.command("retirer", cls=FrenchCommand)
@handled
def remove(
    qui: Who,
    nom: Annotated[str, typer.Argument(help="Nom du contact, ou un morceau qui suffit.",
                                       show_default=False)],
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Retirer une personne des contacts d'un client (les lignes suivantes remontent).

    Exemple : relances contact retirer martin roux
    """
    from relances.services.contacts import remove_contact
    from relances.ui.contacts import removed

    removed(remove_contact(fichier, aujourdhui, now(), qui, nom, force))
