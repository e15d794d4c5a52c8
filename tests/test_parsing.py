"""Tests for relances.text.parsing: every documented shape, every message word for word,
and round-trip properties between the readers and the French formatters."""

import contextlib
import os
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relances.text.parsing import (
    ParseError,
    check_email,
    fold,
    is_placeholder,
    join_contact,
    normalize,
    normalize_phone,
    parse_amount,
    parse_date,
    parse_int,
    parse_probability,
    split_contact,
)
from relances.text.show import format_amount, format_date, format_day_month, format_percent

TUESDAY = date(2026, 1, 20)
MONDAY = date(2026, 11, 23)
NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parents[1]
PHONE_ERROR = "n'est pas un numéro de téléphone (ex. 06 12 34 56 78)"


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Montant estimé (€)", "montantestime"),
        ("Téléphone", "telephone"),
        ("  Prochaine RELANCE ", "prochainerelance"),
        ("E-mail / Tél.", "emailtel"),
        ("Œuvre", "oeuvre"),
        ("Probabilité (%)", "probabilite"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Société   Générale ", "societe generale"),
        ("L’Atelier du Pain", "l'atelier du pain"),
        ("ÉLODIE\u00a0Martin", "elodie martin"),
        ("m.martin@email.fr / 06", "m.martin@email.fr / 06"),
        ("Cœur de Métier", "coeur de metier"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_leaves_no_accent_whatever_casefold_does() -> None:
    """casefold turns some letters into several, "İ" into "i" + a combining dot: the
    accents must be gone all the same, for every character casefold changes."""
    changed = [c for c in map(chr, range(sys.maxunicode + 1))
               if not 0xD800 <= ord(c) <= 0xDFFF and c.casefold() != c]
    assert len(changed) > 1000
    assert fold("İstanbul") == "istanbul"
    for char in changed:
        assert not any(unicodedata.combining(mark) for mark in fold(char)), char


@given(st.text(st.characters(max_codepoint=0x2FF, exclude_categories=["Cs"])))
@settings(max_examples=2000)
def test_latin_names_fold_through_the_table_as_through_unicode(text: str) -> None:
    """Names in Latin letters take the table: the same result as decomposing the whole
    text, accents, ligatures, no-break spaces and all."""
    from relances.text.parsing import _fold_chars

    assert fold(text) == " ".join(_fold_chars(text).split())


def test_fold_makes_contains_search_accent_and_case_blind() -> None:
    assert fold("generale") in fold("Boulangerie Société GÉNÉRALE")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("27/01/2026", TUESDAY, date(2026, 1, 27)),
        ("  27/01/2026  ", TUESDAY, date(2026, 1, 27)),
        ("7/1/2026", TUESDAY, date(2026, 1, 7)),
        ("27/01/26", TUESDAY, date(2026, 1, 27)),
        ("27-01-2026", TUESDAY, date(2026, 1, 27)),
        ("27.01.2026", TUESDAY, date(2026, 1, 27)),
        ("2026-01-27", TUESDAY, date(2026, 1, 27)),
        ("2026-01-02", TUESDAY, date(2026, 1, 2)),
        ("2026-01-27 14:30", TUESDAY, date(2026, 1, 27)),
        ("2026-01-27 14:30:05", TUESDAY, date(2026, 1, 27)),
        ("2026-01-27T14:30:00", TUESDAY, date(2026, 1, 27)),
        ("27/01/2026 14:30", TUESDAY, date(2026, 1, 27)),
        ("27/01/2026 14h30", TUESDAY, date(2026, 1, 27)),
        ("27/01", TUESDAY, date(2026, 1, 27)),
        ("27/01", MONDAY, date(2027, 1, 27)),
        ("15/10", MONDAY, date(2026, 10, 15)),
        ("15/10", TUESDAY, date(2025, 10, 15)),
        ("27 janvier", TUESDAY, date(2026, 1, 27)),
        ("27 janvier", MONDAY, date(2027, 1, 27)),
        ("27 JANVIER", TUESDAY, date(2026, 1, 27)),
        ("1er février", TUESDAY, date(2026, 2, 1)),
        ("1er fevrier", MONDAY, date(2027, 2, 1)),
        ("27 janvier 2026", MONDAY, date(2026, 1, 27)),
        ("27 janv. 2026", MONDAY, date(2026, 1, 27)),
        ("3 déc. 2025", TUESDAY, date(2025, 12, 3)),
        ("15 août", MONDAY, date(2026, 8, 15)),
        ("le 27 janvier", TUESDAY, date(2026, 1, 27)),
        ("mardi 27 janvier", TUESDAY, date(2026, 1, 27)),
        ("aujourd'hui", TUESDAY, TUESDAY),
        ("aujourd’hui", TUESDAY, TUESDAY),
        ("Aujourdhui", TUESDAY, TUESDAY),
        ("demain", TUESDAY, date(2026, 1, 21)),
        ("après-demain", TUESDAY, date(2026, 1, 22)),
        ("apres demain", TUESDAY, date(2026, 1, 22)),
        ("hier", TUESDAY, date(2026, 1, 19)),
        ("avant-hier", TUESDAY, date(2026, 1, 18)),
        ("lundi", TUESDAY, date(2026, 1, 26)),
        ("lundi", MONDAY, date(2026, 11, 30)),
        ("mardi", TUESDAY, date(2026, 1, 27)),
        ("mercredi", TUESDAY, date(2026, 1, 21)),
        ("vendredi", MONDAY, date(2026, 11, 27)),
        ("dimanche", TUESDAY, date(2026, 1, 25)),
        ("Lundi prochain", TUESDAY, date(2026, 1, 26)),
        ("j+7", TUESDAY, date(2026, 1, 27)),
        ("J+7", TUESDAY, date(2026, 1, 27)),
        ("+7", TUESDAY, date(2026, 1, 27)),
        ("j-3", TUESDAY, date(2026, 1, 17)),
        ("J+0", TUESDAY, TUESDAY),
        ("dans 7 jours", TUESDAY, date(2026, 1, 27)),
        ("dans 1 jour", TUESDAY, date(2026, 1, 21)),
        ("dans 2 semaines", TUESDAY, date(2026, 2, 3)),
        ("dans une semaine", TUESDAY, date(2026, 1, 27)),
        ("dans 1 mois", TUESDAY, date(2026, 2, 20)),
        ("dans 1 mois", date(2026, 1, 31), date(2026, 2, 28)),
        ("dans 1 an", TUESDAY, date(2027, 1, 20)),
        ("fin janvier", TUESDAY, date(2026, 1, 31)),
        ("fin janvier", MONDAY, date(2027, 1, 31)),
        ("fin février", date(2027, 11, 2), date(2028, 2, 29)),
        ("début février", TUESDAY, date(2026, 2, 1)),
        ("mi-février", TUESDAY, date(2026, 2, 15)),
        ("mi février", MONDAY, date(2027, 2, 15)),
        ("fin d'août", date(2026, 6, 1), date(2026, 8, 31)),
        ("fin janvier 2027", TUESDAY, date(2027, 1, 31)),
        ("fin du mois", TUESDAY, date(2026, 1, 31)),
        ("fin de mois", MONDAY, date(2026, 11, 30)),
        ("semaine prochaine", TUESDAY, date(2026, 1, 26)),
        ("semaine prochaine", MONDAY, date(2026, 11, 30)),
        ("fin de semaine", TUESDAY, date(2026, 1, 23)),
        ("fin de semaine", date(2026, 1, 23), date(2026, 1, 23)),
        ("fin de semaine", date(2026, 1, 24), date(2026, 1, 30)),
        ("fin de semaine", date(2026, 1, 25), date(2026, 1, 30)),
    ],
)
def test_parse_date_text(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 4), date(2026, 3, 4)),
        (datetime(2026, 3, 4, 17, 45), date(2026, 3, 4)),
        (46049, date(2026, 1, 27)),
        (46049.75, date(2026, 1, 27)),
        (Decimal("46049"), date(2026, 1, 27)),
        (1, date(1899, 12, 31)),
        (2958465, date(9999, 12, 31)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_date_cells(value: object, expected: date | None) -> None:
    assert parse_date(value, TUESDAY) == expected


def test_parse_date_pivots_two_digit_years_on_today_not_the_clock() -> None:
    assert parse_date("27/01/26", date(2090, 6, 1)) == date(2126, 1, 27)
    assert parse_date("27/01/99", TUESDAY) == date(1999, 1, 27)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "« 31/02/2026 » n'est pas une date (JJ/MM/AAAA)"),
        ("32/01", "« 32/01 » n'est pas une date (JJ/MM/AAAA)"),
        ("12/13", "« 12/13 » n'est pas une date (JJ/MM/AAAA)"),
        ("12/13/2026", "« 12/13/2026 » n'est pas une date (JJ/MM/AAAA)"),
        ("2026-13-01", "« 2026-13-01 » n'est pas une date (JJ/MM/AAAA)"),
        ("00/01/2026", "« 00/01/2026 » n'est pas une date (JJ/MM/AAAA)"),
        ("27/01/2026 25:00", "« 27/01/2026 25:00 » n'est pas une date (JJ/MM/AAAA)"),
        ("29/02", "« 29/02 » n'est pas une date (JJ/MM/AAAA)"),
        ("  abc  ", "« abc » n'est pas une date (JJ/MM/AAAA)"),
        ("27 foo", "« 27 foo » n'est pas une date (JJ/MM/AAAA)"),
        ("2 er janvier", "« 2 er janvier » n'est pas une date (JJ/MM/AAAA)"),
        ("2er janvier", "« 2er janvier » n'est pas une date (JJ/MM/AAAA)"),
        ("lundi 27 janvier", "« lundi 27 janvier » n'est pas une date (JJ/MM/AAAA)"),
        ("fin truc", "« fin truc » n'est pas une date (JJ/MM/AAAA)"),
        ("demain matin", "« demain matin » n'est pas une date (JJ/MM/AAAA)"),
        ("27", "« 27 » n'est pas une date (JJ/MM/AAAA)"),
        ("46049", "« 46049 » n'est pas une date (JJ/MM/AAAA)"),
        ("j+9999999", "« j+9999999 » n'est pas une date (JJ/MM/AAAA)"),
        (0, "« 0 » n'est pas une date (JJ/MM/AAAA)"),
        (2958466, "« 2958466 » n'est pas une date (JJ/MM/AAAA)"),
        (-3.5, "« -3,5 » n'est pas une date (JJ/MM/AAAA)"),
        (float("nan"), "« nan » n'est pas une date (JJ/MM/AAAA)"),
        (True, "« VRAI » n'est pas une date (JJ/MM/AAAA)"),
    ],
)
def test_parse_date_errors(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(value, TUESDAY)
    assert str(caught.value) == message


def test_parse_date_beyond_calendar_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_date("demain", date(9999, 12, 31))


def test_parse_error_is_a_value_error() -> None:
    assert issubclass(ParseError, ValueError)
    assert str(ParseError("« x » n'est pas une date (JJ/MM/AAAA)")).startswith("« x »")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2026, 1, 10), "10/01/2026"), (date(1900, 1, 1), "01/01/1900"), (None, "")],
)
def test_format_date(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 1, 10), "10 janvier"),
        (date(2026, 2, 1), "1er février"),
        (date(2026, 8, 15), "15 août"),
        (date(2026, 12, 31), "31 décembre"),
    ],
)
def test_format_day_month(value: date, expected: str) -> None:
    assert format_day_month(value) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
