"""`relances init`: the workbook it creates, the example it fills, the files it never touches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import STORY_DAY, Run, make_workbook
from openpyxl.styles.colors import Color

from relances.core import schema
from relances.core.example import example_prospects
from relances.core.model import Rule, Settings, Status
from relances.services.common import followup_order
from relances.workbook.read import read_tracker, rules_from_rows, settings_from_rows

SHEETS = ["Suivi", "Règles", "Paramètres", "Journal", "Tableau de bord"]
WORKFLOW_HEADERS = [
    "ID", "Nom Client/Prospect", "Contact (email + tel)", "Statut", "Source", "Projet",
    "Montant estimé (€)", "Probabilité (%)", "Première interaction", "Dernier contact",
    "Prochaine relance", "Action prévue", "Historique interactions", "Notes",
]
TOOL_HEADERS = [
    "Responsable", "Interlocuteur", "Statut depuis", "Relances faites", "Alerte",
    "Motif perte", "Délai (j)", "CA pondéré",
]
LAST_ROW = 1048576
ALREADY_THERE = ("« relances-clients.xlsx » existe déjà : relances init ne remplace jamais un "
                 "classeur. Choisissez un autre nom avec --fichier, ou supprimez-le vous-même.")


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return list(_load(path)[sheet].iter_rows(values_only=True))


def _suivi(path: Path) -> list[dict[str, Any]]:
    """Suivi's data rows as {header: value}, formulas as their text."""
    header, *rows = _rows(path, "Suivi")
    return [dict(zip(header, row, strict=True)) for row in rows]


def _day(value: Any) -> date:
    """openpyxl gives datetimes for date cells; a text or a number here is a failure."""
    assert isinstance(value, datetime), value
    assert value.time() == time(0, 0)
    return value.date()


def _rgb(color: Color | None) -> str | None:
    return None if color is None else color.rgb[-6:]


# --------------------------------------------------------------------------- the layout


def test_init_creates_the_five_sheets_in_order(run: Run, tracker_path: Path) -> None:
    result = run("init")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Classeur créé : relances-clients.xlsx (vide, prêt à remplir).\n"
        "Remplissez-le dans Excel ou LibreOffice, ou avec relances ajouter (ou relances "
        "importer pour reprendre un fichier existant).\n")
    book = _load(tracker_path)
    assert book.sheetnames == SHEETS
    assert book.active.title == "Suivi"
    assert _rows(tracker_path, "Suivi") == [tuple(WORKFLOW_HEADERS + TOOL_HEADERS)]


