"""The datastore: the only module that touches the workbook file.

Read-only commands read values with python-calamine (ten to twenty times faster
than openpyxl); writes load with openpyxl, which rebuilds the whole file, so
every write goes through `open_for_update`: package inspection, locks, backup,
temporary file and atomic replace. openpyxl is imported inside the functions
that write, so reading commands never pay for it.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import os
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances import schema
from relances.errors import WorkbookBusy, WorkbookError, WouldLoseContent
from relances.model import (
    ACTIONS,
    JournalEntry,
    Problem,
    Prospect,
    Rule,
    Settings,
    Status,
    Tracker,
)
from relances.parsing import (
    ParseError,
    join_contact,
    normalize,
    parse_amount,
    parse_date,
    parse_int,
    parse_probability,
    split_contact,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

BACKUP_DIR = "sauvegardes"
MAX_UNCOMPRESSED = 1 << 30
"""A tracker of 50 000 rows unpacks to about 40 MB: a gigabyte is an attack."""
MAX_RATIO = 200
HEADER_SCAN_ROWS = 10
DOC_PROPERTY = "relances-format"


# --------------------------------------------------------------------------- layout


@dataclass
class Layout:
    """Where the columns of a tracker sheet are: found by header name, never by position."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    """Field key -> 1-based column index."""
    headers: dict[str, str] = field(default_factory=dict)
    """Field key -> the header text as the user wrote it, for messages."""

    def has(self, key: str) -> bool:
        return key in self.columns

    @functools.cached_property
    def readers(self) -> tuple[tuple[str, int, str], ...]:
        """(field, 0-based index, kind) of every column read into a Prospect, worked out
        once per sheet rather than once per row."""
        return tuple((key, position - 1, schema.COLUMN_BY_KEY[key].kind)
                     for key, position in self.columns.items()
                     if key not in schema.FORMULA_KEYS)

    def fields(self) -> tuple[str, ...]:
        return tuple(sorted(self.columns, key=self.columns.__getitem__))


def find_layout(sheet: str, rows: Sequence[Sequence[Any]]) -> Layout | None:
    """Find the header row among the first rows: hand-made trackers often have a title above."""
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        for position, value in enumerate(values, start=1):
            column = schema.column_for_header(value)
            if column is not None and column.key not in columns:
                columns[column.key] = position
                headers[column.key] = str(value).strip()
        if "name" in columns and len(columns) >= 2:
            return Layout(sheet, index + 1, columns, headers)
    return None


# --------------------------------------------------------------------------- reading


_READERS = {
    "int": parse_int,
    "amount": parse_amount,
    "percent": parse_probability,
}


def _text(value: object) -> str | None:
    """Cells typed as numbers in text columns (a phone, a year) are read as the user sees them."""
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%d/%m/%Y")
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class _Unreadable:
    """Stands in a column for a cell that did not read, until its row is set aside."""

    message: str


def _cell_reader(kind: str, today: date, failed: list[bool]) -> Callable[[object], object]:
    """Read one cell of a column by the kind it declares; a cell that does not read
    becomes an _Unreadable, so that the rest of the column is still read in one pass."""
    reader = _READERS.get(kind)

    def read(raw: object) -> object:
        if raw is None or raw == "":
            return None
        if type(raw) is float and raw.is_integer():
            raw = int(raw)  # calamine's 140.0 for the 140 the user typed, quoted as typed
        try:
            if isinstance(raw, bool) and kind != "text":
                raise ParseError(f"« {'VRAI' if raw else 'FAUX'} » n'est pas une valeur "
                                 "attendue ici")
            if kind == "date":
                return parse_date(raw, today)
            if kind == "status":
                return schema.parse_status(raw)
            return reader(raw) if reader is not None else _text(raw)
        except ParseError as error:
            failed.append(True)
            return _Unreadable(str(error))

    return read


def _read_column(cells: Sequence[Any], kind: str, today: date) -> tuple[list[Any], bool]:
    """A whole column at once: the usual cell (a real date, a plain string, a known
    status) is taken in the comprehension itself, anything else goes through the full
    reader. Whether some cell did not read is returned beside the values."""
    failed: list[bool] = []
    read = _cell_reader(kind, today, failed)
    if kind == "date":
        values = [v if type(v) is date else read(v) for v in cells]
    elif kind == "status":
        known = schema.CANONICAL_STATUS
        values = [known[v] if type(v) is str and v in known else read(v) for v in cells]
    elif kind == "int":
        values = [int(v) if type(v) is float and v.is_integer() else read(v) for v in cells]
    elif kind in ("amount", "percent"):
        seen: dict[object, object] = {}  # few distinct probabilities, repeated amounts
        values = [(seen[v] if v in seen else seen.setdefault(v, read(v)))
                  if type(v) is float else read(v) for v in cells]
    else:
        values = [(v.strip() or None) if type(v) is str else read(v) for v in cells]
    return values, bool(failed)


_PROSPECT_FIELDS = tuple(f.name for f in dataclasses.fields(Prospect))


_CHUNK = 4096
"""Rows read together: the cells of 4 096 rows stay in the processor's cache while each
column is read, which reads 50 000 rows a fifth faster than in one piece."""


def prospects_from_rows(
    rows: Sequence[Sequence[Any]], layout: Layout, today: date
) -> tuple[list[Prospect], list[Problem]]:
    """All prospects of a sheet, plus one problem per unreadable cell and per duplicate ID.

    The sheet is read column by column rather than row by row: each column goes through
    one comprehension, which reads 10 000 rows several times faster than a dictionary of
    fields built for every row. Rows with an unreadable cell are set aside whole."""
    prospects: list[Prospect] = []
    problems: list[Problem] = []
    ids: dict[int, int] = {}
    for start in range(layout.header_row, len(rows), _CHUNK):
        found, issues = _prospects_from_chunk(rows[start:start + _CHUNK], start + 1, layout,
                                              today, ids)
        prospects += found
        problems += issues
    return prospects, problems


def _prospects_from_chunk(
    body: Sequence[Sequence[Any]], first_row: int, layout: Layout, today: date,
    ids: dict[int, int],
) -> tuple[list[Prospect], list[Problem]]:
    """The rows from `first_row` on; `ids` holds the IDs seen in the rows above."""
    count = len(body)
    table = list(itertools.zip_longest(*body))
    fields: dict[str, list[Any]] = {}
    issues: list[tuple[int, int, Problem]] = []
    for order, (key, index, kind) in enumerate(layout.readers):
        if index >= len(table):
            continue
        values, failed = _read_column(table[index], kind, today)
        fields[key] = values
        if failed:
            issues.extend((i, order, Problem(layout.sheet, first_row + i, layout.headers[key],
                                             v.message))
                          for i, v in enumerate(values) if type(v) is _Unreadable)
    names = fields.get("name", [None] * count)
    for i in [i for i, name in enumerate(names) if name is None]:
        if any(values[i] is not None for values in fields.values()):
            issues.append((i, len(fields), Problem(
                layout.sheet, first_row + i, layout.headers["name"],
                "le nom est vide alors que la ligne est remplie")))
    set_aside = {i for i, _, _ in issues}
    keep = [i for i, name in enumerate(names) if name is not None and i not in set_aside]
    if "id" in fields:
        keep = _without_duplicate_ids(keep, fields["id"], first_row, layout, ids, issues)
    issues.sort(key=lambda issue: issue[:2])
    fields["row"] = list(range(first_row, first_row + count))
    _split_contacts(fields, keep)
    if len(keep) != count:
        fields = {key: [values[i] for i in keep] for key, values in fields.items()}
    columns = [fields.get(name, itertools.repeat(None)) for name in _PROSPECT_FIELDS]
    return list(map(Prospect, *columns)), [problem for _, _, problem in issues]


def _without_duplicate_ids(keep: list[int], column: list[Any], first_row: int,
                           layout: Layout, seen: dict[int, int],
                           issues: list[tuple[int, int, Problem]]) -> list[int]:
    """The first row with an ID keeps it; a later row with the same ID is set aside
    (its follow-ups would be written to the wrong prospect)."""
    kept = []
    for i in keep:
        ident, row = column[i], first_row + i
        if ident is not None:
            if ident in seen:
                issues.append((i, 0, Problem(
                    layout.sheet, row, layout.headers["id"],
                    f"l'ID {ident} est déjà utilisé ligne {seen[ident]} : "
                    "donnez-lui un numéro libre")))
                continue
            seen[ident] = row
        kept.append(i)
    return kept


def _split_contacts(fields: dict[str, list[Any]], keep: Sequence[int]) -> None:
    """The one "email / tel" cell of small trackers fills Email and Téléphone, unless the
    sheet also has those columns and they are filled."""
    contacts = fields.pop("contact", None)
    if contacts is None:
        return
    emails = fields.setdefault("email", [None] * len(contacts))
    phones = fields.setdefault("phone", [None] * len(contacts))
    for i in keep:
        if contacts[i] is not None:
            email, phone = split_contact(contacts[i])
            if emails[i] is None:
                emails[i] = email
            if phones[i] is None:
                phones[i] = phone


def settings_from_rows(rows: Sequence[Sequence[Any]]) -> tuple[Settings, list[Problem]]:
    """Read Paramètres by label, so the user may reorder lines or add notes beside them."""
    settings = Settings()
    problems: list[Problem] = []
    by_label = {normalize(spec.label): spec for spec in schema.SETTINGS_SPECS}
    probabilities = dict(settings.default_probability)
    for index, values in enumerate(rows, start=1):
        if len(values) < 2 or not isinstance(values[0], str):
            continue
        spec = by_label.get(normalize(values[0]))
        if spec is None or values[1] in (None, ""):
            continue
        try:
            value = _setting_value(spec, values[1])
        except ParseError as error:
            problems.append(Problem(schema.SHEET_SETTINGS, index, spec.label, str(error)))
            continue
        if spec.status is not None:
            probabilities[spec.status] = value
        else:
            setattr(settings, spec.attr, value)
    settings.default_probability = probabilities
    return settings, problems


def _setting_value(spec: schema.SettingSpec, raw: object) -> object:
    """Settings are typed by their spec; a wrong value is reported, never guessed."""
    if spec.kind == "int":
        value = parse_int(raw)
        if value is None or value < 0:
            raise ParseError(f"« {raw} » n'est pas un nombre de jours")
        return value
    if spec.kind == "percent":
        return parse_probability(raw)
    if spec.kind == "bool":
        answer = normalize(str(raw))
        if answer in ("oui", "vrai", "true", "1", "yes"):
            return True
        if answer in ("non", "faux", "false", "0", "no"):
            return False
        raise ParseError(f"« {raw} » : répondez Oui ou Non")
    if spec.kind == "country":
        code = str(raw).strip().upper()
        if code not in schema.COUNTRIES:
            raise ParseError(f"« {raw} » n'est pas un pays pris en charge "
                             f"({', '.join(schema.COUNTRIES)})")
        return code
    if spec.kind == "time":
        return _parse_time(raw)
    return _text(raw)


def _parse_time(raw: object) -> time:
    """Excel stores a time as a fraction of a day; people type 9:00 or 9h30."""
    if isinstance(raw, time):
        return raw
    if isinstance(raw, datetime):
        return raw.time()
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 0 <= raw < 1:
        minutes = round(raw * 24 * 60)
        return time(minutes // 60, minutes % 60)
    match = re.fullmatch(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*", str(raw))
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return time(int(match[1]), int(match[2] or 0))
    raise ParseError(f"« {raw} » n'est pas une heure (ex. 09:00)")


def rules_from_rows(rows: Sequence[Sequence[Any]]) -> tuple[list[Rule], list[Problem]]:
    """Read Règles as the user left it: steps may be edited, added or removed."""
    if not rows:
        return list(schema.DEFAULT_RULES), []
    positions = {normalize(str(h)): i for i, h in enumerate(rows[0]) if h not in (None, "")}
    index = [positions.get(normalize(h)) for h in schema.RULES_HEADERS]
    missing = [h for h, i in zip(schema.RULES_HEADERS[:4], index[:4], strict=True) if i is None]
    if missing:
        return list(schema.DEFAULT_RULES), [Problem(
            schema.SHEET_RULES, 1, None,
            f"colonne(s) {', '.join(missing)} introuvable(s) : la cadence par défaut s'applique")]
    rules: list[Rule] = []
    problems: list[Problem] = []
    for row, values in enumerate(rows[1:], start=2):
        cells = [values[i] if i is not None and i < len(values) else None for i in index]
        if all(c in (None, "") for c in cells):
            continue
        try:
            rules.append(_rule(cells))
        except ParseError as error:
            problems.append(Problem(schema.SHEET_RULES, row, None, str(error)))
    return rules, problems


def _rule(cells: Sequence[Any]) -> Rule:
    """One step: a status, a J+N day, what it counts from, an action."""
    status = schema.parse_status(cells[0])
    if status is None:
        raise ParseError("le statut est vide")
    text = str(cells[1] or "").strip()
    match = re.fullmatch(r"(?:[jJ]\s*\+?\s*)?(\d+)(?:\.0)?", text)
    if not match:
        raise ParseError(f"« {text} » n'est pas un jour de la forme J+7 ou 7")
    counted = normalize(str(cells[2] or ""))
    choices = {normalize(schema.FROM_STATUS_START): False,
               normalize(schema.FROM_LAST_CONTACT): True, "": False}
    if counted not in choices:
        raise ParseError(f"« {cells[2]} » : indiquez « {schema.FROM_STATUS_START} » ou "
                         f"« {schema.FROM_LAST_CONTACT} »")
    action = _text(cells[3])
    if action is None:
        raise ParseError("l'action est vide (Email, Tel, RDV…)")
    return Rule(status, int(match[1]), choices[counted], schema.parse_action(action),
                _text(cells[4]) if len(cells) > 4 else None,
                _text(cells[5]) if len(cells) > 5 else None)


_JOURNAL_KINDS = ("date", "int", "text", "text", "text", "text", "status", "percent", "text")
"""How each Journal column reads, in JOURNAL_HEADERS order."""


def journal_from_rows(rows: Sequence[Sequence[Any]], today: date) -> list[JournalEntry]:
    """The Journal is informative: rows that do not read are skipped, never fatal. It is
    as long as the tracker's history, so it is read column by column, like Suivi."""
    body = rows[1:]
    if not body:
        return []
    table = list(itertools.zip_longest(*body))
    table += [(None,) * len(body)] * (len(_JOURNAL_KINDS) - len(table))
    columns = []
    unreadable: set[int] = set()
    for cells, kind in zip(table, _JOURNAL_KINDS, strict=False):
        values, failed = _read_column(cells, kind, today)
        if failed:
            unreadable.update(i for i, v in enumerate(values) if type(v) is _Unreadable)
        columns.append(values)
    columns[2] = [name or "" for name in columns[2]]
    keep = [i for i, when in enumerate(columns[0]) if when is not None and i not in unreadable]
    if len(keep) != len(body):
        columns = [[values[i] for i in keep] for values in columns]
    return list(map(JournalEntry, *columns))


