"""Shared fixtures: every test runs the real CLI on real workbooks in tmp_path."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

os.environ["COLUMNS"] = "200"
os.environ.pop("RELANCES_FICHIER", None)

from libreoffice import libreoffice  # noqa: F401  (the fixture, shared)

from relances.cli import app

STORY_DAY = date(2026, 1, 20)
"""The workflow's own day: with it, the example workbook holds exactly its dates."""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test works in its own folder, with today frozen and no colour."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELANCES_AUJOURDHUI", STORY_DAY.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("RELANCES_FICHIER", raising=False)


@pytest.fixture
def tracker_path(tmp_path: Path) -> Path:
    return tmp_path / "relances-clients.xlsx"


Run = Callable[..., Any]


@pytest.fixture
def run() -> Run:
    """Run the CLI as a user would; `today` overrides the frozen date for one call."""
    runner = CliRunner()

    def invoke(*args: str, today: date | None = None, input: str | None = None) -> Any:
        env = {"RELANCES_AUJOURDHUI": today.isoformat()} if today else None
        return runner.invoke(app, list(args), env=env, input=input)

    return invoke


@pytest.fixture(scope="session")
def _example_made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`relances init --exemple` through the CLI, once for the whole session."""
    path = tmp_path_factory.mktemp("exemple") / "relances-clients.xlsx"
    result = CliRunner().invoke(app, ["init", "--exemple", "-f", str(path)],
                                env={"RELANCES_AUJOURDHUI": STORY_DAY.isoformat()})
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def example(_example_made_once: Path, tracker_path: Path) -> Path:
    """The built-in example workbook, a fresh copy for each test to change at will."""
    shutil.copy(_example_made_once, tracker_path)
    return tracker_path


def make_workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook as a person would type it: plain values, no tool-made formatting."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def flat(text: str) -> str:
    """rich wraps long messages at the console width: compare words, not line breaks."""
    return " ".join(text.split())


def assert_refused(result: Any, code: int, *phrases: str) -> str:
    """An expected error: its exit code, one French message, never a traceback."""
    message = flat(result.output)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Error" not in result.output
    for phrase in phrases:
        assert phrase in message, message
    return message


def set_setting(path: Path, label: str, value: object) -> None:
    """Change one line of Paramètres as the user would, found by its label."""
    book = openpyxl.load_workbook(path)
    ws = book["Paramètres"]
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == label:
            ws.cell(row=cell.row, column=2, value=value)
            break
    else:
        raise AssertionError(f"no setting {label!r}")
    book.save(path)


LIGHT_HEADERS = ("Nom", "Contact", "Statut", "Montant estimé", "Dernier contact",
                 "Prochaine relance", "Notes")
