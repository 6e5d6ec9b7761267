"""`kinerja new --desa FILE` (D17): village lists as offices keep them, and every way one
can be wrong, each a DESA_BERKAS error naming the line."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from kinerja.templates.desa_file import ALIASES, read_desa_file
from paths import CORPUS

from kinerja.core import contract
from kinerja.core.findings import KinerjaError

CORPUS_SEMICOLON = CORPUS / "csv__semicolon-separated.csv"
HEADERS = contract.definition().table(contract.DESA).headers


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(tmp_path: Path, sheets: dict[str, list[list]], name: str = "desa.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _refused(path: Path) -> str:
    """The detail of the DESA_BERKAS error, after checking it renders without a traceback."""
    with pytest.raises(KinerjaError) as caught:
        read_desa_file(path)
    error = caught.value
    assert error.code == "DESA_BERKAS"
    assert error.params["path"] == str(path)
    message, fix = error.render()
    assert error.params["detail"] in message and fix
    return error.params["detail"]


def _row(name: str, jenis: str, count: int) -> dict:
    return dict(zip(HEADERS, (name, jenis, count)))


# --------------------------------------------------------------------------- accepted


def test_comma_csv_with_the_contract_headers(tmp_path):
    text = "Desa/Kelurahan,Jenis,Delegasi Diundang\nSidomulyo,Desa,4\nSukamaju,Kelurahan,6\n"
    path = _write(tmp_path, "desa.csv", text)
    assert read_desa_file(path) == [_row("Sidomulyo", "Desa", 4), _row("Sukamaju", "Kelurahan", 6)]


def test_semicolon_csv_with_loose_headers_extra_columns_and_decimal_commas(tmp_path):
    text = (
        "No; desa / kelurahan ;JENIS;  Delegasi   Diundang ;Luas (km2)\n"
        "1;Margorejo;desa;3;12,5\n"
        ";;;;\n"
        "2;  Bumi   Ayu ;Desa; 5 ;7,25\n"
    )
    path = _write(tmp_path, "desa.csv", text)
    assert read_desa_file(path) == [_row("Margorejo", "Desa", 3), _row("Bumi Ayu", "Desa", 5)]


def test_excel_sep_hint_line_decides_the_separator(tmp_path):
    path = _write(tmp_path, "desa.csv", 'sep=;\nDesa;Delegasi\n"Sukadana, Hilir";4\n')
    assert read_desa_file(path) == [_row("Sukadana, Hilir", "Desa", 4)]


def test_utf8_with_bom_and_crlf(tmp_path):
    path = _write(tmp_path, "desa.csv", "\ufeffDesa/Kelurahan;Jenis;Delegasi Diundang\r\nTeluk Dalam;Desa;4\r\n")
    assert read_desa_file(path) == [_row("Teluk Dalam", "Desa", 4)]


def test_windows_1252_csv_from_an_older_excel(tmp_path):
    text = "Desa/Kelurahan;Jenis;Delegasi Diundang\nNgadirejo;Desa;5\nSumbér Agung;Desa;3\n"
    path = _write(tmp_path, "desa.csv", text, "cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the file really is not UTF-8
    assert read_desa_file(path) == [_row("Ngadirejo", "Desa", 5), _row("Sumbér Agung", "Desa", 3)]


def test_utf16_unicode_text_with_tabs(tmp_path):
    path = _write(tmp_path, "desa.txt", "Desa\tDelegasi\r\nWonosari\t6\r\n", "utf-16")
    assert read_desa_file(path) == [_row("Wonosari", "Desa", 6)]


@pytest.mark.parametrize("name_header", ALIASES["Desa/Kelurahan"])
@pytest.mark.parametrize("count_header", ALIASES["Delegasi Diundang"])
def test_aliases_are_accepted_and_jenis_is_guessed_from_the_name(tmp_path, name_header, count_header):
    text = f"{name_header.upper()},{count_header.lower()}\nKelurahan Tanjung Harapan,5\nCibening,3\n"
    path = _write(tmp_path, "desa.csv", text)
    assert read_desa_file(path) == [_row("Kelurahan Tanjung Harapan", "Kelurahan", 5), _row("Cibening", "Desa", 3)]


def test_alias_keys_are_tbldesa_headers():
    assert set(ALIASES) <= set(HEADERS)


def test_quoted_csv_fields_may_hold_the_separator(tmp_path):
    path = _write(tmp_path, "desa.csv", 'Desa,Delegasi Diundang,Keterangan\n"Sungai Rambai",4,"dekat sungai, hilir"\n')
    assert read_desa_file(path) == [_row("Sungai Rambai", "Desa", 4)]


def test_xlsx_with_a_title_above_the_headers_on_a_later_sheet(tmp_path):
    path = _xlsx(
        tmp_path,
        {
            "Petunjuk": [["Isi lembar Data, satu desa satu baris."]],
            "Data": [
                ["Daftar Desa Kecamatan Sukamaju"],
                [],
                ["No", "Nama Desa", "Jenis", "Jumlah Delegasi"],
                [1, "Sidomulyo", "Desa", 4],
                [2, "Sukamaju", "Kelurahan", 6.0],
                [None, None, None, None],
                [3, "Pematang Baru", None, "3"],
            ],
        },
    )
    result = read_desa_file(path)
    assert result == [_row("Sidomulyo", "Desa", 4), _row("Sukamaju", "Kelurahan", 6), _row("Pematang Baru", "Desa", 3)]
    assert all(type(r["Delegasi Diundang"]) is int for r in result)


def test_a_renamed_xlsx_is_read_by_its_content(tmp_path):
    xlsx = _xlsx(tmp_path, {"Sheet1": [["Desa/Kelurahan", "Delegasi Diundang"], ["Tegalsari", 5]]})
    renamed = tmp_path / "desa.csv"
    renamed.write_bytes(xlsx.read_bytes())
    assert read_desa_file(renamed) == [_row("Tegalsari", "Desa", 5)]


# --------------------------------------------------------------------------- refused


def test_missing_file(tmp_path):
    assert "tidak ditemukan" in _refused(tmp_path / "tidak-ada.csv")


@pytest.mark.parametrize("text", ["", "\n\n  \n", ";;;\n;;;\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    assert "kosong" in _refused(_write(tmp_path, "desa.csv", text))


def test_empty_xlsx(tmp_path):
    assert "kosong" in _refused(_xlsx(tmp_path, {"Sheet1": []}))


def test_headers_without_villages(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "Desa/Kelurahan;Jenis;Delegasi Diundang\n;;\n"))
    assert "tidak ada desa" in detail and "baris 1" in detail


def test_old_xls_is_refused_by_name(tmp_path):
    path = tmp_path / "desa.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    assert ".xls" in _refused(path)


def test_ods_is_refused_by_name(tmp_path):
    path = tmp_path / "desa.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert ".ods" in _refused(path)


def test_a_binary_file_is_not_taken_for_a_csv(tmp_path):
    path = tmp_path / "desa.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    assert "bukan CSV atau XLSX" in _refused(path)


def test_no_village_column_names_the_first_line(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "\nNama;Alamat\nBudi;Jl. Mawar\n"))
    assert "'Desa/Kelurahan'" in detail and "baris 2" in detail and "Nama, Alamat" in detail


def test_no_count_column(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "Desa;Jenis\nSidomulyo;Desa\n"))
    assert "'Delegasi Diundang'" in detail and "baris 1" in detail


@pytest.mark.parametrize("count", ["4,5", "0", "-2", "empat", "4.000", ""])
def test_a_count_that_is_not_a_whole_number_from_one_names_line_and_value(tmp_path, count):
    text = f"Desa/Kelurahan;Jenis;Delegasi Diundang\nSidomulyo;Desa;4\nMargorejo;Desa;{count}\n"
    detail = _refused(_write(tmp_path, "desa.csv", text))
    assert "baris 3" in detail and "Delegasi Diundang" in detail
    assert (f"'{count}'" in detail) if count else ("kosong" in detail)
    assert "baris 2" not in detail


def test_a_count_that_is_not_whole_in_xlsx_names_sheet_and_row(tmp_path):
    path = _xlsx(tmp_path, {"Desa": [["Desa", "Delegasi"], ["Sidomulyo", 4], ["Wonosari", 4.5]]})
    detail = _refused(path)
    assert "lembar 'Desa' baris 3" in detail and "4,5" in detail


def test_a_duplicate_village_names_both_lines(tmp_path):
    text = "Desa/Kelurahan,Jenis,Delegasi Diundang\nSidomulyo,Desa,4\nCibening,Desa,3\nsidomulyo ,Desa,5\n"
    detail = _refused(_write(tmp_path, "desa.csv", text))
    assert "tercantum dua kali" in detail and "baris 2 dan 4" in detail


def test_an_unknown_jenis(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "Desa,Jenis,Delegasi\nSidomulyo,Dusun,4\n"))
    assert "baris 2" in detail and "'Dusun'" in detail


def test_a_row_without_a_name(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "Desa,Jenis,Delegasi\nSidomulyo,Desa,4\n,Desa,3\n"))
    assert "baris 3" in detail and "kosong" in detail


def test_all_problems_are_reported_together(tmp_path):
    text = "Desa,Delegasi\nA,x\nB,0\nA,3\nA,4\n"
    detail = _refused(_write(tmp_path, "desa.csv", text))
    assert "baris 2" in detail and "baris 3" in detail and "dua kali (baris 4 dan 5)" in detail


def test_two_columns_meaning_the_same_header(tmp_path):
    detail = _refused(_write(tmp_path, "desa.csv", "Desa,Kelurahan,Delegasi\nA,B,3\n"))
    assert "'Desa'" in detail and "'Kelurahan'" in detail


def test_the_corpus_semicolon_csv_is_refused_clearly():
    before = hashlib.sha256(CORPUS_SEMICOLON.read_bytes()).hexdigest()
    detail = _refused(CORPUS_SEMICOLON)
    assert "tidak ada kolom 'Desa/Kelurahan'" in detail
    assert "baris 1 berisi: This, Are, Headers" in detail  # read with ';', not ','
    assert hashlib.sha256(CORPUS_SEMICOLON.read_bytes()).hexdigest() == before


def test_text_in_neither_utf8_nor_windows_1252_names_the_line(tmp_path):
    path = tmp_path / "desa.csv"
    path.write_bytes(b"Desa;Delegasi\nSidomulyo;4\nMarg\x81rejo;3\n")
    detail = _refused(path)
    assert "baris 3" in detail and "UTF-8" in detail
