"""LibreOffice opens an openpyxl workbook, recalculates it and keeps its rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

SINCE = dt.date(2024, 1, 15)


def _make_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Suivi"
    ws.append(["Contact", "Dernier contact", "Jours", "Statut"])
    ws.append(["Alice", SINCE, "=TODAY()-B2", "En cours"])
    ws["B2"].number_format = "yyyy-mm-dd"
    ws["C2"].number_format = "0"
    red = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
    ws.conditional_formatting.add(
        "C2:C100", CellIsRule(operator="greaterThan", formula=["30"], fill=red)
    )
    ws.conditional_formatting.add("A2:D100", FormulaRule(formula=['$D2="Perdu"'], fill=red))
    dv = DataValidation(
        type="list", formula1='"En cours,Gagné,Perdu"', allow_blank=True, showErrorMessage=True
    )
    dv.add("D2:D100")
    ws.add_data_validation(dv)
    wb.save(path)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_and_keeps_rules(libreoffice, tmp_path: Path) -> None:
    src = tmp_path / "in" / "suivi.xlsx"
    src.parent.mkdir()
    _make_workbook(src)

    [out] = libreoffice([src], tmp_path / "out")

    today = dt.date.today()
    values = load_workbook(out, data_only=True)["Suivi"]
    assert values["C2"].value == (today - SINCE).days
    assert values["B2"].value.date() == SINCE

    ws = load_workbook(out)["Suivi"]
    assert ws["C2"].value == "=TODAY()-B2"

    rules = {
        str(cf.sqref): [(r.type, r.operator, list(r.formula)) for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    assert rules == {
        "C2:C100": [("cellIs", "greaterThan", ["30"])],
        "A2:D100": [("expression", None, ['$D2="Perdu"'])],
    }

    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list"
    assert dv.formula1 == '"En cours,Gagné,Perdu"'
    assert str(dv.sqref) == "D2:D100"
