"""The package: a zip of parts, with their content types and relationships.

Parts are read on demand and only those marked changed are written anew; the others
are copied into the new zip as their compressed bytes, untouched. Part names are the
zip's ("xl/workbook.xml"); content types and relationships use the package's
"/xl/workbook.xml" form, converted here.
"""

from __future__ import annotations

import copy
import io
import posixpath
import struct
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

from lxml import etree

from relances.xlsx.xml import CONTENT_TYPES, DECLARATION, PKG_REL, parse, prolog, q, serialise

if TYPE_CHECKING:
    from lxml.etree import _Element

Writer = Callable[[IO[bytes]], None]
"""Writes a part's bytes into an open zip entry, in pieces: a long sheet is never joined
into one string."""

CONTENT_TYPES_PART = "[Content_Types].xml"
NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)
"""Excel dates every entry 1980-01-01: new parts do too, so the same change gives the
same bytes."""
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


class PackageError(Exception):
    """The zip or one of its XML parts cannot be read: the file is damaged."""


class Relationships:
    """The relationships of one part (its _rels/NAME.rels), parsed on first use."""

    def __init__(self, package: Package, source: str) -> None:
        self.package = package
        self.source = source
        folder, name = posixpath.split(source)
        self.part = posixpath.join(folder, "_rels", f"{name}.rels")
        if package.has(self.part):
            self.root = package.xml(self.part)
        else:
            self.root = etree.Element(q(PKG_REL, "Relationships"), nsmap={None: PKG_REL})

    def __iter__(self) -> Iterator[_Element]:
        return iter(self.root.iterchildren(q(PKG_REL, "Relationship")))

    def target(self, element: _Element) -> str | None:
        """The part a relationship points to, as a zip name; None for an external one."""
        if element.get("TargetMode") == "External":
            return None
        target = element.get("Target", "")
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.source), target))

    def by_id(self, rid: str) -> _Element | None:
        return next((r for r in self if r.get("Id") == rid), None)

    def of_type(self, kind: str) -> list[tuple[str, str]]:
        """(Id, part) of every internal relationship whose type ends with /kind."""
        found = []
        for element in self:
            part = self.target(element)
            if part is not None and element.get("Type", "").rsplit("/", 1)[-1] == kind:
                found.append((element.get("Id", ""), part))
        return found

    def add(self, type_uri: str, part: str) -> str:
        """A new relationship to a part, with a relative target as Excel writes them."""
        used = {r.get("Id") for r in self}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        rid = f"rId{number}"
        relative = posixpath.relpath(part, posixpath.dirname(self.source) or ".")
        etree.SubElement(self.root, q(PKG_REL, "Relationship"),
                         Id=rid, Type=type_uri, Target=relative)
        self.package.changed(self.part, self.root)
        return rid

    def remove(self, rid: str) -> None:
        element = self.by_id(rid)
        if element is not None:
            self.root.remove(element)
            self.package.changed(self.part, self.root)


