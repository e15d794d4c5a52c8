"""The created workbook in a real LibreOffice: formulas computed, rules kept, data read back.

One `soffice` run converts (and recalculates) every file the module needs. The
workbook's formulas use TODAY(), which LibreOffice takes from the real clock, not
from RELANCES_AUJOURDHUI: expected values are computed with the real date.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import STORY_DAY
from libreoffice import convert, soffice_path
from typer.testing import CliRunner

from relances.cli import app
from relances.core.model import Prospect, Status
from relances.workbook.read import read_tracker

pytestmark = pytest.mark.libreoffice

FILES = ("exemple", "vide", "retouche", "seuils", "satisfaction")
LAST_ROW = 1048576
KPI_ROWS = {
    "Prospects actifs": 2, "CA pondéré (€)": 3, "Affaires gagnées": 4, "Affaires perdues": 5,
    "Prospects au total": 6, "Taux de conversion": 7, "CA gagné (€)": 8,
    "Relances en retard": 9,
}


@dataclass(frozen=True)
class Converted:
    originals: dict[str, Path]
    outputs: dict[str, Path]
    today: date
    """The real date when LibreOffice computed TODAY()."""


def _hand_edit(path: Path) -> None:
    """What a user does in Excel: a status changed, a row typed below without formulas."""
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    assert ws["B5"].value == "Mme Bernard"
    ws["D5"] = "Gagné"
    for letter, value in {"B": "Nouveau client", "D": "Négociation", "G": 10000, "H": 0.6,
                          "J": datetime(2026, 1, 2), "K": datetime(2026, 1, 5)}.items():
        ws[f"{letter}12"] = value
    book.save(path)


STALE_CHECKS = "XYZ"
"""Columns of the "seuils" file where the red rows' formulas are copied, one column a
conditional format, so LibreOffice's answer can be read back from the file."""
SEEN = {2: ("Prospect", 12), 3: ("Devis envoyé", 12), 4: ("Négociation", 8),
        5: ("Négociation", 3)}
"""Row → status and days since the last contact, in the "seuils" file."""


def _thresholds_edit(path: Path, today: date) -> None:
    """Paramètres changed by hand (a quote may wait 15 days, a negotiation 5), the rows
    last seen a few days ago, and each red-row rule copied into cells beside them."""
    from openpyxl.formula.translate import Translator

    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    for row, (status, days) in SEEN.items():
        ws[f"D{row}"] = status
        ws[f"J{row}"] = datetime.combine(today - timedelta(days=days), datetime.min.time())
    settings = book["Paramètres"]
    for (cell,) in settings.iter_rows(min_col=1, max_col=1):
        if cell.value == "Alerte après (jours sans contact) : Devis envoyé":
            settings.cell(cell.row, 2, 15)
        if cell.value == "Alerte après (jours sans contact) : Négociation":
            settings.cell(cell.row, 2, 5)
    stale = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
             if "SeuilAlerte" in r.formula[0]]
    assert len(stale) == len(STALE_CHECKS)
    for letter, formula in zip(STALE_CHECKS, stale, strict=True):
        for row in SEEN:
            ws[f"{letter}{row}"] = Translator(f"={formula}", origin="A2").translate_formula(
                f"A{row}")
    book.save(path)


SCORED = {"petit": 2, "restaurant": 5}
"""Scores given with maj in the "satisfaction" file; Garage Moreau's 3 is typed by hand."""
SCORE_CHECKS = "XYZ"


def _scores_edit(path: Path, runner: CliRunner, env: dict[str, Any]) -> dict[int, int]:
    """Two clients scored with maj, a third score typed by hand, and the three colour
    rules copied beside the rows (as for the thresholds). Returns row → score."""
    from openpyxl.formula.translate import Translator

    for who, score in SCORED.items():
        result = runner.invoke(app, ["maj", who, "--canal", "Tel", "--satisfaction", str(score),
                                     "-f", str(path)], env=env)
        assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    column = [c.value for c in ws[1]].index("Satisfaction") + 1
    moreau = next(r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == "Garage Moreau")
    ws.cell(moreau, column, 3)
    scored = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
              if r.formula and "ISNUMBER($W" in r.formula[0]]
    assert len(scored) == len(SCORE_CHECKS)
    rows = {r[0].row: r[column - 1].value for r in ws.iter_rows(min_row=2) if r[1].value}
    for letter, formula in zip(SCORE_CHECKS, scored, strict=True):
        for row in rows:
            ws[f"{letter}{row}"] = Translator(f"={formula}", origin="A2").translate_formula(
                f"A{row}")
    book.save(path)
    return rows


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) absent")
    folder = tmp_path_factory.mktemp("libreoffice")
    (folder / "in").mkdir()
    originals = {name: folder / "in" / f"{name}.xlsx" for name in FILES}
    runner = CliRunner()
    env = {"RELANCES_AUJOURDHUI": STORY_DAY.isoformat(), "RELANCES_FICHIER": None}
    for name, options in (("exemple", ["--exemple"]), ("vide", []), ("retouche", ["--exemple"]),
                          ("seuils", ["--exemple"]), ("satisfaction", ["--exemple"])):
        result = runner.invoke(app, ["init", *options, "-f", str(originals[name])], env=env)
        assert result.exit_code == 0, result.output
    _hand_edit(originals["retouche"])
    before = date.today()
    _thresholds_edit(originals["seuils"], before)
    _scores_edit(originals["satisfaction"], runner, env)
    outputs = convert([originals[name] for name in FILES], folder / "out")
    if date.today() != before:
        pytest.skip("midnight passed during the conversion: TODAY() is ambiguous")
    return Converted(originals, dict(zip(FILES, outputs, strict=True)), before)


