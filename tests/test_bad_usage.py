"""What a new user tries: each mistake gets its own code, exit 2 and no file, or is made
to work; the template's placeholders and uncomputable figures do not pass as values; rows
are named as the sheet numbers them; fixes ask only what sheet protection allows."""

from __future__ import annotations

import json
import re

import pytest
from kinerja.validators.engine import validate_file
from planting import Planter

from kinerja import services
from kinerja.cli import main
from kinerja.core import contract
from kinerja.core.cells import parse_a1
from kinerja.core.findings import KinerjaError, catalogue, text

SOP = contract.definition()


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------------- kinerja new
@pytest.mark.parametrize(
    ("option", "value", "code"),
    [
        ("--target", "0", "PERINTAH_TARGET_TIDAK_POSITIF"),
        ("--target", "-5", "PERINTAH_TARGET_TIDAK_POSITIF"),
        ("--target", "0.9", "PERINTAH_TARGET_PERSEN"),
        ("--target", "1", "PERINTAH_TARGET_PERSEN"),
        ("--target", "1000", "PERINTAH_NILAI_BESAR"),
        ("--target", "inf", "PERINTAH_BUKAN_ANGKA"),
        ("--target", "nan", "PERINTAH_BUKAN_ANGKA"),
        ("--tahun", "0", "PERINTAH_NILAI_KECIL"),
        ("--tahun", "-2026", "PERINTAH_NILAI_KECIL"),
        ("--tahun", "20260", "PERINTAH_NILAI_BESAR"),
    ],
)
def test_new_refuses_a_setting_that_would_be_a_galat_and_writes_nothing(tmp_path, capsys, option, value, code):
    path = tmp_path / "baru.xlsx"
    exit_code, doc = run_json(capsys, "new", "-o", str(path), option, value)
    assert (exit_code, doc["error"]["code"]) == (2, code)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "name"), [("tahun", "ref_tahun"), ("target", "iku_target")])
def test_the_bounds_of_new_are_those_of_the_definition(tmp_path, option, name):
    spec = SOP.name(name)
    for bound, step, code, key in (
        (spec.min, -1, "PERINTAH_NILAI_KECIL", "min"),
        (spec.max, 1, "PERINTAH_NILAI_BESAR", "max"),
    ):
        if bound is None:
            continue
        with pytest.raises(KinerjaError) as caught:
            services.create_workbook(tmp_path / "b.xlsx", services.NewOptions(**{option: bound + step}))
        assert (caught.value.code, caught.value.params[key]) == (code, bound)
        services.create_workbook(tmp_path / f"{option}-{bound}.xlsx", services.NewOptions(**{option: bound}))


@pytest.mark.parametrize("name", ["baru.csv", "baru.xls", "baru.xlsm", "baru", "baru.xlsx.txt"])
def test_new_refuses_an_output_that_is_not_xlsx(tmp_path, capsys, name):
    exit_code, doc = run_json(capsys, "new", "-o", str(tmp_path / name))
    assert (exit_code, doc["error"]["code"]) == (2, "PERINTAH_BUKAN_XLSX")
    assert list(tmp_path.iterdir()) == []


def test_new_takes_an_xlsx_suffix_in_capitals(tmp_path, capsys):
    assert main(["new", "-o", str(tmp_path / "BARU.XLSX")]) == 0


def test_new_with_more_villages_than_tbldesa_holds_is_refused_before_writing(tmp_path, capsys):
    capacity = SOP.table(contract.DESA).rows
    desa = tmp_path / "desa.csv"
    desa.write_text("Desa,Delegasi\n" + "".join(f"Desa {i},3\n" for i in range(capacity + 5)), "utf-8")
    exit_code, doc = run_json(capsys, "new", "-o", str(tmp_path / "baru.xlsx"), "--desa", str(desa))
    assert (exit_code, doc["error"]["code"]) == (2, "DESA_TERLALU_BANYAK")
    assert not (tmp_path / "baru.xlsx").exists()


def test_new_from_last_years_workbook_takes_its_villages(demo_workbook, tmp_path):
    path = tmp_path / "tahun-ini.xlsx"
    assert main(["new", "-o", str(path), "--desa", str(demo_workbook)]) == 0
    book, last_year = Planter(path), Planter(demo_workbook)
    for n in range(1, last_year.data_rows(contract.DESA) + 1):
        for header in SOP.table(contract.DESA).headers:
            assert book.cell(contract.DESA, header, n).value == last_year.cell(contract.DESA, header, n).value


# ---------------------------------------------------------------------- placeholders
def test_the_definition_knows_its_placeholders():
    # the office's name, regency, address and SOP number print on every official page
    assert set(SOP.placeholders) == {"ref_kecamatan", "ref_kabupaten", "ref_alamat", "sop_nomor"}


