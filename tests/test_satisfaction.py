"""The satisfaction survey: the Gagné J+15 call script, `maj --satisfaction` writing the
score into a Satisfaction column (added where the user's headers end) and the Journal,
the row's colour rules, an unhappy client called back, and `analyse`'s average and
clients to call back, checked by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import Run, assert_refused, flat
from test_zero_loss import schemas  # noqa: F401 (the fixture)

PETIT, RESTAURANT = "Boulangerie Petit", "Restaurant Chez Nous"
"""The example's two won clients."""


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return flat(result.output)


def suivi(path: Path) -> dict[str, dict[str, Any]]:
    """Each row of Suivi by name, each cell by its header."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    headers = [c.value for c in ws[1]]
    return {row[1]: dict(zip(headers, row, strict=False))
            for row in ws.iter_rows(min_row=2, values_only=True) if row[1]}


def rules(path: Path) -> list[tuple[int, str, str, bool]]:
    """Suivi's colour rules by priority: formula, range, stop-if-true."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    return sorted((r.priority, r.formula[0] if r.formula else r.type, str(cf.sqref),
                   bool(r.stopIfTrue)) for cf in ws.conditional_formatting for r in cf.rules)


def journal(path: Path) -> list[tuple[Any, ...]]:
    return [row for row in openpyxl.load_workbook(path)["Journal"].iter_rows(
        min_row=2, values_only=True) if row[0] is not None]


def test_the_won_client_s_first_follow_up_is_a_survey_call(run: Run, example: Path) -> None:
    out = ok(run("emails"))
    assert "9-restaurant-chez-nous-appel.txt" in out
    script = (example.parent / "emails-semaine-04" / "9-restaurant-chez-nous-appel.txt"
              ).read_text(encoding="utf-8")
    assert script.startswith("APPEL SATISFACTION — Restaurant Chez Nous — 02 99 31 42 53")
    assert "de 1 (pas du tout satisfait) à 5 (très satisfait)" in script
    assert script.count("note : ___") == 5
    assert "relances maj 9 --canal Tel --satisfaction 4 --resume" in script
    assert "Je suis bien avec Madame Roux ?" in script


def test_a_score_goes_into_a_new_column_the_journal_and_the_history(run: Run,
                                                                   example: Path) -> None:
    headers = [c.value for c in openpyxl.load_workbook(example)["Suivi"][1]]
    assert "Satisfaction" not in headers
    out = ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "4/5", "--resume",
                 "Façade impeccable"))
    assert "Satisfaction : 4 / 5" in out
    assert "Colonne « Satisfaction » ajoutée en W" in out
    after = openpyxl.load_workbook(example)["Suivi"]
    assert [c.value for c in after[1]] == [*headers, "Satisfaction"]
    assert after.auto_filter.ref == "A1:W11"  # the filter takes the column in
    rows = suivi(example)
    assert rows[PETIT]["Satisfaction"] == 4 and rows[RESTAURANT]["Satisfaction"] is None
    assert rows[PETIT]["Historique interactions"].startswith(
        "20/01 Tel : Façade impeccable (satisfaction 4/5)")
    line = journal(example)[-1]
    assert (line[2], line[3], line[4], line[5]) == (PETIT, "Tel", "Façade impeccable",
                                                     "satisfaction 4/5")
    # A happy client follows the cadence: the J+90 email that asks for a review.
    assert (rows[PETIT]["Prochaine relance"].date(), rows[PETIT]["Action prévue"]) == (
        date(2026, 4, 13), "Email")
    # The colours: score rules first (they stop the grey of a won row), over whole rows.
    found = rules(example)
    assert found[:3] == [(1, "AND(ISNUMBER($W2),$W2<=2)", "A2:W1048576", True),
                         (2, "AND(ISNUMBER($W2),$W2=3)", "A2:W1048576", True),
                         (3, "AND(ISNUMBER($W2),$W2>3)", "A2:W1048576", True)]
    assert found[3][1] == 'OR($D2="Gagné",$D2="Perdu")'  # the grey rule comes after
    fills = [rule.dxf.fill.bgColor.rgb for cf in
             openpyxl.load_workbook(example)["Suivi"].conditional_formatting
             for rule in cf.rules if "$W2" in rule.formula[0]]
    assert fills == ["FFFFC7CE", "FFFFEB9C", "FFC6EFCE"]  # red, yellow, green

    # The second score reuses the column and its rules.
    ok(run("maj", "restaurant", "--canal", "Tel", "--satisfaction", "5"))
    assert suivi(example)[RESTAURANT]["Satisfaction"] == 5
    assert rules(example) == found
    assert [c.value for c in openpyxl.load_workbook(example)["Suivi"][1]].count(
        "Satisfaction") == 1


