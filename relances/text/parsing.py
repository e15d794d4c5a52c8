"""Tolerant reading of what people type into a tracker (text/show writes values back).

Everything here is pure: no I/O, and the clock is never consulted, "today" is always
passed in, so that the same cell reads the same way in a test, a cron job or at midnight.
Tolerant does not mean credulous: every reader accepts a closed list of shapes and raises
ParseError for anything else, because a wrong date silently written back to a client file
costs more than a question asked now.
"""

import functools
import itertools
import re
import unicodedata
from contextlib import suppress
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeGuard

from relances.text.show import SCORE_MAX, quantize, show_typed, to_decimal

_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST_SERIAL = 2_958_465  # 9999-12-31, the last day Excel can show
_CENT = Decimal("0.01")
_TEN_THOUSANDTH = Decimal("0.0001")
_FOLD_TABLE = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})


class ParseError(ValueError):
    """A value could not be read; str(error) is a French fragment naming the value.

    It is a ValueError so that generic code may catch it, and the message is ready to
    show, e.g. « 31/02/2026 » n'est pas une date (JJ/MM/AAAA), so that callers only
    prefix where the value came from (a cell, an option).
    """


# --------------------------------------------------------------------------- text keys


_PLACEHOLDERS = frozenset({"-", "--", "—", "–", "/", "?", "??", "n/a", "na", "n.a.", "nc",
                           "n.c.", "n/c", "a definir", "a voir", "a preciser", "neant",
                           "inconnu", "x"})
"""What people type in a cell to say "nothing yet"."""


def is_placeholder(text: str) -> bool:
    """« - », « N/A », « à définir »…: an empty value for a date, an amount, a status."""
    return len(text) <= 12 and fold(text) in _PLACEHOLDERS


def _strip_accents(text: str) -> str:
    """NFKD splits "é" into "e" + accent and maps look-alikes (NBSP, "ﬁ", "²") to plain ones."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(itertools.filterfalse(unicodedata.combining, decomposed))


def fold(text: str) -> str:
    """Make "Société  Générale" and "societe generale" equal for a "contains" search.

    Accents, case, ligatures, typographic apostrophes and runs of (non-breaking) spaces
    are how the same name gets typed differently; punctuation is kept because it can
    carry meaning in a search ("l'atelier", "a.b@c.fr"). Accents go before casefold,
    which then adds none back ("İ" decomposes to "I" + dot first; a test checks every
    character). `voir` and `liste --chercher` fold every name: ASCII takes a short cut.
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    if _BEYOND_LATIN.search(text) is None:
        return " ".join(text.translate(_latin_folds()).split())
    return " ".join(_fold_chars(text).split())


def _fold_chars(text: str) -> str:
    return _strip_accents(text).casefold().translate(_FOLD_TABLE)


_LATIN_END = 0x300
"""Below the combining accents: each letter folds on its own (« é » to « e »), so a
name in Latin letters folds through one table, twice as fast (`semaine` sorts 30 000
names)."""
_BEYOND_LATIN = re.compile(f"[^\\x00-{chr(_LATIN_END - 1)}]")


@functools.cache
def _latin_folds() -> list[str]:
    """What each character below _LATIN_END folds to, indexed by its code point."""
    return [_fold_chars(chr(code)) for code in range(_LATIN_END)]


def normalize(text: str) -> str:
    """Reduce a header or key to letters and digits so that "Montant estimé (€)" matches
    "montant estime", whatever punctuation, spacing or unit someone added to the column."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
    """A checkbox cell is a bool, which Python counts as an int: it is never a quantity."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# --------------------------------------------------------------------------- dates


_PLAIN_DATES = (
    re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>[1-9]\d{3})", re.ASCII),
    re.compile(r"(?P<year>[1-9]\d{3})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", re.ASCII),
)
"""The two shapes machines write, JJ/MM/AAAA and ISO, read without loading dateutil."""


def _date_error(shown: str) -> ParseError:
    """One message for every unreadable date: the fix is always to type JJ/MM/AAAA."""
    return ParseError(f"« {shown} » n'est pas une date (JJ/MM/AAAA)")