def tracker_from_sheets(
    sheets: dict[str, Sequence[Sequence[Any]]], today: date, path: Path
) -> tuple[Tracker, Layout]:
    """Build the Tracker from raw sheet values, whichever engine read them."""
    name, layout = _tracker_sheet(sheets, path)
    prospects, problems = prospects_from_rows(sheets[name], layout, today)
    settings, setting_problems = settings_from_rows(sheets.get(schema.SHEET_SETTINGS, ()))
    journal = journal_from_rows(sheets.get(schema.SHEET_JOURNAL, ()), today)
    rules, rule_problems = rules_from_rows(sheets.get(schema.SHEET_RULES, ()))
    tracker = Tracker(prospects, setting_problems + rule_problems + problems, settings,
                      layout.fields(), journal, rules)
    return tracker, layout


def _tracker_sheet(
    sheets: dict[str, Sequence[Sequence[Any]]], path: Path
) -> tuple[str, Layout]:
    """Suivi when it exists, else the first sheet with recognisable headers."""
    names = [schema.SHEET_TRACKER] if schema.SHEET_TRACKER in sheets else list(sheets)
    for name in names:
        layout = find_layout(name, sheets[name])
        if layout is not None:
            return name, layout
    raise WorkbookError(
        f"Aucune feuille de « {path.name} » n'a d'en-tête reconnaissable : il faut au moins "
        "une colonne « Nom » (ou « Client », « Société ») et une autre colonne connue "
        "(« Statut », « Contact », « Prochaine relance »…) sur une même ligne.")


