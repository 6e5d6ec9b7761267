"""`kinerja validate --write`: the findings into `Hasil Validasi`, offending cells marked.

Zip in, zip out (D3): only the parts this command owns change — the Hasil Validasi
sheet (tblHasilValidasi and hasil_ringkasan), the fill of the cells it marks (appended
style records), the _meta record of those marks (D23: read back from _meta, never from
colours, so the next run can restore each cell's own fill), and the guards another
program dropped (D10: sheet protection, the very hidden _meta, the structure lock).
Every other part is copied byte for byte, so pictures, charts, x14 validation and
whatever else Excel put there survive. The write is atomic and verified by reading the
result back (D4).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kinerja.core import contract
from kinerja.core.cells import a1, absolute
from kinerja.core.findings import Finding, KinerjaError, Laporan, Level, text
from kinerja.core.formatting import TIME_ZONES, aware_now, format_date, format_time
from kinerja.core.model import WorkbookModel
from kinerja.xlsx.atomic import write_atomic
from kinerja.xlsx.package import Package
from kinerja.xlsx.sheetxml import SheetXml
from kinerja.xlsx.stylesxml import StylesXml
from kinerja.xlsx.workbookxml import restore_guards

META_VALUE_LIMIT = 32_000  # Excel's cell limit is 32,767 characters (D6)
UNMARKED_SHEETS = (contract.PETUNJUK, contract.PERSETUJUAN_SHEET, contract.HASIL_SHEET, contract.META_SHEET)


@dataclass(frozen=True)
class ResultRow:
    values: dict[str, str | int]  # by tblHasilValidasi header
    link: str | None  # where `Sel` points


def write_results(
    path: Path, laporan: Laporan, model: WorkbookModel, lang: str = "id", now: dt.datetime | None = None
) -> None:
    zone = model.value("ref_zona_waktu")
    if zone not in TIME_ZONES:
        zone = contract.definition().defaults["ref_zona_waktu"]
    now = now or aware_now(zone)
    previous = Marks.parse(model.meta.get(contract.META_MARKED_CELLS))
    unprotected = {s.name for s in model.sheets if not s.protected}
    path = Path(path)

    edited: set[str] = set()

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(path) as zin:
            edits = _edits(Package.open(zin), laporan, previous, unprotected, lang, now, zone)
            edited.update(name.lower() for name in edits)
            _copy_with(zin, tmp, edits)

    write_atomic(path, write, verify=lambda tmp: _verify(tmp, path, laporan, edited))


def _edits(
    pkg: Package, laporan: Laporan, previous: Marks, unprotected: set[str], lang: str, now: dt.datetime, zone: str
) -> dict[str, bytes]:
    sheets: dict[str, SheetXml] = {}

    def sheet(name: str) -> SheetXml:
        if name not in sheets:
            sheets[name] = SheetXml(pkg.sheet_xml(pkg.sheet(name)))
        return sheets[name]

    _fill_results(pkg, sheet(contract.HASIL_SHEET), laporan, lang, now, zone)
    styles_path = pkg.part_of("styles")
    styles = StylesXml(pkg.read(styles_path))
    marks = _mark(sheet, styles, laporan, previous, {s.name for s in pkg.sheets})
    _set_meta(sheet(contract.META_SHEET), pkg.shared_strings(), contract.META_MARKED_CELLS, marks.dumps())
    for name in sorted(unprotected & {s.name for s in contract.definition().sheets}):
        sheet(name).protect(contract.sheet_protection(name))  # D10: what another program dropped
    edits = {pkg.sheet(name).path: xml.to_bytes() for name, xml in sheets.items()}
    edits[styles_path] = styles.to_bytes()
    workbook = restore_guards(pkg.read(pkg.workbook_path), contract.META_SHEET)
    if workbook is not None:
        edits[pkg.workbook_path] = workbook
    return edits


# ---------------------------------------------------------------------- Hasil Validasi
def _fill_results(pkg: Package, xml: SheetXml, laporan: Laporan, lang: str, now: dt.datetime, zone: str) -> None:
    part = next(t for t in pkg.tables(pkg.sheet(contract.HASIL_SHEET)) if t.name == contract.HASIL_VALIDASI)
    r1, c1, r2, c2 = part.bounds
    first_data = r1 + part.header_rows
    r2 -= part.totals_rows
    capacity = r2 - first_data + 1
    col = {header: c1 + i for i, header in enumerate(part.columns)}
    rows = _result_rows(laporan, capacity, lang)
    links = {}
    for i in range(capacity):
        row = first_data + i
        for header, c in col.items():
            value = rows[i].values.get(header, "") if i < len(rows) else ""
            if isinstance(value, int):
                xml.set_number(a1(row, c), value)
            else:
                xml.set_text(a1(row, c), value)
        if i < len(rows) and rows[i].link and "Sel" in col:
            links[a1(row, col["Sel"])] = rows[i].link
    xml.set_internal_links(links, (first_data, c1, r2, c2))
    when = f"{format_date(now.date(), lang)} {format_time(now.time(), zone)}"
    summary, _ = text("HASIL_RINGKASAN").render(
        {
            "when": when,
            "errors": laporan.count(Level.GALAT),
            "warnings": laporan.count(Level.PERINGATAN),
            "infos": laporan.count(Level.INFO),
        },
        lang,
    )
    target = pkg.name_target(contract.HASIL_RINGKASAN)
    if target and target[0] == contract.HASIL_SHEET:
        xml.set_text(target[1], summary)


def _result_rows(laporan: Laporan, capacity: int, lang: str) -> list[ResultRow]:
    """D5: more findings than rows: the last row says how many more."""
    order = [s.name for s in contract.definition().sheets]
    findings = laporan.sorted(order)
    # Galat first, so that a cut list still shows what blocks the workflow.
    findings.sort(key=lambda f: f.level.rank)
    if len(findings) > capacity:
        shown = findings[: capacity - 1]
        message, fix = text("HASIL_TERPOTONG").render({"more": len(findings) - len(shown)}, lang)
        extra = ResultRow(
            {"No": capacity, "Tingkat": Level.INFO.value, "Pesan": message, "Cara Memperbaiki": fix}, None
        )
        return [_row(i, f, lang) for i, f in enumerate(shown, start=1)] + [extra]
    return [_row(i, f, lang) for i, f in enumerate(findings, start=1)]


def _row(no: int, f: Finding, lang: str) -> ResultRow:
    """`Tingkat` keeps the contract's word in every language: outside tools filter on it."""
    message, fix = f.render(lang)
    values = {
        "No": no,
        "Tingkat": f.level.value,
        "Kode": f.code,
        "Lembar": f.sheet,
        "Sel": f.cell,
        "Pesan": message,
        "Cara Memperbaiki": fix,
    }
    return ResultRow(values, absolute(f.sheet, f.cell).replace("$", ""))


