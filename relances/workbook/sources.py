"""A file to import, read: a CSV in any usual dialect, a sheet of an .xlsx, .xls or
.ods workbook, down to its rows of values and the header that says what they mean, or
the accounts file `exporter --format json` writes.

The file goes through the same checks and the same reader as a tracker (workbook/files,
workbook/values, the header scan of workbook/layout); what its columns and rows mean is
decided by core/importing. French Excel's CSV dialects are recognised here: ";" and
Windows-1252, "CSV UTF-8" with its BOM, "Texte Unicode" in UTF-16, Excel's "sep=;" line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from relances.core.accounts import FORMAT, VERSION, AccountsSource, is_accounts
from relances.core.errors import InvalidInput, option
from relances.core.importing import SourceColumn, SourceSheet, cell_text, map_columns
from relances.text.parsing import fold, normalize
from relances.workbook.files import check_archive
from relances.workbook.layout import HEADER_SCAN_ROWS, scan_header
from relances.workbook.values import calamine_book, sheet_rows

_SEPARATORS = {";": "« ; »", ",": "« , »", "\t": "tabulation"}


def read_source(path: Path, sheet: str | None = None,
                overrides: Sequence[tuple[str, str]] = ()) -> SourceSheet | AccountsSource:
    """Read the table to import: CSV in any usual dialect, a sheet of a workbook, or a
    relances accounts file."""
    if not path.exists():
        raise InvalidInput(f"Le fichier à importer « {path} » n'existe pas : vérifiez le nom "
                           "et le dossier.")
    if path.is_dir():
        raise InvalidInput(f"« {path} » est un dossier : indiquez le fichier à importer.")
    data = path.read_bytes()
    spreadsheet = data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    if path.suffix.lower() == ".json":
        return _read_accounts(path, data, sheet, overrides)
    if not spreadsheet and path.suffix.lower() not in (".csv", ".txt", ".tsv", ""):
        raise InvalidInput(
            f"« {path.name} » n'est ni un CSV ni un classeur : relances importe les fichiers "
            ".csv, .xlsx, .xls et .ods. Enregistrez-le dans l'un de ces formats.")
    if spreadsheet:
        return _read_workbook(path, data, sheet, overrides)
    if sheet is not None:
        raise InvalidInput(f"« {path.name} » est un fichier CSV, qui n'a qu'une feuille : "
                           f"retirez {option('sheet')}.", about="sheet")
    text, encoding = _decode(path, data)
    rows, delimiter = _csv_rows(text)
    detail = f"CSV, séparateur {_SEPARATORS[delimiter]}, encodage {encoding}"
    found = _find_header(rows, overrides)
    if found is None:
        raise _no_header(path.name)
    return SourceSheet(path, path.name, detail, rows, *found)


def _read_accounts(path: Path, data: bytes, sheet: str | None,
                   overrides: Sequence[tuple[str, str]]) -> AccountsSource:
    """The file `exporter --format json` writes (or a list of accounts in its shape)."""
    import orjson

    if sheet is not None or overrides:
        what = option("sheet") if sheet is not None else option("columns")
        raise InvalidInput(f"« {path.name} » est un fichier de comptes JSON, sans feuilles ni "
                           f"colonnes : retirez {what}.",
                           about="sheet" if sheet is not None else "columns")
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(
            f"« {path.name} » n'est pas un JSON valide ({error.msg}, ligne {error.lineno}) : "
            f"importez le fichier tel que relances exporter {option('format')} json l'a "
            "écrit."
        ) from None
    if not is_accounts(document):
        raise InvalidInput(
            f"« {path.name} » n'est pas un fichier de comptes de relances (il lui faut "
            f"\"format\": \"{FORMAT}\" et une liste \"comptes\") : importez le fichier "
            f"que relances exporter {option('format')} json a écrit, ou un CSV.")
    version = document.get("version", VERSION) if isinstance(document, dict) else VERSION
    if not isinstance(version, int) or version > VERSION:
        raise InvalidInput(f"« {path.name} » vient d'une version plus récente de relances "
                           f"(format {version}) : mettez relances à jour pour l'importer.")
    return AccountsSource(path, path.name, "comptes relances, JSON", document)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """French Excel saves "CSV (séparateur : point-virgule)" in Windows-1252; "CSV UTF-8"
    with a BOM; "Texte Unicode" in UTF-16. Anything else that is valid UTF-8 is UTF-8."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "UTF-8 (avec BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if b"\x00" in data:
        raise InvalidInput(f"« {path.name} » n'est pas un fichier texte CSV : ouvrez-le dans "
                           "Excel ou LibreOffice et enregistrez-le au format CSV ou .xlsx.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def _csv_rows(text: str) -> tuple[list[list[Any]], str]:
    """Sniff the delimiter among ; , and tab (Excel's "sep=;" first line wins), then read."""
    import csv

    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    hint = re.fullmatch(r'"?sep=(.)"?', first.strip(), re.IGNORECASE)
    if hint and hint[1] in _SEPARATORS:
        delimiter = hint[1]
        text = text[text.index(first) + len(first):].lstrip("\r\n")
    else:
        delimiter = _sniff(text, first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows = [[cell.strip() or None for cell in row] for row in reader]
    return rows, delimiter


def _sniff(text: str, first: str) -> str:
    """csv.Sniffer weighs every line; the header line decides when the sniffer hesitates
    or picks a character the header does not even contain."""
    import csv

    counts = {d: first.count(d) for d in _SEPARATORS}
    try:
        sniffed = csv.Sniffer().sniff("\n".join(text.splitlines()[:50]), delimiters=";,\t")
        delimiter = sniffed.delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in counts or counts[delimiter] == 0:
        delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    return delimiter


def _read_workbook(path: Path, data: bytes, sheet: str | None,
                   overrides: Sequence[tuple[str, str]]) -> SourceSheet:
    """.xlsx, .xls, .ods (python-calamine reads them all): the chosen or first usable sheet."""
    _check_zip(path, data)
    with calamine_book(data, lambda: _unreadable(path)) as book:
        visible = [m.name for m in book.sheets_metadata if "Visible" in str(m.visible)]
        names = list(book.sheet_names)
        if sheet is not None:
            chosen = [n for n in names if fold(n) == fold(sheet)]
            if not chosen:
                raise InvalidInput(
                    f"« {path.name} » n'a pas de feuille « {sheet} » ; ses "
                    f"feuilles : {', '.join(f'« {n} »' for n in names)}.", about="sheet")
            candidates = chosen
        else:
            candidates = [n for n in names if n in visible] or names
        kind = {b"PK": "classeur Excel"}.get(data[:2], "classeur Excel ancien format (.xls)")
        if b"opendocument" in data[:100]:
            kind = "classeur LibreOffice (.ods)"
        for name in candidates:
            rows = sheet_rows(book, name)
            found = _find_header(rows, overrides)
            if found is not None:
                label = f"{path.name}, feuille {name}" if len(names) > 1 else path.name
                return SourceSheet(path, label, kind, rows, *found)
    where = f"la feuille « {candidates[0]} » de « {path.name} »" if sheet is not None \
        else f"aucune feuille de « {path.name} »"
    raise _no_header(path.name, where)


def _unreadable(path: Path) -> InvalidInput:
    return InvalidInput(f"« {path.name} » est endommagé ou protégé par un mot de passe et ne "
                        "peut pas être lu : ouvrez-le dans Excel ou LibreOffice et "
                        "enregistrez-en une copie sans mot de passe.")


def _check_zip(path: Path, data: bytes) -> None:
    """A workbook that unpacks to gigabytes is an attack, not a list of prospects."""
    import zipfile

    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, lambda _: InvalidInput(
                f"« {path.name} » se décompresse en un volume anormal : relances ne "
                "l'importera pas."))
    except zipfile.BadZipFile:
        return  # calamine says it is damaged, in its own words


def _find_header(rows: Sequence[Sequence[Any]], overrides: Sequence[tuple[str, str]]) -> tuple[
        int, list[SourceColumn], list[str]] | None:
    """The header row and what its columns feed; a column the user named by hand must be
    found in it."""
    filled = next((i for i, values in enumerate(rows[:HEADER_SCAN_ROWS])
                   if any(v is not None for v in values)), None)

    def header(index: int, values: Sequence[Any]) -> tuple[list[SourceColumn],
                                                            list[str]] | None:
        columns, ignored, found = map_columns(values, overrides)
        if not _usable(columns, index == filled):
            return None
        missing = [h for h, _ in overrides if normalize(h) not in found]
        if missing:
            headers = ", ".join(f"« {h} »" for v in values if (h := cell_text(v)))
            raise InvalidInput(
                f"« {missing[0]} » n'est pas un en-tête du fichier. En-têtes "
                f"trouvés : {headers}.", about="columns")
        return columns, ignored

    found = scan_header(rows, header)
    if found is None:
        return None
    index, (columns, ignored) = found
    return index, columns, ignored


def _no_header(name: str, where: str | None = None) -> InvalidInput:
    where = where or f"« {name} »"
    return InvalidInput(
        f"Pas de ligne d'en-tête reconnaissable dans {where} : il faut une colonne qui nomme le "
        "prospect (« Nom », « Entreprise », « Société », « Prénom »…) et une autre colonne "
        f"connue (« Email », « Statut », « Montant »…) sur une même ligne, parmi les "
        f"{HEADER_SCAN_ROWS} premières. Sinon, indiquez les colonnes avec "
        f"{option('columns')} \"En-tête=champ\" (par exemple {option('columns')} "
        "\"Raison soc.=Nom\").")


def _usable(columns: Sequence[SourceColumn], first: bool) -> bool:
    """A header row names the prospect somehow and has at least one other known column;
    a first row naming the prospect alone is the header of a plain list of names."""
    fields = {c.field for c in columns}
    return bool(fields & {"name", "first_name", "last_name", "person", "title"}) \
        and (len(columns) >= 2 or first)