@settings(max_examples=200)
def test_format_date_round_trips(value: date) -> None:
    assert parse_date(format_date(value), MONDAY) == value


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31)))
@settings(max_examples=200)
def test_day_month_is_read_as_the_nearest_occurrence(today: date) -> None:
    read = parse_date(format_day_month(today), today)
    if (today.month, today.day) != (2, 29):
        assert read == today


@given(st.text())
@settings(max_examples=200)
def test_parse_date_only_ever_raises_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_date(text, TUESDAY)


@given(st.text(alphabet="0123456789/.-:+ jhtJerdansoiuvfmcl'", max_size=24))
@settings(max_examples=200)
def test_parse_date_only_ever_raises_parse_error_on_date_like_text(text: str) -> None:
    try:
        result = parse_date(text, MONDAY)
    except ParseError:
        return
    assert result is None or isinstance(result, date)


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8500", "8500.00"),
        ("8 500", "8500.00"),
        ("8 500 €", "8500.00"),
        ("8\u00a0500 €", "8500.00"),
        ("8\u202f500\u00a0€", "8500.00"),
        ("8500€", "8500.00"),
        ("8 500,00 €", "8500.00"),
        ("8.500,50", "8500.50"),
        ("8,500.50", "8500.50"),
        ("8500.5", "8500.50"),
        ("8500,5", "8500.50"),
        ("15k", "15000.00"),
        ("15 k€", "15000.00"),
        ("15 K", "15000.00"),
        ("1,5k", "1500.00"),
        ("1.2M", "1200000.00"),
        ("1,2 M€", "1200000.00"),
        ("8500 EUR", "8500.00"),
        ("8500 euros", "8500.00"),
        ("€ 8500", "8500.00"),
        ("1.500", "1500.00"),
        ("1,500", "1500.00"),
        ("1,5", "1.50"),
        ("0,500", "0.50"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567.00"),
        ("0", "0.00"),
        ("12,345", "12345.00"),
        ("1234,567", "1234.57"),
        (8500, "8500.00"),
        (8500.5, "8500.50"),
        (0.1 + 0.2, "0.30"),
        (Decimal("1.005"), "1.01"),
        (-0.0, "0.00"),
    ],
)
def test_parse_amount(value: object, expected: str) -> None:
    result = parse_amount(value)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_amount_empty(value: object) -> None:
    assert parse_amount(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "« abc » n'est pas un montant (ex. 8 500 €)"),
        ("-5", "« -5 » n'est pas un montant (ex. 8 500 €)"),
        (" -8 500 € ", "« -8 500 € » n'est pas un montant (ex. 8 500 €)"),
        ("1 2 3", "« 1 2 3 » n'est pas un montant (ex. 8 500 €)"),
        ("8,500,50", "« 8,500,50 » n'est pas un montant (ex. 8 500 €)"),
        ("1e3", "« 1e3 » n'est pas un montant (ex. 8 500 €)"),
        ("15kk", "« 15kk » n'est pas un montant (ex. 8 500 €)"),
        ("€", "« € » n'est pas un montant (ex. 8 500 €)"),
        ("9" * 20, f"« {'9' * 20} » n'est pas un montant (ex. 8 500 €)"),
        (-1, "« -1 » n'est pas un montant (ex. 8 500 €)"),
        (-2.5, "« -2,5 » n'est pas un montant (ex. 8 500 €)"),
        (float("inf"), "« inf » n'est pas un montant (ex. 8 500 €)"),
        (True, "« VRAI » n'est pas un montant (ex. 8 500 €)"),
        (date(2026, 1, 1), "« 01/01/2026 » n'est pas un montant (ex. 8 500 €)"),
    ],
)
def test_parse_amount_errors(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("8500"), f"8{NBSP}500{NBSP}€"),
        (Decimal("8500.00"), f"8{NBSP}500{NBSP}€"),
        (Decimal("8500.50"), f"8{NBSP}500,50{NBSP}€"),
        (8500, f"8{NBSP}500{NBSP}€"),
        (8500.5, f"8{NBSP}500,50{NBSP}€"),
        (0, f"0{NBSP}€"),
        (Decimal("999.999"), f"1{NBSP}000{NBSP}€"),
        (1_234_567, f"1{NBSP}234{NBSP}567{NBSP}€"),
        (Decimal("-1234.5"), f"-1{NBSP}234,50{NBSP}€"),
        (None, "—"),
    ],
)
def test_format_amount(amount: Decimal | float | int | None, expected: str) -> None:
    assert format_amount(amount) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=2))
