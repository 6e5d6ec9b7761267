"""The workbook on paper and on screen, read from the file (no LibreOffice needed): the
SOP's identity block, print areas that end at the last filled row and follow every write
of the tool, rows as tall as their text, the chart over exactly the villages listed, marks
by level, and `kinerja cetak` without LibreOffice."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from kinerja.templates.builder import new_inputs, save_workbook
from lxml import etree

from kinerja.cli import main
from kinerja.core import contract, paper
from kinerja.core.cells import parse_range
from kinerja.xlsx import paper as upkeep
from kinerja.xlsx.edit import EditSession

SOP = contract.definition()
ROOT = Path(__file__).resolve().parents[1]
IDENTITY = [n for n in SOP.names if n.name.startswith("sop_")] + [SOP.name("ref_alamat")]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    return save_workbook(tmp_path_factory.mktemp("baru") / "baru.xlsx", new_inputs())


@pytest.fixture(scope="module")
def demo_final(tmp_path_factory) -> Path:
    """The demo carried through the whole SOP (seven sign-offs, every write the tool does)."""
    from kinerja import services

    return services.build_demo(tmp_path_factory.mktemp("demo")).path


def print_areas(path: Path) -> dict[str, tuple[int, int, int, int]]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.print_area:
            ref = ws.print_area.split("!")[-1].replace("$", "")
            out[ws.title] = parse_range(ref)
    return out


def filled_rows(path: Path, table: str) -> int:
    """Data rows in use, up to the last with a value in an input column (any column of a
    tool table), counted by openpyxl: an outsider's count."""
    spec = SOP.table(table)
    wb = openpyxl.load_workbook(path)
    ws = wb[spec.sheet]
    t = ws.tables[table]
    c1, r1, c2, r2 = openpyxl.utils.range_boundaries(t.ref)
    headers = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]
    wanted = [c.header for c in spec.input_columns] if spec.kind == "input" else headers
    last = 0
    for i, r in enumerate(range(r1 + 1, r2 + 1), start=1):
        if any(ws.cell(r, c1 + headers.index(h)).value not in (None, "") for h in wanted):
            last = i
    return last


def chart_ranges(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        (chart,) = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = z.read(chart).decode()
    return [ref for ref in re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml) if ":" in ref]


# ---------------------------------------------------------------- the SOP as the official document
def test_identity_block_names_are_contract_names_on_referensi_with_defaults():
    contract_doc = (ROOT / "docs" / "workbook-contract.md").read_text("utf-8")
    for name in IDENTITY:
        assert name.sheet == contract.REFERENSI, name.name
        assert name.is_input and name.required is False, name.name
        assert f"`{name.name}`" in contract_doc, name.name
        if name.type == "text" and name.name != "sop_disahkan_nama":
            assert SOP.defaults.get(name.name), f"{name.name} has no default in [defaults]"
    labels = {n.name: n.label for n in IDENTITY}
    for box in ("Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan", "Peralatan/Perlengkapan", "Peringatan"):
        assert box in labels.values()
    assert {"Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Nama SOP"} <= set(labels.values())


def test_petunjuk_opens_with_the_identity_block_drawn_from_referensi(fresh):
    ws = openpyxl.load_workbook(fresh)[contract.PETUNJUK]
    first_rows = [c for row in ws.iter_rows(max_row=20) for c in row if c.value is not None]
    formulas = " ".join(str(c.value) for c in first_rows if str(c.value).startswith("="))
    for name in IDENTITY:
        if name.name != "sop_disahkan_nip":
            assert re.search(rf"\b{name.name}\b", formulas), name.name
    texts = [str(c.value) for c in first_rows]
    assert "Disahkan oleh" in texts and "Dasar Hukum:" in texts and "Pencatatan dan Pendataan:" in texts
    assert "tblPejabat[Nama]" in formulas  # no name typed for the signer: the Camat listed in tblPejabat
    assert ws.row_breaks.brk, "the identity block is a page of its own"


# ---------------------------------------------------------------- print set-up
def test_every_sheet_prints_on_a4_in_its_own_orientation_with_repeating_headers(fresh):
    wb = openpyxl.load_workbook(fresh)
    for sheet in SOP.sheets:
        if sheet.kind == "meta":
            continue
        ws = wb[sheet.name]
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), sheet.name
        assert ws.page_setup.orientation == sheet.orientation, sheet.name
        tables = SOP.tables_on(sheet.name)
        if tables:
            header = openpyxl.utils.range_boundaries(ws.tables[tables[0].name].ref)[1]
            assert ws.print_title_rows.replace("$", "") == f"{header}:{header}", sheet.name


