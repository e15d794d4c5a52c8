"""`relances semaine` and the bare `relances` through the real CLI: the Monday routine's
sections, their boundary days, the order of À faire, the step and advice of each line,
the statistics, the JSON, the thresholds read from Paramètres and the two-line summary.

One workbook holds every case; its dates are relative to the frozen today (20/01/2026).
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import STORY_DAY, Run, assert_refused, flat, set_setting
from typer.testing import CliRunner

from relances.cli import app

TODAY = STORY_DAY

ROWS: tuple[tuple[Any, ...], ...] = (
    # name, status, amount, probability, last contact, next follow-up (days from today),
    # action, owner, status since, follow-ups done
    ("Retard Hier", "Devis envoyé", 1000, 0.4, -3, -1, "Tel", "Claire", -10, 1),
    ("Jour Même", "Prospect", 2000, 0.2, -2, 0, "Email", "claire", -2, 0),
    ("Sept Jours", "Devis envoyé", 3000, 0.5, -5, 7, "Email", "Hélène", -5, 0),
    ("Huit Jours", "Négociation", 4000, 0.5, -5, 8, "Tel", "HELENE ", -5, 0),
    ("Chaud Tardif", "Négociation", 1000, 0.8, -2, 5, "RDV", None, -20, 0),
    ("Chaud Juste", "Devis envoyé", 500, 0.7, -2, 4, "Tel", None, -10, 1),
    ("Presque Chaud", "Devis envoyé", 100, 0.69, -2, 1, "Email", None, -10, 1),
    ("Gros Poisson", "Devis envoyé", 10000, 0.5, -3, 3, "Email", None, -10, 1),
    ("Petit Poisson", "Devis envoyé", 1000, 0.5, -3, 3, "Email", None, -10, 1),
    ("Cadence Épuisée", "Devis envoyé", 800, 0.3, -7, 2, "Email", None, -40, 4),
    ("Sans Date", "Prospect", 600.5, 0.1, -10, None, None, None, -10, 0),
    ("Contact J-14", "Prospect", 700, 0.4, -14, 14, "Tel", None, -14, 0),
    ("Contact J-30", "Prospect", 700, 0.4, -30, 20, "Tel", None, -30, 0),
    ("Contact J-31", "Prospect", 700, 0.4, -31, 20, "Tel", None, -31, 0),
    ("Contact J-60", "Prospect", 700, 0.1, -60, 20, "Tel", None, -60, 0),
    ("Contact J-61 29", "Prospect", 700, 0.29, -61, 20, "Tel", None, -61, 0),
    ("Contact J-61 30", "Prospect", 700, 0.3, -61, 20, "Tel", None, -61, 0),
    # Closed deals: a satisfaction follow-up this week and an overdue reactivation,
    # a 100 % probability and 100+ days of silence, yet in no section.
    ("Gagné Client", "Gagné", 5000, 1.0, -100, 2, "Email", "Claire", -100, 0),
    ("Perdu Client", "Perdu", 3000, 0.0, -120, -5, "Email", None, -120, 0),
)
NAMES = [row[0] for row in ROWS]


def at(days: int) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), datetime.min.time())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """init, then the rows typed into Suivi as a person would: built once, copied per test."""
    path = tmp_path_factory.mktemp("semaine") / "relances-clients.xlsx"
    result = CliRunner().invoke(app, ["init", "--fichier", str(path)],
                                env={"RELANCES_AUJOURDHUI": TODAY.isoformat()})
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    headers = [c.value for c in ws[1]]
    for number, (name, status, amount, probability, last, following, action, owner, since,
                 done) in enumerate(ROWS, start=1):
        values = {
            "ID": number, "Nom Client/Prospect": name, "Statut": status,
            "Montant estimé (€)": amount, "Probabilité (%)": probability,
            "Première interaction": at(since), "Dernier contact": at(last),
            "Prochaine relance": None if following is None else at(following),
            "Action prévue": action, "Responsable": owner, "Statut depuis": at(since),
            "Relances faites": done,
        }
        for header, value in values.items():
            ws.cell(row=number + 1, column=headers.index(header) + 1, value=value)
    book.save(path)
    return path


@pytest.fixture
def tracker(built: Path, tracker_path: Path) -> Path:
    shutil.copy(built, tracker_path)
    return tracker_path


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


SECTIONS = ("En retard", "À faire", "Clients", "Sans date", "Prospects chauds", "Dormants",
            "Zombies", "Statistiques")
_LINE = re.compile(r"\s*(\d+)  (\S.*?)(?:  |$)")


def sections(output: str) -> dict[str, list[str]]:
    """Each section's prospect names, in the order printed; [] for an empty section."""
    found: dict[str, list[str]] = {}
    for block in output.split("\n\n"):
        title, *lines = block.strip("\n").splitlines()
        (key,) = [s for s in SECTIONS if title.startswith(s)] or [None]
        if key is None:
            continue
        names = []
        for line in lines[1:] if lines and lines[0].startswith("ID") else []:
            match = _LINE.match(line)
            assert match, line
            names.append(match.group(2))
        found[key] = names
    assert set(found) == set(SECTIONS), found.keys()
    return found


