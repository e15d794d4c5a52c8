"""The Typer application in French: its help, its usage errors (one French sentence, exit code 2),
and the one place where an expected error becomes a message and an exit code."""

import functools
import gc
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

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

        def show_error(message: str) -> None:
            from relances.ui.console import error

            error(message)

        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as failure:
            if not standalone_mode:
                raise
            words = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
            command = next((w for w in words if w in self.commands), None)
            show_error(usage_error(failure, command))
            raise SystemExit(2) from None
        except Abort:
            if not standalone_mode:
                raise
            show_error("Abandon : rien n'a été écrit.")
            raise SystemExit(1) from None
        except Exception as failure:  # an option's value, or the command's work
            from relances.core.errors import RelancesError
            from relances.ui.options import OPTION_NAMES

            if not standalone_mode or not isinstance(failure, RelancesError):
                raise
            show_error(failure.worded(OPTION_NAMES))
            raise SystemExit(failure.exit_code) from None
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
    "nom": "NOM", "qui": "QUI", "role": "RÔLE", "civilite": "CIVILITÉ", "mobile": "TEL",
    "sortie": "FICHIER", "jours": "JOURS", "jusqu_au": "DATE", "pdf": "FICHIER",
    "dossier": "DOSSIER", "modeles": "DOSSIER", "metier": "METIER",
    "source": "SOURCE", "feuille": "NOM", "colonne": "EN-TÊTE=CHAMP", "format_": "FORMAT",
    "satisfaction": "NOTE",
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


F = TypeVar("F", bound=Callable[..., Any])


def handled(function: F) -> F:
    """Ctrl-C ends as one French sentence and exit code 130, never a traceback (an
    expected error reaches FrenchGroup.main, which words it)."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KeyboardInterrupt:
            from relances.ui.console import error as show_error

            show_error("Interrompu : rien n'a été écrit.")
            raise typer.Exit(code=130) from None

    return run  # type: ignore[return-value]


def command(name: str) -> Callable[[F], F]:
    """Register a command run through `handled`."""

    def register(function: F) -> F:
        app.command(name, cls=FrenchCommand)(handled(function))
        return function

    return register


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"relances {version('relances')}")
        raise typer.Exit()


def main() -> None:
    """Console-script entry point.

    A command lives for a second and keeps what it reads until it ends: 10 000 rows are
    a few hundred thousand objects that Python's cyclic collector, at its default
    thresholds, would walk again and again while they are built (a fifth of `ajouter`'s
    time). Collecting less often, as mypy does, costs no memory here: those objects are
    freed by reference counting, not by the collector. At exit, frozen objects are left
    to the system rather than walked once more by the final collection; every file the
    command writes is closed by then."""
    from relances.ui.console import prepare_streams

    gc.set_threshold(200_000, 30, 30)
    prepare_streams()
    try:
        app()
    finally:
        gc.freeze()
