"""The command line itself: every usage error in French, with exit code 2, and --version."""

from __future__ import annotations

import importlib.metadata

import pytest
from conftest import Run, flat


@pytest.mark.parametrize(("args", "message"), [
    (("lsite",), "Commande inconnue : « lsite ». Vouliez-vous dire « liste » ? "
                 "Aide : relances -h."),
    (("maj",), "Il manque l'argument QUI. Aide : relances maj -h."),
    (("liste", "--nope"), "Option inconnue : « --nope ». Aide : relances liste -h."),
    (("liste", "--jsno"), "Option inconnue : « --jsno ». Vouliez-vous dire « --json » ? "
                          "Aide : relances liste -h."),
    (("semaine", "--jours", "abc"), "Valeur invalide pour --jours : « abc » n'est pas un "
                                    "nombre entier. Aide : relances semaine -h."),
    (("liste", "--fichier"), "L'option --fichier attend une valeur. Aide : relances liste -h."),
    (("voir", "Martin", "Menuiserie"),
     "Argument en trop : « Menuiserie ». Un nom qui contient des espaces se met entre "
     "guillemets : « relances voir \"Martin Menuiserie\" ». Aide : relances voir -h."),
])
def test_usage_errors_are_french(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert flat(result.output) == message
    assert "Error" not in result.output and "Try" not in result.output


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.output == f"relances {importlib.metadata.version('relances')}\n"
