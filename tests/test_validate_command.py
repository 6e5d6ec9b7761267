"""`kinerja validate` as other tools and people use it: the JSON shape, exit codes, the
English option, and the contract problems that stop validation with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from kinerja.templates.demo import demo_inputs

from kinerja.cli import main
from kinerja.core import contract
from kinerja.core.iku import compute
from kinerja.core.sop import load


def run_json(capsys, *args):
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_has_the_shape_other_tools_rely_on(demo_workbook, capsys):
    code, doc = run_json(capsys, "validate", str(demo_workbook))
    assert code == 0
    # D30: the report knows its workbook; fields are added, never renamed.
    assert set(doc) == {"file", "iku", "findings", "workbook", "ledger", "counts"}
    assert set(doc["iku"]) == {"invited", "present", "realisasi", "capaian", "predikat"}
    assert doc["workbook"] == {
        "template_id": contract.TEMPLATE_ID,
        "kecamatan": "Sukamaju",
        "kabupaten": "Kabupaten Tanjung Sari",
        "year": 2026,
        "workbook_id": doc["workbook"]["workbook_id"],
    }
    assert len(doc["workbook"]["workbook_id"]) == 36
    assert doc["ledger"] == {
        "rows": 0,
        "state": "Langkah 1–2",
        "role": "Kasi Ekbang",
        "final": False,
        "valid": False,
        "failing": [],
        "progress": 0,
    }
    levels = [f["level"] for f in doc["findings"]]
    assert doc["counts"] == {
        k: levels.count(v) for k, v in (("errors", "error"), ("warnings", "warning"), ("infos", "info"))
    }
    for finding in doc["findings"]:
        assert set(finding) == {"code", "level", "step", "sheet", "cell", "message", "fix"}
        assert finding["level"] in ("error", "warning", "info")


def test_json_iku_figures_are_computed_from_the_inputs(demo_workbook, capsys):
    inputs = demo_inputs()
    invited = sum(r["Delegasi Diundang"] for r in inputs.rows[contract.DESA])
    present = sum(1 for r in inputs.rows[contract.DAFTAR_HADIR] if r["Delegasi"] == "Ya")
    expected = compute(invited, present, inputs.values["iku_target"], inputs.values["iku_arah"], load().predikat)
    _, doc = run_json(capsys, "validate", str(demo_workbook))
    assert doc["iku"]["invited"] == invited and doc["iku"]["present"] == present
    assert doc["iku"]["realisasi"] == pytest.approx(expected.realisasi, abs=1e-3)
    assert doc["iku"]["capaian"] == pytest.approx(expected.capaian, abs=1e-3)
    assert doc["iku"]["predikat"] == expected.predikat


def test_a_galat_makes_exit_code_1(book, capsys):
    book.set_name("ba_tempat", None)
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert code == 1
    assert any(f["code"] == "ISIAN_KOSONG" and f["level"] == "error" and f["step"] == 1 for f in doc["findings"])


def test_english_messages_on_request(book, capsys):
    book.set_name("ba_jumlah_peserta", 97)
    _, doc = run_json(capsys, "validate", str(book.save()), "--lang", "en")
    (finding,) = [f for f in doc["findings"] if f["code"] == "BA_JUMLAH_PESERTA"]
    assert finding["message"].startswith("The minutes state 97 participants")


def test_the_readable_report_groups_findings_by_sheet_and_shows_the_iku(book, capsys):
    book.set_name("ba_tempat", None)
    main(["validate", str(book.save())])
    out = capsys.readouterr().out
    assert "Lembar 1b Berita Acara" in out
    assert "Cara memperbaiki" in out
    assert "Realisasi" in out and "Predikat" in out


def test_validate_does_not_change_the_file(demo_workbook, tmp_path):
    copy = tmp_path / "sama.xlsx"
    shutil.copyfile(demo_workbook, copy)
    before = copy.read_bytes()
    main(["validate", str(copy)])
    assert copy.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sama.xlsx"]


def test_the_console_script_runs_in_a_fresh_process(demo_workbook):
    done = subprocess.run(
        [sys.executable, "-m", "kinerja", "validate", str(demo_workbook), "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["iku"]["predikat"] == "Sangat Tinggi"


# ---------------------------------------------------------------------- contract problems: exit 2
def test_a_renamed_sheet_is_named_with_the_similar_one(book, capsys):
    book.wb["1b Berita Acara"].title = "1b Berita-Acara"
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert code == 2
    assert doc["error"]["code"] == "STRUKTUR_LEMBAR_GANTI_NAMA"
    assert "'1b Berita-Acara'" in doc["error"]["message"]


def test_a_deleted_sheet_is_named(book, capsys):
    book.wb.remove(book.wb["6 Arsip"])
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, "STRUKTUR_LEMBAR_HILANG")
    assert "'6 Arsip'" in doc["error"]["message"]


def test_a_renamed_table_is_its_own_error(book, capsys):
    ws = book.wb[contract.FOTO_SHEET]
    table = ws.tables[contract.FOTO]
    del ws.tables[contract.FOTO]
    table.displayName = table.name = "Tabel1"
    ws.add_table(table)
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, "STRUKTUR_TABEL_HILANG")
    assert "tblFoto" in doc["error"]["message"]


def test_a_renamed_column_header_is_its_own_error_at_the_header_row(book, capsys):
    header = book.header(contract.DAFTAR_HADIR, "L/P")
    header.value = "JK"
    table = book.wb[header.parent.title].tables[contract.DAFTAR_HADIR]
    for column in table.tableColumns:
        if column.name == "L/P":
            column.name = "JK"
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, "STRUKTUR_KOLOM_HILANG")
    assert "'L/P'" in doc["error"]["message"]


def test_a_deleted_defined_name_is_its_own_error(book, capsys):
    del book.wb.defined_names["ba_tempat"]
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, "STRUKTUR_NAMA_HILANG")
    assert "ba_tempat" in doc["error"]["message"]


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("contract_version", "2", "BERKAS_KONTRAK_BARU"),
        ("contract_version", "0", "BERKAS_KONTRAK_LAMA"),
        ("template_id", "sop-lain", "BERKAS_TEMPLAT_LAIN"),
    ],
)
def test_meta_that_is_not_ours_or_not_this_version_is_refused(book, capsys, key, value, error):
    meta = book.wb[contract.META_SHEET]
    row = next(r for r in meta.iter_rows() if r[0].value == key)
    row[1].value = value
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, error)


def test_a_workbook_without_meta_is_not_ours(book, capsys):
    del book.wb[contract.META_SHEET]
    code, doc = run_json(capsys, "validate", str(book.save()))
    assert (code, doc["error"]["code"]) == (2, "BERKAS_BUKAN_TEMPLAT")


def test_findings_come_in_workbook_order(book, capsys):
    book.set_name("ba_tempat", None)  # 1b Berita Acara
    book.set_name("ref_kecamatan", None)  # Referensi, an earlier sheet
    _, doc = run_json(capsys, "validate", str(book.save()))
    sheets = [f["sheet"] for f in doc["findings"]]
    order = [s.name for s in load().sheets]
    assert sheets == sorted(sheets, key=order.index)
    assert sheets.index("Referensi") < sheets.index("1b Berita Acara")
