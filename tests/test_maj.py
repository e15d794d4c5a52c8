"""`relances maj` through the real CLI: the row, Historique, Journal, the next follow-up.

Workbooks are read back with openpyxl (what Excel will show). "Today" is frozen to
Tuesday 20/01/2026 unless a call passes `today=`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import LIGHT_HEADERS, Run, assert_refused, flat, make_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

JOURNAL = ("Date", "ID", "Nom", "Canal", "Résumé", "Issue", "Statut", "Probabilité",
           "Responsable")




def at(day: int, month: int = 1, year: int = 2026) -> datetime:
    """openpyxl reads a date cell as a midnight datetime."""
    return datetime(year, month, day)


def d(day: int, month: int = 1, year: int = 2026) -> date:
    return date(year, month, day)


def find_row(path: Path, name: str) -> tuple[int, dict[str, Any]]:
    """The sheet row of a prospect and its values keyed by header."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    headers = [c.value for c in ws[1]]
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if values[1] == name:
            return number, dict(zip(headers, values, strict=False))
    raise AssertionError(f"{name} absent de Suivi")


def values(path: Path, name: str) -> dict[str, Any]:
    return find_row(path, name)[1]


def journal(path: Path) -> list[tuple[Any, ...]]:
    ws = openpyxl.load_workbook(path)["Journal"]
    header, *rows = ws.iter_rows(values_only=True)
    assert header[:9] == JOURNAL
    return [row[:9] for row in rows]


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return flat(result.output)


MARTIN = "Martin Menuiserie"
DUPONT = "Société Dupont SAS"
BERNARD = "Mme Bernard"
HOTEL = "Hôtel du Lac"
TILLEULS = "Copropriété Les Tilleuls"


# --------------------------------------------------------------------------- the workflow


def test_the_working_example_devis_sent_saturday(run: Run, tracker_path: Path) -> None:
    ok(run("init", today=d(10)))
    added = run("ajouter", "Martin Menuiserie", "--statut", "Devis envoyé", "--premiere",
                "10/01/2026", today=d(10))
    ok(added)
    row = values(tracker_path, MARTIN)
    assert (row["Statut"], row["Statut depuis"], row["Relances faites"]) == (
        "Devis envoyé", at(10), 0)
    assert (row["Prochaine relance"], row["Action prévue"]) == (at(13), "Email")

    output = ok(run("maj", "martin", "--canal", "Email", today=d(13)))
    assert "Dernier contact : 10/01/2026 → 13/01/2026" in output
    assert "Relances faites : 0 → 1" in output
    assert "Prochaine relance : 19/01/2026 (Tel)" in output
    row = values(tracker_path, MARTIN)
    assert (row["Dernier contact"], row["Relances faites"], row["Statut depuis"]) == (
        at(13), 1, at(10))
    assert (row["Prochaine relance"], row["Action prévue"]) == (at(19), "Tel")

    output = ok(run("maj", "martin", "--canal", "Tel", today=d(19)))
    assert "Prochaine relance : 26/01/2026 (Email)" in output
    row = values(tracker_path, MARTIN)
    assert (row["Dernier contact"], row["Relances faites"], row["Statut depuis"]) == (
        at(19), 2, at(10))
    assert (row["Prochaine relance"], row["Action prévue"]) == (at(26), "Email")
    assert row["Statut"] == "Devis envoyé" and row["Probabilité (%)"] == 0.3
    assert row["Historique interactions"] == "19/01 Tel : relance\n13/01 Email : relance"
    assert journal(tracker_path) == [
        (at(13), 1, MARTIN, "Email", None, None, "Devis envoyé", 0.3, None),
        (at(19), 1, MARTIN, "Tel", None, None, "Devis envoyé", 0.3, None),
    ]


def _journal_sheet(path: Path) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)["Journal"].iter_rows(values_only=True))


