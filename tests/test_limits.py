"""Each limit on untrusted input (D29) at its edge, with small limits: just under passes,
just over is refused with its own code, before the work it bounds is done."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import replace

import pytest
from hostile import CSV_1252, CSV_ROWS, EXCEL_365_ERRORS
from paths import CORPUS
from python_calamine import CalamineWorkbook

from kinerja.core.findings import KinerjaError
from kinerja.core.images import inspect_picture
from kinerja.core.limits import LIMITS
from kinerja.xlsx.guard import GuardedZip, check_xml
from kinerja.xlsx.package import Package
from kinerja.xlsx.sheetscan import scan_sheet
from kinerja.xlsx.sniff import open_package

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def refused(call) -> KinerjaError:
    with pytest.raises(KinerjaError) as caught:
        call()
    return caught.value


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def sheet(cells: str) -> bytes:
    return f'<?xml version="1.0"?><worksheet {MAIN}><sheetData>{cells}</sheetData></worksheet>'.encode()


# ---------------------------------------------------------------------- the zip
def test_a_zip_is_checked_from_its_directory_before_anything_is_inflated():
    small = replace(LIMITS, zip_members=3, member_bytes=1000, total_bytes=2000, ratio=10, ratio_from_bytes=500)
    GuardedZip(
        zip_of({"a": bytes(range(250)) * 4, "b": bytes(range(250)) * 4}, zipfile.ZIP_STORED), small
    )  # on the edge
    assert refused(lambda: GuardedZip(zip_of({f"m{i}": b"" for i in range(4)}), small)).code == "BERKAS_BATAS_BAGIAN"
    over = zip_of({"big": b"x" * 1001}, zipfile.ZIP_STORED)
    assert refused(lambda: GuardedZip(over, small)).code == "BERKAS_BATAS_BAGIAN_BESAR"
    bomb = zip_of({"zeros": bytes(900)})
    assert refused(lambda: GuardedZip(bomb, small)).code == "BERKAS_BATAS_RASIO"
    total = zip_of({n: bytes(range(256)) * 3 for n in "abc"}, zipfile.ZIP_STORED)
    assert refused(lambda: GuardedZip(total, small)).code == "BERKAS_BATAS_TOTAL"


def test_a_directory_that_understates_a_part_is_damage_not_a_bigger_read():
    zf = zip_of({"xl/worksheets/sheet1.xml": b"<a/>" * 10_000})
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    info.file_size = 100  # what a forged directory says
    error = refused(lambda: GuardedZip(zf).read("xl/worksheets/sheet1.xml"))
    assert (error.code, error.reason) == ("BERKAS_RUSAK", "RUSAK_KOMPRESI")


def test_parts_inflated_together_stay_within_the_total_while_reading():
    zf = zip_of({"a": bytes(range(256)) * 4, "b": bytes(range(256)) * 4}, zipfile.ZIP_STORED)
    guard = GuardedZip(zf, replace(LIMITS, total_bytes=10_000))
    guard.limits = replace(LIMITS, total_bytes=1500)  # as if the directory had understated the total
    guard.read("a")
    assert refused(lambda: guard.read("b")).code == "BERKAS_BATAS_TOTAL"


# ---------------------------------------------------------------------- XML
@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]>',
        b'<!DOCTYPE a SYSTEM "file:///etc/passwd">',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a>'.encode("utf-16"),
        b"junk before the root<!DOCTYPE a>",
    ],
)
def test_any_dtd_is_refused_whatever_its_encoding(prolog):
    data = prolog + (b"<a/>" if not prolog.startswith(b"\xff\xfe") else "<a/>".encode("utf-16-le"))
    assert refused(lambda: check_xml(data, "xl/sharedStrings.xml")).code == "BERKAS_XML_DTD"


def test_xml_without_a_dtd_passes_the_check_untouched():
    data = b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><!-- a comment --><a>&amp;</a>'
    assert check_xml(data, "p") is data


# ---------------------------------------------------------------------- a sheet's cells
def test_a_value_beyond_the_last_row_allowed_is_refused_naming_its_cell():
    small = replace(LIMITS, sheet_rows=10, sheet_cells=100)
    assert scan_sheet(sheet('<row r="10"><c r="J10"><v>1</v></c></row>'), "S", "p", small).last_row == 10
    error = refused(lambda: scan_sheet(sheet('<row r="11"><c r="A11"><v>1</v></c></row>'), "S", "p", small))
    assert (error.code, error.sheet, error.cell) == ("BERKAS_BATAS_SEL", "S", "A11")
    error = refused(lambda: scan_sheet(sheet('<row r="1"><c r="XFD1"><v>1</v></c></row>'), "S", "p", small))
    assert error.cell == "XFD1"


def test_cells_without_addresses_take_the_next_position_as_calamine_places_them():
    cells = '<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="C2"><v>3</v></c><c t="e"><v>#SPILL!</v></c></row>'
    cells += '<row r="5"><c/><c><v>5</v></c></row><row><c t="e"><v>#N/A</v></c></row>'
    scan = scan_sheet(sheet(cells), "S", "p")
    assert (scan.last_row, scan.last_col) == (6, 4)
    assert scan.errors == {(2, 4): "#SPILL!", (6, 1): "#N/A"}


def test_empty_styled_cells_far_away_are_not_values():
    scan = scan_sheet(
        sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="3"/></row>'), "S", "p"
    )
    assert (scan.last_row, scan.last_col) == (1, 1)


def test_a_cell_address_that_is_not_one_is_damage():
    error = refused(lambda: scan_sheet(sheet('<row r="1"><c r="1A"><v>1</v></c></row>'), "S", "p"))
    assert (error.code, error.reason) == ("BERKAS_RUSAK", "RUSAK_ISI")


def test_an_address_hidden_in_another_attribute_does_not_fool_the_scan():
    """A '>' or a fake r= inside an attribute value: the cell is still placed where calamine
    places it, so a far value is never missed."""
    cells = '<row r="1"><c foo=" r=&quot;A1&quot; >" r="XFD1048576"><v>1</v></c></row>'
    error = refused(lambda: scan_sheet(sheet(cells), "S", "p"))
    assert error.cell == "XFD1048576"


def test_every_excel_error_value_is_kept_and_calamine_gets_one_it_knows():
    cells = "".join(f'<c r="{chr(65 + i)}1" t="e"><v>{code}</v></c>' for i, code in enumerate(EXCEL_365_ERRORS))
    scan = scan_sheet(sheet(f'<row r="1">{cells}</row>'), "S", "p")
    assert sorted(scan.errors.values()) == sorted(EXCEL_365_ERRORS)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", scan.for_calamine)
    CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_name("S").to_python()  # no error


def test_the_scan_reaches_at_least_as_far_as_calamine_on_every_corpus_sheet():
    """An independent check of the extent: calamine's own grid over real files from
    other programs (Excel, LibreOffice, Google Sheets, Numbers, SpreadsheetGear …)."""
    checked = 0
    for path in sorted(CORPUS.glob("*.xls[xm]")):
        try:
            data = path.read_bytes()
            pkg = Package.open(zipfile.ZipFile(io.BytesIO(data)))
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception:
            continue  # not a readable package: other tests name why
        for part in pkg.sheets:
            if not part.path or not pkg.has(part.path):
                continue
            try:
                grid = book.get_sheet_by_name(part.name).to_python(skip_empty_area=False)
            except Exception:
                continue
            scan = scan_sheet(pkg.read(part.path), part.name, part.path)
            assert scan.last_row >= len(grid), (path.name, part.name)
            assert scan.last_col >= max((len(r) for r in grid), default=0), (path.name, part.name)
            checked += 1
    assert checked >= 30


_ROOT_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook {MAIN} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>'
).encode()
_WORKBOOK_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)


# ---------------------------------------------------------------------- what a file is
@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV_ROWS.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + CSV_ROWS.encode("utf-8"), "UTF-8"),
        (CSV_1252.encode("cp1252"), "Windows-1252"),
        (CSV_ROWS.encode("utf-16"), "UTF-16"),
    ],
)
def test_a_text_file_named_xlsx_is_told_apart_by_its_encoding(data, encoding):
    error = refused(lambda: open_package(data))
    assert (error.code, error.reason, error.params["encoding"]) == ("BERKAS_BUKAN_XLSX", "BUKAN_XLSX_TEKS", encoding)


def test_the_reason_is_rendered_from_the_catalogue_in_both_languages():
    error = KinerjaError("BERKAS_RUSAK", reason="RUSAK_TERPOTONG")
    for lang in ("id", "en"):
        message, fix = error.render(lang)
        from kinerja.core.findings import text

        reason_message, reason_fix = text("RUSAK_TERPOTONG").render({}, lang)
        assert reason_message in message and fix == reason_fix
    assert error.to_json()["reason"] == "RUSAK_TERPOTONG"


def test_an_error_code_or_reason_not_in_the_catalogue_fails_where_it_is_made():
    with pytest.raises(KeyError):
        KinerjaError("BERKAS_TIDAK_DIKENAL_SAMA_SEKALI")
    with pytest.raises(KeyError):
        KinerjaError("BERKAS_RUSAK", reason="BUKAN_XLSX_PDF")  # a reason of another error


# ---------------------------------------------------------------------- pictures
def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_picture_claiming_too_many_pixels_is_not_opened_further():
    facts = inspect_picture(_png_header(30_000, 30_000))
    assert (facts.too_large, facts.width, facts.height) == (True, 30_000, 30_000)


def test_a_large_picture_within_the_limit_is_read_without_decoding_a_pixel():
    facts = inspect_picture(_png_header(10_000, 10_000))  # its image data is garbage: decoding would fail
    assert facts.readable and not facts.too_large and facts.taken is None


def test_bytes_that_are_no_picture_are_unreadable_not_an_error():
    assert inspect_picture(b"\xff\xd8\xff not really a jpeg").readable is False