def line_of(output: str, name: str, section: str) -> str:
    """The flattened line of a prospect within one section."""
    for block in output.split("\n\n"):
        if block.strip("\n").startswith(section):
            for line in block.splitlines():
                match = _LINE.match(line)
                if match and match.group(2) == name:
                    return flat(line)
    raise AssertionError(f"{name} not in {section}")


def week_json(run: Run, *args: str, today: date | None = None) -> dict[str, Any]:
    return json.loads(ok(run("semaine", "--json", *args, today=today)))


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["nom"] for i in items]


# --------------------------------------------------------------------------- sections


EXPECTED = {
    # Yesterday is overdue; the closed deals' overdue dates are not.
    "En retard": ["Retard Hier"],
    # Hot (≥ 70 %) first by date, then by date, then the bigger weighted amount;
    # today is in, exactly 7 days ahead is in, 8 days ahead is out.
    "À faire": ["Chaud Juste", "Chaud Tardif", "Jour Même", "Presque Chaud",
                "Cadence Épuisée", "Gros Poisson", "Petit Poisson", "Sept Jours"],
    # The closed deals' follow-ups, late or not, by date: a reactivation, a satisfaction call.
    "Clients": ["Perdu Client", "Gagné Client"],
    "Sans date": ["Sans Date"],
    # 70 % exactly is hot, 69 % is not; the won deal's 100 % is not listed.
    "Prospects chauds": ["Chaud Tardif", "Chaud Juste"],
    # 30 days is not dormant, 31 is; 60 days at 10 % and 61 days at 30 % are dormant,
    # not zombies; the zombie is not also listed here. Longest silence first.
    "Dormants": ["Contact J-61 30", "Contact J-60", "Contact J-31"],
    "Zombies": ["Contact J-61 29"],
    "Statistiques": [],
}


def test_each_prospect_lands_in_its_sections(run: Run, tracker: Path) -> None:
    output = ok(run("semaine"))
    assert output.startswith("Semaine du 20/01/2026 au 27/01/2026\n")
    assert sections(output) == EXPECTED
    text = flat(output)
    assert "Clients : satisfaction, fidélisation, réactivation (2)" in text
    # Their lateness is not the deals': the statistics count the open deals' follow-ups.
    assert "Relances à faire sur la période : 8 (+ 1 en retard)" in text
    assert "Prospects chauds (≥ 70 %)" in text
    assert "Dormants (plus de 30 jours sans contact)" in text
    assert "Zombies (plus de 60 jours, probabilité sous 30 %)" in text
    assert "relances planifier" in text


def test_json_has_the_same_sections(run: Run, tracker: Path) -> None:
    data = week_json(run)
    assert data["periode"] == {"debut": "2026-01-20", "fin": "2026-01-27"}
    keys = {"en_retard": "En retard", "a_faire": "À faire", "clients": "Clients",
            "sans_date": "Sans date",
            "chauds": "Prospects chauds", "dormants": "Dormants", "zombies": "Zombies"}
    for key, section in keys.items():
        assert names(data[key]) == EXPECTED[section], key


