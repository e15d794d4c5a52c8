"""Floor for read commands: the smallest one-command Typer app (relances' settings: plain
help, no completion) whose command reads the sheets with python-calamine, nothing else.

    python typer_calamine.py FILE [SHEET ...]     (default: Suivi)

Any Typer command pays the interpreter, Typer and Click before it reads a cell; a read
command of relances is held to twice this whole process.
"""

from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode=None, add_completion=False)


@app.command()
def main(file: str, sheets: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Lire les feuilles."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(file)
    rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in sheets or ["Suivi"])
    print(rows)


if __name__ == "__main__":
    app()
