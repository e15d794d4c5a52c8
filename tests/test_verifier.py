"""`relances verifier` lists every problem at once; other commands warn and carry on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import Run, flat, make_workbook

STATUSES = "(Prospect, Devis envoyé, Négociation, Gagné, Perdu)"
NO_PROBABILITY = ("pas de colonne Probabilité : le CA pondéré compte pour chaque prospect la "
                  "probabilité par défaut de son statut (feuille Paramètres)")




def spoil(example: Path) -> list[str]:
    """The example, then mistakes as people make them by hand in Excel; the problems
    `verifier` must find, in order."""
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    martin = next(r for r in range(2, 12) if ws.cell(r, 1).value == 1)
    # Row 12: unknown status, unreadable amount, impossible date, all on one row.
    ws["A12"], ws["B12"], ws["D12"] = 11, "Nouveau Client", "En attente"
    ws["G12"], ws["K12"] = "beaucoup", "31/02/2026"
    # Row 13: Martin's ID again.
    ws["A13"], ws["B13"], ws["D13"] = 1, "Doublon SARL", "Prospect"
    # Row 14: values but no name.
    ws["A14"], ws["N14"] = 12, "rappeler lundi"
    # Row 15: a probability above 100 % and a date that is not one.
    ws["A15"], ws["B15"], ws["H15"], ws["J15"] = 13, "Atelier Roux", 140, "la semaine dernière"
    settings = book["Paramètres"]
    assert settings["A2"].value == "Alerte après (jours sans contact) : Prospect"
    settings["B2"] = "quinze"
    book.save(example)
    return expected(martin)


def expected(martin: int) -> list[str]:
    return [
        "Paramètres, ligne 2, colonne Alerte après (jours sans contact) : Prospect : « quinze » "
        "n'est pas un nombre entier",
        f"Suivi, ligne 12, colonne Statut : « En attente » n'est pas un statut connu {STATUSES}",
        "Suivi, ligne 12, colonne Montant estimé (€) : « beaucoup » n'est pas un montant "
        "(ex. 8 500 €)",
        "Suivi, ligne 12, colonne Prochaine relance : « 31/02/2026 » n'est pas une date "
        "(JJ/MM/AAAA)",
        f"Suivi, ligne 13, colonne ID : l'ID 1 est déjà utilisé ligne {martin} : donnez-lui un "
        "numéro libre",
        "Suivi, ligne 14, colonne Nom Client/Prospect : le nom est vide alors que la ligne est "
        "remplie",
        "Suivi, ligne 15, colonne Probabilité (%) : « 140 » n'est pas une probabilité (0 à 100 %)",
        "Suivi, ligne 15, colonne Dernier contact : « la semaine dernière » n'est pas une date "
        "(JJ/MM/AAAA)",
    ]


def test_verifier_clean_example(run: Run, example: Path) -> None:
    result = run("verifier")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Aucun problème : 10 prospect(s) lu(s).\n"
    assert result.stderr == ""


def test_verifier_lists_every_problem_at_once(run: Run, example: Path) -> None:
    problems = spoil(example)
    result = run("verifier")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        *problems, "8 problème(s) trouvé(s) ; 12 prospect(s) lisible(s)."]
    assert "Traceback" not in result.output


def test_verifier_exact_line_for_an_impossible_date(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    book["Suivi"]["K12"] = "31/02/2026"
    book["Suivi"]["B12"] = "Nouveau"
    book.save(example)
    result = run("verifier")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "Suivi, ligne 12, colonne Prochaine relance : « 31/02/2026 » n'est pas une date "
        "(JJ/MM/AAAA)")


def test_verifier_names_the_users_own_headers(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Clients": [
        ["Société", "Tél.", "État", "Budget", "À relancer le"],
        ["Martin", "06 12 34 56 78", "devis", "8 500 €", "13/01/2026"],
        ["Dupont", "06 98 76 54 32", "devis", "huit mille", "13/13/2026"],
        [None, "01 02 03 04 05", None, None, None],
        ["Leroy", None, "Gagné peut-être", None, None],
    ]})
    result = run("verifier")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Clients, ligne 3, colonne Budget : « huit mille » n'est pas un montant (ex. 8 500 €)",
        "Clients, ligne 3, colonne À relancer le : « 13/13/2026 » n'est pas une date "
        "(JJ/MM/AAAA)",
        "Clients, ligne 4, colonne Société : le nom est vide alors que la ligne est remplie",
        "Clients, ligne 5, colonne État : « Gagné peut-être » n'est pas un statut connu "
        f"{STATUSES}",
        "4 problème(s) trouvé(s) ; 3 prospect(s) lisible(s).",
        f"Note : Clients : {NO_PROBABILITY}.",
    ]


def test_verifier_clean_hand_made_tracker(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Feuil1": [
        ["Nom", "Statut"], ["Martin", "Prospect"], [None, None], ["Dupont", None]]})
    result = run("verifier")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Aucun problème : 2 prospect(s) lu(s).",
                                          f"Note : Feuil1 : {NO_PROBABILITY}."]


@pytest.mark.parametrize("rows", [
    [["Contact", "Statut", "Montant"], ["a@b.fr", "Prospect", 100]],
    [["Prénom", "Adresse"], ["Jean", "1 rue de la Paix"]],
    [],
])
def test_verifier_without_name_column_is_an_error(
        run: Run, tracker_path: Path, rows: list[list[object]]) -> None:
    make_workbook(tracker_path, {"Suivi": rows})
    result = run("verifier")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert flat(result.stderr) == (
        "Aucune feuille de « relances-clients.xlsx » n'a d'en-tête reconnaissable : il faut "
        "au moins une colonne « Nom » (ou « Client », « Société ») et une autre colonne "
        "connue (« Statut », « Contact », « Prochaine relance »…) sur une même ligne.")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("label", "value", "message"), [
    ("Pays (jours fériés)", "Groland",
     "« Groland » n'est pas un pays pris en charge (FR, BE, CH, LU, CA)"),
    ("Jours ouvrés uniquement", "peut-être", "« peut-être » : répondez Oui ou Non"),
    ("Heure des relances", "midi", "« midi » n'est pas une heure (ex. 09:00)"),
    ("Prospect chaud à partir de", "150 %", "« 150 % » n'est pas une probabilité (0 à 100 %)"),
    ("Relances max par statut", -1, "« -1 » n'est pas un nombre de jours"),
])
def test_verifier_reports_a_wrong_setting(
        run: Run, example: Path, label: str, value: object, message: str) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Paramètres"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2).value = value
    book.save(example)
    result = run("verifier")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"Paramètres, ligne {row}, colonne {label} : {message}",
        "1 problème(s) trouvé(s) ; 10 prospect(s) lisible(s).",
    ]


def test_verifier_prints_cell_text_verbatim(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    book["Suivi"]["K2"] = "[/voir] :smile:"
    book.save(example)
    result = run("verifier")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == (
        "Suivi, ligne 2, colonne Prochaine relance : « [/voir] :smile: » n'est pas une date "
        "(JJ/MM/AAAA)")


# --------------------------------------------------------------------------- other commands


def test_liste_warns_on_stderr_and_lists_the_rest(run: Run, example: Path) -> None:
    problems = spoil(example)
    result = run("liste")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Attention : 8 cellule(s) illisible(s), lue(s) comme vide(s) et laissée(s) telle(s) "
        "quelle(s) (détail : relances verifier).",
        *(f"  {line}" for line in problems[:5]),
        "  … et 3 autre(s).",
    ]
    assert "12 prospect(s) sur 12" in result.stdout
    for kept in ("Martin Menuiserie", "Nouveau Client", "Atelier Roux"):
        assert kept in result.stdout
    for skipped in ("Doublon SARL", "rappeler lundi"):  # a second ID 1, a row without name
        assert skipped not in result.stdout


def test_liste_json_stays_valid_with_warnings(run: Run, example: Path) -> None:
    spoil(example)
    result = run("liste", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(p["id"] for p in data) == [*range(1, 12), 13]
    assert result.stderr.startswith("Attention : 8 cellule(s) illisible(s)")


def test_voir_still_finds_a_readable_prospect(run: Run, example: Path) -> None:
    spoil(example)
    result = run("voir", "martin")
    assert result.exit_code == 0, result.output
    assert "1 — Martin Menuiserie" in result.stdout


def test_a_prospect_with_an_unreadable_cell_is_still_found(run: Run, example: Path) -> None:
    spoil(example)
    result = run("voir", "roux")
    assert result.exit_code == 0, result.output
    assert "13 — Atelier Roux" in result.stdout


def test_an_unreadable_cell_is_never_overwritten_unless_asked(run: Run, example: Path) -> None:
    """planifier would plan a date where « 31/02/2026 » stands: the cell stays as typed;
    maj --prochaine, the user's own date, replaces it."""
    spoil(example)
    assert run("planifier").exit_code == 0
    ws = openpyxl.load_workbook(example)["Suivi"]
    row = next(r for r in range(2, 20) if ws.cell(r, 2).value == "Nouveau Client")
    assert ws.cell(row, 11).value == "31/02/2026"
    assert ws.cell(row, 7).value == "beaucoup"
    result = run("maj", "nouveau client", "--canal", "Tel", "--prochaine", "28/01/2026")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(example)["Suivi"]
    row = next(r for r in range(2, 20) if ws.cell(r, 2).value == "Nouveau Client")
    assert ws.cell(row, 11).value.date() == date(2026, 1, 28)
    assert ws.cell(row, 7).value == "beaucoup"


@pytest.mark.parametrize("typed", ["-", "—", "N/A", "NC", "?", "à définir", "à voir"])
def test_placeholders_read_as_empty_without_a_word(run: Run, example: Path,
                                                   typed: str) -> None:
    book = openpyxl.load_workbook(example)
    for column in ("G", "H", "K"):
        book["Suivi"][f"{column}3"] = typed
    book.save(example)
    result = run("verifier")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