def test_json_keys_and_types(run: Run, tracker: Path) -> None:
    data = week_json(run)
    assert {"periode", "en_retard", "a_faire", "clients", "sans_date", "chauds", "dormants",
            "zombies", "stats"} <= set(data)
    items = [i for key in ("en_retard", "a_faire", "clients", "sans_date", "chauds",
                           "dormants", "zombies") for i in data[key]]
    required = {"id", "nom", "statut", "prochaine_relance", "action", "probabilite",
                "montant", "jours_sans_contact"}
    for item in items:
        assert required <= set(item), item
        assert type(item["id"]) is int and type(item["nom"]) is str
        assert type(item["statut"]) is str
        assert item["prochaine_relance"] is None or date.fromisoformat(
            item["prochaine_relance"])
        assert item["action"] is None or type(item["action"]) is str
        assert type(item["probabilite"]) is float
        assert type(item["montant"]) in (int, float)
        assert type(item["jours_sans_contact"]) is int
    (late,) = data["en_retard"]
    assert {k: late[k] for k in required} == {
        "id": 1, "nom": "Retard Hier", "statut": "Devis envoyé",
        "prochaine_relance": "2026-01-19", "action": "Tel", "probabilite": 0.4,
        "montant": 1000, "jours_sans_contact": 3}
    (undated,) = data["sans_date"]
    assert (undated["prochaine_relance"], undated["action"], undated["montant"]) == (
        None, None, 600.5)
    stats = data["stats"]
    assert {"actifs", "ca_pondere", "gagnes", "total", "taux_conversion",
            "relances_semaine"} <= set(stats)
    for key in ("actifs", "gagnes", "total", "relances_semaine"):
        assert type(stats[key]) is int, key
    assert type(stats["ca_pondere"]) in (int, float)
    assert type(stats["taux_conversion"]) is float


def test_statistics_are_exact(run: Run, tracker: Path) -> None:
    # 17 active rows; Σ amount × probability worked out row by row:
    # 400 + 400 + 1500 + 2000 + 800 + 350 + 69 + 5000 + 500 + 240 + 60.05
    # + 280 × 3 + 70 + 203 + 210 = 12 642.05
    stats = week_json(run)["stats"]
    assert stats["actifs"] == 17
    assert stats["ca_pondere"] == 12642.05
    assert (stats["gagnes"], stats["total"]) == (1, 19)
    assert stats["taux_conversion"] == pytest.approx(1 / 19)
    assert stats["relances_semaine"] == 8
    text = flat(ok(run("semaine")))
    assert "Prospects actifs : 17" in text
    assert "CA pondéré (Σ montant × probabilité) : 12 642" in text
    assert "Affaires gagnées : 1 sur 19 prospects" in text
    assert "Taux de conversion (gagnés / total) : 5,3 %" in text
    assert "Relances à faire sur la période : 8 (+ 1 en retard)" in text


def test_each_line_shows_action_step_advice_amount_probability_and_silence(
        run: Run, tracker: Path) -> None:
    output = ok(run("semaine"))
    # Devis envoyé since J-10, one follow-up done: step 2 of 4 (J+7 Tel).
    assert line_of(output, "Retard Hier", "En retard") == (
        "1 Retard Hier 19/01 Tel relance 2/4 1 000 € 40 % 3 j Appeler si pas de réponse")
    assert line_of(output, "Jour Même", "À faire") == (
        "2 Jour Même 20/01 Email relance 1/4 2 000 € 20 % 2 j "
        "Remercier et récapituler les besoins")
    # Four follow-ups done out of four: no fifth, the user decides.
    assert line_of(output, "Cadence Épuisée", "À faire") == (
        "10 Cadence Épuisée 22/01 Email à décider 800 € 30 % 7 j "
        "Clôturer ou tenter une dernière relance personnalisée")
    assert line_of(output, "Chaud Tardif", "À faire").startswith(
        "5 Chaud Tardif 25/01 RDV relance 1/4 1 000 € 80 % 2 j Faire le point sans harceler")
    data = week_json(run)
    by_name = {i["nom"]: i for i in data["a_faire"]}
    assert (by_name["Gros Poisson"]["etape"], by_name["Gros Poisson"]["conseil"]) == (
        "relance 2/4", "Appeler si pas de réponse")
    assert by_name["Cadence Épuisée"]["etape"] == "à décider"


def test_a_typed_decision_action_is_to_decide(run: Run, tracker: Path) -> None:
    book = openpyxl.load_workbook(tracker)
    ws = book["Suivi"]
    ws.cell(row=3, column=12, value="Clôturer ou dernière relance ?")  # Jour Même's action
    book.save(tracker)
    (item,) = [i for i in week_json(run)["a_faire"] if i["nom"] == "Jour Même"]
    assert item["etape"] == "à décider"