def read_tracker(path: Path, today: date, journal: bool = False) -> Tracker:
    """Read every prospect with python-calamine, for commands that never write.

    The Journal, as long as the tracker's history, is read only when asked for."""
    sheets = _calamine_sheets(path, read_package(path), journal)
    return tracker_from_sheets(sheets, today, path)[0]


def _calamine_sheets(path: Path, data: bytes,
                     journal: bool = False) -> dict[str, list[list[Any]]]:
    """The values of the sheets we interpret, as the user last saw them: a formula cell
    reads as its last computed value (openpyxl would give its text), so `liste` and the
    write commands, which both read values here, never see a different prospect."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        wanted = _wanted_sheets(book.sheet_names, journal)
        return {name: _calamine_rows(book.get_sheet_by_name(name), name not in _READ_BY_COLUMN)
                for name in wanted}
    except CalamineError as error:
        raise _corrupted(path) from error


def _wanted_sheets(names: Sequence[str], journal: bool = False) -> list[str]:
    """Only the sheets we interpret are parsed: a user's big extra sheet costs nothing."""
    ours = {schema.SHEET_TRACKER, schema.SHEET_SETTINGS, schema.SHEET_RULES}
    if journal:
        ours.add(schema.SHEET_JOURNAL)
    if schema.SHEET_TRACKER in names:
        return [n for n in names if n in ours]
    return list(names)


_READ_BY_COLUMN = frozenset({schema.SHEET_TRACKER, schema.SHEET_JOURNAL})
"""The long sheets: their column readers take calamine's '' and 140.0 themselves."""


def _calamine_rows(sheet: Any, convert: bool = True) -> list[list[Any]]:
    """calamine says '' for an empty cell and 140.0 for the 140 the user typed: give None
    and 140, so that messages quote the cell as Excel shows it. The long sheets skip
    this pass (`convert=False`)."""
    rows = sheet.to_python(skip_empty_area=False)
    if not convert:
        return rows
    return [[None if v == "" else int(v) if isinstance(v, float) and v.is_integer() else v
             for v in row]
            for row in rows]


# --------------------------------------------------------------------------- file checks


def read_package(path: Path) -> bytes:
    """Read the file once, after checking it is an .xlsx we may safely unpack."""
    if not path.exists():
        raise WorkbookError(
            f"Le fichier « {path} » n'existe pas : créez-le avec « relances init » "
            "ou indiquez le bon classeur avec --fichier.")
    if path.is_dir():
        raise WorkbookError(
            f"« {path} » est un dossier : indiquez un fichier .xlsx avec --fichier.")
    data = path.read_bytes()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"« {path.name} » est un classeur Excel ancien format (.xls) : ouvrez-le dans Excel "
            "ou LibreOffice et enregistrez-le au format .xlsx, puis relancez la commande.")
    if not data.startswith(b"PK"):
        raise WorkbookError(
            f"« {path.name} » n'est pas un classeur Excel (.xlsx) : indiquez le bon fichier "
            "avec --fichier.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(path, archive)
    except zipfile.BadZipFile as error:
        raise _corrupted(path) from error
    return data


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse LibreOffice's own format and zip bombs before any parser sees them."""
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
        raise WorkbookError(
            f"« {path.name} » est un classeur LibreOffice (.ods) : dans LibreOffice, "
            "Fichier > Enregistrer sous… au format Excel 2007-365 (.xlsx), puis relancez "
            "la commande sur le fichier .xlsx.")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _corrupted(path)
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 50 << 20 and ratio > MAX_RATIO):
            raise WorkbookError(
                f"« {path.name} » se décompresse en un volume anormal ({info.filename}) : "
                "ce n'est pas un classeur de suivi normal, relances ne l'ouvrira pas.")


def _corrupted(path: Path) -> WorkbookError:
    return WorkbookError(
        f"« {path.name} » est endommagé et ne peut pas être lu : restaurez une version "
        f"précédente (relances annuler, ou le dossier {BACKUP_DIR}) ou ouvrez-le dans Excel "
        "pour le réparer.")


# What openpyxl cannot carry, found in the package before loading it.
_PART_PREFIXES = (
    ("xl/slicers/", "des segments (slicers)"),
    ("xl/slicerCaches/", "des segments (slicers)"),
    ("xl/timelines/", "des chronologies"),
    ("xl/ctrlProps/", "des contrôles de formulaire (boutons, cases à cocher)"),
    ("xl/richData/", "des images placées dans les cellules"),
    ("xl/featurePropertyBag/", "des cases à cocher"),
    ("xl/metadata.xml", "des formules matricielles dynamiques"),
    ("xl/activeX/", "des contrôles ActiveX"),
    ("xl/embeddings/", "des objets incorporés"),
)
_SHEET_MARKERS = (
    (b"sparklineGroup", "des graphiques sparkline"),
    (b"x14:conditionalFormatting", "des mises en forme conditionnelles Excel 2010 "
                                   "(barres de données, jeux d'icônes étendus)"),
    (b"x14:dataValidation", "des validations de données Excel 2010"),
    (b"<picture ", "une image d'arrière-plan"),
    (b"legacyDrawingHF", "des images d'en-tête ou de pied de page"),
)
_DRAWING_MARKERS = (
    (b"<xdr:sp>", "des formes ou zones de texte"),
    (b"<xdr:sp ", "des formes ou zones de texte"),
    (b"<xdr:grpSp", "des formes groupées"),
    (b"<xdr:cxnSp", "des connecteurs"),
)


