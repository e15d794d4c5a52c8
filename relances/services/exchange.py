"""Files beside the workbook: accueil's checklist, importer, exporter."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core import accounts
from relances.core.accounts import AccountsSource
from relances.core.errors import InvalidInput, option
from relances.core.model import JournalEntry, Problem, Prospect, Tracker
from relances.services.common import find_prospect, output_target, read, work_calendar
from relances.text.parsing import normalize
from relances.workbook.files import write_atomically

if TYPE_CHECKING:
    from relances.core.importing import SourceRow, SourceSheet
    from relances.core.merging import ImportPlan
    from relances.core.onboarding import Onboarding
    from relances.workbook.update import Update


@dataclass
class Welcome:
    """What `relances accueil` made for one client; the workbook is only read."""

    path: Path
    written: bool
    """False when the very same checklist was already there: it is left untouched."""
    markdown: bool
    plan: Onboarding
    sections: int
    boxes: int
    folder: ClientFolder | None
    problems: list[Problem]


def welcome(path: Path, today: date, query: str, trade: str | None = None,
            output: str | None = None, folder: bool = False,
            replace: bool = False) -> Welcome:
    """The onboarding checklist of one client, as a PDF or in Markdown, and the client's
    folder when asked. Everything is read, rendered and checked before anything is made.

    A checklist already on disk may have been ticked on screen: it is replaced only with
    --remplacer, unless it is byte for byte what this run would write (the PDF is made
    reproducibly), so running the same command twice is harmless."""
    from relances.core.onboarding import onboarding, parse_checklist
    from relances.outputs.checklist import checklist_markdown, checklist_pdf
    from relances.outputs.templates import user_templates

    tracker = read(path, today)
    prospect = find_prospect(tracker.prospects, query)
    target = _welcome_target(path, prospect, output)
    markdown = target.suffix.lower() == ".md"
    plan = onboarding(prospect, tracker.rules, tracker.settings.max_followups,
                      work_calendar(tracker.settings), trade,
                      "status_since" in tracker.columns)
    text = checklist_markdown(plan, user_templates(path, None))
    footer = " · ".join(filter(None, (tracker.settings.company,
                                      f"Liste d'accueil de {prospect.name}")))
    data = text.encode("utf-8") if markdown else checklist_pdf(text, footer)
    same = target.is_file() and target.read_bytes() == data
    if (target.exists() or target.is_symlink()) and not same and not replace:
        raise InvalidInput(
            f"« {target} » existe déjà et diffère de la liste à écrire (cases cochées, notes "
            f"ou classeur modifiés depuis) : ajoutez {option('replace')} pour l'écraser, ou "
            f"choisissez un autre fichier avec {option('output')}. Rien n'a été écrit.")
    made = make_client_folder(path.parent, prospect) if folder else None
    if not same:
        write_atomically(target, data)
    shape = parse_checklist(text)
    return Welcome(target, not same, markdown, plan, len(shape.sections), shape.boxes, made,
                   tracker.problems)


def _welcome_target(path: Path, prospect: Prospect, output: str | None) -> Path:
    """accueil-<nom>.pdf beside the workbook by default; --sortie names a .pdf or .md file,
    or a folder to put the default name in (never the workbook: only .pdf and .md)."""
    from relances.outputs.checklist import checklist_filename

    if output is None:
        return path.parent / checklist_filename(prospect)
    return output_target(output, checklist_filename(prospect), (".pdf", ".md"),
                         "un fichier .pdf (à imprimer) ou .md (Markdown)", "accueil.pdf")


@dataclass(frozen=True)
class ClientFolder:
    """The client's folder, and which of its parts this run made."""

    path: Path
    created: list[str]
    """The folders made by this run ("" for the client's folder itself)."""
    existing: list[str]


def make_client_folder(root: Path, prospect: Prospect) -> ClientFolder:
    """clients/<Nom>/ and its sub-folders: only what is missing is created, nothing that
    exists is renamed, emptied or rewritten. A folder that differs only by case or
    accent composition (macOS writes accents decomposed) is taken as the same one."""
    from relances.core.onboarding import CLIENTS_FOLDER, SUBFOLDERS, client_folder_name

    name = client_folder_name(prospect)
    clients = root / CLIENTS_FOLDER
    folder = _existing_entry(clients, name) or clients / name
    created: list[str] = []
    existing: list[str] = []
    try:
        for path, label in ((clients, None), (folder, ""),
                            *((_existing_entry(folder, sub) or folder / sub, sub)
                              for sub in SUBFOLDERS)):
            if path.is_dir():
                if label is not None:
                    existing.append(label)
                continue
            if path.exists() or path.is_symlink():
                raise InvalidInput(
                    f"« {path} » existe déjà et n'est pas un dossier : renommez-le, "
                    "relances ne touche pas aux fichiers existants.")
            path.mkdir()
            if label is not None:
                created.append(label)
    except OSError as failure:
        raise InvalidInput(f"Impossible de créer le dossier client « {folder} » "
                           f"({failure.strerror or failure}) : vérifiez que le dossier du "
                           "classeur est accessible en écriture.") from None
    return ClientFolder(folder, created, existing)


