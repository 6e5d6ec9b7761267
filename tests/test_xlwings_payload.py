"""The remote engine over a real workbook: a file turned into the payload xlwings Server's
Office.js client sends, opened with ``xlwings.Book(json=...)``, reads the same names,
tables and values as the file readers; what a script writes through the Book API comes
back as actions that, played onto a copy of the file, change exactly those cells."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import openpyxl
import pytest
from kinerja.addin.payload import ProtectedCellError, alerts, apply_actions, book_payload, entered, js_iso
from python_calamine import CalamineWorkbook
from remote_xlwings import remote_xlwings

from kinerja.core import contract
from kinerja.core.cells import parse_range
from kinerja.xlsx.package import Package
from kinerja.xlsx.sheetscan import scan_sheet


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


@pytest.fixture
def demo_book(xw, demo_workbook):
    # Through JSON text, as the payload reaches the server.
    return xw.Book(json=json.loads(json.dumps(book_payload(demo_workbook))))


def test_xlwings_payload_is_what_the_engine_accepts(xw, demo_workbook):
    payload = book_payload(demo_workbook)
    assert payload["client"] == "Office.js" and payload["version"] == xw.__version__
    assert set(payload) == {"client", "version", "book", "names", "sheets"}
    assert set(payload["book"]) == {"name", "active_sheet_index", "selection"}
    for sheet in payload["sheets"]:
        assert set(sheet) == {"name", "values", "pictures", "tables"}
        assert len({len(row) for row in sheet["values"]}) == 1  # a rectangle from A1
    json.dumps(payload)  # plain JSON: no dates, no tuples


def test_xlwings_book_has_every_sheet_in_file_order_including_the_very_hidden_meta(demo_book, demo_workbook):
    wb = openpyxl.load_workbook(demo_workbook, read_only=True)
    assert [s.name for s in demo_book.sheets] == wb.sheetnames
    assert wb[contract.META_SHEET].sheet_state == "veryHidden"
    assert demo_book.name == "demo.xlsx"
    assert demo_book.sheets.active.name == wb.active.title


def test_xlwings_defined_names_point_where_the_file_says(demo_book, demo_workbook):
    with zipfile.ZipFile(demo_workbook) as zf:
        pkg = Package.open(zf)
        for spec in contract.definition().names:
            sheet, ref = pkg.name_target(spec.name)
            rng = demo_book.names[spec.name].refers_to_range
            assert (rng.sheet.name, rng.address.replace("$", "")) == (sheet, ref), spec.name
    # A list source that is a table column resolves to the column's data rows (D8).
    desa = demo_book.sheets[contract.REFERENSI].tables[contract.DESA]
    lst = demo_book.names["lst_desa"].refers_to_range
    assert lst.address == desa.data_body_range.columns[0].address


def test_xlwings_tables_have_the_files_ranges_and_headers(demo_book, demo_workbook):
    with zipfile.ZipFile(demo_workbook) as zf:
        pkg = Package.open(zf)
        for spec in contract.definition().tables:
            part = next(t for t in pkg.tables(pkg.sheet(spec.sheet)) if t.name == spec.name)
            table = demo_book.sheets[spec.sheet].tables[spec.name]
            r1, c1, r2, c2 = part.bounds
            assert parse_range(table.range.address.replace("$", "")) == (r1, c1, r2, c2)
            assert parse_range(table.data_body_range.address.replace("$", "")) == (r1 + 1, c1, r2, c2)
            assert table.header_row_range.value == list(part.columns)
            assert table.show_totals is False


def test_xlwings_values_equal_what_calamine_reads_from_the_same_file(demo_book, demo_workbook):
    """Every cell of every sheet; the remote engine's raw values are the client's (ISO
    text for a date or time), so they are decoded the way ``Range.value`` decodes them."""
    calamine = CalamineWorkbook.from_path(str(demo_workbook))
    for sheet in demo_book.sheets:
        grid = calamine.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        raw = sheet.api["values"]
        for r, row in enumerate(raw):
            for c, value in enumerate(row):
                expected = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
                assert _same(decoded(value), expected), (sheet.name, r + 1, c + 1, value, expected)


def test_xlwings_reads_dates_times_numbers_text_empty_and_excel_errors(xw, tmp_path):
    path = tmp_path / "types.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Jenis"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = dt.datetime(2026, 2, 12), dt.time(8, 30), 98, 87.5
    ws["A1"].number_format, ws["B1"].number_format = "d mmmm yyyy", "hh:mm"
    ws["E1"], ws["F1"], ws["G1"] = " ya ", "19720514 199503 1 002", True
    ws["A2"], ws["B2"], ws["C2"] = "#N/A", "#REF!", "#DIV/0!"  # openpyxl stores these as error cells
    ws["D3"] = dt.datetime(2026, 2, 12, 13, 45, 30)
    ws["D3"].number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        errors = scan_sheet(zf.read("xl/worksheets/sheet1.xml"), "Jenis", "xl/worksheets/sheet1.xml").errors
        assert errors == {(2, 1): "#N/A", (2, 2): "#REF!", (2, 3): "#DIV/0!"}

    sheet = xw.Book(json=book_payload(path)).sheets["Jenis"]
    assert sheet["A1:G1"].value == [
        dt.datetime(2026, 2, 12),
        dt.datetime(1899, 12, 30, 8, 30),  # a time alone arrives on Excel's day zero
        98,
        87.5,
        " ya ",  # not trimmed (calamine trims only text stored without xml:space)
        "19720514 199503 1 002",
        True,
    ]
    assert isinstance(sheet["C1"].value, int)  # JSON has no 98.0
    assert sheet["A2:C2"].value == [None, None, None]  # errors read as empty ...
    assert sheet["A2:C2"].options(err_to_str=True).value == ["#N/A", "#REF!", "#DIV/0!"]  # ... unless asked
    assert sheet["D3"].value == dt.datetime(2026, 2, 12, 13, 45, 30)
    assert sheet["A3"].value is None and sheet["Z99"].value is None  # empty, and outside the used range


def test_xlwings_value_read_breaks_on_iso_text_with_an_offset_so_raw_value_is_the_safe_read(demo_book):
    """The remote engine takes text shaped like an ISO timestamp for a date and cuts its
    last character as if it were "Z": ``created_at`` (and the ledger's ``Waktu``, ISO
    8601 with offset) make ``.value`` raise. ``raw_value`` reads the client's values."""
    meta = demo_book.sheets[contract.META_SHEET]
    (key, created), *_ = meta["A4:B4"].raw_value  # always rows of cells here (COM gives a scalar for one cell)
    assert key == contract.META_CREATED_AT and dt.datetime.fromisoformat(created).utcoffset() is not None
    with pytest.raises(ValueError, match="isoformat"):
        _ = meta["A1:B5"].value


