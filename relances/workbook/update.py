"""Changing a tracker: the session every write command opens, and the one save.

`open_for_update` (workbook/session) takes the lock, checks the file, reads it as
`liste` reads it, and opens the package with the editor of relances.xlsx; the session
writes cells, rows
and the Journal into it; `save` backs up the previous version and replaces the file
atomically. Only the cells, rows and ranges relances owns change: every other part of
the user's file is copied as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from relances.core import schema
from relances.core.errors import WorkbookBusy, WorkbookError
from relances.core.model import JournalEntry, Prospect, Status, Tracker
from relances.text.parsing import ParseError, join_contact, parse_date, split_contact
from relances.workbook.files import (
    check_office_locks,
    digest,
    held_elsewhere,
    make_backup,
    prune_backups,
    replace_atomically,
)
from relances.workbook.layout import Layout, row_formulas
from relances.workbook.read import has_next_followup, journal_from_rows
from relances.workbook.values import calamine_sheet, first_row

if TYPE_CHECKING:
    from relances.workbook.dashboard import ChartTable
    from relances.xlsx.book import Book
    from relances.xlsx.sheet import Sheet

DOC_PROPERTY = "relances-format"
_JOURNAL_FORMATS = (schema.DATE_FORMAT, None, None, None, None, None, None,
                    schema.PERCENT_FORMAT, None, schema.DATE_FORMAT)
"""The number format of each Journal column, in JOURNAL_HEADERS order."""


@dataclass
class Update:
    """An open tracker: read as `liste` reads it, changed in the package, saved once."""

    path: Path
    book: Book
    layout: Layout
    tracker: Tracker
    digest: str
    last_row: int
    """The last data row: new prospects go under it (above a totals row, if any)."""
    named_rows: list[int]
    """Rows of the data whose name cell is filled, read or not."""
    today: date
    force: bool = False
    highest_id: int = 0
    next_dates: dict[int, object] = field(default_factory=dict)
    """Row -> the Prochaine relance cell as read, kept up to date, for sorting."""
    contact_texts: dict[int, object] = field(default_factory=dict)
    """Row -> the Contact cell as read, for an import that completes it."""
    pending_journal: list[JournalEntry] = field(default_factory=list)
    number_styles: dict[tuple[int, str], int | None] = field(default_factory=dict)
    """(style, number format) -> the style a number needs there, worked out once."""
    saved: bool = False

    @property
    def sheet(self) -> Sheet:
        return self.book.sheet(self.layout.sheet)

    def next_id(self) -> int:
        """IDs are never reused, not even those of rows that failed to read."""
        return self.highest_id + 1

    # ----------------------------------------------------------------- prospects

    def append(self, prospect: Prospect) -> Prospect:
        """A new row under the data, styled like the row above; a totals row or anything
        else below moves down, and filters, Tables, rules and sums over the data grow."""
        return self.append_all([prospect])[0]

    def append_all(self, prospects: Sequence[Prospect],
                   progress: Callable[[int], None] | None = None) -> list[Prospect]:
        """`append` for many rows (an import): room is made once for all of them."""
        from relances.xlsx.edits import insert_rows

        if not prospects:
            return []
        first, count = self.last_row + 1, len(prospects)
        move = any(self.sheet.row_has_values(row) for row in range(first, first + count))
        insert_rows(self.book, self.layout.sheet, first, count, move)
        template, looks = self._above(self.sheet, first - 1, self.layout.header_row,
                                      self._first_row_styles)
        added = []
        for number, prospect in enumerate(prospects):
            row = first + number
            self._new_row(row, template, looks=looks)
            self._write_prospect(row, prospect)
            self.named_rows.append(row)
            if prospect.id is not None:
                self.highest_id = max(self.highest_id, prospect.id)
            added.append(prospect.replace(row=row))
            if progress is not None and number % 100 == 0:
                progress(number)
            self.sheet.set_down(row)
        self.last_row = first + count - 1
        return added

    def rewrite(self, prospect: Prospect, keys: Iterable[str],
                asked: Iterable[str] = ()) -> None:
        """Write back only the fields that changed; the rest of the row stays as typed. A
        cell that did not read is never overwritten, unless the user gave that field
        (`asked`): what they typed there may matter more than relances' guess."""
        assert prospect.row is not None
        kept = prospect.unreadable - set(asked)
        self._write_prospect(prospect.row, prospect, {k for k in keys if k not in kept})
        self.sheet.set_down(prospect.row)

    def complete(self, prospect: Prospect, fields: Iterable[str]) -> list[str]:
        """Write the given fields only into cells that are empty: an import never overwrites
        what the user typed. A single Contact cell keeps its text and gains the missing
        email (in front) or phone (behind). Returns the columns written."""
        assert prospect.row is not None
        layout, row = self.layout, prospect.row
        cells = self.sheet.cells(row)
        empty, written = [], []
        for key in dict.fromkeys(fields):
            if key in ("email", "phone") and not layout.has(key) and layout.has("contact"):
                raw = self.contact_texts.get(row)
                text = str(raw).strip() if raw is not None else ""
                email, phone = split_contact(text or "")
                if key == "email" and email is None and prospect.email:
                    text = join_contact(prospect.email, text or None)
                elif key == "phone" and phone is None and prospect.phone:
                    text = join_contact(text or None, prospect.phone)
                else:
                    continue
                self._set(row, "contact", text)
                self.contact_texts[row] = text
                written.append("contact")
            elif (layout.has(key) and key not in schema.FORMULA_KEYS
                  and not _has_content(cells.get(layout.columns[key]))):
                empty.append(key)
        if empty:
            self._write_prospect(row, prospect, set(empty))
        self.sheet.set_down(row)
        return [*dict.fromkeys(written), *empty]

    def colour_satisfaction(self) -> str | None:
        """The Satisfaction column and its colours (workbook/satisfaction); the letter
        of the column when it was added."""
        from relances.workbook.satisfaction import colour_satisfaction

        return colour_satisfaction(self.book, self.sheet, self.layout, self.last_row)

    def _write_prospect(self, row: int, prospect: Prospect,
                        keys: set[str] | None = None) -> None:
        """The given fields (all by default) of a prospect into its row; the tool's own
        formulas go into their cells when the row is new or they are missing."""
        from relances.xlsx.values import Formula

        values = _cell_values(prospect, self.layout)
        for key, value in values.items():
            if (keys is None or key in keys) and self.layout.has(key):
                self._set(row, key, value)
        if keys is None or "next_followup" in keys:
            self.next_dates[row] = prospect.next_followup
        cells = self.sheet.cells(row)
        for key, formula in row_formulas(self.layout, row).items():
            if keys is None or not _has_content(cells.get(self.layout.columns[key])):
                self._set(row, key, Formula(formula))

    def _set(self, row: int, key: str, value: object) -> None:
        """One cell, with the look its column needs when its style does not give it: a
        date shows as a date, a probability as a percentage (else 46042 and 0.5)."""
        number_format = schema.COLUMN_BY_KEY[key].number_format
        if number_format not in (schema.DATE_FORMAT, schema.PERCENT_FORMAT):
            number_format = None  # euros and plain numbers read right in any format
        self._write_cell(self.sheet, row, self.layout.columns[key], value, number_format)

    def _write_cell(self, sheet: Sheet, row: int, column: int, value: object,
                    number_format: str | None) -> None:
        from relances.xlsx.values import Formula

        new_style = None
        if number_format and value is not None and not isinstance(value, str):
            new_style = self._look(sheet.style_of(row, column), number_format)
        if isinstance(value, Decimal):
            value = float(value)
        sheet.set_value(row, column, value, new_style)
        if isinstance(value, Formula):
            self.book.recalculate_on_open()

    def _above(self, sheet: Sheet, above: int, header_row: int,
               first: Callable[[], dict[int, str]]) -> tuple[dict[int, str], dict[str, str]]:
        """What a new row takes from the row above it: each cell's style, and the row's
        own look (style, outline level, a height set by hand). The header's look is not
        a data row's: under it, cells get `first()`."""
        if above <= header_row:
            return first(), {}
        template = {column: style for column, cell in sheet.cells(above).items()
                    if (style := cell.get("s"))}
        element = sheet.row(above)
        looks = {} if element is None else {
            name: value for name, value in element.attrib.items() if name not in _NOT_COPIED}
        if element is not None and element.get("customHeight") in ("1", "true") \
                and element.get("ht"):
            looks.update(ht=element.get("ht"), customHeight="1")
        return template, looks

    def _first_row_styles(self) -> dict[int, str]:
        """The first prospect under the header: each column gets its own number format,
        so that a date typed there later shows as a date."""
        template = {}
        for key, column in self.layout.columns.items():
            number_format = schema.COLUMN_BY_KEY[key].number_format
            style = self._look(0, number_format) if number_format else None
            if style:
                template[column] = str(style)
        return template

    def _new_row(self, row: int, template: dict[int, str], sheet: Sheet | None = None,
                 looks: dict[str, str] | None = None) -> None:
        """Cells of a new row take the style of the cell above, where they have none, and
        the row the look of the row above (its style, height, outline level)."""
        sheet = sheet or self.sheet
        element = sheet.row(row, create=True)
        assert element is not None
        for name, value in (looks or {}).items():
            if element.get(name) is None:
                element.set(name, value)
                sheet.mark(row)
        cells = sheet.cells(row)
        for column, style in template.items():
            cell = cells.get(column)
            if cell is None:
                sheet.cell(row, column).set("s", style)
            elif not cell.get("s"):
                cell.set("s", style)
                sheet.mark(row)

    # ----------------------------------------------------------------- Journal

    def journal(self, entry: JournalEntry) -> None:
        """One interaction, to go under the last line of the Journal; lines are written
        together at the end (`planifier` may close a thousand prospects in one run)."""
        self.pending_journal.append(entry)

    def _write_journal(self) -> None:
        entries, self.pending_journal = self.pending_journal, []
        if not entries:
            return
        sheet, width = self._journal_sheet()
        self.append_lines(sheet, [
            (e.when, e.prospect_id, e.name, e.channel, e.summary, e.outcome,
             e.status.value if e.status else None, e.probability, e.owner,
             e.next_followup)[:width] for e in entries], _JOURNAL_FORMATS)

    # ----------------------------------------------------------------- sheets of lines

    def append_lines(self, sheet: Sheet, lines: Sequence[Sequence[object]],
                     formats: Sequence[str | None]) -> int:
        """Rows under the last filled line of a sheet of lines (Journal, Contacts), styled
        like the line above; whatever lies below moves down. Returns the first row."""
        from relances.xlsx.edits import insert_rows

        first = _last_filled(sheet, 1) + 1
        move = any(sheet.row_has_values(r) for r in range(first, first + len(lines)))
        insert_rows(self.book, sheet.name, first, len(lines), move)
        template, looks = self._above(sheet, first - 1, 1, dict)
        for row, values in enumerate(lines, start=first):
            self._new_row(row, template, sheet, looks)
            for column, value in enumerate(values, start=1):
                if value is not None:
                    self._write_cell(sheet, row, column, value,
                                     formats[column - 1] if column <= len(formats) else None)
            sheet.set_down(row)
        return first

    def set_line_cell(self, sheet: Sheet, row: int, column: int, value: object) -> None:
        """One cell of a sheet of lines, rewritten (empty when None)."""
        if value is None:
            sheet.clear(row, column, row, column)
        else:
            self._write_cell(sheet, row, column, value, None)
        sheet.set_down(row)

    def remove_line(self, sheet: Sheet, row: int, columns: int) -> None:
        """A line out of a sheet of lines: the lines below move up, whole, and the last
        one is emptied, so the sheet keeps no gap."""
        from relances.xlsx.edits import sort_rows

        last = _last_filled(sheet, 1)
        sort_rows(self.book, sheet.name, [*range(row + 1, last + 1), row], row)
        sheet.clear(last, 1, last, columns)

    def _journal_sheet(self) -> tuple[Sheet, int]:
        """The Journal and how many of its columns are ours: a Journal made before it had
        « Prochaine relance » gains the header where the column is free, and a column of
        the user's own there is never written into."""
        from relances.workbook.sheets import add_journal

        if self.book.entry(schema.SHEET_JOURNAL) is None:
            return add_journal(self.book), len(schema.JOURNAL_HEADERS)
        sheet = self.book.sheet(schema.SHEET_JOURNAL)
        last = len(schema.JOURNAL_HEADERS)
        header = first_row(self.path, self.book.package.source, schema.SHEET_JOURNAL)
        if len(header) < last or header[last - 1] is None:
            sheet.set_value(1, last, schema.JOURNAL_HEADERS[-1], sheet.style_of(1, last - 1))
            return sheet, last
        if has_next_followup(header):
            return sheet, last
        return sheet, last - 1

    def journal_entries(self) -> list[JournalEntry]:
        """The Journal as read, for the commands that analyse it before writing."""
        if self.book.entry(schema.SHEET_JOURNAL) is None:
            return []
        rows = calamine_sheet(self.path, self.book.package.source, schema.SHEET_JOURNAL)
        return journal_from_rows(rows, self.today)

    # ----------------------------------------------------------------- tidying

    def refresh_analysis(self, caption: str, tables: Sequence[ChartTable]) -> None:
        from relances.workbook.dashboard import write_analysis

        write_analysis(self.book, self.layout, caption, tables)

    def restore_formulas(self) -> int:
        """Rows typed by hand get the Délai and CA pondéré formulas and their formats."""
        from relances.xlsx.values import Formula

        restored = 0
        sheet = self.sheet
        for row in self.named_rows:
            expected = row_formulas(self.layout, row)
            raw = sheet.raw_row(row) or b""
            if all(f.encode() in raw for f in expected.values()):
                continue
            cells = sheet.cells(row)
            missing = [key for key in expected
                       if not _has_content(cells.get(self.layout.columns[key]))]
            for key in missing:
                self._set(row, key, Formula(expected[key]))
            for key in self.layout.columns:
                number_format = schema.COLUMN_BY_KEY[key].number_format
                cell = cells.get(self.layout.columns[key])
                if missing and number_format and (key in missing or _has_content(cell)):
                    self._reformat(row, key, number_format)
            sheet.set_down(row)
            restored += bool(missing)
        return restored

    def _look(self, style: int, number_format: str) -> int | None:
        """The style a number needs when `style` does not show it as its column wants
        (a date as a serial number, 0.5 for 50 %): the same style with the column's
        format. None when the cell's own look already fits: it is then kept, whatever
        date or euro format the user chose."""
        key = (style, number_format)
        if key not in self.number_styles:
            styles = self.book.styles
            if number_format == schema.DATE_FORMAT:
                fits = styles.shows_date(style)
            elif number_format == schema.PERCENT_FORMAT:
                fits = styles.shows_percent(style)
            else:
                fits = not styles.shows_general(style)
            self.number_styles[key] = (None if fits else
                                       styles.with_number_format(style, number_format))
        return self.number_styles[key]

    def _reformat(self, row: int, key: str, number_format: str) -> None:
        """A number typed by hand in a date, amount or percentage column gets the look of
        its column, its value untouched."""
        column = self.layout.columns[key]
        new_style = self._look(self.sheet.style_of(row, column), number_format)
        if new_style is not None:
            self.sheet.cell(row, column).set("s", str(new_style))
            self.sheet.mark(row)

    def sort_by_next_followup(self) -> str | bool:
        """Soonest follow-up on top, as the workflow sorts; whole rows move, styles,
        notes and links included. False when already in order; a French sentence when
        something in the rows cannot move with them (the order is then left as it is)."""
        from relances.xlsx.edits import sort_obstacle, sort_rows

        first = self.layout.header_row + 1
        if not self.layout.has("next_followup") or self.last_row <= first:
            return False
        keys = []
        for row in range(first, self.last_row + 1):
            when = _as_date(self.next_dates.get(row), self.today)
            keys.append((when is None, when or date.max, row))
        order = [row for *_, row in sorted(keys)]
        if order == list(range(first, self.last_row + 1)):
            return False
        obstacle = sort_obstacle(self.book, self.layout.sheet, first, self.last_row)
        if obstacle is not None:
            return _cannot_sort(obstacle.kind, obstacle.where)
        sort_rows(self.book, self.layout.sheet, order, first)
        return True

    # ----------------------------------------------------------------- saving

    def write_package(self, stream: IO[bytes]) -> None:
        """The new file, straight into `stream`: the Journal lines written, the format
        version recorded."""
        self._write_journal()
        if any(sheet.changed for _, sheet in self.book.open_sheets()):
            self.book.recalculate_on_open()  # totals and sums over changed cells
        self.book.set_custom_property(DOC_PROPERTY, schema.FORMAT_VERSION)
        self.book.write(stream)

    def save(self, now: datetime) -> Path | None:
        """Back up the previous version, then replace the file atomically; return the
        backup, named by `now`."""
        check_office_locks(self.path, self.force)
        if digest(self.path.read_bytes()) != self.digest:
            raise WorkbookBusy(
                f"« {self.path.name} » a été modifié pendant la commande : rien n'a été "
                "écrit. Relancez la commande pour repartir de la version actuelle.")
        backups: list[Path] = []

        def back_up() -> None:
            backups.append(make_backup(self.path, now))

        try:
            replace_atomically(self.path, self.write_package, before=back_up)
        except PermissionError:
            _forget(backups)
            raise held_elsewhere(self.path) from None
        except OSError as error:
            _forget(backups)
            raise WorkbookError(
                f"Impossible d'enregistrer « {self.path.name} » ({error.strerror}) : "
                "vérifiez l'espace disque et les droits du dossier. Rien n'a été écrit.") \
                from None
        prune_backups(self.path, self.tracker.settings.backups_kept)
        self.saved = True
        return backups[0]


