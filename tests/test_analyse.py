"""relances analyse: every figure on a workbook built for the purpose, computed by hand.

Today is 20/03/2026, so the default period (the year to date) spans January, February and
March 1–20. The rows (owner, source, status; entry → decision):

    Alpha    Claire  Site web        Gagné  10 000 €     05/01/2026 → 10/02/2026  Journal: 4 lines
    Bravo    Karim   Recommandation  Gagné  no amount    15/12/2025 → 05/03/2026  Journal: 3 lines
    Charlie  Claire  Site web        Perdu   5 000 €     10/01/2026 → 25/02/2026  prix trop élevé
    Delta    Karim   Salon pro       Négociation 20 000 € × 50 %: lost on 10/01/2026 then
                                     reactivated on 01/03/2026 (Journal), follow-up overdue
    Echo     Claire  (no source)     Prospect 3 333,33 € × 15 %, entered today (the last day)
    Foxtrot  Karim   Recommandation  Gagné   7 500,50 €  decided 31/12/2025: before the period
    Golf     Karim   Salon pro       Gagné  12 345,67 €  20/12/2025 → 01/01/2026 (first day)
    Hotel    Claire  Site web        Devis envoyé 8 000 € × 20 %, silent since 01/11/2025: a
                                     zombie, follow-up overdue
    India    Karim   « site web »    Prospect 4 000 € × 10 %, entered 15/02/2026
    Juliett  Claire  Recommandation  Perdu   6 000 €     05/02/2026 → 20/03/2026 (last day)
    Kilo     Karim   Salon pro       Perdu   9 000 €     10/01/2026 → 15/01/2026, a Journal
                                     line found by its name only
    Lima     Claire  no date at all: out of the analysis

plus a Journal line of Claire's for a prospect deleted since (ID 99).
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
from conftest import LIGHT_HEADERS, Run, assert_refused, flat, make_workbook, set_setting

TODAY = date(2026, 3, 20)
D = date

SUIVI = (
    # name, owner, source, status, amount, probability, first, last, next, since, reason
    ("Alpha", "Claire", "Site web", "Gagné", 10000, 1, D(2026, 1, 5), D(2026, 2, 10), None,
     D(2026, 2, 10), None),
    ("Bravo", "Karim", "Recommandation", "Gagné", None, 1, D(2025, 12, 15), D(2026, 3, 5), None,
     D(2026, 3, 5), None),
    ("Charlie", "Claire", "Site web", "Perdu", 5000, 0, D(2026, 1, 10), D(2026, 2, 25), None,
     D(2026, 2, 25), "Prix trop élevé"),
    ("Delta", "Karim", "Salon pro", "Négociation", 20000, 0.5, D(2025, 12, 1), D(2026, 3, 1),
     D(2026, 3, 10), D(2026, 3, 1), "prix"),
    ("Echo", "Claire", None, "Prospect", 3333.33, 0.15, D(2026, 3, 20), D(2026, 3, 20),
     D(2026, 3, 23), D(2026, 3, 20), None),
    ("Foxtrot", "Karim", "Recommandation", "Gagné", 7500.5, 1, D(2025, 11, 1), D(2025, 12, 31),
     None, D(2025, 12, 31), None),
    ("Golf", "Karim", "Salon pro", "Gagné", 12345.67, 1, D(2025, 12, 20), D(2026, 1, 1), None,
     D(2026, 1, 1), None),
    ("Hotel", "Claire", "Site web", "Devis envoyé", 8000, 0.2, D(2025, 10, 1), D(2025, 11, 1),
     D(2025, 12, 1), D(2025, 11, 1), None),
    ("India", "Karim", "site web", "Prospect", 4000, 0.1, D(2026, 2, 15), D(2026, 2, 15),
     D(2026, 3, 25), D(2026, 2, 15), None),
    ("Juliett", "Claire", "Recommandation", "Perdu", 6000, 0, D(2026, 2, 5), D(2026, 3, 20),
     None, D(2026, 3, 20), "prix trop élevé"),
    ("Kilo", "Karim", "Salon pro", "Perdu", 9000, 0, D(2026, 1, 10), D(2026, 1, 15), None,
     D(2026, 1, 15), "Délai trop long"),
    ("Lima", "Claire", None, "Prospect", None, None, None, None, None, None, None),
)

JOURNAL = (
    # date, ID, name, channel, outcome, status, owner
    (D(2026, 1, 5), 1, "Alpha", "Tel", None, "Prospect", "Claire"),
    (D(2026, 1, 12), 1, "Alpha", "Tel", "intéressé", "Prospect", "Claire"),
    (D(2026, 1, 20), 1, "Alpha", "Devis", "devis envoyé", "Devis envoyé", "Claire"),
    (D(2026, 2, 10), 1, "Alpha", "RDV", "gagné", "Gagné", "Claire"),
    (D(2025, 12, 15), 2, "Bravo", "Email", None, "Prospect", "Karim"),
    (D(2026, 1, 10), 2, "Bravo", "Devis", "devis envoyé", "Devis envoyé", "Karim"),
    (D(2026, 3, 5), 2, "Bravo", "Tel", "gagné", "Gagné", "Karim"),
    (D(2026, 1, 10), 3, "Charlie", "Tel", None, "Prospect", "Claire"),
    (D(2026, 2, 25), 3, "Charlie", "Tel", "perdu", "Perdu", "Claire"),
    (D(2025, 12, 1), 4, "Delta", "Visite", None, "Prospect", "Karim"),
    (D(2025, 12, 15), 4, "Delta", "Devis", "devis envoyé", "Devis envoyé", "Karim"),
    (D(2026, 1, 10), 4, "Delta", "Tel", "perdu", "Perdu", "Karim"),
    (D(2026, 3, 1), 4, "Delta", "RDV", "intéressé", "Négociation", "Karim"),
    (D(2026, 2, 15), 9, "India", "Email", None, "Prospect", "Karim"),
    (D(2026, 3, 5), 99, "Zulu (supprimé)", "Tel", None, "Prospect", "Claire"),
    (D(2026, 1, 12), None, "kilo", "Tel", None, None, None),
)


def build(run: Run, path: Path) -> Path:
    """`relances init`, then the rows typed into Suivi and Journal as a user would."""
    assert run("init").exit_code == 0
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    column = {cell.value: cell.column for cell in ws[1]}
    for row, values in enumerate(SUIVI, start=2):
        name, owner, source, status, amount, chance, first, last, following, since, reason = \
            values
        cells = {"ID": row - 1, "Nom Client/Prospect": name, "Responsable": owner,
                 "Source": source, "Statut": status, "Montant estimé (€)": amount,
                 "Probabilité (%)": chance, "Première interaction": first,
                 "Dernier contact": last, "Prochaine relance": following,
                 "Statut depuis": since, "Motif perte": reason}
        for header, value in cells.items():
            ws.cell(row=row, column=column[header], value=value)
    journal = book["Journal"]
    for when, ident, name, channel, outcome, status, owner in JOURNAL:
        journal.append([when, ident, name, channel, None, outcome, status, None, owner])
    book.save(path)
    return path


@pytest.fixture
def tracker(run: Run, tracker_path: Path) -> Path:
    return build(run, tracker_path)


def analyse_json(run: Run, *args: str) -> dict[str, Any]:
    result = run("analyse", "--json", *args, today=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_figure_of_the_year_to_date(run: Run, tracker: Path) -> None:
    data = analyse_json(run, "--sans-classeur")
    assert data["periode"] == {"debut": "2026-01-01", "fin": "2026-03-20"}
    # Foxtrot was won the day before the period; Lima has no date; Delta's loss was undone.
    assert (data["prospects"], data["devis_envoyes"], data["gagnes"], data["perdus"],
            data["en_cours"]) == (10, 4, 3, 3, 4)
    assert (data["taux_conversion"], data["taux_reussite"]) == (0.3, 0.5)
    assert data["reference_secteur"] == {"bas": 0.15, "haut": 0.25}
    # 10 000 + nothing (Bravo) + 12 345,67; the mean leaves out the deal without an amount.
    assert (data["ca_realise"], data["gagnes_sans_montant"], data["ca_moyen"]) == \
        (22345.67, 1, 11172.84)
    # 10 000 + 499,9995 + 1 600 + 400 = 12 499,9995, rounded once: 12 500.
    assert data["ca_pondere"] == 12500
    # Without news past the status's threshold (14, 10, 7 days): India 33 days, Hotel 139,
    # Delta 19; Echo was seen today and Lima has no date.
    assert data["pipeline_par_statut"] == [
        {"statut": "Prospect", "prospects": 3, "montant": 7333.33, "ca_pondere": 900,
         "sans_nouvelles": 1},
        {"statut": "Devis envoyé", "prospects": 1, "montant": 8000, "ca_pondere": 1600,
         "sans_nouvelles": 1},
        {"statut": "Négociation", "prospects": 1, "montant": 20000, "ca_pondere": 10000,
         "sans_nouvelles": 1},
    ]
    assert data["sans_nouvelles"] == 3
    # (36 + 80 + 12 + 46 + 43 + 5) / 6; (29 + 54 + 3) / 3; (2 + 1) / 2.
    assert data["delai_moyen_jours"] == 37.0
    assert data["delai_relance_decision_jours"] == 28.7
    assert data["relances_avant_gain"] == 1.5
    assert (data["relances_faites"], data["prospects_actifs"], data["relances_en_retard"],
            data["zombies"], data["lignes_sans_date"]) == (13, 5, 2, 1, 1)


def test_each_status_has_its_own_alert_threshold(run: Run, tracker: Path) -> None:
    """Delta, in negotiation, was last seen 19 days ago: red under the default 7 days, no
    longer once Paramètres gives negotiations 20 days."""
    set_setting(tracker, "Alerte après (jours sans contact) : Négociation", 20)
    data = analyse_json(run, "--sans-classeur")
    assert [line["sans_nouvelles"] for line in data["pipeline_par_statut"]] == [1, 1, 0]
    assert data["sans_nouvelles"] == 2
    assert "Négociation 20 j" in data["definitions"]["sans_nouvelles"]


def test_conversion_by_source_and_by_owner(run: Run, tracker: Path) -> None:
    data = analyse_json(run, "--sans-classeur")
    assert data["par_source"] == [
        {"source": "Site web", "prospects": 4, "devis_envoyes": 2, "gagnes": 1, "perdus": 1,
         "en_cours": 2, "taux_conversion": 0.25, "taux_reussite": 0.5, "ca_realise": 10000},
        {"source": "Salon pro", "prospects": 3, "devis_envoyes": 1, "gagnes": 1, "perdus": 1,
         "en_cours": 1, "taux_conversion": 0.333333, "taux_reussite": 0.5,
         "ca_realise": 12345.67},
        {"source": "Recommandation", "prospects": 2, "devis_envoyes": 1, "gagnes": 1,
         "perdus": 1, "en_cours": 0, "taux_conversion": 0.5, "taux_reussite": 0.5,
         "ca_realise": 0},
        {"source": None, "prospects": 1, "devis_envoyes": 0, "gagnes": 0, "perdus": 0,
         "en_cours": 1, "taux_conversion": 0.0, "taux_reussite": None, "ca_realise": 0},
    ]
    assert data["par_responsable"] == [
        {"responsable": "Karim", "prospects": 5, "devis_envoyes": 2, "gagnes": 2, "perdus": 1,
         "en_cours": 2, "taux_conversion": 0.4, "taux_reussite": 0.666667,
         "ca_realise": 12345.67, "relances_faites": 6, "relances_en_retard": 1},
        {"responsable": "Claire", "prospects": 5, "devis_envoyes": 2, "gagnes": 1, "perdus": 2,
         "en_cours": 2, "taux_conversion": 0.2, "taux_reussite": 0.333333,
         "ca_realise": 10000, "relances_faites": 7, "relances_en_retard": 1},
    ]


def test_months_lost_reasons_and_recommendations(run: Run, tracker: Path) -> None:
    data = analyse_json(run, "--sans-classeur")
    # Delta counts as active at the end of January: its loss was undone by the reactivation.
    assert data["par_mois"] == [
        {"mois": "2026-01", "entres": 3, "gagnes": 1, "perdus": 1, "actifs_fin_de_mois": 5,
         "sans_relance_prevue": 0, "sans_responsable": 0},
        {"mois": "2026-02", "entres": 2, "gagnes": 1, "perdus": 1, "actifs_fin_de_mois": 5,
         "sans_relance_prevue": 0, "sans_responsable": 0},
        {"mois": "2026-03", "entres": 1, "gagnes": 1, "perdus": 1, "actifs_fin_de_mois": 4,
         "sans_relance_prevue": 0, "sans_responsable": 0},
    ]
    assert data["motifs_perte"] == [{"motif": "Prix trop élevé", "nombre": 2},
                                    {"motif": "Délai trop long", "nombre": 1}]
    advice = {r["code"]: r for r in data["recommandations"]}
    assert list(advice) == ["source_conversion", "source_ca", "zombies", "routine"]
    assert advice["source_conversion"]["message"] == (
        "Investir davantage dans « Recommandation » : meilleur taux de conversion, "
        "50\u00a0% (1 gagné(s) sur 2 prospect(s)).")
    assert advice["source_ca"]["message"] == (
        "« Salon pro » rapporte le plus : 12\u00a0345,67\u00a0€ réalisés (1 affaire(s) "
        "gagnée(s)).")
    assert (advice["zombies"]["indicateur"], advice["zombies"]["valeur"]) == ("zombies", 1)
    assert (advice["routine"]["valeur"], advice["routine"]["seuil"]) == (2, 0.2)
    assert set(data["definitions"]) >= {"prospects", "taux_conversion", "ca_pondere",
                                        "delai_moyen_jours", "par_mois"}


def test_a_period_ends_inside_the_data(run: Run, tracker: Path) -> None:
    """February only: what began before stays in progress, what ends after is still open,
    and the slow deals trigger their advice."""
    data = analyse_json(run, "--sans-classeur", "--depuis", "01/02/2026",
                        "--jusqu-au", "28/02/2026")
    assert data["periode"] == {"debut": "2026-02-01", "fin": "2026-02-28"}
    # Delta's quote is in the Journal (December): its current Négociation began in March.
    assert (data["prospects"], data["devis_envoyes"], data["gagnes"], data["perdus"],
            data["en_cours"], data["ca_realise"], data["relances_faites"]) == \
        (7, 4, 1, 1, 5, 10000, 3)
    assert data["taux_conversion"] == round(1 / 7, 6)
    assert data["par_mois"] == [
        {"mois": "2026-02", "entres": 2, "gagnes": 1, "perdus": 1, "actifs_fin_de_mois": 5,
         "sans_relance_prevue": 0, "sans_responsable": 0}]
    assert data["delai_moyen_jours"] == 41.0  # (36 + 46) / 2
    assert data["ca_pondere"] == 12500  # today's pipeline, whatever the period


def test_one_owner_and_the_sector_reference_from_parametres(run: Run, tracker: Path) -> None:
    set_setting(tracker, "Taux de conversion de référence (bas)", 0.35)
    set_setting(tracker, "Taux de conversion de référence (haut)", 0.45)
    data = analyse_json(run, "--sans-classeur", "--responsable", "claire")
    assert (data["responsable"], data["prospects"], data["gagnes"], data["perdus"],
            data["ca_realise"], data["relances_faites"]) == ("claire", 5, 1, 2, 10000, 7)
    assert [g["responsable"] for g in data["par_responsable"]] == ["Claire"]
    advice = data["recommandations"][0]
    assert (advice["code"], advice["valeur"], advice["seuil"]) == ("qualification", 0.2, 0.35)
    assert advice["message"] == (
        "Améliorer la qualification dès le premier contact : taux de conversion 20\u00a0%, "
        "sous la référence du secteur (35\u00a0% à 45\u00a0%).")
    # Claire's deals: 36, 46 and 43 days.
    assert data["delai_moyen_jours"] == 41.7


def test_the_terminal_names_every_definition(run: Run, tracker: Path) -> None:
    result = run("analyse", "--sans-classeur", "--depuis", "01/03/2026", today=TODAY)
    assert result.exit_code == 0, result.output
    text = flat(result.output.replace("\u00a0", " "))
    assert "Analyse du 01/03/2026 au 20/03/2026" in text
    for line in ("Prospects suivis 6 prospects suivis : entrés au plus tard le 20/03/2026",
                 "Taux de conversion 16,7 % gagnés / prospects suivis (la définition du "
                 "tableau de suivi) ; référence du secteur : 15 % à 25 %",
                 "Taux de réussite 50 % gagnés / (gagnés + perdus)",
                 "CA réalisé 0 € somme des montants des affaires gagnées dans la période "
                 "(sans montant : 0 €) ; 1 affaire(s) gagnée(s) sans montant",
                 "CA moyen par affaire — CA réalisé / affaires gagnées qui ont un montant",
                 "CA pondéré 12 500 €", "Délai moyen 61,5 jours",
                 "Recommandations 1. Relancer plus tôt : 61,5 jours en moyenne entre la "
                 "première interaction et la décision, plus de 45 jours",
                 "Par source Source Prospects Devis Gagnés Perdus Conversion Réussite "
                 "CA réalisé Recommandation 2 1 1 1 50 % 50 % 0 € ████████████████████ "
                 "Site web 2 1 0 0 0 % — 0 € Salon pro 1 1 0 0 0 % — 0 € "
                 "Sans source 1 0 0 0 0 % — 0 €",
                 "Motifs de perte Motif Affaires prix trop élevé 1"):
        assert line in text, (line, text)
    assert "Feuille Tableau de bord" not in text  # --sans-classeur: the sheet is left alone


def test_nothing_to_divide_shows_a_dash(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    data = analyse_json(run, "--sans-classeur")
    assert (data["prospects"], data["taux_conversion"], data["taux_reussite"],
            data["ca_realise"], data["ca_moyen"], data["delai_moyen_jours"],
            data["recommandations"]) == (0, None, None, 0, None, None, [])
    result = run("analyse", "--pdf", "vide.pdf", today=TODAY)
    assert result.exit_code == 0, result.output
    text = flat(result.output.replace("\u00a0", " "))
    assert "Taux de conversion — " in text and "Taux de réussite — " in text
    assert "Rien à signaler" in text
    assert Path("vide.pdf").stat().st_size > 1000


def test_prospects_without_any_decision(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    assert run("ajouter", "Seul", "--montant", "1000", "--source", "Salon").exit_code == 0
    data = analyse_json(run, "--sans-classeur")
    assert (data["prospects"], data["gagnes"], data["taux_conversion"],
            data["taux_reussite"], data["ca_pondere"]) == (1, 0, 0.0, None, 100)


def test_the_sheet_gets_its_charts_and_nothing_else_changes(
        run: Run, tracker: Path) -> None:
    before = openpyxl.load_workbook(tracker)
    first = run("analyse", today=TODAY)
    assert first.exit_code == 0, first.output
    assert "Feuille Tableau de bord mise à jour" in flat(first.output)
    second = run("analyse", "--depuis", "01/02/2026", today=TODAY)
    assert second.exit_code == 0, second.output
    after = openpyxl.load_workbook(tracker)
    for name in ("Suivi", "Journal", "Paramètres", "Règles"):
        assert [[c.value for c in row] for row in before[name].iter_rows()] == \
            [[c.value for c in row] for row in after[name].iter_rows()], name
    ws = after["Tableau de bord"]
    assert [[c.value for c in row] for row in before["Tableau de bord"]["A1:C9"]] == \
        [[c.value for c in row] for row in ws["A1:C9"]]  # the live KPI formulas stay
    assert len(ws._charts) == 4  # replaced, not stacked
    assert ws["E1"].value == ("Analyse du 01/02/2026 au 20/03/2026 (relances analyse du "
                              "20/03/2026)")
    assert [c.value for c in ws[5][4:9]] == ["Source", "Prospects", "Gagnés", "Conversion",
                                             "CA réalisé (€)"]
    assert [c.value for c in ws[6][4:9]] == ["Site web", 4, 1, 0.25, 10000]
    assert ws["H6"].number_format == "0.0%"
    values = [[c.value for c in row] for row in ws.iter_rows(min_col=5, max_col=9)]
    assert ["févr. 2026", 2, 1, 1, 5] in values and ["mars 2026", 1, 1, 1, 4] in values
    assert ["janv. 2026", 3, 1, 1, 5] not in values  # the first run's data is gone
    assert ["Négociation", 1, 20000, 10000, 1] in values
    assert after.defined_names["RelancesAnalyse"].attr_text == "'Tableau de bord'!$E$1:$K$73"
    assert len(list((tracker.parent / "sauvegardes").glob("*.xlsx"))) == 2


def test_a_workbook_open_in_excel_still_gets_its_analysis(run: Run, tracker: Path) -> None:
    lock = tracker.with_name("~$" + tracker.name)
    lock.write_bytes(b"")
    data = tracker.read_bytes()
    result = run("analyse", today=TODAY)
    assert result.exit_code == 0, result.output
    assert "Prospects suivis 10" in flat(result.stdout)
    assert "Tableau de bord non mis à jour : « relances-clients.xlsx » est ouvert dans " \
        "Excel depuis le" in flat(result.stderr)
    assert tracker.read_bytes() == data
    as_json = run("analyse", "--json", today=TODAY)
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["tableau_de_bord"]["mis_a_jour"] is False


def test_a_light_tracker_gains_the_sheet(run: Run, tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "leger.xlsx", {"Clients": [
        LIGHT_HEADERS,
        ("Martin", None, "Gagné", 8500, D(2026, 1, 10), None, None),
        ("Dupont", None, "Devis", 15000, D(2026, 1, 15), D(2026, 1, 30), None),
    ]})
    result = run("analyse", "-f", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["prospects"], data["gagnes"], data["ca_realise"]) == (2, 1, 8500)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Clients", "Tableau de bord"]
    assert len(book["Tableau de bord"]._charts) == 4
    assert book["Tableau de bord"]["A1"].value is None  # no KPI formulas without the columns


def test_bad_options_are_refused_before_anything_is_written(run: Run, tracker: Path) -> None:
    data = tracker.read_bytes()
    assert_refused(run("analyse", "--depuis", "01/03/2026", "--jusqu-au", "01/02/2026",
                       today=TODAY), 2,
                   "La période est vide : elle commencerait le 01/03/2026 et finirait le "
                   "01/02/2026")
    assert_refused(run("analyse", "--depuis", "32/01/2026", today=TODAY), 2, "--depuis :")
    assert_refused(run("analyse", "--responsable", "Xavier", today=TODAY), 6,
                   "Aucun prospect ni ligne du Journal pour le responsable « Xavier » "
                   "(responsables connus : Claire, Karim)")
    assert_refused(run("analyse", "--pdf", "rapport.docx", today=TODAY), 2,
                   "--pdf : « rapport.docx » doit être un fichier .pdf")
    assert tracker.read_bytes() == data


def test_the_pdf_dashboard(run: Run, tracker: Path, tmp_path: Path) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils (pdftotext, pdftoppm) absent")
    folder = tmp_path / "rapports"
    folder.mkdir()
    result = run("analyse", "--sans-classeur", "--pdf", str(folder), today=TODAY)
    assert result.exit_code == 0, result.output
    pdf = folder / "analyse-performance-mars-2026.pdf"
    assert f"Tableau de bord PDF : {pdf}" in flat(result.output)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.replace("\u00a0", " ")
    words = flat(text)
    for expected in ("Analyse des relances commerciales", "du 01/01/2026 au 20/03/2026",
                     "Taux de conversion", "30 %", "secteur : 15 % à 25 %",
                     "22 345,67 €", "12 500 €", "11 172,84 €", "37 jours",
                     "Conversion par source", "Évolution mensuelle", "Pipeline par statut",
                     "Investir davantage dans « Recommandation »",
                     "Tenir la routine du lundi", "Délai trop long", "Prix trop élevé",
                     "Définitions"):
        assert expected in words, expected
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 2


@pytest.mark.libreoffice
def test_libreoffice_opens_the_charts(run: Run, tracker: Path, tmp_path: Path,
                                      libreoffice: Any) -> None:
    assert run("analyse", today=TODAY).exit_code == 0
    [converted] = libreoffice([tracker], tmp_path / "lo")
    book = openpyxl.load_workbook(converted)
    assert len(book["Tableau de bord"]._charts) == 4
    assert book["Tableau de bord"]["E6"].value == "Site web"