def test_an_unhappy_client_is_called_back_in_two_working_days(run: Run,
                                                             example: Path) -> None:
    out = ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "2", "--resume",
                 "Enduit qui s'écaille"))
    assert "Conseil : Client mécontent : écouter, proposer une solution et une date" in out
    row = suivi(example)[PETIT]
    # Tuesday 20/01 + 2 working days: Thursday 22/01, a call.
    assert (row["Prochaine relance"].date(), row["Action prévue"]) == (date(2026, 1, 22), "Tel")
    week = json.loads(ok(run("semaine", "--json")))
    (petit,) = [i for i in week["clients"] if i["nom"] == PETIT]
    assert petit["conseil"] == "Client mécontent : écouter, proposer une solution et une date"
    assert PETIT not in {i["nom"] for i in week["a_faire"] + week["en_retard"]}
    ok(run("emails", "--remplacer"))
    script = (example.parent / "emails-semaine-04" / "8-boulangerie-petit-appel.txt"
              ).read_text(encoding="utf-8")
    assert "Dernière note donnée : 2 / 5" in script and "Client mécontent" in script
    # A date given by the user wins.
    ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "1", "--prochaine", "26/01/2026"))
    assert suivi(example)[PETIT]["Prochaine relance"].date() == date(2026, 1, 26)


@pytest.mark.parametrize(("args", "phrases"), [
    (("petit", "--satisfaction", "7"),
     ("--satisfaction : « 7 » n'est pas une note de 1 à 5.",)),
    (("petit", "--satisfaction", "3,5"), ("« 3,5 » n'est pas une note de 1 à 5",)),
    (("martin", "--satisfaction", "4"),
     ("--satisfaction note un client gagné : « Martin Menuiserie » est en Devis envoyé. "
      "Ajoutez --issue gagne si l'affaire vient d'être signée.",)),
])
def test_a_wrong_score_changes_nothing(run: Run, example: Path, args: tuple[str, ...],
                                       phrases: tuple[str, ...]) -> None:
    before = example.read_bytes()
    assert_refused(run("maj", *args), 2, *phrases)
    assert example.read_bytes() == before


def test_a_deal_signed_and_scored_at_once(run: Run, example: Path) -> None:
    ok(run("maj", "martin", "--canal", "RDV", "--issue", "gagne", "--satisfaction", "5"))
    row = suivi(example)["Martin Menuiserie"]
    assert (row["Statut"], row["Satisfaction"]) == ("Gagné", 5)
    assert journal(example)[-1][5] == "gagné, satisfaction 5/5"


def test_no_room_right_of_the_headers_is_said_and_nothing_is_written(run: Run,
                                                                     example: Path) -> None:
    # W is free in the header but not below it: relances takes the next column only when
    # nothing of the user's is in it.
    book = openpyxl.load_workbook(example)
    book["Suivi"]["W7"] = "à moi"
    book.save(example)
    before = example.read_bytes()
    assert_refused(run("maj", "petit", "--satisfaction", "4"), 3,
                   "La colonne W de « Suivi », à droite de vos en-têtes, n'est pas vide : "
                   "ajoutez vous-même un en-tête « Satisfaction » à votre tableau")
    assert example.read_bytes() == before


def test_a_column_of_the_user_s_own_is_read_and_scored(run: Run, example: Path) -> None:
    """Typed by hand under a name of its own, a bad value in it is reported, not used."""
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    ws["W1"] = "Note de satisfaction"
    rows = {row[1].value: row[0].row for row in ws.iter_rows(min_row=2)}
    ws.cell(rows[RESTAURANT], 23, 3)
    ws.cell(rows["Garage Moreau"], 23, "bof")
    book.save(example)
    checked = run("verifier")
    assert "Note de satisfaction" in flat(checked.output)
    assert "« bof » n'est pas une note de 1 à 5" in flat(checked.output)
    ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "1"))
    headers = [c.value for c in openpyxl.load_workbook(example)["Suivi"][1]]
    assert headers[22] == "Note de satisfaction" and "Satisfaction" not in headers
    assert suivi(example)[PETIT]["Note de satisfaction"] == 1
    # The colours were added for the column as it is.
    assert rules(example)[0][1] == "AND(ISNUMBER($W2),$W2<=2)"


