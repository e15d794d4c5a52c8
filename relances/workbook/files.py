"""The workbook as a file: what may be opened, who holds it, backups, atomic replacement.

Every write goes through here: the file is checked before any parser sees it, a lock
keeps two runs of relances from interleaving (held from the read to the replace), the
owner files of Excel and LibreOffice are honoured, the previous version is copied into
sauvegardes/, and the new one replaces it in one rename.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import IO

from relances.core.errors import InvalidInput, WorkbookBusy, WorkbookError, option

BACKUP_DIR = "sauvegardes"
MAX_UNCOMPRESSED = 1 << 30
"""A tracker of 50 000 rows unpacks to about 80 MB: a gigabyte is an attack."""
MAX_RATIO = 200
LOCK_WAIT = 10
"""Seconds a write waits for another run of relances to finish with the same file."""
BACKUP_STAMP = "%Y-%m-%d_%H-%M-%S-%f"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_STRICT = b"purl.oclc.org/ooxml/spreadsheetml/main"


# --------------------------------------------------------------------------- what may be opened


def read_package(path: Path) -> bytes:
    """Read the file once, after checking it is an .xlsx or .xlsm we may safely unpack."""
    if not path.exists():
        raise WorkbookError(
            f"Le fichier « {path} » n'existe pas : créez-le avec « relances init » "
            f"ou indiquez le bon classeur avec {option('file')}.")
    if path.is_dir():
        raise WorkbookError(
            f"« {path} » est un dossier : indiquez un fichier .xlsx avec {option('file')}.")
    data = path.read_bytes()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _compound_file(path, data)
    if not data.startswith(b"PK"):
        raise WorkbookError(
            f"« {path.name} » n'est pas un classeur Excel (.xlsx) : indiquez le bon fichier "
            f"avec {option('file')}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, lambda member: _bomb(path, member))
            _refuse_other_formats(path, archive)
    except zipfile.BadZipFile as error:
        raise corrupted(path) from error
    return data


def _compound_file(path: Path, data: bytes) -> WorkbookError:
    """An OLE file is either an old .xls or an .xlsx Excel encrypted with a password."""
    if _ENCRYPTED in data[:1 << 20]:
        return WorkbookError(
            f"« {path.name} » est protégé par un mot de passe : relances ne peut pas le lire. "
            "Dans Excel, Fichier > Informations > Protéger le classeur > Chiffrer avec mot de "
            "passe, effacez le mot de passe et enregistrez, puis relancez la commande.")
    return WorkbookError(
        f"« {path.name} » est un classeur Excel ancien format (.xls) : ouvrez-le dans Excel "
        "ou LibreOffice et enregistrez-le au format .xlsx, puis relancez la commande.")


def check_archive(archive: zipfile.ZipFile, refuse: Callable[[str], Exception]) -> None:
    """Refuse zip bombs before any parser sees them: any spreadsheet relances opens, a
    tracker or a file to import, goes through this one check. `refuse(member)` is the
    caller's error, naming the part past which the archive grows abnormally."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 50 << 20 and ratio > MAX_RATIO):
            raise refuse(info.filename)


def _bomb(path: Path, member: str) -> WorkbookError:
    return WorkbookError(
        f"« {path.name} » se décompresse en un volume anormal ({member}) : ce n'est pas un "
        "classeur de suivi normal, relances ne l'ouvrira pas.")


