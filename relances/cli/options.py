"""Options every command shares, the callbacks that turn what is typed into values, and what
the command line reads from outside: the environment, the clock, the user's answers."""

import importlib
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

DEFAULT_FILE = "relances-clients.xlsx"


def _workbook(typed: Path | None) -> Path:
    """One place decides which workbook: --fichier, then RELANCES_FICHIER, then the default."""
    chosen = typed or os.environ.get("RELANCES_FICHIER") or DEFAULT_FILE
    return Path(chosen).expanduser()


def _today(ctx: typer.Context, typed: str | None) -> date:
    """The only place the day is read from the clock; --aujourdhui or RELANCES_AUJOURDHUI
    replace it. Read before any other option (eager), since dates typed in the others
    ("lundi", "j+7") count from it."""
    from relances.text.parsing import parse_date

    text = typed or os.environ.get("RELANCES_AUJOURDHUI")
    clock = date.today()
    source = "--aujourdhui" if typed else "RELANCES_AUJOURDHUI"
    today = (read_typed(source, lambda t: parse_date(t, clock), text) if text else None) or clock
    ctx.meta["today"] = today
    return today


def read_typed(option: str, parse: Callable[[str], Any], text: str) -> Any:
    """A value typed on the command line or at a prompt, read; one that does not read is
    refused in one sentence that names its option."""
    from relances.core.errors import InvalidInput
    from relances.text.parsing import ParseError

    try:
        return parse(text)
    except ParseError as error:
        raise InvalidInput(f"{option} : {error}.") from None


def reader(module: str, name: str, dated: bool = False) -> Callable[..., Any]:
    """A Typer callback that hands the command the value, not the text: the parser
    `name` of `module` (imported when an option is given: --help stays instant) gets the
    text, and today when `dated` (« lundi », j+7); an empty option is no value."""

    def callback(ctx: typer.Context, param: typer.CallbackParam, typed: Any) -> Any:
        found = getattr(importlib.import_module(module), name)

        def parse(text: str) -> Any:
            return found(text, ctx.meta["today"]) if dated else found(text)

        if isinstance(typed, list | tuple):
            return [read_typed(param.opts[0], parse, text) for text in typed]
        return read_typed(param.opts[0], parse, typed) if typed else None

    return callback


AS_DATE = reader("relances.text.parsing", "parse_date", dated=True)
AS_AMOUNT = reader("relances.text.parsing", "parse_amount")
AS_PROBABILITY = reader("relances.text.parsing", "parse_probability")
AS_EMAIL = reader("relances.text.parsing", "check_email")
AS_SCORE = reader("relances.text.parsing", "parse_score")
AS_STATUS = reader("relances.core.schema", "parse_status")
AS_CHANNEL = reader("relances.core.schema", "parse_channel")
AS_OUTCOME = reader("relances.core.schema", "parse_outcome")
AS_ACTION = reader("relances.core.schema", "parse_action")
AS_TRADE = reader("relances.core.onboarding", "parse_trade")
"""Callbacks of the options that take a date, an amount, a probability, a status…: the
command receives the value (a date, a Decimal, a fraction, a Status), never the text."""


def days_option(days: int) -> int:
    """--jours counts days ahead: never fewer than none."""
    from relances.core.errors import InvalidInput

    if days < 0:
        raise InvalidInput(f"--jours : « {days} » doit être un nombre de jours positif.")
    return days


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


Days = Annotated[int, typer.Option(
    "--jours", help="Longueur de la période, à partir d'aujourd'hui (le dernier jour compris).",
    callback=days_option)]


Owner = Annotated[str | None, typer.Option(
    "--responsable", help="Seulement les prospects de ce responsable.", show_default=False)]


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
