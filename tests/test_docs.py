"""Help is documentation, and documentation is tested (as sqlite-utils' test_docs does).

Every command has French help ending with a runnable « Exemple : relances … » line, every
option and argument is explained, and README.md mentions every command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, cast

import pytest
import typer.main
from conftest import Run

from relances.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
GROUP = cast(Any, typer.main.get_command(app))


def _leaves(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every command a user types, a group's own spelled with it: « contact ajouter »."""
    found: dict[str, Any] = {}
    for name, item in group.commands.items():
        if hasattr(item, "commands"):
            found |= _leaves(item, f"{prefix}{name} ")
        else:
            found[f"{prefix}{name}"] = item
    return found


LEAVES = _leaves(GROUP)
COMMANDS = sorted(LEAVES)
ENGLISH = {"the", "and", "with", "file", "show", "this", "message", "exit", "of", "to", "for"}


def command(name: str) -> Any:
    return LEAVES[name]


def english_words(text: str) -> set[str]:
    return ENGLISH & set(re.findall(r"[a-z]+", text.lower()))


def example_of(name: str) -> list[str]:
    """The « Exemple : » paragraph of a command's help, as the argument list a shell makes."""
    help_text = command(name).help or ""
    lines = help_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Exemple : "))
    paragraph = []
    for line in lines[start:]:
        if not line.strip():
            break
        paragraph.append(line.strip())
    words = shlex.split(" ".join(paragraph).removeprefix("Exemple : "))
    assert words[:1 + len(name.split())] == ["relances", *name.split()], words
    return words[1:]


def test_the_expected_commands_are_registered() -> None:
    assert {"init", "ajouter", "liste", "voir", "verifier", "annuler"} <= set(COMMANDS)
    assert [c.name for c in app.registered_commands] + \
        [g.name for g in app.registered_groups] == list(GROUP.commands)
    assert {"contact ajouter", "contact liste", "contact retirer"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_french_help_with_an_example_line(name: str) -> None:
    help_text = command(name).help or ""
    first = help_text.strip().splitlines()[0]
    assert first[0].isupper() and first.endswith("."), first
    assert english_words(help_text) == set(), help_text
    assert re.search(rf"^Exemple : relances {name}\b", help_text, re.MULTILINE), help_text


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_and_argument_has_french_help(name: str) -> None:
    for param in command(name).params:
        text = getattr(param, "help", None)
        assert text and text.strip(), f"relances {name} : {param.name} sans aide"
        assert english_words(text) == set(), (name, param.name, text)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name: str) -> None:
    assert README.exists(), "README.md est absent"
    assert f"relances {name}" in README.read_text(encoding="utf-8")


def test_main_help_lists_every_command(run: Run) -> None:
    for flag in ("--help", "-h"):
        result = run(flag)
        assert result.exit_code == 0, result.output
        assert "Suivi des relances commerciales dans un classeur Excel." in result.stdout
        assert english_words(result.stdout) == set(), result.stdout
        for name in GROUP.commands:
            assert re.search(rf"^  {name} +[A-Z]", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_shows_the_example(run: Run, name: str) -> None:
    result = run(*name.split(), "--help")
    assert result.exit_code == 0, result.output
    assert "Exemple : relances " + name in " ".join(result.stdout.split())
    assert english_words(result.stdout) == set(), result.stdout
    for param in command(name).params:
        for flag in getattr(param, "opts", []):
            if flag.startswith("-"):
                assert flag in result.stdout, (name, flag)


@pytest.mark.parametrize("name", COMMANDS)
def test_the_example_in_the_help_runs(run: Run, example: Path, name: str) -> None:
    """An example that no longer runs is documentation that lies."""
    if name == "init":
        example.unlink()
    if name == "annuler":
        setup = run("ajouter", "Client à annuler")
        assert setup.exit_code == 0, setup.output
    if name == "contact retirer":
        setup = run("contact", "ajouter", "martin", "Claire Roux")
        assert setup.exit_code == 0, setup.output
    if name == "importer":
        (example.parent / "prospects.csv").write_text(
            "Nom;Email;Statut\nBoulangerie Marie;marie@boulangerie.fr;Lead\n", encoding="utf-8")
    result = run(*example_of(name))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_the_readme_lists_every_column_and_header_schema_declares() -> None:
    """README.md carries the tables relances.core.schema makes: a synonym added there appears
    here, or this test fails."""
    from relances.core.schema import headers_markdown

    text = README.read_text(encoding="utf-8")
    content, names = headers_markdown().split("\n\n")
    assert content.strip() in text
    assert names.strip() in text