def test_analyse_averages_the_scores_and_lists_the_clients_to_call_back(
        run: Run, example: Path) -> None:
    """Scores 5 (Restaurant, by maj), 2 (Petit, by maj), 1 (Garage Moreau, lost: typed
    by hand): the mean is (5 + 2 + 1) / 3 = 2,7; only a won client is one to call back."""
    ok(run("maj", "restaurant", "--canal", "Tel", "--satisfaction", "5"))
    ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "2"))
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    moreau = next(row[0].row for row in ws.iter_rows(min_row=2) if row[1].value == "Garage Moreau")
    ws.cell(moreau, 23, 1)
    book.save(example)
    data = json.loads(ok(run("analyse", "--sans-classeur", "--json")))
    assert (data["satisfaction_moyenne"], data["clients_notes"],
            data["clients_mecontents"]) == (2.7, 3, 1)
    assert data["clients_a_rappeler"] == [
        {"nom": PETIT, "satisfaction": 2, "telephone": "03 80 45 67 89",
         "dernier_contact": "2026-01-20", "responsable": "Karim"}]
    assert data["definitions"]["clients_a_rappeler"].startswith(
        "aujourd'hui : clients gagnés dont la note de satisfaction est de 2 ou moins")
    (advice,) = [r for r in data["recommandations"] if r["code"] == "clients_mecontents"]
    assert "Boulangerie Petit (2 / 5)" in advice["message"]
    text = ok(run("analyse", "--sans-classeur"))
    assert "Satisfaction moyenne 2,7 / 5" in text and "sur les clients notés (3)" in text
    assert "Clients à rappeler Client Note Téléphone Dernier contact Responsable " \
           "Boulangerie Petit 2 / 5 03 80 45 67 89 20/01/2026 Karim" in text
    # One owner's analysis keeps to that owner's clients.
    claire = json.loads(ok(run("analyse", "--sans-classeur", "--json", "--responsable",
                               "Claire")))
    assert (claire["satisfaction_moyenne"], claire["clients_a_rappeler"]) == (5, [])
    # On Tableau de bord: the three figures, then the clients to call back.
    ok(run("analyse"))
    sheet = openpyxl.load_workbook(example, data_only=True)["Tableau de bord"]
    block = [[c.value for c in row][4:9] for row in sheet.iter_rows()]
    at = next(i for i, row in enumerate(block) if row[0] == "Satisfaction moyenne")
    assert [row[:2] for row in block[at + 2:at + 5]] == [
        ["Satisfaction moyenne", "2,7 / 5"], ["Clients notés", "3"], ["Clients mécontents", "1"]]
    at = next(i for i, row in enumerate(block) if row[0] == "Clients à rappeler")
    assert block[at + 2] == [PETIT, "2 / 5", "03 80 45 67 89", "20/01/2026", "Karim"]


def test_the_account_and_the_list_carry_the_score(run: Run, example: Path) -> None:
    ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "4"))
    assert "Satisfaction 4 / 5" in ok(run("voir", "petit"))
    account = json.loads(ok(run("voir", "petit", "--json")))
    assert account["satisfaction"] == 4
    listed = {p["nom"]: p for p in json.loads(ok(run("liste", "--json")))}
    assert listed[PETIT]["satisfaction"] == 4 and listed[RESTAURANT]["satisfaction"] is None


def test_the_column_joins_the_user_s_table_and_its_totals_row_stays(
        run: Run, tmp_path: Path, schemas: dict[str, Any]) -> None:  # noqa: F811
    """A Table with a title above and a totals row, as Excel writes it: the new column is
    the Table's last, named as its header, and every part written still validates."""
    import xlsxwriter
    from package_diff import compare, parts
    from test_zero_loss import invalid_parts

    path = tmp_path / "suivi.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Suivi")
    ws.write("A1", "Suivi commercial 2026")
    ws.add_table("A3:D6", {"name": "Clients", "total_row": True, "columns": [
        {"header": "Nom", "total_string": "Total"}, {"header": "Statut"},
        {"header": "Montant", "total_function": "sum"}, {"header": "Dernier contact"}]})
    ws.write_row("A4", ["Boulangerie Petit", "Gagné", 12000])
    ws.write_row("A5", ["Martin Menuiserie", "Devis envoyé", 8500])
    book.close()
    before = parts(path)
    totals = [c.value for c in openpyxl.load_workbook(path)["Suivi"][6]]
    ok(run("maj", "petit", "--canal", "Tel", "--satisfaction", "3", "-f", str(path)))
    after = openpyxl.load_workbook(path)["Suivi"]
    table = after.tables["Clients"]
    assert table.ref == "A3:E6" and table.autoFilter.ref == "A3:E5"
    assert [c.name for c in table.tableColumns] == ["Nom", "Statut", "Montant",
                                                    "Dernier contact", "Satisfaction"]
    assert [after[f"{c}3"].value for c in "ABCDE"] == ["Nom", "Statut", "Montant",
                                                      "Dernier contact", "Satisfaction"]
    assert (after["E4"].value, after["E5"].value) == (3, None)
    assert [c.value for c in after[6]][:4] == totals[:4] and totals[0] == "Total"
    written = compare(before, parts(path))
    assert invalid_parts(path, written.changed | written.added, schemas) == {}
    listed = json.loads(run("liste", "--json", "-f", str(path)).stdout)
    assert {p["nom"]: p["satisfaction"] for p in listed} == {
        "Boulangerie Petit": 3, "Martin Menuiserie": None}


def test_maj_on_a_terminal_asks_a_won_client_s_score(run: Run, example: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Only QUI given: the questions, the score among them for a won client."""
    from relances.cli import prospects

    monkeypatch.setattr(prospects, "on_terminal", lambda: True)
    # canal, résumé, issue (simple), probabilité (kept), score, next date (the cadence's).
    result = run("maj", "restaurant", input="Tel\nRavis\n\n\n5\n\n")
    assert result.exit_code == 0, result.output
    assert "Note de satisfaction, de 1 à 5 (Entrée : aucune)" in flat(result.output)
    assert suivi(example)[RESTAURANT]["Satisfaction"] == 5
    assert journal(example)[-1][4:6] == ("Ravis", "satisfaction 5/5")
    # A prospect still open is not asked.
    before = example.read_bytes()
    result = run("maj", "martin", input="Tel\nLu\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Note de satisfaction" not in result.output and example.read_bytes() != before
