"""Commands that write beside the workbook or read from elsewhere: analyse, accueil, importer,
exporter; and the reading of importer's typed --colonne "En-tête=champ"."""

from collections.abc import Sequence
from typing import Annotated

import typer
import typer.core

from relances.cli.app import command
from relances.cli.options import AS_DATE, AS_TRADE, File, Force, Json, Today, now


@command("analyse")
def analyse(
    depuis: Annotated[str | None, typer.Option(
        help="Début de la période (par défaut le 1er janvier) : 01/10/2025, « 1er octobre »…",
        show_default=False, callback=AS_DATE)] = None,
    jusqu_au: Annotated[str | None, typer.Option(
        "--jusqu-au", help="Fin de la période, comprise (par défaut aujourd'hui, jamais "
        "au-delà).", show_default=False, callback=AS_DATE)] = None,
    responsable: Annotated[str | None, typer.Option(
        help="Seulement les prospects et les relances de ce responsable.",
        show_default=False)] = None,
    pdf: Annotated[str | None, typer.Option(
        help="Écrire aussi le tableau de bord en PDF (A4) : un fichier .pdf, ou un dossier "
        "(nom analyse-performance-MOIS-ANNÉE.pdf) ; remplacé s'il existe.",
        show_default=False)] = None,
    sans_classeur: Annotated[bool, typer.Option(
        "--sans-classeur", help="Ne pas mettre à jour la feuille Tableau de bord : le "
        "classeur n'est pas modifié.")] = False,
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Analyser les performances : conversion, chiffre d'affaires, délais, sources, responsables.

    Chaque chiffre est donné avec sa définition, suivi des recommandations. La feuille
    Tableau de bord reçoit les données et les graphiques de l'analyse (ses indicateurs
    en direct restent) ; si le classeur est ouvert dans Excel, l'analyse s'affiche quand
    même, sans mettre la feuille à jour. Période par défaut : du 1er janvier à aujourd'hui.

    Exemple : relances analyse --depuis 01/01/2026 --pdf analyse.pdf
    """
    from relances.services.analysis import analyse
    from relances.ui.analysis import analysis, analysis_json
    from relances.ui.common import warn_problems
    from relances.ui.console import error, print_json

    result = analyse(fichier, aujourdhui, now(), depuis,
                              jusqu_au, responsable, pdf, not sans_classeur, force)
    if json:
        warn_problems(result.problems)
        print_json(analysis_json(result))
        if result.not_refreshed:
            error(f"Tableau de bord non mis à jour : {result.not_refreshed}")
    else:
        analysis(result)


@command("accueil")
def welcome(
    qui: Annotated[str, typer.Argument(
        help="ID ou morceau du nom du client : 8, petit.", show_default=False)],
    metier: Annotated[str | None, typer.Option(
        help="btp, commerce ou services : met l'accent sur ce qui compte dans ce métier "
        "(autorisations, sécurité et voisinage ; livraison, garanties et SAV ; "
        "confidentialité, calendrier et reporting).", show_default=False,
        callback=AS_TRADE)] = None,
    sortie: Annotated[str | None, typer.Option(
        help="Fichier .pdf (à imprimer) ou .md (Markdown) à écrire, ou dossier où l'écrire "
        "(sinon accueil-NOM.pdf à côté du classeur).", show_default=False)] = None,
    dossier: Annotated[bool, typer.Option(
        "--dossier", help="Créer aussi le dossier du client à côté du classeur, "
        "clients/NOM/, avec ses sous-dossiers contrat, plans, factures, correspondance et "
        "photos ; ce qui existe déjà n'est jamais touché.")] = False,
    remplacer: Annotated[bool, typer.Option(
        "--remplacer", help="Écraser la liste si elle existe déjà et a changé (cases "
        "cochées comprises).")] = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Préparer l'accueil d'un client gagné : la liste à cocher, en PDF imprimable.

    Informations à recueillir, documents, démarrage (J+1), organisation (J+2 à J+7), suivi
    qualité, clôture, puis les relances de satisfaction (J+15, J+90) et annuelle, datées
    depuis la signature (Statut depuis) ; pack d'accueil au-dessus de 10 000 €. Les cases se
    cochent à l'écran ou au stylo. Une liste déjà écrite n'est remplacée qu'avec
    --remplacer ; le classeur n'est pas modifié.

    Exemple : relances accueil petit --metier btp --dossier
    """
    from relances.services.exchange import welcome
    from relances.ui.exchange import welcome_written

    welcome_written(welcome(fichier, aujourdhui, qui, metier, sortie, dossier, remplacer))


