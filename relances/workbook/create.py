"""A brand-new tracker (`relances init`): the only workbook relances builds with openpyxl.

openpyxl draws the five sheets, their styles, validations, colour rules and names; the
example's prospects and Journal lines are then written by the same session as every
other write (relances.workbook.update), so a row of the example is a row `ajouter`
would write.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from relances.core import schema
from relances.core.errors import WorkbookError, option
from relances.core.model import ACTIONS, JournalEntry, Prospect, Settings, Status
from relances.workbook.files import replace_atomically, write_lock
from relances.workbook.layout import Layout, tracker_layout
from relances.workbook.sheets import (
    DASHBOARD_WIDTHS,
    HEADER_FILL,
    JOURNAL_WIDTHS,
    LAST_ROW,
    kpi_rows,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_COLOURS = {
    "closed": ("EDEDED", "808080"),
    "alert": ("FFD8A8", None),
    "stale": ("FFC7CE", "9C0006"),
    "hot": ("C6EFCE", "006100"),
}


def create_tracker(path: Path, today: date, prospects: Sequence[Prospect],
                   journal: Sequence[JournalEntry] = (), settings: Settings | None = None,
                   ) -> None:
    """Write a new tracker; refuse to replace anything that exists, even under a race."""
    from relances.workbook.session import session_on

    if path.exists():
        raise WorkbookError(
            f"« {path.name} » existe déjà : relances init ne remplace jamais un classeur. "
            f"Choisissez un autre nom avec {option('file')}, ou supprimez-le vous-même.")
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(
            f"« {path.name} » : le classeur de suivi doit porter l'extension .xlsx.")
    if not path.parent.is_dir():
        raise WorkbookError(f"Le dossier « {path.parent} » n'existe pas : créez-le d'abord.")
    buffer = io.BytesIO()
    _new_workbook(settings or Settings()).save(buffer)
    session = session_on(path, buffer.getvalue(), today)
    session.append_all(prospects)
    for entry in journal:
        session.journal(entry)
    with write_lock(path):
        try:
            replace_atomically(path, session.write_package, exclusive=True)
        except FileExistsError:
            raise WorkbookError(
                f"« {path.name} » vient d'être créé par un autre programme.") from None


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
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    _print_setup(ws)


def _print_setup(ws: Worksheet, one_page: bool = False) -> None:
    """Landscape A4, one page wide (or on one page), the header row on every page, the
    file name and page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.oddFooter.center.text = "&F - page &P / &N"
    if not one_page:
        ws.print_title_rows = "1:1"


def _build_tracker_sheet(ws: Worksheet, layout: Layout) -> None:
    """Suivi: header, widths, frozen panes, filter, drop-downs and the colour rules."""
    from openpyxl.worksheet.datavalidation import DataValidation

    created = [c for c in schema.COLUMNS if c.created]
    _header(ws, [c.header for c in created], [c.width for c in created])
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{layout.letter(created[-1].key)}1"
    statuses = DataValidation(
        type="list", formula1='"' + ",".join(s.value for s in Status) + '"', allow_blank=True,
        errorTitle="Statut inconnu", error=f"Choisissez un statut : {schema.STATUS_CHOICES}.",
        showErrorMessage=True)
    actions = DataValidation(
        type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True,
        errorStyle="information", errorTitle="Action prévue",
        error="Action hors de la liste : elle sera gardée telle quelle.", showErrorMessage=True)
    for validation, key in ((statuses, "status"), (actions, "action")):
        letter = layout.letter(key)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
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

    status = f"${layout.letter('status')}2"
    closed = f'OR({status}="{Status.WON.value}",{status}="{Status.LOST.value}")'
    active = f"NOT({closed})"
    last = f"${layout.letter('last_contact')}2"
    alert = f"${layout.letter('alert')}2"
    whole = f"A2:{layout.letter('weighted')}{LAST_ROW}"
    ws.conditional_formatting.add(whole, rule(closed, _COLOURS["closed"], stop=True))
    ws.conditional_formatting.add(whole, rule(f'LEN({alert})>0', _COLOURS["alert"]))
    for stale, name in schema.STALE_NAMES.items():
        # A row without a status is a lead: it gets the Prospect threshold.
        has_status = (f'OR({status}="{stale.value}",LEN({status})=0)'
                      if stale is Status.PROSPECT else f'{status}="{stale.value}"')
        ws.conditional_formatting.add(whole, rule(
            f"AND({has_status},ISNUMBER({last}),TODAY()-{last}>{name})", _COLOURS["stale"]))
    next_letter = layout.letter("next_followup")
    ws.conditional_formatting.add(
        f"{next_letter}2:{next_letter}{LAST_ROW}",
        rule(f"AND({active},ISNUMBER(${next_letter}2),${next_letter}2<TODAY())",
             ("FFFFFF", "C00000"), bold=True, fill=False))
    chance = layout.letter("probability")
    ws.conditional_formatting.add(
        f"{chance}2:{chance}{LAST_ROW}",
        rule(f"AND({active},ISNUMBER(${chance}2),${chance}2>=SeuilChaud)", _COLOURS["hot"],
             bold=True))