@settings(max_examples=200)
def test_format_amount_round_trips(amount: Decimal) -> None:
    assert parse_amount(format_amount(amount)) == amount


@given(st.text())
@settings(max_examples=200)
def test_parse_amount_only_ever_raises_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_amount(text)


# --------------------------------------------------------------------------- probabilities


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("40", 0.4),
        ("40%", 0.4),
        ("40 %", 0.4),
        (f"40{NBSP}%", 0.4),
        ("0.4", 0.4),
        ("0,4", 0.4),
        ("40,5 %", 0.405),
        ("100 %", 1.0),
        ("0 %", 0.0),
        ("0,5 %", 0.005),
        ("1", 1.0),
        ("1,5", 0.015),
        (0.4, 0.4),
        (1, 1.0),
        (40, 0.4),
        (100, 1.0),
        (0, 0.0),
        (Decimal("0.25"), 0.25),
        (0.123456, 0.1235),
    ],
)
def test_parse_probability(value: object, expected: float) -> None:
    assert parse_probability(value) == expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_probability_empty(value: object) -> None:
    assert parse_probability(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("140 %", "« 140 % » n'est pas une probabilité (0 à 100 %)"),
        ("140", "« 140 » n'est pas une probabilité (0 à 100 %)"),
        ("-5", "« -5 » n'est pas une probabilité (0 à 100 %)"),
        ("abc", "« abc » n'est pas une probabilité (0 à 100 %)"),
        ("40 % %", "« 40 % % » n'est pas une probabilité (0 à 100 %)"),
        (101, "« 101 » n'est pas une probabilité (0 à 100 %)"),
        (-0.1, "« -0,1 » n'est pas une probabilité (0 à 100 %)"),
        (float("nan"), "« nan » n'est pas une probabilité (0 à 100 %)"),
        (True, "« VRAI » n'est pas une probabilité (0 à 100 %)"),
    ],
)
def test_parse_probability_errors(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_probability(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.3, f"30{NBSP}%"),
        (0.235, f"23,5{NBSP}%"),
        (0.2355, f"23,6{NBSP}%"),
        (1, f"100{NBSP}%"),
        (0, f"0{NBSP}%"),
        (-0.0001, f"0{NBSP}%"),
        (None, "—"),
    ],
)
def test_format_percent(value: float | None, expected: str) -> None:
    assert format_percent(value) == expected


