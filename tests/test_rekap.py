"""`kinerja rekap`: a regency's folder of kecamatan workbooks, checked in worker processes,
into one roll-up workbook (D20, D30). One folder as a regency receives it: a clean final
workbook, an earlier copy of it (a duplicate), one with a Galat, one tampered with after
the Camat approved it, a file that is no workbook, and the files Excel and kinerja leave
beside workbooks (an owner lock, a backup, a scratch file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from kinerja.templates import rekap as sheets
from openpyxl.utils import range_boundaries
from planting import Planter

from kinerja import services
from kinerja.cli import main
from kinerja.core import contract
from kinerja.core.findings import Counts, Finding, Identity, KinerjaError, Laporan, LedgerState
from kinerja.core.rekap import Expected, Rekap


@pytest.fixture(scope="module")
def signed_demo(tmp_path_factory) -> services.DemoResult:
    """The demo carried through the whole SOP (final, every sign-off verifies)."""
    return services.build_demo(tmp_path_factory.mktemp("demo-run"))


@pytest.fixture(scope="module")
def regency(signed_demo, demo_workbook, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kiriman")
    (folder / "sukamaju").mkdir()
    shutil.copyfile(signed_demo.path, folder / "sukamaju" / "sukamaju-final.xlsx")
    shutil.copyfile(signed_demo.stages[3], folder / "sukamaju" / "sukamaju-lama.xlsx")  # reported to the Sekcam

    galat = Planter(Path(shutil.copyfile(demo_workbook, folder / "sidomulyo.xlsx")))
    galat.set_name("ref_kecamatan", "Sidomulyo")
    galat.set_name("ba_tempat", None)  # a required value left empty: a Galat of step 1
    galat.save()

    tampered = Planter(Path(shutil.copyfile(signed_demo.path, folder / "margorejo.xlsx")))
    tampered.set_name("ref_kecamatan", "Margorejo")  # Referensi was locked by the sign-offs
    tampered.save()

    (folder / "rusak.xlsx").write_text("Kecamatan;Hadir\nCibening;40\n", encoding="utf-8")
    shutil.copyfile(signed_demo.path, folder / "~$sukamaju-final.xlsx")  # Excel's owner file
    shutil.copyfile(signed_demo.path, folder / "sidomulyo.bak.xlsx")  # kinerja's backup
    (folder / ".~sidomulyo.xlsx.x1.kinerja.tmp").write_bytes(b"")  # a killed write's scratch file
    (folder / "catatan.txt").write_text("bukan buku kerja", encoding="utf-8")

    (folder.parent / "kecamatan.csv").write_text(
        "Kecamatan;Kabupaten\nSukamaju;Kabupaten Tanjung Sari\nKec. Sidomulyo;\nMargorejo;\nWonosari;\n",
        encoding="utf-8",
    )
    return folder


def table(ws, name: str) -> list[dict]:
    t = ws.tables[name]
    c1, r1, c2, r2 = range_boundaries(t.ref)
    headers = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]
    rows = [{h: ws.cell(r, c1 + i).value for i, h in enumerate(headers)} for r in range(r1 + 1, r2 + 1)]
    return [r for r in rows if any(v is not None for v in r.values())]


@pytest.fixture(scope="module")
def rolled_up(regency, tmp_path_factory):
    out = tmp_path_factory.mktemp("rekap") / "rekap.xlsx"
    code = main(
        ["rekap", str(regency), "-o", str(out), "--daftar", str(regency.parent / "kecamatan.csv"), "--proses", "2"]
    )
    return code, out


def test_a_folder_with_a_galat_a_tampered_and_an_unreadable_file_exits_1(rolled_up):
    code, out = rolled_up
    assert code == 1
    assert openpyxl.load_workbook(out).sheetnames == ["Rekap", "Belum Mengirim", "Duplikat", "Tidak Terbaca"]


def test_rekap_has_one_row_per_counted_workbook_with_its_figures_and_ledger(rolled_up, signed_demo):
    _, out = rolled_up
    rows = {r["Kecamatan"]: r for r in table(openpyxl.load_workbook(out)["Rekap"], sheets.T_REKAP)}
    assert sorted(rows) == ["Margorejo", "Sidomulyo", "Sukamaju"]
    clean, galat, tampered = rows["Sukamaju"], rows["Sidomulyo"], rows["Margorejo"]
    iku = signed_demo.laporan.iku
    assert (clean["Diundang"], clean["Hadir"], clean["Predikat"]) == (iku.invited, iku.present, iku.predikat)
    assert clean["Capaian"] == pytest.approx(float(iku.capaian), abs=1e-4)
    assert (clean["Tahap"], clean["Terverifikasi"], clean["Galat"]) == ("Final", "Ya", 0)
    assert clean["Berkas"] == str(Path("sukamaju") / "sukamaju-final.xlsx")
    assert clean["workbook_id"] == signed_demo.laporan.identity.workbook_id
    assert (clean["Kabupaten"], clean["Tahun"], clean["Templat"]) == (
        "Kabupaten Tanjung Sari",
        2026,
        contract.TEMPLATE_ID,
    )
    assert galat["Galat"] >= 1 and galat["Terverifikasi"] is None and galat["Tahap"] == "Langkah 1–2"
    assert tampered["Terverifikasi"] == "Tidak" and tampered["Galat"] >= 1


def test_rekap_totals_the_counted_workbooks_only(rolled_up):
    _, out = rolled_up
    ws = openpyxl.load_workbook(out)["Rekap"]
    rows = table(ws, sheets.T_REKAP)
    (total,) = table(ws, sheets.T_JUMLAH)
    assert total["Buku Kerja"] == 3 and total["Tahun"] == 2026
    assert total["Diundang"] == sum(r["Diundang"] for r in rows)
    assert total["Hadir"] == sum(r["Hadir"] for r in rows)
    assert total["Realisasi"] == pytest.approx(100 * total["Hadir"] / total["Diundang"], abs=1e-4)
    assert total["Galat"] == sum(r["Galat"] for r in rows)


def test_rekap_has_a_chart_of_capaian_against_the_target(rolled_up):
    _, out = rolled_up
    (chart,) = openpyxl.load_workbook(out)["Rekap"]._charts
    assert chart.tagname == "barChart"
    refs = [s.val.numRef.f for s in chart.series]
    assert len(refs) == 1 and "$H$" in refs[0]  # Capaian is the 8th column of tblRekap


def test_belum_mengirim_lists_the_kecamatan_of_the_list_without_a_workbook(rolled_up):
    _, out = rolled_up
    rows = table(openpyxl.load_workbook(out)["Belum Mengirim"], sheets.T_BELUM)
    assert rows == [{"Kecamatan": "Wonosari", "Kabupaten": None, "Tahun": 2026}]


def test_duplikat_lists_the_earlier_copy_and_counts_the_one_furthest_along(rolled_up):
    _, out = rolled_up
    (dup,) = table(openpyxl.load_workbook(out)["Duplikat"], sheets.T_DUPLIKAT)
    assert dup["Berkas"] == str(Path("sukamaju") / "sukamaju-lama.xlsx")
    assert dup["Yang Dihitung"] == str(Path("sukamaju") / "sukamaju-final.xlsx")
    assert (dup["Tahap"], dup["Terverifikasi"]) == ("Langkah 5 (Sekcam)", "Ya")


def test_tidak_terbaca_names_the_file_and_the_reason_and_skips_lock_backup_and_scratch_files(rolled_up):
    _, out = rolled_up
    rows = table(openpyxl.load_workbook(out)["Tidak Terbaca"], sheets.T_TIDAK_TERBACA)
    assert [(r["Berkas"], r["Kode"]) for r in rows] == [("rusak.xlsx", "BERKAS_BUKAN_XLSX")]
    assert rows[0]["Alasan"] and rows[0]["Cara Memperbaiki"]


def test_json_is_one_document_with_the_same_content(regency, tmp_path, capsys):
    out = tmp_path / "rekap.xlsx"
    code = main(["rekap", str(regency), "-o", str(out), "--json", "--daftar", str(regency.parent / "kecamatan.csv")])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["valid"] is False
    files = {k: v for k, v in doc["stats"].items() if k not in ("errors", "warnings", "infos")}
    assert files == {"files": 5, "read": 4, "unreadable": 1, "counted": 3, "duplicates": 1, "missing": 1}
    assert doc["stats"]["errors"] == sum(t["counts"]["errors"] for t in doc["tasks"]) > 0
    sheet_rows = table(openpyxl.load_workbook(out)["Rekap"], sheets.T_REKAP)
    assert [r["kecamatan"] for r in doc["rekap"]] == [r["Kecamatan"] for r in sheet_rows]
    assert [r["capaian"] for r in doc["rekap"]] == [r["Capaian"] for r in sheet_rows]
    assert doc["not_sent"] == [{"kecamatan": "Wonosari", "kabupaten": None, "year": 2026}]
    assert [d["file"] for d in doc["duplicates"]] == [str(Path("sukamaju") / "sukamaju-lama.xlsx")]
    assert [(u["file"], u["code"]) for u in doc["unreadable"]] == [("rusak.xlsx", "BERKAS_BUKAN_XLSX")]
    assert len(doc["tasks"]) == 5


def test_a_clean_folder_exits_0_and_the_roll_up_can_be_made_again_over_the_last(signed_demo, tmp_path, capsys):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.copyfile(signed_demo.path, folder / "sukamaju.xlsx")
    out = tmp_path / "rekap.xlsx"
    assert main(["rekap", str(folder), "-o", str(out)]) == 0
    assert main(["rekap", str(folder), "-o", str(out), "--proses", "1"]) == 0  # an earlier roll-up is replaced
    assert not list(tmp_path.glob("*.bak.xlsx"))


def test_a_roll_up_written_into_the_folder_it_reads_is_not_read_back(signed_demo, tmp_path):
    shutil.copyfile(signed_demo.path, tmp_path / "sukamaju.xlsx")
    out = tmp_path / "rekap.xlsx"
    assert main(["rekap", str(tmp_path), "-o", str(out)]) == 0
    assert main(["rekap", str(tmp_path), "-o", str(out)]) == 0


def test_the_roll_up_never_overwrites_a_workbook_and_says_so_in_json_with_exit_2(signed_demo, tmp_path, capsys):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.copyfile(signed_demo.path, folder / "sukamaju.xlsx")
    victim = Path(shutil.copyfile(signed_demo.path, tmp_path / "bukan-rekap.xlsx"))
    before = victim.read_bytes()
    code = main(["rekap", str(folder), "-o", str(victim), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2 and doc["error"]["code"] == "REKAP_TIMPA" and doc["file"] == str(victim)
    assert doc["stats"]["counted"] == 1  # what was checked is still reported
    assert victim.read_bytes() == before


def test_a_missing_folder_is_exit_2_with_one_json_document(tmp_path, capsys):
    code = main(["rekap", str(tmp_path / "tidak-ada"), "-o", str(tmp_path / "r.xlsx"), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2 and doc["error"]["code"] == "BERKAS_TIDAK_ADA"


def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_still_checked(tmp_path):
    paths = [str(tmp_path / f"{n}.xlsx") for n in ("a", "b", "mati", "c", "d")]
    reports = services.run_checks(paths, processes=2, check=_dies_on_mati)
    assert [r.file for r in reports] == paths
    assert [r.unreadable.code for r in reports] == ["BERKAS_TIDAK_ADA"] * 2 + ["REKAP_PROSES_BERHENTI"] + [
        "BERKAS_TIDAK_ADA"
    ] * 2


def _dies_on_mati(path: str) -> Laporan:
    import os

    if path.endswith("mati.xlsx"):
        os._exit(3)  # as a native library's abort would
    return services.check_workbook(path)


# ---------------------------------------------------------------------- the model
def _report(file: str, kecamatan: str | None, progress: int, *codes: str, rows: int = 1, failing=()) -> Laporan:
    ledger = LedgerState(rows, None, None, False, not failing and rows > 0, tuple(failing), progress)
    findings = [Finding(code, "1b Berita Acara", "B5", 1) for code in codes]
    return Laporan(file, findings, identity=Identity(contract.TEMPLATE_ID, kecamatan, "Kab", 2026, file), ledger=ledger)


def test_of_two_copies_the_one_further_along_counts_whatever_the_file_order():
    early, late = _report("b.xlsx", "Sukamaju", 1), _report("a.xlsx", "sukamaju ", 3, rows=3)
    for order in ([early, late], [late, early]):
        rekap = Rekap.merge(order)
        assert [r.file for r in rekap.counted] == ["a.xlsx"]
        assert [(d.laporan.file, d.counted.file) for d in rekap.duplicates] == [("b.xlsx", "a.xlsx")]


def test_a_copy_whose_later_rows_fail_is_only_as_far_along_as_its_verifying_rows():
    forged = _report("a.xlsx", "Sukamaju", 1, "LEDGER_TTD_TIDAK_COCOK", rows=5, failing=(2, 3, 4, 5))
    honest = _report("b.xlsx", "Sukamaju", 3, rows=3)
    assert [r.file for r in Rekap.merge([forged, honest]).counted] == ["b.xlsx"]


def test_workbooks_without_a_kecamatan_are_counted_each_on_their_own():
    rekap = Rekap.merge([_report("a.xlsx", None, 0), _report("b.xlsx", None, 0)])
    assert len(rekap.counted) == 2 and not rekap.duplicates


def test_counts_merge_and_flatten_like_frictionless():
    a = _report("a.xlsx", "A", 0, "BA_JAM_URUTAN", "HADIR_PEREMPUAN")
    b = Laporan.of_unreadable("b.xlsx", KinerjaError("BERKAS_XLS_LAMA"))
    rekap = Rekap.merge([b, a], [Expected("A"), Expected("Z")])
    assert a.counts == Counts(errors=1, warnings=0, infos=1) and b.counts == Counts()
    assert rekap.counts == Counts(1, 0, 1) and not rekap.valid and not b.readable
    assert rekap.flatten(["file", "code", "level"]) == [
        ["a.xlsx", "BA_JAM_URUTAN", "error"],
        ["a.xlsx", "HADIR_PEREMPUAN", "info"],
        ["b.xlsx", "BERKAS_XLS_LAMA", "error"],
    ]
    assert [(m.kecamatan, m.tahun) for m in rekap.missing] == [("Z", 2026)]
    with pytest.raises(KeyError):
        rekap.flatten(["rowNumber"])


def test_findings_are_sorted_once_when_the_report_is_made():
    cells = [("B10", "ISIAN_KOSONG"), ("B2", "ISIAN_KOSONG"), ("A2", "HADIR_PEREMPUAN")]
    laporan = Laporan("x.xlsx", [Finding(code, "1a Daftar Hadir", cell, 1) for cell, code in cells])
    assert [f.cell for f in laporan.findings] == ["A2", "B2", "B10"]


def test_a_definition_is_found_by_template_id_only_among_those_installed():
    from kinerja.core import sop

    assert sop.find(contract.TEMPLATE_ID) is contract.definition()
    for hostile in (None, "", "catalogue", "../definitions/catalogue", "musrenbangcam-partisipasi-delegasi.toml"):
        assert sop.find(hostile) is None


def test_a_workbook_of_an_sop_this_installation_does_not_know_is_unreadable_with_its_code(demo_workbook, tmp_path):
    other = Planter(Path(shutil.copyfile(demo_workbook, tmp_path / "lain.xlsx")))
    meta = other.wb[contract.META_SHEET]
    (row,) = [r for r in meta.iter_rows() if r[0].value == contract.META_TEMPLATE_ID]
    row[1].value = "sop-lain-yang-belum-ada"
    other.save()
    report = services.check_workbook(str(other.path))
    assert report.unreadable.code == "BERKAS_TEMPLAT_LAIN" and not report.readable