def content_at_risk(data: bytes) -> list[str]:
    """Name, in French, each kind of content that saving with openpyxl would drop."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            for prefix, label in _PART_PREFIXES:
                if name.startswith(prefix):
                    found.append(label)
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                found.extend(_markers(archive.read(name), _SHEET_MARKERS))
            elif name.startswith("xl/drawings/drawing") and name.endswith(".xml"):
                found.extend(_markers(archive.read(name), _DRAWING_MARKERS))
            elif name.startswith("xl/drawings/") and name.endswith(".vml") and re.search(
                    rb'ObjectType="(?!Note")', archive.read(name)):
                found.append("des contrôles de formulaire (boutons, cases à cocher)")
    return list(dict.fromkeys(found))


def _markers(content: bytes, markers: Iterable[tuple[bytes, str]]) -> list[str]:
    return [label for marker, label in markers if marker in content]


# --------------------------------------------------------------------------- creating


def create_tracker(
    path: Path,
    prospects: Sequence[Prospect],
    journal: Sequence[JournalEntry] = (),
    settings: Settings | None = None,
) -> None:
    """Write a new tracker; refuse to replace anything that exists, even under a race."""
    if path.exists():
        raise WorkbookError(
            f"« {path.name} » existe déjà : relances init ne remplace jamais un classeur. "
            "Choisissez un autre nom avec --fichier, ou supprimez-le vous-même.")
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(
            f"« {path.name} » : le classeur de suivi doit porter l'extension .xlsx.")
    if not path.parent.is_dir():
        raise WorkbookError(f"Le dossier « {path.parent} » n'existe pas : créez-le d'abord.")
    book = _new_workbook(settings or Settings())
    layout = tracker_layout()
    ws = book[schema.SHEET_TRACKER]
    for offset, prospect in enumerate(prospects):
        write_prospect(ws, layout, layout.header_row + 1 + offset, prospect)
    _grow_ranges(ws, layout.header_row, layout.header_row + len(prospects))
    row = None
    for entry in journal:
        row = append_journal(book, entry, row + 1 if row else None)
    with _write_lock(path):
        if path.exists():
            raise WorkbookError(f"« {path.name} » vient d'être créé par un autre programme.")
        _atomic_save(book, path, exclusive=True)


# --------------------------------------------------------------------------- writing cells


def write_prospect(ws: Worksheet, layout: Layout, row: int, prospect: Prospect,
                   keys: Iterable[str] | None = None) -> None:
    """Write the given fields (all by default) of a prospect into its row, formulas included."""
    wanted = set(keys) if keys is not None else set(layout.columns)
    values = _cell_values(prospect, layout)
    for key, value in values.items():
        if key in wanted and key in layout.columns:
            _set_cell(ws.cell(row=row, column=layout.columns[key]), value)
    for key, formula in _row_formulas(layout, row).items():
        cell = ws.cell(row=row, column=layout.columns[key])
        if cell.value is None or keys is None:
            cell.value = formula
    _apply_row_formats(ws, layout, row)


def _cell_values(prospect: Prospect, layout: Layout) -> dict[str, object]:
    """Field values as cells hold them: the contact joined when the sheet has one column."""
    values: dict[str, object] = {
        key: getattr(prospect, key) for key in schema.COLUMN_BY_KEY
        if key not in schema.FORMULA_KEYS and key != "contact" and hasattr(prospect, key)
    }
    if layout.has("contact"):
        values["contact"] = join_contact(
            None if layout.has("email") else prospect.email,
            None if layout.has("phone") else prospect.phone)
    if isinstance(prospect.status, Status):
        values["status"] = prospect.status.value
    return values


_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
"""Excel reads "_x0041_" in a cell as "A"; openpyxl writes text as it is, so we escape it."""


def _set_cell(cell: Any, value: object) -> None:
    """Text is always stored as text: "=HYPERLINK(…)" typed in a note never becomes a formula."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):
        value = _OOXML_ESCAPE.sub(r"_x005F_\1", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def append_journal(book: Workbook, entry: JournalEntry, row: int | None = None) -> int:
    """One interaction, appended below the last line of Journal (or at `row`, when the
    caller already knows it: scanning the Journal for each line would be quadratic)."""
    ws = _journal_sheet(book)
    row = row or _last_filled_row(ws, 1) + 1
    values = (entry.when, entry.prospect_id, entry.name, entry.channel, entry.summary,
              entry.outcome, entry.status.value if entry.status else None, entry.probability,
              entry.owner)
    for column, value in enumerate(values, start=1):
        _set_cell(ws.cell(row=row, column=column), value)
    ws.cell(row=row, column=1).number_format = schema.DATE_FORMAT
    ws.cell(row=row, column=8).number_format = schema.PERCENT_FORMAT
    return row


def _last_filled_row(ws: Worksheet, column: int) -> int:
    """The last row holding a value in a column: max_row counts formatted empty rows too."""
    last = 0
    for index, (value,) in enumerate(
            ws.iter_rows(min_col=column, max_col=column, values_only=True), start=1):
        if value not in (None, ""):
            last = index
    return last


# --------------------------------------------------------------------------- safe update


@dataclass
class Update:
    """An open tracker: read with openpyxl, changed in memory, saved once by `save`."""

    path: Path
    book: Workbook
    layout: Layout
    tracker: Tracker
    digest: str
    last_row: int
    today: date
    force: bool = False
    saved: bool = False
    journal_row: int | None = None
    """The last Journal row written by this update."""

    @property
    def sheet(self) -> Worksheet:
        return self.book[self.layout.sheet]

    def next_id(self) -> int:
        """IDs are never reused, not even those of rows that failed to read."""
        column = self.layout.columns.get("id")
        highest = 0
        if column is not None:
            for (value,) in self.sheet.iter_rows(min_row=self.layout.header_row + 1,
                                                 min_col=column, max_col=column,
                                                 values_only=True):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    highest = max(highest, int(value))
        return highest + 1

    def append(self, prospect: Prospect) -> Prospect:
        """Add a row under the last one, growing filters, tables and rules that end there."""
        row = self.last_row + 1
        write_prospect(self.sheet, self.layout, row, prospect)
        _grow_ranges(self.sheet, self.last_row, row)
        self.last_row = row
        return prospect.replace(row=row)

    def rewrite(self, prospect: Prospect, keys: Iterable[str]) -> None:
        """Write back only the fields that changed; the rest of the row stays as typed."""
        assert prospect.row is not None
        write_prospect(self.sheet, self.layout, prospect.row, prospect, keys)

    def append_all(self, prospects: Sequence[Prospect],
                   progress: Callable[[int], None] | None = None) -> list[Prospect]:
        """`append` for many rows (an import): filters, tables and rules grow once at the
        end instead of once a row, which costs more than writing the rows themselves."""
        first = self.last_row
        added = []
        for number, prospect in enumerate(prospects):
            row = self.last_row + 1
            write_prospect(self.sheet, self.layout, row, prospect)
            self.last_row = row
            added.append(prospect.replace(row=row))
            if progress is not None and number % 100 == 0:
                progress(number)
        if added:
            _grow_ranges(self.sheet, first, self.last_row)
        return added

    def complete(self, prospect: Prospect, fields: Iterable[str]) -> list[str]:
        """Write the given fields only into cells that are empty: an import never overwrites
        what the user typed. A single Contact cell keeps its text and gains the missing
        email (in front) or phone (behind). Returns the columns written."""
        assert prospect.row is not None
        ws, layout, row = self.sheet, self.layout, prospect.row
        empty, written = [], []
        for key in dict.fromkeys(fields):
            if key in ("email", "phone") and not layout.has(key) and layout.has("contact"):
                cell = ws.cell(row=row, column=layout.columns["contact"])
                text = _text(cell.value)
                email, phone = split_contact(text or "")
                if key == "email" and email is None and prospect.email:
                    text = join_contact(prospect.email, text)
                elif key == "phone" and phone is None and prospect.phone:
                    text = join_contact(text, prospect.phone)
                else:
                    continue
                _set_cell(cell, text)
                written.append("contact")
            elif layout.has(key) and key not in schema.FORMULA_KEYS and ws.cell(
                    row=row, column=layout.columns[key]).value in (None, ""):
                empty.append(key)
        if empty:
            write_prospect(ws, layout, row, prospect, empty)
        return [*dict.fromkeys(written), *empty]

    def journal(self, entry: JournalEntry) -> None:
        self.journal_row = append_journal(
            self.book, entry, self.journal_row + 1 if self.journal_row else None)

    def journal_entries(self) -> list[JournalEntry]:
        """The Journal as loaded, for the commands that analyse it before writing."""
        if schema.SHEET_JOURNAL not in self.book.sheetnames:
            return []
        rows = [list(values) for values in
                self.book[schema.SHEET_JOURNAL].iter_rows(values_only=True)]
        return journal_from_rows(rows, self.today)

    def refresh_analysis(self, caption: str, tables: Sequence[ChartTable]) -> None:
        write_analysis(self.book, self.layout, caption, tables)

    def restore_formulas(self) -> int:
        """Rows typed by hand get the Délai and CA pondéré formulas and the number formats."""
        ws, restored = self.sheet, 0
        for row in range(self.layout.header_row + 1, self.last_row + 1):
            if ws.cell(row=row, column=self.layout.columns["name"]).value in (None, ""):
                continue
            missing = {key: formula for key, formula in _row_formulas(self.layout, row).items()
                       if ws.cell(row=row, column=self.layout.columns[key]).value in (None, "")}
            for key, formula in missing.items():
                ws.cell(row=row, column=self.layout.columns[key]).value = formula
            if missing:
                _apply_row_formats(ws, self.layout, row)
                restored += 1
        return restored

    def sort_by_next_followup(self) -> bool:
        """Soonest follow-up on top, as the workflow sorts; whole rows move, styles included.

        Returns False when the rows were already in order or cannot move safely."""
        column = self.layout.columns.get("next_followup")
        first = self.layout.header_row + 1
        if column is None or self.last_row <= first or self._merged_in_data():
            return False
        keys = []
        for row in range(first, self.last_row + 1):
            try:
                when = parse_date(self.sheet.cell(row=row, column=column).value, self.today)
            except ParseError:
                when = None
            keys.append((when is None, when or date.max, row))
        order = [row for *_, row in sorted(keys)]
        if order == list(range(first, self.last_row + 1)):
            return False
        _move_rows(self.sheet, order, first, self.layout)
        return True

    def _merged_in_data(self) -> bool:
        return any(r.max_row > self.layout.header_row for r in self.sheet.merged_cells.ranges)

    def save(self) -> Path | None:
        """Back up the previous version, then replace the file atomically; return the backup."""
        with _write_lock(self.path):
            _check_office_locks(self.path, self.force)
            if _digest(self.path.read_bytes()) != self.digest:
                raise WorkbookBusy(
                    f"« {self.path.name} » a été modifié pendant la commande : rien n'a été "
                    "écrit. Relancez la commande pour repartir de la version actuelle.")
            backup = make_backup(self.path, self.tracker.settings.backups_kept)
            _atomic_save(self.book, self.path)
        self.saved = True
        return backup


@contextmanager
def open_for_update(path: Path, today: date, force: bool = False) -> Iterator[Update]:
    """Load the tracker for a change, after every check that protects the user's file."""
    data = read_package(path)
    _check_office_locks(path, force)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"« {path.name} » : relances n'écrit que dans les classeurs .xlsx ou .xlsm.")
    at_risk = content_at_risk(data)
    book, dropped = _load(path, data)
    at_risk.extend(label for label in dropped if label not in at_risk)
    if at_risk and not force:
        raise WouldLoseContent(
            f"« {path.name} » contient {_join(at_risk)}, que relances ne sait pas conserver : "
            "l'enregistrer les ferait disparaître. Rien n'a été écrit. Retirez-les, ou relancez "
            "avec --force pour accepter de les perdre (une sauvegarde sera faite).")
    tracker, layout = tracker_from_sheets(_openpyxl_sheets(book, path, data), today, path)
    last_row = max(_last_filled_row(book[layout.sheet], layout.columns["name"]),
                   layout.header_row)
    yield Update(path, book, layout, tracker, _digest(data), last_row, today, force)


