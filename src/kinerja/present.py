"""A Laporan as the workbook shows it: the rows of `Hasil Validasi` with the cell each links
to, the summary line, and the cells to mark by level, with the `_meta` record that lets the
next run unmark them (D23, D28).

One presenter for both writers: the zip writer (`kinerja.xlsx.results`, `validate --write`)
turns these into sheet XML and styles; the add-in (`kinerja.addin.actions`) turns them into
writes on a live xlwings Book. Neither decides what is shown; both decide only how.

The marks record is `{"fills": [fill XML …], "cells": {sheet: {cell: index}}}`: each marked
cell's own fill, kept as XML because Excel and LibreOffice renumber styles when they save.
The zip writer reads a cell's fill from styles.xml; the add-in cannot read a fill through
xlwings (the remote engine refuses), so it records the fill the template gave that cell
(:func:`template_fill`). Either writer unmarks what the other marked.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from xml.etree import ElementTree

from kinerja.core import contract, paper, workflow
from kinerja.core.cells import absolute
from kinerja.core.findings import Finding, Laporan, Level, text
from kinerja.core.formatting import TIME_ZONES, format_date, format_time
from kinerja.core.model import WorkbookModel
from kinerja.core.sop import Sop

# Sheets whose cells are never marked: the guide, the ledger's page, the results, _meta.
UNMARKED_SHEETS = (contract.PETUNJUK, contract.PERSETUJUAN_SHEET, contract.HASIL_SHEET, contract.META_SHEET)

# The mark each level gets, as RGB: one source with the zip writer (core.paper).
MARK_RGB = {level: paper.LEVEL_RGB[level.value] for level in Level}

# The template's own fills, for the cells the add-in marks: it cannot read a cell's fill,
# so it records the one the template gave (core.paper holds the template's colours).
INPUT_RGB, COMPUTED_RGB, HEADER_RGB = paper.INPUT_RGB, paper.COMPUTED_RGB, "4472C4"

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# ---------------------------------------------------------------------- Hasil Validasi rows
@dataclass(frozen=True)
class ResultRow:
    values: dict[str, str | int]  # by tblHasilValidasi header
    link: str | None  # where `Sel` points: 'Sheet'!B18


def result_rows(laporan: Laporan, capacity: int, lang: str) -> list[ResultRow]:
    """In workbook order, as the terminal and the JSON list them. D5: more findings than
    rows: the last row says how many more, how many of them are Galat, and carries the
    gravest level among them, so that filtering Tingkat on Galat still shows it."""
    findings = list(laporan.findings)  # in workbook order since the report was made
    if len(findings) > capacity:
        shown, hidden = findings[: capacity - 1], findings[capacity - 1 :]
        counts = {
            "more": len(hidden),
            "errors": sum(1 for f in hidden if f.level is Level.GALAT),
            "warnings": sum(1 for f in hidden if f.level is Level.PERINGATAN),
        }
        message, fix = text("HASIL_TERPOTONG").render(counts, lang)
        gravest = min((f.level for f in hidden), key=lambda level: level.rank)
        values = {"No": capacity, "Tingkat": gravest.value, "Kode": "HASIL_TERPOTONG", "Pesan": message}
        extra = ResultRow({**values, "Cara Memperbaiki": fix}, None)
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


def validation_zone(model: WorkbookModel) -> str:
    """The time zone the workbook states, or the definition's default."""
    zone = model.value("ref_zona_waktu")
    return zone if zone in TIME_ZONES else contract.definition().defaults["ref_zona_waktu"]


def locked_sheets(model: WorkbookModel, sop: Sop) -> frozenset[str]:
    """The sheets the ledger has locked now (their protection allows less): from the
    workflow the ledger's rows replay, never from the sheets' protection."""
    ledger = model.tables[contract.PERSETUJUAN]
    pairs = [
        (str(r.values.get(contract.L_LANGKAH) or ""), str(r.values.get(contract.L_KEPUTUSAN) or ""))
        for r in ledger.rows
    ]
    return frozenset(workflow.locked_sheets(sop, workflow.current(sop, [p for p in pairs if p[0]])))


def summary_text(laporan: Laporan, lang: str, now: dt.datetime, zone: str) -> str:
    """ "Divalidasi 12 Februari 2026 10.15 WIB: 0 Galat, 1 Peringatan, 2 Info"."""
    when = f"{format_date(now.date(), lang)} {format_time(now.time(), zone, lang)}"
    counts = {
        "when": when,
        "errors": laporan.count(Level.GALAT),
        "warnings": laporan.count(Level.PERINGATAN),
        "infos": laporan.count(Level.INFO),
    }
    return text("HASIL_RINGKASAN").render(counts, lang)[0]


