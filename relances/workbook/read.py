"""Reading a tracker: sheet values to Prospects, settings, rules and the Journal.

Values are read by workbook/values (python-calamine) for read and write commands alike,
so a prospect never looks different to `liste` and to `maj`. relances' own formula
columns (Délai, CA pondéré) are never read: it computes them itself.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from relances.core import schema
from relances.core.countries import COUNTRIES
from relances.core.errors import WorkbookError
from relances.core.model import (
    JournalEntry,
    Notice,
    Problem,
    Prospect,
    Rule,
    Settings,
    Status,
    Tracker,
)
from relances.text.parsing import (
    ParseError,
    is_placeholder,
    normalize,
    parse_amount,
    parse_date,
    parse_int,
    parse_probability,
    parse_score,
    split_contact,
)
from relances.workbook.contacts import contacts_from_rows
from relances.workbook.files import read_package
from relances.workbook.layout import Layout, find_layout
from relances.workbook.totals import summary_rows, table_totals
from relances.workbook.values import calamine_sheet, calamine_sheets, wanted_sheets

_READERS = {
    "int": parse_int,
    "amount": parse_amount,
    "percent": parse_probability,
    "score": parse_score,
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
    typed = kind in ("date", "status", "int", "amount", "percent", "score")

    def read(raw: object) -> object:
        if raw is None or raw == "" or (typed and type(raw) is str and is_placeholder(raw)):
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


def _read_column(cells: Sequence[Any], kind: str, today: date,
                 seen: dict[object, object]) -> tuple[list[Any], bool]:
    """A whole column at once: the usual cell (a real date, a plain string, a known
    status, an empty cell) is taken in the comprehension itself, anything else goes
    through the full reader. An amount or a probability is read once for the whole
    sheet (`seen`: the column's values already read). Whether some cell did not read is
    returned beside the values."""
    failed: list[bool] = []
    read = _cell_reader(kind, today, failed)
    if kind == "date":
        values = [v if type(v) is date else None if v == "" else read(v) for v in cells]
    elif kind == "status":
        known = schema.CANONICAL_STATUS
        values = [known[v] if type(v) is str and v in known else read(v) for v in cells]
    elif kind == "int":
        values = [int(v) if type(v) is float and v.is_integer() else read(v) for v in cells]
    elif kind == "score":
        values = [read(v) for v in cells]
    elif kind in ("amount", "percent"):
        def remember(value: float) -> object:
            result = read(value)
            if type(result) is not _Unreadable:  # a cell that fails is reported each time
                seen[value] = result
            return result

        values = [(seen[v] if v in seen else remember(v)) if type(v) is float
                  else None if v == "" else read(v) for v in cells]
    else:
        values = [(v.strip() or None) if type(v) is str else read(v) for v in cells]
    return values, bool(failed)


_PROSPECT_FIELDS = tuple(f.name for f in dataclasses.fields(Prospect))


_CHUNK = 4096
"""Rows read together: the cells of 4 096 rows stay in the processor's cache while each
column is read, which reads 50 000 rows a fifth faster than in one piece."""


def prospects_from_rows(
    rows: Sequence[Sequence[Any]], layout: Layout, today: date,
    texts: frozenset[str] | None = None,
) -> tuple[list[Prospect], list[Problem]]:
    """All prospects of a sheet, plus one problem per unreadable cell and per duplicate ID.

    The sheet is read column by column rather than row by row: each column goes through
    one comprehension, which reads 10 000 rows several times faster than a dictionary of
    fields built for every row. Rows with an unreadable cell are set aside whole.

    `texts` names the free-text fields a command looks at (None: all of them): the other
    text columns are left unread, and a shared contact cell is split only for a command
    that wants the email or the phone. Every other column is read, so that each command
    reports the same unreadable cells."""
    prospects: list[Prospect] = []
    problems: list[Problem] = []
    ids: dict[int, int] = {}
    readers = layout.readers if texts is None else tuple(
        reader for reader in layout.readers if reader[2] != "text" or reader[0] in texts)
    split = texts is None or not texts.isdisjoint(("email", "phone"))
    seen: dict[str, dict[object, object]] = {key: {} for key, _, _ in readers}
    for start in range(layout.header_row, len(rows), _CHUNK):
        found, issues = _prospects_from_chunk(rows[start:start + _CHUNK], start + 1, layout,
                                              today, ids, readers, split, seen)
        prospects += found
        problems += issues
    return prospects, problems


def _prospects_from_chunk(
    body: Sequence[Sequence[Any]], first_row: int, layout: Layout, today: date,
    ids: dict[int, int], readers: Sequence[tuple[str, int, str]], split: bool,
    seen: dict[str, dict[object, object]],
) -> tuple[list[Prospect], list[Problem]]:
    """The rows from `first_row` on; `ids` holds the IDs seen in the rows above, `seen`
    each column's values already read."""
    count = len(body)
    table = list(itertools.zip_longest(*body))
    fields: dict[str, list[Any]] = {}
    issues: list[tuple[int, int, Problem]] = []
    unreadable: dict[int, set[str]] = {}
    for order, (key, index, kind) in enumerate(readers):
        if index >= len(table):
            continue
        values, failed = _read_column(table[index], kind, today, seen[key])
        fields[key] = values
        if failed:
            for i in [i for i, v in enumerate(values) if type(v) is _Unreadable]:
                issues.append((i, order, Problem(layout.sheet, first_row + i,
                                                 layout.headers[key], values[i].message)))
                unreadable.setdefault(i, set()).add(key)
                values[i] = None  # the prospect stays, with this one field empty
    names = fields.get("name", [None] * count)
    nameless = {i for i, name in enumerate(names) if name is None and (
        i in unreadable or any(values[i] is not None for values in fields.values()))}
    issues.extend((i, len(fields), Problem(layout.sheet, first_row + i, layout.headers["name"],
                                           "le nom est vide alors que la ligne est remplie"))
                  for i in sorted(nameless))
    keep = [i for i, name in enumerate(names) if name is not None]
    if "id" in fields:
        keep = _without_duplicate_ids(keep, fields["id"], first_row, layout, ids, issues)
    issues.sort(key=lambda issue: issue[:2])
    fields["row"] = list(range(first_row, first_row + count))
    if unreadable:
        fields["unreadable"] = [frozenset(unreadable.get(i, ())) for i in range(count)]
    if split:
        _split_contacts(fields, keep)
    else:
        fields.pop("contact", None)
    if len(keep) != count:
        fields = {key: [values[i] for i in keep] for key, values in fields.items()}
    columns = [fields.get(name, itertools.repeat(frozenset() if name == "unreadable" else None))
               for name in _PROSPECT_FIELDS]
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
    by_label = {normalize(spec.label): spec
                for spec in (*schema.SETTINGS_SPECS, schema.SINGLE_ALERT)}
    per_status: dict[str, dict[Status, Any]] = {}
    single_alert = None
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
        if spec is schema.SINGLE_ALERT:
            single_alert = value
        elif spec.status is not None:
            per_status.setdefault(spec.attr, {})[spec.status] = value
        else:
            setattr(settings, spec.attr, value)
    if single_alert is not None:
        settings.stale_days = dict.fromkeys(settings.stale_days, single_alert)
    for attr, values in per_status.items():
        setattr(settings, attr, {**getattr(settings, attr), **values})
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
        if code not in COUNTRIES:
            raise ParseError(f"« {raw} » n'est pas un pays pris en charge "
                             f"({', '.join(COUNTRIES)})")
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


_JOURNAL_KINDS = ("date", "int", "text", "text", "text", "text", "status", "percent", "text",
                  "date")
"""How each Journal column reads, in JOURNAL_HEADERS order."""


def has_next_followup(header: Sequence[Any]) -> bool:
    """Whether a Journal's last column of ours is the planned follow-up (Journals made
    before it may hold a column of the user's own there)."""
    last = len(schema.JOURNAL_HEADERS)
    return len(header) >= last and isinstance(header[last - 1], str) and \
        normalize(header[last - 1]) == normalize(schema.JOURNAL_HEADERS[-1])


def journal_from_rows(rows: Sequence[Sequence[Any]], today: date) -> list[JournalEntry]:
    """The Journal is informative: rows that do not read are skipped, never fatal. It is
    as long as the tracker's history, so it is read column by column, like Suivi."""
    body = rows[1:]
    if not body:
        return []
    kinds = _JOURNAL_KINDS if has_next_followup(rows[0]) else _JOURNAL_KINDS[:-1]
    table = list(itertools.zip_longest(*body))[:len(kinds)]
    table += [(None,) * len(body)] * (len(kinds) - len(table))
    columns = []
    unreadable: set[int] = set()
    for cells, kind in zip(table, kinds, strict=False):
        values, failed = _read_column(cells, kind, today, {})
        if failed:
            unreadable.update(i for i, v in enumerate(values) if type(v) is _Unreadable)
        columns.append(values)
    columns[2] = [name or "" for name in columns[2]]
    keep = [i for i, when in enumerate(columns[0]) if when is not None and i not in unreadable]
    if len(keep) != len(body):
        columns = [[values[i] for i in keep] for values in columns]
    return list(map(JournalEntry, *columns))


def tracker_from_sheets(
    sheets: dict[str, Sequence[Sequence[Any]]], today: date, path: Path,
    totals: dict[str, set[int]] | None = None,
    journal_rows: Callable[[], Sequence[Sequence[Any]]] | None = None,
    texts: frozenset[str] | None = None,
) -> tuple[Tracker, Layout]:
    """Build the Tracker from raw sheet values, whichever engine read them. The totals
    rows of Excel Tables (`totals`, by sheet) are never prospects. A column the tracker
    lacks is made up for: default probabilities (said once), follow-ups counted in the
    Journal (`journal_rows` reads it when it was not read already)."""
    from relances.core.cadence import with_default_probabilities, with_followups_from_journal

    name, layout = _tracker_sheet(sheets, path)
    rows = sheets[name]
    skipped = set(totals.get(name, ())) if totals else set()
    skipped |= summary_rows(rows, layout)
    if skipped:
        rows = [[] if number in skipped else values
                for number, values in enumerate(rows, start=1)]
    prospects, problems = prospects_from_rows(rows, layout, today, texts)
    settings, setting_problems = settings_from_rows(sheets.get(schema.SHEET_SETTINGS, ()))
    journal = journal_from_rows(sheets.get(schema.SHEET_JOURNAL, ()), today)
    rules, rule_problems = rules_from_rows(sheets.get(schema.SHEET_RULES, ()))
    notices: list[Problem] = []
    if not layout.has("probability"):
        prospects = with_default_probabilities(prospects, settings)
        notices.append(Notice(layout.sheet, None, None, _NO_PROBABILITY))
    if not layout.has("followups_done"):
        history = journal if schema.SHEET_JOURNAL in sheets or journal_rows is None \
            else journal_from_rows(journal_rows(), today)
        prospects = with_followups_from_journal(prospects, history)
    contacts, contact_problems = contacts_from_rows(sheets.get(schema.SHEET_CONTACTS, ()))
    tracker = Tracker(prospects, notices + setting_problems + rule_problems + problems
                      + contact_problems, settings, layout.fields(), journal, rules, contacts)
    return tracker, layout


_NO_PROBABILITY = ("pas de colonne Probabilité : le CA pondéré compte pour chaque prospect "
                   "la probabilité par défaut de son statut (feuille Paramètres)")


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


def read_tracker(path: Path, today: date, journal: bool = False,
                 texts: frozenset[str] | None = None) -> Tracker:
    """Read every prospect with python-calamine, for commands that never write.

    The Journal, as long as the tracker's history, is read only when asked for; `texts`
    is prospects_from_rows's (the free-text fields the command looks at)."""
    data = read_package(path)
    sheets = calamine_sheets(path, data, journal)
    return tracker_from_sheets(sheets, today, path, table_totals(data),
                               journal_loader(path, data), texts)[0]


def journal_loader(path: Path, data: bytes) -> Callable[[], list[list[Any]]]:
    """Reads the Journal, only when called (a tracker without Relances faites needs it)."""
    return lambda: calamine_sheet(path, data, schema.SHEET_JOURNAL)


def read_tracker_with_openpyxl(path: Path, today: date) -> Tracker:
    """The same tracker read by openpyxl (saved values of formulas), to prove that
    calamine reads what Excel shows: the tests compare both on every kind of file. An
    error such as #DIV/0! reads as empty, as calamine reads it, and "_x0041_" escapes are
    undone in inline strings too (openpyxl only undoes them in shared strings)."""
    import openpyxl
    from openpyxl.utils.escape import unescape

    def value(cell: Any) -> object:
        if cell.data_type == "e":
            return None
        return unescape(cell.value) if isinstance(cell.value, str) else cell.value

    data = read_package(path)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = {name: [[value(cell) for cell in row] for row in book[name].iter_rows()]
              for name in wanted_sheets(book.sheetnames, journal=True)}
    return tracker_from_sheets(sheets, today, path, table_totals(data))[0]
