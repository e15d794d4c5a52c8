"""Never lose data: preservation, refusals, locks, backups, `annuler` and expected errors.

Every write goes through the real CLI; every refusal is checked for its exit code,
its French sentence, the absence of a traceback and a byte-identical file.
"""

from __future__ import annotations

import io
import os
import stat
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import filelock
import openpyxl
import pytest
import xlsxwriter
from conftest import LIGHT_HEADERS, STORY_DAY, Run, assert_refused, flat, make_workbook, set_setting
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
from PIL import Image as PILImage

from relances.core.errors import WorkbookBusy
from relances.core.model import Prospect
from relances.ui.options import OPTION_NAMES
from relances.workbook import files
from relances.workbook.session import open_for_update
from relances.workbook.update import Update

BUSY_TAIL = ("fermez-le, puis relancez la commande. Si {program} n'est plus ouvert (verrou "
             "laissé par un plantage), relancez avec --force.")
OPENED_AT = datetime(2026, 1, 20, 9, 12)






def backups(path: Path) -> list[Path]:
    """The backups of a workbook, newest first (their names sort by time)."""
    folder = path.parent / "sauvegardes"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{path.stem}.*.xlsx") if ".annule." not in p.name),
                  reverse=True)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a crashed save would leave behind."""
    return [p.name for p in folder.iterdir() if p.name.startswith(".~relances-")]




def png(width: int = 24, height: int = 12) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- preservation


def test_user_additions_survive_ajouter(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    ws["W1"] = "Code chantier"
    for row in range(2, 12):
        ws.cell(row=row, column=23, value=f"CH-{row:03d}")
    ws.column_dimensions["W"].width = 17
    ws["N3"].comment = Comment("Client exigeant sur les délais", "Claire")
    ws["B4"].fill = PatternFill("solid", fgColor="FFFF00")
    extra = book.create_sheet("Chantiers")
    for values in (("Chantier", "Heures"), ("Atelier Martin", 12), ("Hôtel du Lac", 30)):
        extra.append(values)
    extra.add_image(Image(io.BytesIO(png())), "D2")
    chart = BarChart()
    chart.title = "Heures par chantier"
    chart.add_data(Reference(extra, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    chart.set_categories(Reference(extra, min_col=1, min_row=2, max_row=3))
    extra.add_chart(chart, "D10")
    book.save(example)
    rules_before = _rules(ws)
    validations_before = [str(v.sqref) for v in ws.data_validations.dataValidation]

    result = run("ajouter", "Nouveau client", "--montant", "1200")
    assert result.exit_code == 0, result.output

    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    assert book.sheetnames == ["Suivi", "Règles", "Paramètres", "Journal", "Tableau de bord",
                               "Chantiers"]
    assert ws["W1"].value == "Code chantier"
    assert [ws.cell(row=r, column=23).value for r in range(2, 13)] == [
        *(f"CH-{r:03d}" for r in range(2, 12)), None]
    assert ws.column_dimensions["W"].width == 17
    assert (ws["N3"].comment.text, ws["N3"].comment.author) == (
        "Client exigeant sur les délais", "Claire")
    assert (ws["B4"].fill.fill_type, ws["B4"].fill.fgColor.rgb) == ("solid", "00FFFF00")
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:V12"
    assert _rules(ws) == rules_before
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == validations_before
    assert {"SeuilAlerteProspect", "SeuilAlerteDevis", "SeuilChaud"} <= set(book.defined_names)
    assert (ws["A12"].value, ws["B12"].value, ws["G12"].value) == (11, "Nouveau client", 1200)
    extra = book["Chantiers"]
    assert [list(r) for r in extra.iter_rows(values_only=True)] == [
        ["Chantier", "Heures"], ["Atelier Martin", 12], ["Hôtel du Lac", 30]]
    (image,) = extra._images
    assert image.anchor._from.col == 3 and image.anchor._from.row == 1
    with PILImage.open(io.BytesIO(image._data())) as picture:
        assert picture.size == (24, 12)
        assert picture.convert("RGB").getpixel((5, 5)) == (200, 30, 30)
    (chart,) = extra._charts
    assert isinstance(chart, BarChart)
    assert chart.anchor._from.col == 3 and chart.anchor._from.row == 9


def _rules(ws: Any) -> list[tuple[str, list[str], str | None]]:
    """The conditional formats as Excel applies them: range, formulas, fill colour."""
    return [(str(cf.sqref), rule.formula, rule.dxf.fill.fgColor.rgb if rule.dxf and rule.dxf.fill
             else None) for cf in ws.conditional_formatting for rule in cf.rules]


def test_table_validation_and_rules_grow_with_the_new_row(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Suivi": [
        LIGHT_HEADERS,
        ("Martin Menuiserie", "m.martin@email.fr", "Devis envoyé", 8500, None, None, None),
        ("Dupont SAS", "a.dupont@societe.fr", "Prospect", 15000, None, None, None),
    ]})
    book = openpyxl.load_workbook(tracker_path)
    ws = book["Suivi"]
    ws.add_table(Table(displayName="TableauSuivi", ref="A1:G3"))
    statuses = DataValidation(type="list", formula1='"Prospect,Devis envoyé,Gagné"')
    statuses.add("C2:C3")
    ws.add_data_validation(statuses)
    ws.conditional_formatting.add("D2:D3", CellIsRule(
        operator="greaterThan", formula=["10000"], fill=PatternFill("solid", fgColor="C6EFCE")))
    book.save(tracker_path)

    result = run("ajouter", "Garage Moreau", "--statut", "Gagné", "--montant", "9800")
    assert result.exit_code == 0, result.output

    ws = openpyxl.load_workbook(tracker_path)["Suivi"]
    assert [c.value for c in ws[4]][:4] == ["Garage Moreau", None, "Gagné", 9800]
    table = ws.tables["TableauSuivi"]
    assert table.ref == "A1:G4"
    assert table.autoFilter.ref == "A1:G4"
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == ["C2:C4"]
    assert _rules(ws) == [("D2:D4", ["10000"], "00C6EFCE")]


# --------------------------------------------------------------------------- office locks


def excel_owner_file(user: str) -> bytes:
    """Excel's ~$ owner file: length, name in the ANSI code page padded with spaces up to
    byte 55, then the length again (2 bytes) and the name in UTF-16, 165 bytes in all."""
    data = bytes([len(user)]) + user.encode("cp1252")
    data = data.ljust(55, b" ") + len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    while len(data) < 165:
        data += b" \x00"
    return data[:165]


LIBREOFFICE_LOCK = ("Jean Dupont,jdupont,pc-bureau,20.01.2026 09:12,"
                    "file:///home/jdupont/.config/libreoffice/4;")


@pytest.mark.parametrize(("lock_name", "content", "program", "who"), [
    ("~$relances-clients.xlsx", excel_owner_file("Hélène Dupré"), "Excel", "Hélène Dupré"),
    ("~$relances-clients.xlsx", excel_owner_file("Paul Morel"), "Excel", "Paul Morel"),
    (".~lock.relances-clients.xlsx#", LIBREOFFICE_LOCK.encode(), "LibreOffice",
     "Jean Dupont (poste pc-bureau)"),
])
def test_a_workbook_open_elsewhere_is_not_written(
        run: Run, example: Path, lock_name: str, content: bytes, program: str,
        who: str) -> None:
    lock = example.with_name(lock_name)
    lock.write_bytes(content)
    os.utime(lock, (OPENED_AT.timestamp(), OPENED_AT.timestamp()))
    before = example.read_bytes()
    expected = (f"« relances-clients.xlsx » est ouvert dans {program} par {who} depuis le "
                f"20/01/2026 à 09:12 : " + BUSY_TAIL.format(program=program))

    assert_refused(run("ajouter", "Nouveau"), 4, expected)
    assert example.read_bytes() == before
    assert backups(example) == []
    with pytest.raises(WorkbookBusy) as caught, open_for_update(example, STORY_DAY):
        pass
    assert caught.value.worded(OPTION_NAMES) == expected  # control characters included

    result = run("ajouter", "Nouveau", "--force")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(example)["Suivi"]["B12"].value == "Nouveau"
    assert backups(example)[0].read_bytes() == before
    assert lock.read_bytes() == content  # someone else's lock is never touched


def test_libreoffice_says_itself_since_when(run: Run, example: Path) -> None:
    """LibreOffice writes the time it opened the file in its lock; the lock file's own
    date may be another (a copy, a sync): the message gives LibreOffice's."""
    lock = example.with_name(".~lock.relances-clients.xlsx#")
    lock.write_text("Jean Dupont,jdupont,pc-bureau,19.01.2026 21:00,file:///home/j;")
    later = datetime(2026, 1, 19, 22, 50).timestamp()
    os.utime(lock, (later, later))
    assert_refused(run("ajouter", "Nouveau"), 4,
                   "est ouvert dans LibreOffice par Jean Dupont (poste pc-bureau) depuis le "
                   "19/01/2026 à 21:00")


