"""The regency roll-up workbook (`kinerja rekap -o rekap.xlsx`): a new file, built once
with openpyxl (D3 forbids openpyxl only for rewriting a user's file).

Four sheets, each a title, a note and one real Excel table (two on `Rekap`), which a
province's tools read by table name and header (docs/rekap.md): `Rekap` (totals per year,
one row per counted workbook, a native chart of capaian per kecamatan against the
target), `Belum Mengirim`, `Duplikat`, `Tidak Terbaca`. Every word comes from the
catalogue; sheet names, headers and the categorical values are the catalogue's
Indonesian in every language (they are an interface), titles and reasons follow ``lang``.
Values, never formulas: the JSON and a reader that does not recalculate see the same.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from kinerja.templates import styles
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

import kinerja
from kinerja.core import contract
from kinerja.core import sop as sop_module
from kinerja.core.cells import col_letter
from kinerja.core.findings import Laporan, text
from kinerja.core.formatting import format_date, format_time
from kinerja.core.rekap import Rekap, rekap_row

SUBJECT = "kinerja rekap"  # docProps subject: marks a file `kinerja rekap` may overwrite
PERCENT = "0.00"
COUNT = "0"

T_REKAP, T_JUMLAH, T_BELUM, T_DUPLIKAT, T_TIDAK_TERBACA = (
    "tblRekap",
    "tblRekapJumlah",
    "tblBelumMengirim",
    "tblDuplikat",
    "tblTidakTerbaca",
)


@dataclass(frozen=True)
class Col:
    key: str  # the JSON key of a row (core.rekap.rekap_row and friends)
    code: str  # the catalogue text of its header
    width: float
    number_format: str | None = None


REKAP_COLUMNS = (
    Col("kecamatan", "REKAP_KOLOM_KECAMATAN", 22),
    Col("kabupaten", "REKAP_KOLOM_KABUPATEN", 24),
    Col("year", "REKAP_KOLOM_TAHUN", 8, COUNT),
    Col("invited", "REKAP_KOLOM_DIUNDANG", 10, COUNT),
    Col("present", "REKAP_KOLOM_HADIR", 9, COUNT),
    Col("realisasi", "REKAP_KOLOM_REALISASI", 11, PERCENT),
    Col("target", "REKAP_KOLOM_TARGET", 9, PERCENT),
    Col("capaian", "REKAP_KOLOM_CAPAIAN", 10, PERCENT),
    Col("predikat", "REKAP_KOLOM_PREDIKAT", 14),
    Col("stage", "REKAP_KOLOM_TAHAP", 26),
    Col("verified", "REKAP_KOLOM_TERVERIFIKASI", 13),
    Col("errors", "REKAP_KOLOM_GALAT", 8, COUNT),
    Col("warnings", "REKAP_KOLOM_PERINGATAN", 11, COUNT),
    Col("file", "REKAP_KOLOM_BERKAS", 36),
    Col("workbook_id", "REKAP_KOLOM_WORKBOOK_ID", 38),
    Col("template_id", "REKAP_KOLOM_TEMPLAT", 34),
)
TOTAL_COLUMNS = (
    Col("template_id", "REKAP_KOLOM_TEMPLAT", 22),
    Col("year", "REKAP_KOLOM_TAHUN", 24),
    Col("workbooks", "REKAP_KOLOM_JUMLAH_BUKU", 8, COUNT),
    Col("invited", "REKAP_KOLOM_DIUNDANG", 10, COUNT),
    Col("present", "REKAP_KOLOM_HADIR", 9, COUNT),
    Col("realisasi", "REKAP_KOLOM_REALISASI", 11, PERCENT),
    Col("target", "REKAP_KOLOM_TARGET", 9, PERCENT),
    Col("capaian", "REKAP_KOLOM_CAPAIAN", 10, PERCENT),
    Col("predikat", "REKAP_KOLOM_PREDIKAT", 14),
    Col("errors", "REKAP_KOLOM_GALAT", 26),
    Col("warnings", "REKAP_KOLOM_PERINGATAN", 13),
)
MISSING_COLUMNS = (
    Col("kecamatan", "REKAP_KOLOM_KECAMATAN", 24),
    Col("kabupaten", "REKAP_KOLOM_KABUPATEN", 26),
    Col("year", "REKAP_KOLOM_TAHUN", 8, COUNT),
)
DUPLICATE_COLUMNS = (
    Col("kecamatan", "REKAP_KOLOM_KECAMATAN", 22),
    Col("kabupaten", "REKAP_KOLOM_KABUPATEN", 24),
    Col("year", "REKAP_KOLOM_TAHUN", 8, COUNT),
    Col("file", "REKAP_KOLOM_BERKAS", 36),
    Col("stage", "REKAP_KOLOM_TAHAP", 26),
    Col("verified", "REKAP_KOLOM_TERVERIFIKASI", 13),
    Col("errors", "REKAP_KOLOM_GALAT", 8, COUNT),
    Col("workbook_id", "REKAP_KOLOM_WORKBOOK_ID", 38),
    Col("counted_file", "REKAP_KOLOM_DIHITUNG", 36),
)
UNREADABLE_COLUMNS = (
    Col("file", "REKAP_KOLOM_BERKAS", 36),
    Col("code", "REKAP_KOLOM_KODE", 26),
    Col("message", "REKAP_KOLOM_ALASAN", 60),
    Col("fix", "REKAP_KOLOM_CARA", 60),
)


def word(code: str) -> str:
    """An interface word (sheet name, header, categorical value): the same in every language."""
    return text(code).pesan


def say(code: str, lang: str, **params: Any) -> str:
    return text(code).render(params, lang)[0]


# ---------------------------------------------------------------------- values as the sheets show them
def stage_word(row: dict[str, Any]) -> str | None:
    if row["stage"] is None:
        return None
    return word("REKAP_TAHAP_FINAL") if row["final"] else row["stage"]  # the workflow's own label


def verified_word(value: bool | None) -> str | None:
    return None if value is None else (contract.YES if value else contract.NO)


def sheet_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "stage": stage_word(row), "verified": verified_word(row["verified"])}


def missing_rows(rekap: Rekap) -> list[dict[str, Any]]:
    return [m.to_json() for m in rekap.missing]


def duplicate_rows(rekap: Rekap) -> list[dict[str, Any]]:
    return [{**rekap_row(d.laporan), "counted_file": d.counted.file} for d in rekap.duplicates]


def unreadable_rows(rekap: Rekap, lang: str) -> list[dict[str, Any]]:
    return [_unreadable_row(r, lang) for r in rekap.unreadable]


def _unreadable_row(r: Laporan, lang: str) -> dict[str, Any]:
    message, fix = r.unreadable.render(lang)
    return {"file": r.file, "code": r.unreadable.code, "message": message, "fix": fix}


# ---------------------------------------------------------------------- the workbook
def build_rekap(rekap: Rekap, *, folder: str, lang: str = "id", now: dt.datetime) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.subject = SUBJECT
    wb.properties.creator = f"kinerja {kinerja.__version__}"
    when = f"{format_date(now.date(), lang)} {format_time(now.time(), 'WIB', lang)}"
    wb.properties.title = say("REKAP_JUDUL", lang, indikator=_indicator(rekap))

    ws = wb.create_sheet(word("REKAP_LEMBAR_REKAP"))
    _title(
        ws,
        say("REKAP_JUDUL", lang, indikator=_indicator(rekap)),
        say("REKAP_DIBUAT", lang, when=when, version=kinerja.__version__, files=len(rekap.tasks), folder=folder),
    )
    ws.cell(4, 1, say("REKAP_JUMLAH_JUDUL", lang)).font = styles.HEADING
    totals = [t.to_json() for t in rekap.totals()]
    last = _table(ws, T_JUMLAH, 5, TOTAL_COLUMNS, totals, set_widths=False)
    heading = last + 2
    ws.cell(heading, 1, say("REKAP_PER_KECAMATAN", lang)).font = styles.HEADING
    rows = [sheet_row(rekap_row(r)) for r in rekap.counted]
    header_row = heading + 1
    last = _table(ws, T_REKAP, header_row, REKAP_COLUMNS, rows)
    _chart(ws, rekap, header_row, last, len(rows), lang)
    ws.freeze_panes = ws.cell(header_row + 1, 2)

    ws = wb.create_sheet(word("REKAP_LEMBAR_BELUM"))
    if rekap.expected is None:
        note = say("REKAP_BELUM_TANPA_DAFTAR", lang)
    else:
        note = say("REKAP_BELUM_NIHIL", lang) if not rekap.missing else ""
    _title(ws, say("REKAP_BELUM_JUDUL", lang), note)
    _table(ws, T_BELUM, 4, MISSING_COLUMNS, missing_rows(rekap))

    ws = wb.create_sheet(word("REKAP_LEMBAR_DUPLIKAT"))
    _title(ws, say("REKAP_DUPLIKAT_JUDUL", lang), say("REKAP_DUPLIKAT_NIHIL", lang) if not rekap.duplicates else "")
    _table(ws, T_DUPLIKAT, 4, DUPLICATE_COLUMNS, [sheet_row(r) for r in duplicate_rows(rekap)])

    ws = wb.create_sheet(word("REKAP_LEMBAR_TIDAK_TERBACA"))
    _title(
        ws,
        say("REKAP_TIDAK_TERBACA_JUDUL", lang),
        say("REKAP_TIDAK_TERBACA_NIHIL", lang) if not rekap.unreadable else "",
    )
    _table(ws, T_TIDAK_TERBACA, 4, UNREADABLE_COLUMNS, unreadable_rows(rekap, lang), wrap=("message", "fix"))
    for sheet in wb.worksheets:
        _print_setup(sheet)
    wb.active = 0
    return wb


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide (a regency prints the roll-up for its meeting)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _indicator(rekap: Rekap) -> str:
    ids = sorted({r.identity.template_id for r in rekap.counted if r.identity.template_id}) or [contract.TEMPLATE_ID]
    names = [d.short_title for d in (sop_module.find(i) for i in ids) if d is not None]
    return " · ".join(names) or " · ".join(ids)


def _title(ws: Worksheet, title: str, note: str) -> None:
    ws.cell(1, 1, title).font = styles.TITLE
    if note:
        ws.cell(2, 1, note).font = styles.SUBTITLE


def _table(
    ws: Worksheet,
    name: str,
    header_row: int,
    columns: Sequence[Col],
    rows: list[dict[str, Any]],
    *,
    set_widths: bool = True,
    wrap: Sequence[str] = (),
) -> int:
    """A real Excel table; with no rows it keeps one empty data row (Excel repairs a table
    of only a header, D9). Returns its last row."""
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, c, word(col.code))
        cell.font = styles.LABEL
        if set_widths:
            ws.column_dimensions[col_letter(c)].width = col.width
    for r, values in enumerate(rows, start=header_row + 1):
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(r, c, values.get(col.key))
            if col.number_format:
                cell.number_format = col.number_format
            if col.key in wrap:
                cell.alignment = styles.WRAP
    last = header_row + max(1, len(rows))
    table = Table(displayName=name, ref=f"A{header_row}:{col_letter(len(columns))}{last}")
    table.tableStyleInfo = TableStyleInfo(name=styles.TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    return last


def _chart(ws: Worksheet, rekap: Rekap, header_row: int, last: int, count: int, lang: str) -> None:
    """Capaian per kecamatan (bars) against the level at which the SOP calls the target
    met (a line), below the table: the bars from the table itself, the line from a hidden
    helper column right of it (outside the table, so no reader takes it for data)."""
    if not count:
        return
    capaian_col = 1 + [c.key for c in REKAP_COLUMNS].index("capaian")
    name_col = 1 + [c.key for c in REKAP_COLUMNS].index("kecamatan")
    helper = len(REKAP_COLUMNS) + 2  # one empty column between the table and the helper
    definition = sop_module.find(contract.TEMPLATE_ID)
    met = definition.target_met_at if definition else 100
    ws.cell(header_row, helper, say("REKAP_GRAFIK_TARGET", lang, met=met)).font = styles.NOTE
    for r in range(header_row + 1, last + 1):
        ws.cell(r, helper, met).number_format = PERCENT
    ws.column_dimensions[col_letter(helper)].hidden = True
    bar = BarChart()
    bar.type, bar.grouping = "col", "clustered"
    bar.add_data(Reference(ws, min_col=capaian_col, min_row=header_row, max_row=last), titles_from_data=True)
    categories = Reference(ws, min_col=name_col, min_row=header_row + 1, max_row=last)
    bar.set_categories(categories)
    bar.series[0].tx = SeriesLabel(v=say("REKAP_GRAFIK_CAPAIAN", lang))
    line = LineChart()
    line.add_data(Reference(ws, min_col=helper, min_row=header_row, max_row=last), titles_from_data=True)
    line.set_categories(categories)
    bar += line
    bar.visible_cells_only = False  # the helper column is hidden, its line still drawn
    bar.title = say("REKAP_GRAFIK_JUDUL", lang)
    bar.y_axis.title = "%"
    bar.y_axis.scaling.min = 0
    bar.y_axis.delete = False
    bar.x_axis.delete = False
    bar.legend.position = "b"
    bar.height, bar.width = 10, max(20, min(60, 1.0 * count))
    ws.add_chart(bar, f"A{last + 3}")
    ws.print_area = f"A1:{col_letter(len(REKAP_COLUMNS))}{last + 25}"


def is_rekap(path: Path) -> bool:
    """Whether ``path`` is a roll-up this tool wrote (docProps subject), so that `-o`
    never replaces a kecamatan's workbook or any other file."""
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("docProps/core.xml"))
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return False
    return any(el.tag.endswith("}subject") and (el.text or "") == SUBJECT for el in root.iter())
