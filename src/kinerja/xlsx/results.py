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
from collections.abc import Callable

from kinerja.core import contract
from kinerja.core.findings import KinerjaError, Laporan
from kinerja.core.formatting import aware_now
from kinerja.core.model import WorkbookModel
from kinerja.present import Marks, locked_sheets, marks, result_rows, summary_text, validation_zone
from kinerja.xlsx import paper
from kinerja.xlsx.edit import EditSession
from kinerja.xlsx.sheetxml import SheetXml
from kinerja.xlsx.stylesxml import StylesXml

__all__ = ["Marks", "summary_text", "write_results"]  # Marks and summary_text live in kinerja.present


def write_results(
    session: EditSession, laporan: Laporan, lang: str = "id", now: dt.datetime | None = None
) -> Callable[[WorkbookModel], None]:
    """Edit the results sheet, the marks and their record in ``session``; returns the
    check the commit runs on the written file."""
    model = session.model
    zone = validation_zone(model)
    now = now or aware_now(zone)
    _fill_results(session, laporan, lang, now, zone)
    previous = Marks.parse(model.meta.get(contract.META_MARKED_CELLS))
    record = _mark(session, laporan, previous)
    session.meta.set(contract.META_MARKED_CELLS, record.dumps())
    session.restore_guards(locked=locked_sheets(model, session.sop))
    session.set_named(contract.STATUS_VALIDASI, summary_text(laporan, lang, now, zone))
    paper.keep(session)  # rows as tall as their text, print areas to the last filled row
    return lambda written: _verify(written, session, laporan)


# ---------------------------------------------------------------------- Hasil Validasi
def _fill_results(session: EditSession, laporan: Laporan, lang: str, now: dt.datetime, zone: str) -> None:
    table = session.model.tables[contract.HASIL_VALIDASI]
    rows = result_rows(laporan, len(table.rows), lang)
    session.write_rows(contract.HASIL_VALIDASI, [r.values for r in rows])
    session.set_links(contract.HASIL_VALIDASI, "Sel", {i: r.link for i, r in enumerate(rows) if r.link})
    session.set_named(contract.HASIL_RINGKASAN, summary_text(laporan, lang, now, zone))


# ---------------------------------------------------------------------- marks
def _mark(session: EditSession, laporan: Laporan, previous: Marks) -> Marks:
    """Give the cells the last run marked their own fill back, then mark this run's cells,
    each in the colour of its gravest finding."""
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
    record = Marks()
    for mark in marks(laporan, present):
        xml: SheetXml = session.sheet(mark.sheet)
        original = xml.style(mark.cell)
        record.add(mark.sheet, mark.cell, styles.fill_of(original))  # _meta chunks a long record
        xml.set_style(mark.cell, styles.marked(original, mark.level.value))
    return record


def _verify(written: WorkbookModel, session: EditSession, laporan: Laporan) -> None:
    """Refuse the write unless the new file reads back with the findings in it."""
    table = written.tables[contract.HASIL_VALIDASI]
    count = len(table.filled(("No", "Kode", "Pesan")))
    if count != min(len(laporan.findings), len(table.rows)):
        raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(session.path), part=contract.HASIL_SHEET)