def test_xlwings_what_the_remote_engine_cannot_read(demo_book):
    """No sheet visibility from xlwings Server's clients (D23's very hidden _meta cannot be
    checked live), no fill colours, formats or formulas: D23's marks live in _meta."""
    with pytest.raises(KeyError, match="visibility"):
        _ = demo_book.sheets[contract.META_SHEET].visible
    cell = demo_book.sheets[contract.BERITA_ACARA_SHEET]["B18"]
    for read in (lambda: cell.color, lambda: cell.number_format, lambda: cell.formula, lambda: cell.font.bold):
        with pytest.raises(NotImplementedError):
            read()
    with pytest.raises(KeyError):
        _ = demo_book.sheets[contract.FOTO_SHEET].pictures[0].left  # only name, width and height are sent
    assert demo_book.sheets[contract.FOTO_SHEET].pictures[0].name == "Image 1"


def test_xlwings_js_iso_is_the_clients_date_text():
    assert js_iso(46065) == "2026-02-12T00:00:00.000Z"
    assert js_iso(0.3541666666666667) == "1899-12-30T08:30:00.000Z"
    assert js_iso(46065.5) == "2026-02-12T12:00:00.000Z"


# ---------------------------------------------------------------------- writes, played back
def test_xlwings_writes_come_back_as_actions_and_change_exactly_those_cells(xw, demo_workbook, tmp_path):
    book = xw.Book(json=book_payload(demo_workbook))
    berita = book.sheets[contract.BERITA_ACARA_SHEET]
    berita["B11"].value = "'050/013/BA/2026"  # an unlocked input cell (ba_nomor)
    berita["B18"].value = 97  # ba_jumlah_peserta
    book.app.macro("kinerjaUnprotect")(contract.HASIL_SHEET)  # protection goes through a client function
    hasil = book.sheets[contract.HASIL_SHEET]
    hasil["A8:G8"].value = [[1, "Galat", "BA_JUMLAH_PESERTA", contract.BERITA_ACARA_SHEET, "B18", "Pesan", "Cara"]]
    hasil["E8"].add_hyperlink("#'1b Berita Acara'!B18", "B18", "Ke sel B18")
    hasil["E8"].color = "#FFC7CE"
    hasil.activate()
    book.app.alert("1 Galat", title="Validasi", buttons="ok", mode="critical")

    actions = book.json()
    assert [a["func"] for a in actions["actions"]] == [
        "setValues",
        "setValues",
        "runMacro",
        "setValues",
        "addHyperlink",
        "setRangeColor",
        "activateSheet",
        "alert",
    ]
    assert berita["B18"].value == 98  # the Book is the snapshot the client sent: writes are only actions
    assert alerts(actions) == [
        {"prompt": "1 Galat", "title": "Validasi", "buttons": "ok", "mode": "critical", "callback": ""}
    ]

    unprotected = []

    def unprotect(wb, action):
        unprotected.append(action["args"][1])
        wb[action["args"][1]].protection.sheet = False

    out = apply_actions(demo_workbook, actions, tmp_path / "after.xlsx", macros={"kinerjaUnprotect": unprotect})
    assert unprotected == [contract.HASIL_SHEET]
    wb = openpyxl.load_workbook(out)
    assert wb[contract.BERITA_ACARA_SHEET]["B11"].value == "050/013/BA/2026"
    assert wb[contract.BERITA_ACARA_SHEET]["B18"].value == 97
    row = [c.value for c in wb[contract.HASIL_SHEET][8][:7]]
    assert row == [1, "Galat", "BA_JUMLAH_PESERTA", contract.BERITA_ACARA_SHEET, "B18", "Pesan", "Cara"]
    link = wb[contract.HASIL_SHEET]["E8"].hyperlink
    assert (link.location, link.tooltip) == ("'1b Berita Acara'!B18", "Ke sel B18")
    assert wb[contract.HASIL_SHEET]["E8"].fill.fgColor.rgb == "FFFFC7CE"
    assert wb.active.title == contract.HASIL_SHEET
    before = openpyxl.load_workbook(demo_workbook)
    assert wb[contract.HASIL_SHEET]["E9"].value == before[contract.HASIL_SHEET]["E9"].value


