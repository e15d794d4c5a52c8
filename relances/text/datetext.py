"""Dates typed as text: "27/01", "27 janvier 2026", "demain", "lundi", "j+7", "fin janvier".

parse_date reads real dates and Excel serials itself and comes here only for text,
so that reading a workbook whose dates are real dates never loads dateutil. Every
reader accepts one family of shapes and returns None for anything else.
"""

import copy
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Self

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import FR as FRIDAY
from dateutil.relativedelta import MO as MONDAY
from dateutil.relativedelta import relativedelta


class _FrenchParserInfo(dateutil_parser.parserinfo):
    """French vocabulary for dateutil, which only knows English month and day names.

    Names are given without accents because input is folded first. "mar" means mardi,
    never mars, since dateutil tries weekdays before months.
    """

    JUMP = [" ", ".", ",", ";", "-", "/", "'", "le", "er", "t"]  # noqa: RUF012 (dateutil API)
    WEEKDAYS = [  # noqa: RUF012
        ("lun", "lundi"), ("mar", "mardi"), ("mer", "mercredi"), ("jeu", "jeudi"),
        ("ven", "vendredi"), ("sam", "samedi"), ("dim", "dimanche"),
    ]
    MONTHS = [  # noqa: RUF012
        ("jan", "janv", "janvier"), ("fev", "fevr", "fevrier"), ("mars",), ("avr", "avril"),
        ("mai",), ("juin",), ("juil", "juill", "juillet"), ("aou", "aout"),
        ("sep", "sept", "septembre"), ("oct", "octobre"), ("nov", "novembre"),
        ("dec", "decembre"),
    ]
    pivot_year = 2000

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        """dateutil resolves "26" against the wall clock; resolve it against the caller's
        today instead (the century within 50 years of it), so results never drift."""
        if year >= 100 or century_specified:
            return year
        full = self.pivot_year // 100 * 100 + year
        if full >= self.pivot_year + 50:
            return full - 100
        if full < self.pivot_year - 50:
            return full + 100
        return full

    def for_today(self, today: date) -> Self:
        """A shallow copy per call keeps the shared instance immutable (thread-safe)."""
        info = copy.copy(self)
        info.pivot_year = today.year
        return info


# dateutil's constructor notes the current year for its own two-digit-year pivot; our
# convertyear replaces that pivot with the caller's today, so no result depends on it.
_FRENCH = _FrenchParserInfo(dayfirst=True)
_DEFAULT_DAY = datetime(2000, 1, 1)  # a leap year, so that "29/02" survives until a year is chosen
_WEEKDAY_NAMES = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"

_TIME = r"(?:(?: |t)(?:\d{1,2}(?::\d{2}){1,2}|\d{1,2}h(?:\d{2})?))?"
_PREFIX = r"(?:le )?(?:(?P<weekday>[a-z]+)\.?,? )?(?:le )?"
_DMY = re.compile(
    _PREFIX + r"(?P<body>(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<year>[1-9]\d{3}|\d{2})" + _TIME + ")",
    re.ASCII,
)
_YMD = re.compile(
    r"(?P<body>(?P<year>[1-9]\d{3})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    + _TIME + ")",
    re.ASCII,
)
_DM = re.compile(_PREFIX + r"(?P<body>(?P<day>\d{1,2})/(?P<month>\d{1,2}))", re.ASCII)
_DAY_MONTH_NAME = re.compile(
    _PREFIX + r"(?P<body>(?P<day>\d{1,2})(?P<ordinal>er)? (?P<month>[a-z]+)\.?"
    r"(?: (?P<year>[1-9]\d{3}|\d{2}))?" + _TIME + ")",
    re.ASCII,
)
_EXPLICIT_SHAPES = ((_YMD, True), (_DMY, False), (_DM, False), (_DAY_MONTH_NAME, False))

_DAY_WORDS = (
    (re.compile(r"aujourd'? ?hui"), 0),
    (re.compile(r"demain"), 1),
    (re.compile(r"apres[- ]demain"), 2),
    (re.compile(r"hier"), -1),
    (re.compile(r"avant[- ]hier"), -2),
)
_WEEKDAY = re.compile(rf"(?P<name>{_WEEKDAY_NAMES})(?: prochain)?")
_DAY_OFFSET = re.compile(r"(?:j ?(?P<sign>[+-])|\+) ?(?P<days>\d{1,6})", re.ASCII)
_IN_PERIOD = re.compile(
    r"dans (?P<count>\d{1,4}|une?) (?P<unit>jours?|semaines?|mois|ans?|annees?)", re.ASCII
)
_UNITS = {
    "jour": "days", "jours": "days", "semaine": "weeks", "semaines": "weeks",
    "mois": "months", "an": "years", "ans": "years", "annee": "years", "annees": "years",
}
_NEXT_WEEK = re.compile(r"(?:la )?semaine prochaine")
_END_OF_WEEK = re.compile(r"(?:en )?fin de (?:la )?semaine")
_END_OF_MONTH = re.compile(r"(?:en )?fin (?:du|de|de ce) mois")
_MONTH_PART = re.compile(
    r"(?P<part>fin|debut|mi)[- ](?:de |d')?(?P<month>[a-z]+)\.?(?: (?P<year>[1-9]\d{3}))?",
    re.ASCII,
)
_MONTH_PARTS = {
    "debut": relativedelta(day=1), "mi": relativedelta(day=15), "fin": relativedelta(day=31),
}