def test_a_later_day_moves_every_boundary(run: Run, tracker: Path) -> None:
    """Dates are relative: one day later, today's follow-up is overdue, 8 days ahead is in,
    30 days of silence become 31 (dormant) and 60 at 10 % become 61 (zombie)."""
    output = ok(run("semaine", today=TODAY + timedelta(days=1)))
    found = sections(output)
    assert found["En retard"] == ["Retard Hier", "Jour Même"]
    assert found["À faire"][-2:] == ["Sept Jours", "Huit Jours"]
    assert "Jour Même" not in found["À faire"]
    assert found["Dormants"] == ["Contact J-61 30", "Contact J-31", "Contact J-30"]
    assert found["Zombies"] == ["Contact J-61 29", "Contact J-60"]
    assert output.startswith("Semaine du 21/01/2026 au 28/01/2026")


def test_jours_widens_or_narrows_the_period(run: Run, tracker: Path) -> None:
    data = week_json(run, "--jours", "14")
    assert data["periode"] == {"debut": "2026-01-20", "fin": "2026-02-03"}
    # 8 days ahead and exactly 14 days ahead are now in; 20 days ahead is not.
    assert names(data["a_faire"])[-3:] == ["Sept Jours", "Huit Jours", "Contact J-14"]
    assert data["stats"]["relances_semaine"] == 10
    today_only = week_json(run, "--jours", "0")
    assert names(today_only["a_faire"]) == ["Jour Même"]
    assert today_only["stats"]["relances_semaine"] == 1
    assert "au 03/02/2026" in ok(run("semaine", "--jours", "14")).splitlines()[0]


def test_negative_jours_is_refused(run: Run, tracker: Path) -> None:
    assert_refused(run("semaine", "--jours", "-1"), 2, "--jours", "positif")


@pytest.mark.parametrize("who", ["claire", "CLAIRE", " Claire "])
def test_responsable_ignores_case_and_spaces(run: Run, tracker: Path, who: str) -> None:
    data = week_json(run, "--responsable", who)
    assert names(data["en_retard"]) == ["Retard Hier"]
    assert names(data["a_faire"]) == ["Jour Même"]
    for key in ("sans_date", "chauds", "dormants", "zombies"):
        assert data[key] == [], key
    # Claire's three rows, one of them won: 400 + 400 weighted on the two active ones.
    assert data["stats"] == {**data["stats"], "actifs": 2, "ca_pondere": 800, "gagnes": 1,
                             "total": 3, "relances_semaine": 1}
    assert data["stats"]["taux_conversion"] == pytest.approx(1 / 3)


def test_responsable_ignores_accents(run: Run, tracker: Path) -> None:
    data = week_json(run, "--responsable", "helene", "--jours", "8")
    assert names(data["a_faire"]) == ["Sept Jours", "Huit Jours"]
    output = ok(run("semaine", "--responsable", "Hélène"))
    found = sections(output)
    assert found["À faire"] == ["Sept Jours"]
    assert found["En retard"] == []
    assert "Prospects actifs : 2" in flat(output)


