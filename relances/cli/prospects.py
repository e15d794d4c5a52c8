"""Commands on the prospects: init, ajouter, liste, voir, verifier, annuler, maj, planifier,
regles."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from relances.cli.app import command
from relances.cli.options import (
    AS_ACTION,
    AS_AMOUNT,
    AS_CHANNEL,
    AS_DATE,
    AS_EMAIL,
    AS_OUTCOME,
    AS_PROBABILITY,
    AS_SCORE,
    AS_STATUS,
    File,
    Force,
    Json,
    Owner,
    Today,
    ask_yes_no,
    now,
    on_terminal,
    read_typed,
)


@command("init")
def init(
    exemple: Annotated[bool, typer.Option(
        "--exemple", help="Remplir avec des prospects d'exemple pour découvrir l'outil.")] = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Créer le classeur de suivi (jamais par-dessus un fichier existant).

    Exemple : relances init --exemple
    """
    from relances.services.prospects import init
    from relances.ui.prospects import created

    created(init(fichier, aujourdhui, exemple))


@command("ajouter")
def add(
    nom: Annotated[str, typer.Argument(help="Nom du client ou du prospect.", show_default=False)],
    contact: Annotated[str | None, typer.Option(
        help="« email / téléphone » en une fois.", show_default=False)] = None,
    email: Annotated[str | None, typer.Option(help="Adresse email.", show_default=False,
                                              callback=AS_EMAIL)] = None,
    tel: Annotated[str | None, typer.Option(help="Téléphone.", show_default=False)] = None,
    statut: Annotated[str | None, typer.Option(
        help="Prospect (par défaut), Devis envoyé, Négociation, Gagné ou Perdu.",
        show_default=False, callback=AS_STATUS)] = None,
    source: Annotated[str | None, typer.Option(
        help="Origine du contact : site web, recommandation, salon…", show_default=False)] = None,
    projet: Annotated[str | None, typer.Option(help="Description courte.",
                                               show_default=False)] = None,
    montant: Annotated[str | None, typer.Option(
        help="Montant estimé : 8500, « 8 500 € », 15k.", show_default=False,
        callback=AS_AMOUNT)] = None,
    proba: Annotated[str | None, typer.Option(
        help="Probabilité : 40, 40 %, 0.4 (sinon celle du statut, dans Paramètres).",
        show_default=False, callback=AS_PROBABILITY)] = None,
    premiere: Annotated[str | None, typer.Option(
        help="Première interaction (par défaut aujourd'hui).", show_default=False,
        callback=AS_DATE)] = None,
    dernier: Annotated[str | None, typer.Option(
        help="Dernier contact (par défaut la première interaction).", show_default=False,
        callback=AS_DATE)] = None,
    prochaine: Annotated[str | None, typer.Option(
        help="Prochaine relance : 27/01/2026, « 27 janvier », lundi, j+7, « fin janvier »…",
        show_default=False, callback=AS_DATE)] = None,
    action: Annotated[str | None, typer.Option(
        help="Action prévue : Email, Tel, RDV, Devis…", show_default=False,
        callback=AS_ACTION)] = None,
    note: Annotated[str | None, typer.Option(help="Notes.", show_default=False)] = None,
    responsable: Annotated[str | None, typer.Option(
        help="Qui suit ce prospect.", show_default=False)] = None,
    interlocuteur: Annotated[str | None, typer.Option(
        help="« M. Martin » : pour « Bonjour Monsieur Martin ».", show_default=False)] = None,
    depuis: Annotated[str | None, typer.Option(
        help="Début du statut, point de départ de la cadence (par défaut la première "
        "interaction).", show_default=False, callback=AS_DATE)] = None,
    doublon: Annotated[bool, typer.Option(
        "--doublon", help="Ajouter même si un prospect du même nom est déjà dans le "
        "suivi.")] = False,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Ajouter un prospect en bas du suivi, avec le prochain ID libre.

    Sans --prochaine, la prochaine relance et l'action viennent de la cadence (Règles).

    Exemple : relances ajouter "Menuiserie Bois Fort" --contact "j.fort@boisfort.fr"
    --statut "Devis envoyé" --montant "8 500 € HT" --prochaine j+3 --action Email
    """
    from relances.core.errors import InvalidInput
    from relances.core.model import Prospect
    from relances.services.prospects import add
    from relances.text.parsing import check_email, split_contact
    from relances.ui.prospects import added

    if not nom.strip():
        raise InvalidInput("Le nom du prospect est vide : donnez-le entre guillemets, "
                           "par exemple relances ajouter \"Martin Menuiserie\".")
    if contact:
        found_email, found_phone = split_contact(contact)
        email = email or (read_typed("--email", check_email, found_email)
                          if found_email else None)
        tel = tel or found_phone
    typed = Prospect(
        nom, email=email, phone=tel, status=statut, source=source, project=projet,
        amount=montant, probability=proba, first_contact=premiere, last_contact=dernier,
        next_followup=prochaine, action=action, notes=note, owner=responsable,
        interlocutor=interlocuteur, status_since=depuis)
    added(add(fichier, aujourdhui, now(), typed, force, doublon, contact is not None))


@command("liste")
def listing(
    statut: Annotated[list[str] | None, typer.Option(
        help="Seulement ce statut (option répétable).", show_default=False,
        callback=AS_STATUS)] = None,
    proba_min: Annotated[str | None, typer.Option(
        "--proba-min", help="Probabilité minimale : 70, 70 %.", show_default=False,
        callback=AS_PROBABILITY)] = None,
    avant: Annotated[str | None, typer.Option(
        help="Prochaine relance au plus tard ce jour-là : vendredi, j+7, 31/01…",
        show_default=False, callback=AS_DATE)] = None,
    responsable: Owner = None,
    chercher: Annotated[str | None, typer.Option(
        help="Texte cherché dans le nom, le contact, le projet et les notes (sans tenir "
        "compte des accents ni des majuscules).", show_default=False)] = None,
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Lister les prospects, triés par prochaine relance, colorés comme le classeur.

    Exemple : relances liste --statut "Devis envoyé" --avant vendredi
    """
    from relances.core.accounts import prospect_fields
    from relances.services.prospects import Filters, list_prospects
    from relances.ui.common import warn_problems
    from relances.ui.console import print_json
    from relances.ui.prospects import listing

    filters = Filters(statut or (), proba_min, avant, responsable, chercher)
    result = list_prospects(fichier, aujourdhui, filters, table=not json)
    if json:
        warn_problems(result.problems)
        print_json([prospect_fields(p) for p in result.prospects])
    else:
        listing(result)


@command("voir")
def show(
    qui: Annotated[str, typer.Argument(
        help="ID ou morceau du nom : 3, martin, dupont.", show_default=False)],
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Afficher la fiche complète d'un prospect et son historique.

    Exemple : relances voir martin
    """
    from relances.core.accounts import accounts
    from relances.services.prospects import show
    from relances.ui.console import print_json
    from relances.ui.prospects import card

    result = show(fichier, aujourdhui, qui)
    if json:
        print_json(accounts(result.tracker, [result.prospect])[0])
    else:
        card(result)


@command("verifier")
def check(fichier: File = None, aujourdhui: Today = None) -> None:
    """Lister tous les problèmes du classeur (dates impossibles, statuts inconnus…).

    Sort avec le code 1 s'il y en a.

    Exemple : relances verifier
    """
    from relances.services.prospects import check
    from relances.ui.prospects import checked

    result = check(fichier, aujourdhui)
    checked(result)
    if result.problems:
        raise typer.Exit(code=1)


@command("annuler")
def undo(fichier: File = None, force: Force = False) -> None:
    """Revenir à la version du classeur d'avant la dernière écriture de relances.

    La version remplacée est gardée dans le dossier sauvegardes.

    Exemple : relances annuler
    """
    from relances.services.prospects import undo
    from relances.ui.prospects import restored

    restored(undo(fichier, now(), force))


@command("maj")
def update(
    qui: Annotated[str, typer.Argument(
        help="ID ou morceau du nom : 3, martin.", show_default=False)],
    date_: Annotated[str | None, typer.Option(
        "--date", help="Date de l'échange (par défaut aujourd'hui).", show_default=False,
        callback=AS_DATE)] = None,
    canal: Annotated[str | None, typer.Option(
        help="Email, Tel, RDV, Devis, Visite ou Autre.", show_default=False,
        callback=AS_CHANNEL)] = None,
    resume: Annotated[str | None, typer.Option(
        help="Ce qui s'est dit, en une phrase (va dans l'Historique et le Journal).",
        show_default=False)] = None,
    issue: Annotated[str | None, typer.Option(
        help="injoignable, interesse, rdv, devis, gagne ou perdu.", show_default=False,
        callback=AS_OUTCOME)] = None,
    statut: Annotated[str | None, typer.Option(
        help="Nouveau statut (Statut depuis et Relances faites repartent de zéro).",
        show_default=False, callback=AS_STATUS)] = None,
    proba: Annotated[str | None, typer.Option(
        help="Nouvelle probabilité : 40, 40 %.", show_default=False,
        callback=AS_PROBABILITY)] = None,
    prochaine: Annotated[str | None, typer.Option(
        help="Prochaine relance, à la place de celle de la cadence.", show_default=False,
        callback=AS_DATE)] = None,
    action: Annotated[str | None, typer.Option(
        help="Action prévue, à la place de celle de la cadence.", show_default=False,
        callback=AS_ACTION)] = None,
    alerte: Annotated[str | None, typer.Option(
        help="Texte d'alerte (ligne orange), « aucune » pour l'effacer.",
        show_default=False)] = None,
    motif: Annotated[str | None, typer.Option(
        help="Pourquoi l'affaire est perdue (colonne Motif perte).", show_default=False)] = None,
    note: Annotated[str | None, typer.Option(
        help="Texte ajouté aux Notes.", show_default=False)] = None,
    satisfaction: Annotated[str | None, typer.Option(
        help="Note du client gagné, de 1 à 5, après l'appel de satisfaction (colonne "
        "Satisfaction, ajoutée au besoin).", show_default=False, callback=AS_SCORE)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Noter un échange avec un prospect : la prochaine relance est planifiée pour vous.

    Lancée dans un terminal avec seulement QUI, elle pose les questions.
    Exemple : relances maj martin --canal Tel --resume "Veut comparer 2 devis" --proba 40
    --prochaine 20/02/2026 --action Email --alerte concurrence
    """
    from relances.services.update import Answers, update
    from relances.ui.prospects import updated

    path, today = fichier, aujourdhui
    answers = Answers(date_, canal, resume, issue, statut, proba, prochaine, action,
                      alerte, motif, note, satisfaction)
    if answers == Answers() and on_terminal():
        answers = _ask_update(path, today, qui)
    updated(_confirmed(lambda: update(path, today, now(), qui, answers, force), answers))


def _confirmed(call: Callable[[], Any], answers: Any) -> Any:
    """A date that looks like a typo (an exchange more than a year back) is asked about
    on a terminal; a script gets the refusal, which says how to go on."""
    from relances.core.errors import InvalidInput, NeedsConfirmation

    try:
        return call()
    except NeedsConfirmation as doubt:
        if not on_terminal():
            raise
        if not ask_yes_no(doubt.question):
            raise InvalidInput("Rien n'a été écrit : corrigez la date de l'échange avec "
                               "--date.") from None
        answers.old_date_confirmed = True
        return call()


def _ask_update(path: Path, today: date, qui: str) -> Any:
    """Two minutes after a call: the questions, with the cadence's date as the default."""
    from relances.core.model import Outcome, Status
    from relances.core.schema import parse_channel, parse_outcome
    from relances.services.update import Answers, preview
    from relances.text.parsing import parse_date, parse_probability, parse_score
    from relances.text.show import format_date, format_percent
    from relances.ui.console import console

    before, _ = preview(path, today, qui, Answers())
    console.print(f"{before.name} — {before.status.value if before.status else 'Prospect'}")
    def asked(option: str, parse: Callable[[str], Any], question: str, **prompt: Any) -> Any:
        text = typer.prompt(question, **prompt)
        return read_typed(option, parse, text) if text else None

    answers = Answers(
        channel=asked("--canal", parse_channel, "Canal (Email, Tel, RDV, Devis, Visite, Autre)",
                      default="Tel"),
        summary=typer.prompt("Résumé de l'échange", default="", show_default=False) or None,
        outcome=asked("--issue", parse_outcome, "Issue (Entrée : relance simple ; "
                      "injoignable, interesse, rdv, devis, gagne, perdu)", default="",
                      show_default=False),
    )
    answers.probability = asked(
        "--proba", parse_probability, "Probabilité", default=format_percent(before.probability)
        if before.probability is not None else "", show_default=True)
    if before.status is Status.WON and answers.outcome is None:
        answers.satisfaction = asked("--satisfaction", parse_score,
                                     "Note de satisfaction, de 1 à 5 (Entrée : aucune)",
                                     default="", show_default=False)
    if answers.outcome is Outcome.MEETING:
        answers.next_date = asked("--prochaine", lambda t: parse_date(t, today),
                                  "Date du rendez-vous")
        return answers
    _, after = preview(path, today, qui, answers)
    answers.next_date = asked("--prochaine", lambda t: parse_date(t, today),
                              "Prochaine relance", default=format_date(after.next_followup))
    return answers


@command("planifier")
def plan(
    simulation: Annotated[bool, typer.Option(
        "--simulation", help="Montrer ce qui changerait, sans rien écrire.")] = False,
    recalculer: Annotated[bool, typer.Option(
        "--recalculer", help="Recalculer aussi les dates déjà saisies.")] = False,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Planifier les relances manquantes, classer Perdu les prospects muets, trier le suivi.

    Remplit les prochaines relances vides avec la cadence, remet les formules des lignes
    tapées à la main, classe Perdu après 90 jours sans interaction, liste les zombies.
    Exemple : relances planifier --simulation
    """
    from relances.services.planning import plan
    from relances.ui.prospects import planning

    planning(plan(fichier, aujourdhui, now(), simulation, recalculer, force))


@command("regles")
def rules(fichier: File = None, aujourdhui: Today = None) -> None:
    """Afficher la cadence de relance en vigueur (feuille Règles).

    Exemple : relances regles
    """
    from relances.services.planning import rules
    from relances.ui.prospects import cadence

    cadence(rules(fichier, aujourdhui))
