"""One home for the analysis figures: the terminal, --json, the PDF and Tableau de bord
name every figure and every column of the breakdown tables as the catalogue
(core/figures) does, and define them in its words.

Every expectation is read from the catalogue, never copied from it: a label written by
hand in one output, or a column left out of one table, fails here. The tracker is the
one of test_analyse (its figures are checked by hand there); the values come from
--json and are written in French with the catalogue's own formatters.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import Run, flat, set_setting
from test_analyse import TODAY, build

from relances.core import figures
from relances.core.figures import Breakdown, Figure
from relances.core.model import Settings
from relances.core.stats import Period
from relances.outputs.pdf import printable
from relances.text.show import format_amount, format_date, format_month

SHOWN_IN_THE_TERMINAL = (
    figures.PROSPECTS, figures.QUOTES, figures.WON, figures.LOST, figures.IN_PROGRESS,
    figures.CONVERSION, figures.WIN_RATE, figures.REVENUE, figures.WEIGHTED,
    figures.AVERAGE_DEAL, figures.DELAY, figures.FOLLOWUP_DELAY,
    figures.FOLLOWUPS_BEFORE_WIN, figures.FOLLOWUPS, figures.OVERDUE, figures.STALE,
    figures.ZOMBIES, figures.SATISFACTION,
)
BREAKDOWNS = tuple(item for item in figures.CATALOGUE if isinstance(item, Breakdown))
TILES = (
    figures.PROSPECTS, figures.QUOTES, figures.WON, figures.LOST, figures.CONVERSION,
    figures.WIN_RATE, figures.REVENUE, figures.WEIGHTED, figures.AVERAGE_DEAL, figures.DELAY,
    figures.FOLLOWUPS, figures.OVERDUE, figures.CREATED, figures.ABANDONED, figures.MEETINGS,
    figures.FOLLOWED_SHARE, figures.STALE, figures.ZOMBIES, figures.SATISFACTION,
    figures.CALLS_BACK,
)
SETTINGS = Settings(zombie_days=45, zombie_probability=0.25)
"""Paramètres as the fixture sets them, so that the definitions that name a setting
show it is read from the tracker."""
SCORES = {"Alpha": 5, "Bravo": 2, "Golf": 4}
"""Satisfaction typed by hand for three won clients: Bravo is one to call back."""


@pytest.fixture
def tracker(run: Run, tracker_path: Path) -> Path:
    path = build(run, tracker_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Suivi"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "Satisfaction")
    for row in sheet.iter_rows(min_row=2):
        sheet.cell(row[0].row, column, SCORES.get(row[1].value))
    book.save(path)
    set_setting(path, "Zombie après (jours sans contact)", SETTINGS.zombie_days)
    set_setting(path, "Zombie si probabilité inférieure à", SETTINGS.zombie_probability)
    return path


@pytest.fixture
def data(run: Run, tracker: Path) -> dict[str, Any]:
    result = run("analyse", "--sans-classeur", "--json", today=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def words(text: str) -> str:
    """Words as a reader compares them: no-break spaces are spaces."""
    return flat(text.replace("\u00a0", " "))


def squeezed(text: str) -> str:
    return "".join(text.split())


def shown(item: Figure[Any], data: dict[str, Any]) -> str:
    """A figure of the JSON written in French by the catalogue's formatter."""
    return item.show(data[item.key])


def cells(breakdown: Breakdown, row: dict[str, Any]) -> list[str]:
    """One JSON row written in French by its columns' formatters."""
    texts = []
    for field in breakdown.columns:
        value = row[field.key]
        if field.show is format_month:
            value = date.fromisoformat(f"{value}-01")
        elif field.show is format_date and value is not None:
            value = date.fromisoformat(value)
        texts.append(field.show(value))
    return texts


def test_the_catalogue_holds_each_figure_once() -> None:
    keys = [item.key for item in figures.CATALOGUE]
    assert len(keys) == len(set(keys))
    labels = [item.label for item in figures.CATALOGUE]
    assert len(labels) == len(set(labels))
    for breakdown in BREAKDOWNS:
        assert set(breakdown.columns) <= set(breakdown.fields), breakdown.key
        assert len({f.key for f in breakdown.fields}) == len(breakdown.fields)
        assert all(len(f.header) <= f.width for f in breakdown.columns), breakdown.key
    # The per-owner table once lacked the win rate in the PDF: every table has it now.
    assert figures.BY_SOURCE.field("taux_reussite") in figures.BY_OWNER.columns


def test_json_keys_and_definitions_are_the_catalogues(data: dict[str, Any]) -> None:
    machine_only = {"responsable", "recommandations", "definitions", "tableau_de_bord"}
    assert set(data) - machine_only == {item.key for item in figures.CATALOGUE}
    span = Period(date(TODAY.year, 1, 1), TODAY)
    assert data["definitions"] == {item.key: item.define(span, SETTINGS)
                                   for item in figures.DEFINED}
    assert list(data["definitions"]) == [item.key for item in figures.DEFINED]
    assert "45 jours, probabilité inférieure à 25\u00a0%" in data["definitions"]["zombies"]
    for breakdown in BREAKDOWNS:
        assert data[breakdown.key], breakdown.key
        for row in data[breakdown.key]:
            assert list(row) == [f.key for f in breakdown.fields], breakdown.key
    assert {r["indicateur"] for r in data["recommandations"]} <= set(data)