def _values(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, data_only=True)
    return list(book[sheet].iter_rows(values_only=True))


def _kpis(path: Path) -> dict[str, Any]:
    return {row[0]: row[1] for row in _values(path, "Tableau de bord")[1:]}


def _expected_kpis(prospects: list[Prospect], today: date) -> dict[str, Any]:
    """The dashboard's definitions, computed in Python from the rows themselves."""
    closed = (Status.WON, Status.LOST)
    active = [p for p in prospects if p.status not in closed]
    won = [p for p in prospects if p.status is Status.WON]
    lost = [p for p in prospects if p.status is Status.LOST]
    return {
        "Prospects actifs": len(active),
        "CA pondéré (€)": float(sum((p.amount or Decimal(0)) * Decimal(str(p.probability or 0))
                                    for p in active)),
        "Affaires gagnées": len(won),
        "Affaires perdues": len(lost),
        "Prospects au total": len(prospects),
        "Taux de conversion": len(won) / len(prospects) if prospects else "—",
        "CA gagné (€)": float(sum(p.amount or Decimal(0) for p in won)),
        "Relances en retard": sum(1 for p in active
                                  if p.next_followup is not None and p.next_followup < today),
    }


def test_every_delai_is_days_since_last_contact(converted: Converted) -> None:
    header, *rows = _values(converted.outputs["exemple"], "Suivi")
    column = {name: index for index, name in enumerate(header)}

    assert len(rows) == 10
    for row in rows:
        last = row[column["Dernier contact"]]
        assert isinstance(last, datetime), row
        assert row[column["Délai (j)"]] == (converted.today - last.date()).days, row
        weighted = row[column["Montant estimé (€)"]] * row[column["Probabilité (%)"]]
        assert row[column["CA pondéré"]] == pytest.approx(weighted), row
    martin = next(row for row in rows if row[column["Nom Client/Prospect"]] == "Martin Menuiserie")
    assert martin[column["Délai (j)"]] == (converted.today - date(2026, 1, 10)).days
    assert martin[column["CA pondéré"]] == 4250


def test_dashboard_kpis_match_the_rows(converted: Converted) -> None:
    prospects = read_tracker(converted.originals["exemple"], STORY_DAY).prospects
    expected = _expected_kpis(prospects, converted.today)

    assert _kpis(converted.outputs["exemple"]) == pytest.approx(expected)
    # The example itself, so that a wrong reading of the rows cannot hide a wrong formula.
    assert {key: expected[key] for key in list(KPI_ROWS)[:7]} == {
        "Prospects actifs": 7, "CA pondéré (€)": 64520.0, "Affaires gagnées": 2,
        "Affaires perdues": 1, "Prospects au total": 10, "Taux de conversion": 0.2,
        "CA gagné (€)": 30500.0}


def test_dashboard_follows_edits_made_by_hand(converted: Converted) -> None:
    prospects = read_tracker(converted.originals["retouche"], STORY_DAY).prospects
    expected = _expected_kpis(prospects, converted.today)

    assert len(prospects) == 11
    assert _kpis(converted.outputs["retouche"]) == pytest.approx(expected)
    assert {key: expected[key] for key in ("Prospects actifs", "CA pondéré (€)",
                                           "Affaires gagnées", "CA gagné (€)")} == {
        "Prospects actifs": 7, "CA pondéré (€)": 64520.0 - 650 + 6000,
        "Affaires gagnées": 3, "CA gagné (€)": 37000.0}
    # The typed row has no formula: its Délai stays empty rather than wrong.
    assert _values(converted.outputs["retouche"], "Suivi")[11][20] is None


def test_dashboard_of_an_empty_tracker(converted: Converted) -> None:
    assert _kpis(converted.outputs["vide"]) == {
        "Prospects actifs": 0, "CA pondéré (€)": 0, "Affaires gagnées": 0,
        "Affaires perdues": 0, "Prospects au total": 0, "Taux de conversion": "—",
        "CA gagné (€)": 0, "Relances en retard": 0}


