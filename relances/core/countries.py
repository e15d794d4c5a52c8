"""The countries a tracker may work in, each with its time zone; the country code is also
the one the public holidays are looked up by (the holidays library)."""

TIMEZONES = {
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "LU": "Europe/Luxembourg",
    "CA": "America/Toronto",
}
"""The country of Paramètres gives the time zone the agenda and the drafts' dates are
written in."""

COUNTRIES = tuple(TIMEZONES)


def timezone_of(country: str) -> str:
    """A country we do not know (a typo the settings reader already reported) is France."""
    return TIMEZONES.get(country.upper(), TIMEZONES["FR"])
