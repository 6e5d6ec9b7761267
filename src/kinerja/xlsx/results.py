"""`kinerja validate --write`: the findings into `Hasil Validasi`, offending cells marked.

What is particular to the results sheet: tblHasilValidasi's rows with links to the cells,
the hasil_ringkasan summary, the fill of the cells it marks (appended style records) and
the _meta record of those marks (D23: read back from _meta, never from colours, so the
next run can restore each cell's own fill). The edit session (edit.py) owns the rest: one
read, the guards another program dropped (D10), byte-for-byte copy of every other part,
the atomic, verified write (D3, D4, D27).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from kinerja.core import contract, workflow
from kinerja.core.cells import absolute
from kinerja.core.findings import Finding, KinerjaError, Laporan, Level, text
from kinerja.core.formatting import TIME_ZONES, aware_now, format_date, format_time
from kinerja.core.model import WorkbookModel
from kinerja.xlsx import paper
from kinerja.xlsx.edit import EditSession
from kinerja.xlsx.sheetxml import SheetXml
from kinerja.xlsx.stylesxml import StylesXml

UNMARKED_SHEETS = (contract.PETUNJUK, contract.PERSETUJUAN_SHEET, contract.HASIL_SHEET, contract.META_SHEET)


def write_results(
    session: EditSession, laporan: Laporan, lang: str = "id", now: dt.datetime | None = None
) -> Callable[[WorkbookModel], None]:
    """Edit the results sheet, the marks and their record in ``session``; returns the
    check the commit runs on the written file."""
    model = session.model
    zone = model.value("ref_zona_waktu")
    if zone not in TIME_ZONES:
        zone = session.sop.defaults["ref_zona_waktu"]
    now = now or aware_now(zone)
    _fill_results(session, laporan, lang, now, zone)
    previous = Marks.parse(model.meta.get(contract.META_MARKED_CELLS))
    marks = _mark(session, laporan, previous)
    session.meta.set(contract.META_MARKED_CELLS, marks.dumps())
    ledger = model.tables[contract.PERSETUJUAN]
    pairs = [
        (str(r.values.get(contract.L_LANGKAH) or ""), str(r.values.get(contract.L_KEPUTUSAN) or ""))
        for r in ledger.rows
    ]
    state = workflow.current(session.sop, [p for p in pairs if p[0]])
    session.restore_guards(locked=workflow.locked_sheets(session.sop, state))
    session.set_named(contract.STATUS_VALIDASI, summary_text(laporan, lang, now, zone))
    paper.keep(session)  # rows as tall as their text, print areas to the last filled row
    return lambda written: _verify(written, session, laporan)


# ---------------------------------------------------------------------- Hasil Validasi
def _fill_results(session: EditSession, laporan: Laporan, lang: str, now: dt.datetime, zone: str) -> None:
    table = session.model.tables[contract.HASIL_VALIDASI]
    rows = _result_rows(laporan, len(table.rows), lang)
    session.write_rows(contract.HASIL_VALIDASI, [r.values for r in rows])
    session.set_links(contract.HASIL_VALIDASI, "Sel", {i: r.link for i, r in enumerate(rows) if r.link})
    session.set_named(contract.HASIL_RINGKASAN, summary_text(laporan, lang, now, zone))


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


@dataclass(frozen=True)
class ResultRow:
    values: dict[str, str | int]  # by tblHasilValidasi header
    link: str | None  # where `Sel` points


def _result_rows(laporan: Laporan, capacity: int, lang: str) -> list[ResultRow]:
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

    def add(self, sheet: str, ref: str, fill_xml: str) -> None:
        if fill_xml not in self.fills:
            self.fills.append(fill_xml)
        self.cells.setdefault(sheet, {})[ref] = self.fills.index(fill_xml)

    def dumps(self) -> str:
        return json.dumps({"fills": self.fills, "cells": self.cells}, ensure_ascii=False, separators=(",", ":"))


def _mark(session: EditSession, laporan: Laporan, previous: Marks) -> Marks:
    """Give the cells the last run marked their own fill back, then mark this run's
    cells, each in the colour of its most severe finding (Galat, Peringatan, Info)."""
    styles: StylesXml = session.styles
    present = {s.name for s in session.model.sheets}
    for name, cells in previous.cells.items():
        if name not in present:
            continue
        xml = session.sheet(name)
        for ref, fill in cells.items():
            current = xml.style(ref)
            if styles.is_marked(current) and 0 <= fill < len(previous.fills):
                xml.set_style(ref, styles.with_fill(current, previous.fills[fill]))
    marks = Marks()
    for f in sorted(laporan.findings, key=lambda f: f.level.rank):
        if f.sheet in UNMARKED_SHEETS or f.sheet not in present:
            continue
        if f.cell in marks.cells.get(f.sheet, {}):
            continue
        xml: SheetXml = session.sheet(f.sheet)
        original = xml.style(f.cell)
        marks.add(f.sheet, f.cell, styles.fill_of(original))  # _meta chunks a long record
        xml.set_style(f.cell, styles.marked(original, f.level.value))
    return marks


def _verify(written: WorkbookModel, session: EditSession, laporan: Laporan) -> None:
    """Refuse the write unless the new file reads back with the findings in it."""
    table = written.tables[contract.HASIL_VALIDASI]
    count = len(table.filled(("No", "Kode", "Pesan")))
    if count != min(len(laporan.findings), len(table.rows)):
        raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(session.path), part=contract.HASIL_SHEET)