def test_each_journal_line_keeps_the_follow_up_it_planned(run: Run, tracker_path: Path) -> None:
    ok(run("init", today=d(10)))
    ok(run("ajouter", MARTIN, "--statut", "Devis envoyé", today=d(10)))
    ok(run("maj", "martin", "--canal", "Email", today=d(13)))
    ok(run("maj", "martin", "--canal", "Tel", "--issue", "gagne", today=d(19)))
    header, *rows = _journal_sheet(tracker_path)
    assert header[9] == "Prochaine relance"
    # The email planned the J+7 call; the win planned the J+15 satisfaction email.
    assert [row[9] for row in rows] == [at(19), at(3, 2)]
    assert openpyxl.load_workbook(tracker_path)["Journal"]["J2"].number_format == "dd/mm/yyyy"


def test_a_journal_made_before_the_column_gains_it_where_it_is_free(
        run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {
        "Suivi": [list(LIGHT_HEADERS), ["Martin", None, "Prospect", None, d(5), d(8), None]],
        "Journal": [list(JOURNAL), [d(5), None, "Martin", "Tel", "premier appel"]],
    })
    ok(run("maj", "martin", "--canal", "Email", "--prochaine", "02/02/2026", today=d(13)))
    header, first, second = _journal_sheet(tracker_path)
    assert header == (*JOURNAL, "Prochaine relance")
    assert (first[9], second[:4], second[9]) == (None, (at(13), None, "Martin", "Email"),
                                                 at(2, 2))


def test_a_column_of_the_users_own_beside_the_journal_is_never_written(
        run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {
        "Suivi": [list(LIGHT_HEADERS), ["Martin", None, "Prospect", None, d(5), d(8), None]],
        "Journal": [[*JOURNAL, "Mon commentaire"],
                    [d(5), None, "Martin", "Tel", "premier appel", None, None, None, None,
                     "à rappeler"]],
    })
    ok(run("maj", "martin", "--canal", "Email", "--prochaine", "02/02/2026", today=d(13)))
    header, first, second = _journal_sheet(tracker_path)
    assert (header[9], first[9], second[9]) == ("Mon commentaire", "à rappeler", None)
    # Its text is no date, yet both lines still read: Martin's card lists them.
    card = ok(run("voir", "martin"))
    assert "premier appel" in card and "13/01/2026 Email" in card


def test_the_martin_update_of_the_workflow(run: Run, example: Path) -> None:
    before_row, before = find_row(example, MARTIN)
    others = {name: values(example, name) for name in (DUPONT, HOTEL, TILLEULS)}
    journal_before = journal(example)
    result = run("maj", "martin", "--date", "27/01/2026", "--canal", "Tel", "--resume",
                 "Client veut comparer 2 autres devis, décision fin février", "--proba", "40",
                 "--prochaine", "20/02/2026", "--action", "Email", "--alerte", "concurrence",
                 today=d(27))
    output = ok(result)
    assert output.startswith("Martin Menuiserie mis à jour.")
    assert "Probabilité : 50 % → 40 %" in output
    assert "Prochaine relance : 20/02/2026 (Email)" in output
    assert "Alerte : concurrence" in output
    assert "Dernier contact : 10/01/2026 → 27/01/2026" in output

    row, after = find_row(example, MARTIN)
    assert row == before_row
    assert after["Probabilité (%)"] == 0.4
    assert after["Dernier contact"] == at(27)
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(20, 2), "Email")
    assert after["Alerte"] == "concurrence"
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Devis envoyé", at(10), 1)
    history = after["Historique interactions"].split("\n")
    assert history[0] == "27/01 Tel : Client veut comparer 2 autres devis, décision fin février"
    assert history[1:] == before["Historique interactions"].split("\n")
    untouched = ("ID", "Nom Client/Prospect", "Contact (email + tel)", "Source", "Projet",
                 "Montant estimé (€)", "Première interaction", "Notes", "Responsable",
                 "Interlocuteur", "Motif perte", "Délai (j)", "CA pondéré")
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert after["Délai (j)"] == f'=IF(ISNUMBER(J{row}),TODAY()-J{row},"")'
    assert {name: values(example, name) for name in others} == others

    assert journal(example) == [*journal_before, (
        at(27), 1, MARTIN, "Tel", "Client veut comparer 2 autres devis, décision fin février",
        None, "Devis envoyé", 0.4, "Claire")]

    # The row turns orange: the rule reading the Alerte column still covers it.
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    headers = [c.value for c in ws[1]]
    alert = get_column_letter(headers.index("Alerte") + 1)
    last = get_column_letter(len(headers))
    orange = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules
              if rule.formula == [f"LEN(${alert}2)>0"]]
    assert len(orange) == 1
    sqref, rule = orange[0]
    assert rule.dxf.fill.fgColor.rgb.endswith("FFD8A8")
    covered = [CellRange(part) for part in sqref.split()]
    assert any(r.min_row == 2 and r.min_row <= row <= r.max_row and r.min_col == 1
               and r.max_col == len(headers) for r in covered), (sqref, row, last)
    assert ws[f"{alert}{row}"].value == "concurrence"