def test_annuler_also_respects_an_office_lock(run: Run, example: Path) -> None:
    assert run("ajouter", "Nouveau").exit_code == 0
    example.with_name(".~lock.relances-clients.xlsx#").write_text(LIBREOFFICE_LOCK)
    before = example.read_bytes()
    assert_refused(run("annuler"), 4, "est ouvert dans LibreOffice par Jean Dupont")
    assert example.read_bytes() == before
    assert len(backups(example)) == 1


def test_a_file_changed_during_the_command_is_not_overwritten(
        run: Run, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Update.append_all

    def user_saves_meanwhile(*args: Any, **kwargs: Any) -> Any:
        book = openpyxl.load_workbook(example)
        book["Suivi"]["N2"] = "tapé dans Excel pendant ce temps"
        book.save(example)
        return original(*args, **kwargs)

    monkeypatch.setattr(Update, "append_all", user_saves_meanwhile)
    result = run("ajouter", "Nouveau")
    assert_refused(result, 4,
                   "« relances-clients.xlsx » a été modifié pendant la commande : rien n'a été "
                   "écrit. Relancez la commande pour repartir de la version actuelle.")
    ws = openpyxl.load_workbook(example)["Suivi"]
    assert ws["N2"].value == "tapé dans Excel pendant ce temps"
    assert ws["B12"].value is None
    assert backups(example) == []
    assert leftovers(example.parent) == []


def test_save_checks_the_file_it_read(example: Path) -> None:
    with open_for_update(example, STORY_DAY) as update:
        update.append(Prospect("Nouveau"))
        changed = example.read_bytes() + b"\0"
        example.write_bytes(changed)
        with pytest.raises(WorkbookBusy, match="a été modifié pendant la commande"):
            update.save(datetime.now())
    assert example.read_bytes() == changed
    assert backups(example) == []


class QuickLock(filelock.FileLock):
    """The write lock, waiting a fifth of a second instead of ten."""

    def acquire(self, timeout: float | None = None, *args: Any, **kwargs: Any) -> Any:
        return super().acquire(0.2, *args, **kwargs)


def test_a_concurrent_write_is_refused_while_the_lock_is_held(
        run: Run, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filelock, "FileLock", QuickLock)
    before = example.read_bytes()
    with files.write_lock(example):
        result = run("ajouter", "Nouveau")
    assert_refused(result, 4,
                   "Une autre commande relances travaille sur « relances-clients.xlsx » depuis "
                   "plus de 10 secondes : attendez qu'elle se termine, puis relancez.")
    assert example.read_bytes() == before
    assert backups(example) == []
    assert run("ajouter", "Nouveau").exit_code == 0  # the lock released, writing works again


def test_a_write_waits_for_the_lock_then_proceeds(run: Run, example: Path) -> None:
    held = threading.Event()
    releasing: list[float] = []

    def other_run() -> None:
        with files.write_lock(example):
            held.set()
            time.sleep(0.4)
            releasing.append(time.time())

    thread = threading.Thread(target=other_run)
    thread.start()
    assert held.wait(5)
    result = run("ajouter", "Nouveau")
    thread.join()
    assert result.exit_code == 0, result.output
    assert example.stat().st_mtime >= releasing[0]  # written only once the other run let go
    assert openpyxl.load_workbook(example)["Suivi"]["B12"].value == "Nouveau"


def test_two_simultaneous_ajouter_both_land(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock is held from the read to the replace: the second run waits for the first,
    then reads what the first one saved, so neither prospect is lost nor refused."""
    from relances.services import prospects as services

    reading = threading.Event()
    original = Update.append_all

    def slow_writer(*args: Any, **kwargs: Any) -> Any:
        reading.set()
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(Update, "append_all", slow_writer)
    outcomes: dict[str, object] = {}

    def add(name: str) -> None:
        outcomes[name] = services.add(example, STORY_DAY, datetime.now(),
                                      Prospect(name))

    first = threading.Thread(target=add, args=("Alpha",))
    first.start()
    assert reading.wait(5)
    second = threading.Thread(target=add, args=("Beta",))
    second.start()
    first.join()
    second.join()
    assert all(isinstance(o.prospect, Prospect) for o in outcomes.values()), outcomes
    ws = openpyxl.load_workbook(example)["Suivi"]
    assert [(ws[f"A{r}"].value, ws[f"B{r}"].value) for r in (12, 13)] == [
        (11, "Alpha"), (12, "Beta")]
    assert len(backups(example)) == 2


def test_a_replace_refused_by_windows_loses_nothing(
        run: Run, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file another program holds, lock file or not (a
    network share, OneDrive syncing it): one sentence, the file and backups as they were,
    no temporary file left."""
    before = example.read_bytes()

    def held(source: object, target: object) -> None:
        raise PermissionError(13, "Accès refusé")

    monkeypatch.setattr(os, "replace", held)
    assert_refused(run("ajouter", "Nouveau"), 4,
                   "« relances-clients.xlsx » est ouvert ou verrouillé par un autre programme "
                   "(Excel, une synchronisation OneDrive, un antivirus…) : fermez-le, puis "
                   "relancez la commande. Rien n'a été écrit.")
    assert example.read_bytes() == before
    assert backups(example) == []
    assert leftovers(example.parent) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_saves_keep_the_usual_file_permissions(run: Run, tracker_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    assert run("init").exit_code == 0
    assert stat.S_IMODE(tracker_path.stat().st_mode) == 0o666 & ~umask
    tracker_path.chmod(0o640)
    assert run("ajouter", "Nouveau").exit_code == 0
    assert stat.S_IMODE(tracker_path.stat().st_mode) == 0o640
    assert leftovers(tracker_path.parent) == []


# --------------------------------------------------------------------------- backups, annuler


def test_backups_keep_n_versions_and_annuler_walks_back(run: Run, example: Path) -> None:
    set_setting(example, "Sauvegardes conservées", 3)
    versions = [example.read_bytes()]
    for number in range(1, 6):
        result = run("ajouter", f"Prospect {number}")
        assert result.exit_code == 0, result.output
        versions.append(example.read_bytes())
        assert backups(example)[0].read_bytes() == versions[-2]
    kept = backups(example)
    assert [b.read_bytes() for b in kept] == [versions[4], versions[3], versions[2]]

    result = run("annuler")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert f"restaurée (sauvegarde {kept[0].name})." in text
    assert text.startswith("Version du ")
    assert example.read_bytes() == versions[4]
    (replaced,) = (example.parent / "sauvegardes").glob("*.annule.xlsx")
    assert f"La version remplacée est gardée dans sauvegardes/{replaced.name}." in text
    assert replaced.read_bytes() == versions[5]
    assert backups(example) == kept[1:]

    assert run("annuler").exit_code == 0
    assert example.read_bytes() == versions[3]
    assert len(list((example.parent / "sauvegardes").glob("*.annule.xlsx"))) == 2
    assert run("annuler").exit_code == 0
    assert example.read_bytes() == versions[2]

    assert_refused(run("annuler"), 3,
                   "Aucune sauvegarde de « relances-clients.xlsx » dans le dossier sauvegardes "
                   ": il n'y a rien à annuler.")
    assert example.read_bytes() == versions[2]


def test_annuler_without_backup_changes_nothing(run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("annuler"), 3, "Aucune sauvegarde de « relances-clients.xlsx »",
                   "il n'y a rien à annuler.")
    assert example.read_bytes() == before


def test_annuler_without_workbook(run: Run, tracker_path: Path) -> None:
    assert_refused(run("annuler"), 3,
                   "Le fichier « relances-clients.xlsx » n'existe pas : rien à annuler.")
    assert not tracker_path.exists()


# --------------------------------------------------------------------------- expected errors


def test_missing_workbook_suggests_init(run: Run, tmp_path: Path) -> None:
    for command in (("ajouter", "Nouveau"), ("liste",), ("voir", "martin")):
        assert_refused(run(*command), 3,
                       "Le fichier « relances-clients.xlsx » n'existe pas : créez-le avec "
                       "« relances init » ou indiquez le bon classeur avec --fichier.")
    assert list(tmp_path.iterdir()) == []


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def _broken_xml(example: bytes) -> bytes:
    """A real package whose workbook part is damaged."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(example)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<workbook><sheets" if item.filename == "xl/workbook.xml"
                            else data)
    return buffer.getvalue()


def _bomb() -> bytes:
    """Small on disk, 60 MB once unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 << 20))
    return buffer.getvalue()


def _encrypted() -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE compound file
    holding the streams EncryptionInfo and EncryptedPackage."""
    directory = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory + b"\0" * 1024


def _xlsb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return buffer.getvalue()


def _strict(example: bytes) -> bytes:
    """The same workbook saved as « Feuille de calcul Open XML stricte »."""
    buffer = io.BytesIO()
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    with zipfile.ZipFile(io.BytesIO(example)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item).replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", strict))
    return buffer.getvalue()


BAD_FILES: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "encrypted": ("clients.xlsx", lambda _: _encrypted(),
                  "« clients.xlsx » est protégé par un mot de passe : relances ne peut pas le "
                  "lire. Dans Excel, Fichier > Informations > Protéger le classeur > Chiffrer "
                  "avec mot de passe, effacez le mot de passe et enregistrez, puis relancez la "
                  "commande."),
    "xlsb": ("clients.xlsb", lambda _: _xlsb(),
             "« clients.xlsb » est un classeur binaire Excel (.xlsb) : dans Excel, Fichier > "
             "Enregistrer sous > « Classeur Excel (*.xlsx) », puis relancez la commande sur le "
             "fichier .xlsx."),
    "strict": ("clients.xlsx", _strict,
               "« clients.xlsx » est enregistré au format « Feuille de calcul Open XML "
               "stricte », que relances ne sait pas modifier : dans Excel, Fichier > "
               "Enregistrer sous > « Classeur Excel (*.xlsx) », puis relancez la commande."),
    "xls": ("clients.xls", lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024,
            "« clients.xls » est un classeur Excel ancien format (.xls) : ouvrez-le dans Excel "
            "ou LibreOffice et enregistrez-le au format .xlsx, puis relancez la commande."),
    "ods": ("clients.ods", lambda _: _ods(),
            "« clients.ods » est un classeur LibreOffice (.ods) : dans LibreOffice, Fichier > "
            "Enregistrer sous… au format Excel 2007-365 (.xlsx), puis relancez la commande sur "
            "le fichier .xlsx."),
    "text": ("clients.xlsx", lambda _: b"Nom;Statut\nMartin;Devis\n",
             "« clients.xlsx » n'est pas un classeur Excel (.xlsx) : indiquez le bon fichier "
             "avec --fichier."),
    "truncated": ("clients.xlsx", lambda data: data[: len(data) // 2],
                  "« clients.xlsx » est endommagé et ne peut pas être lu : restaurez une version "
                  "précédente (relances annuler, ou le dossier sauvegardes) ou ouvrez-le dans "
                  "Excel pour le réparer."),
    "broken-xml": ("clients.xlsx", _broken_xml, "« clients.xlsx » est endommagé"),
    "bomb": ("clients.xlsx", lambda _: _bomb(),
             "« clients.xlsx » se décompresse en un volume anormal (xl/worksheets/sheet1.xml)"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_unreadable_files_are_refused_and_untouched(
        run: Run, example: Path, tmp_path: Path, kind: str) -> None:
    name, make, message = BAD_FILES[kind]
    target = tmp_path / name
    target.write_bytes(make(example.read_bytes()))
    before = target.read_bytes()
    for command in (("ajouter", "Nouveau"), ("liste",)):
        assert_refused(run(*command, "--fichier", str(target)), 3, message)
    assert target.read_bytes() == before
    assert backups(target) == []
    assert leftovers(tmp_path) == []


def test_voir_unknown_and_ambiguous(run: Run, example: Path) -> None:
    before = example.read_bytes()
    assert_refused(run("voir", "inconnu"), 6,
                   "Aucun prospect ne correspond à « inconnu » : vérifiez l'orthographe, ou "
                   "cherchez avec relances liste --chercher \"inconnu\".")
    message = assert_refused(run("voir", "du"), 6, "« du » désigne 2 prospects (",
                             ") : précisez le nom ou donnez l'ID.")
    candidates = message.split("(", 1)[1].split(")", 1)[0]
    assert sorted(candidates.split(", ")) == ["2 Société Dupont SAS", "4 Hôtel du Lac"]
    result = run("voir", "hotel")
    assert result.exit_code == 0, result.output
    assert "4 — Hôtel du Lac" in result.output
    assert example.read_bytes() == before


MACRO_COMMANDS = [["ajouter", "Nouveau"], ["maj", "martin", "--canal", "Tel"], ["planifier"],
                  ["analyse"], ["annuler"]]


def test_macros_of_an_xlsm_survive(run: Run, tmp_path: Path) -> None:
    """An .xlsm saved without its vbaProject.bin no longer opens in Excel."""
    macro = tmp_path / "vbaProject.bin"
    macro.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(256)) * 8)
    path = tmp_path / "suivi.xlsm"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Suivi")
    ws.write_row(0, 0, ["ID", "Nom", "Statut"])
    ws.write_row(1, 0, [1, "Martin Menuiserie", "Prospect"])
    book.add_vba_project(str(macro))
    book.close()

    for command in MACRO_COMMANDS:
        result = run(*command, "-f", str(path))
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(path) as archive:
            kept = archive.read("xl/vbaProject.bin")
            types = archive.read("[Content_Types].xml").decode()
        assert kept == macro.read_bytes()
        assert "macroEnabled" in types
    assert openpyxl.load_workbook(path, keep_vba=True)["Suivi"]["B3"].value == "Nouveau"