def _build_rules_sheet(ws: Worksheet) -> None:
    """Règles: the default cadence, one editable row a step."""
    from openpyxl.worksheet.datavalidation import DataValidation

    _header(ws, schema.RULES_HEADERS, (14, 11, 16, 10, 22, 60))
    for rule in schema.DEFAULT_RULES:
        counted = schema.FROM_LAST_CONTACT if rule.from_last_contact else schema.FROM_STATUS_START
        ws.append([rule.status.value, rule.day, counted, rule.action, rule.template, rule.advice])
    counted_from = DataValidation(
        type="list", formula1=f'"{schema.FROM_STATUS_START},{schema.FROM_LAST_CONTACT}"',
        allow_blank=False)
    counted_from.add(f"C2:C{LAST_ROW}")
    statuses = DataValidation(type="list",
                              formula1='"' + ",".join(s.value for s in Status) + '"')
    statuses.add(f"A2:A{LAST_ROW}")
    ws.add_data_validation(counted_from)
    ws.add_data_validation(statuses)


def _build_settings_sheet(book: Workbook, ws: Worksheet, settings: Settings) -> None:
    """Paramètres: label, value, explanation; named cells feed the colour rules."""
    from openpyxl.workbook.defined_name import DefinedName

    _header(ws, schema.SETTINGS_HEADERS, (48, 30, 60))
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


def _set_cell(cell: object, value: object) -> None:
    """A setting's text is always text: a signature starting with "=" is no formula."""
    cell.value = value  # type: ignore[attr-defined]
    if isinstance(value, str):
        cell.data_type = "s"  # type: ignore[attr-defined]


def _setting_cell(spec: schema.SettingSpec, value: object) -> object:
    if spec.kind == "bool":
        return "Oui" if value else "Non"
    return value


def _journal_sheet(book: Workbook) -> Worksheet:
    """Journal is created on demand, so trackers made by hand gain it at the first update."""
    if schema.SHEET_JOURNAL in book.sheetnames:
        return book[schema.SHEET_JOURNAL]
    ws = book.create_sheet(schema.SHEET_JOURNAL)
    _header(ws, schema.JOURNAL_HEADERS, JOURNAL_WIDTHS)
    ws.auto_filter.ref = f"A1:J{LAST_ROW}"
    return ws


def _build_dashboard(ws: Worksheet, layout: Layout) -> None:
    """Live formulas, so the KPIs stay true when the user edits Suivi by hand."""
    from openpyxl.styles import Font

    _header(ws, ("Indicateur", "Valeur", "Définition"), DASHBOARD_WIDTHS)
    ws.freeze_panes = None
    for row, (label, formula, number_format, definition) in enumerate(kpi_rows(layout),
                                                                      start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=f"={formula}")
        cell.number_format = number_format
        ws.cell(row=row, column=3, value=definition)
    _print_setup(ws, one_page=True)
