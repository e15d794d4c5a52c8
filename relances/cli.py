"""The command line: one small function per command.

Each command parses its options, calls one service and hands the result to ui.
This is the single place where an expected error becomes a French message and
an exit code. Services and ui are imported inside the commands so that
`relances --help` stays instant.
"""

import functools
import gc
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import typer.core

_FRENCH = {
    "Commands": "Commandes", "[required]": "[obligatoire]", "required": "obligatoire",
    "[default: {}]": "[par défaut : {}]", "default: {default}": "par défaut : {default}",
    "Aborted!": "Abandon.", "Aborted.": "Abandon.", "Error": "Erreur",
    "Missing command.": "Commande manquante.",
}


def _french(message: str) -> str:
    return _FRENCH.get(message, message)


typer.core._ = _french  # type: ignore[attr-defined]  # Typer's few headings, said in French


class _FrenchHelp:
    """Typer's help chrome in French: the usage line and the help option's own text."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Utilisation : ")


class FrenchGroup(_FrenchHelp, typer.core.TyperGroup):
    """The whole command line: a usage error (unknown command or option, missing or
    invalid value) ends as one French sentence and exit code 2, whatever runs it (the
    console script or a test's CliRunner)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        from typer._click.exceptions import ClickException
        from typer.exceptions import Abort

        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as failure:
            if not standalone_mode:
                raise
            from relances import ui

            words = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
            command = next((w for w in words if w in self.commands), None)
            ui.error(usage_error(failure, command))
            raise SystemExit(2) from None
        except Abort:
            if not standalone_mode:
                raise
            from relances import ui

            ui.error("Abandon : rien n'a été écrit.")
            raise SystemExit(1) from None
        if standalone_mode:
            raise SystemExit(code if isinstance(code, int) else 0)
        return code


_VALUE_KINDS = {"integer": "un nombre entier", "int": "un nombre entier",
                "float": "un nombre", "boolean": "oui ou non"}


def usage_error(failure: Any, command: str | None = None) -> str:
    """A usage error of the command line (Typer's own, in English) said in French, with
    what to type instead and where to find the help."""
    from typer._click.exceptions import (
        BadOptionUsage,
        BadParameter,
        MissingParameter,
        NoSuchOption,
    )

    context = getattr(failure, "ctx", None)
    where = context.command_path if context is not None else "relances"
    if where == "relances" and command:
        where = f"relances {command}"
    help_hint = f"Aide : {where} -h."
    message = failure.message
    if isinstance(failure, NoSuchOption):
        guesses = sorted(failure.possibilities or ())
        guess = f" Vouliez-vous dire {_either(guesses)} ?" if guesses else ""
        return f"Option inconnue : « {failure.option_name} ».{guess} {help_hint}"
    if isinstance(failure, MissingParameter):
        name = (failure.param.human_readable_name if failure.param is not None else "")
        what = "l'argument" if failure.param_type == "argument" or (
            failure.param is not None and failure.param.param_type_name == "argument") \
            else "l'option"
        return f"Il manque {what} {name.strip(chr(39))}. {help_hint}"
    if isinstance(failure, BadParameter):
        name = (failure.param.get_error_hint(context) if failure.param is not None
                else "").replace("'", "")
        return f"Valeur invalide pour {name} : {_french_value(message)}. {help_hint}"
    if isinstance(failure, BadOptionUsage):
        if "requires" in message:
            return f"L'option {failure.option_name} attend une valeur. {help_hint}"
        return f"L'option {failure.option_name} ne prend pas de valeur. {help_hint}"
    unknown = re.fullmatch(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?", message)
    if unknown:
        guesses = re.findall(r"'([^']+)'", unknown[2] or "")
        guess = f" Vouliez-vous dire {_either(guesses)} ?" if guesses else ""
        return f"Commande inconnue : « {unknown[1]} ».{guess} Aide : relances -h."
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message)
    if extra:
        return (f"Argument en trop : « {extra[1]} ». Un nom qui contient des espaces se "
                f"met entre guillemets : « {where} \"Martin Menuiserie\" ». {help_hint}")
    return f"{_FRENCH.get(message, message)} {help_hint}"


def _either(choices: list[str]) -> str:
    quoted = [f"« {choice} »" for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " ou " + quoted[-1]


def _french_value(message: str) -> str:
    """Typer's reason for refusing a value, in French."""
    match = re.fullmatch(r"'(.*)' is not a valid (\w+)\.?", message)
    if match:
        return f"« {match[1]} » n'est pas {_VALUE_KINDS.get(match[2], match[2])}"
    match = re.fullmatch(r"'(.*)' is not one of (.*)\.", message)
    if match:
        choices = re.findall(r"'([^']*)'", match[2])
        return f"« {match[1]} » n'est pas un choix possible ({', '.join(choices)})"
    match = re.fullmatch(r"(.*) is not in the range (.*)\.", message)
    if match:
        return f"{match[1]} est hors des valeurs permises ({match[2]})"
    return message


_METAVARS = {
    "fichier": "FICHIER", "aujourdhui": "DATE", "premiere": "DATE", "dernier": "DATE",
    "prochaine": "DATE", "avant": "DATE", "date_": "DATE", "depuis": "DATE",
    "montant": "MONTANT", "proba": "PROBA", "proba_min": "PROBA", "statut": "STATUT",
    "action": "ACTION", "canal": "CANAL", "issue": "ISSUE", "email": "EMAIL", "tel": "TEL",
    "nom": "NOM", "qui": "QUI",
    "sortie": "FICHIER", "jours": "JOURS", "jusqu_au": "DATE", "pdf": "FICHIER",
    "dossier": "DOSSIER", "modeles": "DOSSIER", "metier": "METIER",
    "source": "SOURCE", "feuille": "NOM", "colonne": "EN-TÊTE=CHAMP", "format_": "FORMAT",
}


class FrenchCommand(_FrenchHelp, typer.core.TyperCommand):
    """Values are shown as DATE, MONTANT, TEXTE… rather than Python's <str>."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if not getattr(param, "is_flag", False):
                param.metavar = _METAVARS.get(param.name or "", "TEXTE")


app = typer.Typer(
    name="relances",
    cls=FrenchGroup,
    help="Suivi des relances commerciales dans un classeur Excel.\n\n"
    "Chaque lundi : relances semaine. Après chaque appel : relances maj martin …\n\n"
    "Sans commande : le nombre de relances en retard et de la semaine.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

File = Annotated[str | None, typer.Option(
    "--fichier", "-f", help="Classeur de suivi (sinon RELANCES_FICHIER, sinon "
    "relances-clients.xlsx dans le dossier courant).", show_default=False)]
Today = Annotated[str | None, typer.Option(
    "--aujourdhui", help="Date du jour à utiliser (sinon RELANCES_AUJOURDHUI, sinon "
    "l'horloge) : pour rejouer une journée.", show_default=False)]
Force = Annotated[bool, typer.Option(
    "--force", help="Écrire malgré un verrou d'Excel ou de LibreOffice laissé par un "
    "plantage (une sauvegarde est faite).")]
Json = Annotated[bool, typer.Option("--json", help="Sortie JSON, pour d'autres programmes.")]

F = TypeVar("F", bound=Callable[..., Any])


def handled(function: F) -> F:
    """Expected errors end as one French sentence and an exit code, never a traceback."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        from relances.errors import RelancesError

        try:
            return function(*args, **kwargs)
        except RelancesError as failure:
            from relances import ui

            ui.error(failure.message)
            raise typer.Exit(code=failure.exit_code) from None
        except KeyboardInterrupt:
            from relances import ui

            ui.error("Interrompu : rien n'a été écrit.")
            raise typer.Exit(code=130) from None

    return run  # type: ignore[return-value]


def command(name: str) -> Callable[[F], F]:
    """Register a command run through `handled`."""

    def register(function: F) -> F:
        app.command(name, cls=FrenchCommand)(handled(function))
        return function

    return register


def on_terminal() -> bool:
    """Someone is there to answer a question (never a script, never a pipe)."""
    import sys

    return sys.stdin.isatty()


def ask_yes_no(question: str) -> bool:
    """A yes-or-no question in French: o, oui (or y, yes) say yes; anything else, no."""
    answer = typer.prompt(f"{question} (o/n)", default="n", show_default=False)
    return answer.strip().lower() in ("o", "oui", "y", "yes")


def today_from(option: str | None) -> date:
    """The only place the clock is read; --aujourdhui or RELANCES_AUJOURDHUI replace it."""
    from relances.errors import InvalidInput
    from relances.parsing import ParseError, parse_date

    text = option or os.environ.get("RELANCES_AUJOURDHUI")
    clock = date.today()
    if not text:
        return clock
    try:
        value = parse_date(text, clock)
    except ParseError as error:
        source = "--aujourdhui" if option else "RELANCES_AUJOURDHUI"
        raise InvalidInput(f"{source} : {error}.") from None
    assert value is not None
    return value


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
    from relances import services, ui

    ui.created(services.init(services.resolve_path(fichier), today_from(aujourdhui), exemple))


@command("ajouter")
def add(
    nom: Annotated[str, typer.Argument(help="Nom du client ou du prospect.", show_default=False)],
    contact: Annotated[str | None, typer.Option(
        help="« email / téléphone » en une fois.", show_default=False)] = None,
    email: Annotated[str | None, typer.Option(help="Adresse email.", show_default=False)] = None,
    tel: Annotated[str | None, typer.Option(help="Téléphone.", show_default=False)] = None,
    statut: Annotated[str | None, typer.Option(
        help="Prospect (par défaut), Devis envoyé, Négociation, Gagné ou Perdu.",
        show_default=False)] = None,
    source: Annotated[str | None, typer.Option(
        help="Origine du contact : site web, recommandation, salon…", show_default=False)] = None,
    projet: Annotated[str | None, typer.Option(help="Description courte.",
                                               show_default=False)] = None,
    montant: Annotated[str | None, typer.Option(
        help="Montant estimé : 8500, « 8 500 € », 15k.", show_default=False)] = None,
    proba: Annotated[str | None, typer.Option(
        help="Probabilité : 40, 40 %, 0.4 (sinon celle du statut, dans Paramètres).",
        show_default=False)] = None,
    premiere: Annotated[str | None, typer.Option(
        help="Première interaction (par défaut aujourd'hui).", show_default=False)] = None,
    dernier: Annotated[str | None, typer.Option(
        help="Dernier contact (par défaut la première interaction).", show_default=False)] = None,
    prochaine: Annotated[str | None, typer.Option(
        help="Prochaine relance : 27/01/2026, « 27 janvier », lundi, j+7, « fin janvier »…",
        show_default=False)] = None,
    action: Annotated[str | None, typer.Option(
        help="Action prévue : Email, Tel, RDV, Devis…", show_default=False)] = None,
    note: Annotated[str | None, typer.Option(help="Notes.", show_default=False)] = None,
    responsable: Annotated[str | None, typer.Option(
        help="Qui suit ce prospect.", show_default=False)] = None,
    interlocuteur: Annotated[str | None, typer.Option(
        help="« M. Martin » : pour « Bonjour Monsieur Martin ».", show_default=False)] = None,
    depuis: Annotated[str | None, typer.Option(
        help="Début du statut, point de départ de la cadence (par défaut la première "
        "interaction).", show_default=False)] = None,
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
    from relances import services, ui

    typed = services.NewProspect(
        nom, contact, email, tel, statut, source, projet, montant, proba, premiere, dernier,
        prochaine, action, note, responsable, interlocuteur, depuis)
    ui.added(services.add(services.resolve_path(fichier), today_from(aujourdhui), typed, force,
                          doublon))


@command("liste")
def listing(
    statut: Annotated[list[str] | None, typer.Option(
        help="Seulement ce statut (option répétable).", show_default=False)] = None,
    proba_min: Annotated[str | None, typer.Option(
        "--proba-min", help="Probabilité minimale : 70, 70 %.", show_default=False)] = None,
    avant: Annotated[str | None, typer.Option(
        help="Prochaine relance au plus tard ce jour-là : vendredi, j+7, 31/01…",
        show_default=False)] = None,
    responsable: Annotated[str | None, typer.Option(
        help="Seulement les prospects de ce responsable.", show_default=False)] = None,
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
    from relances import services, ui

    filters = services.Filters(statut or (), proba_min, avant, responsable, chercher)
    result = services.list_prospects(services.resolve_path(fichier), today_from(aujourdhui),
                                     filters)
    if json:
        ui.warn_problems(result.problems)
        ui.print_json([ui.prospect_json(p) for p in result.prospects])
    else:
        ui.listing(result)


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
    from relances import services, ui

    result = services.show(services.resolve_path(fichier), today_from(aujourdhui), qui)
    if json:
        ui.print_json(ui.prospect_json(result.prospect))
    else:
        ui.card(result)


@command("verifier")
def check(fichier: File = None, aujourdhui: Today = None) -> None:
    """Lister tous les problèmes du classeur (dates impossibles, statuts inconnus…).

    Sort avec le code 1 s'il y en a.

    Exemple : relances verifier
    """
    from relances import services, ui

    result = services.check(services.resolve_path(fichier), today_from(aujourdhui))
    ui.check(result)
    if result.problems:
        raise typer.Exit(code=1)


@command("annuler")
def undo(fichier: File = None, force: Force = False) -> None:
    """Revenir à la version du classeur d'avant la dernière écriture de relances.

    La version remplacée est gardée dans le dossier sauvegardes.

    Exemple : relances annuler
    """
    from relances import services, ui

    ui.restored(services.undo(services.resolve_path(fichier), force))



@command("maj")
def update(
    qui: Annotated[str, typer.Argument(
        help="ID ou morceau du nom : 3, martin.", show_default=False)],
    date_: Annotated[str | None, typer.Option(
        "--date", help="Date de l'échange (par défaut aujourd'hui).", show_default=False)] = None,
    canal: Annotated[str | None, typer.Option(
        help="Email, Tel, RDV, Devis, Visite ou Autre.", show_default=False)] = None,
    resume: Annotated[str | None, typer.Option(
        help="Ce qui s'est dit, en une phrase (va dans l'Historique et le Journal).",
        show_default=False)] = None,
    issue: Annotated[str | None, typer.Option(
        help="injoignable, interesse, rdv, devis, gagne ou perdu.", show_default=False)] = None,
    statut: Annotated[str | None, typer.Option(
        help="Nouveau statut (Statut depuis et Relances faites repartent de zéro).",
        show_default=False)] = None,
    proba: Annotated[str | None, typer.Option(
        help="Nouvelle probabilité : 40, 40 %.", show_default=False)] = None,
    prochaine: Annotated[str | None, typer.Option(
        help="Prochaine relance, à la place de celle de la cadence.", show_default=False)] = None,
    action: Annotated[str | None, typer.Option(
        help="Action prévue, à la place de celle de la cadence.", show_default=False)] = None,
    alerte: Annotated[str | None, typer.Option(
        help="Texte d'alerte (ligne orange), « aucune » pour l'effacer.",
        show_default=False)] = None,
    motif: Annotated[str | None, typer.Option(
        help="Pourquoi l'affaire est perdue (colonne Motif perte).", show_default=False)] = None,
    note: Annotated[str | None, typer.Option(
        help="Texte ajouté aux Notes.", show_default=False)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Noter un échange avec un prospect : la prochaine relance est planifiée pour vous.

    Lancée dans un terminal avec seulement QUI, elle pose les questions.
    Exemple : relances maj martin --canal Tel --resume "Veut comparer 2 devis" --proba 40
    --prochaine 20/02/2026 --action Email --alerte concurrence
    """
    from relances import services, ui

    path, today = services.resolve_path(fichier), today_from(aujourdhui)
    answers = services.Answers(date_, canal, resume, issue, statut, proba, prochaine, action,
                               alerte, motif, note)
    if answers == services.Answers() and on_terminal():
        answers = _ask_update(path, today, qui)
    ui.updated(_confirmed(lambda: services.update(path, today, qui, answers, force),
                          answers))


def _confirmed(call: Callable[[], Any], answers: Any) -> Any:
    """A date that looks like a typo (an exchange more than a year back) is asked about
    on a terminal; a script gets the refusal, which says how to go on."""
    from relances.errors import InvalidInput, NeedsConfirmation

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
    from relances import services, ui
    from relances.parsing import format_date, format_percent

    before, _ = services.preview(path, today, qui, services.Answers())
    ui.console.print(f"{before.name} — {before.status.value if before.status else 'Prospect'}")
    answers = services.Answers(
        channel=typer.prompt("Canal (Email, Tel, RDV, Devis, Visite, Autre)", default="Tel"),
        summary=typer.prompt("Résumé de l'échange", default="", show_default=False) or None,
        outcome=typer.prompt("Issue (Entrée : relance simple ; injoignable, interesse, rdv, "
                             "devis, gagne, perdu)", default="", show_default=False) or None,
    )
    answers.probability = typer.prompt(
        "Probabilité", default=format_percent(before.probability)
        if before.probability is not None else "", show_default=True) or None
    if answers.outcome and answers.outcome.strip().lower() == "rdv":
        answers.next_date = typer.prompt("Date du rendez-vous")
        return answers
    _, after = services.preview(path, today, qui, answers)
    answers.next_date = typer.prompt("Prochaine relance",
                                     default=format_date(after.next_followup)) or None
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
    from relances import services, ui

    ui.planning(services.plan(services.resolve_path(fichier), today_from(aujourdhui),
                              simulation, recalculer, force))


@command("regles")
def rules(fichier: File = None, aujourdhui: Today = None) -> None:
    """Afficher la cadence de relance en vigueur (feuille Règles).

    Exemple : relances regles
    """
    from relances import services, ui

    ui.cadence(services.rules(services.resolve_path(fichier), today_from(aujourdhui)))


@command("semaine")
def weekly(
    jours: Annotated[int, typer.Option(
        help="Longueur de la période, à partir d'aujourd'hui.")] = 7,
    responsable: Annotated[str | None, typer.Option(
        help="Seulement les prospects de ce responsable.", show_default=False)] = None,
    json: Json = False,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """La routine du lundi : relances en retard, à faire cette semaine, prospects à trancher.

    Exemple : relances semaine --responsable Claire
    """
    from relances import services, ui

    result = services.weekly(services.resolve_path(fichier), today_from(aujourdhui), jours,
                             responsable)
    if json:
        ui.warn_problems(result.problems)
        ui.print_json(ui.week_json(result))
    else:
        ui.week(result)


@command("agenda")
def agenda(
    jours: Annotated[int, typer.Option(
        help="Longueur de la période, à partir d'aujourd'hui (le dernier jour compris).")] = 7,
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
    from relances import services, ui

    ui.agenda(services.agenda(services.resolve_path(fichier), today_from(aujourdhui), jours,
                              sortie, routine))


@command("emails")
def emails(
    jours: Annotated[int, typer.Option(
        help="Longueur de la période, à partir d'aujourd'hui (le dernier jour compris).")] = 7,
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
    from relances import services, ui

    ui.drafts(services.drafts(services.resolve_path(fichier), today_from(aujourdhui), jours,
                              dossier, modeles, remplacer))


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
    from relances import services, ui

    ui.templates_copied(services.copy_templates(services.resolve_path(fichier), modeles))


@command("analyse")
def analyse(
    depuis: Annotated[str | None, typer.Option(
        help="Début de la période (par défaut le 1er janvier) : 01/10/2025, « 1er octobre »…",
        show_default=False)] = None,
    jusqu_au: Annotated[str | None, typer.Option(
        "--jusqu-au", help="Fin de la période, comprise (par défaut aujourd'hui, jamais "
        "au-delà).", show_default=False)] = None,
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
    from relances import services, ui

    result = services.analyse(services.resolve_path(fichier), today_from(aujourdhui), depuis,
                              jusqu_au, responsable, pdf, not sans_classeur, force)
    if json:
        ui.warn_problems(result.problems)
        ui.print_json(ui.analysis_json(result))
        if result.not_refreshed:
            ui.error(f"Tableau de bord non mis à jour : {result.not_refreshed}")
    else:
        ui.analysis(result)


@command("accueil")
def welcome(
    qui: Annotated[str, typer.Argument(
        help="ID ou morceau du nom du client : 8, petit.", show_default=False)],
    metier: Annotated[str | None, typer.Option(
        help="btp, commerce ou services : met l'accent sur ce qui compte dans ce métier "
        "(autorisations, sécurité et voisinage ; livraison, garanties et SAV ; "
        "confidentialité, calendrier et reporting).", show_default=False)] = None,
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
    from relances import services, ui

    ui.welcome(services.welcome(services.resolve_path(fichier), today_from(aujourdhui), qui,
                                metier, sortie, dossier, remplacer))


@command("importer")
def import_(
    source: Annotated[str, typer.Argument(
        help="Fichier à importer : .csv (séparé par ; , ou tabulation), .xlsx, .xls ou .ods.",
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

    Exemple : relances importer prospects.csv --simulation
    """
    from relances import services, ui

    with ui.progress() as report:
        result = services.import_prospects(
            services.resolve_path(fichier), today_from(aujourdhui), source, simulation,
            feuille, colonne or (), force, report)
    ui.imported(result)


@command("exporter")
def export(
    format_: Annotated[str, typer.Option(
        "--format", help="csv (toutes les colonnes, pour Excel), hubspot ou pipedrive "
        "(colonnes et valeurs attendues par leur import).")] = "csv",
    sortie: Annotated[str | None, typer.Option(
        help="Fichier .csv à écrire, ou dossier où l'écrire (sinon "
        "relances-export-AAAA-MM-JJ.csv, relances-hubspot-… ou relances-pipedrive-… à côté "
        "du classeur) ; remplacé s'il existe.",
        show_default=False)] = None,
    fichier: File = None,
    aujourdhui: Today = None,
) -> None:
    """Exporter le suivi en CSV : pour Excel, ou pour l'import de HubSpot ou de Pipedrive.

    Le classeur n'est pas modifié. Toute cellule qui commence par =, +, -, @ ou une
    tabulation est précédée d'une apostrophe, pour qu'aucun tableur ne la prenne pour
    une formule.

    Exemple : relances exporter --format hubspot --sortie hubspot.csv
    """
    from relances import services, ui

    ui.exported(services.export(services.resolve_path(fichier), today_from(aujourdhui),
                                format_, sortie))


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"relances {version('relances')}")
        raise typer.Exit()


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
    from relances import services, ui

    ui.summary(services.weekly(services.resolve_path(fichier), today_from(aujourdhui)))


def main() -> None:
    """Console-script entry point.

    A command lives for a second and keeps what it reads until it ends: 10 000 rows are
    a few hundred thousand objects that Python's cyclic collector, at its default
    thresholds, would walk again and again while they are built (a fifth of `ajouter`'s
    time). Collecting less often, as mypy does, costs no memory here: those objects are
    freed by reference counting, not by the collector. At exit, frozen objects are left
    to the system rather than walked once more by the final collection; every file the
    command writes is closed by then."""
    from relances.console import prepare_streams

    gc.set_threshold(200_000, 30, 30)
    prepare_streams()
    try:
        app()
    finally:
        gc.freeze()