@given(st.integers(min_value=0, max_value=1000))
@settings(max_examples=200)
def test_probability_texts_round_trip(thousandths: int) -> None:
    fraction = thousandths / 1000
    as_percent = f"{thousandths // 10},{thousandths % 10} %"
    assert parse_probability(as_percent) == fraction
    assert parse_probability(str(fraction)) == fraction
    assert parse_probability(format_percent(fraction)) == fraction


@given(st.text())
@settings(max_examples=200)
def test_parse_probability_only_ever_raises_parse_error(text: str) -> None:
    try:
        result = parse_probability(text)
    except ParseError:
        return
    assert result is None or 0 <= result <= 1


# --------------------------------------------------------------------------- integers


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3), (" 3 ", 3), (3, 3), (3.0, 3), ("3,0", 3), ("-2", -2), ("1 000", 1000),
     (Decimal("7"), 7), (None, None), ("", None)],
)
def test_parse_int(value: object, expected: int | None) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "« abc » n'est pas un nombre entier"),
        (3.5, "« 3,5 » n'est pas un nombre entier"),
        ("3.5", "« 3.5 » n'est pas un nombre entier"),
        (True, "« VRAI » n'est pas un nombre entier"),
        (float("inf"), "« inf » n'est pas un nombre entier"),
    ],
)
def test_parse_int_errors(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_int(value)
    assert str(caught.value) == message


@given(st.text())
@settings(max_examples=200)
def test_parse_int_only_ever_raises_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_int(text)


# --------------------------------------------------------------------------- contacts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m.martin@email.fr / 06 12 34 56 78", ("m.martin@email.fr", "06 12 34 56 78")),
        ("06 12 34 56 78 / m.martin@email.fr", ("m.martin@email.fr", "06 12 34 56 78")),
        ("06 12 34 56 78", (None, "06 12 34 56 78")),
        ("a@b.fr", ("a@b.fr", None)),
        ("a@b.fr, 06 12 34 56 78", ("a@b.fr", "06 12 34 56 78")),
        ("a@b.fr;0612345678", ("a@b.fr", "0612345678")),
        ("a@b.fr | 06.12.34.56.78", ("a@b.fr", "06.12.34.56.78")),
        ("06 12 34 56 78 - a@b.fr", ("a@b.fr", "06 12 34 56 78")),
        ("a@b.fr\n06 12 34 56 78", ("a@b.fr", "06 12 34 56 78")),
        ("a@b.fr 06  12 34 56 78", ("a@b.fr", "06 12 34 56 78")),
        ("a@b.fr/06-12-34-56-78", ("a@b.fr", "06-12-34-56-78")),
        ("jean-luc@x.fr - +33 6 12 34 56 78", ("jean-luc@x.fr", "+33 6 12 34 56 78")),
        ("voir accueil", (None, None)),
        ("voir accueil / 06 12 34 56 78", (None, "06 12 34 56 78")),
        ("a@b.fr / poste 12", ("a@b.fr", None)),
        ("", (None, None)),
        ("   ", (None, None)),
    ],
)
def test_split_contact(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_contact(text) == expected


@pytest.mark.parametrize(
    ("email", "phone", "expected"),
    [
        ("m.martin@email.fr", "06 12 34 56 78", "m.martin@email.fr / 06 12 34 56 78"),
        ("a@b.fr", None, "a@b.fr"),
        (None, "06 12 34 56 78", "06 12 34 56 78"),
        (None, None, None),
        ("", "  ", None),
    ],
)
def test_join_contact(email: str | None, phone: str | None, expected: str | None) -> None:
    assert join_contact(email, phone) == expected


LETTERS = "abcdefghijklmnopqrstuvwxyz"
EMAILS = st.builds(
    "{}{}@{}.fr".format,
    st.sampled_from(LETTERS),
    st.text(alphabet=LETTERS + "0123456789._-", max_size=10),
    st.text(alphabet=LETTERS, min_size=1, max_size=8),
)
PHONES = st.builds(
    "0{} {:02d} {:02d} {:02d} {:02d}".format,
    *[st.integers(1, 9)] + [st.integers(0, 99)] * 4,
)


@given(st.none() | EMAILS, st.none() | PHONES)
@settings(max_examples=200)
def test_split_contact_reverses_join_contact(email: str | None, phone: str | None) -> None:
    joined = join_contact(email, phone)
    assert split_contact(joined or "") == (email, phone)


CONTACT_PIECES = st.sampled_from([
    "a.b@c.fr", "x@y-z.com", "m.martin@email.fr", "06", "6", " 12", "12", ".34", "+33",
    " ", "  ", " / ", "/", " - ", "-", ",", ";", "|", "\n", "\r", "\t", "@", "tel ",
    "é", "²", "٣", "\u00a0",
])


CONTACT_SHAPES = st.tuples(
    st.sampled_from(["", "a.b@c.fr", "m.martin@email.fr", " a@b.fr"]),
    st.sampled_from(["", " / ", " / ", " /  ", "  / ", "/", " - ", ", ", " "]),
    st.lists(st.sampled_from(["06", "1", "23", "456", " ", "  ", ".", "+33 "]), min_size=1,
             max_size=10).map("".join)
    | st.lists(st.sampled_from(["06", "1", " ", "\t", "-", "/", ",", "²"]), max_size=8).map(
        "".join),
).map("".join)
"""The usual "email / phone" shapes, with the spacing people really type."""


@given(st.lists(CONTACT_PIECES, max_size=9).map("".join) | CONTACT_SHAPES)
@settings(max_examples=1000)
def test_usual_contacts_read_as_the_general_scan_reads_them(text: str) -> None:
    """"email / phone" cells take a short cut: it must never read a cell differently."""
    from relances.text.parsing import _split_any_contact

    expected = _split_any_contact(text) if text.strip() else (None, None)
    assert split_contact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" M.Martin@Email.FR ", "M.Martin@email.fr"),
        ("a@b.fr", "a@b.fr"),
        ("prenom.nom+devis@sous.domaine.com", "prenom.nom+devis@sous.domaine.com"),
    ],
)
def test_check_email(text: str, expected: str) -> None:
    assert check_email(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "« abc » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
        ("a@b", "« a@b » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
        ("a@@b.fr", "« a@@b.fr » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
        ("a b@c.fr", "« a b@c.fr » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
        ("a..b@c.fr", "« a..b@c.fr » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
        ("06 12 34 56 78", "« 06 12 34 56 78 » n'est pas une adresse e-mail (ex. nom@domaine.fr)"),
    ],
)
def test_check_email_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        check_email(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("06 12 34 56 78", "FR", "06 12 34 56 78"),
        ("0612345678", "FR", "06 12 34 56 78"),
        ("06.12.34.56.78", "FR", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "FR", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "FR", "06 12 34 56 78"),
        ("+32 2 123 45 67", "FR", "+32 2 123 45 67"),
        ("0032 2 123 45 67", "FR", "+32 2 123 45 67"),
        ("02 123 45 67", "BE", "02 123 45 67"),
        ("06 12 34 56 78", "fr", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "BE", "+33 6 12 34 56 78"),
    ],
)
def test_normalize_phone(text: str, country: str, expected: str) -> None:
    assert normalize_phone(text, country) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12", "« 12 » n'est pas un numéro de téléphone (ex. 06 12 34 56 78)"),
        ("abc", "« abc » n'est pas un numéro de téléphone (ex. 06 12 34 56 78)"),
        ("06 12 34 56 7", f"« 06 12 34 56 7 » {PHONE_ERROR}"),
        ("1-800-FLOWERS", f"« 1-800-FLOWERS » {PHONE_ERROR}"),
        ("06 12 34 56 78 90 12", f"« 06 12 34 56 78 90 12 » {PHONE_ERROR}"),
    ],
)
def test_normalize_phone_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        normalize_phone(text)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- purity


def test_module_stays_light_and_loads_phonenumbers_lazily() -> None:
    code = (
        "import sys, relances.text.parsing\n"
        "heavy = {'phonenumbers', 'openpyxl', 'rich', 'typer'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("typed", ["8 500 € HT", "8 500 € TTC", "8500 HT", "8 500 H.T.",
                                   "8 500 ttc €", "€ 8 500 HT", "8,5 k€ HT"])
def test_an_amount_that_states_its_tax_reads_as_its_number(typed: str) -> None:
    assert parse_amount(typed) == Decimal("8500.00")


@pytest.mark.parametrize("typed", ["-", "—", "–", "N/A", "n/a", "NC", "?", "à définir",
                                   "A définir", "à voir", "néant"])
def test_what_people_type_for_nothing_yet(typed: str) -> None:
    assert is_placeholder(typed)


@pytest.mark.parametrize("typed", ["Rappeler", "8 500", "Martin", "à relancer"])
def test_real_values_are_no_placeholders(typed: str) -> None:
    assert not is_placeholder(typed)