# ---------------------------------------------------------------------- marks
@dataclass
class Marks:
    """What `_meta` remembers of the cells a run marked: each cell's original fill, as
    XML (fills listed once), so the next run can give it back (see stylesxml.py)."""

    fills: list[str] = field(default_factory=list)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> cell -> fill

    @classmethod
    def parse(cls, text: str | None) -> Marks:
        try:
            data = json.loads(text or "{}")
            return cls(list(data.get("fills", [])), {k: dict(v) for k, v in data.get("cells", {}).items()})
        except (ValueError, AttributeError, TypeError):
            return cls()  # an unreadable record: nothing to restore, nothing damaged

    def add(self, sheet: str, ref: str, fill_xml: str) -> bool:
        """Record a cell, unless the record would outgrow one cell of _meta (D6)."""
        grows = len(ref) + 10  # "B15":12, (an upper bound, so the record stays below the limit)
        grows += 0 if sheet in self.cells else len(json.dumps(sheet, ensure_ascii=False)) + 4
        grows += 0 if fill_xml in self.fills else len(json.dumps(fill_xml, ensure_ascii=False)) + 1
        if self.size + grows > META_VALUE_LIMIT:
            return False
        self.size += grows
        if fill_xml not in self.fills:
            self.fills.append(fill_xml)
        self.cells.setdefault(sheet, {})[ref] = self.fills.index(fill_xml)
        return True

    def __post_init__(self) -> None:
        self.size = len(self.dumps())

    def dumps(self) -> str:
        return json.dumps({"fills": self.fills, "cells": self.cells}, ensure_ascii=False, separators=(",", ":"))


