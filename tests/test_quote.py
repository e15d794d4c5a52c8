"""The quote's validity (an optional « Validité devis » column): a follow-up never waits
past two working days before the quote's last day, and the week says when it expires."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from conftest import Run, flat

from relances.core.workdays import WorkCalendar

MARTIN = 3  # Devis envoyé, its follow-up overdue since 13/01
NEXT = 11  # the Prochaine relance column


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return flat(result.output)


def with_validity(path: Path, valid: date | None, next_followup: date | None = None) -> None:
    """The column typed by hand after the last one, Martin's quote's last day in it."""
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    last = max(c.column for c in ws[1] if c.value is not None)
    ws.cell(1, last + 1, "Validité des devis")
    if valid is not None:
        ws.cell(MARTIN, last + 1, datetime(valid.year, valid.month, valid.day))
    if next_followup is not None:
        ws.cell(MARTIN, NEXT, datetime.combine(next_followup, datetime.min.time()))
    book.save(path)


def next_followup(path: Path) -> date:
    """Martin's, found by its ID: planifier sorts the rows."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    return next(row[NEXT - 1].value.date() for row in ws.iter_rows(min_row=2)
                if row[0].value == 1)


def test_two_working_days_back_skip_the_weekend_and_holidays() -> None:
    calendar = WorkCalendar("FR")
    assert calendar.working_days_before(date(2026, 1, 26), 2) == date(2026, 1, 22)
    assert calendar.working_days_before(date(2026, 5, 11), 2) == date(2026, 5, 6)  # 8 mai off
    assert WorkCalendar("FR", working_days_only=False).working_days_before(
        date(2026, 1, 26), 2) == date(2026, 1, 24)


def test_a_follow_up_comes_before_the_quote_expires(run: Run, example: Path,
                                                    tmp_path: Path) -> None:
    plain = tmp_path / "sans.xlsx"
    plain.write_bytes(example.read_bytes())
    ok(run("maj", "martin", "--canal", "Tel", "--resume", "pas encore lu", "-f", str(plain)))
    assert next_followup(plain) == date(2026, 1, 26)  # the cadence's own day

    with_validity(example, date(2026, 1, 26))
    out = ok(run("maj", "martin", "--canal", "Tel", "--resume", "pas encore lu"))
    assert next_followup(example) == date(2026, 1, 22)  # Thursday: 2 working days before
    assert "Le devis expire le 26/01/2026 : la relance est avancée de 2 jours ouvrés" in out


def test_an_expired_quote_or_a_later_one_changes_nothing(run: Run, example: Path,
                                                         tmp_path: Path) -> None:
    later = tmp_path / "plus-tard.xlsx"
    later.write_bytes(example.read_bytes())
    with_validity(later, date(2026, 3, 31))
    with_validity(example, date(2026, 1, 15))
    for path in (example, later):
        out = ok(run("maj", "martin", "--canal", "Tel", "--resume", "pas lu", "-f", str(path)))
        assert next_followup(path) == date(2026, 1, 26) and "expire" not in out


def test_semaine_says_when_the_quote_expires(run: Run, example: Path) -> None:
    with_validity(example, date(2026, 1, 26))
    week = ok(run("semaine"))
    assert "Devis expire le 26/01/2026 — Demander si le devis" in week
    found = json.loads(ok(run("semaine", "--json")))
    expiring = {i["nom"]: i["devis_expire_le"] for i in found["en_retard"]}
    assert expiring["Martin Menuiserie"] == "2026-01-26"
    assert expiring["Copropriété Les Tilleuls"] is None
    cards = ok(run("traiter", input="s\nq\n"))  # Martin's is the second card
    assert cards.count("Devis expire le") == 1
    assert cards.index("Martin Menuiserie") < cards.index("Conseil : Devis expire le 26/01")


def test_planifier_brings_a_follow_up_forward(run: Run, example: Path) -> None:
    with_validity(example, date(2026, 2, 2), next_followup=date(2026, 2, 6))
    out = ok(run("planifier"))
    assert "Martin Menuiserie — devis valable jusqu'au 02/02/2026" in out
    assert next_followup(example) == date(2026, 1, 29)
    assert "Martin Menuiserie — devis" not in ok(run("planifier"))  # done once