def test_xlwings_a_write_to_a_locked_cell_of_a_protected_sheet_is_refused_as_excel_refuses_it(
    xw, demo_workbook, tmp_path
):
    book = xw.Book(json=book_payload(demo_workbook))
    book.sheets[contract.HASIL_SHEET]["A8"].value = 1
    with pytest.raises(ProtectedCellError, match="A8"):
        apply_actions(demo_workbook, book.json(), tmp_path / "refused.xlsx")
    book = xw.Book(json=book_payload(demo_workbook))
    book.sheets[contract.BERITA_ACARA_SHEET]["B18"].color = "#FFC7CE"  # marks need the sheet unprotected too
    with pytest.raises(ProtectedCellError, match="formats"):
        apply_actions(demo_workbook, book.json(), tmp_path / "refused.xlsx")


def test_xlwings_an_action_apply_does_not_know_fails_loudly(xw, demo_workbook, tmp_path):
    book = xw.Book(json=book_payload(demo_workbook))
    book.sheets[contract.HASIL_SHEET]["A8:B9"].merge()
    with pytest.raises(NotImplementedError, match="rangeMerge"):
        apply_actions(demo_workbook, book.json(), tmp_path / "x.xlsx")


@pytest.mark.parametrize(
    ("sent", "cell"),
    [
        ("90", 90),  # text that looks like a number becomes one, as typed ...
        ("'90", "90"),  # ... unless it starts with an apostrophe
        ("197803152000031002", 1.97803152000031e17),  # a NIP sent as plain text: a number, 15 digits kept
        ("=1+1", "=1+1"),  # a formula (openpyxl keeps its text)
        ("2026-03-01", dt.datetime(2026, 3, 1)),  # xlwings sends a date as ISO text
        ("2026-03-01 08:30:00", dt.datetime(2026, 3, 1, 8, 30)),
        ("", None),
        ("Ya", "Ya"),
    ],
)
def test_xlwings_values_are_entered_as_typed(sent, cell):
    assert entered(sent) == cell


# ---------------------------------------------------------------------- helpers
def decoded(value):
    """A raw client value as ``Range.value`` gives it (empty -> None, ISO text -> datetime)."""
    if value == "":
        return None
    if isinstance(value, str) and len(value) == 24 and value.endswith("Z") and value[10] == "T":
        return dt.datetime.fromisoformat(value[:-1])
    return value


def _same(remote, calamine) -> bool:
    """calamine gives dates as date, times as time and every number as float."""
    if calamine == "" or calamine is None:
        return remote is None
    if isinstance(calamine, dt.time):
        return remote == dt.datetime.combine(dt.date(1899, 12, 30), calamine)
    if isinstance(calamine, dt.date) and not isinstance(calamine, dt.datetime):
        return remote == dt.datetime.combine(calamine, dt.time())
    if isinstance(calamine, float) and not isinstance(remote, bool):
        return isinstance(remote, (int, float)) and float(remote) == calamine
    return remote == calamine
