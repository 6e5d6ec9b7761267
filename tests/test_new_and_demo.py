"""`kinerja new` and `kinerja demo` as a user runs them."""

from __future__ import annotations

import json

import openpyxl
from kinerja.validators.engine import validate_file
from planting import Planter

from kinerja.cli import main


def named(path, name):
    return Planter(path).name_cell(name).value


def test_new_works_with_no_options_at_all(tmp_path, capsys):
    path = tmp_path / "kosong.xlsx"
    assert main(["new", "-o", str(path)]) == 0
    assert str(path) in capsys.readouterr().out
    assert named(path, "ref_zona_waktu") == "WIB"
    assert named(path, "iku_target") == 90 and named(path, "iku_arah") == "Naik"


def test_new_takes_the_office_settings_and_a_village_list(tmp_path):
    villages = tmp_path / "desa.csv"
    villages.write_text(
        "Desa/Kelurahan;Jenis;Delegasi Diundang\nSidomulyo;Desa;4\nKelurahan Baru;Kelurahan;5\n", "utf-8"
    )
    path = tmp_path / "baru.xlsx"
    code = main(
        [
            "new",
            "-o",
            str(path),
            "--kecamatan",
            "Sukamaju",
            "--kabupaten",
            "Kabupaten Contoh",
            "--tahun",
            "2027",
            "--zona",
            "WITA",
            "--target",
            "85",
            "--arah",
            "Turun",
            "--desa",
            str(villages),
        ]
    )
    assert code == 0
    book = Planter(path)
    assert [book.cell("tblDesa", "Desa/Kelurahan", n).value for n in (1, 2, 3)] == ["Sidomulyo", "Kelurahan Baru", None]
    assert book.cell("tblDesa", "Delegasi Diundang", 2).value == 5
    assert (named(path, "ref_tahun"), named(path, "ref_zona_waktu"), named(path, "iku_target")) == (2027, "WITA", 85)
    assert named(path, "iku_arah") == "Turun"


def test_new_never_overwrites_a_workbook_unless_told(tmp_path, capsys):
    path = tmp_path / "isi.xlsx"
    path.write_bytes(b"data kantor")
    assert main(["new", "-o", str(path), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "BERKAS_SUDAH_ADA"
    assert path.read_bytes() == b"data kantor"
    assert main(["new", "-o", str(path), "--timpa"]) == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == "Petunjuk"


def test_a_bad_village_list_is_refused_before_anything_is_written(tmp_path, capsys):
    villages = tmp_path / "desa.csv"
    villages.write_text("Desa/Kelurahan,Delegasi Diundang\nSidomulyo,empat\n", "utf-8")
    path = tmp_path / "baru.xlsx"
    assert main(["new", "-o", str(path), "--desa", str(villages), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "DESA_JUMLAH_SALAH"
    assert not path.exists()


def test_a_fresh_template_validates_with_what_is_still_to_fill_in(tmp_path, capsys):
    path = tmp_path / "kosong.xlsx"
    main(["new", "-o", str(path), "--kecamatan", "Sukamaju"])
    laporan = validate_file(path)
    codes = {f.code for f in laporan.findings}
    assert "ISIAN_KOSONG" in codes and "IKU_DIUNDANG_NOL" in codes
    assert laporan.iku.realisasi is None and laporan.iku.predikat is None


def test_demo_writes_a_clean_workbook_under_2_mb_and_prints_the_figures(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    workbook = out / "demo-musrenbangcam-2026.xlsx"
    assert len(list(out.glob("*.xlsx"))) == 1 + 7  # the final workbook and one per sign-off
    assert workbook.stat().st_size < 2 * 1024 * 1024
    assert str(workbook) in printed
    assert "Realisasi" in printed and "Capaian" in printed and "Predikat" in printed
    assert "Tidak ada galat" in printed
    assert not validate_file(workbook).has_errors


def test_demo_is_the_same_every_time(tmp_path, capsys):
    main(["demo", "-o", str(tmp_path / "a"), "--json"])
    first = json.loads(capsys.readouterr().out)
    main(["demo", "-o", str(tmp_path / "b"), "--json"])
    second = json.loads(capsys.readouterr().out)
    assert first["iku"] == second["iku"] and first["findings"] == second["findings"]