def test_without_a_terminal_maj_records_a_plain_follow_up(run: Run, example: Path) -> None:
    output = ok(run("maj", "martin"))
    assert "Relances faites : 0 → 1" in output
    after = values(example, MARTIN)
    assert after["Dernier contact"] == at(20)
    assert after["Relances faites"] == 1
    # J+7 (Sat 17/01) is past; four days after today's contact is Sat 24/01: Monday 26/01.
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(26), "Tel")
    assert after["Historique interactions"].split("\n")[0] == "20/01 Relance : relance"
    assert journal(example)[-1] == (at(20), 1, MARTIN, None, None, None, "Devis envoyé", 0.5,
                                    "Claire")


def test_qui_may_be_the_id(run: Run, example: Path) -> None:
    ok(run("maj", "2", "--canal", "Email", "--resume", "Brochure envoyée"))
    assert values(example, DUPONT)["Historique interactions"].startswith(
        "20/01 Email : Brochure envoyée\n15/01 Tel : ")


# --------------------------------------------------------------------------- outcomes


def test_injoignable_retries_the_same_step_after_two_working_days(
        run: Run, example: Path) -> None:
    before = values(example, MARTIN)
    output = ok(run("maj", "martin", "--canal", "Tel", "--issue", "injoignable", today=d(22)))
    after = values(example, MARTIN)
    assert after["Dernier contact"] == before["Dernier contact"] == at(10)
    assert after["Relances faites"] == before["Relances faites"] == 0
    assert after["Statut depuis"] == at(10)
    # Thursday + 2 working days = Monday.
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(26), "Email")
    assert after["Historique interactions"].split("\n")[0] == "22/01 Tel : injoignable"
    assert journal(example)[-1][:6] == (at(22), 1, MARTIN, "Tel", None, "injoignable")
    assert "Prochaine relance : 26/01/2026 (Email)" in output


def test_injoignable_recorded_late_is_not_planned_in_the_past(run: Run, example: Path) -> None:
    # The call was on Tuesday 20/01; it is recorded on Friday 23/01: the retry (Thu 22/01)
    # is already due, so it is planned today, never in the past.
    ok(run("maj", "martin", "--date", "20/01/2026", "--issue", "injoignable", today=d(23)))
    assert values(example, MARTIN)["Prochaine relance"] == at(23)


def test_interesse_restarts_the_cadence(run: Run, example: Path) -> None:
    ok(run("maj", "martin", "--canal", "Email", today=d(13)))
    assert values(example, MARTIN)["Relances faites"] == 1
    ok(run("maj", "martin", "--canal", "Tel", "--issue", "interesse", "--resume",
           "Veut une variante en chêne"))
    after = values(example, MARTIN)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Devis envoyé", at(20), 0)
    assert after["Dernier contact"] == at(20)
    assert after["Probabilité (%)"] == 0.5
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(23), "Email")
    assert after["Historique interactions"].split("\n")[0] == (
        "20/01 Tel : Veut une variante en chêne (intéressé)")
    assert journal(example)[-1][5] == "intéressé"