def test_a_placeholder_left_in_place_is_a_galat_at_its_cell(tmp_path):
    path = tmp_path / "baru.xlsx"
    main(["new", "-o", str(path), "--kabupaten", "Kabupaten Contoh"])
    book = Planter(path)
    found = {(f.code, f.sheet, f.cell) for f in validate_file(path).findings if f.code == "ISIAN_CONTOH"}
    left = ("ref_kecamatan", "ref_alamat", "sop_nomor")  # --kabupaten replaced its placeholder
    cells = {(book.name_cell(n).parent.title, book.name_cell(n).coordinate) for n in left}
    assert found == {("ISIAN_CONTOH", sheet, ref) for sheet, ref in cells}
    assert text("ISIAN_CONTOH").level.value == "Galat"
    for name, value in zip(left, ("Sukamaju", "Jalan Raya Sukamaju No. 1", "800/01/SOP/2026")):
        book.set_name(name, value)
    assert "ISIAN_CONTOH" not in {f.code for f in validate_file(book.save()).findings}


def test_a_placeholder_typed_again_with_other_spacing_is_still_a_placeholder(book):
    where = book.set_name("ref_kabupaten", "  (Nama  kabupaten/kota) ")
    assert ("ISIAN_CONTOH", *where) in {(f.code, f.sheet, f.cell) for f in validate_file(book.save()).findings}


# ---------------------------------------------------------------------- figures that cannot be computed
def test_a_figure_that_cannot_be_computed_never_reads_none(tmp_path, capsys):
    path = tmp_path / "baru.xlsx"
    main(["new", "-o", str(path), "--kecamatan", "Sukamaju"])
    capsys.readouterr()
    book = Planter(path)
    where = book.set_name("iku_realisasi", 70)  # a value typed over the formula; no village yet
    book.save()
    for lang in ("id", "en"):
        main(["validate", str(path), "--lang", lang])
        out = capsys.readouterr().out
        none = text("KATA_NONE").render({}, lang)[0]
        assert "None" not in out and none in out
        (finding,) = [
            f for f in validate_file(path).findings if (f.code, f.sheet, f.cell) == ("IKU_RUMUS_BEDA", *where)
        ]
        message, _ = finding.render(lang)
        assert none in message and "None" not in message
    _, doc = run_json(capsys, "validate", str(path))
    assert doc["iku"]["realisasi"] is None  # machines get null


# ---------------------------------------------------------------------- rows as the sheet numbers them
def test_every_finding_that_names_its_row_names_the_row_of_its_cell(book):
    """One convention: the Excel row at the sheet's left edge, as in the cell shown."""
    first = book.cell(contract.DAFTAR_HADIR, "Nama", 1).value
    book.set(contract.DAFTAR_HADIR, "Nama", 9, first)
    book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", 9, book.cell(contract.DAFTAR_HADIR, "Desa/Kelurahan", 1).value)
    book.set(contract.DAFTAR_HADIR, "Unsur", 4, None)
    book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", 5, "Atlantis")
    book.set(
        contract.DESA,
        "Desa/Kelurahan",
        book.data_rows(contract.DESA),
        book.cell(contract.DESA, "Desa/Kelurahan", 1).value,
    )
    book.set(contract.DESA, "Jenis", book.data_rows(contract.DESA), "Desa")
    book.set(contract.DESA, "Delegasi Diundang", book.data_rows(contract.DESA), 1)
    findings = validate_file(book.save()).findings
    with_rows = [f for f in findings if "row" in f.params]
    assert {"HADIR_GANDA", "ISIAN_KOLOM_KOSONG", "HADIR_DESA_TIDAK_DIKENAL", "NILAI_GANDA"} <= {
        f.code for f in with_rows
    }
    for f in with_rows:
        assert f.params["row"] == parse_a1(f.cell)[0], f
    (twice,) = [f for f in findings if f.code == "HADIR_GANDA"]
    assert twice.params["first_row"] == book.cell(contract.DAFTAR_HADIR, "Nama", 1).row


def test_no_text_names_rows_by_their_position_in_a_table():
    """The parameters that counted rows inside a table (1 = first data row) are gone."""
    for code, entry in catalogue().items():
        templates = entry.pesan + entry.perbaikan + entry.message + entry.fix
        assert not re.search(r"\{(row_no|first_row_no)\}", templates), code


# ---------------------------------------------------------------------- what protection allows
def test_no_fix_asks_to_delete_a_row_which_sheet_protection_forbids():
    protection = contract.sheet_protection(contract.DAFTAR_HADIR_SHEET)
    assert protection.get("deleteRows", "1") == "1"  # absent: Excel forbids deleting rows
    for code, entry in catalogue().items():
        assert not re.search(r"\bhapus\b[^.;]*\bbaris\b", entry.perbaikan), code
        assert not re.search(r"\bdelete\b[^.;]*\brows?\b", entry.fix), code
