"""`relances importer` through the real CLI, on files made for the purpose.

Each source shape a small business meets: CSV as a French Excel saves it (";" and
Windows-1252), UTF-8 with or without BOM, tabs; the light 7-column tracker; the classic
Excel CRM table; HubSpot and Pipedrive exports; workbooks saved by LibreOffice. The
tracker is read back with openpyxl (what Excel shows) and `liste --json` (what the
tool reads).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, Run, assert_refused, flat, make_workbook

from relances.core.importing import parse_import_status
from relances.core.model import Status

NEW_ROW = 12
"""The example holds ten prospects: the first imported one lands on row 12, ID 11."""


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";",
              encoding: str = "utf-8") -> Path:
    """As Excel writes it: quotes only around cells holding the delimiter, CRLF."""
    stream = io.StringIO(newline="")
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(stream.getvalue().encode(encoding))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listed(run: Run, *args: str) -> dict[str, dict[str, Any]]:
    """The tracker as the tool reads it, by name."""
    result = run("liste", "--json", *args)
    assert result.exit_code == 0, result.output
    return {p["nom"]: p for p in json.loads(result.stdout)}


def suivi_row(path: Path, row: int) -> dict[str, Any]:
    ws = openpyxl.load_workbook(path)["Suivi"]
    headers = [c.value for c in ws[1]]
    return {h: ws.cell(row=row, column=i).value for i, h in enumerate(headers, start=1) if h}


def imported(run: Run, *args: str) -> str:
    result = run("importer", *args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return flat(result.output)


FRENCH = [
    ["Nom", "Email", "Téléphone", "Statut", "Montant estimé", "Probabilité", "Dernier contact",
     "Notes"],
    ["Crème & Pâtisserie Lefèvre", "contact@creme-lefevre.fr", "06.11.22.33.44", "Devis",
     "8 500,50 €", "40 %", "12/01/2026", "Vitrine réfrigérée, très pressé"],
    ["Électricité Générale d'Île-de-France", "EGIF@Exemple.FR", "+32 2 123 45 67", "Négo",
     "15k", "0,6", "2026-01-15", ""],
    ["Zoé Ménard", "", "0611223344", "À contacter", "", "", "", "Vue au salon"],
]


# --------------------------------------------------------------------------- CSV dialects


@pytest.mark.parametrize(("delimiter", "encoding", "detected"), [
    (";", "cp1252", "séparateur « ; », encodage Windows-1252"),
    (";", "utf-8-sig", "séparateur « ; », encodage UTF-8 (avec BOM)"),
    (",", "utf-8", "séparateur « , », encodage UTF-8"),
    ("\t", "utf-8", "séparateur tabulation, encodage UTF-8"),
    ("\t", "utf-16", "séparateur tabulation, encodage UTF-16"),
])
def test_csv_in_every_dialect_imports_the_same_prospects(
        run: Run, example: Path, tmp_path: Path, delimiter: str, encoding: str,
        detected: str) -> None:
    source = write_csv(tmp_path / "prospects.csv", FRENCH, delimiter, encoding)
    output = imported(run, str(source))
    assert f"Lu : prospects.csv (CSV, {detected}), 3 lignes de données." in output
    assert "3 ajoutées, 0 complétée, 0 ignorée." in output

    found = listed(run)
    creme = found["Crème & Pâtisserie Lefèvre"]
    assert (creme["email"], creme["telephone"], creme["statut"], creme["montant"],
            creme["probabilite"], creme["dernier_contact"]) == (
        "contact@creme-lefevre.fr", "06 11 22 33 44", "Devis envoyé", 8500.5, 0.4,
        "2026-01-12")
    assert creme["notes"] == "Vitrine réfrigérée, très pressé"
    egif = found["Électricité Générale d'Île-de-France"]
    assert (egif["email"], egif["telephone"], egif["statut"], egif["montant"],
            egif["probabilite"]) == ("EGIF@exemple.fr", "+32 2 123 45 67", "Négociation",
                                     15000, 0.6)
    zoe = found["Zoé Ménard"]
    assert (zoe["statut"], zoe["probabilite"], zoe["email"], zoe["telephone"]) == (
        "Prospect", 0.1, None, "06 11 22 33 44")


def test_excel_sep_line_and_a_title_above_the_header(run: Run, example: Path,
                                                     tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text('sep=,\nListe des clients au 20/01/2026\n\nSociété,Email\n'
                      '"Dupré, fils et associés",dupre@fils.fr\n', encoding="utf-8")
    assert "1 à ajouter" in imported(run, str(source), "--simulation")
    imported(run, str(source))
    assert listed(run)["Dupré, fils et associés"]["email"] == "dupre@fils.fr"


# --------------------------------------------------------------------------- what is written


def test_new_rows_get_ids_formulas_formats_and_the_cadence(run: Run, example: Path,
                                                          tmp_path: Path) -> None:
    source = write_csv(tmp_path / "p.csv", FRENCH)
    output = imported(run, str(source))
    assert ("ligne 2 : ID 11 — Crème & Pâtisserie Lefèvre (ligne 12 du suivi) (Devis envoyé, "
            "relance Email le 20/01/2026)") in output
    assert "ligne 4 : ID 13 — Zoé Ménard (ligne 14 du suivi) (Prospect, relance Email le "
    assert "Version précédente sauvegardée : relances-clients." in output

    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    cells = {ws.cell(row=1, column=c).value: ws.cell(row=NEW_ROW, column=c)
             for c in range(1, ws.max_column + 1)}
    values = {h: c.value for h, c in cells.items()}
    assert values["ID"] == 11
    assert values["Contact (email + tel)"] == "contact@creme-lefevre.fr / 06 11 22 33 44"
    assert values["Statut"] == "Devis envoyé"
    assert values["Montant estimé (€)"] == 8500.5
    assert values["Probabilité (%)"] == 0.4
    assert values["Dernier contact"] == datetime(2026, 1, 12)
    assert values["Première interaction"] == datetime(2026, 1, 12)
    assert values["Statut depuis"] == datetime(2026, 1, 12)
    assert values["Relances faites"] == 0
    # Devis envoyé J+3 from the 12th is past: the cadence plans it for today, by email.
    assert values["Prochaine relance"] == datetime(2026, 1, 20)
    assert values["Action prévue"] == "Email"
    assert values["Délai (j)"] == f'=IF(ISNUMBER(J{NEW_ROW}),TODAY()-J{NEW_ROW},"")'
    assert values["CA pondéré"].startswith("=IF(AND(ISNUMBER(G12)")
    assert cells["Dernier contact"].number_format == "dd/mm/yyyy"
    assert cells["Montant estimé (€)"].number_format == '#,##0 "€";-#,##0 "€"'
    assert cells["Probabilité (%)"].number_format == "0%"
    # A row without any date: no invented first contact, the cadence counts from today.
    zoe = suivi_row(example, NEW_ROW + 2)
    assert (zoe["Première interaction"], zoe["Dernier contact"], zoe["Statut depuis"],
            zoe["Prochaine relance"]) == (None, None, datetime(2026, 1, 20),
                                          datetime(2026, 1, 22))
    assert ws.auto_filter.ref.endswith(str(NEW_ROW + 2))


def test_a_second_import_of_the_same_file_changes_nothing(run: Run, example: Path,
                                                         tmp_path: Path) -> None:
    source = write_csv(tmp_path / "p.csv", FRENCH, encoding="cp1252")
    imported(run, str(source))
    before = digest(example)
    backups = sorted((example.parent / "sauvegardes").glob("*.xlsx"))
    again = imported(run, str(source))
    assert "0 ajoutée, 0 complétée, 0 ignorée, 3 déjà à jour." in again
    assert "Conflits" not in again and "sauvegardée" not in again
    assert digest(example) == before
    assert sorted((example.parent / "sauvegardes").glob("*.xlsx")) == backups
    assert len(listed(run)) == 13


def test_known_prospects_get_their_empty_fields_filled_and_conflicts_are_only_reported(
        run: Run, example: Path, tmp_path: Path) -> None:
    # SCI Fontaine has no phone and no next follow-up; Martin's amount differs; Dupont's
    # email matches under another spelling of its name.
    source = write_csv(tmp_path / "maj.csv", [
        ["Client", "E-mail", "Tél.", "Montant", "Source", "Prochaine relance"],
        ["sci fontaine", "", "05 61 00 11 22", "4200", "Bouche-à-oreille", "02/02/2026"],
        ["MARTIN-MENUISERIE", "", "", "9 000 €", "Salon", ""],
        ["Dupont et fils", "A.Dupont@Societe.fr", "06 98 76 54 32", "", "", ""],
    ])
    simulated = imported(run, str(source), "--simulation")
    assert "0 à ajouter, 1 à compléter, 0 ignorée, 2 déjà à jour." in simulated
    assert "ligne 2 : SCI Fontaine : Téléphone, Prochaine relance" in simulated
    assert "Martin Menuiserie, Nom Client/Prospect" not in simulated
    assert ("ligne 3 : Martin Menuiserie, Montant estimé (€) : « 8 500 € » dans le suivi, "
            "« 9 000 € » dans le fichier") in simulated
    assert ("ligne 3 : Martin Menuiserie, Source : « Site web » dans le suivi, « Salon » "
            "dans le fichier") in simulated
    assert ("ligne 4 : Société Dupont SAS, Nom Client/Prospect : « Société Dupont SAS » dans "
            "le suivi, « Dupont et fils » dans le fichier") in simulated

    output = imported(run, str(source))
    assert "0 ajoutée, 1 complétée, 0 ignorée, 2 déjà à jour." in output
    found = listed(run)
    assert len(found) == 10
    fontaine = found["SCI Fontaine"]
    assert (fontaine["email"], fontaine["telephone"], fontaine["prochaine_relance"]) == (
        "sci.fontaine@orange.fr", "05 61 00 11 22", "2026-02-02")
    assert fontaine["action"] is None
    assert (found["Martin Menuiserie"]["montant"], found["Martin Menuiserie"]["source"]) == (
        8500, "Site web")
    row = suivi_row(example, fontaine["ligne"])
    assert row["Nom Client/Prospect"] == "SCI Fontaine"
    assert row["Contact (email + tel)"] == "sci.fontaine@orange.fr / 05 61 00 11 22"


def test_a_row_without_a_name_completes_the_prospect_of_its_email(
        run: Run, example: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "contacts.csv", [
        ["Nom", "Email", "Téléphone"], ["", "sci.fontaine@orange.fr", "05 61 00 11 22"]])
    assert "0 ajoutée, 1 complétée, 0 ignorée." in imported(run, str(source))
    assert listed(run)["SCI Fontaine"]["telephone"] == "05 61 00 11 22"


def test_a_plain_list_of_names(run: Run, example: Path, tmp_path: Path) -> None:
    source = tmp_path / "noms.csv"
    source.write_text("Client\nFerme des Saules\nBrasserie du Port\n", encoding="utf-8")
    assert "2 ajoutées, 0 complétée, 0 ignorée." in imported(run, str(source))
    assert {"Ferme des Saules", "Brasserie du Port"} <= set(listed(run))


def test_rows_repeating_a_prospect_of_the_same_file_are_merged(run: Run, example: Path,
                                                              tmp_path: Path) -> None:
    source = write_csv(tmp_path / "doublons.csv", [
        ["Entreprise", "Email", "Montant", "Téléphone"],
        ["Atelier Bleu", "bleu@atelier.fr", "1000", ""],
        ["Atelier Bleu SARL", "BLEU@atelier.fr", "2000", "06 10 20 30 40"],
    ])
    output = imported(run, str(source))
    assert "1 ajoutée, 1 complétée, 0 ignorée." in output
    assert ("ligne 3 : Atelier Bleu, Montant estimé (€) : « 1 000 € » ligne 2 du fichier, "
            "« 2 000 € » dans le fichier") in output
    bleu = listed(run)["Atelier Bleu"]
    assert (bleu["montant"], bleu["telephone"]) == (1000, "06 10 20 30 40")


# --------------------------------------------------------------------------- bad rows


GARBAGE = [
    ["Nom", "Email", "Statut", "Montant", "Dernier contact"],
    ["Dubois Plomberie", "dubois@@plomberie", "", "", ""],
    ["Garage Central", "", "Zorglub", "beaucoup", "31/02/2026"],
    ["", "sans.nom@exemple.fr", "Prospect", "", ""],
    ["%%%%", "", "", "", "hier soir"],
]


def test_a_file_without_one_usable_row_is_refused_line_by_line(run: Run, example: Path,
                                                               tmp_path: Path) -> None:
    before = digest(example)
    source = write_csv(tmp_path / "n-importe-quoi.csv", GARBAGE)
    for options in ((), ("--simulation",)):
        result = run("importer", str(source), *options)
        message = assert_refused(
            result, 2,
            "Aucune ligne de « n-importe-quoi.csv » n'est importable : rien n'a été écrit.",
            "n-importe-quoi.csv, ligne 2, colonne Email : « dubois@@plomberie » n'est pas une "
            "adresse e-mail (ex. nom@domaine.fr)",
            "ligne 3, colonne Statut : « Zorglub » n'est pas un statut connu (Prospect, Devis "
            "envoyé, Négociation, Gagné, Perdu)",
            "ligne 3, colonne Montant : « beaucoup » n'est pas un montant (ex. 8 500 €)",
            "ligne 3, colonne Dernier contact : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA)",
            "ligne 4 : aucun nom : ni nom, ni entreprise, ni prénom, ni affaire dans cette "
            "ligne, ni email d'un prospect connu",
            "ligne 5, colonne Dernier contact : « hier soir » n'est pas une date")
        assert "Corrigez ces lignes dans le fichier, puis relancez" in message
    assert digest(example) == before
    assert not list((example.parent / "sauvegardes").glob("*.xlsx"))


def test_good_rows_are_imported_and_bad_ones_ignored_with_their_reasons(
        run: Run, example: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "mixte.csv", [*GARBAGE, ["Plâtrerie Roy", "roy@platre.fr",
                                                           "Client", "3000", "05/01/2026"]])
    output = imported(run, str(source))
    assert "1 ajoutée, 0 complétée, 4 ignorées." in output
    assert "Ignorées : mixte.csv, ligne 2, colonne Email" in output
    assert "Corrigez les lignes ignorées dans le fichier et relancez l'import" in output
    roy = listed(run)["Plâtrerie Roy"]
    assert (roy["statut"], roy["probabilite"], roy["statut_depuis"]) == (
        "Gagné", 1.0, "2026-01-05")


def test_a_phone_that_does_not_read_is_kept_as_typed_with_a_warning(
        run: Run, example: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "tel.csv", [["Nom", "Téléphone"],
                                              ["Cordonnerie Vidal", "12 34 56 (poste 3)"]])
    output = imported(run, str(source))
    assert ("Avertissements : tel.csv, ligne 2, colonne Téléphone : « 12 34 56 (poste 3) » "
            "n'est pas un numéro de téléphone (ex. 06 12 34 56 78) : gardé tel quel") in output
    assert listed(run)["Cordonnerie Vidal"]["telephone"] == "12 34 56 (poste 3)"


def test_a_file_without_a_recognisable_header_is_refused(run: Run, example: Path,
                                                         tmp_path: Path) -> None:
    source = write_csv(tmp_path / "vrac.csv", [["Raison soc.", "Mél"], ["Roy", "roy@x.fr"]])
    assert_refused(run("importer", str(source)), 2,
                   "Pas de ligne d'en-tête reconnaissable dans « vrac.csv »",
                   "--colonne \"En-tête=champ\"")
    assert_refused(run("importer", str(tmp_path / "absent.csv")), 2,
                   "Le fichier à importer", "absent.csv » n'existe pas")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    assert_refused(run("importer", str(tmp_path / "photo.png")), 2,
                   "« photo.png » n'est ni un CSV ni un classeur")


# --------------------------------------------------------------------------- --colonne, --feuille


def test_colonne_maps_headers_the_tool_does_not_know(run: Run, example: Path,
                                                     tmp_path: Path) -> None:
    source = write_csv(tmp_path / "vrac.csv", [
        ["Raison soc.", "Mél", "Ville", "Étape"],
        ["Roy & Fils", "roy@fils.fr", "Lyon", "proposition"]])
    output = imported(run, str(source), "--colonne", "raison soc.=Nom", "--colonne",
                      "Mél=Email", "--colonne", "Étape=Statut", "--colonne", "Ville=Ignorer")
    assert "1 ajoutée" in output and "Colonnes non importées" not in output
    roy = listed(run)["Roy & Fils"]
    assert (roy["email"], roy["statut"]) == ("roy@fils.fr", "Devis envoyé")

    assert_refused(run("importer", str(source), "--colonne", "Mél=Courrier"), 2,
                   "--colonne : « Courrier » n'est pas un champ du suivi. Champs possibles : "
                   "Nom Client/Prospect, Statut,")
    assert_refused(run("importer", str(source), "--colonne", "Raison soc.=Nom",
                       "--colonne", "Pays=Notes"), 2,
                   "--colonne : « Pays » n'est pas un en-tête du fichier. En-têtes trouvés : "
                   "« Raison soc. », « Mél », « Ville », « Étape ».")
    assert_refused(run("importer", str(source), "--colonne", "Mél"), 2,
                   "--colonne : « Mél » doit avoir la forme \"En-tête=champ\"")
    assert_refused(run("importer", str(source), "--colonne", "Mél=ID"), 2,
                   "« ID » est calculé par relances")


def test_feuille_and_the_first_sheet_with_headers(run: Run, example: Path,
                                                  tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "classeur.xlsx", {
        "Sommaire": [["Export du 20/01/2026"], ["Voir les onglets"]],
        "Anciens": [["Nom", "Statut"], ["Ancien client", "Perdu"]],
        "Nouveaux": [["Nom", "Statut"], ["Nouveau venu", "Lead"]],
    })
    output = imported(run, str(source), "--simulation")
    assert "Lu : classeur.xlsx, feuille Anciens (classeur Excel), 1 ligne de données." in output
    assert "ligne 2 : Ancien client (Perdu, relance Email le " in output
    output = imported(run, str(source), "--feuille", "nouveaux", "--simulation")
    assert "ligne 2 : Nouveau venu (Prospect" in output
    assert_refused(run("importer", str(source), "--feuille", "Clients"), 2,
                   "--feuille : « classeur.xlsx » n'a pas de feuille « Clients » ; ses "
                   "feuilles : « Sommaire », « Anciens », « Nouveaux ».")
    assert_refused(run("importer", str(source), "--feuille", "Sommaire"), 2,
                   "Pas de ligne d'en-tête reconnaissable dans la feuille « Sommaire » de "
                   "« classeur.xlsx »")


# --------------------------------------------------------------------------- shapes of other tools


def test_the_light_tracker_imports_into_the_full_one(run: Run, example: Path,
                                                     tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "leger.xlsx", {"Feuil1": [
        LIGHT_HEADERS,
        ("Menuiserie Bois Fort", "j.fort@boisfort.fr / 0611223344", "Devis", 8500,
         datetime(2026, 1, 14), datetime(2026, 1, 27), "Escalier chêne"),
        ("Martin Menuiserie", "m.martin@email.fr / 06 12 34 56 78", "Devis envoyé", 8500,
         date(2026, 1, 10), None, None),
    ]})
    output = imported(run, str(source))
    assert "1 ajoutée, 0 complétée, 0 ignorée, 1 déjà à jour." in output
    fort = listed(run)["Menuiserie Bois Fort"]
    assert (fort["email"], fort["telephone"], fort["statut"], fort["montant"],
            fort["dernier_contact"], fort["prochaine_relance"], fort["action"], fort["notes"],
            fort["probabilite"]) == (
        "j.fort@boisfort.fr", "06 11 22 33 44", "Devis envoyé", 8500, "2026-01-14",
        "2026-01-27", None, "Escalier chêne", 0.3)


def test_import_into_the_light_tracker_fills_its_seven_columns_only(
        run: Run, tracker_path: Path, tmp_path: Path) -> None:
    make_workbook(tracker_path, {"Suivi": [LIGHT_HEADERS, (
        "Martin Menuiserie", "m.martin@email.fr", "Devis envoyé", 8500, None, None, None)]})
    source = write_csv(tmp_path / "p.csv", [
        ["Nom", "Email", "Téléphone", "Statut", "Projet", "Dernier contact"],
        ["Martin Menuiserie", "m.martin@email.fr", "0612345678", "", "Fenêtres", "10/01/2026"],
        ["Zoé Ménard", "zoe@menard.fr", "", "Lead", "Cuisine", ""],
    ])
    output = imported(run, str(source))
    assert "1 ajoutée, 1 complétée, 0 ignorée." in output
    assert ("Pas de colonne dans le suivi pour : Projet : ajoutez ces colonnes à la feuille "
            "pour les importer.") in output
    ws = openpyxl.load_workbook(tracker_path)["Suivi"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == list(LIGHT_HEADERS)
    assert rows[1][:5] == ["Martin Menuiserie", "m.martin@email.fr / 06 12 34 56 78",
                           "Devis envoyé", 8500, datetime(2026, 1, 10)]
    assert rows[2][:4] == ["Zoé Ménard", "zoe@menard.fr", "Prospect", None]
    assert isinstance(rows[2][5], datetime)


CRM_TABLE = [
    ["ID", "Nom", "Prénom", "Email", "Téléphone", "Entreprise", "Adresse", "Ville",
     "Code Postal", "Pays", "Statut", "Dernière Interaction", "Notes"],
    [1, "Dupont", "Jean", "jean.dupont@example.com", 123456789, "ABC Company",
     "123 Rue de la Liberté", "Paris", 75001, "France", "Prospect", date(2024, 2, 20),
     "Intéressé par le produit X"],
    [2, "Martin", "Marie", "marie.martin@example.com", 9876543210, "XYZ Corporation",
     "456 Avenue des Roses", "Lyon", 69000, "France", "Client", date(2024, 2, 22),
     "Renouvellement annuel prévu en mars"],
    [3, "Dubois", "Pierre", "pierre.dubois@example.com", "0555666777", "Acme Inc.",
     "789 Boulevard du Commerce", "Marseille", 13000, "France", "Prospect",
     date(2024, 2, 18), "Besoin de devis pour projet spécifique"],
    [4, "Lefevre", "Sophie", "sophie.lefevre@example.com", "03 33 22 11 11",
     "Global Solutions", "321 Rue Principale", "Lille", 59000, "France", "Client",
     date(2024, 2, 15), "Satisfait de la dernière livraison"],
]


def test_the_classic_excel_crm_table(run: Run, example: Path, tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "crm.xlsx", {"Contacts": CRM_TABLE})
    output = imported(run, str(source))
    assert "4 ajoutées, 0 complétée, 0 ignorée." in output
    assert ("Colonnes non importées : ID (pour en importer une : --colonne "
            "\"En-tête=champ\").") in output
    # The address is recognised; the example's Suivi has no column for it.
    assert ("Pas de colonne dans le suivi pour : Adresse, Code postal, Ville, Pays : ajoutez "
            "ces colonnes à la feuille pour les importer.") in output
    assert ("crm.xlsx, ligne 3, colonne Téléphone : « 9876543210 » n'est pas un numéro de "
            "téléphone (ex. 06 12 34 56 78) : gardé tel quel") in output
    found = listed(run)
    abc = found["ABC Company"]
    assert (abc["id"], abc["interlocuteur"], abc["email"], abc["telephone"], abc["statut"],
            abc["dernier_contact"], abc["notes"]) == (
        11, "Jean Dupont", "jean.dupont@example.com", "01 23 45 67 89", "Prospect",
        "2024-02-20", "Intéressé par le produit X")
    xyz = found["XYZ Corporation"]
    assert (xyz["interlocuteur"], xyz["statut"], xyz["probabilite"], xyz["statut_depuis"],
            xyz["telephone"]) == ("Marie Martin", "Gagné", 1.0, "2024-02-22", "9876543210")
    assert found["Global Solutions"]["telephone"] == "03 33 22 11 11"
    assert "Dupont" not in found and "Jean Dupont" not in found
    before = digest(example)
    assert "0 ajoutée, 0 complétée, 0 ignorée, 4 déjà à jour." in imported(run, str(source))
    assert digest(example) == before


PIPEDRIVE = [
    ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Stage",
     "Deal - Status", "Organization - Name", "Person - Name", "Person - Email",
     "Person - Phone", "Deal - Expected close date", "Deal - Owner", "Deal - Lost reason"],
    ["101", "Rénovation cuisine", "12500", "EUR", "Proposal Made", "open", "Boucherie Vidal",
     "Paul Vidal", "paul@boucherie-vidal.fr", "+33 6 12 00 00 01", "2026-03-15", "Claire", ""],
    ["102", "Atelier Roche deal", "8000.5", "EUR", "Negotiations Started", "won",
     "Atelier Roche", "Anne Roche", "anne@roche.fr", "0612000002", "2026-01-08 16:20:00",
     "Karim", ""],
    ["103", "Toiture", "4000", "EUR", "Qualified", "lost", "", "Luc Simon", "luc@simon.fr",
     "", "2025-12-01", "Karim", "Trop cher"],
    ["104", "Extension", "9000", "USD", "Contact Made", "open", "Ranch Texan", "", "",
     "", "", "", ""],
]


def test_a_pipedrive_deals_export(run: Run, example: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "deals.csv", PIPEDRIVE, delimiter=",")
    output = imported(run, str(source))
    assert "3 ajoutées, 0 complétée, 1 ignorée." in output
    assert ("deals.csv, ligne 5, colonne Deal - Currency : montant en « USD » : relances compte "
            "en euros") in output
    found = listed(run)
    vidal = found["Boucherie Vidal"]
    assert (vidal["projet"], vidal["montant"], vidal["statut"], vidal["interlocuteur"],
            vidal["email"], vidal["telephone"], vidal["responsable"], vidal["notes"]) == (
        "Rénovation cuisine", 12500, "Devis envoyé", "Paul Vidal", "paul@boucherie-vidal.fr",
        "06 12 00 00 01", "Claire", "Clôture prévue : 15/03/2026")
    roche = found["Atelier Roche"]
    assert (roche["statut"], roche["statut_depuis"], roche["projet"], roche["montant"]) == (
        "Gagné", "2026-01-08", "Atelier Roche deal", 8000.5)
    simon = found["Luc Simon"]
    assert (simon["statut"], simon["motif_perte"], simon["interlocuteur"], simon["projet"]) == (
        "Perdu", "Trop cher", None, "Toiture")


HUBSPOT = [
    ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
     "Deal Name", "Amount", "Deal Stage", "Pipeline", "Close Date", "Contact owner",
     "Deal owner", "Lifecycle Stage"],
    ["1", "Léa", "Garnier", "lea@garnier-bois.fr", "06 22 33 44 55", "Garnier Bois",
     "Garnier Bois — Parquet", "5400.5", "contractsent", "default", "", "claire@exemple.fr",
     "karim@exemple.fr", "opportunity"],
    ["2", "Hugo", "Perrin", "hugo@perrin.fr", "", "", "", "", "", "", "",
     "claire@exemple.fr", "", "customer"],
    ["3", "Inès", "Faure", "ines@faure-deco.fr", "", "Faure Déco", "Vitrine", "2300",
     "closedlost", "default", "2026-01-05T10:00:00Z", "", "", "lead"],
    ["4", "Noé", "Blanc", "noe@blanc.fr", "", "Blanc SA", "Audit", "100", "Stage inventé",
     "default", "", "", "", ""],
]


def test_a_hubspot_contacts_and_deals_export(run: Run, example: Path, tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "hubspot.xlsx", {"Export": HUBSPOT})
    output = imported(run, str(source))
    assert "3 ajoutées, 0 complétée, 1 ignorée." in output
    assert ("hubspot.xlsx, ligne 5, colonne Deal Stage : « Stage inventé » n'est pas un statut "
            "connu") in output
    found = listed(run)
    garnier = found["Garnier Bois"]
    assert (garnier["interlocuteur"], garnier["projet"], garnier["montant"], garnier["statut"],
            garnier["responsable"], garnier["probabilite"]) == (
        "Léa Garnier", "Parquet", 5400.5, "Négociation", "karim@exemple.fr", 0.5)
    perrin = found["Hugo Perrin"]
    assert (perrin["statut"], perrin["interlocuteur"], perrin["responsable"]) == (
        "Gagné", None, "claire@exemple.fr")
    faure = found["Faure Déco"]
    assert (faure["statut"], faure["statut_depuis"], faure["projet"]) == (
        "Perdu", "2026-01-05", "Vitrine")


@pytest.mark.parametrize(("value", "status"), [
    ("Client", Status.WON), ("Lead", Status.PROSPECT), ("Nouveau", Status.PROSPECT),
    ("À contacter", Status.PROSPECT), ("Proposition", Status.QUOTE_SENT),
    ("Devis", Status.QUOTE_SENT), ("Négo", Status.NEGOTIATION), ("Perdu", Status.LOST),
    ("Pas intéressé", Status.LOST), ("Inactif", Status.LOST), ("closedwon", Status.WON),
    ("closedlost", Status.LOST), ("Won", Status.WON), ("Lost", Status.LOST),
    ("appointmentscheduled", Status.PROSPECT), ("Proposal Made", Status.QUOTE_SENT),
    ("Negotiations Started", Status.NEGOTIATION), ("open", None),
])
def test_status_synonyms_of_trackers_and_crms(value: str, status: Status | None) -> None:
    assert parse_import_status(value) is status


def test_statuses_that_map_to_nothing_are_not_guessed() -> None:
    with pytest.raises(ValueError, match="« En attente » n'est pas un statut connu"):
        parse_import_status("En attente")


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
def test_workbooks_saved_by_libreoffice_ods_xlsx_and_xls(run: Run, example: Path, tmp_path: Path,
                                                    libreoffice: Any) -> None:
    """One file converted by LibreOffice to .ods, then that .ods to .xlsx and to .xls
    (soffice converts to one format per run): all import alike."""
    (tmp_path / "in").mkdir()
    original = make_workbook(tmp_path / "in" / "clients.xlsx", {"Feuille1": CRM_TABLE[:3]})
    [ods] = libreoffice([original], tmp_path / "ods", "ods")
    [xlsx] = libreoffice([ods], tmp_path / "xlsx", "xlsx")
    [xls] = libreoffice([ods], tmp_path / "xls", "xls")
    assert xls.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    for converted in (ods, xlsx, xls):
        output = imported(run, str(converted), "--simulation")
        assert "2 à ajouter, 0 à compléter, 0 ignorée." in output, converted
        assert "ligne 3 : XYZ Corporation (Gagné, relance Tel le 20/01/2026)" in output
    imported(run, str(ods))
    assert "2 déjà à jour" in imported(run, str(xlsx))
    abc = listed(run)["ABC Company"]
    assert (abc["dernier_contact"], abc["telephone"]) == ("2024-02-20", "01 23 45 67 89")


def test_the_progress_bar_shows_only_when_the_import_takes_a_while(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from relances.ui import common, console

    stream = io.StringIO()
    terminal = console.Output(stderr=True)
    vars(terminal)["rich"] = Console(file=stream, force_terminal=True, width=80)
    monkeypatch.setattr(common, "errors", terminal)
    monkeypatch.setenv("FORCE_COLOR", "1")  # so the stream counts as a terminal
    with common.progress(delay=60) as report:
        report("Ajout des prospects", 5, 10)
    assert stream.getvalue() == ""
    with common.progress(delay=0) as report:
        report("Ajout des prospects", 5, 10)
        time.sleep(0.3)
    assert "Ajout des prospects" in stream.getvalue() and "5/10" in stream.getvalue()
