"""The live workbook as a source (D28): over the remote engine it gives the file's model
cell for cell; each engine's raw values become what the file source gives; what it cannot
tell (protection, where pictures sit) it says it cannot, and nothing downstream takes that
for a fact (no photo finding, no picture called changed by the ledger)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from kinerja.addin import book_source
from kinerja.addin.book_source import BookSource
from kinerja.addin.payload import book_payload
from kinerja.validators.engine import validate_model
from remote_xlwings import remote_xlwings

from kinerja import present, services
from kinerja.core import contract
from kinerja.core.assemble import assemble
from kinerja.core.digest import pictures_unknown, sections
from kinerja.core.model import ExcelError
from kinerja.core.source import UNKNOWN_STATE, WorkbookSource
from kinerja.xlsx.reader import read_workbook


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


def live(xw, path):
    return xw.Book(json=json.loads(json.dumps(book_payload(path))))


def test_addin_book_source_satisfies_the_protocol(xw, demo_workbook):
    def takes(source: WorkbookSource) -> str:
        return source.file

    assert takes(BookSource(live(xw, demo_workbook))) == "demo.xlsx"


def test_addin_book_gives_the_files_model_but_what_it_cannot_tell(xw, demo_workbook):
    from_book = assemble(BookSource(live(xw, demo_workbook)), contract.definition())
    from_file = read_workbook(demo_workbook)
    assert from_book.names == from_file.names
    assert from_book.tables == from_file.tables
    assert from_book.meta == from_file.meta  # created_at with its offset read as text, not crashed on
    assert [s.name for s in from_book.sheets] == [s.name for s in from_file.sheets]
    assert {s.state for s in from_book.sheets} == {UNKNOWN_STATE}  # xlwings Server's clients send no visibility
    assert {s.protected for s in from_book.sheets} == {None}
    assert from_file.pictures and from_book.pictures == [] and from_book.pictures_known is False


def test_addin_unplaced_pictures_are_neither_missing_nor_changed(xw, tmp_path):
    """A signed workbook read live: no FOTO_TANPA_GAMBAR for rows whose picture it cannot
    see, and the ledger compares the values only, so every row still verifies."""
    final = services.build_demo(tmp_path / "demo").path
    model = assemble(BookSource(live(xw, final)), contract.definition())
    codes = {f.code for f in validate_model(model).findings}
    assert not codes & {"FOTO_TANPA_GAMBAR", "FOTO_GAMBAR_TANPA_BARIS", "LEDGER_DATA_BERUBAH"}
    assert services.verify_model(model).verification.ok
    assert all(pictures_unknown(s) for s in sections(model, contract.definition()).values())


def test_addin_the_extent_counts_values_not_formatted_cells(xw, demo_workbook):
    book = live(xw, demo_workbook)
    source = BookSource(book)
    sheet = contract.FOTO_SHEET
    used = book.sheets[sheet].used_range.last_cell.row
    rows, _ = source.extent(sheet)
    assert rows < used  # the pre-sized table's empty rows are formatted, not filled


def test_addin_a_sheet_is_read_within_bounds_whatever_its_used_range(xw, demo_workbook, monkeypatch):
    monkeypatch.setattr(book_source, "MAX_ROWS", 30)
    source = BookSource(live(xw, demo_workbook))
    assert source.extent(contract.DAFTAR_HADIR_SHEET)[0] <= 30


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("", None),
        (98, 98.0),  # JSON has no 98.0: numbers are floats, as calamine reads them
        (87.5, 87.5),
        (True, True),
        (" ya ", " ya "),
        ("#N/A", ExcelError("#N/A")),
        ("#SPILL!", ExcelError("#SPILL!")),
        ("2026-02-12T00:00:00.000Z", dt.date(2026, 2, 12)),
        ("2026-02-12T13:45:30.000Z", dt.datetime(2026, 2, 12, 13, 45, 30)),
        ("1899-12-30T08:30:00.000Z", dt.time(8, 30)),
        ("2026-02-12T13:00:00+07:00", "2026-02-12T13:00:00+07:00"),  # text with an offset stays text
    ],
)
def test_addin_remote_raw_values_become_what_the_file_source_gives(sent, read):
    assert book_source._remote(sent) == read


class _PyTime(dt.datetime):
    """pywintypes' datetime: a subclass, marked UTC."""


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (None, None),
        (98.0, 98.0),
        (True, True),
        ("Ya", "Ya"),
        (-2146826281, ExcelError("#DIV/0!")),
        (-2146826246, ExcelError("#N/A")),
        (-2146826265, ExcelError("#REF!")),
        (Decimal("1250.50"), 1250.5),  # a currency-formatted cell
        (_PyTime(2026, 2, 12, tzinfo=dt.timezone.utc), dt.date(2026, 2, 12)),
        (_PyTime(1899, 12, 30, 8, 30, tzinfo=dt.timezone.utc), dt.time(8, 30)),
        (_PyTime(2026, 2, 12, 13, 45, tzinfo=dt.timezone.utc), dt.datetime(2026, 2, 12, 13, 45)),
        (float("inf"), ExcelError("#NUM!")),
    ],
)
def test_addin_com_raw_values_become_what_the_file_source_gives(sent, read):
    got = book_source._com(sent)
    assert got == read and type(got) is type(read)


def test_addin_the_template_fills_the_add_in_records_are_the_templates_own():
    from kinerja.templates import styles

    assert present.INPUT_RGB == styles.INPUT_FILL.fgColor.rgb[-6:]
    assert present.COMPUTED_RGB == styles.COMPUTED_FILL.fgColor.rgb[-6:]
    assert present.HEADER_RGB == styles.HEADER_FILL.fgColor.rgb[-6:]


def test_addin_template_fill_matches_the_demo_file_at_every_cell_a_finding_can_mark(demo_workbook):
    import openpyxl

    model = read_workbook(demo_workbook)
    sop = contract.definition()
    wb = openpyxl.load_workbook(demo_workbook)
    cells = [(c.sheet, c.ref) for c in model.names.values()]
    cells += [(t.sheet, t.header_cell(h)) for t in model.tables.values() for h in t.headers]
    cells += [(t.sheet, t.cell(h, t.rows[0].row)) for t in model.tables.values() for h in t.headers]
    for sheet, ref in cells:
        fill = wb[sheet][ref].fill
        actual = fill.fgColor.rgb[-6:] if fill.fill_type == "solid" else None
        assert present.template_fill(sop, model, sheet, ref) == actual, (sheet, ref)


@pytest.mark.parametrize(
    ("recorded", "template", "restored"),
    [
        (present.fill_xml("FFF2CC"), None, "FFF2CC"),
        (present.fill_xml(None), "FFF2CC", None),
        ('<fill><patternFill patternType="solid"><fgColor rgb="00EDEDED"/></patternFill></fill>', None, "EDEDED"),
        ('<fill><patternFill patternType="solid"><fgColor theme="4"/></patternFill></fill>', "FFF2CC", "FFF2CC"),
        ("<fill><patternFill/></fill>", "FFF2CC", None),
        ("<fill><gradientFill/></fill>", "EDEDED", "EDEDED"),
        (None, "4472C4", "4472C4"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><fill>&a;</fill>', "FFF2CC", "FFF2CC"),
        ("not xml", None, None),
    ],
)
def test_addin_an_unmarked_cell_gets_its_recorded_colour_back(recorded, template, restored):
    assert present.restored_rgb(recorded, template) == restored