def parse_date(value: object, today: date) -> date | None:
    """Read a date from a cell or the command line; None when the cell is empty.

    Cells hold real dates, Excel serial numbers or text typed by people who write
    "27/01", "demain" or "fin janvier": all of these must mean what they meant to the
    person typing. Anything outside the documented shapes raises ParseError rather than
    being guessed (dateutil alone would read "32/01" as 2032 and "12/13" as December 13).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_number(value):
        return _date_from_serial(value)
    if not isinstance(value, str):
        raise _date_error(show_typed(value))
    text = value.strip()
    if not text:
        return None
    if isinstance(today, datetime):
        today = today.date()
    for shape in _PLAIN_DATES:
        plain = shape.fullmatch(text)
        if plain is not None:
            with suppress(ValueError):  # 31/02: the full readers below word the refusal
                return date(int(plain["year"]), int(plain["month"]), int(plain["day"]))
    from relances.text.datetext import date_from_text  # dateutil and its shapes: text only

    try:
        result = date_from_text(fold(text), today)
    except (ValueError, OverflowError):  # arithmetic beyond year 9999, dateutil refusals
        result = None
    if result is None:
        raise _date_error(text)
    return result


def _date_from_serial(serial: int | float | Decimal) -> date:
    """Excel stores dates as days since 1899-12-30; the fraction is the time of day."""
    days = to_decimal(serial)
    if not days.is_finite() or not 1 <= days < _EXCEL_LAST_SERIAL + 1:
        raise _date_error(show_typed(serial))
    return _EXCEL_EPOCH + timedelta(days=int(days))


# --------------------------------------------------------------------------- numbers

_TAX_AFTER = re.compile(r"\s*(?:h\.?\s?t\.?|t\.?t\.?c\.?)$")
"""« 8 500 € HT », « 8 500 TTC »: the amount is the number, whichever tax it states."""
_CURRENCY_AFTER = re.compile(r"\s*(?:€|eur|euros?)$")
_CURRENCY_BEFORE = re.compile(r"^(?:€|eur|euros?)\s*")
_MULTIPLIER = re.compile(r"\s*(?P<unit>[km])$")
_MULTIPLIERS = {"k": Decimal(1_000), "m": Decimal(1_000_000)}
_AMOUNT_LIMIT = Decimal(10) ** 15
"""Excel keeps 15 significant digits: a longer figure is a paste accident, not an amount."""
_PLAIN_NUMBER = re.compile(r"\d+", re.ASCII)
_ONE_SEPARATOR = re.compile(r"(?P<units>\d+)[.,](?P<fraction>\d+)", re.ASCII)
_GROUPED_NUMBER = re.compile(
    r"(?P<units>[1-9]\d{0,2}(?P<sep>[ .,'])\d{3}(?:(?P=sep)\d{3})*)"
    r"(?:(?P<point>[.,])(?P<fraction>\d+))?",
    re.ASCII,
)
_PERCENT_TEXT = re.compile(r"(?P<number>\d+(?:[.,]\d+)?) ?(?P<percent>%)?", re.ASCII)
_INTEGER_TEXT = re.compile(r"(?P<digits>[+-]?(?:\d{1,3}(?: \d{3})+|\d+))(?:[.,]0+)?", re.ASCII)


def _amount_error(shown: str) -> ParseError:
    """The example shows the expected shape, which is the quickest fix to read."""
    return ParseError(f"« {shown} » n'est pas un montant (ex. 8 500 €)")


def parse_amount(value: object) -> Decimal | None:
    """Read an amount in euros (0 to 10^15 excluded), quantized to cents; None when empty.

    Amounts arrive as numbers from cells or as text written every way French and English
    habits allow ("8.500,50", "8,500.50", "15 k€"); Decimal keeps cents exact.
    """
    if value is None:
        return None
    if (type(value) is float and 0 <= value < 1e15) or (type(value) is int and value >= 0):
        return quantize(to_decimal(value), _CENT).copy_abs()  # the usual cell: a number
    amount: Decimal | None = None
    if isinstance(value, str):
        shown = value.strip()
        if not shown:
            return None
        amount = _amount_from_text(fold(shown))
    else:
        shown = show_typed(value)
        if _is_number(value):
            amount = to_decimal(value)
    if amount is None or not amount.is_finite() or not 0 <= amount < _AMOUNT_LIMIT:
        raise _amount_error(shown)
    return quantize(amount, _CENT).copy_abs()  # a float -0.0 must not print as "-0,00"


def _amount_from_text(text: str) -> Decimal | None:
    """Peel off the tax, the currency and a k/M multiplier, then read what is left."""
    text = _TAX_AFTER.sub("", text, count=1)
    stripped = _TAX_AFTER.sub("", _CURRENCY_AFTER.sub("", text, count=1), count=1)
    if stripped == text:
        stripped = _CURRENCY_BEFORE.sub("", text, count=1)
    factor = Decimal(1)
    multiplier = _MULTIPLIER.search(stripped)
    if multiplier is not None:
        factor = _MULTIPLIERS[multiplier["unit"]]
        stripped = stripped[: multiplier.start()]
    number = _decimal_from_text(stripped, has_multiplier=factor != 1)
    return None if number is None else number * factor


def _decimal_from_text(text: str, has_multiplier: bool) -> Decimal | None:
    """Tell thousands separators from the decimal mark by their shape.

    A lone "1.500" or "1,500" is fifteen hundred (nobody types three decimals of euros),
    but "1,5k" is one and a half thousand; spaces only ever group thousands.
    """
    if _PLAIN_NUMBER.fullmatch(text):
        return Decimal(text)
    match = _ONE_SEPARATOR.fullmatch(text)
    if match is not None:
        units, fraction = match["units"], match["fraction"]
        looks_grouped = len(fraction) == 3 and len(units) <= 3 and not units.startswith("0")
        if looks_grouped and not has_multiplier:
            return Decimal(units + fraction)
        return Decimal(f"{units}.{fraction}")
    match = _GROUPED_NUMBER.fullmatch(text)
    if match is None or match["sep"] == match["point"]:
        return None
    units = match["units"].replace(match["sep"], "")
    return Decimal(f"{units}.{match['fraction'] or 0}")


def _probability_error(shown: str) -> ParseError:
    """Names the accepted range: the usual mistake is 140 or a negative number."""
    return ParseError(f"« {shown} » n'est pas une probabilité (0 à 100 %)")


def parse_probability(value: object) -> float | None:
    """Read a probability as a fraction 0..1 (4 decimals); None when empty.

    Spreadsheets store 40 % as 0.4 while people type 40: a number up to 1 is a fraction,
    above 1 a percentage. Text with a "%" sign is always a percentage ("0,5 %" is 0.005).
    """
    if value is None:
        return None
    if type(value) is float and 0 <= value <= 1:
        # the usual cell: a percentage Excel stores as a fraction
        return float(quantize(to_decimal(value), _TEN_THOUSANDTH))
    fraction: Decimal | None = None
    if isinstance(value, str):
        shown = value.strip()
        if not shown:
            return None
        match = _PERCENT_TEXT.fullmatch(fold(shown))
        if match is not None:
            number = Decimal(match["number"].replace(",", "."))
            fraction = number / 100 if match["percent"] else _as_fraction(number)
    else:
        shown = show_typed(value)
        if _is_number(value):
            number = to_decimal(value)
            fraction = _as_fraction(number) if number.is_finite() and number >= 0 else None
    if fraction is None or fraction > 1:
        raise _probability_error(shown)
    return float(quantize(fraction, _TEN_THOUSANDTH))


def _as_fraction(number: Decimal) -> Decimal:
    """Without a "%" sign, 0.4 and 40 both mean forty percent."""
    return number if number <= 1 else number / 100


def parse_int(value: object) -> int | None:
    """Read a whole number (a count of days, a row); None when empty.

    Cells often hold 3.0 for 3, which is fine; 3.5 is not a whole number and guessing
    which way to round would hide the mistake.
    """
    if value is None:
        return None
    if isinstance(value, str):
        shown = value.strip()
        if not shown:
            return None
        match = _INTEGER_TEXT.fullmatch(fold(shown))
        if match is not None:
            return int(match["digits"].replace(" ", ""))
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    elif _is_number(value):
        number = to_decimal(value)
        if number.is_finite() and number == number.to_integral_value():
            return int(number)
    raise ParseError(f"« {show_typed(value)} » n'est pas un nombre entier")


_SCORE_TEXT = re.compile(rf"(?P<score>\d+)(?:[.,]0+)?(?:\s*(?:/|sur)\s*{SCORE_MAX})?", re.ASCII)


def parse_score(value: object) -> int | None:
    """A satisfaction score, 1 to 5, as typed (4, « 4/5 », « 4 sur 5 »); a half point
    or a 7 is refused rather than rounded, since the client gave a whole number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    score = None
    if isinstance(value, str):
        match = _SCORE_TEXT.fullmatch(fold(value.strip()))
        score = int(match["score"]) if match else None
    else:
        with suppress(ParseError):  # a whole number, or no score at all
            score = parse_int(value)
    if score is None or not 1 <= score <= SCORE_MAX:
        raise ParseError(f"« {show_typed(value)} » n'est pas une note de 1 à {SCORE_MAX}")
    return score


