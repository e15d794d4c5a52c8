"""What the use cases share: which workbook, where an output goes, reading the tracker,
finding a prospect, the working calendar, the changes a write made."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core.errors import InvalidInput, NotFound, option
from relances.core.model import (
    Prospect,
    Settings,
    Tracker,
)
from relances.text.parsing import fold
from relances.text.show import format_date, format_score, show_value

if TYPE_CHECKING:
    from relances.core.workdays import WorkCalendar


def output_target(output: str, default_name: str, suffixes: tuple[str, ...], kind: str,
                  example: str, about: str = "output") -> Path:
    """--sortie (or --pdf: `about`) names a file, or a folder that then gets the default
    name. The file is replaced without asking, so its suffix is checked: it is never the
    workbook."""
    target = Path(output).expanduser()
    if target.is_dir():
        return target / default_name
    if not target.suffix:
        target = target.with_name(target.name + suffixes[0])
    if target.suffix.lower() not in suffixes:
        raise InvalidInput(f"« {output} » doit être {kind} : par exemple "
                           f"{option(about)} {example}.", about=about)
    if not target.parent.is_dir():
        raise InvalidInput(f"le dossier « {target.parent} » n'existe pas : "
                           "créez-le ou choisissez un autre dossier.", about=about)
    return target


def clean_text(text: str | None) -> str | None:
    return text.strip() or None if text else None


def refuse_future(about: str, when: date | None, today: date) -> None:
    """An exchange is dated the day it took place: never after today."""
    if when is not None and when > today:
        raise InvalidInput(
            f"le {format_date(when)} est dans le futur : un échange se date du "
            f"jour où il a eu lieu, aujourd'hui ({format_date(today)}) au plus tard.",
            about=about)


def worked(when: date | None, calendar: WorkCalendar) -> tuple[date | None, Moved | None]:
    """A follow-up date typed by hand falls on a working day, as the cadence's do: a
    Saturday or a public holiday moves to the next worked day, and the move is said."""
    if when is None:
        return None, None
    day = calendar.next_working_day(when)
    return day, (Moved(when, day) if day != when else None)


@dataclass(frozen=True)
class Moved:
    """A date given by hand that fell on a day off, and the working day it moved to."""

    typed: date
    planned: date


TABLE_TEXTS = frozenset({"name", "action", "owner", "alert"})
"""The free-text fields the tables of `semaine` and `liste` sort, show and colour by:
50 000 rows are read a tenth faster without the others (history, notes, the contact
cell split in two…)."""


def read(path: Path, today: date, journal: bool = False,
         texts: frozenset[str] | None = None) -> Tracker:
    from relances.workbook.read import read_tracker

    return read_tracker(path, today, journal, texts)


def followup_order(prospect: Prospect) -> tuple[date, str]:
    """Soonest follow-up first; prospects with nothing planned come last."""
    return (prospect.next_followup or date.max, prospect.name.casefold())


_ROW_QUERY = re.compile(r"(?:ligne|l)\s*(\d+)", re.IGNORECASE)


def find_prospect(prospects: Sequence[Prospect], query: str) -> Prospect:
    """QUI is an ID, a row (« ligne 12 », « L12 ») or words of the name, in any order,
    without caring for case, accents or punctuation: « atelier deco » is « L'Atelier /
    Déco »."""
    text = query.strip()
    row = _ROW_QUERY.fullmatch(text)
    if text.isdigit():
        matches = [p for p in prospects if p.id == int(text)]
    elif row:
        matches = [p for p in prospects if p.row == int(row[1])]
    else:
        wanted = _words(text)
        named = [(p, _words(p.name)) for p in prospects]
        matches = [p for p, words in named if wanted and all(
            any(word in other for other in words) for word in wanted)]
        exact = [p for p, words in named if words == wanted and p in matches]
        matches = exact or matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"Aucun prospect ne correspond à « {query} » : vérifiez l'orthographe, ou "
            f"cherchez avec relances liste {option('search')} \"{query}\".")
    with_ids = all(p.id is not None for p in matches)
    names = ", ".join(f"{p.id} {p.name}" if with_ids else f"ligne {p.row} {p.name}"
                      for p in matches[:10])
    hint = "donnez l'ID" if with_ids else f"donnez la ligne (« ligne {matches[0].row} »)"
    raise NotFound(f"« {query} » désigne {len(matches)} prospects ({names}) : précisez le "
                   f"nom ou {hint}.")


def _words(text: str) -> list[str]:
    """The words of a name, folded: punctuation separates, it never has to match."""
    return re.findall(r"[^\W_]+", fold(text))


@dataclass(frozen=True)
class Change:
    """One field `maj` or `planifier` changed, as the user will read it."""

    label: str
    before: str
    after: str


_SHOWN = (
    ("status", "Statut"), ("probability", "Probabilité"), ("last_contact", "Dernier contact"),
    ("status_since", "Statut depuis"), ("followups_done", "Relances faites"),
    ("next_followup", "Prochaine relance"), ("action", "Action prévue"), ("alert", "Alerte"),
    ("lost_reason", "Motif perte"), ("satisfaction", "Satisfaction"),
)
_SHOWN_AS = {"satisfaction": format_score}
"""The values the workbook shows as a plain number but a reader wants out of five."""


def changes_between(before: Prospect, after: Prospect, fields: Sequence[str]) -> list[Change]:
    """What moved, before → after, in the words and formats of the workbook."""
    return [Change(label, shown(getattr(before, key)), shown(getattr(after, key)))
            for key, label in _SHOWN
            if key in fields and getattr(before, key) != getattr(after, key)
            for shown in [_SHOWN_AS.get(key, show_value)]]


def changed_fields(before: Prospect, after: Prospect, fields: Sequence[str]) -> list[str]:
    """The columns to write back: a single Contact cell only when its email or phone
    changed (rewriting it unchanged would still replace what the user typed)."""
    contact = (before.email, before.phone) != (after.email, after.phone)
    return [f for f in fields if (contact if f == "contact"
                                  else getattr(before, f, None) != getattr(after, f, None))]


def work_calendar(settings: Settings) -> WorkCalendar:
    from relances.core.workdays import WorkCalendar

    return WorkCalendar(settings.country, settings.working_days_only)
