"""`relances agenda`: the period's follow-ups as an .ics file that calendars import cleanly.

On the example workbook, today Tuesday 20/01/2026: Tilleuls (12/01) and Martin (13/01)
are overdue, Hôtel du Lac and Mme Bernard are due on 21/01, Leroy on 22/01, Dupont on
30/01; SCI Fontaine has no date; the won and lost deals are out of the pipeline.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import STORY_DAY, Run, assert_refused, flat, set_setting
from icalendar import Calendar

from relances.outputs.agenda import AgendaEvent, calendar_bytes

WEEK_FILE = "relances-semaine-04.ics"
THE_WEEK = {
    "Relance Tel — Copropriété Les Tilleuls": datetime(2026, 1, 20, 9, 0),
    "Relance Email — Martin Menuiserie": datetime(2026, 1, 20, 9, 15),
    "Relance Tel — Hôtel du Lac": datetime(2026, 1, 21, 9, 0),
    "Relance Email — Mme Bernard": datetime(2026, 1, 21, 9, 15),
    "Relance RDV — Cabinet Leroy Architectes": datetime(2026, 1, 22, 9, 0),
    # The won clients' satisfaction calls, as semaine lists them under Clients.
    "Relance Tel — Restaurant Chez Nous": datetime(2026, 1, 23, 9, 0),
    "Relance Tel — Boulangerie Petit": datetime(2026, 1, 27, 9, 0),
}



def export(run: Run, *args: str, today: date | None = None,
           name: str = WEEK_FILE) -> tuple[Calendar, str]:
    result = run("agenda", *args, today=today)
    assert result.exit_code == 0, result.output
    return Calendar.from_ical(Path(name).read_bytes()), flat(result.output)


def by_summary(calendar: Calendar) -> dict[str, Any]:
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(calendar.walk("VEVENT")), "deux événements de même titre"
    return events


def local(event: Any) -> datetime:
    return event.start.replace(tzinfo=None)


def test_one_event_per_follow_up_of_the_week_with_the_overdue_ones_today(
        run: Run, example: Path) -> None:
    calendar, output = export(run)
    events = by_summary(calendar)
    assert {name: local(e) for name, e in events.items()} == THE_WEEK
    assert output == (
        f"7 événement(s) écrit(s) dans {WEEK_FILE} : 7 relance(s) du 20/01/2026 au "
        "27/01/2026, dont 2 en retard placée(s) aujourd'hui. Importez ce fichier dans votre "
        "agenda (Outlook, Google Agenda, Calendrier d'Apple) : importé de nouveau, il met à "
        "jour les mêmes événements sans doublon.")
    assert (example.parent / WEEK_FILE).exists()
    for event in events.values():
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
        assert str(event.start.tzinfo) == "Europe/Paris"
        assert event.duration == timedelta(minutes=15)
        assert event["DTSTAMP"].dt == datetime(2026, 1, 20, 0, 0, tzinfo=event["DTSTAMP"].dt.tzinfo)
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
        assert "RRULE" not in event
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert calendar["VERSION"] == "2.0"
    assert "relances" in calendar["PRODID"]


def test_description_holds_what_the_call_needs(run: Run, example: Path) -> None:
    events = by_summary(export(run)[0])
    assert str(events["Relance Email — Martin Menuiserie"]["DESCRIPTION"]).splitlines() == [
        "En retard : prévue le 13/01/2026.",
        "Statut : Devis envoyé (relance 1/4)",
        "Projet : Rénovation atelier 15 fenêtres",
        "Contact : M. Martin — m.martin@email.fr / 06 12 34 56 78",
        "Montant estimé : 8\u00a0500\u00a0€ (probabilité 50\u00a0%)",
        "Conseil : Demander si le devis a pu être consulté",
        "Dernier échange : 10/01 Devis : devis envoyé, pas de réponse depuis",
        "Responsable : Claire",
        "Après l'échange : relances maj 1",
    ]
    hotel = str(events["Relance Tel — Hôtel du Lac"]["DESCRIPTION"])
    assert "En retard" not in hotel
    assert "Alerte : concurrence" in hotel.splitlines()
    assert "Conseil : Faire le point sans harceler ; proposer un RDV en cas de blocage" in hotel


def test_every_event_has_a_display_alarm_15_minutes_before(run: Run, example: Path) -> None:
    calendar, _ = export(run, "--routine")
    for event in calendar.walk("VEVENT"):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["ACTION"] == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == timedelta(minutes=-15)
        assert str(alarms[0]["DESCRIPTION"]) == str(event["SUMMARY"])


def test_uids_are_stable_across_runs_and_differ_between_prospects_and_dates(
        run: Run, example: Path) -> None:
    def uids(*args: str, today: date | None = None) -> dict[str, str]:
        calendar, _ = export(run, *args, today=today)
        return {name: str(e["UID"]) for name, e in by_summary(calendar).items()}

    first = uids("--routine")
    assert uids("--routine") == first
    assert len(set(first.values())) == len(first) == 9
    assert all(uid.endswith("@relances") for uid in first.values())
    # Tomorrow the overdue ones move to tomorrow: same planned date in the workbook, same UID.
    tomorrow = uids("--routine", today=date(2026, 1, 21))
    assert {k: tomorrow[k] for k in first} == first
    # A new planned date is a new follow-up; the other prospects keep theirs.
    moved = run("maj", "martin", "--canal", "Email", "--prochaine", "23/01/2026",
                "--action", "Email")
    assert moved.exit_code == 0, moved.output
    after = uids("--routine")
    martin = "Relance Email — Martin Menuiserie"
    assert after[martin] != first[martin]
    assert {k: v for k, v in after.items() if k != martin} == \
        {k: v for k, v in first.items() if k != martin}


def test_sequence_grows_with_today(run: Run, example: Path) -> None:
    def sequence(today: date) -> int:
        calendar, _ = export(run, "--sortie", "agenda.ics", today=today, name="agenda.ics")
        return int(calendar.walk("VEVENT")[0]["SEQUENCE"])

    assert sequence(date(2026, 1, 21)) == sequence(STORY_DAY) + 1


@pytest.mark.parametrize(("days", "dupont"), [(9, False), (10, True)])
def test_jours_sets_the_period_last_day_included(run: Run, example: Path, days: int,
                                                 dupont: bool) -> None:
    calendar, output = export(run, "--jours", str(days))
    events = by_summary(calendar)
    assert ("Relance Tel — Société Dupont SAS" in events) is dupont
    if dupont:
        assert local(events["Relance Tel — Société Dupont SAS"]) == datetime(2026, 1, 30, 9)
    end = STORY_DAY + timedelta(days=days)
    assert f"au {end:%d/%m/%Y}" in output


def test_jours_zero_keeps_today_and_the_overdue(run: Run, example: Path) -> None:
    events = by_summary(export(run, "--jours", "0")[0])
    assert set(events) == {"Relance Tel — Copropriété Les Tilleuls",
                           "Relance Email — Martin Menuiserie"}


def test_no_date_is_absent_and_the_clients_calls_are_there(run: Run, example: Path) -> None:
    events = by_summary(export(run, "--jours", "60")[0])
    names = " ".join(events)
    assert "SCI Fontaine" not in names  # nothing planned
    assert "Boulangerie Petit" in names and "Restaurant Chez Nous" in names  # Gagné
    assert local(events["Relance Email — Garage Moreau"]) == datetime(2026, 3, 18, 9, 0)
    assert "Garage Moreau" not in " ".join(by_summary(export(run)[0]))  # Perdu, later


def test_routine_adds_the_two_weekly_blocks(run: Run, example: Path) -> None:
    calendar, output = export(run, "--routine")
    events = by_summary(calendar)
    assert len(events) == 9
    monday, friday = events["Mise à jour du suivi"], events["Revue de la semaine"]
    assert local(monday) == datetime(2026, 1, 26, 9, 0)  # the next Monday
    assert monday.duration == timedelta(minutes=15)
    assert local(friday) == datetime(2026, 1, 23, 17, 0)  # this week's Friday
    assert friday.duration == timedelta(minutes=30)
    for event, day in ((monday, "MO"), (friday, "FR")):
        rule = event["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == [day]
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "relances maj" in str(monday["DESCRIPTION"])
    assert "9 événement(s)" in output
    assert "+ 2 rendez-vous hebdomadaires (lundi 9 h, vendredi 17 h)" in output


def test_routine_on_a_monday_starts_today(run: Run, example: Path) -> None:
    events = by_summary(export(run, "--routine", today=date(2026, 1, 26),
                               name="relances-semaine-05.ics")[0])
    assert local(events["Mise à jour du suivi"]) == datetime(2026, 1, 26, 9, 0)
    assert local(events["Revue de la semaine"]) == datetime(2026, 1, 30, 17, 0)


def test_overdue_on_a_weekend_go_to_the_next_working_day(run: Run, example: Path) -> None:
    saturday = date(2026, 1, 24)
    calendar, output = export(run, today=saturday)
    events = by_summary(calendar)
    overdue = ["Relance Tel — Copropriété Les Tilleuls", "Relance Email — Martin Menuiserie",
               "Relance Tel — Hôtel du Lac", "Relance Email — Mme Bernard",
               "Relance RDV — Cabinet Leroy Architectes", "Relance Tel — Restaurant Chez Nous"]
    assert [local(events[name]) for name in overdue] == [
        datetime(2026, 1, 26, 9, 0) + timedelta(minutes=15 * n) for n in range(6)]
    # Boulangerie Petit's call is not late on Saturday: it keeps its own day.
    assert local(events["Relance Tel — Boulangerie Petit"]) == datetime(2026, 1, 27, 9, 0)
    assert local(events["Relance Tel — Société Dupont SAS"]) == datetime(2026, 1, 30, 9, 0)
    assert "dont 6 en retard placée(s) le 26/01/2026" in output


def test_agenda_time_comes_from_parametres(run: Run, example: Path) -> None:
    set_setting(example, "Heure des relances", "14h30")
    events = by_summary(export(run)[0])
    assert local(events["Relance Tel — Copropriété Les Tilleuls"]) == datetime(2026, 1, 20, 14, 30)
    assert local(events["Relance Email — Martin Menuiserie"]) == datetime(2026, 1, 20, 14, 45)


@pytest.mark.parametrize(("country", "zone"), [
    ("BE", "Europe/Brussels"), ("CH", "Europe/Zurich"), ("LU", "Europe/Luxembourg"),
    ("CA", "America/Toronto"),
])
def test_country_gives_the_time_zone(run: Run, example: Path, country: str, zone: str) -> None:
    set_setting(example, "Pays (jours fériés)", country)
    calendar, _ = export(run, "--routine")
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == zone
        assert str(event.start.tzinfo) == zone
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    martin = by_summary(calendar)["Relance Email — Martin Menuiserie"]
    assert local(martin) == datetime(2026, 1, 20, 9, 15)


@pytest.mark.parametrize(("country", "winter", "summer"), [("FR", 1, 2), ("CA", -5, -4)])
def test_time_zone_is_written_as_yearly_rules_as_outlook_expects(
        run: Run, example: Path, country: str, winter: int, summer: int) -> None:
    set_setting(example, "Pays (jours fériés)", country)
    calendar, _ = export(run, "--routine")
    (timezone,) = calendar.timezones
    assert "RDATE" not in timezone.to_ical().decode()
    assert [part["RRULE"]["FREQ"] for part in timezone.walk("DAYLIGHT")] == [["YEARLY"]]
    assert [part["RRULE"]["FREQ"] for part in timezone.walk("STANDARD")] == [["YEARLY"]]
    zone = timezone.to_tz(lookup_tzid=False)  # the file's own definition, not the tz database
    # The Monday block recurs across the change to summer time and back.
    for day, hours in ((date(2026, 1, 26), winter), (date(2026, 4, 6), summer),
                       (date(2026, 11, 9), winter), (date(2028, 7, 3), summer)):
        assert datetime.combine(day, time(9), zone).utcoffset() == timedelta(hours=hours)


def test_rules_that_no_longer_hold_give_way_to_the_tz_database() -> None:
    # In 1990 European summer time ended on the last Sunday of September, not October.
    event = AgendaEvent("x@relances", "Relance Tel — X", "", datetime(1990, 10, 1, 9), 15)
    data = calendar_bytes([event], "Europe/Paris", date(1990, 10, 1))
    (timezone,) = Calendar.from_ical(data).timezones
    assert timezone["TZID"] == "Europe/Paris"
    assert "RRULE" not in timezone.to_ical().decode()
    zone = timezone.to_tz(lookup_tzid=False)
    assert datetime(1990, 10, 1, 9, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(1991, 9, 28, 9, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert datetime(1991, 10, 5, 9, tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_sortie_names_the_file_and_replaces_it(run: Run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "agendas" / "semaine.ics"
    target.parent.mkdir()
    target.write_text("ancien export")
    calendar, output = export(run, "--sortie", str(target), name=str(target))
    assert len(calendar.walk("VEVENT")) == 7
    assert f"écrit(s) dans {target} :" in output
    assert not (tmp_path / WEEK_FILE).exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["semaine.ics"]  # no temp left


def test_sortie_into_a_folder_or_without_extension(run: Run, example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    export(run, "--sortie", str(folder), name=str(folder / WEEK_FILE))
    export(run, "--sortie", "agenda", name="agenda.ics")


def test_sortie_into_a_missing_folder_is_refused(run: Run, example: Path) -> None:
    result = run("agenda", "--sortie", "absent/agenda.ics")
    assert flat(result.output) == (
        "--sortie : le dossier « absent » n'existe pas : créez-le ou choisissez un autre "
        "dossier.")
    assert_refused(result, 2)


@pytest.mark.parametrize("name", ["relances-clients.xlsx", "agenda.txt"])
def test_sortie_must_be_an_ics_file(run: Run, example: Path, name: str) -> None:
    before = example.read_bytes()
    result = run("agenda", "--sortie", name)
    assert flat(result.output) == (
        f"--sortie : « {name} » doit être un fichier .ics (il est remplacé à chaque export) : "
        "par exemple --sortie agenda.ics.")
    assert_refused(result, 2)
    assert example.read_bytes() == before


def test_the_workbook_is_only_read(run: Run, example: Path) -> None:
    before = example.read_bytes()
    export(run, "--routine", "--jours", "30")
    assert example.read_bytes() == before
    assert not (example.parent / "sauvegardes").exists()


def test_nothing_planned_writes_no_file_unless_routine(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    result = run("agenda")
    assert result.exit_code == 0, result.output
    assert flat(result.output) == \
        "Aucune relance du 20/01/2026 au 27/01/2026 : aucun fichier écrit."
    assert not Path(WEEK_FILE).exists()
    calendar, output = export(run, "--routine")
    assert set(by_summary(calendar)) == {"Mise à jour du suivi", "Revue de la semaine"}
    assert output.startswith("2 événement(s) écrit(s) dans relances-semaine-04.ics : 0 relance(s)")


def test_negative_jours_and_missing_workbook_are_refused(run: Run, example: Path) -> None:
    assert_refused(run("agenda", "--jours", "-1"), 2,
                   "--jours : « -1 » doit être un nombre de jours positif.")
    example.unlink()
    result = run("agenda")
    assert result.exit_code != 0
    assert "relances-clients.xlsx" in flat(result.output)
    assert not Path(WEEK_FILE).exists()