# --------------------------------------------------------------------------- contacts

_EMAIL_IN_TEXT = re.compile(
    r"[\w.!#$%&'*+=?^`{}~-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+"
)
_EMAIL_SHAPE = re.compile(
    r"(?P<local>[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*)"
    r"@(?P<domain>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[\w-]+))"
)
_CONTACT_SEPARATOR = re.compile(r"(?=[\s,;|])\s*(?:[,;|\n]|\s[/-]\s)\s*")
"""The look-ahead only says where a separator can start, so that the scan skips the rest."""
_CONTACT_EDGE = " \t/,;|-"
_MIN_PHONE_DIGITS = 6
_PHONE_SHAPE = re.compile(r"\+?[\d\s().\-/]+")


def split_contact(text: str) -> tuple[str | None, str | None]:
    """Split the single "email / téléphone" cell that small trackers use into its parts.

    People separate them with anything, or nothing but a space, in either order. The
    phone keeps what was typed (reformatting is normalize_phone's job, with the country);
    leftovers with fewer than 6 digits ("voir accueil") are not a phone and are dropped.
    """
    if not text or not text.strip():
        return None, None
    return _split_usual_contact(text) or _split_any_contact(text)


_PLAIN_PHONE = re.compile(r"\+?\d[\d .]*\d", re.ASCII)
"""A phone of digits, spaces and dots only: nothing in it that could separate two parts."""