def _load(path: Path, data: bytes) -> tuple[Workbook, list[str]]:
    """Load with openpyxl, turning its 'will be removed' warnings into a list of losses."""
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data),
                                          keep_vba=path.suffix.lower() == ".xlsm",
                                          rich_text=True)
        except Exception as error:  # openpyxl raises many kinds on a damaged package
            raise _corrupted(path) from error
    dropped = [_loss_label(str(w.message)) for w in caught if "removed" in str(w.message)]
    return book, dropped


def _openpyxl_sheets(book: Workbook, path: Path, data: bytes) -> dict[str, list[list[Any]]]:
    """Values of the loaded workbook, read as calamine reads them for `liste`.

    openpyxl knows a formula's text, not its last value: a formula typed in a data column
    takes the value calamine reads from the same bytes, so a write command never sees a
    prospect differently from `liste`. The tool's own Délai and CA pondéré are not read."""
    sheets: dict[str, list[list[Any]]] = {}
    formulas: list[tuple[str, int, int]] = []
    for name in _wanted_sheets(book.sheetnames):
        rows = []
        for r, row in enumerate(book[name].iter_rows()):
            rows.append([cell.value for cell in row])
            formulas.extend((name, r, c) for c, cell in enumerate(row) if cell.data_type == "f")
        sheets[name] = rows
    derived = {name: _derived_columns(name, rows) for name, rows in sheets.items()}
    needed = [(n, r, c) for n, r, c in formulas
              if not (r >= derived[n][0] and c in derived[n][1])]
    if needed:
        cached = _calamine_sheets(path, data)
        for name, r, c in needed:
            source = cached.get(name, [])
            sheets[name][r][c] = source[r][c] if r < len(source) and c < len(source[r]) \
                else None
    return sheets


def _derived_columns(name: str, rows: list[list[Any]]) -> tuple[int, frozenset[int]]:
    """The tool's own formula columns (Délai, CA pondéré) below the header, 0-based."""
    layout = find_layout(name, rows)
    if layout is None:
        return 0, frozenset()
    return layout.header_row, frozenset(
        layout.columns[key] - 1 for key in schema.FORMULA_KEYS if key in layout.columns)


_OPENPYXL_LOSSES = {
    "Sparkline Group": "des graphiques sparkline",
    "Conditional Formatting": dict(_SHEET_MARKERS)[b"x14:conditionalFormatting"],
    "Data Validation": "des validations de données Excel 2010",
    "Slicer List": "des segments (slicers)",
    "Timeline Ref": "des chronologies",
    "Protected Range": "des plages protégées",
    "Ignored Error": "des erreurs ignorées",
    "Web Extension": "des compléments web",
    "Unknown": "des extensions Excel non reconnues",
}
"""openpyxl's names for the extensions it drops, said as the package inspection says them."""


def _loss_label(message: str) -> str:
    """openpyxl's own English warning, said in French."""
    name = message.split(" extension")[0].split(" is not")[0].strip()
    return _OPENPYXL_LOSSES.get(name, f"des éléments « {name} » non pris en charge")


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _digest(data: bytes) -> str:
    """Only write commands fingerprint the file; hashlib loads OpenSSL, which reads skip."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _atomic_save(book: Workbook, path: Path, exclusive: bool = False) -> None:
    """Save beside the target, then rename: a crash never leaves a half-written workbook."""
    import tempfile

    from openpyxl.packaging.custom import IntProperty

    props = book.custom_doc_props
    if DOC_PROPERTY not in props.names:
        props.append(IntProperty(name=DOC_PROPERTY, value=schema.FORMAT_VERSION))
    handle, temporary = tempfile.mkstemp(prefix=".~relances-", suffix=path.suffix,
                                         dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        if path.exists():
            shutil.copymode(path, temporary)
        else:  # mkstemp makes the file private (0600): a new workbook gets the usual rights
            umask = os.umask(0o022)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        if exclusive and path.exists():
            raise WorkbookError(f"« {path.name} » existe déjà : rien n'a été écrit.")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --------------------------------------------------------------------------- locks


@contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Two runs of relances never write the same workbook at once."""
    from filelock import FileLock, Timeout

    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    lock = FileLock(folder / f".{path.name}.verrou")
    try:
        with lock.acquire(timeout=10):
            yield
    except Timeout:
        raise WorkbookBusy(
            f"Une autre commande relances enregistre déjà « {path.name} » : attendez qu'elle "
            "se termine, puis relancez.") from None