def test_rdv_plans_the_appointment(run: Run, example: Path) -> None:
    output = ok(run("maj", "dupont", "--canal", "Tel", "--issue", "rdv", "--prochaine",
                    "29/01/2026"))
    after = values(example, DUPONT)
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(29), "RDV")
    assert after["Dernier contact"] == at(20)
    assert "Prochaine relance : 29/01/2026 (RDV)" in output
    assert journal(example)[-1][5] == "rendez-vous"


def test_devis_moves_a_prospect_to_devis_envoye(run: Run, example: Path) -> None:
    output = ok(run("maj", "bernard", "--canal", "Devis", "--issue", "devis", "--resume",
                    "Devis salle de bain envoyé"))
    after = values(example, BERNARD)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Devis envoyé", at(20), 0)
    assert after["Probabilité (%)"] == 0.3
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(23), "Email")  # J+3
    assert "Statut : Prospect → Devis envoyé" in output
    assert "Probabilité : 10 % → 30 %" in output
    assert journal(example)[-1][5:8] == ("devis envoyé", "Devis envoyé", 0.3)


def test_a_new_quote_restarts_devis_envoye(run: Run, example: Path) -> None:
    ok(run("maj", "martin", "--canal", "Email", today=d(13)))
    ok(run("maj", "martin", "--canal", "Devis", "--issue", "devis", "--resume",
           "Devis révisé : 12 fenêtres", today=d(22)))
    after = values(example, MARTIN)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Devis envoyé", at(22), 0)
    # J+3 is Sunday 25/01: Monday.
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(26), "Email")


def test_gagne_plans_the_satisfaction_follow_up(run: Run, example: Path) -> None:
    output = ok(run("maj", "martin", "--canal", "RDV", "--issue", "gagne", "--resume",
                    "Bon pour accord signé"))
    after = values(example, MARTIN)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Gagné", at(20), 0)
    assert after["Probabilité (%)"] == 1
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(4, 2), "Tel")  # J+15
    assert "Statut : Devis envoyé → Gagné" in output
    assert "Probabilité : 50 % → 100 %" in output
    assert "relances accueil 1" in output
    assert journal(example)[-1][5:8] == ("gagné", "Gagné", 1)


def test_a_follow_up_of_a_won_client_is_not_a_new_win(run: Run, example: Path) -> None:
    output = ok(run("maj", "petit", "--canal", "Tel", "--resume", "Client satisfait",
                    today=d(27)))
    assert "Relances faites : 0 → 1" in output
    assert "relances accueil" not in output and "Affaire gagnée" not in output
    # Gagné since 12/01, one satisfaction call done: J+90 is Sunday 12/04, hence Monday.
    row = values(example, "Boulangerie Petit")
    assert (row["Statut"], row["Prochaine relance"]) == ("Gagné", at(13, 4))


def test_perdu_keeps_the_reason_and_plans_the_reactivation(run: Run, example: Path) -> None:
    output = ok(run("maj", "dupont", "--canal", "Tel", "--issue", "perdu", "--motif",
                    "Budget reporté à l'an prochain"))
    after = values(example, DUPONT)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Perdu", at(20), 0)
    assert after["Probabilité (%)"] == 0
    assert after["Motif perte"] == "Budget reporté à l'an prochain"
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(20, 4), "Email")  # J+90
    assert "Motif perte : Budget reporté à l'an prochain" in output
    assert "relances accueil" not in output


def test_a_status_change_restarts_with_the_status_probability(run: Run, example: Path) -> None:
    output = ok(run("maj", "martin", "--canal", "Tel", "--statut", "négo"))
    after = values(example, MARTIN)
    assert (after["Statut"], after["Statut depuis"], after["Relances faites"]) == (
        "Négociation", at(20), 0)
    assert after["Probabilité (%)"] == 0.5
    # Négociation counts from the last contact: a week later.
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(27), "Tel")
    assert "Statut : Devis envoyé → Négociation" in output
    ok(run("maj", "dupont", "--statut", "Négociation", "--proba", "60 %"))
    assert values(example, DUPONT)["Probabilité (%)"] == 0.6