def _forget(backups: list[Path]) -> None:
    """The backup of a save that did not happen would be the next `annuler`'s target."""
    for backup in backups:
        backup.unlink(missing_ok=True)


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


def _has_content(cell: Any) -> bool:
    """A value or a formula: an empty cell that only carries a style is free."""
    if cell is None:
        return False
    for part in cell:
        name = part.tag.rsplit("}", 1)[-1] if isinstance(part.tag, str) else ""
        if name in ("f", "is") or (name == "v" and (part.text or "") != ""):
            return True
    return False


_NOT_COPIED = frozenset({"r", "spans", "hidden", "collapsed", "ht", "customHeight"})
"""Row attributes a new row does not take from the row above (a height only when it was
set by hand)."""


def _last_filled(sheet: Sheet, column: int) -> int:
    """The last row holding a value in a column (formatted empty rows do not count)."""
    for number in reversed(sheet.row_numbers()):
        if _has_content(sheet.cells(number).get(column)):
            return number
    return 0


def _as_date(value: object, today: date) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None  # type: ignore[return-value]
    try:
        return parse_date(value, today)
    except ParseError:
        return None


def _cannot_sort(kind: str, where: str) -> str:
    if kind == "merge":
        return (f"Le suivi n'a pas été trié : les cellules fusionnées {where} s'étendent "
                "sur plusieurs lignes de données et ne pourraient pas suivre leurs lignes. "
                "Défusionnez-les pour que relances puisse trier.")
    return (f"Le suivi n'a pas été trié : l'objet « {where} » (image, forme ou graphique) "
            "est posé sur les lignes de données et ne suivrait pas leur nouvel ordre. "
            "Déplacez-le à côté ou au-dessus du tableau pour que relances puisse trier.")
