"""A workbook re-saved by LibreOffice (a second spreadsheet program staff use) validates
the same: same findings at the same cells, same IKU. Its re-save also stores the cached
formula values, so a cached value that agrees must not be reported."""

from __future__ import annotations

import shutil

import pytest
from kinerja.templates.builder import save_workbook
from kinerja.templates.demo import demo_inputs
from kinerja.validators.engine import validate_file
from libreoffice import make_profile, recalculate
from planting import Planter

from kinerja.cli import main
from kinerja.core import contract

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    demo = save_workbook(folder / "demo.xlsx", demo_inputs())
    planted = folder / "planted.xlsx"
    shutil.copyfile(demo, planted)
    book = Planter(planted)
    book.set_name("ba_jumlah_peserta", 97)
    book.set_name("ba_tanggal", "12/02/2026")
    book.set(contract.PEJABAT, "NIP", 1, 197205141995031002)
    book.set(contract.DAFTAR_HADIR, "Delegasi", 2, " YA ")
    # Excel's SUM counts 5.5; the validator refuses it: the cached total then differs,
    # and that difference is the refused cell's finding, not a second one.
    book.set(contract.DESA, "Delegasi Diundang", 1, 5.5)
    book.save()
    written = folder / "written.xlsx"
    shutil.copyfile(planted, written)
    main(["validate", str(written), "--write"])
    files = [demo, planted, written]
    outputs, _ = recalculate(files, folder / "out", make_profile(folder / "profile"))
    return outputs


def summary(path):
    laporan = validate_file(path)
    return {(f.code, f.level, f.sheet, f.cell) for f in laporan.findings}, laporan.iku


@pytest.mark.parametrize("name", ["demo.xlsx", "planted.xlsx", "written.xlsx"])
def test_findings_and_figures_are_the_same_after_a_libreoffice_resave(resaved, name):
    original = next(p for p in resaved if p.name == name)
    assert summary(resaved[original]) == summary(original)


def test_the_demo_stays_free_of_galat_after_libreoffice(resaved):
    original = next(p for p in resaved if p.name == "demo.xlsx")
    assert not validate_file(resaved[original]).has_errors


def test_libreoffice_stored_the_formula_values_the_validator_agrees_with(resaved):
    from libreoffice import cached, named_value

    original = next(p for p in resaved if p.name == "demo.xlsx")
    laporan = validate_file(resaved[original])
    assert named_value(cached(resaved[original]), "iku_hadir") == laporan.iku.present
    assert "IKU_RUMUS_BEDA" not in {f.code for f in laporan.findings}


def test_libreoffice_reads_the_written_findings(resaved):
    original = next(p for p in resaved if p.name == "written.xlsx")
    back = Planter(resaved[original])
    codes = {back.cell(contract.HASIL_VALIDASI, "Kode", n).value for n in range(1, 10)}
    assert {"BA_JUMLAH_PESERTA", "NILAI_TANGGAL_TEKS", "NIP_ANGKA"} <= codes


def test_marks_are_given_back_after_libreoffice_renumbered_the_styles(resaved, tmp_path, demo_workbook):
    """Write, re-save in LibreOffice (styles renumbered, strings shared), fix, write again:
    the fixed cell looks as it did before it was ever marked, and _meta holds one record."""
    from test_write_results import look

    original = next(p for p in resaved if p.name == "written.xlsx")
    path = tmp_path / "kembali.xlsx"
    shutil.copyfile(resaved[original], path)
    fixed = Planter(path)
    fixed.set_name("ba_jumlah_peserta", 98)
    fixed.save()
    main(["validate", str(path), "--write"])
    after = Planter(path)
    before = Planter(demo_workbook)
    assert look(after.name_cell("ba_jumlah_peserta")) == look(before.name_cell("ba_jumlah_peserta"))
    meta_keys = [r[0].value for r in after.wb[contract.META_SHEET].iter_rows()]
    assert meta_keys.count(contract.META_MARKED_CELLS) == 1


def test_write_gives_back_what_a_libreoffice_save_loosened(resaved, tmp_path):
    """D10: LibreOffice makes _meta merely hidden and drops the structure lock."""
    import openpyxl

    original = next(p for p in resaved if p.name == "demo.xlsx")
    path = tmp_path / "longgar.xlsx"
    shutil.copyfile(resaved[original], path)
    loosened = openpyxl.load_workbook(path)
    assert loosened[contract.META_SHEET].sheet_state != "veryHidden" or not loosened.security.lockStructure
    main(["validate", str(path), "--write"])
    restored = openpyxl.load_workbook(path)
    assert restored[contract.META_SHEET].sheet_state == "veryHidden"
    assert restored.security.lockStructure
