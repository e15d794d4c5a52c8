"""Options every command shares, and what the command line reads from outside: the environment, the
clock, the user's answers."""

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
import typer.core

DEFAULT_FILE = "relances-clients.xlsx"

# The option that sets each parameter named by an error below cli (see core/errors).
OPTION_NAMES = {
    "today": "--aujourdhui",
    "file": "--fichier",
    "output": "--sortie",
    "days": "--jours",
    # agenda, import and export
    "sheet": "--feuille",
    "columns": "--colonne",
    "format": "--format",
    # drafts, templates and PDFs
    "templates": "--modeles",
    "pdf": "--pdf",
}

def _workbook(typed: Path | None) -> Path:
    """One place decides which workbook: --fichier, then RELANCES_FICHIER, then the default."""
    chosen = typed or os.environ.get("RELANCES_FICHIER") or DEFAULT_FILE
    return Path(chosen).expanduser()


def _today(ctx: typer.Context, typed: str | None) -> date:
    """The only place the day is read from the clock; --aujourdhui or RELANCES_AUJOURDHUI
    replace it. Read before any other option (eager), since dates typed in the others
    ("lundi", "j+7") count from it."""
    from relances.core.errors import InvalidInput
    from relances.text.parsing import ParseError, parse_date

    text = typed or os.environ.get("RELANCES_AUJOURDHUI")
    clock = date.today()
    today = clock
    if text:
        try:
            today = parse_date(text, clock) or clock
        except ParseError as error:
            source = "--aujourdhui" if typed else "RELANCES_AUJOURDHUI"
            raise InvalidInput(f"{source} : {error}.") from None
    ctx.meta["today"] = today
    return today


def now() -> datetime:
    """The moment of a write (the backups' names): the clock, whatever day is replayed."""
    return datetime.now()


File = Annotated[Path | None, typer.Option(
    "--fichier", "-f", help="Classeur de suivi (sinon RELANCES_FICHIER, sinon "
    "relances-clients.xlsx dans le dossier courant).", show_default=False,
    callback=_workbook)]
"""Typed as the text it reads; the command receives the workbook's Path."""


Today = Annotated[str | None, typer.Option(
    "--aujourdhui", help="Date du jour à utiliser (sinon RELANCES_AUJOURDHUI, sinon "
    "l'horloge) : pour rejouer une journée.", show_default=False, is_eager=True,
    callback=_today)]
"""Typed as the text it reads; the command receives today's date."""


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
