"""The structure of an .xlsx package, read from its zip parts (D24, D25).

python-calamine reads values fast but exposes no defined names, table ranges or
drawings; openpyxl exposes them but is slow, drops parts and chokes on Strict OOXML and
odd part paths. So structure comes from the XML parts directly: the workbook (sheets,
names, protection), each sheet's relationships (tables, drawings), the table parts and
the drawing parts. Elements are matched by local name, so transitional and Strict
OOXML read alike.

Every part is read through ``guard.GuardedZip`` and parsed through ``guard.parse_xml``
(limits, no DTD, D29); whatever is missing or malformed raises a coded KinerjaError.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from kinerja.core.cells import parse_range, split_sheet_ref
from kinerja.core.findings import KinerjaError
from kinerja.xlsx.guard import GuardedZip, parse_xml

_REL_TYPE_TAIL = re.compile(r"/([A-Za-z]+)$")
_COUNT = re.compile(r"\s*[0-9]{1,9}\s*")  # an attribute that counts rows or cells


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
    guard: GuardedZip
    workbook_path: str = ""
    sheets: list[SheetPart] = field(default_factory=list)
    names: list[DefinedNamePart] = field(default_factory=list)

    @classmethod
    def open(cls, zf: zipfile.ZipFile | GuardedZip) -> Package:
        """The package of an opened zip; its directory is checked against the limits
        first (a GuardedZip given here already was)."""
        guard = zf if isinstance(zf, GuardedZip) else GuardedZip(zf)
        pkg = cls(guard.zf, guard)
        pkg._read_workbook()
        return pkg

    # ------------------------------------------------------------------ parts
    def has(self, path: str) -> bool:
        return self.guard.has(path)

    def read(self, path: str) -> bytes:
        return self.guard.read(path)

    def xml(self, path: str) -> ET.Element:
        return parse_xml(self.read(path), path)

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
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_BAGIAN_HILANG", part="_rels/.rels")
        self.workbook_path = office[0]
        if self.workbook_path.lower().endswith(".bin"):
            raise KinerjaError("BERKAS_XLSB")
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
                DefinedNamePart(el.get("name", ""), (el.text or "").strip(), _count(local, self.workbook_path))
                if local
                else DefinedNamePart(el.get("name", ""), (el.text or "").strip(), None)
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
        """The sheet's tables; one whose range or row counts are not what a table part
        allows is STRUKTUR_TABEL_RUSAK, named."""
        out = []
        for path in sheet.related("table"):
            el = self.xml(path)
            name = el.get("displayName") or el.get("name", "")
            ref = el.get("ref", "")
            header_rows, totals_rows = el.get("headerRowCount", "1"), el.get("totalsRowCount", "0")
            try:
                parse_range(ref)
            except ValueError:
                raise KinerjaError("STRUKTUR_TABEL_RUSAK", sheet=sheet.name, table=name, ref=ref) from None
            if not (_COUNT.fullmatch(header_rows) and _COUNT.fullmatch(totals_rows)):
                raise KinerjaError("STRUKTUR_TABEL_RUSAK", sheet=sheet.name, table=name, ref=ref)
            columns = tuple(c.get("name", "") for c in _children(el, "tableColumns"))
            out.append(TablePart(name, ref, columns, int(header_rows), int(totals_rows), path))
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
                        row=_count(_text(start, "row"), path) + 1,
                        col=_count(_text(start, "col"), path) + 1,
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


def _count(text: str, part: str) -> int:
    """A row, column or sheet number as a part states it; anything else is damage."""
    if not _COUNT.fullmatch(text):
        raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_ISI", part=part, value=text[:40])
    return int(text)


def _text(el: ET.Element, name: str) -> str:
    child = _first(el, name)
    return (child.text or "0") if child is not None else "0"
