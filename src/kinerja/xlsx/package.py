"""The structure of an .xlsx package, read from its zip parts (D24, D25).

python-calamine reads values fast but exposes no defined names, table ranges or
drawings; openpyxl exposes them but is slow, drops parts and chokes on Strict OOXML and
odd part paths. So structure comes from the XML parts directly: the workbook (sheets,
names, protection), each sheet's relationships (tables, drawings), the table parts and
the drawing parts. Elements are matched by local name, so transitional and Strict
OOXML read alike.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from kinerja.core.cells import parse_range, split_sheet_ref

_REL_TYPE_TAIL = re.compile(r"/([A-Za-z]+)$")


class PackageError(Exception):
    """The zip is not a readable SpreadsheetML package; the message says what is missing."""


@dataclass(frozen=True)
class TablePart:
    name: str
    ref: str
    columns: tuple[str, ...]
    header_rows: int
    totals_rows: int
    path: str

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return parse_range(self.ref)


@dataclass(frozen=True)
class Anchor:
    """A picture's top-left cell (1-based) and the media part it shows."""

    row: int
    col: int
    media: str
    name: str


@dataclass
class SheetPart:
    name: str
    state: str
    path: str
    rels: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (type tail, target path)

    def related(self, kind: str) -> list[str]:
        return [target for tail, target in self.rels.values() if tail == kind]


@dataclass(frozen=True)
class DefinedNamePart:
    name: str
    text: str
    local_sheet: int | None


