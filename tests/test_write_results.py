"""`kinerja validate --write`: findings land in Hasil Validasi with links to their cells,
offending cells are marked and unmarked again, and everything else in the file is kept
exactly as it was (D3), with the previous version kept beside it (D4)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl
from kinerja.validators.engine import validate_file
from lxml import etree
from planting import Planter

from kinerja.cli import main
from kinerja.core import contract, paper

X14_VALIDATION = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Referensi!$A$1:$A$3</xm:f></x14:formula1>'
    b"<xm:sqref>Z1</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member of a sheet, found the way any reader would: workbook rels."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def name_value(wb, name: str):
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")].value


def results_rows(path: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    ws = wb[contract.HASIL_SHEET]
    table = ws.tables[contract.HASIL_VALIDASI]
    rows = [tuple(c.value for c in row) for row in ws[table.ref]][1:]
    return [r for r in rows if any(v not in (None, "") for v in r)]


def test_findings_are_written_with_a_link_to_each_cell(book):
    book.set_name("ba_tempat", None)
    path = book.save()
    assert main(["validate", str(path), "--write"]) == 1
    findings = validate_file(path).findings
    rows = results_rows(path)
    assert len(rows) == len(findings)
    # the same order as the terminal and the JSON: workbook order, not Galat first
    assert [(r[2], r[3], r[4]) for r in rows] == [(f.code, f.sheet, f.cell) for f in findings]
    assert ("ISIAN_KOSONG", "1b Berita Acara") in {(r[2], r[3]) for r in rows}
    ws = openpyxl.load_workbook(path)[contract.HASIL_SHEET]
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    cell = book.name_cell("ba_tempat").coordinate
    assert links[cell] == f"'1b Berita Acara'!{cell}"


def test_the_summary_cell_says_when_and_what(book):
    path = book.save()
    main(["validate", str(path), "--write"])
    wb = openpyxl.load_workbook(path)
    sheet, ref = next(iter(wb.defined_names[contract.HASIL_RINGKASAN].destinations))
    summary = wb[sheet][ref.replace("$", "")].value
    assert summary.startswith("Divalidasi ") and "0 Galat, 0 Peringatan, 1 Info" in summary
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4} \d\d\.\d\d (WIB|WITA|WIT)", summary)  # pukul 10.15 WIB
    assert name_value(wb, contract.STATUS_VALIDASI) == summary  # Petunjuk shows it too, as a value


def test_parts_the_command_does_not_own_are_kept_byte_for_byte(book):
    book.set_name("ba_tempat", None)
    path = book.save()
    before = members(path)
    main(["validate", str(path), "--write"])
    after = members(path)
    assert list(before) == list(after)
    marked = {f.sheet for f in validate_file(path).findings}  # every finding marks its cell, Info too
    owned = {sheet_part(path, s) for s in (contract.HASIL_SHEET, contract.META_SHEET, contract.PETUNJUK, *marked)}
    assert contract.BERITA_ACARA_SHEET in marked
    owned |= {"xl/styles.xml", "xl/workbook.xml"}
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= owned
    assert without_print_areas(before["xl/workbook.xml"]) == without_print_areas(after["xl/workbook.xml"])
    assert {n for n in before if n.startswith("xl/media/")} and all(
        before[n] == after[n] for n in before if n.startswith(("xl/media/", "xl/charts/", "xl/drawings/"))
    )


def without_print_areas(workbook_xml: bytes) -> bytes:
    """workbook.xml as c14n, less the print areas (the one thing of it the write owns,
    since a sheet prints down to its last filled row)."""
    root = etree.fromstring(workbook_xml)
    for el in root.iterfind("{*}definedNames/{*}definedName"):
        if el.get("name") == "_xlnm.Print_Area":
            el.getparent().remove(el)
    return etree.tostring(root, method="c14n")


def test_what_excel_added_to_a_marked_sheet_survives(book):
    """An x14 data validation (which openpyxl would drop) on a sheet whose cell is marked."""
    book.set_name("ba_tempat", None)
    path = book.save()
    part = sheet_part(path, contract.BERITA_ACARA_SHEET)
    data = members(path)
    data[part] = data[part].replace(b"</worksheet>", X14_VALIDATION + b"</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    main(["validate", str(path), "--write"])
    written = etree.fromstring(members(path)[part])
    assert written.find("{*}sheetData") is not None
    kept = written.find("{*}extLst/{*}ext/{*}dataValidations")
    planted = etree.fromstring(X14_VALIDATION).find("{*}ext/{*}dataValidations")
    assert etree.tostring(kept, method="c14n", exclusive=True) == etree.tostring(planted, method="c14n", exclusive=True)


def test_an_offending_cell_is_marked_and_unmarked_once_fixed(book):
    cell = book.name_cell("ba_tempat")
    original_look = look(cell)
    book.set_name("ba_tempat", None)
    path = book.save()
    main(["validate", str(path), "--write"])
    marked = openpyxl.load_workbook(path)["1b Berita Acara"][cell.coordinate]
    assert marked.fill.fgColor.rgb == "FF" + paper.LEVEL_RGB["Galat"]  # a Galat's red, not the required pink
    styles_after_first = members(path)["xl/styles.xml"]

    main(["validate", str(path), "--write"])  # again: the same marks, no new style records
    assert members(path)["xl/styles.xml"] == styles_after_first

    fixed = Planter(path)  # openpyxl re-saves: shared strings, styles renumbered
    fixed.set_name("ba_tempat", "Aula Kantor Kecamatan")
    fixed.save()
    main(["validate", str(path), "--write"])
    wb = openpyxl.load_workbook(path)
    assert look(wb["1b Berita Acara"][cell.coordinate]) == original_look
    assert [r[0].value for r in wb[contract.META_SHEET].iter_rows()].count(contract.META_MARKED_CELLS) == 1


def look(cell) -> tuple:
    """What a user sees of a cell's style, whatever its style number (colours without
    their alpha byte, which LibreOffice rewrites)."""
    sides = tuple(
        (s.style, (s.color.rgb or "")[-6:] if s.color else "")
        for s in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
    )
    return (
        cell.number_format,
        cell.fill.fill_type,
        (cell.fill.fgColor.rgb or "")[-6:],
        sides,
        cell.font.b,
        cell.protection.locked,
        cell.alignment.wrap_text,
    )


def test_the_previous_version_is_kept_as_bak(book):
    path = book.save()
    before = path.read_bytes()
    main(["validate", str(path), "--write"])
    assert (path.parent / "book.bak.xlsx").read_bytes() == before


def test_a_file_open_in_excel_is_left_alone_with_a_clear_message(book, monkeypatch, capsys):
    path = book.save()
    before = path.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(os, "replace", locked)
    assert main(["validate", str(path), "--write"]) == 2
    assert "Tutup berkas ini di Excel" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_more_findings_than_rows_ends_with_how_many_more(book):
    rows = book.data_rows(contract.DAFTAR_HADIR)
    for row_no in range(1, rows + 1):
        book.set(contract.DAFTAR_HADIR, "Nama", row_no, "Orang")  # 500 rows: Unsur, L/P, Delegasi missing
    path = book.save()
    main(["validate", str(path), "--write"])
    capacity = Planter(path).data_rows(contract.HASIL_VALIDASI)
    written = results_rows(path)
    findings = validate_file(path).findings
    assert len(written) == capacity
    assert [(r[2], r[4]) for r in written[:-1]] == [(f.code, f.cell) for f in findings[: capacity - 1]]
    no, level, code = written[-1][:3]
    hidden = findings[capacity - 1 :]
    assert (no, code) == (capacity, "HASIL_TERPOTONG")
    assert level == "Galat" and any(f.level.value == "Galat" for f in hidden)  # found by a filter on Galat


def test_english_messages_keep_the_contract_level_words(book):
    book.set_name("ba_tempat", None)
    path = book.save()
    main(["validate", str(path), "--write", "--lang", "en"])
    (row,) = [r for r in results_rows(path) if r[2] == "ISIAN_KOSONG"]
    assert row[1] == "Galat"
    assert row[5].endswith("is empty.")


def test_a_written_workbook_keeps_its_permissions(book):
    path = book.save()
    path.chmod(0o644)
    main(["validate", str(path), "--write"])
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_folder_that_refuses_new_files_is_a_clear_error(book, monkeypatch, capsys):
    import tempfile

    path = book.save()
    before = path.read_bytes()

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert main(["validate", str(path), "--write", "--json"]) == 2
    import json

    assert json.loads(capsys.readouterr().out)["error"]["code"] == "BERKAS_GAGAL_TULIS"
    assert path.read_bytes() == before


def test_write_puts_back_sheet_protection_someone_removed(book):
    book.wb["2 Penyampaian"].protection.sheet = False
    path = book.save()
    assert "TATA_LETAK_PROTEKSI_HILANG" in {f.code for f in validate_file(path).findings}
    main(["validate", str(path), "--write"])
    assert "TATA_LETAK_PROTEKSI_HILANG" not in {f.code for f in validate_file(path).findings}
    assert openpyxl.load_workbook(path)["2 Penyampaian"].protection.sheet