def test_suivi_header_has_the_workflow_columns_a_to_n_then_the_tools(
        run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    ws = _load(tracker_path)["Suivi"]

    assert [ws[f"{letter}1"].value for letter in "ABCDEFGHIJKLMN"] == WORKFLOW_HEADERS
    assert [ws.cell(row=1, column=c).value for c in range(15, 23)] == TOOL_HEADERS
    assert ws.max_column == 22
    assert all(ws.cell(row=1, column=c).font.b for c in range(1, 23))


def test_suivi_layout_filter_panes_and_widths(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    ws = _load(tracker_path)["Suivi"]

    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:V1"
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMNOPQRSTUV"}
    assert widths == {
        "A": 6, "B": 28, "C": 34, "D": 14, "E": 16, "F": 32, "G": 14, "H": 12, "I": 13,
        "J": 13, "K": 13, "L": 14, "M": 40, "N": 30, "O": 14, "P": 18, "Q": 13, "R": 10,
        "S": 14, "T": 20, "U": 9, "V": 13,
    }
    for sheet in ("Règles", "Paramètres", "Journal"):
        assert _load(tracker_path)[sheet].freeze_panes == "A2", sheet


def test_statut_and_action_drop_downs(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    ws = _load(tracker_path)["Suivi"]

    found = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert set(found) == {f"D2:D{LAST_ROW}", f"L2:L{LAST_ROW}"}
    status, action = found[f"D2:D{LAST_ROW}"], found[f"L2:L{LAST_ROW}"]
    assert (status.type, status.formula1) == (
        "list", '"Prospect,Devis envoyé,Négociation,Gagné,Perdu"')
    # No errorStyle attribute is the OOXML default, "stop": an unknown status is refused.
    assert status.errorStyle in (None, "stop")
    assert status.showErrorMessage and status.allow_blank
    assert status.error == ("Choisissez un statut : Prospect, Devis envoyé, Négociation, "
                            "Gagné, Perdu.")
    assert (action.type, action.formula1) == ("list", '"Email,Tel,RDV,Devis,Visite"')
    # Free text stays allowed for the action: Excel only informs.
    assert action.errorStyle == "information"
    assert action.showErrorMessage


def test_colour_rules_order_ranges_formulas_and_looks(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    ws = _load(tracker_path)["Suivi"]

    rules = sorted(((r.priority, str(cf.sqref), r) for cf in ws.conditional_formatting
                    for r in cf.rules), key=lambda item: item[0])
    closed = 'OR($D2="Gagné",$D2="Perdu")'
    assert [(sqref, r.type, r.formula, bool(r.stopIfTrue)) for _, sqref, r in rules] == [
        (f"A2:V{LAST_ROW}", "expression", [closed], True),
        (f"A2:V{LAST_ROW}", "expression", ["LEN($S2)>0"], False),
        (f"A2:V{LAST_ROW}", "expression",
         ['AND(OR($D2="Prospect",LEN($D2)=0),ISNUMBER($J2),TODAY()-$J2>SeuilAlerteProspect)'],
         False),
        (f"A2:V{LAST_ROW}", "expression",
         ['AND($D2="Devis envoyé",ISNUMBER($J2),TODAY()-$J2>SeuilAlerteDevis)'], False),
        (f"A2:V{LAST_ROW}", "expression",
         ['AND($D2="Négociation",ISNUMBER($J2),TODAY()-$J2>SeuilAlerteNegociation)'], False),
        (f"K2:K{LAST_ROW}", "expression",
         [f"AND(NOT({closed}),ISNUMBER($K2),$K2<TODAY())"], False),
        (f"H2:H{LAST_ROW}", "expression",
         [f"AND(NOT({closed}),ISNUMBER($H2),$H2>=SeuilChaud)"], False),
    ]
    assert [p for p, _, _ in rules] == [1, 2, 3, 4, 5, 6, 7]
    grey, orange, red, red_quote, red_negotiation, overdue, hot = (r.dxf for _, _, r in rules)
    assert red_quote == red_negotiation == red
    assert (_rgb(grey.fill.fgColor), _rgb(grey.font.color)) == ("EDEDED", "808080")
    assert _rgb(orange.fill.fgColor) == "FFD8A8"
    assert (_rgb(red.fill.fgColor), _rgb(red.font.color)) == ("FFC7CE", "9C0006")
    assert overdue.fill is None
    assert (overdue.font.b, _rgb(overdue.font.color)) == (True, "C00000")
    assert (_rgb(hot.fill.fgColor), hot.font.b) == ("C6EFCE", True)


THRESHOLDS = {"SeuilAlerteProspect": [("Paramètres", "$B$2")],
              "SeuilAlerteDevis": [("Paramètres", "$B$3")],
              "SeuilAlerteNegociation": [("Paramètres", "$B$4")],
              "SeuilChaud": [("Paramètres", "$B$9")]}


def test_thresholds_are_named_cells_of_parametres(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    book = _load(tracker_path)

    targets = {name: list(book.defined_names[name].destinations)
               for name in THRESHOLDS}
    assert targets == THRESHOLDS
    ws = book["Paramètres"]
    assert [(ws[f"A{r}"].value, ws[f"B{r}"].value) for r in (2, 3, 4, 9)] == [
        ("Alerte après (jours sans contact) : Prospect", 14),
        ("Alerte après (jours sans contact) : Devis envoyé", 10),
        ("Alerte après (jours sans contact) : Négociation", 7),
        ("Prospect chaud à partir de", 0.7)]


def test_regles_holds_the_default_cadence(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    header, *rows = _rows(tracker_path, "Règles")

    assert header == ("Statut", "Jour (J+N)", "Compté depuis", "Action", "Modèle", "Conseil")
    start, last = "Statut depuis", "Dernier contact"
    assert [row[:4] for row in rows] == [
        ("Prospect", 2, start, "Email"), ("Prospect", 7, start, "Tel"),
        ("Prospect", 14, start, "Email"), ("Prospect", 30, start, "Tel"),
        ("Devis envoyé", 3, start, "Email"), ("Devis envoyé", 7, start, "Tel"),
        ("Devis envoyé", 14, start, "Email"), ("Devis envoyé", 21, start, "Email"),
        ("Négociation", 7, last, "Tel"),
        ("Perdu", 90, start, "Email"), ("Perdu", 180, start, "Email"),
        ("Gagné", 15, start, "Tel"), ("Gagné", 90, start, "Email"),
        ("Gagné", 365, start, "Email"),
    ]
    assert all(isinstance(row[4], str) and row[4] and row[5] for row in rows)
    rules, problems = rules_from_rows(_rows(tracker_path, "Règles"))
    assert problems == []
    assert rules == list(schema.DEFAULT_RULES)
    assert rules[8] == Rule(Status.NEGOTIATION, 7, True, "Tel", "negociation-point",
                            "Faire le point sans harceler ; proposer un RDV en cas de blocage")


DEFAULT_PARAMETERS = {
    "Alerte après (jours sans contact) : Prospect": 14,
    "Alerte après (jours sans contact) : Devis envoyé": 10,
    "Alerte après (jours sans contact) : Négociation": 7,
    "Dormant après (jours sans contact)": 30,
    "Zombie après (jours sans contact)": 60,
    "Zombie si probabilité inférieure à": 0.3,
    "Perdu automatique après (jours sans interaction)": 90,
    "Prospect chaud à partir de": 0.7,
    "Relances max par statut": 4,
    "Nouvel essai si injoignable (jours ouvrés)": 2,
    "Relance abandonnée après (jours ouvrés de retard)": 5,
    "Probabilité par défaut : Prospect": 0.1,
    "Probabilité par défaut : Devis envoyé": 0.3,
    "Probabilité par défaut : Négociation": 0.5,
    "Probabilité par défaut : Gagné": 1,
    "Probabilité par défaut : Perdu": 0,
    "Jours ouvrés uniquement": "Oui",
    "Pays (jours fériés)": "FR",
    "Heure des relances": time(9, 0),
    "Taux de conversion de référence (bas)": 0.15,
    "Taux de conversion de référence (haut)": 0.25,
    "Nom de l'expéditeur": None,
    "Entreprise": None,
    "Email de l'expéditeur": None,
    "Téléphone de l'expéditeur": None,
    "Signature": None,
    "Sauvegardes conservées": 20,
}


def test_parametres_holds_every_setting_with_its_default(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    header, *rows = _rows(tracker_path, "Paramètres")

    assert header == ("Paramètre", "Valeur", "Explication")
    assert {row[0]: row[1] for row in rows} == DEFAULT_PARAMETERS
    assert [row[0] for row in rows] == list(DEFAULT_PARAMETERS)
    assert all(row[1] is None or row[1] != "" for row in rows)
    settings, problems = settings_from_rows([header, *rows])
    assert problems == []
    assert settings == Settings()
    ws = _load(tracker_path)["Paramètres"]
    formats = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).number_format
               for r in range(2, ws.max_row + 1)}
    assert formats["Prospect chaud à partir de"] == "0%"
    assert formats["Probabilité par défaut : Négociation"] == "0%"
    assert formats["Heure des relances"] == "hh:mm"


def test_parametres_values_are_read_back_not_assumed(run: Run, tracker_path: Path) -> None:
    """A setting changed by hand in the created sheet is the one the tool reads."""
    assert run("init").exit_code == 0
    book = _load(tracker_path)
    ws = book["Paramètres"]
    ws["B3"] = 21
    ws["B9"] = 0.6
    ws["B18"] = "Non"
    book.save(tracker_path)

    settings = read_tracker(tracker_path, STORY_DAY).settings
    assert (settings.stale_days, settings.hot_probability, settings.working_days_only) == (
        {Status.PROSPECT: 14, Status.QUOTE_SENT: 21, Status.NEGOTIATION: 7}, 0.6, False)


def test_journal_and_dashboard_sheets(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0

    assert _rows(tracker_path, "Journal") == [
        ("Date", "ID", "Nom", "Canal", "Résumé", "Issue", "Statut", "Probabilité",
         "Responsable", "Prochaine relance")]
    header, *rows = _rows(tracker_path, "Tableau de bord")
    assert header == ("Indicateur", "Valeur", "Définition")
    kpis = {label: formula for label, formula, _ in rows}
    status, name = "Suivi!$D$2:$D$1048576", "Suivi!$B$2:$B$1048576"
    active = f'{name},"<>",{status},"<>Gagné",{status},"<>Perdu"'
    assert kpis == {
        "Prospects actifs": f"=COUNTIFS({active})",
        "CA pondéré (€)": (f'=SUMPRODUCT(({status}<>"Gagné")*({status}<>"Perdu"),'
                           "Suivi!$G$2:$G$1048576,Suivi!$H$2:$H$1048576)"),
        "Affaires gagnées": f'=COUNTIF({status},"Gagné")',
        "Affaires perdues": f'=COUNTIF({status},"Perdu")',
        "Prospects au total": f'=COUNTIF({name},"<>")',
        "Taux de conversion": '=IF(B6=0,"—",B4/B6)',
        "CA gagné (€)": f'=SUMIF({status},"Gagné",Suivi!$G$2:$G$1048576)',
        "Relances en retard": f'=COUNTIFS({active},Suivi!$K$2:$K$1048576,"<"&TODAY())',
    }
    # The conversion rate divides row 4 (won) by row 6 (total): the rows must be those.
    assert [row[0] for row in rows][2:5] == [
        "Affaires gagnées", "Affaires perdues", "Prospects au total"]


def test_format_version_is_a_custom_document_property(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    props = _load(tracker_path).custom_doc_props

    assert [(p.name, p.value, type(p).__name__) for p in props] == [
        ("relances-format", 1, "IntProperty")]


# --------------------------------------------------------------------------- the example


def test_example_rows_have_formulas_and_formats_on_every_row(example: Path) -> None:
    ws = _load(example)["Suivi"]

    assert ws["U2"].value == '=IF(ISNUMBER(J2),TODAY()-J2,"")'
    assert ws["V2"].value == '=IF(AND(ISNUMBER(G2),ISNUMBER(H2)),G2*H2,"")'
    last = ws.max_row
    assert last == 11
    for row in range(2, last + 1):
        assert ws[f"U{row}"].value == f'=IF(ISNUMBER(J{row}),TODAY()-J{row},"")'
        assert ws[f"V{row}"].value == f'=IF(AND(ISNUMBER(G{row}),ISNUMBER(H{row})),' \
                                      f'G{row}*H{row},"")'
        formats = {letter: ws[f"{letter}{row}"].number_format for letter in "GHIJKQUV"}
        assert formats == {
            "G": '#,##0 "€";-#,##0 "€"', "H": "0%", "I": "dd/mm/yyyy", "J": "dd/mm/yyyy",
            "K": "dd/mm/yyyy", "Q": "dd/mm/yyyy", "U": "0", "V": '#,##0 "€";-#,##0 "€"'}
    assert ws.auto_filter.ref == "A1:V11"
    # The rules and drop-downs still reach the bottom of the sheet after the rows were added.
    assert {str(cf.sqref) for cf in ws.conditional_formatting} == {
        f"A2:V{LAST_ROW}", f"K2:K{LAST_ROW}", f"H2:H{LAST_ROW}"}
    assert {str(v.sqref) for v in ws.data_validations.dataValidation} == {
        f"D2:D{LAST_ROW}", f"L2:L{LAST_ROW}"}


def test_example_martin_and_dupont_are_the_workflows(example: Path) -> None:
    rows = {row["Nom Client/Prospect"]: row for row in _suivi(example)}

    martin = rows["Martin Menuiserie"]
    assert martin["ID"] == 1
    assert martin["Contact (email + tel)"] == "m.martin@email.fr / 06 12 34 56 78"
    assert martin["Statut"] == "Devis envoyé"
    assert martin["Projet"] == "Rénovation atelier 15 fenêtres"
    assert martin["Montant estimé (€)"] == 8500
    assert _day(martin["Statut depuis"]) == date(2026, 1, 10)
    assert _day(martin["Dernier contact"]) == date(2026, 1, 10)
    assert martin["Interlocuteur"] == "M. Martin"

    dupont = rows["Société Dupont SAS"]
    assert dupont["Contact (email + tel)"] == "a.dupont@societe.fr / 06 98 76 54 32"
    assert dupont["Projet"].lower() == "installation électrique local commercial"
    assert dupont["Montant estimé (€)"] == 15000
    assert _day(dupont["Dernier contact"]) == date(2026, 1, 15)
    assert _day(dupont["Prochaine relance"]) == date(2026, 1, 30)


def test_example_covers_every_case_of_the_week(example: Path) -> None:
    rows = _suivi(example)
    today = STORY_DAY

    assert 8 <= len(rows) <= 12
    assert sorted(row["ID"] for row in rows) == list(range(1, len(rows) + 1))
    planned = [_day(row["Prochaine relance"]) for row in rows if row["Prochaine relance"]]
    assert planned == sorted(planned), "rows are kept sorted by Prochaine relance"
    assert rows[-1]["Prochaine relance"] is None, "nothing planned comes last"
    assert {row["Statut"] for row in rows} == {s.value for s in Status}
    assert len({row["Responsable"] for row in rows}) == 2
    assert len({row["Source"] for row in rows}) >= 3
    active = [row for row in rows if row["Statut"] not in ("Gagné", "Perdu")]
    hot = [r["Nom Client/Prospect"] for r in active if r["Probabilité (%)"] >= 0.7]
    stale = [r["Nom Client/Prospect"] for r in active
             if (today - _day(r["Dernier contact"])).days > 14]
    overdue = [r["Nom Client/Prospect"] for r in active
               if r["Prochaine relance"] is not None and _day(r["Prochaine relance"]) < today]
    assert hot == ["Cabinet Leroy Architectes"]
    assert stale == ["Copropriété Les Tilleuls", "SCI Fontaine"]
    assert overdue == ["Copropriété Les Tilleuls", "Martin Menuiserie"]
    assert any(row["Alerte"] for row in active)
    assert all(isinstance(row["Probabilité (%)"], float | int) and 0 <= row["Probabilité (%)"] <= 1
               for row in rows)


def test_example_reads_back_as_written(example: Path) -> None:
    tracker = read_tracker(example, STORY_DAY, journal=True)

    assert tracker.problems == []
    soonest_first = sorted(example_prospects(STORY_DAY), key=followup_order)
    expected = [p.replace(row=number) for number, p in enumerate(soonest_first, start=2)]
    assert tracker.prospects == expected
    assert tracker.settings.sender_name == "Claire Lemaire"
    assert len(tracker.journal) == sum(len(p.history.splitlines()) for p in expected)


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2025, 3, 1), date(2028, 2, 29)])
def test_example_moves_by_whole_weeks(run: Run, tracker_path: Path, today: date) -> None:
    result = run("init", "--exemple", today=today)

    assert result.exit_code == 0, result.output
    rows = {row["Nom Client/Prospect"]: row for row in _suivi(tracker_path)}
    martin = rows["Martin Menuiserie"]
    story = {"Première interaction": date(2026, 1, 5), "Dernier contact": date(2026, 1, 10),
             "Prochaine relance": date(2026, 1, 13), "Statut depuis": date(2026, 1, 10)}
    shifts = {header: _day(martin[header]) - day for header, day in story.items()}
    shift = shifts["Dernier contact"]
    assert set(shifts.values()) == {shift}
    assert shift.days % 7 == 0
    assert _day(martin["Dernier contact"]).weekday() == date(2026, 1, 10).weekday()
    assert timedelta(0) <= today - (STORY_DAY + shift) < timedelta(days=7)
    journal = [row for row in _rows(tracker_path, "Journal")[1:] if row[2] == "Martin Menuiserie"]
    assert sorted(_day(row[0]) for row in journal) == [
        date(2026, 1, 5) + shift, date(2026, 1, 10) + shift]

    active = [row for row in rows.values() if row["Statut"] not in ("Gagné", "Perdu")]
    assert any(r["Prochaine relance"] is not None and _day(r["Prochaine relance"]) < today
               for r in active)
    assert any(r["Probabilité (%)"] >= 0.7 for r in active)
    assert any((today - _day(r["Dernier contact"])).days > 14 for r in active)
    assert all(_day(r["Dernier contact"]) <= today for r in rows.values())


# --------------------------------------------------------------------------- never overwrite


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("content", ["empty", "text", "other-workbook", "example"])
def test_init_never_overwrites(run: Run, tracker_path: Path, tmp_path: Path,
                               content: str) -> None:
    if content == "empty":
        tracker_path.write_bytes(b"")
    elif content == "text":
        tracker_path.write_bytes("Nom;Statut\nMartin;Gagné\n".encode())
    elif content == "other-workbook":
        make_workbook(tracker_path, {"Clients": [("Nom", "Statut"), ("Martin", "Gagné")]})
    else:
        assert run("init", "--exemple").exit_code == 0
    before = _tree(tmp_path)

    result = run("init", "--exemple")

    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == ALREADY_THERE + "\n"
    assert isinstance(result.exception, SystemExit)
    assert _tree(tmp_path) == before


def test_init_refuses_a_folder_of_that_name(run: Run, tracker_path: Path) -> None:
    tracker_path.mkdir()

    result = run("init")

    assert result.exit_code == 3
    assert result.stderr == ALREADY_THERE + "\n"
    assert tracker_path.is_dir() and list(tracker_path.iterdir()) == []


def test_fichier_option_chooses_the_path(run: Run, tmp_path: Path) -> None:
    (tmp_path / "clients").mkdir()

    long = run("init", "--fichier", "clients/suivi 2026.xlsx")
    short = run("init", "-f", str(tmp_path / "autre.xlsx"), "--exemple")

    assert long.exit_code == 0, long.output
    assert short.exit_code == 0, short.output
    assert long.stdout.startswith(
        f"Classeur créé : {Path('clients', 'suivi 2026.xlsx')} (vide, prêt à remplir).")
    assert _load(tmp_path / "clients" / "suivi 2026.xlsx").sheetnames == SHEETS
    assert len(_suivi(tmp_path / "autre.xlsx")) == 10
    assert not (tmp_path / "relances-clients.xlsx").exists()


def test_environment_chooses_the_path_and_the_option_wins(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELANCES_FICHIER", str(tmp_path / "depuis-env.xlsx"))

    assert run("init").exit_code == 0
    assert (tmp_path / "depuis-env.xlsx").is_file()
    assert run("init", "-f", "option.xlsx").exit_code == 0
    assert (tmp_path / "option.xlsx").is_file()
    again = run("init")
    assert again.exit_code == 3
    assert again.stderr.startswith("« depuis-env.xlsx » existe déjà")
    assert not (tmp_path / "relances-clients.xlsx").exists()


@pytest.mark.parametrize(("target", "message"), [
    ("manquant/suivi.xlsx", "Le dossier « manquant » n'existe pas : créez-le d'abord."),
    ("suivi.csv", "« suivi.csv » : le classeur de suivi doit porter l'extension .xlsx."),
    ("suivi.xls", "« suivi.xls » : le classeur de suivi doit porter l'extension .xlsx."),
    ("suivi", "« suivi » : le classeur de suivi doit porter l'extension .xlsx."),
])
def test_init_fails_cleanly_on_a_bad_target(run: Run, tmp_path: Path, target: str,
                                            message: str) -> None:
    result = run("init", "--exemple", "-f", target)

    assert result.exit_code == 3
    assert isinstance(result.exception, SystemExit)
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert _tree(tmp_path) == {}