def _existing_entry(parent: Path, name: str) -> Path | None:
    wanted = unicodedata.normalize("NFC", name).casefold()
    if not parent.is_dir():
        return None
    for entry in sorted(parent.iterdir()):
        if unicodedata.normalize("NFC", entry.name).casefold() == wanted:
            return entry
    return None


@dataclass
class Imported:
    """What `importer` did (or would do, with --simulation), row by row."""

    source: str
    """How the file is named in messages ("clients.xlsx, feuille Contacts")."""
    detail: str
    """What was detected: "CSV, séparateur « ; », encodage Windows-1252"."""
    rows: int
    plan: ImportPlan
    added: list[Prospect]
    """The new prospects, with their ID and row once written."""
    ignored_columns: Sequence[str]
    simulated: bool
    problems: list[Problem]
    """The tracker's own unreadable rows (they cannot be matched)."""
    backup: Path | None = None
    unit: str = "ligne"
    """What the file's numbers count: its lines, or the accounts of a JSON file."""


Progress = Callable[[str, int, int | None], None]


"""progress(what is being done, done, total or None): ui draws it when it takes a while."""


def import_prospects(path: Path, today: date, now: datetime, source: str,
                     simulate: bool = False,
                     sheet: str | None = None, overrides: Sequence[tuple[str, str]] = (),
                     force: bool = False, progress: Progress | None = None) -> Imported:
    """Add the file's new prospects and fill the empty fields of those already there, in
    one safe write; rows that do not read are left out with their reasons, and a file
    with no usable row at all changes nothing. `overrides` are (header, field) pairs: the
    columns the user mapped by hand."""
    from relances.core.importing import read_rows
    from relances.core.merging import plan_import
    from relances.workbook.session import open_for_update
    from relances.workbook.sources import read_source

    report = progress or (lambda what, done, total: None)
    report("Lecture du fichier à importer", 0, None)
    table = read_source(Path(source).expanduser(), sheet, overrides)

    def decide(tracker: Tracker, fields: Sequence[str],
               journal: Sequence[JournalEntry]) -> tuple[list[SourceRow], ImportPlan]:
        settings = tracker.settings
        report("Lecture des lignes du fichier", 0, None)
        if isinstance(table, AccountsSource):
            rows = accounts.rows(table)
        else:
            rows = read_rows(table, today, settings.country)
            table.rows.clear()  # read into `rows`: 50 000 raw rows need not wait the write
        plan = plan_import(rows, tracker.prospects, fields, settings, tracker.rules,
                           work_calendar(settings), today, tracker.contacts, journal)
        _refuse_unusable(table, rows, plan)
        return rows, plan

    if simulate:
        tracker = read(path, today, journal=True)
        rows, plan = decide(tracker, tracker.columns, tracker.journal)
        return Imported(table.label, table.detail, len(rows), plan,
                        [p for _, p in plan.additions], table.ignored, True,
                        tracker.problems, unit=table.unit)
    report("Lecture du suivi", 0, None)
    with open_for_update(path, today, force) as session:
        tracker = session.tracker
        journal = session.journal_entries() if isinstance(table, AccountsSource) \
            else []
        rows, plan = decide(tracker, session.layout.fields(), journal)
        added: list[Prospect] = []
        backup = None
        if plan.additions or plan.completions or plan.people or plan.exchanges:
            total = len(plan.additions)
            added = session.append_all(
                _numbered(session, [p for _, p in plan.additions],
                          isinstance(table, AccountsSource)),
                lambda done: report("Ajout des prospects", done, total))
            for _, prospect, fields in plan.completions:
                session.complete(prospect, fields)
            _add_people(session, plan, added)
            for owner, entry in plan.exchanges:
                client = added[owner] if isinstance(owner, int) else owner
                session.journal(replace(entry, prospect_id=client.id, name=client.name))
            report("Enregistrement du suivi", total, total)
            backup = session.save(now)
    return Imported(table.label, table.detail, len(rows), plan, added, table.ignored, False,
                    tracker.problems, backup, table.unit)