def test_prochaine_and_action_always_win(run: Run, example: Path) -> None:
    ok(run("maj", "martin", "--issue", "gagne", "--prochaine", "10/02/2026", "--action",
           "visite"))
    after = values(example, MARTIN)
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(10, 2), "Visite")
    ok(run("maj", "dupont", "--issue", "injoignable", "--prochaine", "j+7", "--action", "Email"))
    after = values(example, DUPONT)
    assert (after["Prochaine relance"], after["Action prévue"]) == (at(27), "Email")


def test_alerte_aucune_clears_the_alert(run: Run, example: Path) -> None:
    assert values(example, HOTEL)["Alerte"] == "concurrence"
    output = ok(run("maj", "hotel", "--canal", "Tel", "--alerte", "aucune"))
    assert values(example, HOTEL)["Alerte"] is None
    assert "Alerte : concurrence → —" in output


def test_note_is_added_to_the_notes(run: Run, example: Path) -> None:
    ok(run("maj", "tilleuls", "--note", "AG le 12 mars"))
    assert values(example, TILLEULS)["Notes"] == "Décision en assemblée générale\nAG le 12 mars"


def test_after_relances_max_the_action_is_the_decision(run: Run, example: Path) -> None:
    planned = []
    for day in (d(13), d(19), d(26), d(2, 2)):
        ok(run("maj", "martin", "--canal", "Email", today=day))
        row = values(example, MARTIN)
        planned.append((row["Relances faites"], row["Prochaine relance"], row["Action prévue"]))
    assert planned == [
        (1, at(19), "Tel"), (2, at(26), "Email"),
        (3, at(2, 2), "Email"),  # J+21 is Sat 31/01, a week after 26/01 is Mon 02/02
        (4, at(9, 2), "Clôturer ou dernière relance ?"),
    ]


# --------------------------------------------------------------------------- Historique


def test_historique_is_newest_first_and_stays_short(run: Run, example: Path) -> None:
    row, _ = find_row(example, BERNARD)
    book = openpyxl.load_workbook(example)
    old = [f"{day:02d}/12 Tel : échange numéro {day}" + " x" * 30 for day in range(30, 0, -1)]
    book["Suivi"].cell(row=row, column=13).value = "\n".join(old)
    book.save(example)
    ok(run("maj", "bernard", "--canal", "Tel", "--resume", "Appel du 21", today=d(21)))
    ok(run("maj", "bernard", "--canal", "Email", "--resume", "Devis demandé", today=d(22)))
    history = values(example, BERNARD)["Historique interactions"]
    lines = history.split("\n")
    assert lines[:3] == ["22/01 Email : Devis demandé", "21/01 Tel : Appel du 21", old[0]]
    assert len(history) <= 1000
    # The oldest lines go first, whole; the Journal keeps every interaction.
    assert lines[2:] == old[:len(lines) - 2] and len(lines) < len(old) + 2
    assert [e[4] for e in journal(example)[-2:]] == ["Appel du 21", "Devis demandé"]