# ---------------------------------------------------------------------- marks
@dataclass(frozen=True)
class Mark:
    sheet: str
    cell: str
    level: Level  # the most severe finding at that cell


def marks(laporan: Laporan, sheets: set[str] | frozenset[str]) -> list[Mark]:
    """The cells to mark, once each, in the order of their first finding, coloured by the
    gravest level there, on sheets people type into (``sheets``: those the workbook has)."""
    found: dict[tuple[str, str], Level] = {}
    for f in laporan.findings:
        if f.sheet in UNMARKED_SHEETS or f.sheet not in sheets:
            continue
        key = (f.sheet, f.cell)
        if key not in found or f.level.rank < found[key].rank:
            found[key] = f.level
    return [Mark(sheet, cell, level) for (sheet, cell), level in found.items()]


@dataclass
class Marks:
    """What `_meta` remembers of the cells a run marked: each cell's original fill, as
    XML (fills listed once), so the next run can give it back."""

    fills: list[str] = field(default_factory=list)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> cell -> fill

    @classmethod
    def parse(cls, text: str | None) -> Marks:
        try:
            data = json.loads(text or "{}")
            return cls(list(data.get("fills", [])), {k: dict(v) for k, v in data.get("cells", {}).items()})
        except (ValueError, AttributeError, TypeError):
            return cls()  # an unreadable record: nothing to restore, nothing damaged

    def add(self, sheet: str, ref: str, fill_xml: str) -> None:
        if fill_xml not in self.fills:
            self.fills.append(fill_xml)
        self.cells.setdefault(sheet, {})[ref] = self.fills.index(fill_xml)

    def fill(self, sheet: str, ref: str) -> str | None:
        """The fill XML recorded for a cell, None when there is none (or it is unreadable)."""
        index = self.cells.get(sheet, {}).get(ref)
        return self.fills[index] if isinstance(index, int) and 0 <= index < len(self.fills) else None

    def dumps(self) -> str:
        return json.dumps({"fills": self.fills, "cells": self.cells}, ensure_ascii=False, separators=(",", ":"))


def fill_xml(rgb: str | None) -> str:
    """A cell fill as styles.xml writes it: solid ``rgb``, or none."""
    if rgb is None:
        return f'<fill xmlns="{_MAIN_NS}"><patternFill patternType="none"></patternFill></fill>'
    return (
        f'<fill xmlns="{_MAIN_NS}"><patternFill patternType="solid"><fgColor rgb="FF{rgb.upper()}"></fgColor>'
        '<bgColor indexed="64"></bgColor></patternFill></fill>'
    )


def restored_rgb(recorded: str | None, template: str | None) -> str | None:
    """The colour to give a cell back when the add-in unmarks it, from the fill XML the
    record kept: its solid colour, no fill when it had none, and the template's own fill
    when there is no record or the recorded fill is no plain colour (a theme colour, a
    pattern, a gradient: what Range.color cannot set)."""
    if recorded is None:
        return template
    if "<!" in recorded or len(recorded) > 4096:  # no DTD, no entities: a fill is a few tags
        return template
    try:
        fill = ElementTree.fromstring(recorded)
    except ElementTree.ParseError:
        return template
    pattern = fill.find("{*}patternFill")
    if pattern is None:
        return template
    kind = pattern.get("patternType", "none")
    if kind == "none":
        return None
    colour = pattern.find("{*}fgColor")
    rgb = colour.get("rgb") if colour is not None else None
    if kind == "solid" and rgb and len(rgb) in (6, 8):
        return rgb[-6:].upper()
    return template


def template_fill(sop: Sop, model: WorkbookModel, sheet: str, ref: str) -> str | None:
    """The fill the template gave a cell, as RGB (None: no fill): a named input cell is
    yellow, a computed or tool-written named cell grey, a table header blue; table data
    cells carry the table's style, not a fill of their own."""
    for spec in sop.names:
        cell = model.names.get(spec.name)
        if cell is not None and cell.sheet == sheet and cell.ref == ref:
            return INPUT_RGB if spec.is_input else COMPUTED_RGB
    for table in model.tables.values():
        if table.sheet == sheet and ref in {table.header_cell(h) for h in table.headers}:
            return HEADER_RGB
    return None
