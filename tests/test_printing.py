"""What relances' sheets look like on paper: landscape A4, one page wide, the header row
on every page, the file name and page number in the footer; Tableau de bord on one page.
A sheet relances adds to a user's workbook prints the same way."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, Run, make_workbook


def _print_setup(ws: openpyxl.worksheet.worksheet.Worksheet) -> tuple[object, ...]:
    setup = ws.page_setup
    return (setup.orientation, ws.sheet_properties.pageSetUpPr.fitToPage, setup.fitToWidth,
            setup.fitToHeight, ws.oddFooter.center.text)


def test_the_sheets_init_makes_print_well(example: Path) -> None:
    book = openpyxl.load_workbook(example)
    footer = "&F - page &P / &N"
    for name in ("Suivi", "Règles", "Paramètres", "Journal"):
        assert _print_setup(book[name]) == ("landscape", True, 1, 0, footer), name
        assert book[name].print_title_rows == "$1:$1", name
    assert _print_setup(book["Tableau de bord"]) == ("landscape", True, 1, 1, footer)


def test_a_journal_added_to_a_users_tracker_prints_like_ours(run: Run, tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "suivi.xlsx", {"Feuil1": [
        LIGHT_HEADERS, ("Martin", "m@x.fr", "Prospect", 8000, None, None, None)]})
    assert run("maj", "martin", "--canal", "Tel", "-f", str(path)).exit_code == 0
    assert run("analyse", "-f", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    footer = "&F - page &P / &N"
    assert _print_setup(book["Journal"]) == ("landscape", True, 1, 0, footer)
    assert book["Journal"].print_title_rows == "$1:$1"
    assert _print_setup(book["Tableau de bord"]) == ("landscape", True, 1, 1, footer)


@pytest.mark.libreoffice
def test_libreoffice_prints_each_sheet_of_the_example_on_one_page(
        libreoffice: Callable[..., list[Path]], example: Path, tmp_path: Path) -> None:
    """Five sheets, five pages, each with its footer (pdfinfo and pdftotext, from poppler)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils absent")
    copy = tmp_path / "in" / "suivi.xlsx"
    copy.parent.mkdir()
    shutil.copy(example, copy)
    [pdf] = libreoffice([copy], tmp_path / "out", fmt="pdf", recalc=False)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert [f"suivi.xlsx - page {n} / 5" in text for n in range(1, 6)] == [True] * 5
    assert "page 6" not in text