def test_empty_sections_say_so_in_one_line(run: Run, tracker: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a narrow window: piped lines are never wrapped
    output = ok(run("semaine", "--responsable", "personne"))
    lines = output.splitlines()
    for expected in (
            "En retard : aucune relance en retard.",
            "À faire : rien de prévu sur la période.",
            "Sans date : tous les prospects actifs ont une prochaine relance.",
            "Prospects chauds (≥ 70 %) : à traiter en début de semaine : aucun prospect chaud.",
            "Dormants (plus de 30 jours sans contact) : relancer ou abandonner : aucun "
            "prospect dormant.",
            "Zombies (plus de 60 jours, probabilité sous 30 %) : dernière réactivation ou "
            "Perdu (relances planifier) : aucun zombie."):
        assert expected in [flat(line) for line in lines], expected
    text = flat(output)
    assert "Affaires gagnées : 0 sur 0 prospects" in text
    assert "Taux de conversion (gagnés / total) : —" in text
    data = week_json(run, "--responsable", "personne")
    assert data["stats"]["taux_conversion"] is None
    assert data["stats"]["ca_pondere"] == 0


def test_a_fresh_workbook_prints_every_section_empty(run: Run, tracker_path: Path) -> None:
    ok(run("init"))
    found = sections(ok(run("semaine")))
    assert all(names == [] for names in found.values())
    assert week_json(run)["stats"]["total"] == 0


# --------------------------------------------------------------------------- Paramètres


def test_hot_threshold_comes_from_parametres(run: Run, tracker: Path) -> None:
    set_setting(tracker, "Prospect chaud à partir de", 0.5)
    output = ok(run("semaine"))
    found = sections(output)
    assert found["Prospects chauds"] == ["Chaud Tardif", "Chaud Juste", "Presque Chaud",
                                         "Gros Poisson", "Petit Poisson", "Sept Jours",
                                         "Huit Jours"]
    # Now ≥ 50 % comes first in À faire, by date then weighted amount.
    assert found["À faire"] == ["Presque Chaud", "Gros Poisson", "Petit Poisson",
                                "Chaud Juste", "Chaud Tardif", "Sept Jours", "Jour Même",
                                "Cadence Épuisée"]
    assert "Prospects chauds (≥ 50 %)" in flat(output)


def test_dormant_and_zombie_thresholds_come_from_parametres(run: Run, tracker: Path) -> None:
    set_setting(tracker, "Dormant après (jours sans contact)", 10)
    set_setting(tracker, "Zombie après (jours sans contact)", 59)
    set_setting(tracker, "Zombie si probabilité inférieure à", 0.35)
    output = ok(run("semaine"))
    found = sections(output)
    # 10 days exactly is not dormant, 14 is; zombies leave Dormants.
    assert found["Dormants"] == ["Contact J-31", "Contact J-30", "Contact J-14"]
    assert found["Zombies"] == ["Contact J-61 29", "Contact J-61 30", "Contact J-60"]
    text = flat(output)
    assert "Dormants (plus de 10 jours sans contact)" in text
    assert "Zombies (plus de 59 jours, probabilité sous 35 %)" in text


def test_max_followups_comes_from_parametres(run: Run, tracker: Path) -> None:
    set_setting(tracker, "Relances max par statut", 2)
    by_name = {i["nom"]: i for i in week_json(run)["a_faire"]}
    assert by_name["Gros Poisson"]["etape"] == "relance 2/2"
    assert by_name["Jour Même"]["etape"] == "relance 1/2"
    set_setting(tracker, "Relances max par statut", 1)
    by_name = {i["nom"]: i for i in week_json(run)["a_faire"]}
    assert by_name["Gros Poisson"]["etape"] == "à décider"
    assert by_name["Jour Même"]["etape"] == "relance 1/1"


# --------------------------------------------------------------------------- relances


def test_bare_relances_prints_the_two_line_summary(run: Run, tracker: Path) -> None:
    output = ok(run())
    assert output.splitlines()[0] == "1 relance(s) en retard, 8 cette semaine."
    assert "relances semaine" in output.splitlines()[1]
    later = ok(run(today=TODAY + timedelta(days=1)))
    assert later.splitlines()[0] == "2 relance(s) en retard, 8 cette semaine."


def test_options_before_the_command_apply_to_it(run: Run, tracker: Path) -> None:
    """`relances -f autre.xlsx semaine` reads autre.xlsx, not the default workbook."""
    other = tracker.with_name("autre.xlsx")
    tracker.rename(other)
    data = json.loads(ok(run("--fichier", str(other), "--aujourdhui", "21/01/2026",
                             "semaine", "--json")))
    assert data["periode"]["debut"] == "2026-01-21"
    assert data["stats"]["total"] == 19
    assert ok(run("-f", str(other))).startswith("1 relance(s) en retard")


def test_bare_relances_without_workbook_says_so(run: Run) -> None:
    message = assert_refused(run(), 3, "« relances-clients.xlsx » n'existe pas",
                             "relances init")
    assert message.endswith(".") and ". " not in message  # one sentence
    assert_refused(run("semaine"), 3, "n'existe pas")


def test_bare_relances_on_a_file_that_is_not_a_workbook(run: Run, tracker_path: Path) -> None:
    tracker_path.write_text("pas un classeur")
    assert_refused(run(), 3, "n'est pas un classeur Excel")