def date_from_text(text: str, today: date) -> date | None:
    """Try each family of shapes in turn; each returns None when the text is not its shape."""
    readers: tuple[Callable[[str, date], date | None], ...] = (
        _read_day_word, _read_weekday, _read_offset, _read_week_or_month_end,
        _read_month_part, _read_explicit,
    )
    for reader in readers:
        found = reader(text, today)
        if found is not None:
            return found
    return None


def _read_day_word(text: str, today: date) -> date | None:
    """People on the phone schedule a follow-up with "demain" or "après-demain"."""
    for pattern, days in _DAY_WORDS:
        if pattern.fullmatch(text):
            return today + timedelta(days=days)
    return None


def _read_weekday(text: str, today: date) -> date | None:
    """A weekday named on that very day means next week's: nobody says "lundi" for today."""
    match = _WEEKDAY.fullmatch(text)
    if match is None:
        return None
    return today + relativedelta(days=1, weekday=_FRENCH.weekday(match["name"]))


def _read_offset(text: str, today: date) -> date | None:
    """Cadences are spoken as "j+7" or "dans 2 semaines"; relativedelta keeps "dans 1 mois"
    on the same day of the month, clamped to its end (31/01 -> 28/02)."""
    match = _DAY_OFFSET.fullmatch(text)
    if match is not None:
        days = int(match["days"])
        return today + timedelta(days=-days if match["sign"] == "-" else days)
    match = _IN_PERIOD.fullmatch(text)
    if match is None:
        return None
    count = 1 if match["count"] in ("un", "une") else int(match["count"])
    unit = _UNITS[match["unit"]]
    return today + relativedelta(**{unit: count})


def _read_week_or_month_end(text: str, today: date) -> date | None:
    """Vague deadlines still need a day: next week starts on Monday, a week ends on Friday
    (the working week; at the weekend it is next week's), a month on its last day."""
    if _NEXT_WEEK.fullmatch(text):
        return today + relativedelta(days=1, weekday=MONDAY)
    if _END_OF_WEEK.fullmatch(text):
        return today + relativedelta(weekday=FRIDAY)
    if _END_OF_MONTH.fullmatch(text):
        return today + relativedelta(day=31)
    return None


def _read_month_part(text: str, today: date) -> date | None:
    """A month with a vague day ("fin janvier", "début février", "mi-mars") still needs a
    day: the last, the 1st or the 15th, in the year nearest to today unless one is given."""
    match = _MONTH_PART.fullmatch(text)
    if match is None:
        return None
    month = _FRENCH.month(match["month"])
    if month is None:
        return None
    offset = _MONTH_PARTS[match["part"]]

    def build(year: int) -> date:
        return date(year, month, 1) + offset

    if match["year"] is not None:
        return build(int(match["year"]))
    return _nearest(today, build)


def _read_explicit(text: str, today: date) -> date | None:
    """Numeric and "27 janvier" dates: the regex gates the shape, dateutil reads it (month
    names, two-digit years, day-in-month checks, time), and the fields are checked back
    because dateutil swaps or rolls over fields it finds impossible instead of failing."""
    for pattern, year_first in _EXPLICIT_SHAPES:
        match = pattern.fullmatch(text)
        if match is not None:
            return _resolve_explicit(match, today, year_first)
    return None


def _resolve_explicit(match: re.Match[str], today: date, year_first: bool) -> date | None:
    """Turn a gated match into a date, or None when any field is impossible."""
    fields = match.groupdict()
    day = int(fields["day"])
    month = int(fields["month"]) if fields["month"].isdigit() else _FRENCH.month(fields["month"])
    if month is None or (fields.get("ordinal") and day != 1):
        return None
    parsed = dateutil_parser.parse(
        match["body"], parserinfo=_FRENCH.for_today(today), dayfirst=not year_first,
        yearfirst=year_first, default=_DEFAULT_DAY,
    ).date()
    if (parsed.day, parsed.month) != (day, month):
        return None
    year = fields.get("year")
    if year is None:
        result = _nearest(today, lambda candidate: date(candidate, month, day))
    elif parsed.year % 10 ** len(year) == int(year):
        result = parsed
    else:
        return None
    weekday = fields.get("weekday")
    if result is not None and weekday is not None and _FRENCH.weekday(weekday) != result.weekday():
        return None  # "lundi 27 janvier" when the 27th is a Tuesday: ask rather than pick one
    return result


def _nearest(today: date, build: Callable[[int], date]) -> date | None:
    """A date typed without a year means its closest occurrence: in November "27/01" is
    next January and "15/10" last month. Ties go to the future, where follow-ups live.
    Only the previous, current and next years are tried: a 29/02 years away is a typo."""
    candidates: list[date] = []
    for year in (today.year - 1, today.year, today.year + 1):
        with suppress(ValueError):
            candidates.append(build(year))
    return min(candidates, key=lambda d: (abs((d - today).days), d < today), default=None)