def _numbered(session: Update, prospects: list[Prospect], keep: bool) -> list[Prospect]:
    """New IDs after the tracker's highest; a relances accounts file keeps its own IDs when
    they come after it too (an export imported into a new tracker keeps its numbers), so
    no ID is ever given twice."""
    if not session.layout.has("id"):
        return prospects
    highest = session.next_id() - 1
    kept = {p.id for p in prospects if keep and p.id is not None and p.id > highest}
    following = max(kept, default=highest) + 1
    numbered = []
    for p in prospects:
        if p.id in kept:
            kept.discard(p.id)
            numbered.append(p)
        else:
            numbered.append(p.replace(id=following))
            following += 1
    return numbered


def _add_people(session: Update, plan: ImportPlan, added: Sequence[Prospect]) -> None:
    """The file's people into the Contacts sheet, tied to their client by its ID (or its
    name in a tracker without IDs), in one write with the prospects."""
    from relances.workbook.people import add_contacts

    if not plan.people:
        return
    people = []
    for owner, person in plan.people:
        client = added[owner] if isinstance(owner, int) else owner
        people.append(person.replace(client=client.id if client.id is not None
                                     else client.name))
    add_contacts(session, people)


def _refuse_unusable(table: SourceSheet | AccountsSource, rows: Sequence[SourceRow],
                     plan: ImportPlan) -> None:
    """Good rows are imported and bad ones reported; a file without one good row is surely
    not what the user meant to import: nothing is written and every reason is given."""
    if plan.usable:
        return
    if not rows and isinstance(table, AccountsSource):
        raise InvalidInput(f"« {table.label} » ne contient aucun compte : rien n'a été importé.")
    if not rows:
        raise InvalidInput(
            f"« {table.label} » n'a aucune ligne de données sous son en-tête (ligne "
            f"{table.header_row + 1}) : rien n'a été importé.")
    shown = [str(problem) for row in plan.ignored for problem in row.problems]
    more = f"\n  … et {len(shown) - 20} autre(s) problème(s)." if len(shown) > 20 else ""
    raise InvalidInput(
        f"Aucune ligne de « {table.label} » n'est importable : rien n'a été écrit. Corrigez "
        "ces lignes dans le fichier, puis relancez :\n  " + "\n  ".join(shown[:20]) + more)


@dataclass
class Exported:
    """The CSV `exporter` wrote, with the rows it left out."""

    path: Path
    format: str
    label: str
    """The format as the user knows it: "CSV pour Excel", "HubSpot", "Pipedrive"."""
    prospects: int
    problems: list[Problem]
    contacts_path: Path | None = None
    """HubSpot's contacts file, written beside the deals."""
    people: int = 0


def export(path: Path, today: date, fmt: str = "csv", output: str | None = None) -> Exported:
    """Suivi as a CSV file: for Excel, or for HubSpot's or Pipedrive's importer; or every
    account as one JSON document that `importer` reads back. The workbook is only read."""
    from relances.outputs.tables import (
        EXPORT_FORMATS,
        export_bytes,
        export_table,
        hubspot_contacts_table,
        json_bytes,
    )

    chosen = normalize(fmt)
    if chosen not in EXPORT_FORMATS:
        raise InvalidInput(f"« {fmt} » n'est pas un format connu : csv (pour Excel), hubspot, "
                           "pipedrive ou json (les comptes clients).", about="format")
    target = _export_target(path, today, chosen, output)
    tracker = read(path, today, journal=chosen == "json")
    if chosen == "json":
        write_atomically(target, json_bytes(accounts.document(accounts.accounts(tracker),
                                                              today)))
        return Exported(target, chosen, EXPORT_FORMATS[chosen], len(tracker.prospects),
                        tracker.problems)
    table = export_table(chosen, tracker.prospects, tracker.columns, today, tracker.contacts)
    people = None
    if chosen == "hubspot":
        people = hubspot_contacts_table(tracker.prospects, tracker.contacts)
        write_atomically(contacts_file(target), export_bytes(chosen, people))
    write_atomically(target, export_bytes(chosen, table))
    return Exported(target, chosen, EXPORT_FORMATS[chosen], len(tracker.prospects),
                    tracker.problems, contacts_file(target) if people else None,
                    len(people) - 1 if people else 0)


def contacts_file(deals: Path) -> Path:
    """relances-hubspot-2026-01-20.csv → relances-hubspot-2026-01-20-contacts.csv."""
    return deals.with_name(f"{deals.stem}-contacts{deals.suffix}")


def _export_target(path: Path, today: date, fmt: str, output: str | None) -> Path:
    """Beside the workbook by default; --sortie names a .csv file or a folder (the file is
    replaced without asking, so it must never be a workbook)."""
    from relances.outputs.tables import export_filename, export_suffix

    if output is None:
        return path.parent / export_filename(fmt, today)
    suffix = export_suffix(fmt)
    return output_target(output, export_filename(fmt, today), (suffix,),
                         f"un fichier {suffix} (il est remplacé à chaque export)",
                         f"clients{suffix}")