def _check_office_locks(path: Path, force: bool) -> None:
    """Excel and LibreOffice leave an owner file while the workbook is open."""
    for lock, program in _office_lock_files(path):
        if not lock.exists() or force:
            continue
        owner = _lock_owner(lock, program)
        since = datetime.fromtimestamp(lock.stat().st_mtime)
        raise WorkbookBusy(
            f"« {path.name} » est ouvert dans {program}{owner} depuis le "
            f"{since:%d/%m/%Y à %H:%M} : fermez-le, puis relancez la commande. Si {program} "
            "n'est plus ouvert (verrou laissé par un plantage), relancez avec --force.")


def _office_lock_files(path: Path) -> list[tuple[Path, str]]:
    """Excel writes ~$name (two leading characters dropped for long names); LibreOffice .~lock."""
    names = {f"~${path.name}", f"~${path.name[2:]}"}
    return [(path.with_name(n), "Excel") for n in sorted(names)] + [
        (path.with_name(f".~lock.{path.name}#"), "LibreOffice")]


def _lock_owner(lock: Path, program: str) -> str:
    """Who holds the file: LibreOffice writes 'Name,user,host,date,…'; Excel a padded user name."""
    try:
        raw = lock.read_bytes()[:512]
    except OSError:
        return ""
    if program == "LibreOffice":
        parts = raw.decode("utf-8", "replace").split(",")
        name = parts[0].strip() or (parts[1].strip() if len(parts) > 1 else "")
        host = parts[2].strip() if len(parts) > 2 else ""
        who = name + (f" (poste {host})" if host else "")
    else:
        length = raw[0] if raw else 0
        who = raw[1:1 + length].decode("cp1252", "replace").strip()
        if len(raw) >= 57:  # Excel pads the ANSI name to byte 55, then length (2 bytes), UTF-16
            size = int.from_bytes(raw[55:57], "little")
            wide = raw[57:57 + 2 * size].decode("utf-16-le", "replace").strip("\x00 ")
            who = wide or who
    return f" par {who}" if who else ""


# --------------------------------------------------------------------------- backups


BACKUP_STAMP = "%Y-%m-%d_%H-%M-%S-%f"


def make_backup(path: Path, keep: int) -> Path:
    """Copy the current version aside before replacing it, keeping the newest `keep` copies."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"{path.stem}.{datetime.now():{BACKUP_STAMP}}{path.suffix}"
    shutil.copy2(path, target)
    for old in list_backups(path)[max(keep, 1):]:
        old.unlink()
    return target


def list_backups(path: Path, suffix: str = "") -> list[Path]:
    """Backups of this workbook, newest first (their names sort by date)."""
    folder = path.parent / BACKUP_DIR
    pattern = re.compile(re.escape(path.stem) + r"\.(\d{4}-\d\d-\d\d_[\d-]+)"
                         + re.escape(suffix + path.suffix) + "$")
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if pattern.match(p.name)), reverse=True)


def backup_time(backup: Path) -> datetime:
    stamp = backup.name.split(".")[-2]
    return datetime.strptime(stamp, BACKUP_STAMP)


@dataclass(frozen=True)
class Restored:
    """What `annuler` did: which backup came back, where the replaced version went."""

    backup: Path
    when: datetime
    kept: Path


def restore_last_backup(path: Path, force: bool = False) -> Restored:
    """Undo the last write: the newest backup comes back; the replaced file is kept aside."""
    backups = list_backups(path)
    if not backups:
        raise WorkbookError(
            f"Aucune sauvegarde de « {path.name} » dans le dossier {BACKUP_DIR} : "
            "il n'y a rien à annuler.")
    if not path.exists():
        raise WorkbookError(f"Le fichier « {path} » n'existe pas : rien à annuler.")
    backup = backups[0]
    with _write_lock(path):
        _check_office_locks(path, force)
        kept = backup.with_name(f"{path.stem}.{datetime.now():{BACKUP_STAMP}}.annule{path.suffix}")
        shutil.copy2(path, kept)
        os.replace(backup, path)
        for old in list_backups(path, ".annule")[20:]:
            old.unlink()
    return Restored(backup, backup_time(backup), kept)


# --------------------------------------------------------------------------- the new workbook

_LAST_ROW = 1048576
"""Rules and validations span whole columns so rows typed by hand later are covered."""
_HEADER_FILL = "1F4E78"
_COLOURS = {
    "closed": ("EDEDED", "808080"),
    "alert": ("FFD8A8", None),
    "stale": ("FFC7CE", "9C0006"),
    "hot": ("C6EFCE", "006100"),
}


def tracker_layout() -> Layout:
    """The layout init creates: the workflow's 14 columns, then the tool's own."""
    created = [c for c in schema.COLUMNS if c.created]
    return Layout(schema.SHEET_TRACKER, 1,
                  {c.key: i for i, c in enumerate(created, start=1)},
                  {c.key: c.header for c in created})


def _letter(layout: Layout, key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(layout.columns[key])


def _row_formulas(layout: Layout, row: int) -> dict[str, str]:
    """Délai and CA pondéré, written on every row the tool writes (English function names)."""
    formulas = {}
    if layout.has("delay") and layout.has("last_contact"):
        last = f"{_letter(layout, 'last_contact')}{row}"
        formulas["delay"] = f'=IF(ISNUMBER({last}),TODAY()-{last},"")'
    if layout.has("weighted") and layout.has("amount") and layout.has("probability"):
        amount = f"{_letter(layout, 'amount')}{row}"
        chance = f"{_letter(layout, 'probability')}{row}"
        formulas["weighted"] = (f'=IF(AND(ISNUMBER({amount}),ISNUMBER({chance})),'
                                f'{amount}*{chance},"")')
    return formulas


def _apply_row_formats(ws: Worksheet, layout: Layout, row: int) -> None:
    """Dates, euros and percentages look the same on every row, hand-typed or not."""
    for key, position in layout.columns.items():
        number_format = schema.COLUMN_BY_KEY[key].number_format
        if number_format:
            ws.cell(row=row, column=position).number_format = number_format


def _new_workbook(settings: Settings) -> Workbook:
    """All five sheets, styled, with their formulas, rules and names."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = schema.SHEET_TRACKER
    _build_tracker_sheet(book.active, tracker_layout())
    _build_rules_sheet(book.create_sheet(schema.SHEET_RULES))
    _build_settings_sheet(book, book.create_sheet(schema.SHEET_SETTINGS), settings)
    _journal_sheet(book)
    _build_dashboard(book.create_sheet(schema.SHEET_DASHBOARD), tracker_layout())
    return book


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    """A bold, coloured, frozen header row that survives sorting and filtering."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for position, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=position, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = width
    ws.row_dimensions[1].height = 32


def _build_tracker_sheet(ws: Worksheet, layout: Layout) -> None:
    """Suivi: header, widths, frozen panes, filter, drop-downs and the colour rules."""
    from openpyxl.worksheet.datavalidation import DataValidation

    created = [c for c in schema.COLUMNS if c.created]
    _header(ws, [c.header for c in created], [c.width for c in created])
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{_letter(layout, created[-1].key)}1"
    statuses = DataValidation(
        type="list", formula1='"' + ",".join(s.value for s in Status) + '"', allow_blank=True,
        errorTitle="Statut inconnu", error=f"Choisissez un statut : {schema.STATUS_CHOICES}.",
        showErrorMessage=True)
    actions = DataValidation(
        type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True,
        errorStyle="information", errorTitle="Action prévue",
        error="Action hors de la liste : elle sera gardée telle quelle.", showErrorMessage=True)
    for validation, key in ((statuses, "status"), (actions, "action")):
        letter = _letter(layout, key)
        validation.add(f"{letter}2:{letter}{_LAST_ROW}")
        ws.add_data_validation(validation)
    _add_colour_rules(ws, layout)



def _add_colour_rules(ws: Worksheet, layout: Layout) -> None:
    """The workflow's colour code, as formulas Excel and LibreOffice both evaluate."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    def rule(formula: str, colours: tuple[str, str | None], bold: bool = False,
             fill: bool = True, stop: bool = False) -> FormulaRule:
        background, text = colours
        return FormulaRule(
            formula=[formula], stopIfTrue=stop,
            fill=PatternFill(start_color=background, end_color=background, fill_type="solid")
            if fill else None,
            font=Font(color=text, bold=bold) if text or bold else None)

    status = f"${_letter(layout, 'status')}2"
    closed = f'OR({status}="{Status.WON.value}",{status}="{Status.LOST.value}")'
    active = f"NOT({closed})"
    last = f"${_letter(layout, 'last_contact')}2"
    alert = f"${_letter(layout, 'alert')}2"
    whole = f"A2:{_letter(layout, 'weighted')}{_LAST_ROW}"
    ws.conditional_formatting.add(whole, rule(closed, _COLOURS["closed"], stop=True))
    ws.conditional_formatting.add(whole, rule(f'LEN({alert})>0', _COLOURS["alert"]))
    ws.conditional_formatting.add(whole, rule(
        f"AND({active},ISNUMBER({last}),TODAY()-{last}>SeuilAlerte)", _COLOURS["stale"]))
    next_letter = _letter(layout, "next_followup")
    ws.conditional_formatting.add(
        f"{next_letter}2:{next_letter}{_LAST_ROW}",
        rule(f"AND({active},ISNUMBER(${next_letter}2),${next_letter}2<TODAY())",
             ("FFFFFF", "C00000"), bold=True, fill=False))
    chance = _letter(layout, "probability")
    ws.conditional_formatting.add(
        f"{chance}2:{chance}{_LAST_ROW}",
        rule(f"AND({active},ISNUMBER(${chance}2),${chance}2>=SeuilChaud)", _COLOURS["hot"],
             bold=True))