def test_rules_names_and_drop_downs_survive(converted: Converted) -> None:
    original = openpyxl.load_workbook(converted.originals["exemple"])
    book = openpyxl.load_workbook(converted.outputs["exemple"])

    def rules(ws: Any) -> list[tuple[str, str, list[str]]]:
        found = [(r.priority, str(cf.sqref), r.type, list(r.formula))
                 for cf in ws.conditional_formatting for r in cf.rules]
        return [item[1:] for item in sorted(found)]

    assert rules(book["Suivi"]) == rules(original["Suivi"])
    assert [sqref for sqref, _, _ in rules(book["Suivi"])] == [
        *[f"A2:V{LAST_ROW}"] * 5, f"K2:K{LAST_ROW}", f"H2:H{LAST_ROW}"]
    assert {name: list(book.defined_names[name].destinations)
            for name in ("SeuilAlerteProspect", "SeuilAlerteNegociation", "SeuilChaud")} == {
        "SeuilAlerteProspect": [("Paramètres", "$B$2")],
        "SeuilAlerteNegociation": [("Paramètres", "$B$4")],
        "SeuilChaud": [("Paramètres", "$B$9")]}

    validations = {v.formula1: v for v in book["Suivi"].data_validations.dataValidation}
    statuses = validations['"Prospect,Devis envoyé,Négociation,Gagné,Perdu"']
    actions = validations['"Email,Tel,RDV,Devis,Visite"']
    assert (statuses.type, statuses.errorStyle or "stop", statuses.showErrorMessage) == (
        "list", "stop", True)
    assert (actions.type, actions.errorStyle, actions.showErrorMessage) == (
        "list", "information", True)
    # LibreOffice clips validation ranges to about 1000 rows below the data when it saves
    # (whatever the range was): check the start column and row, and that the data is covered.
    for validation, letter in ((statuses, "D"), (actions, "L")):
        [cells] = validation.sqref.ranges
        assert (cells.min_col, cells.max_col, cells.min_row) == (
            " ABCDEFGHIJKL".index(letter),) * 2 + (2,)
        assert cells.max_row >= 1000

    suivi = book["Suivi"]
    assert suivi.auto_filter.ref == "A1:V11"
    assert suivi["U2"].value == '=IF(ISNUMBER(J2),TODAY()-J2,"")'
    assert [p.name for p in book.custom_doc_props] == ["relances-format"]
    assert book.custom_doc_props["relances-format"].value == 1


def test_red_rows_follow_the_thresholds_typed_in_parametres(converted: Converted) -> None:
    """The rules read Paramètres through their names: LibreOffice repaints with the new
    thresholds, and its rows are the ones relances itself calls stale."""
    rows = _values(converted.outputs["seuils"], "Suivi")
    painted = {row: [rows[row - 1][" ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(letter) - 1]
                     for letter in STALE_CHECKS] for row in SEEN}
    # One rule per status (Prospect, Devis envoyé, Négociation), each true for its own rows.
    assert painted == {2: [False, False, False], 3: [False, False, False],
                       4: [False, False, True], 5: [False, False, False]}
    tracker = read_tracker(converted.originals["seuils"], converted.today)
    assert {p.row: p.is_stale(converted.today, tracker.settings) for p in tracker.prospects
            if p.row in SEEN} == {row: any(rules) for row, rules in painted.items()}


def test_rows_take_the_colour_of_their_score(converted: Converted) -> None:
    """LibreOffice keeps the score's rules first and computes them: red for 2 or less,
    yellow for 3, green above, nothing for a row without a score."""
    book = openpyxl.load_workbook(converted.outputs["satisfaction"])
    ws = book["Suivi"]
    ordered = [formula for _, formula in sorted(
        (r.priority, r.formula[0]) for cf in ws.conditional_formatting for r in cf.rules)]
    assert ordered[:4] == ["AND(ISNUMBER($W2),$W2<=2)", "AND(ISNUMBER($W2),$W2=3)",
                           "AND(ISNUMBER($W2),$W2>3)", 'OR($D2="Gagné",$D2="Perdu")']
    values = _values(converted.outputs["satisfaction"], "Suivi")
    column = values[0].index("Satisfaction")
    for row in values[1:]:
        score = row[column]
        painted = [row[" ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(letter) - 1]
                   for letter in SCORE_CHECKS]
        expected = [False, False, False] if score is None else [
            score <= 2, score == 3, score > 3]
        assert painted == expected, (row[1], score, painted)
    assert sorted(row[column] for row in values[1:] if row[column] is not None) == [2, 3, 5]


@pytest.mark.parametrize("name", FILES)
def test_a_workbook_resaved_by_libreoffice_reads_back_identically(
        converted: Converted, name: str) -> None:
    before = read_tracker(converted.originals[name], STORY_DAY)
    after = read_tracker(converted.outputs[name], STORY_DAY)

    assert after.problems == before.problems == []
    assert len(after.prospects) == len(before.prospects)
    for mine, theirs in zip(before.prospects, after.prospects, strict=True):
        for field in dataclasses.fields(Prospect):
            assert getattr(theirs, field.name) == getattr(mine, field.name), (
                mine.name, field.name)
            assert type(getattr(theirs, field.name)) is type(getattr(mine, field.name)), (
                mine.name, field.name)
    assert after.prospects == before.prospects
    assert after.settings == before.settings
    assert after.journal == before.journal
    assert after.columns == before.columns
    assert after.rules == before.rules
