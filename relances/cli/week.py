"""Commands for the week ahead: the bare relances, semaine, agenda, emails, modeles."""

from typing import Annotated

import typer
import typer.core

from relances.cli.app import _version, app, command, handled
from relances.cli.options import Days, File, Json, Owner, Today


@command("semaine")
def weekly(
    jours: Days = 7,
    responsable: Owner = None,
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """La routine du lundi : relances en retard, à faire cette semaine, prospects à trancher.

    Exemple : relances semaine --responsable Claire
    """
    from relances.services.week import weekly
    from relances.ui.common import warn_problems
    from relances.ui.console import print_json
    from relances.ui.week import week, week_json

    result = weekly(fichier, aujourdhui, jours, responsable)
    if json:
        warn_problems(result.problems)
        print_json(week_json(result))
    else:
        week(result)


@command("agenda")
def agenda(
    jours: Days = 7,
    sortie: Annotated[str | None, typer.Option(
        help="Fichier .ics à écrire, ou dossier où l'écrire (sinon relances-semaine-NN.ics "
        "à côté du classeur, NN le numéro de semaine) ; remplacé s'il existe.",
        show_default=False)] = None,
    routine: Annotated[bool, typer.Option(
        "--routine", help="Ajouter les rendez-vous hebdomadaires de la routine : lundi "
        "9h-9h15 mise à jour du suivi, vendredi 17h-17h30 revue de la semaine.")
    ] = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Exporter les relances de la période dans un fichier d'agenda (.ics).

    Un événement de 15 minutes par relance, à l'heure des relances (Paramètres), avec un
    rappel ; les relances en retard sont placées au premier jour ouvré à partir
    d'aujourd'hui. Réimporté dans Outlook, Google Agenda ou Calendrier, le fichier met
    à jour les mêmes événements. Le classeur n'est pas modifié.

    Exemple : relances agenda --jours 14 --routine
    """
    from relances.services.week import agenda
    from relances.ui.week import agenda_written

    agenda_written(agenda(fichier, aujourdhui, jours, sortie, routine))


@command("emails")
def emails(
    jours: Days = 7,
    dossier: Annotated[str | None, typer.Option(
        "--sortie", help="Dossier où écrire les brouillons (sinon emails-semaine-NN à côté "
        "du classeur, NN le numéro de semaine).", show_default=False)] = None,
    modeles: Annotated[str | None, typer.Option(
        help="Dossier de vos modèles (sinon le dossier modeles à côté du classeur, s'il "
        "existe) : chacun de ses fichiers remplace le modèle intégré du même nom.",
        show_default=False)] = None,
    remplacer: Annotated[bool, typer.Option(
        "--remplacer", help="Refaire les brouillons déjà présents (sinon ils sont gardés "
        "tels quels, vos retouches comprises).")] = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Préparer les brouillons d'emails et les scripts d'appel des relances de la période.

    Un brouillon .eml par relance prévue par Email (Outlook, Thunderbird ou Mail l'ouvrent
    prêt à relire et envoyer), un script d'appel par relance prévue par Tel, et index.txt
    qui les récapitule avec les prospects laissés de côté et pourquoi. Les relances en
    retard sont comprises ; le classeur n'est pas modifié.

    Exemple : relances emails --jours 14
    """
    from relances.services.week import drafts
    from relances.ui.week import drafts_written

    drafts_written(drafts(fichier, aujourdhui, jours, dossier, modeles, remplacer))


@command("modeles")
def templates(
    modeles: Annotated[str | None, typer.Option(
        help="Dossier où copier les modèles (sinon le dossier modeles à côté du classeur).",
        show_default=False)] = None,
    fichier: File = None,
) -> None:
    """Copier les modèles d'emails et de scripts d'appel pour les personnaliser.

    Un fichier déjà présent n'est jamais remplacé. relances emails utilise ensuite vos
    fichiers à la place des modèles intégrés, fichier par fichier.

    Exemple : relances modeles
    """
    from relances.services.week import copy_templates
    from relances.ui.week import templates_copied

    templates_copied(copy_templates(fichier, modeles))


@app.callback()
@handled
def overview(
    ctx: typer.Context,
    fichier: File = None,
    aujourdhui: Today = None,
    version: Annotated[bool, typer.Option(
        "--version", help="Afficher la version de relances et quitter.", callback=_version,
        is_eager=True)] = False,
) -> None:
    """Sans commande : combien de relances en retard et cette semaine."""
    if ctx.invoked_subcommand is not None:
        # `relances -f autre.xlsx semaine`: options typed before the command apply to it
        # (its own --fichier still wins) rather than being silently ignored.
        given = {name: value for name, value in (("fichier", fichier),
                                                  ("aujourdhui", aujourdhui)) if value}
        if given:
            ctx.default_map = {ctx.invoked_subcommand: given}
        return
    from relances.services.week import weekly
    from relances.ui.week import summary

    summary(weekly(fichier, aujourdhui))