def _build_rules_sheet(ws: Worksheet) -> None:
    """Règles: the default cadence, one editable row a step."""
    from openpyxl.worksheet.datavalidation import DataValidation

    _header(ws, schema.RULES_HEADERS, (14, 11, 16, 10, 22, 60))
    ws.freeze_panes = "A2"
    for rule in schema.DEFAULT_RULES:
        counted = schema.FROM_LAST_CONTACT if rule.from_last_contact else schema.FROM_STATUS_START
        ws.append([rule.status.value, rule.day, counted, rule.action, rule.template, rule.advice])
    counted_from = DataValidation(
        type="list", formula1=f'"{schema.FROM_STATUS_START},{schema.FROM_LAST_CONTACT}"',
        allow_blank=False)
    counted_from.add(f"C2:C{_LAST_ROW}")
    statuses = DataValidation(type="list",
                              formula1='"' + ",".join(s.value for s in Status) + '"')
    statuses.add(f"A2:A{_LAST_ROW}")
    ws.add_data_validation(counted_from)
    ws.add_data_validation(statuses)


def _build_settings_sheet(book: Workbook, ws: Worksheet, settings: Settings) -> None:
    """Paramètres: label, value, explanation; named cells feed the colour rules."""
    from openpyxl.workbook.defined_name import DefinedName

    _header(ws, schema.SETTINGS_HEADERS, (48, 30, 60))
    ws.freeze_panes = "A2"
    for row, spec in enumerate(schema.SETTINGS_SPECS, start=2):
        value = schema.default_setting(spec, settings)
        ws.cell(row=row, column=1, value=spec.label)
        cell = ws.cell(row=row, column=2)
        _set_cell(cell, _setting_cell(spec, value))
        cell.number_format = {"percent": "0%", "time": "hh:mm"}.get(spec.kind, "General")
        ws.cell(row=row, column=3, value=spec.help or None)
        if spec.name:
            book.defined_names[spec.name] = DefinedName(
                spec.name, attr_text=f"'{schema.SHEET_SETTINGS}'!$B${row}")


def _setting_cell(spec: schema.SettingSpec, value: object) -> object:
    if spec.kind == "bool":
        return "Oui" if value else "Non"
    return value


def _journal_sheet(book: Workbook) -> Worksheet:
    """Journal is created on demand, so trackers made by hand gain it at the first update."""
    if schema.SHEET_JOURNAL in book.sheetnames:
        return book[schema.SHEET_JOURNAL]
    ws = book.create_sheet(schema.SHEET_JOURNAL)
    _header(ws, schema.JOURNAL_HEADERS, (12, 6, 28, 10, 60, 14, 14, 12, 14))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{_LAST_ROW}"
    return ws


def _build_dashboard(ws: Worksheet, layout: Layout) -> None:
    """Live formulas, so the KPIs stay true when the user edits Suivi by hand."""
    from openpyxl.styles import Font

    def col(key: str) -> str:
        letter = _letter(layout, key)
        return f"{schema.SHEET_TRACKER}!${letter}$2:${letter}${_LAST_ROW}"

    status, name = col("status"), col("name")
    won, lost = Status.WON.value, Status.LOST.value
    active = f'{name},"<>",{status},"<>{won}",{status},"<>{lost}"'
    rows = (
        ("Prospects actifs", f"=COUNTIFS({active})", "0",
         "lignes de Suivi ni gagnées ni perdues"),
        ("CA pondéré (€)",
         f'=SUMPRODUCT(({status}<>"{won}")*({status}<>"{lost}"),{col("amount")},'
         f'{col("probability")})', schema.AMOUNT_FORMAT,
         "somme des montants × probabilité des prospects actifs"),
        ("Affaires gagnées", f'=COUNTIF({status},"{won}")', "0", "statut Gagné"),
        ("Affaires perdues", f'=COUNTIF({status},"{lost}")', "0", "statut Perdu"),
        ("Prospects au total", f'=COUNTIF({name},"<>")', "0", "toutes les lignes de Suivi"),
        ("Taux de conversion", '=IF(B6=0,"—",B4/B6)', "0.0%", "gagnés / total"),
        ("CA gagné (€)", f'=SUMIF({status},"{won}",{col("amount")})', schema.AMOUNT_FORMAT,
         "somme des montants gagnés"),
        ("Relances en retard",
         f'=COUNTIFS({active},{col("next_followup")},"<"&TODAY())', "0",
         "prochaine relance dépassée, prospects actifs"),
    )
    _header(ws, ("Indicateur", "Valeur", "Définition"), (26, 16, 56))
    for row, (label, formula, number_format, definition) in enumerate(rows, start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=formula)
        cell.number_format = number_format
        ws.cell(row=row, column=3, value=definition)


ANALYSIS_NAME = "RelancesAnalyse"
"""Defined name over the block `analyse` wrote on Tableau de bord: the next run replaces
exactly that block, never a cell of the user's around it."""
_ANALYSIS_COLUMN = 5
"""Column E: beside the live KPIs (A to C), one empty column between."""
_KPI_KEYS = ("name", "status", "amount", "probability", "next_followup")


