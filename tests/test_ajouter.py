"""`relances ajouter` through the real CLI: values, formulas, formats, defaults, refusals.

Every workbook is read back with openpyxl (what Excel will show) and, for the
light tracker, through `liste --json` (what the tool reads).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, Run, assert_refused, flat, make_workbook, set_setting

AMOUNT_FORMAT = '#,##0 "€";-#,##0 "€"'
HEADERS = ("ID", "Nom Client/Prospect", "Contact (email + tel)", "Statut", "Source", "Projet",
           "Montant estimé (€)", "Probabilité (%)", "Première interaction", "Dernier contact",
           "Prochaine relance", "Action prévue", "Historique interactions", "Notes",
           "Responsable", "Interlocuteur", "Statut depuis", "Relances faites", "Alerte",
           "Motif perte", "Délai (j)", "CA pondéré")
NEW_ROW = 12
"""The example holds ten prospects under the header: the first added one lands on row 12."""




def row_of(path: Path, row: int, sheet: str = "Suivi") -> dict[str, Any]:
    """One row of the sheet, keyed by its header, as openpyxl cells."""
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return {h: ws.cell(row=row, column=i) for i, h in enumerate(headers, start=1) if h}


def values_of(path: Path, row: int, sheet: str = "Suivi") -> dict[str, Any]:
    return {h: c.value for h, c in row_of(path, row, sheet).items()}


def at(day: int, month: int = 1, year: int = 2026) -> datetime:
    """openpyxl reads a date cell as a midnight datetime."""
    return datetime(year, month, day)






# --------------------------------------------------------------------------- every option


def test_ajouter_writes_every_option_with_formulas_and_formats(run: Run, example: Path) -> None:
    result = run(
        "ajouter", "Menuiserie Bois Fort", "--contact", "j.fort@boisfort.fr / 06 11 22 33 44",
        "--statut", "Devis envoyé", "--source", "Salon pro", "--projet", "Escalier chêne",
        "--montant", "8 500 €", "--proba", "40 %", "--premiere", "12/01/2026",
        "--dernier", "15/01/2026", "--prochaine", "j+7", "--action", "tel",
        "--note", "Veut une pose avant mars", "--responsable", "Karim",
        "--interlocuteur", "M. Fort")
    assert result.exit_code == 0, result.output
    assert flat(result.output) == (
        f"Prospect ajouté : ID 11 — Menuiserie Bois Fort (ligne {NEW_ROW}).")

    cells = row_of(example, NEW_ROW)
    assert tuple(cells) == HEADERS
    assert {h: c.value for h, c in cells.items()} == {
        "ID": 11, "Nom Client/Prospect": "Menuiserie Bois Fort",
        "Contact (email + tel)": "j.fort@boisfort.fr / 06 11 22 33 44",
        "Statut": "Devis envoyé", "Source": "Salon pro", "Projet": "Escalier chêne",
        "Montant estimé (€)": 8500, "Probabilité (%)": 0.4,
        "Première interaction": at(12), "Dernier contact": at(15),
        "Prochaine relance": at(27), "Action prévue": "Tel",
        "Historique interactions": None, "Notes": "Veut une pose avant mars",
        "Responsable": "Karim", "Interlocuteur": "M. Fort", "Statut depuis": at(12),
        "Relances faites": 0, "Alerte": None, "Motif perte": None,
        "Délai (j)": f'=IF(ISNUMBER(J{NEW_ROW}),TODAY()-J{NEW_ROW},"")',
        "CA pondéré": (f'=IF(AND(ISNUMBER(G{NEW_ROW}),ISNUMBER(H{NEW_ROW})),'
                       f'G{NEW_ROW}*H{NEW_ROW},"")'),
    }
    formats = {h: c.number_format for h, c in cells.items()}
    assert formats["ID"] == "0"
    assert formats["Montant estimé (€)"] == AMOUNT_FORMAT
    assert formats["CA pondéré"] == AMOUNT_FORMAT
    assert formats["Probabilité (%)"] == "0%"
    for header in ("Première interaction", "Dernier contact", "Prochaine relance",
                   "Statut depuis"):
        assert formats[header] == "dd/mm/yyyy", header
        assert cells[header].is_date, header
    assert cells["Délai (j)"].data_type == "f"
    assert cells["CA pondéré"].data_type == "f"

    shown = json.loads(run("voir", "11", "--json").output)
    assert shown["email"] == "j.fort@boisfort.fr"
    assert shown["telephone"] == "06 11 22 33 44"
    assert shown["montant"] == 8500 and shown["probabilite"] == 0.4


def test_separate_email_and_tel_fill_the_combined_contact(run: Run, example: Path) -> None:
    result = run("ajouter", "Atelier Roux", "--email", "contact@atelier-roux.fr",
                 "--tel", "0611223344")
    assert result.exit_code == 0, result.output
    values = values_of(example, NEW_ROW)
    assert values["Contact (email + tel)"] == "contact@atelier-roux.fr / 06 11 22 33 44"
    # Nothing typed: Prospect, its default 10 %, first and last contact today, and the
    # cadence's first step (J+2 Email, Thursday 22).
    assert values["Statut"] == "Prospect"
    assert values["Probabilité (%)"] == 0.1
    assert values["Première interaction"] == values["Dernier contact"] == at(20)
    assert (values["Prochaine relance"], values["Action prévue"]) == (at(22), "Email")


def test_only_the_new_row_changes(run: Run, example: Path) -> None:
    before = openpyxl.load_workbook(example)["Suivi"]
    old = [[c.value for c in row] for row in before.iter_rows()]
    assert run("ajouter", "Nouveau").exit_code == 0
    after = openpyxl.load_workbook(example)["Suivi"]
    new = [[c.value for c in row] for row in after.iter_rows()]
    assert len(new) == len(old) + 1 == NEW_ROW
    assert new[:-1] == old


# --------------------------------------------------------------------------- IDs


def test_next_id_follows_the_highest_even_after_a_gap(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    book["Suivi"]["A11"] = 25  # the last row's ID: IDs 11 to 24 were never used
    book.save(example)
    result = run("ajouter", "Après le trou")
    assert result.exit_code == 0, result.output
    assert "ID 26" in result.output
    assert values_of(example, NEW_ROW)["ID"] == 26


def test_a_deleted_row_leaves_its_id_unused(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    ids = [v for (v,) in ws.iter_rows(min_row=2, max_col=1, values_only=True)]
    ws.delete_rows(2 + ids.index(4))
    book.save(example)
    result = run("ajouter", "Remplaçant")
    assert result.exit_code == 0, result.output
    assert flat(result.output) == "Prospect ajouté : ID 11 — Remplaçant (ligne 11)."
    after = [v for (v,) in openpyxl.load_workbook(example)["Suivi"].iter_rows(
        min_row=2, max_col=1, values_only=True)]
    assert after == [i for i in ids if i != 4] + [11]


def test_ids_keep_counting_over_several_additions(run: Run, example: Path) -> None:
    for name, expected in (("Premier", 11), ("Deuxième", 12)):
        result = run("ajouter", name)
        assert result.exit_code == 0, result.output
        assert f"ID {expected} — {name}" in result.output
    values = values_of(example, NEW_ROW + 1)
    assert (values["ID"], values["Nom Client/Prospect"]) == (12, "Deuxième")
    assert values["Délai (j)"] == f'=IF(ISNUMBER(J{NEW_ROW + 1}),TODAY()-J{NEW_ROW + 1},"")'


# --------------------------------------------------------------------------- dates, amounts


@pytest.mark.parametrize(("premiere", "dernier", "prochaine", "expected"), [
    ("13/01/2026", "13/01", "2026-01-27", (at(13), at(13), at(27))),
    ("13 janvier 2026", "aujourd'hui", "demain", (at(13), at(20), at(21))),
    ("2026-01-05", "hier", "lundi", (at(5), at(19), at(26))),
    ("05/01/26", "19 janv.", "j+7", (at(5), at(19), at(27))),
    # 31 January 2026 is a Saturday: a follow-up falls on the next working day.
    ("5 janvier", "20-01-2026", "fin janvier", (at(5), at(20), datetime(2026, 2, 2))),
])
def test_french_date_forms_are_stored_as_real_dates(
        run: Run, example: Path, premiere: str, dernier: str, prochaine: str,
        expected: tuple[datetime, datetime, datetime]) -> None:
    result = run("ajouter", "Dates", "--premiere", premiere, "--dernier", dernier,
                 "--prochaine", prochaine)
    assert result.exit_code == 0, result.output
    cells = row_of(example, NEW_ROW)
    stored = tuple(cells[h].value for h in ("Première interaction", "Dernier contact",
                                            "Prochaine relance"))
    assert stored == expected
    for header in ("Première interaction", "Dernier contact", "Prochaine relance"):
        assert cells[header].data_type == "d" and cells[header].is_date


@pytest.mark.parametrize(("typed", "stored"), [
    ("8500", 8500), ("8 500 €", 8500), ("8.500,50", 8500.5), ("15k", 15000)])
def test_amount_forms(run: Run, example: Path, typed: str, stored: float) -> None:
    assert run("ajouter", "Montant", "--montant", typed).exit_code == 0
    cell = row_of(example, NEW_ROW)["Montant estimé (€)"]
    assert cell.value == stored
    assert cell.data_type == "n" and cell.number_format == AMOUNT_FORMAT


@pytest.mark.parametrize("typed", ["40", "40%", "0.4"])
def test_probability_forms(run: Run, example: Path, typed: str) -> None:
    assert run("ajouter", "Proba", "--proba", typed).exit_code == 0
    cell = row_of(example, NEW_ROW)["Probabilité (%)"]
    assert cell.value == pytest.approx(0.4)
    assert cell.number_format == "0%"


def test_default_probability_follows_the_status(run: Run, example: Path) -> None:
    expected = {"Prospect": 0.1, "Devis envoyé": 0.3, "Négociation": 0.5, "Gagné": 1,
                "Perdu": 0}
    for status in expected:
        result = run("ajouter", f"Statut {status}", "--statut", status)
        assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(example)["Suivi"]
    stored = {ws.cell(row=r, column=4).value: ws.cell(row=r, column=8).value
              for r in range(NEW_ROW, NEW_ROW + len(expected))}
    assert stored == expected


def test_default_probability_is_read_from_parametres(run: Run, example: Path) -> None:
    set_setting(example, "Probabilité par défaut : Devis envoyé", 0.45)
    assert run("ajouter", "Réglé", "--statut", "devis").exit_code == 0
    values = values_of(example, NEW_ROW)
    assert (values["Statut"], values["Probabilité (%)"]) == ("Devis envoyé", 0.45)
    # A typed probability still wins over the setting.
    assert run("ajouter", "Typé", "--statut", "Devis envoyé", "--proba", "60").exit_code == 0
    assert values_of(example, NEW_ROW + 1)["Probabilité (%)"] == 0.6


# --------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--prochaine", "31/02/2026", "--prochaine : « 31/02/2026 » n'est pas une date"),
    ("--statut", "Bidule", "--statut : « Bidule » n'est pas un statut connu (Prospect, "
                           "Devis envoyé, Négociation, Gagné, Perdu)."),
    ("--montant", "beaucoup", "--montant : « beaucoup » n'est pas un montant (ex. 8 500 €)."),
    ("--proba", "150", "--proba : « 150 » n'est pas une probabilité"),
    ("--email", "pasunmail", "--email : « pasunmail » n'est pas une adresse e-mail"),
])
def test_a_bad_value_changes_nothing(
        run: Run, example: Path, option: str, value: str, message: str) -> None:
    before = example.read_bytes()
    result = run("ajouter", "Erreur", option, value)
    text = assert_refused(result, 2, message)
    assert text.count(" : ") == 1, text  # one sentence, not a list
    assert example.read_bytes() == before
    assert not list((example.parent / "sauvegardes").glob("*.xlsx"))


def test_an_empty_name_is_refused(run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("ajouter", "  "), 2, "Le nom du prospect est vide")
    assert example.read_bytes() == before


# --------------------------------------------------------------------------- light tracker


LIGHT_ROWS = (
    LIGHT_HEADERS,
    ("Martin Menuiserie", "m.martin@email.fr / 06 12 34 56 78", "Devis envoyé", "8 500 €",
     "10/01/2026", "13/01/2026", "Relancer par mail"),
)


@pytest.fixture
def light(tracker_path: Path) -> Path:
    return make_workbook(tracker_path, {"Suivi": LIGHT_ROWS})


def test_light_tracker_gets_a_row_and_no_column(run: Run, light: Path) -> None:
    result = run("ajouter", "Dupont SAS", "--contact", "a.dupont@societe.fr / 0698765432",
                 "--statut", "Prospect", "--montant", "15k", "--prochaine", "j+3",
                 "--note", "Rappeler fin janvier")
    assert result.exit_code == 0, result.output
    assert flat(result.output) == "Prospect ajouté : Dupont SAS (ligne 3)."
    book = openpyxl.load_workbook(light)
    assert book.sheetnames == ["Suivi"]
    ws = book["Suivi"]
    assert (ws.max_row, ws.max_column) == (3, 7)
    assert tuple(c.value for c in ws[1]) == LIGHT_HEADERS
    assert tuple(c.value for c in ws[2]) == LIGHT_ROWS[1]
    assert tuple(c.value for c in ws[3]) == (
        "Dupont SAS", "a.dupont@societe.fr / 06 98 76 54 32", "Prospect", 15000, at(20),
        at(23), "Rappeler fin janvier")
    # The amount looks like the one typed above it; a date must look like a date.
    assert ws["D3"].number_format == ws["D2"].number_format == "General"
    assert ws["E3"].number_format == ws["F3"].number_format == "dd/mm/yyyy"


def test_light_tracker_refuses_an_option_without_a_column(run: Run, light: Path) -> None:
    before = light.read_bytes()
    result = run("ajouter", "Dupont SAS", "--source", "Salon", "--responsable", "Karim")
    assert_refused(
        result, 2,
        "« relances-clients.xlsx » n'a pas de colonne pour --source, --responsable : "
        "ajoutez la colonne « Source », « Responsable » dans la feuille, ou retirez ces "
        "options. Rien n'a été écrit.")
    assert light.read_bytes() == before
    assert not list((light.parent / "sauvegardes").glob("*.xlsx"))


def test_light_tracker_text_values_are_read(run: Run, light: Path) -> None:
    result = run("liste", "--json")
    assert result.exit_code == 0, result.output
    (martin,) = json.loads(result.stdout)
    assert {k: martin[k] for k in ("nom", "email", "telephone", "statut", "montant",
                                   "dernier_contact", "prochaine_relance", "notes", "id",
                                   "ligne")} == {
        "nom": "Martin Menuiserie", "email": "m.martin@email.fr",
        "telephone": "06 12 34 56 78", "statut": "Devis envoyé", "montant": 8500,
        "dernier_contact": "2026-01-10", "prochaine_relance": "2026-01-13",
        "notes": "Relancer par mail", "id": None, "ligne": 2}


def test_separate_email_and_phone_columns_are_filled(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Clients": [("Société", "Email", "Téléphone", "Statut")]})
    result = run("ajouter", "Garage Moreau", "--contact", "g@moreau.fr / 05 56 78 90 12")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tracker_path)["Clients"]
    assert [c.value for c in ws[2]] == ["Garage Moreau", "g@moreau.fr", "05 56 78 90 12",
                                        "Prospect"]


# --------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize(("name", "note"), [
    ("Hyperlien", '=HYPERLINK("http://x","y")'),
    ("+33 Conseil", "+1 devis"),
    ("-Moins SARL", "-20 % demandé"),
    ("@Arobase", "@lundi"),
    ("=1+1", "=SUM(A1:A9)"),
])
def test_text_starting_like_a_formula_stays_text(
        run: Run, example: Path, name: str, note: str) -> None:
    result = run("ajouter", "--note", note, "--", name)
    assert result.exit_code == 0, result.output
    cells = row_of(example, NEW_ROW)
    for header, typed in (("Nom Client/Prospect", name), ("Notes", note)):
        assert cells[header].value == typed
        assert cells[header].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(example.read_bytes())) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    for column in "BN":
        assert re.search(rf'<c r="{column}{NEW_ROW}"[^>]* t="(s|inlineStr)"', sheet), column
    assert "<f>HYPERLINK" not in sheet and "<f>SUM(A1" not in sheet
    shown = json.loads(run("voir", "11", "--json").stdout)
    assert (shown["nom"], shown["notes"]) == (name, note)


def test_ajouter_keeps_today_fixed(run: Run, example: Path) -> None:
    result = run("ajouter", "Demain", "--prochaine", "demain", today=date(2026, 2, 2))
    assert result.exit_code == 0, result.output
    values = values_of(example, NEW_ROW)
    assert (values["Première interaction"], values["Prochaine relance"]) == (at(2, 2),
                                                                              at(3, 2))


def test_a_follow_up_typed_for_a_saturday_moves_to_monday(run: Run, example: Path) -> None:
    result = run("ajouter", "Garage Dubois", "--prochaine", "24/01/2026")
    assert result.exit_code == 0, result.output
    assert flat(result.output) == (
        "Prospect ajouté : ID 11 — Garage Dubois (ligne 12). Prochaine relance : samedi 24/01 "
        "→ lundi 26/01 (les relances tombent un jour ouvré).")
    ws = openpyxl.load_workbook(example)["Suivi"]
    assert ws["K12"].value == datetime(2026, 1, 26)


@pytest.mark.parametrize("option", ["--premiere", "--dernier", "--depuis"])
def test_an_exchange_date_in_the_future_is_refused(run: Run, example: Path,
                                                   option: str) -> None:
    before = example.read_bytes()
    assert_refused(run("ajouter", "Garage Moreau", option, "demain"), 2,
                   f"{option} : le 21/01/2026 est dans le futur")
    assert example.read_bytes() == before


def test_a_name_already_there_is_refused_unless_doublon(run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("ajouter", "  boulangerie   PETIT "), 2,
                   "« Boulangerie Petit » est déjà dans le suivi (ligne 8, ID 8) : notez plutôt "
                   "l'échange avec relances maj 8, ou ajoutez --doublon pour créer un second "
                   "prospect de ce nom. Rien n'a été écrit.")
    assert example.read_bytes() == before
    result = run("ajouter", "Boulangerie Petit", "--doublon")
    assert result.exit_code == 0, result.output
    assert "ID 11 — Boulangerie Petit" in result.output