def _refuse_other_formats(path: Path, archive: zipfile.ZipFile) -> None:
    """The zipped formats relances cannot edit, each with the way to convert it."""
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
        raise WorkbookError(
            f"« {path.name} » est un classeur LibreOffice (.ods) : dans LibreOffice, "
            "Fichier > Enregistrer sous… au format Excel 2007-365 (.xlsx), puis relancez "
            "la commande sur le fichier .xlsx.")
    if "xl/workbook.bin" in names:
        raise WorkbookError(
            f"« {path.name} » est un classeur binaire Excel (.xlsb) : dans Excel, Fichier > "
            "Enregistrer sous > « Classeur Excel (*.xlsx) », puis relancez la commande sur "
            "le fichier .xlsx.")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise corrupted(path)
    if _STRICT in archive.read("xl/workbook.xml")[:4096]:
        raise WorkbookError(
            f"« {path.name} » est enregistré au format « Feuille de calcul Open XML stricte », "
            "que relances ne sait pas modifier : dans Excel, Fichier > Enregistrer sous > "
            "« Classeur Excel (*.xlsx) », puis relancez la commande.")


def corrupted(path: Path) -> WorkbookError:
    return WorkbookError(
        f"« {path.name} » est endommagé et ne peut pas être lu : restaurez une version "
        f"précédente (relances annuler, ou le dossier {BACKUP_DIR}) ou ouvrez-le dans Excel "
        "pour le réparer.")


def digest(data: bytes) -> str:
    """Only write commands fingerprint the file; hashlib loads OpenSSL, which reads skip."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- locks


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Runs of relances on the same workbook take turns: the second waits for the first
    (up to LOCK_WAIT seconds), then works on the file the first one saved."""
    from filelock import FileLock, Timeout

    folder = path.parent / BACKUP_DIR
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        raise WorkbookError(
            f"Impossible de créer le dossier « {folder} » à côté du classeur : vérifiez que "
            "vous pouvez écrire dans ce dossier.") from None
    lock = FileLock(folder / f".{path.name}.verrou")
    try:
        with lock.acquire(timeout=LOCK_WAIT):
            yield
    except Timeout:
        raise WorkbookBusy(
            f"Une autre commande relances travaille sur « {path.name} » depuis plus de "
            f"{LOCK_WAIT} secondes : attendez qu'elle se termine, puis relancez.") from None


def check_office_locks(path: Path, force: bool) -> None:
    """Excel and LibreOffice leave an owner file while the workbook is open."""
    for lock, program in _office_lock_files(path):
        if not lock.exists() or force:
            continue
        owner, since = _lock_owner(lock, program)
        raise WorkbookBusy(
            f"« {path.name} » est ouvert dans {program}{owner} depuis le "
            f"{since:%d/%m/%Y à %H:%M} : fermez-le, puis relancez la commande. Si {program} "
            f"n'est plus ouvert (verrou laissé par un plantage), relancez avec {option('force')}.")


def _office_lock_files(path: Path) -> list[tuple[Path, str]]:
    """Excel writes ~$name (two leading characters dropped for long names); LibreOffice .~lock."""
    names = {f"~${path.name}", f"~${path.name[2:]}"}
    return [(path.with_name(n), "Excel") for n in sorted(names)] + [
        (path.with_name(f".~lock.{path.name}#"), "LibreOffice")]


def _lock_owner(lock: Path, program: str) -> tuple[str, datetime]:
    """Who holds the file and since when. LibreOffice writes 'Name,user,host,date,…' (the
    date it opened the file, which the lock file's own date may not be: a copy or a sync
    changes that one); Excel a padded user name, and the file's date is the opening."""
    since = datetime.fromtimestamp(lock.stat().st_mtime)
    try:
        raw = lock.read_bytes()[:512]
    except OSError:
        return "", since
    if program == "LibreOffice":
        parts = raw.decode("utf-8", "replace").split(",")
        name = parts[0].strip() or (parts[1].strip() if len(parts) > 1 else "")
        host = parts[2].strip() if len(parts) > 2 else ""
        who = name + (f" (poste {host})" if host else "")
        written = re.fullmatch(r"\s*(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d)\s*",
                               parts[3] if len(parts) > 3 else "")
        if written:
            day, month, year, hour, minute = (int(x) for x in written.groups())
            with suppress(ValueError):
                since = datetime(year, month, day, hour, minute)
    else:
        length = raw[0] if raw else 0
        who = raw[1:1 + length].decode("cp1252", "replace").strip()
        if len(raw) >= 57:  # Excel pads the ANSI name to byte 55, then length (2 bytes), UTF-16
            size = int.from_bytes(raw[55:57], "little")
            wide = raw[57:57 + 2 * size].decode("utf-16-le", "replace").strip("\x00 ")
            who = wide or who
    return (f" par {who}" if who else ""), since


