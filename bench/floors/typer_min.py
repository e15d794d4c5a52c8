"""Floor for `relances --help`: the smallest one-command Typer app.

`python typer_min.py --help` uses Typer's defaults (rich help panels, completion
options); `python typer_min.py --plain --help` uses the settings relances itself
uses (rich_markup_mode=None, add_completion=False): plain Click help, no rich.
"""

import sys

import typer

if "--plain" in sys.argv:
    sys.argv.remove("--plain")
    app = typer.Typer(rich_markup_mode=None, add_completion=False)
else:
    app = typer.Typer()


@app.command()
def main(nom: str) -> None:
    """Dire bonjour."""
    print(f"Bonjour {nom}")


if __name__ == "__main__":
    app()
