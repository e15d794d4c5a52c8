"""`relances liste` and `relances voir` on the example workbook, through the real CLI.

Today is frozen to Tuesday 20/01/2026, the day the example tells its story, so every
date in these assertions is the workflow's own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, STORY_DAY, Run, flat, make_workbook

from relances.ui import console as ui

NBSP = "\u00a0"

ORDER = [6, 1, 4, 5, 3, 9, 8, 2, 10, 7]
"""The example sorted by Prochaine relance (ties by name), SCI Fontaine (none planned) last."""

JSON_KEYS = {
    "id", "nom", "email", "telephone", "statut", "source", "projet", "montant",
    "probabilite", "premiere_interaction", "dernier_contact", "prochaine_relance", "action",
    "responsable",
}




def row_of(ws: Any, ident: int) -> int:
    """The example keeps Suivi sorted by next follow-up: find a prospect's row by its ID."""
    return next(row for row in range(2, ws.max_row + 1) if ws.cell(row, 1).value == ident)


def listed(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("liste", "--json", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ids(run: Run, *args: str) -> list[int]:
    return [p["id"] for p in listed(run, *args)]


# --------------------------------------------------------------------------- liste


def test_liste_json_is_sorted_by_next_followup_with_empty_last(run: Run, example: Path) -> None:
    data = listed(run)
    assert [p["id"] for p in data] == ORDER
    assert [p["prochaine_relance"] for p in data] == [
        "2026-01-12", "2026-01-13", "2026-01-21", "2026-01-21", "2026-01-22", "2026-01-23",
        "2026-01-27", "2026-01-30", "2026-03-18", None]
    for prospect in data:
        assert prospect.keys() >= JSON_KEYS


def test_liste_json_values_are_iso_fractions_and_null(run: Run, example: Path) -> None:
    by_id = {p["id"]: p for p in listed(run)}
    martin = by_id[1]
    assert {key: martin[key] for key in JSON_KEYS} == {
        "id": 1, "nom": "Martin Menuiserie", "email": "m.martin@email.fr",
        "telephone": "06 12 34 56 78", "statut": "Devis envoyé", "source": "Site web",
        "projet": "Rénovation atelier 15 fenêtres", "montant": 8500, "probabilite": 0.5,
        "premiere_interaction": "2026-01-05", "dernier_contact": "2026-01-10",
        "prochaine_relance": "2026-01-13", "action": "Email", "responsable": "Claire",
    }
    fontaine = by_id[7]
    assert fontaine["telephone"] is None
    assert fontaine["prochaine_relance"] is None
    assert fontaine["action"] is None
    assert fontaine["probabilite"] == 0.1
    assert by_id[8]["probabilite"] == 1.0
    assert by_id[10]["probabilite"] == 0.0


def test_liste_json_empty_cells_are_null(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    row = row_of(ws, 1)
    for column in ("C", "E", "F", "G", "H", "I", "J", "K", "L", "O"):
        ws[f"{column}{row}"] = None
    book.save(example)
    martin = next(p for p in listed(run) if p["id"] == 1)
    for key in JSON_KEYS - {"id", "nom", "statut"}:
        assert martin[key] is None, key


def test_liste_table_names_the_prospects_in_order(run: Run, example: Path) -> None:
    result = run("liste")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert "10 prospect(s) sur 10" in out
    names = ["Copropriété Les", "Martin Menuiserie", "Hôtel du Lac", "Mme Bernard",
             "Cabinet Leroy", "Restaurant Chez Nous", "Boulangerie Petit",
             "Société Dupont SAS", "Garage Moreau", "SCI Fontaine"]
    positions = [out.index(name) for name in names]
    assert positions == sorted(positions)
    assert f"8{NBSP}500{NBSP}€" in out


def test_liste_statut_repeatable_and_synonyms(run: Run, example: Path) -> None:
    assert ids(run, "--statut", "Devis envoyé") == [6, 1]
    assert ids(run, "--statut", "devis") == [6, 1]
    assert ids(run, "--statut", "DEVIS ENVOYE", "--statut", "gagné") == [6, 1, 9, 8]
    assert ids(run, "--statut", "nego", "--statut", "perdu") == [4, 3, 10]


def test_liste_proba_min(run: Run, example: Path) -> None:
    assert ids(run, "--proba-min", "70") == [3, 9, 8]
    assert ids(run, "--proba-min", "80 %") == [3, 9, 8]
    assert ids(run, "--proba-min", "81") == [9, 8]


def test_liste_avant_is_on_or_before(run: Run, example: Path) -> None:
    # Tuesday 20/01: "vendredi" is 23/01, which is included.
    assert ids(run, "--avant", "vendredi") == [6, 1, 4, 5, 3, 9]
    assert ids(run, "--avant", "31/01") == [6, 1, 4, 5, 3, 9, 8, 2]
    assert ids(run, "--avant", "22/01/2026") == [6, 1, 4, 5, 3]
    assert ids(run, "--avant", "hier") == [6, 1]


def test_liste_responsable_ignores_case(run: Run, example: Path) -> None:
    assert ids(run, "--responsable", "karim") == [6, 4, 3, 8, 10]
    assert ids(run, "--responsable", "CLAIRE") == [1, 5, 9, 2, 7]
    assert ids(run, "--responsable", "Personne") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("hotel", [4]),
    ("FENETRES", [1]),
    ("dupont", [2]),
    ("m.martin@email", [1]),
    ("06 12 34", [1]),
    ("orange.fr", [7]),
    ("ESCALIER", [6]),
    ("assemblée", [6]),
    ("assemblee generale", [6]),
    ("introuvable", []),
])
def test_liste_chercher_over_name_contact_project_notes(
        run: Run, example: Path, text: str, expected: list[int]) -> None:
    assert ids(run, "--chercher", text) == expected


def test_liste_filters_combine(run: Run, example: Path) -> None:
    assert ids(run, "--statut", "Négociation", "--responsable", "Karim",
               "--avant", "21/01") == [4]
    assert ids(run, "--statut", "Prospect", "--chercher", "salle de bain") == [5]


def test_liste_no_match_says_so(run: Run, example: Path) -> None:
    result = run("liste", "--chercher", "introuvable")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Aucun prospect ne correspond (10 au total).\n"


@pytest.mark.parametrize(("args", "message"), [
    (("--statut", "Signé peut-être"),
     "--statut : « Signé peut-être » n'est pas un statut connu (Prospect, Devis envoyé, "
     "Négociation, Gagné, Perdu)."),
    (("--avant", "31/02/2026"), "--avant : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA)."),
    (("--avant", "bientôt"), "--avant : « bientôt » n'est pas une date (JJ/MM/AAAA)."),
    (("--proba-min", "140"), "--proba-min : « 140 » n'est pas une probabilité (0 à 100 %)."),
])
def test_liste_bad_filter_is_one_french_sentence(
        run: Run, example: Path, args: tuple[str, ...], message: str) -> None:
    result = run("liste", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert flat(result.stderr) == message
    assert "Traceback" not in result.output


def test_liste_without_workbook_says_how_to_create_it(run: Run, tracker_path: Path) -> None:
    result = run("liste")
    assert result.exit_code == 3
    assert flat(result.stderr) == (
        "Le fichier « relances-clients.xlsx » n'existe pas : créez-le avec « relances init » "
        "ou indiquez le bon classeur avec --fichier.")


def test_liste_reads_the_file_given_by_option_and_environment(
        run: Run, example: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre.xlsx"
    example.rename(other)
    assert ids(run, "-f", str(other), "--statut", "perdu") == [10]
    result = run("liste", "--json", "--fichier", "autre.xlsx", "--chercher", "moreau")
    assert [p["id"] for p in json.loads(result.stdout)] == [10]


# --------------------------------------------------------------------------- voir


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _forget_consoles() -> None:
    """rich decides colours when its Console is made: make a new one for each setting."""
    for output in (ui.console, ui.errors):
        vars(output).pop("rich", None)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Output as on a terminal: FORCE_COLOR is what colour-aware programs honour."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR")
    _forget_consoles()
    yield
    _forget_consoles()


def test_liste_on_a_terminal_is_coloured_like_the_workbook(
        run: Run, example: Path, terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    coloured = run("liste").stdout
    lines = {ANSI.sub("", line).split()[0]: line for line in coloured.splitlines()[2:]}
    assert not lines["1"].startswith("\x1b")  # a live deal, recent contact: no row colour
    assert "\x1b[1;31m13/01" in lines["1"]  # its follow-up is overdue: the date in bold red
    assert "\x1b[1;32m 80" in lines["3"]  # 80 %: a hot probability in bold green
    row_colours = {ident: ANSI.match(lines[ident]) for ident in ("6", "4", "9")}
    assert all(row_colours.values())  # stale (29 days), alert, won: the whole row coloured
    assert len({match.group() for match in row_colours.values() if match}) == 3
    monkeypatch.delenv("FORCE_COLOR")
    _forget_consoles()
    assert ANSI.sub("", coloured) == run("liste").stdout  # the same text as when piped


def _red_rows(run: Run) -> set[str]:
    """The names of the rows `liste` paints red (the whole row, as the workbook does)."""
    lines = run("liste").stdout.splitlines()[2:]
    return {ANSI.sub("", line).split()[0] for line in lines if line.startswith("\x1b[31m")}


@pytest.mark.parametrize(("parametres", "red"), [
    # A tracker without Paramètres: 14 days for a lead, 10 for a quote, 7 in negotiation.
    (None, {"Prospect15", "Devis12", "Nego8"}),
    # A tracker made before there was one threshold per status: its single line holds for all.
    ([["Alerte après (jours sans contact)", 11]], {"Prospect12", "Prospect15", "Devis12"}),
    # One status given its own line, the others keep the single one.
    ([["Alerte après (jours sans contact)", 11],
      ["Alerte après (jours sans contact) : Devis envoyé", 20]], {"Prospect12", "Prospect15"}),
])
def test_each_status_turns_red_after_its_own_threshold(
        run: Run, tracker_path: Path, terminal: None, parametres: list[list[Any]] | None,
        red: set[str]) -> None:
    seen = {"Prospect12": 12, "Prospect15": 15, "Devis12": 12, "Nego6": 6, "Nego8": 8,
            "Gagne99": 99}
    status = {"Prospect": "Prospect", "Devis": "Devis envoyé", "Nego": "Négociation",
              "Gagne": "Gagné"}
    rows = [[name, None, status[name.rstrip("0123456789")], None,
             STORY_DAY - timedelta(days=days), None, None] for name, days in seen.items()]
    sheets = {"Suivi": [list(LIGHT_HEADERS), *rows]}
    if parametres:
        sheets["Paramètres"] = [["Paramètre", "Valeur"], *parametres]
    make_workbook(tracker_path, sheets)
    assert _red_rows(run) == red


def test_voir_on_a_terminal_draws_a_frame_with_the_same_lines(
        run: Run, example: Path, terminal: None) -> None:
    out = ANSI.sub("", card(run, "martin"))
    assert out.startswith("╭─ 1 — Martin Menuiserie ")
    assert any(line.startswith("│ Dernier contact ") and "10/01/2026 (il y a 10 jours)" in line
               for line in out.splitlines())


def card(run: Run, *args: str) -> str:
    result = run("voir", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def test_voir_by_id_shows_the_whole_card(run: Run, example: Path) -> None:
    out = card(run, "1")
    assert "1 — Martin Menuiserie" in out
    fields = {
        "Statut": "Devis envoyé", "Statut depuis": "10/01/2026", "Interlocuteur": "M. Martin",
        "Email": "m.martin@email.fr", "Téléphone": "06 12 34 56 78", "Source": "Site web",
        "Projet": "Rénovation atelier 15 fenêtres", "Montant": f"8{NBSP}500{NBSP}€",
        "Probabilité": f"50{NBSP}%", "CA pondéré": f"4{NBSP}250{NBSP}€",
        "Première interaction": "05/01/2026",
        "Dernier contact": "10/01/2026 (il y a 10 jours)",
        "Prochaine relance": "13/01/2026", "Action prévue": "Email",
        "Relances faites": "0", "Responsable": "Claire",
    }
    lines = [line.strip("│ ") for line in out.splitlines()]
    for label, value in fields.items():
        assert any(line.split("  ")[0] == label and line.endswith(value) for line in lines), (
            label, value, out)
    history = out[out.index("Historique"):]
    assert history.splitlines() == [
        "Historique",
        "  10/01 Devis : devis envoyé, pas de réponse depuis",
        "  05/01 Visite : prise de mesures à l'atelier",
        "Journal",
        "  10/01/2026 Devis devis envoyé, pas de réponse depuis",
        "  05/01/2026 Visite prise de mesures à l'atelier",
    ]


@pytest.mark.parametrize(("query", "title"), [
    ("1", "1 — Martin Menuiserie"),
    ("martin", "1 — Martin Menuiserie"),
    ("MARTIN MENUISERIE", "1 — Martin Menuiserie"),
    ("DUPONT", "2 — Société Dupont SAS"),
    ("societe dupont", "2 — Société Dupont SAS"),
    ("hotel", "4 — Hôtel du Lac"),
    ("  10 ", "10 — Garage Moreau"),
    ("copropriete", "6 — Copropriété Les Tilleuls"),
])
def test_voir_finds_by_id_or_fragment(run: Run, example: Path, query: str, title: str) -> None:
    assert title in card(run, query)


def test_voir_shows_notes_alert_and_lost_reason(run: Run, example: Path) -> None:
    assert "Décision en assemblée générale" in card(run, "tilleuls")
    assert "concurrence" in card(run, "hotel")
    assert "Prix trop élevé" in card(run, "moreau")


def test_voir_json(run: Run, example: Path) -> None:
    result = run("voir", "hôtel", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {key: data[key] for key in JSON_KEYS} == {
        "id": 4, "nom": "Hôtel du Lac", "email": "direction@hoteldulac.fr",
        "telephone": "04 50 12 34 56", "statut": "Négociation", "source": "Recommandation",
        "projet": "Rénovation électrique de 12 chambres", "montant": 45000,
        "probabilite": 0.5, "premiere_interaction": "2025-11-20",
        "dernier_contact": "2026-01-14", "prochaine_relance": "2026-01-21", "action": "Tel",
        "responsable": "Karim",
    }
    assert data["alerte"] == "concurrence"


def test_voir_several_matches_lists_candidates(run: Run, example: Path) -> None:
    result = run("voir", "er")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert flat(result.stderr) == (
        "« er » désigne 4 prospects (1 Martin Menuiserie, 5 Mme Bernard, 3 Cabinet Leroy "
        "Architectes, 8 Boulangerie Petit) : précisez le nom ou donnez l'ID.")


@pytest.mark.parametrize("query", ["zzz", "99"])
def test_voir_no_match(run: Run, example: Path, query: str) -> None:
    result = run("voir", query)
    assert result.exit_code == 6
    assert result.stdout == ""
    assert flat(result.stderr) == (
        f"Aucun prospect ne correspond à « {query} » : vérifiez l'orthographe, ou "
        f"cherchez avec relances liste --chercher \"{query}\".")


def test_voir_prints_user_text_verbatim(run: Run, example: Path) -> None:
    """Cell text is data, never terminal markup: brackets and colons come out as typed."""
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    row = row_of(ws, 1)
    ws[f"B{row}"] = "[Martin] Menuiserie"
    ws[f"M{row}"] = "10/01 Tel : [rappel] :smile: [/b]"
    ws[f"N{row}"] = "voir [bold]devis[/bold]"
    book.save(example)
    out = card(run, "1")
    assert "1 — [Martin] Menuiserie" in out
    assert "  10/01 Tel : [rappel] :smile: [/b]" in out.splitlines()
    assert "voir [bold]devis[/bold]" in out
    result = run("liste")
    assert result.exit_code == 0, result.output
    assert "[Martin]" in result.stdout


HEAVY = {"rich", "openpyxl", "dateutil", "jinja2", "reportlab", "holidays", "phonenumbers",
         "icalendar", "filelock", "hashlib", "numpy"}
"""What a read command has no use for when its output is piped: each costs milliseconds
to import, more than reading a thousand rows."""


@pytest.mark.parametrize("args", [("liste",), ("voir", "martin"), ("semaine",), ()])
def test_piped_read_commands_load_no_heavy_library(example: Path, args: tuple[str, ...]) -> None:
    code = ("import sys\nfrom relances.cli import main\ntry:\n    main()\n"
            "except SystemExit as end:\n    assert not end.code, end.code\n"
            f"print(sorted({sorted(HEAVY)!r} & sys.modules.keys()), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *args, "-f", str(example)],
                            capture_output=True, text=True, check=True)
    assert result.stdout
    assert result.stderr.strip() == "[]"


def test_json_for_a_program_is_one_compact_line(run: Run, example: Path) -> None:
    """Piped output takes json's C encoder (no indentation); the data is the same."""
    result = run("liste", "--json")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.count("\n") == 1 and text.endswith("]\n") and '": ' not in text
    assert json.loads(text) == listed(run)


def test_the_table_searches_the_fields_it_does_not_show(run: Run, example: Path) -> None:
    """The table reads only the texts it shows, unless a search looks in the others."""
    result = run("liste", "--chercher", "m.martin@email")
    assert result.exit_code == 0, result.output
    title, _, first, *rest = result.stdout.splitlines()
    assert title == "1 prospect(s) sur 10" and first.split()[0] == "1" and rest == []


def test_every_list_reports_the_same_unreadable_cells(run: Run, example: Path) -> None:
    """Reading fewer text columns never hides a cell that does not read: a TRUE typed
    in the contact cell and a date that does not exist are reported by the table, the
    JSON and the week alike."""
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    headers = [cell.value for cell in ws[1]]
    ws.cell(row_of(ws, 4), headers.index("Contact (email + tel)") + 1, True)
    ws.cell(row_of(ws, 2), headers.index("Prochaine relance") + 1, "31/02/2026")
    book.save(example)
    warnings = [run(*command).stderr for command in (
        ("liste",), ("liste", "--json"), ("semaine",), ("semaine", "--json"))]
    assert "2 cellule(s) illisible(s)" in warnings[0]
    assert warnings == [warnings[0]] * 4