@pytest.mark.parametrize("which", ["fresh", "demo_final"])
def test_print_areas_end_at_the_last_filled_row(request, which):
    path = request.getfixturevalue(which)
    areas = print_areas(path)
    wb = openpyxl.load_workbook(path)
    for sheet in SOP.sheets:
        if sheet.kind == "meta":
            continue
        assert sheet.name in areas, sheet.name
        tables = [t for t in SOP.tables_on(sheet.name)]
        if not tables:
            continue
        ends = []
        for t in tables:
            c1, r1, c2, r2 = openpyxl.utils.range_boundaries(wb[sheet.name].tables[t.name].ref)
            used = filled_rows(path, t.rows_from or t.name) or t.paper_rows or 1
            ends.append(r1 + used)
        last_row = areas[sheet.name][2]
        assert last_row == max(ends + _drawing_bottoms(wb[sheet.name])), sheet.name


def _drawing_bottoms(ws) -> list[int]:
    """The last row each picture and chart covers, from its anchor and size."""
    out = []
    for drawing in [*ws._images, *ws._charts]:
        anchor = drawing.anchor
        row, left = anchor._from.row + 1, anchor.ext.height + anchor._from.rowOff
        while True:
            left -= (ws.row_dimensions[row].height or paper.LINE_HEIGHT) * 12700
            if left <= 0:
                break
            row += 1
        out.append(row)
    return out


def test_a_fresh_workbook_is_already_as_every_write_keeps_it(fresh, tmp_path):
    """The builder (openpyxl) and the edit session's upkeep agree: nothing to change."""
    copy = tmp_path / "baru.xlsx"
    shutil.copyfile(fresh, copy)
    with EditSession.open(copy) as session:
        upkeep.keep(session)
        assert session.edits() == {}


def test_validate_write_grows_and_shrinks_the_results_print_area_with_its_rows(book):
    for name in ("ba_tempat", "ba_nomor", "ba_pimpinan_sidang"):
        book.set_name(name, None)
    path = book.save()
    main(["validate", str(path), "--write"])
    written = filled_rows(path, contract.HASIL_VALIDASI)
    header = openpyxl.utils.range_boundaries(
        openpyxl.load_workbook(path)[contract.HASIL_SHEET].tables[contract.HASIL_VALIDASI].ref
    )[1]
    assert written >= 3 and print_areas(path)[contract.HASIL_SHEET][2] == header + written
    with EditSession.open(path) as session:  # fixed as a user types in Excel (cells only)
        for name, value in (("ba_tempat", "Aula"), ("ba_nomor", "050/1/BA/2026"), ("ba_pimpinan_sidang", "Drs. A")):
            cell = session.model.names[name]
            session.sheet(cell.sheet).set_value(cell.ref, value)
        session.commit()
    main(["validate", str(path), "--write"])
    assert print_areas(path)[contract.HASIL_SHEET][2] == header + filled_rows(path, contract.HASIL_VALIDASI)
    assert filled_rows(path, contract.HASIL_VALIDASI) < written


def test_every_written_text_row_is_as_tall_as_its_text(demo_final):
    """In the demo as the tool left it: every wrapped cell with text has a row tall enough
    for its lines at the column's width (merged cells: their whole width)."""
    wb = openpyxl.load_workbook(demo_final)
    short = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        inside = {(r, c) for m in ws.merged_cells.ranges for r, c in m.cells} - set(merged)
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or cell.value.startswith("=") or not cell.alignment.wrap_text:
                    continue
                if (cell.row, cell.column) in inside:
                    continue
                m = merged.get((cell.row, cell.column))
                if m is not None and m.max_row > m.min_row:
                    continue
                cols = range(cell.column, (m.max_col if m else cell.column) + 1)
                width = sum(_width(ws, c) for c in cols)
                if width == 0:
                    continue
                height = ws.row_dimensions[cell.row].height or paper.LINE_HEIGHT
                line = paper.LINE_HEIGHT * (cell.font.sz or 11) / 11
                if height + 0.5 < paper.lines_needed(cell.value, width) * line:
                    short.append((ws.title, cell.coordinate, height, cell.value[:40]))
    assert short == []


def _width(ws, col: int) -> float:
    dim = ws.column_dimensions[openpyxl.utils.get_column_letter(col)]
    return 0 if dim.hidden else (dim.width or 8.43)