@command("importer")
def import_(
    source: Annotated[str, typer.Argument(
        help="Fichier à importer : .csv (séparé par ; , ou tabulation), .xlsx, .xls, .ods, "
        "ou le .json des comptes écrit par relances exporter --format json.",
        show_default=False)],
    simulation: Annotated[bool, typer.Option(
        "--simulation", help="Montrer ce qui serait ajouté, complété ou ignoré, et pourquoi, "
        "sans rien écrire.")] = False,
    feuille: Annotated[str | None, typer.Option(
        help="Feuille du classeur à lire (sinon la première dont les en-têtes sont reconnus).",
        show_default=False)] = None,
    colonne: Annotated[list[str] | None, typer.Option(
        help="« En-tête=champ » : lire cette colonne comme ce champ du suivi (Nom, Email, "
        "Téléphone, Statut, Montant, Prochaine relance, Notes…, Prénom, ou Ignorer) ; option "
        "répétable.", show_default=False)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Importer des prospects d'un autre fichier : CSV, classeur, export HubSpot ou Pipedrive.

    Les en-têtes sont reconnus par leur nom (ceux du suivi et leurs synonymes, le tableau
    CRM classique Nom, Prénom, Entreprise…, les exports HubSpot et Pipedrive). Un prospect
    déjà présent (même email, ou même nom) n'est jamais dupliqué : seules ses cases vides
    sont remplies, et les valeurs différentes sont signalées sans être écrasées. Les lignes
    illisibles sont ignorées avec leur raison ; la prochaine relance et l'action viennent de
    la cadence. Réimporter le même fichier ne change rien.

    Un fichier de comptes JSON (relances exporter --format json) se relit sans perte : les
    champs tels qu'ils étaient, les contacts, les échanges du Journal, et les ID quand ils
    sont libres dans le suivi.

    Exemple : relances importer prospects.csv --simulation
    """
    from relances.services.exchange import import_prospects
    from relances.ui.common import progress
    from relances.ui.exchange import imported

    overrides = column_options(colonne or ())
    with progress() as report:
        result = import_prospects(
            fichier, aujourdhui, now(), source, simulation,
            feuille, overrides, force, report)
    imported(result)


def column_options(options: Sequence[str]) -> list[tuple[str, str]]:
    """--colonne "En-tête=champ" → (header, field); every option is checked before the
    file is read."""
    from relances.core import schema
    from relances.core.errors import InvalidInput
    from relances.core.importing import field_choices, field_named

    pairs = []
    for option in options:
        header, equal, word = option.rpartition("=")
        if not equal or not header.strip() or not word.strip():
            raise InvalidInput(
                f"--colonne : « {option} » doit avoir la forme \"En-tête=champ\", par exemple "
                "--colonne \"Raison sociale=Nom\" ou --colonne \"Ville=Ignorer\".")
        field = field_named(word)
        if field in ("id", *schema.FORMULA_KEYS):
            raise InvalidInput(
                f"--colonne : « {word.strip()} » est calculé par relances (ID, Délai, CA "
                "pondéré) et ne s'importe pas : choisissez un autre champ ou Ignorer.")
        if field is None:
            raise InvalidInput(
                f"--colonne : « {word.strip()} » n'est pas un champ du suivi. Champs possibles : "
                f"{', '.join(field_choices())}, ou Ignorer.")
        pairs.append((header.strip(), field))
    return pairs


@command("exporter")
def export(
    format_: Annotated[str, typer.Option(
        "--format", help="csv (toutes les colonnes, pour Excel), hubspot ou pipedrive "
        "(colonnes et valeurs attendues par leur import), json (chaque compte client : "
        "fiche, adresse, contacts, échanges, cadence).")] = "csv",
    sortie: Annotated[str | None, typer.Option(
        help="Fichier .csv (.json pour --format json) à écrire, ou dossier où l'écrire "
        "(sinon relances-export-AAAA-MM-JJ.csv, relances-hubspot-…, relances-pipedrive-… "
        "ou relances-comptes-AAAA-MM-JJ.json à côté du classeur) ; remplacé s'il existe.",
        show_default=False)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Exporter le suivi en CSV (pour Excel, HubSpot ou Pipedrive) ou les comptes en JSON.

    Le fichier JSON rassemble chaque compte client en un document (fiche, adresse,
    contacts, échanges du Journal, étape de la cadence) ; relances importer le relit sans
    perte. Le classeur n'est pas modifié. Toute cellule qui commence par =, +, -, @ ou une
    tabulation est précédée d'une apostrophe, pour qu'aucun tableur ne la prenne pour
    une formule.

    Exemple : relances exporter --format hubspot --sortie hubspot.csv
    """
    from relances.services.exchange import export
    from relances.ui.exchange import exported

    exported(export(fichier, aujourdhui, format_, sortie))
