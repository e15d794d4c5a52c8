"""Options every command shares, and what the command line reads from outside: the environment, the
clock, the user's answers."""

import os
import sys
from datetime import date
from typing import Annotated

import typer
import typer.core

# The option that sets each parameter named by an error below cli (see core/errors).
OPTION_NAMES = {
    "today": "--aujourdhui",
    "file": "--fichier",
    "output": "--sortie",
    "days": "--jours",
    # agenda, import and export
    # drafts, templates and PDFs
    "templates": "--modeles",
    "pdf": "--pdf",
}

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


def on_terminal() -> bool:
    """Someone is there to answer a question (never a script, never a pipe)."""

    return sys.stdin.isatty()


def ask_yes_no(question: str) -> bool:
    """A yes-or-no question in French: o, oui (or y, yes) say yes; anything else, no."""
    answer = typer.prompt(f"{question} (o/n)", default="n", show_default=False)
    return answer.strip().lower() in ("o", "oui", "y", "yes")


def today_from(option: str | None) -> date:
    """The only place the clock is read; --aujourdhui or RELANCES_AUJOURDHUI replace it."""
    from relances.core.errors import InvalidInput
    from relances.text.parsing import ParseError, parse_date

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