class Package:
    """An .xlsx or .xlsm package open for editing; `write` builds the new zip."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._infos = {info.filename: info for info in self._zip.infolist()}
        except zipfile.BadZipFile as error:
            raise PackageError(str(error)) from error
        self._source = data
        self._new: dict[str, bytes | Writer] = {}
        self._trees: dict[str, tuple[_Element, bytes]] = {}
        self._dirty: set[str] = set()
        self._removed: set[str] = set()
        self._rels: dict[str, Relationships] = {}

    @property
    def source(self) -> bytes:
        """The package's bytes as they were read."""
        return self._source

    # ----------------------------------------------------------------- parts

    def has(self, name: str) -> bool:
        return name not in self._removed and (name in self._new or name in self._infos
                                              or name in self._trees)

    def names(self) -> list[str]:
        """Every part, original ones first in their zip order, then the new ones."""
        names = [n for n in self._infos if n not in self._removed]
        return names + [n for n in [*self._new, *self._trees] if n not in self._infos
                        and n not in self._removed and n not in names]

    def read(self, name: str) -> bytes:
        """The bytes of a part as they are now."""
        if name in self._trees and name in self._dirty:
            root, declaration = self._trees[name]
            return serialise(root, declaration)
        value = self._new.get(name)
        if isinstance(value, bytes):
            return value
        if value is not None:
            buffer = io.BytesIO()
            value(buffer)
            return buffer.getvalue()
        try:
            return self._zip.read(self._infos[name])
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise PackageError(f"{name}: {error}") from error

    def xml(self, name: str) -> _Element:
        """The parsed root of a part, the same object on every call: edit it, then say so
        with `changed`."""
        if name not in self._trees:
            data = self.read(name)
            try:
                self._trees[name] = (parse(data), prolog(data))
            except etree.XMLSyntaxError as error:
                raise PackageError(f"{name}: {error}") from error
        return self._trees[name][0]

    def changed(self, name: str, root: _Element | None = None) -> None:
        """Mark a parsed part (or a new tree, given as `root`) to be written anew."""
        if root is not None and name not in self._trees:
            self._trees[name] = (root, DECLARATION)
        self._removed.discard(name)
        self._dirty.add(name)

    def put(self, name: str, content: bytes | Writer) -> None:
        """Replace or add a part whose bytes someone else made (a sheet, a chart)."""
        self._trees.pop(name, None)
        self._dirty.discard(name)
        self._removed.discard(name)
        self._new[name] = content

    def remove(self, name: str) -> None:
        """Drop a part (its content type and the relationships to it are the caller's)."""
        self._removed.add(name)
        self._new.pop(name, None)
        self._trees.pop(name, None)
        self._dirty.discard(name)

    def free_name(self, pattern: str) -> str:
        """The first unused name of the form `pattern` ("xl/charts/chart{}.xml")."""
        number = 1
        while self.has(pattern.format(number)):
            number += 1
        return pattern.format(number)

    def is_changed(self, name: str) -> bool:
        return name in self._dirty or name in self._new or (
            name in self._removed and name in self._infos)

    # ----------------------------------------------------------------- relationships

    def rels(self, source: str) -> Relationships:
        """The relationships of a part ("" for the package's own, _rels/.rels)."""
        if source not in self._rels:
            self._rels[source] = Relationships(self, source)
        return self._rels[source]

    # ----------------------------------------------------------------- content types

    def content_type(self, name: str) -> str | None:
        root = self.xml(CONTENT_TYPES_PART)
        for override in root.iterchildren(q(CONTENT_TYPES, "Override")):
            if override.get("PartName", "").lstrip("/").lower() == name.lower():
                return override.get("ContentType")
        extension = name.rsplit(".", 1)[-1].lower()
        for default in root.iterchildren(q(CONTENT_TYPES, "Default")):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType")
        return None

    def declare(self, name: str, content_type: str) -> None:
        """An Override for a new part, unless the right one is already there."""
        if self.content_type(name) == content_type:
            return
        root = self.xml(CONTENT_TYPES_PART)
        self.undeclare(name)
        etree.SubElement(root, q(CONTENT_TYPES, "Override"), PartName=f"/{name}",
                         ContentType=content_type)
        self.changed(CONTENT_TYPES_PART)

    def undeclare(self, name: str) -> None:
        root = self.xml(CONTENT_TYPES_PART)
        for override in list(root.iterchildren(q(CONTENT_TYPES, "Override"))):
            if override.get("PartName", "").lstrip("/").lower() == name.lower():
                root.remove(override)
                self.changed(CONTENT_TYPES_PART)

    # ----------------------------------------------------------------- writing

    def write(self, target: IO[bytes]) -> None:
        """The new package: untouched parts keep their compressed bytes and their place,
        changed ones keep their place, new ones come last."""
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
            for name in self.names():
                info = self._infos.get(name)
                if info is not None and not self.is_changed(name):
                    self._copy_raw(info, out)
                    continue
                entry = zipfile.ZipInfo(name, info.date_time if info else NEW_PART_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = info.external_attr if info else 0o600 << 16
                with out.open(entry, "w", force_zip64=self._big(name)) as stream:
                    self._write_part(name, stream)

    def _big(self, name: str) -> bool:
        info = self._infos.get(name)
        return info is not None and info.file_size > (1 << 30)

    def _write_part(self, name: str, stream: IO[bytes]) -> None:
        value = self._new.get(name)
        if value is None:
            stream.write(self.read(name))
        elif isinstance(value, bytes):
            stream.write(value)
        else:
            value(stream)

    def _copy_raw(self, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
        """Copy one entry's compressed bytes as they are: no decompression, no change."""
        source = self._source
        header = source[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
        fields = _LOCAL_HEADER.unpack(header)
        start = info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
        raw = source[start:start + info.compress_size]
        entry = copy.copy(info)
        entry.flag_bits &= ~0x08  # sizes go in the local header: no data descriptor
        entry.extra = b""
        assert out.fp is not None
        entry.header_offset = out.fp.tell()
        out.fp.write(entry.FileHeader(zip64=info.compress_size > 0xFFFFFFFF))
        out.fp.write(raw)
        out.filelist.append(entry)
        out.NameToInfo[entry.filename] = entry
        out.start_dir = out.fp.tell()

