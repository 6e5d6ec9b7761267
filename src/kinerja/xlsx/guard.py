"""Every byte of an untrusted zip, and every XML part in it, passes through here (D29).

- ``GuardedZip`` checks the zip directory before anything is inflated (member count,
  each member's inflated size, the total, the compression ratio) and enforces the same
  limits while inflating, since a directory can lie; a damaged stream, a bad CRC or an
  unknown method becomes a coded ``BERKAS_RUSAK``.
- ``check_xml`` refuses any DTD: SpreadsheetML has none, and a DOCTYPE is how entity
  expansion (billion laughs) and external entities (XXE) get in. The lxml-based editors
  call it too, before ``lxml.etree.fromstring(data, lxml_parser())``.
- ``parse_xml`` is ElementTree on a checked part, with a coded error for bad XML.

The numbers live in ``kinerja.core.limits``.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from xml.etree import ElementTree as ET
from xml.parsers import expat

from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS, Limits, megabytes

_CHUNK = 1 << 20


class GuardedZip:
    """A zip whose members are read only within the limits. Member names are matched as
    Excel does: backslashes as slashes, case-insensitively."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits = LIMITS):
        self.zf = zf
        self.limits = limits
        self.inflated = 0  # bytes inflated so far, against limits.total_bytes
        infos = zf.infolist()
        if len(infos) > limits.zip_members:
            raise KinerjaError("BERKAS_BATAS_BAGIAN", count=len(infos), max=limits.zip_members)
        total = 0
        for info in infos:
            check_declared(info, limits)
            total += info.file_size
        if total > limits.total_bytes:
            raise KinerjaError("BERKAS_BATAS_TOTAL", size=megabytes(total), max=megabytes(limits.total_bytes))
        self.members = {_normal(i.filename): i for i in infos}

    def has(self, name: str) -> bool:
        return _normal(name) in self.members

    def read(self, name: str) -> bytes:
        info = self.members.get(_normal(name))
        if info is None:
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_BAGIAN_HILANG", part=name)
        return self._inflate(info)

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """One member's bytes, counted as they inflate: never more than its directory
        entry declared (zipfile stops there and checks the CRC), nor than the limits."""
        limits, part = self.limits, info.filename
        if info.flag_bits & 0x1:
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_METODE", part=part)
        chunks, size = [], 0
        try:
            with self.zf.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limits.member_bytes:
                        raise KinerjaError(
                            "BERKAS_BATAS_BAGIAN_BESAR",
                            part=part,
                            size=megabytes(size),
                            max=megabytes(limits.member_bytes),
                        )
                    if self.inflated + size > limits.total_bytes:
                        raise KinerjaError(
                            "BERKAS_BATAS_TOTAL",
                            size=megabytes(self.inflated + size),
                            max=megabytes(limits.total_bytes),
                        )
                    chunks.append(chunk)
        except NotImplementedError:  # a compression method zipfile does not have (Deflate64, …)
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_METODE", part=part) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_KOMPRESI", part=part) from None
        self.inflated += size
        return b"".join(chunks)


def check_declared(info: zipfile.ZipInfo, limits: Limits = LIMITS) -> None:
    """One member's directory entry against the limits, before inflating it."""
    if info.file_size > limits.member_bytes:
        raise KinerjaError(
            "BERKAS_BATAS_BAGIAN_BESAR",
            part=info.filename,
            size=megabytes(info.file_size),
            max=megabytes(limits.member_bytes),
        )
    if info.file_size >= limits.ratio_from_bytes and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise KinerjaError(
            "BERKAS_BATAS_RASIO",
            part=info.filename,
            ratio=info.file_size // max(info.compress_size, 1),
            max=limits.ratio,
        )


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


# ---------------------------------------------------------------------- XML
class _Stop(Exception):
    pass


class _Doctype(Exception):
    pass


_DOCTYPE = re.compile(
    rb"<!DOCTYPE|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E|\x00<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E"
)


def check_xml(data: bytes, part: str) -> bytes:
    """The part's bytes, unless its prolog declares a DTD (BERKAS_XML_DTD).

    expat reads the prolog (in any encoding the part declares) and stops at the root
    element, so a check costs microseconds whatever the part's size. A prolog expat cannot
    read is searched for a DOCTYPE as bytes; its bad XML is the parser's to report."""

    def doctype(*_: object) -> None:
        raise _Doctype

    def root(*_: object) -> None:
        raise _Stop

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        for start in range(0, len(data), 1 << 16):
            parser.Parse(data[start : start + (1 << 16)], False)
        parser.Parse(b"", True)
    except _Stop:
        return data
    except _Doctype:
        raise KinerjaError("BERKAS_XML_DTD", part=part) from None
    except expat.ExpatError as exc:
        prolog = data[: max(_byte_offset(data, exc), 0) + 64]
        if _DOCTYPE.search(prolog) or _DOCTYPE.search(data[:4096]):
            raise KinerjaError("BERKAS_XML_DTD", part=part) from None
    return data


def _byte_offset(data: bytes, exc: expat.ExpatError) -> int:
    """Roughly where expat stopped (its line and column), to bound the byte search."""
    lines = data.split(b"\n", exc.lineno)[: exc.lineno]
    return sum(len(line) + 1 for line in lines[:-1]) + (exc.offset or 0)


def parse_xml(data: bytes, part: str) -> ET.Element:
    """A checked part parsed with ElementTree (no DTD got past check_xml, so no entity
    is expanded); bad XML is BERKAS_RUSAK naming the part and the place."""
    check_xml(data, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_XML", part=part, line=line, column=column + 1) from None


def lxml_parser():
    """An lxml parser that expands no entity and fetches nothing, for editors that
    rewrite parts (call check_xml on the bytes first)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def as_utf8(data: bytes) -> bytes:
    """A part in UTF-16 (OOXML allows it; no one writes it) as UTF-8 with its declaration
    to match, so byte-level scans and calamine read it like any other part."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        encoding = (
            "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-16-le" if data[0] else "utf-16-be")
        )
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return data
        text = re.sub(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"UTF-8"', text.lstrip("\ufeff"))
        return text.encode("utf-8")
    return data