@dataclass(frozen=True)
class ChartTable:
    """One table of figures written on Tableau de bord, and the native chart drawn from it.

    Column 0 holds the categories; `bars` and `line` are the columns drawn (0-based)."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    formats: tuple[str | None, ...]
    bars: tuple[int, ...]
    line: tuple[int, ...] = ()
    axis_format: str = "0"


def write_analysis(book: Workbook, layout: Layout, caption: str,
                   tables: Sequence[ChartTable]) -> None:
    """Replace the previous analysis on Tableau de bord: its data block and its charts. The
    live KPI formulas stay; a tracker without the sheet gains it (with the KPIs when its
    Suivi has the columns they count)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    if schema.SHEET_DASHBOARD in book.sheetnames:
        ws = book[schema.SHEET_DASHBOARD]
    else:
        ws = book.create_sheet(schema.SHEET_DASHBOARD)
        if layout.sheet == schema.SHEET_TRACKER and all(map(layout.has, _KPI_KEYS)):
            _build_dashboard(ws, layout)
    first = _clear_previous_analysis(book, ws)
    titles = {t.title for t in tables}
    ws._charts = [c for c in ws._charts if _chart_title(c) not in titles]
    width = max(len(t.headers) for t in tables)
    for offset, size in enumerate((24, *([13] * (width - 1)))):
        ws.column_dimensions[get_column_letter(first + offset)].width = size
    ws.cell(row=1, column=first, value=caption).font = Font(bold=True, size=12)
    note = ws.cell(row=2, column=first, value="Données des graphiques, remplacées à chaque "
                   "« relances analyse ».")
    note.font = Font(italic=True, color="595959")
    row = 4
    for index, table in enumerate(tables):
        ws.cell(row=row, column=first, value=table.title).font = Font(bold=True)
        header = row + 1
        for offset, text in enumerate(table.headers):
            cell = ws.cell(row=header, column=first + offset, value=text)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for line, values in enumerate(table.rows, start=header + 1):
            for offset, value in enumerate(values):
                cell = ws.cell(row=line, column=first + offset)
                _set_cell(cell, value)
                if table.formats[offset]:
                    cell.number_format = table.formats[offset]
        last = header + len(table.rows)
        if table.rows:
            ws.add_chart(_analysis_chart(ws, table, first, header, last),
                         f"A{12 + 18 * index}")
        row = last + 2
    end = get_column_letter(first + width - 1)
    book.defined_names[ANALYSIS_NAME] = DefinedName(
        ANALYSIS_NAME, attr_text=f"'{ws.title}'!${get_column_letter(first)}$1:${end}${row}")


def _clear_previous_analysis(book: Workbook, ws: Worksheet) -> int:
    """Empty the block the last run wrote and return where the new one goes: the same
    place, or column E when it is free, else the first free column on the right."""
    from openpyxl.utils.cell import range_boundaries

    previous = book.defined_names.get(ANALYSIS_NAME)
    if previous is not None:
        for title, ref in previous.destinations:
            try:
                bounds = range_boundaries(ref.replace("$", ""))
            except (TypeError, ValueError):  # #REF! once the user deleted the cells
                continue
            if title != ws.title or None in bounds:
                continue
            min_col, min_row, max_col, max_row = bounds
            for key in [k for k in ws._cells if min_row <= k[0] <= max_row
                        and min_col <= k[1] <= max_col]:
                del ws._cells[key]
            return min_col
    if any(column >= _ANALYSIS_COLUMN and cell.value not in (None, "")
           for (_, column), cell in ws._cells.items()):
        return max(ws.max_column + 2, _ANALYSIS_COLUMN)
    return _ANALYSIS_COLUMN


def _chart_title(chart: Any) -> str:
    """The text of a chart's title, as written or as read back from the file."""
    title = getattr(chart, "title", None)
    if title is None or isinstance(title, str):
        return title or ""
    rich = getattr(getattr(title, "tx", None), "rich", None)
    if rich is None:
        return ""
    return "".join(run.t or "" for paragraph in rich.p for run in (paragraph.r or []))


def _analysis_chart(ws: Worksheet, table: ChartTable, first: int, header: int,
                    last: int) -> Any:
    """A clustered column chart (and a line over it), axes shown: openpyxl 3.1 leaves
    `delete` unset, which recent Excel reads as hidden axes."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.label import DataLabelList

    def series(columns: Sequence[int], chart: Any) -> None:
        for column in columns:
            chart.add_data(Reference(ws, min_col=first + column, min_row=header, max_row=last),
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=first, min_row=header + 1, max_row=last))

    chart = BarChart()
    chart.type, chart.grouping, chart.title = "col", "clustered", table.title
    chart.style, chart.width, chart.height = 10, 17, 8.5
    series(table.bars, chart)
    # Every flag said: LibreOffice reads an absent one as "show" (series and category names).
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                     showLegendKey=False, showPercent=False,
                                     showBubbleSize=False)
    chart.y_axis.numFmt = table.axis_format
    chart.y_axis.scaling.min = 0
    chart.legend.position = "b"
    if table.line:
        line = LineChart()
        series(table.line, line)
        chart += line
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
    return chart


def _move_rows(ws: Worksheet, order: Sequence[int], first: int, layout: Layout) -> None:
    """Put row order[i] at row first+i: the cell objects themselves move, so values,
    styles, links and comments go with them. The tool's own formulas are rewritten for
    their new row; any other formula is translated as Excel does when it sorts."""
    from openpyxl.formula.translate import Translator

    moves = {source: target for target, source in enumerate(order, start=first)
             if source != target}
    cells = ws._cells
    leaving = [(key, cells.pop(key)) for key in list(cells) if key[0] in moves]
    heights = {row: ws.row_dimensions[row].height for row in moves}
    own = {layout.columns[key] for key in _row_formulas(layout, first)}
    for (source, column), cell in leaving:
        target = moves[source]
        cell.row = target
        cells[(target, column)] = cell
        if cell.data_type == "f" and isinstance(cell.value, str) and column not in own:
            origin = f"{cell.column_letter}{source}"
            cell.value = Translator(cell.value, origin=origin).translate_formula(
                cell.coordinate)
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
    for source, target in moves.items():
        ws.row_dimensions[target].height = heights[source]
        for key, formula in _row_formulas(layout, target).items():
            cell = cells.get((target, layout.columns[key]))
            if cell is not None and cell.data_type == "f":
                cell.value = formula


def _grow_ranges(ws: Worksheet, old_last: int, new_last: int) -> None:
    """openpyxl's append grows nothing: filters, tables, validations and rules ending at the
    old last row are stretched to the new one, as Excel does when a row is typed below."""
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

    def grown(ref: str) -> str:
        ranges = []
        for part in MultiCellRange(ref).ranges:
            cell_range = CellRange(part.coord)
            if old_last <= cell_range.max_row < new_last:
                cell_range.expand(down=new_last - cell_range.max_row)
            ranges.append(cell_range.coord)
        return " ".join(ranges)

    if ws.auto_filter.ref:
        ws.auto_filter.ref = grown(ws.auto_filter.ref)
    for table in ws.tables.values():
        table.ref = grown(table.ref)
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange(grown(str(validation.sqref)))
    rules = ConditionalFormattingList()
    for formatting in ws.conditional_formatting:
        for rule in formatting.rules:
            rules.add(grown(str(formatting.sqref)), rule)
    rules.max_priority = ws.conditional_formatting.max_priority
    ws.conditional_formatting = rules
