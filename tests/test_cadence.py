"""The cadence engine, pure: every default rule, spacing after a late follow-up, weekends
and public holidays of two countries, Relances max, rules edited by the user.

The engine is called directly with relances.core.model objects and a WorkCalendar; a few
tests at the end go through the CLI to see the same rules read from Règles and
Paramètres (`regles`, `verifier`, `ajouter --depuis`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import Run
from hypothesis import given, settings
from hypothesis import strategies as st

from relances.core import schema
from relances.core.cadence import DECISION, is_dead, is_zombie, next_step, record, retry, steps_for
from relances.core.model import Event, Outcome, Prospect, Rule, Settings, Status
from relances.core.workdays import WorkCalendar
from relances.workbook.read import rules_from_rows

RULES = list(schema.DEFAULT_RULES)
SETTINGS = Settings()
FR = WorkCalendar("FR")
BE = WorkCalendar("BE")
CALENDARS = {"FR": FR, "BE": BE}


def d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


def prospect(status: Status | None, since: date | None = None, done: int | None = 0,
             last: date | None = None, **more: Any) -> Prospect:
    return Prospect("Client Test", status=status, status_since=since, followups_done=done,
                    last_contact=last, **more)


def step_of(p: Prospect, rules: Sequence[Rule] = RULES, config: Settings = SETTINGS,
            calendar: WorkCalendar = FR, today: date | None = None) -> tuple[date, str] | None:
    step = next_step(p, rules, config, calendar, today)
    return None if step is None else (step.when, step.action)


# --------------------------------------------------------------------------- default rules

MONDAY = d(2, 3)
"""Monday 2 March 2026: no holiday within a month, so most steps fall on their own day."""

DEFAULT_STEPS = [
    # status, R, expected date, action
    (Status.PROSPECT, 0, d(4, 3), "Email"),        # J+2 Wed
    (Status.PROSPECT, 1, d(9, 3), "Tel"),          # J+7 Mon
    (Status.PROSPECT, 2, d(16, 3), "Email"),       # J+14 Mon
    (Status.PROSPECT, 3, d(1, 4), "Tel"),          # J+30 Wed
    (Status.QUOTE_SENT, 0, d(5, 3), "Email"),      # J+3 Thu
    (Status.QUOTE_SENT, 1, d(9, 3), "Tel"),        # J+7
    (Status.QUOTE_SENT, 2, d(16, 3), "Email"),     # J+14
    (Status.QUOTE_SENT, 3, d(23, 3), "Email"),     # J+21
    (Status.LOST, 0, d(1, 6), "Email"),            # J+90 = Sun 31/05 -> Mon 01/06
    (Status.LOST, 1, d(31, 8), "Email"),           # J+180 = Sat 29/08 -> Mon 31/08
    (Status.WON, 0, d(17, 3), "Tel"),            # J+15 Tue
    (Status.WON, 1, d(1, 6), "Email"),             # J+90 = Sun -> Mon
    (Status.WON, 2, d(2, 3, 2027), "Email"),       # J+365 Tue
]


@pytest.mark.parametrize(("status", "done", "expected", "action"), DEFAULT_STEPS)
def test_every_default_step_counted_from_the_status_start(
        status: Status, done: int, expected: date, action: str) -> None:
    step = next_step(prospect(status, MONDAY, done), RULES, SETTINGS, FR)
    assert step is not None
    assert (step.when, step.action, step.number, step.decision) == (
        expected, action, done + 1, False)
    assert step.total == len(steps_for(status, RULES))
    rule = steps_for(status, RULES)[done]
    assert (step.template, step.advice) == (rule.template, rule.advice)


def test_the_default_cadence_is_the_workflow_s() -> None:
    days = {s: [(r.day, r.action) for r in steps_for(s, RULES)] for s in Status}
    assert days == {
        Status.PROSPECT: [(2, "Email"), (7, "Tel"), (14, "Email"), (30, "Tel")],
        Status.QUOTE_SENT: [(3, "Email"), (7, "Tel"), (14, "Email"), (21, "Email")],
        Status.NEGOTIATION: [(7, "Tel")],
        Status.LOST: [(90, "Email"), (180, "Email")],
        Status.WON: [(15, "Tel"), (90, "Email"), (365, "Email")],
    }
    assert [r.from_last_contact for r in RULES] == [r.status is Status.NEGOTIATION
                                                    for r in RULES]


def test_first_interaction_is_the_anchor_without_a_status_start() -> None:
    p = prospect(Status.QUOTE_SENT, None, 0, first_contact=MONDAY)
    assert step_of(p) == (d(5, 3), "Email")
    # No status at all reads as Prospect.
    assert step_of(prospect(None, MONDAY, 0)) == (d(4, 3), "Email")
    # Empty "Relances faites" is zero.
    assert step_of(prospect(Status.PROSPECT, MONDAY, None)) == (d(4, 3), "Email")


def test_nothing_to_plan_without_any_date() -> None:
    assert next_step(prospect(Status.PROSPECT), RULES, SETTINGS, FR) is None


@pytest.mark.parametrize("done", [0, 1, 2, 3])
def test_negotiation_repeats_seven_days_after_the_last_contact(done: int) -> None:
    # The status began long ago: only the last contact counts.
    p = prospect(Status.NEGOTIATION, d(5, 1), done, last=d(5, 3))
    step = next_step(p, RULES, SETTINGS, FR)
    assert step is not None
    assert (step.when, step.action, step.number, step.total) == (d(12, 3), "Tel", done + 1, 4)


def test_negotiation_skips_a_holiday_and_falls_back_on_the_status_start() -> None:
    # Thu 07/05 + 7 = Thu 14/05, Ascension in France and Belgium.
    p = prospect(Status.NEGOTIATION, d(1, 4), 1, last=d(7, 5))
    assert step_of(p, calendar=FR) == (d(15, 5), "Tel")
    assert step_of(p, calendar=BE) == (d(15, 5), "Tel")
    assert step_of(prospect(Status.NEGOTIATION, d(5, 3), 0)) == (d(12, 3), "Tel")


# --------------------------------------------------------------------------- spacing


def test_the_working_example_devis_sent_on_a_saturday() -> None:
    since = d(10, 1)  # Saturday
    assert step_of(prospect(Status.QUOTE_SENT, since, 0, last=since)) == (d(13, 1), "Email")
    # The email went on Tue 13/01: J+7 is Sat 17/01, so Monday 19/01, a call.
    assert step_of(prospect(Status.QUOTE_SENT, since, 1, last=d(13, 1))) == (d(19, 1), "Tel")
    # The call was on Mon 19/01: J+14 is Sat 24/01, but the cadence keeps 7 days between
    # the call and the next email: Monday 26/01.
    assert step_of(prospect(Status.QUOTE_SENT, since, 2, last=d(19, 1))) == (d(26, 1), "Email")


def test_a_late_follow_up_pushes_the_next_one_by_the_cadence_spacing() -> None:
    since = d(2, 3)
    # The J+3 email (due Thu 05/03) went eight days late, Fri 13/03: the call is not
    # planned on J+7 (09/03) but 4 days after the email (7 - 3), Tue 17/03.
    assert step_of(prospect(Status.QUOTE_SENT, since, 1, last=d(13, 3))) == (d(17, 3), "Tel")
    # On time, the step's own day wins over the spacing.
    assert step_of(prospect(Status.QUOTE_SENT, since, 1, last=d(5, 3))) == (d(9, 3), "Tel")
    # Prospect: the J+30 call after a J+14 email sent on 20/03 comes 16 days later,
    # Sun 05/04 -> Mon 06/04 is Easter Monday -> Tue 07/04.
    assert step_of(prospect(Status.PROSPECT, since, 3, last=d(20, 3))) == (d(7, 4), "Tel")


def test_spacing_does_not_apply_to_the_first_step() -> None:
    # R = 0: a contact after the status began (the quote was discussed) does not push J+3.
    assert step_of(prospect(Status.QUOTE_SENT, d(2, 3), 0, last=d(4, 3))) == (d(5, 3), "Email")


# --------------------------------------------------------------------------- calendars


def test_j_plus_2_of_a_prospect_from_wednesday_29_april_is_monday_4_may() -> None:
    # Fri 01/05 is Labour Day, then a weekend.
    for calendar in (FR, BE):
        assert step_of(prospect(Status.PROSPECT, d(29, 4), 0), calendar=calendar) == (
            d(4, 5), "Email")


@pytest.mark.parametrize(("since", "fr", "be"), [
    (d(6, 5), d(11, 5), d(8, 5)),     # Fri 08/05: Victoire 1945 in France only
    (d(12, 7), d(15, 7), d(14, 7)),   # Tue 14/07: Fête nationale française
    (d(19, 7), d(21, 7), d(22, 7)),   # Tue 21/07: Fête nationale belge
    (d(4, 4), d(7, 4), d(7, 4)),      # Mon 06/04: Easter Monday in both
    (d(12, 5), d(15, 5), d(15, 5)),   # Thu 14/05: Ascension in both
])
def test_public_holidays_of_the_country_in_parametres(since: date, fr: date, be: date) -> None:
    p = prospect(Status.PROSPECT, since, 0)
    assert step_of(p, calendar=FR) == (fr, "Email")
    assert step_of(p, calendar=BE) == (be, "Email")


@pytest.mark.parametrize("country", ["FR", "BE", "CH", "LU", "CA"])
def test_every_supported_country_knows_christmas(country: str) -> None:
    calendar = WorkCalendar(country)
    assert calendar.holiday(d(25, 12)) is not None
    assert calendar.next_working_day(d(25, 12)) == d(28, 12)  # Fri 25/12, then a weekend
    assert calendar.is_working_day(d(3, 3))


def test_without_working_days_only_a_weekend_date_is_kept() -> None:
    every_day = WorkCalendar("FR", working_days_only=False)
    p = prospect(Status.QUOTE_SENT, d(10, 1), 1, last=d(13, 1))
    assert step_of(p, calendar=every_day) == (d(17, 1), "Tel")  # a Saturday
    assert every_day.next_working_day(d(1, 5)) == d(1, 5)


def test_retry_after_two_working_days() -> None:
    assert retry(d(22, 1), SETTINGS, FR) == d(26, 1)   # Thu -> Mon
    assert retry(d(23, 1), SETTINGS, FR) == d(27, 1)   # Fri -> Tue
    assert retry(d(30, 4), SETTINGS, FR) == d(5, 5)    # Thu, then 01/05 and a weekend
    assert retry(d(22, 1), Settings(retry_days=1), FR) == d(23, 1)


# --------------------------------------------------------------------------- today


def test_a_date_already_past_is_planned_today() -> None:
    p = prospect(Status.QUOTE_SENT, d(10, 1), 0, last=d(10, 1))
    assert step_of(p, today=d(20, 1)) == (d(20, 1), "Email")
    # Today a Saturday: the next working day.
    assert step_of(p, today=d(24, 1)) == (d(26, 1), "Email")
    # A future date is untouched by today.
    assert step_of(p, today=d(12, 1)) == (d(13, 1), "Email")


# --------------------------------------------------------------------------- Relances max


@pytest.mark.parametrize("status", [Status.PROSPECT, Status.QUOTE_SENT, Status.NEGOTIATION])
def test_after_relances_max_the_user_decides(status: Status) -> None:
    p = prospect(status, d(2, 3), 4, last=d(1, 4))
    step = next_step(p, RULES, SETTINGS, FR)
    assert step is not None
    assert step.decision and step.action == DECISION == "Clôturer ou dernière relance ?"
    assert step.when == d(8, 4)  # a week after the last contact, a working day
    assert step.when.weekday() < 5
    step = next_step(p.replace(followups_done=9), RULES, SETTINGS, FR)
    assert step is not None and step.decision


def test_a_lower_relances_max_stops_the_cadence_earlier() -> None:
    two = Settings(max_followups=2)
    p = prospect(Status.PROSPECT, d(2, 3), 1, last=d(4, 3))
    step = next_step(p, RULES, two, FR)
    assert step is not None and (step.when, step.action, step.total) == (d(9, 3), "Tel", 2)
    step = next_step(p.replace(followups_done=2, last_contact=d(9, 3)), RULES, two, FR)
    assert step is not None and step.decision
    assert step.when == d(16, 3)


def test_after_the_last_step_the_user_decides_even_below_the_max() -> None:
    five = Settings(max_followups=5)
    p = prospect(Status.QUOTE_SENT, d(2, 3), 4, last=d(23, 3))
    step = next_step(p, RULES, five, FR)
    assert step is not None and step.decision and step.when == d(30, 3)


@pytest.mark.parametrize(("status", "done"), [(Status.WON, 3), (Status.LOST, 2)])
def test_closed_deals_have_nothing_more_once_their_steps_are_done(
        status: Status, done: int) -> None:
    assert next_step(prospect(status, d(2, 3), done), RULES, SETTINGS, FR) is None


def test_decision_is_never_planned_in_the_past() -> None:
    p = prospect(Status.PROSPECT, d(2, 3), 4, last=d(1, 4))
    step = next_step(p, RULES, SETTINGS, FR, today=d(18, 4))  # a Saturday
    assert step is not None and step.decision and step.when == d(20, 4)


# --------------------------------------------------------------------------- edited rules


def rule_rows(*extra: Sequence[Any], keep: Sequence[Rule] = RULES) -> list[list[Any]]:
    """The Règles sheet as cell values, the default steps then `extra` rows."""
    rows: list[list[Any]] = [list(schema.RULES_HEADERS)]
    for rule in keep:
        counted = schema.FROM_LAST_CONTACT if rule.from_last_contact else schema.FROM_STATUS_START
        rows.append([rule.status.value, rule.day, counted, rule.action, rule.template,
                     rule.advice])
    rows.extend(list(row) for row in extra)
    return rows


def test_an_edited_step_is_followed() -> None:
    rows = rule_rows()
    rows[5][1:4] = ["J+5", "Statut depuis", "Tel"]  # Devis envoyé J+3 Email -> J+5 Tel
    rules, problems = rules_from_rows(rows)
    assert problems == []
    assert step_of(prospect(Status.QUOTE_SENT, MONDAY, 0), rules) == (d(9, 3), "Tel")
    # The next step keeps its spacing from the edited one: J+7 is 2 days after J+5.
    assert step_of(prospect(Status.QUOTE_SENT, MONDAY, 1, last=d(12, 3)), rules) == (
        d(16, 3), "Tel")


def test_a_removed_step_and_an_added_one() -> None:
    without_j3 = [r for r in RULES if not (r.status is Status.QUOTE_SENT and r.day == 3)]
    rules, problems = rules_from_rows(rule_rows(
        ["Devis envoyé", 45, "Statut depuis", "Rdv", None, "Passer voir le client"],
        ["devis", "J + 60", "", "appel"],
        keep=without_j3))
    assert problems == []
    assert steps_for(Status.QUOTE_SENT, rules)[-2:] == [
        Rule(Status.QUOTE_SENT, 45, False, "RDV", None, "Passer voir le client"),
        Rule(Status.QUOTE_SENT, 60, False, "Tel", None, None)]
    assert step_of(prospect(Status.QUOTE_SENT, MONDAY, 0), rules) == (d(9, 3), "Tel")
    # Relances max (4) still caps a cadence of five steps.
    step = next_step(prospect(Status.QUOTE_SENT, MONDAY, 3, last=d(23, 3)), rules, SETTINGS, FR)
    assert step is not None and (step.when, step.action, step.total) == (d(16, 4), "RDV", 4)
    five = Settings(max_followups=5)
    step = next_step(prospect(Status.QUOTE_SENT, MONDAY, 4, last=d(16, 4)), rules, five, FR)
    # J+60 is Fri 01/05, Labour Day, then a weekend.
    assert step is not None and (step.when, step.action, step.total) == (d(4, 5), "Tel", 5)


def test_a_status_without_any_step_has_no_cadence() -> None:
    rules = [r for r in RULES if r.status is not Status.LOST]
    assert next_step(prospect(Status.LOST, MONDAY, 0), rules, SETTINGS, FR) is None
    assert next_step(prospect(Status.PROSPECT, MONDAY, 0), [], SETTINGS, FR) is None


def test_rules_from_rows_reads_calamine_floats_and_last_contact_counting() -> None:
    rules, problems = rules_from_rows([
        ["Statut", "Jour (J+N)", "Compté depuis", "Action"],
        ["Négociation", 10.0, "dernier contact", "Email"],
    ])
    assert problems == []
    assert rules == [Rule(Status.NEGOTIATION, 10, True, "Email", None, None)]
    p = prospect(Status.NEGOTIATION, d(1, 1), 2, last=d(2, 3))
    assert step_of(p, rules) == (d(12, 3), "Email")


def test_malformed_rules_are_reported_with_their_row_and_the_others_kept() -> None:
    rows = rule_rows(
        ["Devis envoyé", "J-3", "Statut depuis", "Email"],
        ["Client fidèle", 10, "Statut depuis", "Email"],
        ["Prospect", 40, "Premier café", "Tel"],
        ["Prospect", 50, "Statut depuis", None],
        [None, None, None, None],
        [None, 3, "Statut depuis", "Tel"],
    )
    rules, problems = rules_from_rows(rows)
    assert rules == RULES
    assert [(p.sheet, p.row) for p in problems] == [
        ("Règles", 16), ("Règles", 17), ("Règles", 18), ("Règles", 19), ("Règles", 21)]
    messages = [p.message for p in problems]
    assert "« J-3 » n'est pas un jour de la forme J+7 ou 7" in messages[0]
    assert "« Client fidèle » n'est pas un statut connu" in messages[1]
    assert "« Premier café »" in messages[2] and "Dernier contact" in messages[2]
    assert "l'action est vide" in messages[3]
    assert "le statut est vide" in messages[4]
    assert str(problems[0]).startswith("Règles, ligne 16 : ")


def test_a_sheet_without_its_columns_keeps_the_default_cadence() -> None:
    rules, problems = rules_from_rows([["Étape", "Quand"], ["Prospect", 3]])
    assert rules == RULES
    assert len(problems) == 1 and problems[0].row == 1
    assert "la cadence par défaut s'applique" in problems[0].message
    assert rules_from_rows([]) == (RULES, [])


# --------------------------------------------------------------------------- record


def test_record_a_plain_follow_up() -> None:
    before = prospect(Status.QUOTE_SENT, d(10, 1), 0, last=d(10, 1), probability=0.3)
    after = record(before, Event(d(13, 1), channel="Email"), RULES, SETTINGS, FR, d(13, 1))
    assert (after.last_contact, after.followups_done, after.status_since) == (
        d(13, 1), 1, d(10, 1))
    assert (after.next_followup, after.action, after.probability) == (d(19, 1), "Tel", 0.3)
    assert after.history == "13/01 Email : relance"


def test_record_unreachable_retries_the_same_step() -> None:
    before = prospect(Status.QUOTE_SENT, d(10, 1), 1, last=d(13, 1), action="Tel")
    event = Event(d(22, 1), channel="Tel", outcome=Outcome.UNREACHABLE)
    after = record(before, event, RULES, SETTINGS, FR, d(22, 1))
    assert (after.last_contact, after.followups_done, after.status_since) == (
        d(13, 1), 1, d(10, 1))
    assert (after.next_followup, after.action) == (d(26, 1), "Tel")
    assert after.history == "22/01 Tel : injoignable"


def test_record_a_new_quote_restarts_devis_envoye() -> None:
    """A revised quote for a prospect already in Devis envoyé starts its cadence again."""
    before = prospect(Status.QUOTE_SENT, d(10, 1), 2, last=d(19, 1), probability=0.3)
    event = Event(d(22, 1), channel="Devis", outcome=Outcome.QUOTE)
    after = record(before, event, RULES, SETTINGS, FR, d(22, 1))
    assert (after.status, after.status_since, after.followups_done) == (
        Status.QUOTE_SENT, d(22, 1), 0)
    assert (after.next_followup, after.action) == (d(26, 1), "Email")  # J+3 Sun -> Mon


def test_record_keeps_the_user_s_date_and_action() -> None:
    before = prospect(Status.PROSPECT, d(12, 1), 0, last=d(12, 1))
    event = Event(d(20, 1), next_date=d(2, 2), action="Visite")
    after = record(before, event, RULES, SETTINGS, FR, d(20, 1))
    assert (after.next_followup, after.action) == (d(2, 2), "Visite")


# --------------------------------------------------------------------------- dead, zombie


def test_dead_after_more_than_ninety_days_without_interaction() -> None:
    today = d(20, 1)
    silent = prospect(Status.PROSPECT, last=today - timedelta(days=91))
    assert is_dead(silent, today, SETTINGS)
    assert not is_dead(silent.replace(last_contact=today - timedelta(days=90)), today, SETTINGS)
    assert not is_dead(silent.replace(status=Status.WON), today, SETTINGS)
    assert is_dead(prospect(None, first_contact=today - timedelta(days=120)), today, SETTINGS)


def test_zombie_after_sixty_days_and_a_low_probability() -> None:
    today = d(20, 1)
    quiet = prospect(Status.PROSPECT, last=today - timedelta(days=61), probability=0.1)
    assert is_zombie(quiet, today, SETTINGS)
    assert not is_zombie(quiet.replace(probability=0.3), today, SETTINGS)
    assert not is_zombie(quiet.replace(last_contact=today - timedelta(days=60)), today,
                         SETTINGS)
    assert not is_zombie(quiet.replace(status=Status.LOST), today, SETTINGS)


# --------------------------------------------------------------------------- properties

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


def check_step(p: Prospect, rules: Sequence[Rule], config: Settings, calendar: WorkCalendar,
               today: date | None) -> None:
    """What any planned date must satisfy, whatever the rules and the row."""
    step = next_step(p, rules, config, calendar, today)
    status = p.status or Status.PROSPECT
    steps = steps_for(status, rules)
    anchor = p.status_since
    assert anchor is not None
    done = p.followups_done or 0
    if not steps:
        assert step is None
        return
    if step is None:
        assert not status.active
        return
    assert calendar.is_working_day(step.when)
    assert step.when.weekday() < 5 and calendar.holiday(step.when) is None
    if today is not None:
        assert step.when >= today
    if step.decision:
        assert step.action == DECISION and done >= step.total and status.active
        target = max(anchor, p.last_contact or anchor) + timedelta(days=7)
    elif steps[-1].from_last_contact:
        rule = steps[min(done, len(steps) - 1)]
        target = (p.last_contact or anchor) + timedelta(days=rule.day)
    else:
        rule = steps[done]
        assert (step.action, step.number) == (rule.action, done + 1)
        target = anchor + timedelta(days=rule.day)
        assert step.when >= target
        if done and p.last_contact is not None:
            spacing = rule.day - steps[done - 1].day
            assert step.when >= p.last_contact + timedelta(days=spacing)
            target = max(target, p.last_contact + timedelta(days=spacing))
    assert step.when >= target
    # And no later than needed: the first working day on or after what is due.
    assert step.when == calendar.next_working_day(max(target, today or target))


@settings(max_examples=200, deadline=None)
@given(status=st.sampled_from(list(Status)), anchor=DAYS, done=st.integers(0, 6),
       gap=st.none() | st.integers(0, 400), country=st.sampled_from(["FR", "BE"]),
       today=st.none() | DAYS)
def test_default_cadence_dates_are_worked_late_enough_and_spaced(
        status: Status, anchor: date, done: int, gap: int | None, country: str,
        today: date | None) -> None:
    last = None if gap is None else anchor + timedelta(days=gap)
    p = prospect(status, anchor, done, last=last)
    check_step(p, RULES, SETTINGS, CALENDARS[country], today)


@settings(max_examples=200, deadline=None)
@given(days=st.lists(st.integers(0, 400), min_size=1, max_size=6),
       from_last=st.booleans(), anchor=DAYS, done=st.integers(0, 7),
       gap=st.none() | st.integers(0, 200), maximum=st.integers(0, 6),
       country=st.sampled_from(["FR", "BE"]), today=st.none() | DAYS)
def test_user_rules_dates_are_worked_late_enough_and_spaced(
        days: list[int], from_last: bool, anchor: date, done: int, gap: int | None,
        maximum: int, country: str, today: date | None) -> None:
    rules = [Rule(Status.QUOTE_SENT, day, from_last, f"Action {i}") for i, day in enumerate(days)]
    last = None if gap is None else anchor + timedelta(days=gap)
    p = prospect(Status.QUOTE_SENT, anchor, done, last=last)
    check_step(p, rules, Settings(max_followups=maximum), CALENDARS[country], today)


@settings(max_examples=200, deadline=None)
@given(day=DAYS, count=st.integers(0, 10), country=st.sampled_from(["FR", "BE"]))
def test_retry_counts_working_days_only(day: date, count: int, country: str) -> None:
    calendar = CALENDARS[country]
    when = retry(day, Settings(retry_days=count), calendar)
    if count == 0:
        assert when == day
        return
    assert calendar.is_working_day(when) and when > day
    worked = [day + timedelta(days=i) for i in range(1, (when - day).days + 1)]
    assert sum(calendar.is_working_day(x) for x in worked) == count


@settings(max_examples=200, deadline=None)
@given(status=st.sampled_from(list(Status)), anchor=DAYS, done=st.integers(0, 6),
       gap=st.integers(0, 200), late=st.integers(0, 30),
       outcome=st.none() | st.sampled_from([o for o in Outcome if o is not Outcome.MEETING]),
       new_status=st.none() | st.sampled_from(list(Status)),
       country=st.sampled_from(["FR", "BE"]))
def test_recorded_follow_ups_are_worked_days_never_in_the_past(
        status: Status, anchor: date, done: int, gap: int, late: int, outcome: Outcome | None,
        new_status: Status | None, country: str) -> None:
    calendar = CALENDARS[country]
    when = anchor + timedelta(days=gap)
    today = when + timedelta(days=late)
    before = prospect(status, anchor, done, last=anchor)
    event = Event(when, channel="Tel", outcome=outcome, status=new_status)
    after = record(before, event, RULES, SETTINGS, calendar, today)
    if after.next_followup is not None:
        assert calendar.is_working_day(after.next_followup)
        assert after.next_followup >= today
    if outcome is Outcome.UNREACHABLE:
        assert after.last_contact == anchor
        if new_status in (None, status):
            assert (after.status_since, after.followups_done) == (anchor, done)
    else:
        assert after.last_contact == when
    if after.status is not status or outcome not in (None, Outcome.UNREACHABLE):
        assert (after.status_since, after.followups_done) == (when, 0)


# --------------------------------------------------------------------------- through the CLI


def edit(path: Path, sheet: str, cells: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def suivi_row(path: Path, name: str) -> dict[str, Any]:
    ws = openpyxl.load_workbook(path)["Suivi"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[1] == name:
            return dict(zip(headers, row, strict=False))
    raise AssertionError(name)


def test_ajouter_depuis_plans_the_first_step_on_a_working_day(run: Run, example: Path) -> None:
    result = run("ajouter", "Atelier Printemps", "--depuis", "29/04/2026", "--premiere",
                 "29/04/2026", today=d(29, 4))
    assert result.exit_code == 0, result.output
    row = suivi_row(example, "Atelier Printemps")
    assert row["Statut depuis"] == datetime(2026, 4, 29)
    assert (row["Prochaine relance"], row["Action prévue"]) == (datetime(2026, 5, 4), "Email")


def test_ajouter_depuis_a_date_long_past_plans_today(run: Run, example: Path) -> None:
    result = run("ajouter", "Vieux Contact", "--statut", "Devis envoyé", "--depuis", "05/01/2026")
    assert result.exit_code == 0, result.output
    row = suivi_row(example, "Vieux Contact")
    assert row["Statut depuis"] == datetime(2026, 1, 5)
    assert row["Première interaction"] == datetime(2026, 1, 20)
    assert (row["Prochaine relance"], row["Action prévue"]) == (datetime(2026, 1, 20), "Email")


def test_the_country_of_parametres_moves_dates(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Paramètres"]
    (cell,) = [r[1] for r in ws.iter_rows(min_row=2) if r[0].value == "Pays (jours fériés)"]
    cell.value = "BE"
    book.save(example)
    # Wed 06/05 + 2 = Fri 08/05: a working day in Belgium (a holiday in France).
    result = run("ajouter", "Brasserie Liégeoise", "--premiere", "06/05/2026", today=d(6, 5))
    assert result.exit_code == 0, result.output
    assert suivi_row(example, "Brasserie Liégeoise")["Prochaine relance"] == datetime(2026, 5, 8)
    result = run("ajouter", "Friterie Namuroise", "--premiere", "19/07/2026", today=d(19, 7))
    assert result.exit_code == 0, result.output
    assert suivi_row(example, "Friterie Namuroise")["Prochaine relance"] == datetime(2026, 7, 22)


def test_the_cadence_edited_in_regles_is_the_one_in_effect(run: Run, example: Path) -> None:
    # Row 6 is Devis envoyé J+3 Email: the user makes it J+5 Tel with their own advice.
    edit(example, "Règles", {"B6": "J+5", "D6": "Tel", "F6": "Appeler le lendemain du devis"})
    result = run("regles")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert "Devis envoyé J+5 Statut depuis Tel Appeler le lendemain du devis" in lines
    assert not any(line.startswith("Devis envoyé J+3") for line in lines)
    assert "Négociation J+7 Dernier contact Tel" in " ".join(lines)
    assert "Au plus 4 relances par statut" in result.output
    result = run("ajouter", "Devis Lundi", "--statut", "Devis envoyé", "--premiere", "02/03/2026",
                 today=d(2, 3))
    assert result.exit_code == 0, result.output
    row = suivi_row(example, "Devis Lundi")
    assert (row["Prochaine relance"], row["Action prévue"]) == (datetime(2026, 3, 9), "Tel")


def test_verifier_reports_a_malformed_rule_with_its_row(run: Run, example: Path) -> None:
    edit(example, "Règles", {"B3": "la semaine prochaine", "A16": "Prospect", "B16": 45,
                             "C16": "Statut depuis"})
    result = run("verifier")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert ("Règles, ligne 3 : « la semaine prochaine » n'est pas un jour de la forme J+7 ou 7"
            in output)
    assert "Règles, ligne 16 : l'action est vide (Email, Tel, RDV…)" in output
    # `regles` warns too, and shows the cadence without the unreadable step.
    shown = run("regles")
    assert shown.exit_code == 0
    assert "Règles, ligne 3" in shown.output
    prospect_days = [line.split()[1] for line in shown.output.splitlines()
                     if line.strip().startswith("Prospect ")]
    assert prospect_days == ["J+2", "J+14", "J+30"]