def test_the_terminal_shows_the_catalogues_labels(run: Run, tracker: Path,
                                                 data: dict[str, Any]) -> None:
    result = run("analyse", "--sans-classeur", today=TODAY)
    assert result.exit_code == 0, result.output
    text = words(result.output)
    definitions = data["definitions"]
    assert text.startswith(f"Analyse {figures.PERIOD.show(_span(data))}")
    for item in SHOWN_IN_THE_TERMINAL:
        line = words(f"{item.label} {shown(item, data)} {definitions[item.key]}")
        assert line in text, line
    for breakdown in BREAKDOWNS:
        headers = " ".join(field.header for field in breakdown.columns)
        rows = " ".join(" ".join(cells(breakdown, row)) for row in data[breakdown.key])
        if breakdown is not figures.BY_SOURCE and breakdown is not figures.BY_MONTH:
            # those two end each row with a bar
            assert words(f"{breakdown.label} {headers} {rows} "
                         f"{definitions[breakdown.key]}") in text, breakdown.key
        assert words(f"{breakdown.label} {headers}") in text, breakdown.key
        for row in data[breakdown.key]:
            assert words(" ".join(cells(breakdown, row))) in text, (breakdown.key, row)
        assert words(definitions[breakdown.key]) in text, breakdown.key


def test_the_pdf_shows_the_catalogues_labels(run: Run, tracker: Path,
                                            data: dict[str, Any], tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) absent")
    pdf = tmp_path / "analyse.pdf"
    result = run("analyse", "--sans-classeur", "--pdf", str(pdf), today=TODAY)
    assert result.exit_code == 0, result.output
    text = words(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    # The definitions stand in two columns: read in reading order, not side by side, and
    # without the footer of the page they may run over.
    glossary = words(re.sub(r"\n(relances analyse — [\d/]+|page \d+)\n", "\n", subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout))
    assert figures.PERIOD.show(_span(data)) in text
    for first in range(0, len(TILES), 4):  # four tiles a row: their labels, then figures
        row = TILES[first:first + 4]
        assert words(" ".join(tile.label for tile in row)) in text, row
        assert words(" ".join(shown(tile, data) for tile in row)) in text, row
    for breakdown in (figures.BY_SOURCE, figures.BY_OWNER, figures.BY_MONTH,
                      figures.LOST_REASONS, figures.CALL_BACK):
        headers = " ".join(field.header for field in breakdown.columns)
        assert words(f"{breakdown.label} {headers}") in text, breakdown.key
        for row in data[breakdown.key]:  # pdftotext may drop a no-break space: "0€"
            assert squeezed(" ".join(cells(breakdown, row))) in squeezed(text), \
                (breakdown.key, row)
    for item in figures.DEFINED:
        line = printable(f"{item.label} : {data['definitions'][item.key]}")
        assert words(line) in glossary, line


def test_tableau_de_bord_has_the_catalogues_headers(run: Run, tracker: Path,
                                                    data: dict[str, Any]) -> None:
    result = run("analyse", today=TODAY)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tracker)["Tableau de bord"]
    block = [[c.value for c in row] for row in sheet.iter_rows(min_col=5, max_col=11)]
    assert block[0][0].startswith(f"Analyse {figures.PERIOD.show(_span(data))} ")
    titles = {"Conversion par source": figures.BY_SOURCE,
              figures.BY_MONTH.label: figures.BY_MONTH, figures.PIPELINE.label: figures.PIPELINE,
              figures.ACTIVITY.label: figures.ACTIVITY, figures.CALL_BACK.label: figures.CALL_BACK}
    found = 0
    start = next(i for i, row in enumerate(block) if row[0] == "Définitions")
    for index, row in enumerate(block[:start]):
        breakdown = titles.get(row[0])
        if breakdown is None:
            continue
        found += 1
        headers = [h for h in block[index + 1] if h is not None]
        by_header = {f.header: f for f in breakdown.fields}
        written = []
        for header in headers:
            field = by_header[header.removesuffix(" (€)")]
            assert header.endswith(" (€)") == (field.show is format_amount), header
            written.append(field)
        assert written[0] is breakdown.columns[0]
        if breakdown is not figures.BY_SOURCE:
            assert tuple(written) == breakdown.columns
        names = [r[0] for r in block[index + 2:index + 2 + len(data[breakdown.key])]]
        assert names == [cells(breakdown, r)[0] for r in data[breakdown.key]]
    assert found == len(titles)
    at = next(i for i, row in enumerate(block) if row[0] == figures.SATISFACTION.label)
    assert [row[:2] for row in block[at + 2:at + 5]] == [
        [item.label, shown(item, data)] for item in (figures.SATISFACTION, figures.RATED,
                                                     figures.CALLS_BACK)]
    # Below the tables, what each figure counts, in the words of the terminal and the PDF.
    assert block[start + 1][:2] == ["Indicateur", "Définition"]
    assert {row[0]: row[1] for row in block[start + 2:start + 2 + len(figures.DEFINED)]} == {
        item.label: data["definitions"][item.key] for item in figures.DEFINED}


def _span(data: dict[str, Any]) -> Period:
    return Period(date.fromisoformat(data["periode"]["debut"]),
                  date.fromisoformat(data["periode"]["fin"]))
