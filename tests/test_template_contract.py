"""The built workbook keeps contract v1 to the letter: what outside readers and Excel rely on.

Expectations come from the SOP definition, never from the layout, so a moved cell still
passes and a renamed name or header fails.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile

import openpyxl
import pytest
from kinerja.templates import builder
from kinerja.templates.builder import new_inputs, save_workbook
from openpyxl.utils import range_boundaries

from kinerja.core import cells, contract
from kinerja.core.findings import KinerjaError

SOP = contract.definition()
CREATED = dt.datetime(2026, 2, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
NEWER_FUNCTIONS = re.compile(
    r"\b(IFS|XLOOKUP|XMATCH|LET|FILTER|UNIQUE|SORT|SORTBY|SEQUENCE|TEXTJOIN|CONCAT|"
    r"SWITCH|MAXIFS|MINIFS|LAMBDA|IFNA)\("
)


# Built once per module and only read: an empty new workbook and a filled one.
@pytest.fixture(scope="module", params=["kosong", "terisi"])
def workbook_path(request, tmp_path_factory, filled_inputs):
    inputs = new_inputs() if request.param == "kosong" else filled_inputs
    return save_workbook(
        tmp_path_factory.mktemp("buku") / f"{request.param}.xlsx",
        inputs,
        created_at=CREATED,
        workbook_id="6f1c2a52-5a8e-4d8e-9a57-0d3c1f0b7e11",
    )


@pytest.fixture(scope="module")
def wb(workbook_path):
    return openpyxl.load_workbook(workbook_path)


@pytest.fixture(scope="module")
def filled(tmp_path_factory, filled_inputs):
    path = save_workbook(tmp_path_factory.mktemp("buku") / "terisi.xlsx", filled_inputs, created_at=CREATED)
    return openpyxl.load_workbook(path)


def name_cell(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def input_names():
    return [n for n in SOP.names if n.is_input]


def input_table_columns():
    return [(t, c) for t in SOP.tables if t.kind == "input" for c in t.columns if c.is_input]


def validations_at(ws, ref):
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def table_data_cells(ws, table_name, header):
    table = ws.tables[table_name]
    min_col, min_row, _, max_row = range_boundaries(table.ref)
    col = min_col + [c.name for c in table.tableColumns].index(header)
    return [ws.cell(r, col) for r in range(min_row + 1, max_row + 1)]


# ---------------------------------------------------------------- sheets and _meta
def test_workbook_has_the_thirteen_contract_sheets_in_order(wb):
    assert wb.sheetnames == [s.name for s in SOP.sheets]
    assert len(wb.sheetnames) == 13


def test_meta_identifies_the_template_and_is_very_hidden(wb):
    meta = wb[contract.META_SHEET]
    entries = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert meta.sheet_state == "veryHidden"
    assert list(entries) == [
        contract.META_TEMPLATE_ID,
        contract.META_CONTRACT_VERSION,
        contract.META_TOOL_VERSION,
        contract.META_CREATED_AT,
        contract.META_WORKBOOK_ID,
    ]
    assert entries[contract.META_TEMPLATE_ID] == contract.TEMPLATE_ID
    assert entries[contract.META_CONTRACT_VERSION] == str(contract.CONTRACT_VERSION)
    assert dt.datetime.fromisoformat(entries[contract.META_CREATED_AT]) == CREATED
    assert dt.datetime.fromisoformat(entries[contract.META_CREATED_AT]).utcoffset() is not None
    uuid.UUID(entries[contract.META_WORKBOOK_ID])
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets if ws.title != contract.META_SHEET)


def test_a_workbook_saved_without_id_or_time_gets_a_fresh_id_and_an_aware_time(tmp_path):
    path = save_workbook(tmp_path / "baru.xlsx", new_inputs(zona_waktu="WITA"))
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(path)[contract.META_SHEET].iter_rows(values_only=True)}
    assert dt.datetime.fromisoformat(meta[contract.META_CREATED_AT]).utcoffset() == dt.timedelta(hours=8)
    uuid.UUID(meta[contract.META_WORKBOOK_ID])


def test_a_file_with_the_wrong_sheets_is_refused_before_it_replaces_anything(tmp_path):
    other = openpyxl.Workbook()
    other.save(tmp_path / "lain.xlsx")
    with pytest.raises(KinerjaError) as raised:
        builder.verify_saved(tmp_path / "lain.xlsx")
    assert raised.value.code == "BERKAS_GAGAL_TULIS"


# ---------------------------------------------------------------- names
def test_every_contract_name_is_workbook_scoped_and_points_at_one_cell_of_its_sheet(wb):
    expected = {n.name: n.sheet for n in SOP.names} | {contract.HASIL_RINGKASAN: contract.HASIL_SHEET}
    for name, sheet in expected.items():
        assert name in wb.defined_names, name
        defined = wb.defined_names[name]
        assert defined.localSheetId is None
        ((dest_sheet, ref),) = list(defined.destinations)
        assert dest_sheet == sheet, name
        assert defined.attr_text == cells.absolute(sheet, ref.replace("$", "")), name
        assert re.fullmatch(r"\$[A-Z]+\$\d+", ref), name


def test_validation_summary_cell_starts_as_not_yet_validated(wb):
    assert name_cell(wb, contract.HASIL_RINGKASAN).value == "Belum divalidasi"


def test_lists_from_a_table_are_reached_through_a_workbook_name(wb):
    for lst in SOP.lists.values():
        if lst.source:
            assert wb.defined_names[lst.defined_name].attr_text == lst.source


def test_labels_stand_left_of_their_values(wb):
    for n in SOP.names:
        cell = name_cell(wb, n.name)
        if SOP.sheet(n.sheet).kind == "guide":  # Petunjuk lays out its status lines beside the SOP table
            assert wb[n.sheet].cell(cell.row, cell.column - 1).value == n.label
            continue
        assert cell.column == 2
        assert wb[n.sheet].cell(cell.row, 1).value == n.label


# ---------------------------------------------------------------- tables
def test_every_table_has_the_contract_headers_and_its_presized_rows(wb):
    for t in SOP.tables:
        ws = wb[t.sheet]
        assert t.name in ws.tables, t.name
        table = ws.tables[t.name]
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        header_cells = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
        assert header_cells == list(t.headers), t.name
        assert [c.name for c in table.tableColumns] == list(t.headers), t.name
        assert max_row - min_row == t.rows >= 1, t.name
        assert table.tableStyleInfo.name.startswith("TableStyleLight")


def test_nothing_stands_below_any_table(wb):
    for t in SOP.tables:
        ws = wb[t.sheet]
        min_col, _, max_col, max_row = range_boundaries(ws.tables[t.name].ref)
        below = [
            ws.cell(r, c).coordinate
            for r in range(max_row + 1, ws.max_row + 1)
            for c in range(min_col, max_col + 1)
            if ws.cell(r, c).value is not None
        ]
        assert below == [], t.name


def test_tables_sharing_a_sheet_stand_side_by_side_with_a_blank_column_between(wb):
    ws = wb[contract.REFERENSI]
    refs = sorted((range_boundaries(ws.tables[t.name].ref) for t in SOP.tables_on(contract.REFERENSI)))
    assert len({r[1] for r in refs}) == 1  # one header row
    for left, right in zip(refs, refs[1:]):
        assert right[0] - left[2] == 2


def test_running_number_shows_only_on_rows_with_input(filled):
    ws = filled[contract.DAFTAR_HADIR_SHEET]
    numbers = table_data_cells(ws, contract.DAFTAR_HADIR, "No")
    assert all(c.value.startswith("=IF(") for c in numbers)
    assert "ROW()" in numbers[0].value and "[@" not in numbers[0].value


def test_ledger_and_results_tables_are_plain_empty_rows(wb):
    for name in (contract.PERSETUJUAN, contract.HASIL_VALIDASI):
        ws = wb[SOP.table(name).sheet]
        for header in SOP.table(name).headers:
            assert all(c.value is None for c in table_data_cells(ws, name, header))


def test_nip_cells_are_text_so_digits_survive(filled):
    nip = name_cell(filled, "ba_pimpinan_nip")
    assert nip.number_format == "@" and nip.value == "19700303 199703 1 008"
    pejabat = table_data_cells(filled[contract.REFERENSI], contract.PEJABAT, "NIP")
    assert all(c.number_format == "@" for c in pejabat)
    assert pejabat[0].value == "197803152000031002" and pejabat[0].data_type == "s"


def test_dates_show_indonesian_month_names_and_times_hours_minutes(filled):
    assert name_cell(filled, "ba_tanggal").number_format == "[$-421]d mmmm yyyy"
    assert name_cell(filled, "ba_tanggal").value.date() == dt.date(2026, 2, 12)
    assert name_cell(filled, "ba_jam_mulai").number_format == "hh:mm"
    assert all(
        c.number_format == "[$-421]d mmmm yyyy"
        for c in table_data_cells(filled[contract.FOTO_SHEET], contract.FOTO, "Tanggal")
    )


def test_inputs_land_in_their_named_cells_and_table_rows(filled, filled_inputs):
    for name, value in filled_inputs.values.items():
        got = name_cell(filled, name).value
        if isinstance(value, dt.date):
            got = got.date()
        elif isinstance(value, dt.time):
            got = got if isinstance(got, dt.time) else got.time()
        assert got == value, name
    desa = table_data_cells(filled[contract.REFERENSI], contract.DESA, "Desa/Kelurahan")
    assert [c.value for c in desa[:15]] == [r["Desa/Kelurahan"] for r in filled_inputs.rows[contract.DESA]]
    delegasi = table_data_cells(filled[contract.DAFTAR_HADIR_SHEET], contract.DAFTAR_HADIR, "Delegasi")
    assert delegasi[1].value == " ya "  # kept as typed; the formulas and the validator trim it


# ---------------------------------------------------------------- input cells and protection
def test_every_input_cell_is_unlocked_and_explains_what_to_type(wb):
    for n in input_names():
        cell = name_cell(wb, n.name)
        assert cell.protection.locked is False, n.name
        (dv,) = validations_at(wb[n.sheet], cell.coordinate)
        assert dv.showInputMessage and dv.prompt == n.prompt and dv.promptTitle, n.name
    for t, c in input_table_columns():
        ws = wb[t.sheet]
        data = table_data_cells(ws, t.name, c.header)
        assert all(cell.protection.locked is False for cell in data), (t.name, c.header)
        for cell in (data[0], data[-1]):
            (dv,) = validations_at(ws, cell.coordinate)
            assert dv.prompt == c.prompt and dv.promptTitle, (t.name, c.header)


def test_restricted_inputs_refuse_wrong_values_with_an_indonesian_message(wb):
    for n in input_names():
        cell = name_cell(wb, n.name)
        (dv,) = validations_at(wb[n.sheet], cell.coordinate)
        if n.type in ("int", "number", "date", "time", "yesno", "choice"):
            assert dv.showErrorMessage and dv.error and dv.errorTitle == "Isian tidak sesuai", n.name
        if n.type == "int":
            assert dv.type == "whole"
        if n.type == "date":
            assert dv.type == "date"
        if n.type == "time":
            assert dv.type == "time"


def test_village_dropdown_reads_the_village_table_through_its_name(wb):
    ws = wb[contract.DAFTAR_HADIR_SHEET]
    first = table_data_cells(ws, contract.DAFTAR_HADIR, "Desa/Kelurahan")[0]
    (dv,) = validations_at(ws, first.coordinate)
    assert dv.type == "list" and dv.formula1 == SOP.lists["desa"].defined_name
    delegasi = table_data_cells(ws, contract.DAFTAR_HADIR, "Delegasi")[0]
    (dv,) = validations_at(ws, delegasi.coordinate)
    assert dv.formula1 == '"' + ",".join(SOP.list_values("ya_tidak")) + '"'


def test_everything_but_input_cells_is_locked(wb):
    allowed: set[tuple[str, str]] = set()
    for n in input_names():
        cell = name_cell(wb, n.name)
        merged = [m for m in wb[n.sheet].merged_cells.ranges if cell.coordinate in m]
        coords = [c for m in merged for row in wb[n.sheet][m.coord] for c in (x.coordinate for x in row)]
        allowed |= {(n.sheet, c) for c in coords or [cell.coordinate]}
    for t, c in input_table_columns():
        allowed |= {(t.sheet, x.coordinate) for x in table_data_cells(wb[t.sheet], t.name, c.header)}
    unlocked = {
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.protection.locked is False
    }
    assert unlocked == allowed


def test_formula_cells_are_locked(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.protection.locked, (ws.title, cell.coordinate)


def test_ledger_and_results_sheets_are_fully_locked(wb):
    for sheet in (contract.PERSETUJUAN_SHEET, contract.HASIL_SHEET):
        ws = wb[sheet]
        assert ws.protection.sheet
        assert all(c.protection.locked for row in ws.iter_rows() for c in row)
        assert ws.data_validations.dataValidation == []


def test_every_sheet_is_protected_without_password_and_the_structure_is_locked(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
        assert ws.protection.formatRows is False and ws.protection.formatColumns is False, ws.title
        # Staff insert photos on 1c Foto: objects stay editable there only.
        assert ws.protection.objects is (ws.title != contract.FOTO_SHEET), ws.title
    assert wb.security.lockStructure


def test_empty_required_inputs_are_marked_red(wb):
    for sheet in {n.sheet for n in SOP.names}:
        ws = wb[sheet]
        marked = {c for cf in ws.conditional_formatting for rng in cf.sqref.ranges for c in _coords(rng.coord)}
        for n in SOP.names_on(sheet):
            if n.is_input and n.required:
                assert name_cell(wb, n.name).coordinate in marked, n.name
    ws = wb[contract.DAFTAR_HADIR_SHEET]
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    desa = table_data_cells(ws, contract.DAFTAR_HADIR, "Desa/Kelurahan")
    (formula,) = rules[f"{desa[0].coordinate}:{desa[-1].coordinate}"]
    assert '="Ya"' in formula  # required when Delegasi = Ya


def _coords(ref):
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return {cells.a1(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}


# ---------------------------------------------------------------- Excel repair triggers (D9)
def test_nothing_excel_would_repair(workbook_path, wb):
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 225
            assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32
            if dv.type == "list" and dv.formula1.startswith('"'):
                assert len(dv.formula1) <= 255
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert not NEWER_FUNCTIONS.search(cell.value), (ws.title, cell.coordinate)
                    assert "[@" not in cell.value and "[#This Row]" not in cell.value.replace("[[#This Row]", "")
    with zipfile.ZipFile(workbook_path) as z:
        for part in (n for n in z.namelist() if n.startswith("xl/tables/")):
            xml = z.read(part).decode()
            assert 'headerRowCount="0"' not in xml


# ---------------------------------------------------------------- pictures, chart, print, guide
def test_pictures_sit_in_the_gambar_column_of_their_rows(filled, filled_inputs):
    ws = filled[contract.FOTO_SHEET]
    table = ws.tables[contract.FOTO]
    min_col, min_row, max_col, _ = range_boundaries(table.ref)
    assert ws.cell(min_row, max_col + 1).value == "Gambar"
    anchors = sorted((img.anchor._from.row + 1, img.anchor._from.col + 1) for img in ws._images)
    assert anchors == [(min_row + 1 + p.row_index, max_col + 1) for p in filled_inputs.pictures]
    row_height_px = ws.row_dimensions[min_row + 1].height * 4 / 3
    assert all(0 < img.anchor.ext.height / 9525 <= row_height_px for img in ws._images)  # EMU per pixel


def test_chart_shows_the_villages_given(tmp_path, filled_inputs):
    path = save_workbook(tmp_path / "grafik.xlsx", filled_inputs, created_at=CREATED)
    wb = openpyxl.load_workbook(path)
    rekap = range_boundaries(wb[contract.ANALISA_SHEET].tables[contract.REKAP_DESA].ref)
    last_village_row = rekap[1] + len(filled_inputs.rows[contract.DESA])
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1
    refs = re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", charts[0])
    assert re.search(r"<(c:)?barChart>", charts[0]) and re.search(r"<(c:)?lineChart>", charts[0])
    ranges = [ref for ref in refs if ":" in ref]  # series values and categories; titles are one cell
    assert ranges and all(ref.endswith(f"${last_village_row}") for ref in ranges)


def test_every_visible_sheet_prints_on_a4_one_page_wide_with_kecamatan_and_year(filled):
    for ws in filled.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "Sukamaju" in ws.oddHeader.center.text and "2026" in ws.oddHeader.center.text
        assert ws.oddFooter.center.text == "Halaman &P dari &N"


def test_guide_draws_every_step_in_its_lanes_and_totals_the_time(wb):
    ws = wb[contract.PETUNJUK]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "( Mulai )" in "".join(texts) and "( Selesai )" in "".join(texts)
    decision = next(s for s in SOP.steps if s.decision)
    assert any(decision.decision.question in t and "◆" in t for t in texts)
    assert any("ke langkah" in t and decision.decision.no in t for t in texts)
    for role in SOP.roles:
        assert role.lane in texts
    assert "170 menit (2 jam 50 menit)" in texts
    assert any("kinerja validate" in t for t in texts)


def test_step_sheets_open_with_their_sop_row(wb):
    for sheet in SOP.sheets:
        if sheet.kind != "step":
            continue
        ws = wb[sheet.name]
        step = SOP.step(sheet.step)
        values = [c.value for row in ws.iter_rows(max_row=10, max_col=2) for c in row]
        assert str(step.no) in ws["A1"].value and step.short in ws["A1"].value
        for expected in (step.activity, SOP.performer_label(step), step.inputs, step.time, step.output):
            assert expected in values, (sheet.name, expected)
        line = name_cell(wb, contract.signature_line_name(sheet.name))  # written by the ledger, not a formula
        assert (line.parent.title, ws.cell(line.row, 1).value) == (sheet.name, "Tanda tangan")
        assert line.value == "Belum ditandatangani"


def test_new_workbook_needs_no_option(tmp_path):
    inputs = new_inputs()
    for key, value in SOP.defaults.items():
        assert inputs.values[key] == value
    assert inputs.values["ref_tahun"] == dt.date.today().year
    assert [r["Predikat"] for r in inputs.rows[contract.PREDIKAT]] == [b.label for b in SOP.predikat]
    assert [r["Peran"] for r in inputs.rows[contract.PEJABAT]] == [r.peran for r in SOP.roles]