@dataclass
class Package:
    """An opened package; part names are normalised (backslashes, case) once here."""

    zf: zipfile.ZipFile
    workbook_path: str = ""
    sheets: list[SheetPart] = field(default_factory=list)
    names: list[DefinedNamePart] = field(default_factory=list)
    _members: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, zf: zipfile.ZipFile) -> Package:
        pkg = cls(zf)
        pkg._members = {n.replace("\\", "/").lstrip("/").lower(): n for n in zf.namelist()}
        pkg._read_workbook()
        return pkg

    # ------------------------------------------------------------------ parts
    def has(self, path: str) -> bool:
        return path.lower() in self._members

    def read(self, path: str) -> bytes:
        try:
            return self.zf.read(self._members[path.lower()])
        except KeyError:
            raise PackageError(f"bagian '{path}' tidak ada") from None

    def xml(self, path: str) -> ET.Element:
        try:
            return ET.fromstring(self.read(path))
        except ET.ParseError as exc:
            raise PackageError(f"XML rusak di '{path}': {exc}") from None

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: id -> (type tail such as 'worksheet', absolute target)."""
        folder, base = posixpath.split(part)
        rels_path = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_path):
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self.xml(rels_path):
            if rel.get("TargetMode") == "External":
                continue
            m = _REL_TYPE_TAIL.search(rel.get("Type", ""))
            out[rel.get("Id", "")] = (m.group(1) if m else "", _resolve(folder, rel.get("Target", "")))
        return out

    # ------------------------------------------------------------------ workbook
    def _read_workbook(self) -> None:
        root_rels = self.rels("")
        office = [t for tail, t in root_rels.values() if tail == "officeDocument"]
        if not office:
            raise PackageError("tidak ada dokumen utama (_rels/.rels)")
        self.workbook_path = office[0]
        if self.workbook_path.lower().endswith(".bin"):
            raise PackageError("xlsb")
        wb = self.xml(self.workbook_path)
        wb_rels = self.rels(self.workbook_path)
        for el in _children(wb, "sheets"):
            rid = _attr(el, "id")
            tail, target = wb_rels.get(rid, ("", ""))
            self.sheets.append(SheetPart(el.get("name", ""), el.get("state", "visible"), target))
            if tail == "worksheet":
                self.sheets[-1].rels = self.rels(target)
        for el in _children(wb, "definedNames"):
            local = el.get("localSheetId")
            self.names.append(
                DefinedNamePart(el.get("name", ""), (el.text or "").strip(), int(local) if local else None)
            )

    def sheet(self, name: str) -> SheetPart | None:
        return next((s for s in self.sheets if s.name == name), None)

    def name_target(self, name: str) -> tuple[str, str] | None:
        """The one cell a workbook-scoped defined name points at (names are not case
        sensitive in Excel); None when it is missing or not one cell."""
        for dn in self.names:
            if dn.local_sheet is None and dn.name.lower() == name.lower():
                return split_name_ref(dn.text)
        return None

    # ------------------------------------------------------------------ sheet parts
    def tables(self, sheet: SheetPart) -> list[TablePart]:
        out = []
        for path in sheet.related("table"):
            el = self.xml(path)
            columns = tuple(c.get("name", "") for c in _children(el, "tableColumns"))
            out.append(
                TablePart(
                    name=el.get("displayName") or el.get("name", ""),
                    ref=el.get("ref", ""),
                    columns=columns,
                    header_rows=int(el.get("headerRowCount", "1")),
                    totals_rows=int(el.get("totalsRowCount", "0")),
                    path=path,
                )
            )
        return out

    def anchors(self, sheet: SheetPart) -> list[Anchor]:
        """Pictures placed over cells of a sheet (charts and shapes are not pictures)."""
        out = []
        for path in sheet.related("drawing"):
            drawing_rels = self.rels(path)
            for anchor in self.xml(path):
                if _local(anchor.tag) not in ("twoCellAnchor", "oneCellAnchor"):
                    continue
                start = _first(anchor, "from")
                pic = _first(anchor, "pic")
                if start is None or pic is None:
                    continue
                blip = pic.find(".//{*}blip")
                embed = _attr(blip, "embed") if blip is not None else ""
                if embed not in drawing_rels:
                    continue
                nv = pic.find(".//{*}cNvPr")
                out.append(
                    Anchor(
                        row=int(_text(start, "row")) + 1,
                        col=int(_text(start, "col")) + 1,
                        media=drawing_rels[embed][1],
                        name=nv.get("name", "") if nv is not None else "",
                    )
                )
        return out

    def sheet_xml(self, sheet: SheetPart) -> bytes:
        return self.read(sheet.path)

    def part_of(self, kind: str) -> str | None:
        """A workbook-level part by relationship type: 'styles', 'sharedStrings' …"""
        return next((t for tail, t in self.rels(self.workbook_path).values() if tail == kind), None)

    def shared_strings(self) -> list[str]:
        path = self.part_of("sharedStrings")
        if path is None:
            return []
        return [_string_item(si) for si in self.xml(path)]


def is_protected(sheet_xml: bytes) -> bool:
    """Whether a sheet carries sheet protection, found without parsing the whole sheet."""
    m = re.search(rb"<(?:\w+:)?sheetProtection\b([^>]*)>", sheet_xml)
    return bool(m) and re.search(rb'\bsheet="(1|true)"', m.group(1)) is not None


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_ATTR = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")


def error_cells(sheet_xml: bytes) -> dict[str, str]:
    """Cells holding an error value (#REF!, #N/A …), by A1 address. calamine reads them as
    empty strings (D25), which would make a broken formula look merely empty."""
    if b't="e"' not in sheet_xml:
        return {}
    out = {}
    for m in _CELL.finditer(sheet_xml):
        attrs = m.group(1)
        if b't="e"' in attrs and m.group(2):
            ref, value = _REF_ATTR.search(attrs), _VALUE.search(m.group(2))
            if ref and value:
                out[ref.group(1).decode()] = value.group(1).decode()
    return out


split_name_ref = split_sheet_ref  # the parse lives in core, for both sources (D28)


# ---------------------------------------------------------------------- helpers
def _string_item(si: ET.Element) -> str:
    """A shared string: its <t>, or its rich-text runs' <t>s (never the phonetic <rPh>)."""
    plain = si.find("{*}t")
    if plain is not None:
        return plain.text or ""
    return "".join(t.text or "" for t in si.findall("{*}r/{*}t"))


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(root: ET.Element, container: str) -> list[ET.Element]:
    el = _first(root, container)
    return list(el) if el is not None else []


def _first(root: ET.Element, name: str) -> ET.Element | None:
    return root.find(f"{{*}}{name}")


def _attr(el: ET.Element, local: str) -> str:
    """An attribute by local name in any namespace (r:id, r:embed in either OOXML flavour)."""
    for key, value in el.attrib.items():
        if _local(key) == local:
            return value
    return ""


def _text(el: ET.Element, name: str) -> str:
    child = _first(el, name)
    return (child.text or "0") if child is not None else "0"
