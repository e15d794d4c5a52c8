"""The club's dashboard figures in `relances analyse`: follow-ups created, done and
abandoned per owner, appointments held, wins with and without a follow-up, and the
months' prospects left without a follow-up or an owner; computed by hand below.

Today is Friday 20/03/2026; a follow-up late by more than 5 working days, with no Journal
line since the day it was planned for, is abandoned.

    Alpha    Claire  Prospect      entered 02/03, planned 10/03, nothing since: abandoned
    Bravo    Claire  Devis envoyé  entered 03/03, planned 16/03: late, not abandoned yet
    Charlie  Karim   Négociation   entered 02/03, planned 02/03, an RDV on 05/03: late only
    Delta    Karim   Prospect      entered 02/03, planned 02/03, nothing since: abandoned
    Echo     —       Prospect      entered 12/03, nothing planned, no owner
    Foxtrot  Claire  Gagné         entered 05/02, won 10/03 after a call on 20/02
    Golf     Karim   Gagné         entered 02/03, won 09/03, no follow-up in the Journal
    Hotel    Karim   Prospect      entered 16/02, nothing planned
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import Run, flat

TODAY = date(2026, 3, 20)
D = date

SUIVI = (
    # name, owner, status, first, next, since
    ("Alpha", "Claire", "Prospect", D(2026, 3, 2), D(2026, 3, 10), D(2026, 3, 2)),
    ("Bravo", "Claire", "Devis envoyé", D(2026, 3, 3), D(2026, 3, 16), D(2026, 3, 3)),
    ("Charlie", "Karim", "Négociation", D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 2)),
    ("Delta", "Karim", "Prospect", D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 2)),
    ("Echo", None, "Prospect", D(2026, 3, 12), None, D(2026, 3, 12)),
    ("Foxtrot", "Claire", "Gagné", D(2026, 2, 5), None, D(2026, 3, 10)),
    ("Golf", "Karim", "Gagné", D(2026, 3, 2), None, D(2026, 3, 9)),
    ("Hotel", "Karim", "Prospect", D(2026, 2, 16), None, D(2026, 2, 16)),
)

JOURNAL = (
    # date, ID, channel, owner, next follow-up planned
    (D(2026, 2, 5), 6, "Email", "Claire", D(2026, 2, 20)),
    (D(2026, 2, 20), 6, "Tel", "Claire", D(2026, 2, 27)),
    (D(2026, 3, 2), 1, "Email", "Claire", D(2026, 3, 10)),
    (D(2026, 3, 5), 3, "RDV", "Karim", D(2026, 3, 12)),
    (D(2026, 3, 10), 6, "Visite", "Claire", None),
)


@pytest.fixture
def club(run: Run, tracker_path: Path) -> Path:
    assert run("init", today=TODAY).exit_code == 0
    book = openpyxl.load_workbook(tracker_path)
    ws = book["Suivi"]
    column = {cell.value: cell.column for cell in ws[1]}
    for row, (name, owner, status, first, following, since) in enumerate(SUIVI, start=2):
        cells = {"ID": row - 1, "Nom Client/Prospect": name, "Responsable": owner,
                 "Statut": status, "Première interaction": first, "Dernier contact": first,
                 "Prochaine relance": following, "Statut depuis": since}
        for header, value in cells.items():
            ws.cell(row=row, column=column[header], value=value)
    journal = book["Journal"]
    for when, ident, channel, owner, following in JOURNAL:
        journal.append([when, ident, SUIVI[ident - 1][0], channel, None, None, None, None,
                        owner, following])
    book.save(tracker_path)
    return tracker_path


def analyse_json(run: Run) -> dict[str, Any]:
    result = run("analyse", "--sans-classeur", "--json", today=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_activity_per_owner(run: Run, club: Path) -> None:
    data = analyse_json(run)
    assert [{k: line[k] for k in ("responsable", "relances_creees", "relances_faites",
                                  "relances_abandonnees", "relances_en_retard", "rdv_tenus")}
            for line in data["activite_par_responsable"]] == [
        {"responsable": "Karim", "relances_creees": 1, "relances_faites": 1,
         "relances_abandonnees": 1, "relances_en_retard": 2, "rdv_tenus": 1},
        {"responsable": "Claire", "relances_creees": 3, "relances_faites": 4,
         "relances_abandonnees": 1, "relances_en_retard": 2, "rdv_tenus": 1},
        {"responsable": None, "relances_creees": 0, "relances_faites": 0,
         "relances_abandonnees": 0, "relances_en_retard": 0, "rdv_tenus": 0},
    ]
    assert (data["relances_creees"], data["relances_faites"], data["relances_abandonnees"],
            data["rdv_tenus"]) == (4, 5, 2, 2)


def test_wins_with_and_without_a_follow_up(run: Run, club: Path) -> None:
    data = analyse_json(run)
    assert (data["gagnes"], data["gagnes_apres_relance"], data["gagnes_sans_relance"],
            data["part_gagnes_apres_relance"]) == (2, 1, 1, 0.5)


def test_months_count_prospects_left_without_follow_up_or_owner(run: Run, club: Path) -> None:
    data = analyse_json(run)
    assert [(m["mois"], m["entres"], m["sans_relance_prevue"], m["sans_responsable"])
            for m in data["par_mois"]] == [
        ("2026-01", 0, 0, 0), ("2026-02", 2, 1, 0), ("2026-03", 6, 1, 1)]


def test_abandoned_follows_the_working_days_of_parametres(run: Run, club: Path) -> None:
    """Alpha was planned for Tuesday 10/03: 8 working days late today. With 8 days allowed
    it is no longer abandoned; Delta (02/03, 14 working days) still is."""
    book = openpyxl.load_workbook(club)
    ws = book["Paramètres"]
    label = "Relance abandonnée après (jours ouvrés de retard)"
    [row] = [c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == label]
    ws.cell(row=row, column=2, value=8)
    book.save(club)
    data = analyse_json(run)
    assert data["relances_abandonnees"] == 1
    assert "plus de 8 jours ouvrés" in data["definitions"]["relances_abandonnees"]


def test_the_terminal_the_pdf_and_the_sheet_show_them(run: Run, club: Path,
                                                      tmp_path: Path) -> None:
    pdf = tmp_path / "club.pdf"
    result = run("analyse", "--pdf", str(pdf), today=TODAY)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Relances créées 4 lignes du Journal" in out
    assert "Relances abandonnées 2 aujourd'hui" in out
    assert "Gagnés après relance 1 affaires gagnées" in out and "(50 % des gains)" in out
    assert ("Activité par responsable Responsable Créées Faites Abandonnées En retard RDV "
            "tenus Karim 1 1 1 2 1 Claire 3 4 1 2 1") in out
    sheet = openpyxl.load_workbook(club)["Tableau de bord"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_col=5, max_col=10)]
    assert ["Claire", 3, 4, 1, 2, 1] in values
    definitions = {row[0]: row[1] for row in values if row[0] in (
        "Relances abandonnées", "RDV tenus", "Part des gains après relance")}
    assert len(definitions) == 3 and all(definitions.values())
    if shutil.which("pdftotext"):
        text = flat(subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout)
        assert "Activité par responsable" in text and "Relances abandonnées" in text