# --------------------------------------------------------------------------- writing


def replace_atomically(path: Path, write: Callable[[IO[bytes]], None],
                       exclusive: bool = False,
                       before: Callable[[], None] | None = None) -> None:
    """Write beside the target, then rename: a crash never leaves a half-written file, and
    the temporary file never outlives a failure. The new file keeps the old one's
    permissions (a new one gets the usual ones); `before` runs once it is complete,
    just before the rename (the backup of a workbook). Raises OSError for the caller to
    word: PermissionError when another program holds the file (Windows)."""
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=".~relances-", suffix=path.suffix,
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        if path.exists():
            shutil.copymode(path, temporary)
        else:  # mkstemp makes the file private (0600): a new file gets the usual rights
            umask = os.umask(0o022)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        if exclusive and path.exists():
            raise FileExistsError(path)
        if before is not None:
            before()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_atomically(path: Path, data: bytes, about: str = "output") -> None:
    """What relances writes beside the workbook (drafts, agendas, exports, PDFs): never a
    half-written file, and an older one is simply replaced (it is generated, nobody edits
    it). `about` is the parameter that chooses another place, for the message."""
    try:
        replace_atomically(path, lambda stream: stream.write(data))
    except OSError:
        raise InvalidInput(
            f"Impossible d'écrire « {path} » : vérifiez que le dossier est accessible en "
            f"écriture et que le fichier n'est pas ouvert, ou choisissez-en un autre avec "
            f"{option(about)}.") from None


# --------------------------------------------------------------------------- backups


def make_backup(path: Path, now: datetime) -> Path:
    """Copy the current version aside before replacing it, named by the moment of the
    write (`now`, read by the command line)."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"{path.stem}.{now:{BACKUP_STAMP}}{path.suffix}"
    shutil.copy2(path, target)
    return target


def prune_backups(path: Path, keep: int) -> None:
    """Keep the newest `keep` backups, once a save has gone through (a save that fails
    must not have cost the oldest one)."""
    for old in list_backups(path)[max(keep, 1):]:
        old.unlink()


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


def restore_last_backup(path: Path, now: datetime, force: bool = False) -> tuple[Path, Path]:
    """Undo the last write: the newest backup comes back; the replaced file is kept aside.
    Returns the backup that came back and where the replaced version went."""
    backups = list_backups(path)
    if not backups:
        raise WorkbookError(
            f"Aucune sauvegarde de « {path.name} » dans le dossier {BACKUP_DIR} : "
            "il n'y a rien à annuler.")
    if not path.exists():
        raise WorkbookError(f"Le fichier « {path} » n'existe pas : rien à annuler.")
    backup = backups[0]
    with write_lock(path):
        check_office_locks(path, force)
        kept = backup.with_name(f"{path.stem}.{now:{BACKUP_STAMP}}.annule{path.suffix}")
        shutil.copy2(path, kept)
        try:
            os.replace(backup, path)
        except PermissionError:
            kept.unlink()
            raise held_elsewhere(path) from None
        for old in list_backups(path, ".annule")[20:]:
            old.unlink()
    return backup, kept


def held_elsewhere(path: Path) -> WorkbookBusy:
    """Windows refuses to replace a file another program has open, lock file or not (a
    network share, a synced OneDrive folder): nothing was written."""
    return WorkbookBusy(
        f"« {path.name} » est ouvert ou verrouillé par un autre programme (Excel, une "
        "synchronisation OneDrive, un antivirus…) : fermez-le, puis relancez la commande. "
        "Rien n'a été écrit.")