# ---------------------------------------------------------------- totals on paper, the sign-in column
def test_village_tables_show_their_total_above_the_header_and_nothing_below(demo_final):
    wb = openpyxl.load_workbook(demo_final)
    for name in (contract.DESA, contract.REKAP_DESA):
        spec = SOP.table(name)
        ws = wb[spec.sheet]
        c1, r1, c2, r2 = openpyxl.utils.range_boundaries(ws.tables[name].ref)
        total = ws.cell(r1 - 1, c1).value
        assert total.startswith('="Jumlah: "&COUNTIF(' + name), name
        for header in spec.totals.sum:
            assert ws.cell(r1 - 1, c1 + spec.headers.index(header)).value == f"=SUM({name}[{header}])"
        assert all(ws.cell(r, c).value is None for r in range(r2 + 1, r2 + 5) for c in range(c1, c2 + 1))


def test_the_attendance_list_prints_a_signature_column_and_blank_rows_when_empty(fresh):
    ws = openpyxl.load_workbook(fresh)[contract.DAFTAR_HADIR_SHEET]
    c1, r1, c2, r2 = openpyxl.utils.range_boundaries(ws.tables[contract.DAFTAR_HADIR].ref)
    assert ws.cell(r1, c2 + 1).value == "Tanda Tangan"
    spec = SOP.table(contract.DAFTAR_HADIR)
    assert print_areas(fresh)[contract.DAFTAR_HADIR_SHEET][2:] == (r1 + spec.paper_rows, c2 + 1)
    assert all(ws.row_dimensions[r].height == spec.row_height for r in range(r1 + 1, r1 + spec.paper_rows + 1))


# ---------------------------------------------------------------- the chart
def test_the_chart_covers_exactly_the_villages_listed_and_counts_whole_persons(demo_final):
    wb = openpyxl.load_workbook(demo_final)
    ws = wb[contract.ANALISA_SHEET]
    rekap_header = openpyxl.utils.range_boundaries(ws.tables[contract.REKAP_DESA].ref)[1]
    villages = filled_rows(demo_final, contract.DESA)
    ranges = chart_ranges(demo_final)
    assert len(ranges) == 6  # invited, present, target: each its values and the categories
    assert all(r.endswith(f"${rekap_header + villages}") for r in ranges), ranges
    with zipfile.ZipFile(demo_final) as z:
        chart = etree.fromstring(z.read(next(n for n in z.namelist() if n.startswith("xl/charts/chart"))))
    assert [e.get("val") for e in chart.iter("{*}smooth")] and all(e.get("val") == "0" for e in chart.iter("{*}smooth"))
    (value_axis,) = list(chart.iter("{*}valAx"))
    assert value_axis.find("{*}numFmt").get("formatCode") == "0"
    assert float(value_axis.find("{*}majorUnit").get("val")).is_integer()


def test_a_village_added_later_joins_the_chart_at_the_next_write(demo_workbook, tmp_path):
    path = tmp_path / "desa.xlsx"
    shutil.copyfile(demo_workbook, path)
    before = filled_rows(path, contract.DESA)
    with EditSession.open(path) as session:  # typed into tblDesa as in Excel: cells only
        table = session.model.tables[contract.DESA]
        row = table.rows[before].row
        xml = session.sheet(table.sheet)
        xml.set_value(table.cell("Desa/Kelurahan", row), "Desa Baru")
        xml.set_value(table.cell("Jenis", row), "Desa")
        xml.set_value(table.cell("Delegasi Diundang", row), 40)
        session.commit()
    main(["validate", str(path), "--write"])
    header = openpyxl.utils.range_boundaries(
        openpyxl.load_workbook(path)[contract.ANALISA_SHEET].tables[contract.REKAP_DESA].ref
    )[1]
    assert all(r.endswith(f"${header + before + 1}") for r in chart_ranges(path))
    with zipfile.ZipFile(path) as z:
        chart = z.read(next(n for n in z.namelist() if n.startswith("xl/charts/chart"))).decode()
    assert re.search(r'majorUnit val="5"', chart)  # 40 invited: steps of 5, whole persons


# ---------------------------------------------------------------- marks by level
def test_marks_differ_by_level_and_from_the_required_pink(book):
    book.set_name("ba_tempat", None)  # Galat: required and empty
    book.set("tblDaftarHadir", "Delegasi", 2, " ya ")  # Info: accepted as Ya
    path = book.save()
    main(["validate", str(path), "--write", "--json"])
    from kinerja.validators.engine import validate_file

    findings = validate_file(path).findings
    wb = openpyxl.load_workbook(path)
    seen = {}
    for f in findings:
        if f.sheet in (contract.PETUNJUK, contract.PERSETUJUAN_SHEET, contract.HASIL_SHEET):
            continue
        seen.setdefault(f.level.value, wb[f.sheet][f.cell].fill.fgColor.rgb)
    assert {"Galat", "Info"} <= set(seen)
    colours = {level: rgb[-6:] for level, rgb in seen.items()}
    assert colours["Galat"] == paper.LEVEL_RGB["Galat"] and colours["Info"] == paper.LEVEL_RGB["Info"]
    assert len(set(paper.LEVEL_RGB.values()) | {paper.REQUIRED_RGB, paper.INPUT_RGB}) == 5
    hasil = wb[contract.HASIL_SHEET]
    rules = [r for cf in hasil.conditional_formatting for r in cf.rules]
    assert {r.formula[0].split("=")[-1].strip('"') for r in rules} == set(paper.LEVEL_RGB)