def test_a_huge_summary_never_exceeds_an_excel_cell(run: Run, example: Path) -> None:
    ok(run("maj", "dupont", "--canal", "Email", "--resume", "é" * 40000))
    history = values(example, DUPONT)["Historique interactions"]
    assert history.startswith("20/01 Email : éé") and len(history) <= 32767
    assert len(journal(example)[-1][4]) <= 32767


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("args", "code", "message"), [
    (("maj", "zzz"), 6, "Aucun prospect ne correspond à « zzz » : vérifiez l'orthographe, ou "
     "cherchez avec relances liste --chercher \"zzz\"."),
    (("maj", "ie"), 6, "« ie » désigne"),
    (("maj", "99"), 6, "Aucun prospect ne correspond à « 99 »"),
    (("maj", "martin", "--date", "31/02/2026"), 2,
     "--date : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA)."),
    (("maj", "martin", "--statut", "Bidule"), 2,
     "--statut : « Bidule » n'est pas un statut connu (Prospect, Devis envoyé, Négociation, "
     "Gagné, Perdu)."),
    (("maj", "martin", "--issue", "peutetre"), 2,
     "--issue : « peutetre » n'est pas une issue connue (injoignable, interesse, rdv, devis, "
     "gagne, perdu)."),
    (("maj", "martin", "--canal", "pigeon"), 2,
     "--canal : « pigeon » n'est pas un canal connu (Email, Tel, RDV, Devis, Visite, Autre)."),
    (("maj", "martin", "--issue", "rdv"), 2,
     "--issue rdv : indiquez la date du rendez-vous avec --prochaine."),
    (("maj", "martin", "--prochaine", "32/01/2026"), 2, "--prochaine : « 32/01/2026 »"),
    (("maj", "martin", "--proba", "beaucoup"), 2, "--proba : « beaucoup »"),
])
def test_bad_input_changes_nothing(run: Run, example: Path, args: tuple[str, ...], code: int,
                                   message: str) -> None:
    before = example.read_bytes()
    result = run(*args)
    text = flat(result.output)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert text.startswith(message), text
    assert text.endswith("."), text
    assert len(result.output.strip().splitlines()) <= 2  # one sentence, wrapped at most once
    assert example.read_bytes() == before
    assert not (example.parent / "sauvegardes").exists() or not any(
        p.suffix == ".xlsx" for p in (example.parent / "sauvegardes").iterdir())


def test_the_ambiguous_name_lists_the_candidates(run: Run, example: Path) -> None:
    ok(run("ajouter", "Martin Frères"))
    before = example.read_bytes()
    result = run("maj", "martin")
    assert result.exit_code == 6
    assert flat(result.output) == (
        "« martin » désigne 2 prospects (1 Martin Menuiserie, 11 Martin Frères) : précisez le "
        "nom ou donnez l'ID.")
    assert example.read_bytes() == before
    # The full name is exact, hence not ambiguous.
    ok(run("maj", "Martin Frères", "--canal", "Email"))


# --------------------------------------------------------------------------- light tracker


def test_maj_on_the_light_tracker_adds_a_journal(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Suivi": [
        LIGHT_HEADERS,
        ("Boulangerie Petit", "06 11 22 33 44", "Devis envoyé", 12000, date(2026, 1, 12),
         date(2026, 1, 15), "Devis ravalement"),
    ]})
    output = ok(run("maj", "petit", "--canal", "Tel", "--resume", "Rappeler après le 1er"))
    assert "Dernier contact : 12/01/2026 → 20/01/2026" in output
    ws = openpyxl.load_workbook(tracker_path)["Suivi"]
    assert [c.value for c in ws[1]] == list(LIGHT_HEADERS)
    row = [c.value for c in ws[2]]
    assert row[:4] == ["Boulangerie Petit", "06 11 22 33 44", "Devis envoyé", 12000]
    assert row[4] == at(20)
    assert isinstance(row[5], datetime) and row[5] > at(20) and row[5].weekday() < 5
    assert row[6] == "Devis ravalement"
    assert ws.max_column == len(LIGHT_HEADERS)
    assert journal(tracker_path) == [
        (at(20), None, "Boulangerie Petit", "Tel", "Rappeler après le 1er", None,
         "Devis envoyé", 0.3, None)]  # no Probabilité column: the status's default


# --------------------------------------------------------------------------- dates typed by hand


def test_a_follow_up_typed_for_a_holiday_moves_to_the_next_working_day(
        run: Run, example: Path) -> None:
    result = run("maj", "martin", "--canal", "Tel", "--prochaine", "25/12/2026")
    assert result.exit_code == 0, result.output
    assert "Prochaine relance : vendredi 25/12 → lundi 28/12 (les relances tombent un jour " \
           "ouvré)." in flat(result.output)
    assert values(example, MARTIN)["Prochaine relance"] == datetime(2026, 12, 28)


def test_an_exchange_cannot_be_dated_in_the_future(run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("maj", "martin", "--date", "21/01/2026"), 2,
                   "--date : le 21/01/2026 est dans le futur : un échange se date du jour où "
                   "il a eu lieu, aujourd'hui (20/01/2026) au plus tard.")
    assert example.read_bytes() == before