def _mark(sheet, styles: StylesXml, laporan: Laporan, previous: Marks, present: set[str]) -> Marks:
    """Give the cells the last run marked their own fill back, then mark this run's Galat
    and Peringatan cells."""
    for name, cells in previous.cells.items():
        if name not in present:
            continue
        xml = sheet(name)
        for ref, fill in cells.items():
            current = xml.style(ref)
            if styles.is_marked(current) and 0 <= fill < len(previous.fills):
                xml.set_style(ref, styles.with_fill(current, previous.fills[fill]))
    marks = Marks()
    for f in laporan.findings:
        if f.level is Level.INFO or f.sheet in UNMARKED_SHEETS or f.sheet not in present:
            continue
        if f.cell in marks.cells.get(f.sheet, {}):
            continue
        xml = sheet(f.sheet)
        original = xml.style(f.cell)
        if not marks.add(f.sheet, f.cell, styles.fill_of(original)):
            break  # the record must fit one cell; the rest stay unmarked but listed
        xml.set_style(f.cell, styles.marked(original))
    return marks


# ---------------------------------------------------------------------- _meta
def _set_meta(xml: SheetXml, shared: list[str], key: str, value: str) -> None:
    """Set a key | value row of _meta (D6), appending the key if it is new."""
    last = 0
    for row in xml.sheet_data:
        last = max(last, int(row.get("r", "0")))
        for c in row:
            if c.get("r") == f"A{row.get('r')}" and _cell_text(c, shared) == key:
                xml.set_text(f"B{row.get('r')}", value)
                return
    xml.set_text(f"A{last + 1}", key)
    xml.set_text(f"B{last + 1}", value)


def _cell_text(c, shared: list[str]) -> str:
    kind = c.get("t")
    if kind == "s":
        v = c.find("{*}v")
        return shared[int(v.text)] if v is not None and v.text else ""
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter("{*}t"))
    v = c.find("{*}v")
    return (v.text or "") if v is not None else ""


# ---------------------------------------------------------------------- zip
def _copy_with(zin: zipfile.ZipFile, dst: Path, edits: dict[str, bytes]) -> None:
    """Every member as it was (same order, same compression), the edited ones replaced."""
    by_lower = {k.lower(): v for k, v in edits.items()}
    with zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = by_lower.get(info.filename.replace("\\", "/").lower())
            if data is None:
                zout.writestr(info, zin.read(info.filename), compress_type=info.compress_type)
            else:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def _verify(tmp: Path, original: Path, laporan: Laporan, edited: set[str]) -> None:
    """Refuse the write unless the new file reads back as the same workbook with the
    findings in it, and every part we do not own is byte-identical."""
    from kinerja.xlsx.reader import read_workbook

    model = read_workbook(tmp)
    table = model.tables[contract.HASIL_VALIDASI]
    written = len(table.filled(("No", "Kode", "Pesan")))
    if written != min(len(laporan.findings), len(table.rows)):
        raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(original), detail="hasil tidak terbaca kembali")
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(tmp) as b:
        if [i.filename for i in a.infolist()] != [i.filename for i in b.infolist()]:
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(original), detail="daftar bagian berubah")
        for info in a.infolist():
            owned = info.filename.replace("\\", "/").lower() in edited
            if not owned and a.read(info.filename) != b.read(info.filename):
                raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(original), detail=f"bagian {info.filename} berubah")
