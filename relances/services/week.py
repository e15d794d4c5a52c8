"""The week ahead: semaine, agenda, emails and modeles; the workbook is only read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core.countries import timezone_of
from relances.core.errors import InvalidInput, option
from relances.core.model import (
    Problem,
    Settings,
)
from relances.services.common import TABLE_TEXTS, output_target, read, work_calendar
from relances.workbook.files import replace_atomically, write_atomically

if TYPE_CHECKING:
    from relances.core.routine import Week
    from relances.outputs.drafts import Draft, Prepared


@dataclass
class Weekly:
    """The week `semaine` shows, with the settings its thresholds come from."""

    week: Week
    settings: Settings
    problems: list[Problem]


def weekly(path: Path, today: date, days: int = 7, owner: str | None = None) -> Weekly:
    """Monday 9:00: the week's follow-ups, and what needs a decision."""
    from relances.core.routine import week

    tracker = read(path, today, texts=TABLE_TEXTS)
    return Weekly(week(tracker.prospects, tracker.rules, tracker.settings, today, days, owner),
                  tracker.settings, tracker.problems)


@dataclass
class Agenda:
    """The calendar file `agenda` wrote and what it holds."""

    path: Path
    written: bool
    """False when there was nothing to put in a calendar: no file is written then."""
    followups: int
    overdue: int
    routine: int
    start: date
    end: date
    overdue_day: date
    """The day the overdue follow-ups are placed on: today, or the next working day."""
    timezone: str
    problems: list[Problem]


def agenda(path: Path, today: date, days: int = 7, output: str | None = None,
           routine: bool = False) -> Agenda:
    """The period's follow-ups (and the weekly routine) as an .ics file; the workbook is
    only read. Overdue follow-ups are placed on the first working day from today."""
    from relances.core.routine import week
    from relances.outputs.agenda import calendar_bytes, followup_events, routine_events

    target = _agenda_target(path, today, output)
    tracker = read(path, today)
    settings = tracker.settings
    selected = week(tracker.prospects, tracker.rules, settings, today, days)
    # The clients' calls (satisfaction, reactivation) go in beside the deals'.
    overdue = [*selected.overdue, *(i for i in selected.clients if i.prospect.is_overdue(today))]
    due = [*selected.due, *(i for i in selected.clients if i.prospect.is_due(today,
                                                                            selected.end))]
    first_day = work_calendar(settings).next_working_day(today) if overdue else today
    events = followup_events(path.name, overdue, due, settings.agenda_time, first_day)
    blocks = routine_events(path.name, today) if routine else []
    timezone = timezone_of(settings.country)
    if events or blocks:
        write_atomically(target, calendar_bytes([*events, *blocks], timezone, today))
    return Agenda(target, bool(events or blocks), len(events), len(overdue),
                  len(blocks), selected.start, selected.end, first_day, timezone,
                  tracker.problems)


def _agenda_target(path: Path, today: date, output: str | None) -> Path:
    """Beside the workbook by default; --sortie names a file or a folder, always a .ics
    (the file is replaced without asking, so it must never be a workbook)."""
    from relances.outputs.agenda import agenda_filename

    if output is None:
        return path.parent / agenda_filename(today)
    return output_target(output, agenda_filename(today), (".ics",),
                         "un fichier .ics (il est remplacé à chaque export)", "agenda.ics")


@dataclass
class Written:
    """What a run left in the drafts folder: new files, files kept, files replaced."""

    folder: Path
    written: list[Draft] = field(default_factory=list)
    kept: list[Draft] = field(default_factory=list)
    replaced: list[Draft] = field(default_factory=list)


@dataclass
class Drafts:
    """What `relances emails` prepared and where; the workbook is only read."""

    prepared: Prepared
    written: Written | None
    """None when the period has nothing to draft: no folder is made then."""
    settings: Settings
    problems: list[Problem]


def drafts(path: Path, today: date, days: int = 7, output: str | None = None,
           templates: str | None = None, replace: bool = False) -> Drafts:
    """The period's email drafts and call scripts, all rendered before any is written."""
    from relances.outputs.drafts import prepare
    from relances.outputs.templates import user_templates

    folder = _drafts_folder(path, today, output)
    chosen = user_templates(path, templates)
    tracker = read(path, today)
    prepared = prepare(tracker.prospects, tracker.rules, tracker.settings, today, days, chosen,
                       tracker.contacts)
    written = _write_drafts(prepared, folder, replace, path.name) if prepared.drafts else None
    return Drafts(prepared, written, tracker.settings, tracker.problems)


def _drafts_folder(path: Path, today: date, output: str | None) -> Path:
    """Beside the workbook by default; `output` names the folder itself."""
    from relances.outputs.drafts import week_folder

    if output is None:
        return path.parent / week_folder(today)
    folder = Path(output).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"« {output} » est un fichier, pas un dossier : donnez le dossier "
                           "où écrire les brouillons.", about="output")
    return folder


def _write_drafts(prepared: Prepared, folder: Path, replace: bool, book: str) -> Written:
    """Write the drafts (keeping those already there unless `replace`), then index.txt."""
    from relances.outputs.drafts import index_text

    result = Written(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for draft in prepared.drafts:
            target = folder / draft.filename
            if target.exists() and not replace:
                result.kept.append(draft)
                continue
            (result.replaced if target.exists() else result.written).append(draft)
            write_atomically(target, draft.data)
        write_atomically(folder / "index.txt", index_text(prepared, result.kept, book).encode())
    except OSError:
        raise InvalidInput(
            f"Impossible d'écrire dans « {folder} » : vérifiez que le dossier est accessible "
            "en écriture et qu'aucun brouillon n'est ouvert, ou choisissez-en un autre avec "
            f"{option('output')}.") from None
    return result


@dataclass
class CopiedTemplates:
    """Which templates `modeles` copied and which it left as the user changed them."""

    folder: Path
    copied: list[str]
    kept: list[str]
    beside_workbook: bool
    """True when `relances emails` finds the folder by itself (no folder to name)."""


def copy_templates(path: Path, folder: str | None = None) -> CopiedTemplates:
    """The built-in templates, copied beside the workbook for the user to edit, never
    over a file there."""
    from relances.outputs.templates import builtin_bytes, builtin_templates, templates_folder

    target = templates_folder(path, folder)
    copied: list[str] = []
    kept: list[str] = []
    try:
        for name in builtin_templates():
            copy = target / name
            if copy.exists():
                kept.append(name)
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            data = builtin_bytes(name)
            replace_atomically(copy, lambda stream, data=data: stream.write(data),
                               exclusive=True)
            copied.append(name)
    except OSError:
        raise InvalidInput(f"Impossible d'écrire dans « {target} » : vérifiez que le dossier "
                           "est accessible en écriture, ou choisissez-en un autre avec "
                           f"{option('templates')}.") from None
    return CopiedTemplates(target, copied, kept, folder is None)