def test_an_exchange_more_than_a_year_back_is_refused_in_a_script(
        run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("maj", "martin", "--date", "10/01/2025", "--canal", "Tel"), 2,
                   "--date : le 10/01/2025 remonte à plus d'un an : vérifiez l'année, ou "
                   "lancez la commande dans un terminal pour confirmer.")
    assert example.read_bytes() == before


@pytest.mark.parametrize(("answer", "written"), [("o", True), ("n", False)])
def test_an_exchange_more_than_a_year_back_is_asked_about_on_a_terminal(
        run: Run, example: Path, monkeypatch: pytest.MonkeyPatch, answer: str,
        written: bool) -> None:
    from relances.cli import prospects

    monkeypatch.setattr(prospects, "on_terminal", lambda: True)
    before = example.read_bytes()
    result = run("maj", "martin", "--date", "10/01/2025", "--canal", "Tel",
                 input=f"{answer}\n")
    assert "Le 10/01/2025 remonte à plus d'un an : est-ce bien la date de l'échange ?" in \
        result.output
    if written:
        assert result.exit_code == 0, result.output
        assert values(example, MARTIN)["Dernier contact"] == datetime(2025, 1, 10)
    else:
        assert_refused(result, 2, "Rien n'a été écrit : corrigez la date de l'échange avec "
                                  "--date.")
        assert example.read_bytes() == before


def test_qui_is_a_row_or_words_in_any_order(run: Run, tmp_path: Path) -> None:
    """On a tracker without IDs, two prospects of the same name are told apart by their
    row; words match in any order, accents and punctuation aside."""
    path = make_workbook(tmp_path / "suivi.xlsx", {"Feuil1": [
        LIGHT_HEADERS,
        ("L'Atelier / Déco", "a@deco.fr", "Prospect", 1000, None, None, None),
        ("Boulangerie Petit", "b@petit.fr", "Prospect", 2000, None, None, None),
        ("Boulangerie Petit", "c@petit.fr", "Devis envoyé", 3000, None, None, None),
    ]})
    card = run("voir", "deco atelier", "-f", str(path))
    assert card.exit_code == 0, card.output
    assert "L'Atelier / Déco" in card.output
    ambiguous = run("voir", "petit", "-f", str(path))
    assert ambiguous.exit_code == 6
    assert flat(ambiguous.output) == (
        "« petit » désigne 2 prospects (ligne 3 Boulangerie Petit, ligne 4 Boulangerie Petit) "
        ": précisez le nom ou donnez la ligne (« ligne 3 »).")
    for qui in ("ligne 4", "L4", "l 4"):
        card = run("voir", qui, "-f", str(path))
        assert card.exit_code == 0, (qui, card.output)
        assert "c@petit.fr" in card.output


def test_a_tracker_without_counts_and_probabilities_still_follows_the_cadence(
        run: Run, tmp_path: Path) -> None:
    """No Relances faites column: the Journal's lines are the count (three follow-ups
    done, the fourth step comes next); no Probabilité column: each status's default."""
    path = make_workbook(tmp_path / "suivi.xlsx", {"Suivi": [
        LIGHT_HEADERS, ("Martin", "m@x.fr", "Prospect", 8000, datetime(2026, 1, 5), None, None)]})
    for day in ("06/01/2026", "08/01/2026", "12/01/2026"):
        assert run("maj", "martin", "--canal", "Email", "--date", day, "-f", str(path)) \
            .exit_code == 0
    card = json.loads(run("voir", "martin", "--json", "-f", str(path)).stdout)
    assert (card["relances_faites"], card["probabilite"]) == (3, 0.1)
    assert card["prochaine_relance"] == "2026-02-11"  # step 4: J+30 after the 12/01 exchange
    week = run("semaine", "--json", "-f", str(path))
    assert json.loads(week.stdout)["stats"]["ca_pondere"] == 800
    assert week.stderr.count("pas de colonne Probabilité") == 1