def _split_usual_contact(text: str) -> tuple[str | None, str | None] | None:
    """The cells a tracker is mostly made of, "email", "email / phone" and "phone", read
    without the general scan (reading 10 000 rows spends half its time splitting contacts).
    Gives exactly what _split_any_contact gives, or None to leave the cell to it."""
    match = _EMAIL_IN_TEXT.match(text) if "@" in text else None
    phone = text
    if match is not None:
        if match.end() == len(text):
            return match.group(), None
        if not text.startswith(" / ", match.end()):
            return None
        phone = text[match.end() + 3:]
    if _PLAIN_PHONE.fullmatch(phone) is None:
        return None
    digits = len(phone) - phone.count(" ") - phone.count(".") - phone.count("+")
    if digits < _MIN_PHONE_DIGITS:
        return None
    return (match.group() if match else None), " ".join(phone.split())


def _split_any_contact(text: str) -> tuple[str | None, str | None]:
    """The first address anywhere in the text, then every separated part with enough digits."""
    match = _EMAIL_IN_TEXT.search(text) if "@" in text else None
    email = match.group() if match else None
    rest = f"{text[: match.start()]}\n{text[match.end():]}" if match else text
    phones = []
    for segment in _CONTACT_SEPARATOR.split(rest):
        candidate = " ".join(segment.strip(_CONTACT_EDGE).split())
        if sum(map(str.isdigit, candidate)) >= _MIN_PHONE_DIGITS:
            phones.append(candidate)
    return email, " / ".join(phones) or None


def join_contact(email: str | None, phone: str | None) -> str | None:
    """The inverse of split_contact, with the separator it reads most surely."""
    parts = [part.strip() for part in (email, phone) if part and part.strip()]
    return " / ".join(parts) or None


def check_email(text: str) -> str:
    """Accept only what has the shape of an address, so that a phone number or a name typed
    in the wrong option is caught; the domain is lowercased because it is case-blind."""
    stripped = text.strip()
    match = _EMAIL_SHAPE.fullmatch(stripped)
    if match is None or len(stripped) > 254:
        raise ParseError(f"« {stripped} » n'est pas une adresse e-mail (ex. nom@domaine.fr)")
    return f"{match['local']}@{match['domain'].lower()}"


def normalize_phone(text: str, country: str = "FR") -> str:
    """Write a phone number the way people of `country` read it: "06 12 34 56 78" at home,
    "+32 2 123 45 67" for a foreign number, so that every row looks alike.

    phonenumbers is imported here because it takes a noticeable time to load.
    """
    import phonenumbers

    stripped = text.strip()
    error = ParseError(f"« {stripped} » n'est pas un numéro de téléphone (ex. 06 12 34 56 78)")
    if not _PHONE_SHAPE.fullmatch(stripped):
        raise error  # letters would be read as a keypad word ("1-800-FLOWERS")
    region = country.upper()
    try:
        number = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        raise error from None
    if not phonenumbers.is_possible_number(number):
        raise error
    if number.italian_leading_zero and not phonenumbers.is_valid_number(number):
        raise error  # a truncated "06 12 34 56 7" keeps its 0 and then looks possible
    home = number.country_code == phonenumbers.country_code_for_region(region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


def split_person(text: str | None) -> tuple[str, str]:
    """"Jean Dupont" → ("Jean", "Dupont"), "M. Martin" → ("", "Martin"): CRMs want the first
    and last names apart; a civility is dropped, a particle stays with the last name."""
    if not text:
        return "", ""
    words = text.split()
    if words and normalize(words[0]) in ("m", "mr", "mme", "mlle", "monsieur", "madame",
                                         "mademoiselle", "dr", "me", "mrs", "ms"):
        words = words[1:]
    if not words:
        return "", ""
    last = len(words) - 1
    for index, word in enumerate(words[1:], start=1):
        if word in ("de", "du", "des", "le", "la", "van", "von", "da", "di") \
                or word.startswith("d'"):
            last = index
            break
    return " ".join(words[:last]), " ".join(words[last:])