def test_petunjuk_has_a_legend_of_every_colour(fresh):
    ws = openpyxl.load_workbook(fresh)[contract.PETUNJUK]
    fills = {c.fill.fgColor.rgb[-6:] for row in ws.iter_rows() for c in row if c.fill and c.fill.fill_type == "solid"}
    assert {*paper.LEVEL_RGB.values(), paper.REQUIRED_RGB, paper.INPUT_RGB, paper.COMPUTED_RGB} <= fills
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value}
    assert {"Galat", "Peringatan", "Info", "Wajib diisi", "Isian"} <= texts


# ---------------------------------------------------------------- kinerja cetak without LibreOffice
def test_cetak_without_libreoffice_says_how_to_install_it(demo_workbook, monkeypatch, capsys):
    from kinerja import cetak

    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv(cetak.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(cetak, "KNOWN_PLACES", ())
    before = demo_workbook.read_bytes()
    assert main(["cetak", str(demo_workbook), "-o", str(demo_workbook.with_suffix(".pdf")), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "CETAK_TANPA_LIBREOFFICE"
    assert "apt-get install libreoffice" in error["fix"] and "libreoffice.org" in error["fix"]
    assert demo_workbook.read_bytes() == before and not demo_workbook.with_suffix(".pdf").exists()


def test_cetak_refuses_an_output_that_is_not_a_pdf(demo_workbook, capsys):
    assert main(["cetak", str(demo_workbook), "-o", "bukti.docx", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "CETAK_BUKAN_PDF"


def test_a_workbook_made_before_the_identity_names_still_validates_and_writes(demo_workbook, tmp_path):
    """Adding names is an extension within contract v1: an older workbook lacks them."""
    path = tmp_path / "lama.xlsx"
    with zipfile.ZipFile(demo_workbook) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                for name in IDENTITY:
                    data = re.sub(
                        rb'<definedName name="' + name.name.encode() + rb'"[^>]*>[^<]*</definedName>', b"", data
                    )
            zout.writestr(info, data)
    assert b"sop_nomor" not in zipfile.ZipFile(path).read("xl/workbook.xml")
    from kinerja.validators.engine import validate_file

    assert not [f for f in validate_file(path).findings if f.code.startswith("STRUKTUR")]
    assert main(["validate", str(path), "--write"]) == 0


def test_kinerja_new_takes_the_offices_logo_for_the_kop(tmp_path, capsys):
    from kinerja.templates.demo import _logo_bytes

    logo = tmp_path / "logo.png"
    logo.write_bytes(_logo_bytes())
    assert main(["new", "-o", str(tmp_path / "baru.xlsx"), "--logo", str(logo)]) == 0
    ws = openpyxl.load_workbook(tmp_path / "baru.xlsx")[contract.PETUNJUK]
    (image,) = ws._images
    assert image.anchor._from.row == 0 and image.anchor._from.col <= 1  # in the kop, top left of the page
    capsys.readouterr()
    (tmp_path / "bukan.png").write_text("bukan gambar")
    assert main(["new", "-o", str(tmp_path / "lain.xlsx"), "--logo", str(tmp_path / "bukan.png"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "LOGO_BERKAS"
    assert not (tmp_path / "lain.xlsx").exists()


@pytest.mark.parametrize("which", ["fresh", "demo_final"])
def test_no_merged_cells_overlap_each_other_or_a_table(request, which):
    """Overlapping merges, or a merge across a table, are an Excel repair trigger (D9)
    LibreOffice forgives: the SOP page's drawing must not need one."""
    wb = openpyxl.load_workbook(request.getfixturevalue(which))
    for ws in wb.worksheets:
        seen: dict[tuple[int, int], str] = {}
        tables = [openpyxl.utils.range_boundaries(t.ref) for t in ws.tables.values()]
        for m in ws.merged_cells.ranges:
            for cell in m.cells:
                assert cell not in seen, (ws.title, str(m), seen.get(cell))
                seen[cell] = str(m)
                for c1, r1, c2, r2 in tables:
                    assert not (r1 <= cell[0] <= r2 and c1 <= cell[1] <= c2), (ws.title, str(m))
