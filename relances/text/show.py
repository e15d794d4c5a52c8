"""Every value written back for a French reader: 8 500 €, 23,5 %, 37 jours, 10 janvier,
janv. 2026, 05/12, 27/01/2026, ISO dates for programs, the decimal comma, and
`show_value`, a value of the tracker on one line.

Plain functions of plain values, the reverse of text/parsing: what one writes, the
other reads back.
"""

import functools
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import Enum

NBSP = "\u00a0"
"""French typography wants a non-breaking space before € and % and between thousands."""
EMPTY = "—"
"""What a missing amount or percentage looks like in a table: visibly absent, not zero."""

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
_SHORT_MONTH_NAMES = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                      "sept.", "oct.", "nov.", "déc.")


def json_number(value: Decimal | None) -> int | float | None:
    """An amount for programs: 8500, not "8500.00", and 8500.5 as a number."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_decimal(value: int | float | Decimal) -> Decimal:
    """repr() gives the shortest float text, so 0.1 becomes Decimal("0.1"), not 0.1000…0555."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def quantize(value: Decimal, step: Decimal) -> Decimal:
    """Round half up, as people do by hand, with enough precision for any finite value
    (the default 28 digits would raise on a float such as 1e30)."""
    digits = value.adjusted() + 10
    context = CONTEXT_28 if digits <= CONTEXT_28.prec else Context(prec=digits)
    return value.quantize(step, rounding=ROUND_HALF_UP, context=context)


CONTEXT_28 = Context(prec=28)
"""Shared by every usual amount: making a Context costs more than the rounding itself."""


# --------------------------------------------------------------------------- dates


def format_date(value: date | None) -> str:
    """JJ/MM/AAAA with zero padding: the form parse_date reads back and French readers expect."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


_WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_weekday(value: date) -> str:
    """« samedi 05/12 »: a day the user places in the week at once."""
    return f"{_WEEKDAY_NAMES[value.weekday()]} {day_month(value)}"


def day_month(value: date) -> str:
    """05/12: a date of this year, where the year goes without saying."""
    return f"{value.day:02d}/{value.month:02d}"


@functools.lru_cache(maxsize=4096)
def short_date(value: date | None, today: date) -> str:
    """13/01 within the current year, 13/01/25 otherwise: a list that fits 80 columns.
    Cached: 10 000 prospects share a few hundred dates."""
    if value is None:
        return ""
    if value.year == today.year:
        return day_month(value)
    return f"{day_month(value)}/{value.year % 100:02d}"


def iso_date(value: date | None) -> str | None:
    """2026-01-27, for programs (JSON, CSV); None when there is no date."""
    return value.isoformat() if value else None


def iso_month(value: date) -> str:
    """2026-01, a month for programs."""
    return f"{value:%Y-%m}"


def format_month(value: date) -> str:
    """« janv. 2026 »: a month in a table or under a chart, abbreviated as French does."""
    return f"{_SHORT_MONTH_NAMES[value.month - 1]} {value.year}"


def format_day_month(value: date) -> str:
    """French writes the first of the month as an ordinal: "1er février", "10 janvier"."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTH_NAMES[value.month - 1]}"


# --------------------------------------------------------------------------- numbers


def decimal_comma(number: object) -> str:
    """8500,5: a number as a French reader types it, without grouping or unit."""
    return str(number).replace(".", ",")


def _tenths(rounded: Decimal) -> str:
    """32,5 or 12 for a number already rounded to a tenth (int() also drops the sign of a
    rounded -0.0)."""
    return str(int(rounded)) if rounded == rounded.to_integral_value() else \
        decimal_comma(rounded)


def format_tenths(value: float | None) -> str:
    """32,5 or 12: one decimal at most, rounded as people round (half up); « — » for
    nothing."""
    if value is None:
        return EMPTY
    return _tenths(quantize(to_decimal(value), _TENTH))


SCORE_MAX = 5
"""Satisfaction is scored from 1 to 5, the scale the survey call script asks for."""


def format_score(value: float | None) -> str:
    """« 4,2 / 5 »: a satisfaction score or an average of them, out of five."""
    return EMPTY if value is None else f"{format_tenths(value)} / {SCORE_MAX}"


def format_count(value: int) -> str:
    """12: a count as it is; a function of its own so that a table's column says what it
    holds."""
    return str(value)


def format_days(value: float | None) -> str:
    """« 32,5 jours », one decimal at most; French keeps the singular below two."""
    if value is None:
        return EMPTY
    rounded = quantize(to_decimal(value), _TENTH)
    return f"{_tenths(rounded)} jour{'s' if rounded >= 2 else ''}"


@functools.lru_cache(maxsize=4096)
def format_amount(amount: Decimal | float | int | None) -> str:
    """Write "8 500 €" or "8 500,50 €": cents only when there are some, as on a French
    quote, with no-break spaces so that a figure never wraps away from its euro sign."""
    if amount is None:
        return EMPTY
    value = to_decimal(amount)
    if not value.is_finite():
        return EMPTY
    total_cents = int(quantize(abs(value), _CENT) * 100)
    units, cents = divmod(total_cents, 100)
    text = f"{units:,}".replace(",", NBSP)
    if cents:
        text += f",{cents:02d}"
    sign = "-" if value < 0 and total_cents else ""
    return f"{sign}{text}{NBSP}€"


@functools.lru_cache(maxsize=4096)
def format_percent(value: float | None) -> str:
    """Write "30 %" or "23,5 %": one decimal at most, because probabilities are estimates."""
    if value is None:
        return EMPTY
    fraction = to_decimal(value)
    if not fraction.is_finite():
        return EMPTY
    return f"{_tenths(quantize(fraction * 100, _TENTH))}{NBSP}%"


# --------------------------------------------------------------------------- any value


def show_typed(value: object) -> str:
    """Echo a value in error messages the way a French spreadsheet user would see it."""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float | Decimal):
        return decimal_comma(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, str):
        return value.strip()
    return str(value)




def show_value(value: object, width: int | None = None) -> str:
    """A value of the tracker on one line, as its column shows it: an amount in euros, a
    probability (the only fraction a prospect holds) in per cent, a status by its name,
    « — » for nothing; a text longer than `width` ends with « … »."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, float):
        return format_percent(value)
    if isinstance(value, date):
        return format_date(value)
    text = " ".join(str(value).split())
    return text if width is None or len(text) <= width else text[:width - 1] + "…"
