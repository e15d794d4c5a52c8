"""`relances exporter` through the real CLI: every file is read back with the csv module.

The CSV for Excel carries every column of Suivi (";", UTF-8 with BOM, French dates and
decimals); the HubSpot and Pipedrive files carry the columns and value shapes their
importers document. No cell of any format may start like a formula (OWASP).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import LIGHT_HEADERS, Run, assert_refused, flat, make_workbook

from relances.outputs.tables import neutralise
from relances.text.parsing import split_person

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
TRACKER_HEADERS = [
    "ID", "Nom Client/Prospect", "Contact (email + tel)", "Statut", "Source", "Projet",
    "Montant estimé (€)", "Probabilité (%)", "Première interaction", "Dernier contact",
    "Prochaine relance", "Action prévue", "Historique interactions", "Notes", "Responsable",
    "Interlocuteur", "Statut depuis", "Relances faites", "Alerte", "Motif perte", "Délai (j)",
    "CA pondéré"]


def read_back(path: Path, delimiter: str, encoding: str) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream, delimiter=delimiter))


def exported(run: Run, *args: str) -> str:
    result = run("exporter", *args)
    assert result.exit_code == 0, result.output
    return flat(result.output)


@pytest.fixture
def hostile(run: Run, example: Path) -> Path:
    """The example plus a prospect whose typed values look like formulas."""
    result = run("ajouter", "=HYPERLINK(\"http://x.example\",\"clic\")", "--note",
                 "-rappeler avant midi", "--projet", "+33 de marge", "--responsable",
                 "@Karim", "--montant", "1200",
                 "--interlocuteur", "=1+1")
    assert result.exit_code == 0, result.output
    return example


def test_csv_for_excel_has_every_column_in_french_shapes(run: Run, example: Path) -> None:
    output = exported(run)
    target = example.parent / "relances-export-2026-01-20.csv"
    assert "10 prospects exporté(s) dans relances-export-2026-01-20.csv (CSV pour Excel)." \
        in output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = read_back(target, ";", "utf-8-sig")
    assert list(rows[0]) == TRACKER_HEADERS
    martin = next(r for r in rows if r["Nom Client/Prospect"] == "Martin Menuiserie")
    assert {k: martin[k] for k in ("ID", "Contact (email + tel)", "Statut", "Montant estimé (€)",
                                   "Probabilité (%)", "Dernier contact", "Prochaine relance",
                                   "Délai (j)", "CA pondéré", "Relances faites")} == {
        "ID": "1", "Contact (email + tel)": "m.martin@email.fr / 06 12 34 56 78",
        "Statut": "Devis envoyé", "Montant estimé (€)": "8500", "Probabilité (%)": "50%",
        "Dernier contact": "10/01/2026", "Prochaine relance": "13/01/2026", "Délai (j)": "10",
        "CA pondéré": "4250", "Relances faites": "0"}
    assert martin["Historique interactions"].count("\n") == 1


def test_the_csv_export_imports_back_into_a_new_tracker(run: Run, example: Path,
                                                        tmp_path: Path) -> None:
    exported(run, "--sortie", "sauvegarde.csv")
    assert run("init", "-f", "copie.xlsx").exit_code == 0
    result = run("importer", "-f", "copie.xlsx", "sauvegarde.csv")
    assert result.exit_code == 0, result.output
    assert "10 ajoutées, 0 complétée, 0 ignorée." in flat(result.output)
    original = json.loads(run("liste", "--json").stdout)
    copy = json.loads(run("liste", "--json", "-f", "copie.xlsx").stdout)
    assert sorted(p["id"] for p in copy) == list(range(1, 11))  # the new tracker's IDs
    # SCI Fontaine had nothing planned: the import plans it, as for any row without a date.
    fontaine = next(p for p in copy if p["nom"] == "SCI Fontaine")
    assert (fontaine["prochaine_relance"], fontaine["action"]) == ("2026-01-20", "Email")

    def same(p: dict[str, object]) -> dict[str, object]:
        planned = {"prochaine_relance": None, "action": None} if p["nom"] == "SCI Fontaine" \
            else {}
        return {**p, "id": None, "ligne": None, **planned}

    by_name = {p["nom"]: same(p) for p in copy}
    assert by_name == {p["nom"]: same(p) for p in original}


def test_light_tracker_exports_its_seven_columns(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Suivi": [LIGHT_HEADERS, (
        "Martin Menuiserie", "m.martin@email.fr", "Devis", 8500.5, None, None, "-urgent")]})
    exported(run, "--sortie", "leger.csv")
    rows = read_back(tracker_path.parent / "leger.csv", ";", "utf-8-sig")
    assert rows == [{"Nom Client/Prospect": "Martin Menuiserie",
                     "Contact (email + tel)": "m.martin@email.fr", "Statut": "Devis envoyé",
                     "Montant estimé (€)": "8500,50", "Dernier contact": "",
                     "Prochaine relance": "", "Notes": "'-urgent"}]


def test_hubspot_columns_stages_and_values(run: Run, example: Path) -> None:
    output = exported(run, "--format", "hubspot", "--sortie", "hs.csv")
    assert "(HubSpot)" in output and "Plusieurs objets" in output
    target = example.parent / "hs.csv"
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_back(target, ",", "utf-8")
    assert list(rows[0]) == [
        "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Deal owner",
        "Next Step", "Closed Lost Reason", "Deal Description", "First Name", "Last Name",
        "Email", "Phone Number", "Company Name"]
    by_company = {r["Company Name"]: r for r in rows}
    martin = by_company["Martin Menuiserie"]
    assert {k: martin[k] for k in ("Deal Name", "Pipeline", "Deal Stage", "Amount",
                                   "Close Date", "First Name", "Last Name", "Email",
                                   "Phone Number", "Next Step")} == {
        "Deal Name": "Martin Menuiserie — Rénovation atelier 15 fenêtres",
        "Pipeline": "default", "Deal Stage": "presentationscheduled", "Amount": "8500",
        "Close Date": "", "First Name": "", "Last Name": "Martin",
        "Email": "m.martin@email.fr", "Phone Number": "06 12 34 56 78",
        "Next Step": "Email le 13/01/2026"}
    stages = {r["Company Name"]: r["Deal Stage"] for r in rows}
    assert stages["Société Dupont SAS"] == "appointmentscheduled"
    assert stages["Hôtel du Lac"] == "decisionmakerboughtin"
    assert (stages["Boulangerie Petit"], by_company["Boulangerie Petit"]["Close Date"]) == (
        "closedwon", "2026-01-12")
    lost = by_company["Garage Moreau"]
    moreau = next(p for p in json.loads(run("liste", "--json").stdout)
                  if p["nom"] == "Garage Moreau")
    assert (lost["Deal Stage"], lost["Close Date"]) == ("closedlost", moreau["statut_depuis"])
    assert lost["Closed Lost Reason"]


def test_pipedrive_columns_stages_and_plain_numbers(run: Run, example: Path) -> None:
    exported(run, "--format", "pipedrive", "--sortie", "pd.csv")
    rows = read_back(example.parent / "pd.csv", ",", "utf-8")
    assert list(rows[0])[:6] == ["Deal - Title", "Deal - Value", "Deal - Currency",
                                 "Deal - Stage", "Deal - Status", "Deal - Probability"]
    by_org = {r["Organization - Name"]: r for r in rows}
    martin = by_org["Martin Menuiserie"]
    assert {k: martin[k] for k in ("Deal - Value", "Deal - Currency", "Deal - Stage",
                                   "Deal - Status", "Deal - Probability", "Person - Name",
                                   "Person - Email", "Activity - Type", "Activity - Due date",
                                   "Activity - Subject")} == {
        "Deal - Value": "8500", "Deal - Currency": "EUR", "Deal - Stage": "Proposal Made",
        "Deal - Status": "open", "Deal - Probability": "50", "Person - Name": "M. Martin",
        "Person - Email": "m.martin@email.fr", "Activity - Type": "Email",
        "Activity - Due date": "2026-01-13",
        "Activity - Subject": "Relance Email — Martin Menuiserie"}
    assert (by_org["Boulangerie Petit"]["Deal - Status"],
            by_org["Garage Moreau"]["Deal - Status"],
            by_org["Hôtel du Lac"]["Deal - Stage"],
            by_org["Société Dupont SAS"]["Deal - Stage"],
            by_org["Société Dupont SAS"]["Activity - Type"]) == (
        "won", "lost", "Negotiations Started", "Contact Made", "Call")
    for row in rows:
        for key in ("Deal - Value", "Deal - Probability"):
            assert row[key] == "" or row[key].replace(".", "").isdigit(), row[key]
    assert not any(cell.startswith("=") for row in rows for cell in row.values())


@pytest.mark.parametrize(("fmt", "delimiter", "encoding"), [
    ("csv", ";", "utf-8-sig"), ("hubspot", ",", "utf-8"), ("pipedrive", ",", "utf-8")])
def test_no_cell_of_any_format_can_run_as_a_formula(run: Run, hostile: Path, fmt: str,
                                                    delimiter: str, encoding: str) -> None:
    exported(run, "--format", fmt, "--sortie", f"{fmt}.csv")
    with (hostile.parent / f"{fmt}.csv").open(encoding=encoding, newline="") as stream:
        cells = [cell for row in csv.reader(stream, delimiter=delimiter) for cell in row]
    assert not [cell for cell in cells if cell.startswith(DANGEROUS)]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    if fmt != "hubspot":
        assert "'-rappeler avant midi" in cells
    if fmt == "csv":
        assert {"'+33 de marge", "'@Karim", "'=1+1"} <= set(cells)


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("06 12", "06 12"), ("a=b", "a=b"), ("", "")])
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


@pytest.mark.parametrize(("text", "names"), [
    ("Jean Dupont", ("Jean", "Dupont")), ("M. Martin", ("", "Martin")),
    ("Mme Anne de la Tour", ("Anne", "de la Tour")), ("Marie-Claire Leroy Duval",
                                                      ("Marie-Claire Leroy", "Duval")),
    (None, ("", ""))])
def test_split_person(text: str | None, names: tuple[str, str]) -> None:
    assert split_person(text) == names


def test_sortie_and_format_are_checked(run: Run, example: Path, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    output = exported(run, "--format", "Pipedrive", "--sortie", "exports")
    assert "exports/relances-pipedrive-2026-01-20.csv" in output
    exported(run, "--sortie", "sans-extension")
    assert (tmp_path / "sans-extension.csv").exists()
    assert_refused(run("exporter", "--sortie", "relances-clients.xlsx"), 2,
                   "--sortie : « relances-clients.xlsx » doit être un fichier .csv")
    assert_refused(run("exporter", "--sortie", "absent/x.csv"), 2,
                   "--sortie : le dossier « absent » n'existe pas")
    assert_refused(run("exporter", "--format", "salesforce"), 2,
                   "--format : « salesforce » n'est pas un format connu : csv (pour Excel), "
                   "hubspot, pipedrive ou json (les comptes clients).")


def test_csv_writer_output_parses_as_excel_would(run: Run, example: Path) -> None:
    """Multi-line Historique cells stay in their cell once quoted."""
    exported(run, "--sortie", "x.csv")
    text = (example.parent / "x.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 11 and {len(r) for r in rows} == {22}


def test_the_neutralising_quote_goes_away_when_the_file_comes_back(
        run: Run, hostile: Path) -> None:
    exported(run, "--sortie", "retour.csv")
    assert run("init", "-f", "neuf.xlsx").exit_code == 0
    result = run("importer", "-f", "neuf.xlsx", "retour.csv")
    assert result.exit_code == 0, result.output
    back = {p["nom"]: p for p in json.loads(run("liste", "--json", "-f", "neuf.xlsx").stdout)}
    formula = back['=HYPERLINK("http://x.example","clic")']
    assert (formula["notes"], formula["projet"], formula["responsable"],
            formula["interlocuteur"]) == ("-rappeler avant midi", "+33 de marge", "@Karim",
                                          "=1+1")
