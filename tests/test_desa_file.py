"""`kinerja new --desa FILE` (D17): village lists as offices keep them, and every way one
can be wrong, each its own DESA_* code naming the line as the user sees it (D31)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from kinerja.templates.desa_file import ALIASES, read_desa_file
from paths import CORPUS
from planting import Planter

from kinerja.core import contract
from kinerja.core.findings import KinerjaError, text

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


def _refused(path: Path, code: str) -> KinerjaError:
    """The error, after checking its code, that it names the file, and that it renders in
    both languages without a traceback or a placeholder left unfilled."""
    with pytest.raises(KinerjaError) as caught:
        read_desa_file(path)
    error = caught.value
    assert error.code == code, error.params
    assert error.params["path"] == str(path)
    entry = text(code)
    wanted = set(re.findall(r"\{(\w+)", entry.pesan + entry.perbaikan + entry.message + entry.fix))
    assert wanted <= set(error.params) | {"sheet", "cell"}, wanted - set(error.params)
    for lang in ("id", "en"):
        message, fix = error.render(lang)
        assert message and fix and "{" not in message + fix
    return error


def _at(error: KinerjaError, line: int, sheet: str | None = None) -> bool:
    """Whether an error (or a problem listed in one) names this line, as the user sees it."""
    return error.params["line"] == line and error.sheet == sheet


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
    _refused(tmp_path / "tidak-ada.csv", "DESA_TIDAK_ADA")


def test_a_folder_is_not_a_village_list(tmp_path):
    _refused(tmp_path, "DESA_FOLDER")


@pytest.mark.parametrize("text", ["", "\n\n  \n", ";;;\n;;;\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    _refused(_write(tmp_path, "desa.csv", text), "DESA_KOSONG")


def test_empty_xlsx(tmp_path):
    _refused(_xlsx(tmp_path, {"Sheet1": []}), "DESA_KOSONG")


def test_headers_without_villages(tmp_path):
    error = _refused(_write(tmp_path, "desa.csv", "Desa/Kelurahan;Jenis;Delegasi Diundang\n;;\n"), "DESA_TANPA_DESA")
    assert _at(error, 1)


def test_old_xls_is_refused_by_name(tmp_path):
    path = tmp_path / "desa.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    assert ".xls)" in _refused(path, "DESA_FORMAT_LAIN").params["format"]


def test_a_password_protected_xlsx_is_told_apart_from_an_old_xls(tmp_path):
    path = tmp_path / "desa.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    _refused(path, "DESA_BERSANDI")


def test_ods_is_refused_by_name(tmp_path):
    path = tmp_path / "desa.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert ".ods)" in _refused(path, "DESA_FORMAT_LAIN").params["format"]


def test_a_zip_that_is_no_workbook(tmp_path):
    path = tmp_path / "desa.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("desa.csv", "Desa,Delegasi\nA,3\n")
    _refused(path, "DESA_ZIP_LAIN")


def test_a_truncated_xlsx_is_called_damaged(tmp_path):
    whole = _xlsx(tmp_path, {"Sheet1": [["Desa", "Delegasi"], ["Tegalsari", 5]]})
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes(whole.read_bytes()[:200])
    _refused(cut, "DESA_RUSAK")


def test_a_binary_file_is_not_taken_for_a_csv(tmp_path):
    path = tmp_path / "desa.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    _refused(path, "DESA_BUKAN_TEKS")


def test_no_village_column_names_the_first_line(tmp_path):
    error = _refused(_write(tmp_path, "desa.csv", "\nNama;Alamat\nBudi;Jl. Mawar\n"), "DESA_KOLOM_NAMA")
    assert _at(error, 2) and error.params["found"] == "Nama, Alamat"
    assert error.params["column"] == "Desa/Kelurahan"


def test_no_count_column(tmp_path):
    error = _refused(_write(tmp_path, "desa.csv", "Desa;Jenis\nSidomulyo;Desa\n"), "DESA_KOLOM_JUMLAH")
    assert _at(error, 1) and error.params["column"] == "Delegasi Diundang"


@pytest.mark.parametrize("count", ["4,5", "0", "-2", "empat", "4.000"])
def test_a_count_that_is_not_a_whole_number_from_one_names_line_and_value(tmp_path, count):
    text = f"Desa/Kelurahan;Jenis;Delegasi Diundang\nSidomulyo;Desa;4\nMargorejo;Desa;{count}\n"
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_JUMLAH_SALAH")
    assert _at(error, 3) and error.params["value"] == count and error.params["column"] == "Delegasi Diundang"


def test_an_empty_count_is_its_own_cause(tmp_path):
    text = "Desa/Kelurahan;Jenis;Delegasi Diundang\nSidomulyo;Desa;4\nMargorejo;Desa;\n"
    assert _at(_refused(_write(tmp_path, "desa.csv", text), "DESA_JUMLAH_KOSONG"), 3)


def test_a_count_that_is_not_whole_in_xlsx_names_sheet_and_row(tmp_path):
    path = _xlsx(tmp_path, {"Desa": [["Desa", "Delegasi"], ["Sidomulyo", 4], ["Wonosari", 4.5]]})
    error = _refused(path, "DESA_JUMLAH_SALAH")
    assert _at(error, 3, sheet="Desa") and error.params["value"] == 4.5


def test_a_duplicate_village_names_both_lines(tmp_path):
    text = "Desa/Kelurahan,Jenis,Delegasi Diundang\nSidomulyo,Desa,4\nCibening,Desa,3\nsidomulyo ,Desa,5\n"
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_GANDA")
    assert _at(error, 4) and error.params["first"].params["line"] == 2


def test_an_unknown_jenis(tmp_path):
    error = _refused(_write(tmp_path, "desa.csv", "Desa,Jenis,Delegasi\nSidomulyo,Dusun,4\n"), "DESA_JENIS_SALAH")
    assert _at(error, 2) and error.params["value"] == "Dusun"


def test_a_row_without_a_name(tmp_path):
    error = _refused(
        _write(tmp_path, "desa.csv", "Desa,Jenis,Delegasi\nSidomulyo,Desa,4\n,Desa,3\n"), "DESA_NAMA_KOSONG"
    )
    assert _at(error, 3)


def test_all_problems_are_reported_together(tmp_path):
    text = "Desa,Delegasi\nA,x\nB,0\nA,3\nA,4\n"
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_BANYAK_MASALAH")
    listed = [(p.code, p.params["line"]) for p in error.params["problems"]]
    assert listed == [("DESA_JUMLAH_SALAH", 2), ("DESA_JUMLAH_SALAH", 3), ("DESA_GANDA", 5)]
    assert error.params["count"] == 3 and not error.params["more"]


def test_more_problems_than_one_message_lists_are_counted(tmp_path):
    text = "Desa,Delegasi\n" + "".join(f"Desa {i},nol\n" for i in range(12))
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_BANYAK_MASALAH")
    assert len(error.params["problems"]) == 8 and error.params["more"].params["more"] == 4


def test_two_columns_meaning_the_same_header(tmp_path):
    error = _refused(_write(tmp_path, "desa.csv", "Desa,Kelurahan,Delegasi\nA,B,3\n"), "DESA_KOLOM_GANDA")
    assert _at(error, 1) and (error.params["first"], error.params["second"]) == ("Desa", "Kelurahan")


def test_the_corpus_semicolon_csv_is_refused_clearly():
    before = hashlib.sha256(CORPUS_SEMICOLON.read_bytes()).hexdigest()
    error = _refused(CORPUS_SEMICOLON, "DESA_KOLOM_NAMA")
    assert _at(error, 1) and error.params["found"].startswith("This, Are, Headers")  # read with ';', not ','
    assert hashlib.sha256(CORPUS_SEMICOLON.read_bytes()).hexdigest() == before


def test_text_in_neither_utf8_nor_windows_1252_names_the_line(tmp_path):
    path = tmp_path / "desa.csv"
    path.write_bytes(b"Desa;Delegasi\nSidomulyo;4\nMarg\x81rejo;3\n")
    assert _at(_refused(path, "DESA_HURUF"), 3)


def test_a_quote_never_closed_names_the_line_it_opens_on(tmp_path):
    text = 'Desa;Delegasi\nSidomulyo;4\n"Margorejo;3\n' + "Wonosari;2\n" * 20000
    assert _at(_refused(_write(tmp_path, "desa.csv", text), "DESA_CSV_KUTIP"), 3)


def test_more_villages_than_the_table_holds_says_how_many_fit(tmp_path):
    capacity = contract.definition().table(contract.DESA).rows
    text = "Desa,Delegasi\n" + "".join(f"Desa {i},3\n" for i in range(capacity + 1))
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_TERLALU_BANYAK")
    assert (error.params["count"], error.params["max"]) == (capacity + 1, capacity)
    assert len(read_desa_file(_write(tmp_path, "pas.csv", "\n".join(text.splitlines()[:-1])))) == capacity


def test_english_names_every_cause_in_english(tmp_path):
    """D31: no Indonesian fragment inside an English sentence (the words of the old detail)."""
    text = "Desa,Jenis,Delegasi\nA,Dusun,x\n,Desa,0\nB,Desa,3\nB,Desa,3\n"
    error = _refused(_write(tmp_path, "desa.csv", text), "DESA_BANYAK_MASALAH")
    message, fix = error.render("en")
    for word in ("baris", "lembar", "kosong", "bukan", "tercantum", "dan", "masalah"):
        assert f" {word} " not in f" {message} {fix} ".replace(",", " ").replace(";", " "), word


# --------------------------------------------------------------------------- last year's workbook


def test_last_years_kinerja_workbook_gives_its_tbldesa(demo_workbook):
    """Not the first sheet with a 'Desa' header: the table tblDesa, found by its name."""
    from kinerja.templates.demo import demo_inputs

    assert read_desa_file(demo_workbook) == demo_inputs().rows[contract.DESA]


def test_an_empty_kinerja_template_names_its_tbldesa_header_row(tmp_path):
    from kinerja.templates.builder import new_inputs, save_workbook

    path = save_workbook(tmp_path / "kosong.xlsx", new_inputs())
    error = _refused(path, "DESA_TANPA_DESA")
    header = Planter(path).header(contract.DESA, "Desa/Kelurahan")
    assert _at(error, header.row, sheet=header.parent.title)
