"""The sign-off ledger, from the outside: the demo's real chain of seven sign-offs, then
every tamper an office or an auditor might meet, made the way someone outside this
project would make it (openpyxl, or the zip parts by hand), each caught with its own
status and reason; and every refusal of `kinerja sign` leaves the file untouched."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from kinerja.validators.engine import validate_file
from PIL import Image

from kinerja import services
from kinerja.cli import main
from kinerja.core import contract

STAGES = 7
LEDGER_HEADERS = contract.definition().table(contract.PERSETUJUAN).headers


@pytest.fixture(scope="session")
def chain(tmp_path_factory) -> dict[int, Path]:
    """The demo run once: stage n's workbook (1..7), the final one is stage 7."""
    out = tmp_path_factory.mktemp("chain")
    result = services.build_demo(out)
    files = {n: path for n, path in enumerate(result.stages, start=1)}
    assert len(files) == STAGES and result.path.read_bytes() == files[STAGES].read_bytes()
    return files


@pytest.fixture
def stage(chain, tmp_path):
    """A copy of stage n's workbook to tamper with."""

    def copy(n: int) -> Path:
        target = tmp_path / f"stage{n}.xlsx"
        shutil.copyfile(chain[n], target)
        return target

    return copy


def verify_json(capsys, path: Path, *extra: str) -> tuple[int, dict]:
    code = main(["verify", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def statuses(doc: dict) -> list[tuple[int, str]]:
    return [(r["no"], r["status"]) for r in doc["rows"]]


def name_cell(wb: openpyxl.Workbook, name: str):
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def table_cell(wb: openpyxl.Workbook, table: str, header: str, row_no: int):
    for ws in wb.worksheets:
        if table in ws.tables:
            first = openpyxl.utils.range_boundaries(ws.tables[table].ref)
            headers = [ws.cell(first[1], c).value for c in range(first[0], first[2] + 1)]
            return ws.cell(first[1] + row_no, first[0] + headers.index(header))
    raise KeyError(table)


def edit(path: Path, change) -> None:
    """Open, change, save with openpyxl: what an outside script (or a colleague's tool) does."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


# ---------------------------------------------------------------------- the chain
def test_the_demo_chain_ends_archived_and_every_row_verifies(chain, capsys):
    code, doc = verify_json(capsys, chain[STAGES])
    assert code == 0 and doc["valid"] and doc["state"] == "final"
    assert statuses(doc) == [(n, "valid") for n in range(1, STAGES + 1)]
    decisions = [r["decision"] for r in doc["rows"]]
    assert decisions[1] == "Dikembalikan ke Kasi Ekbang" and decisions[-1] == "Diarsipkan"
    assert all(r["fingerprint"] for r in doc["rows"])


def test_each_stage_verifies_and_says_whose_turn_it_is(chain, capsys):
    due = ["Langkah 3–4", "Langkah 1–2", "Langkah 3–4", "Langkah 5 (Sekcam)", "Langkah 5 (Camat)", "Langkah 6"]
    for n, expected in enumerate(due, start=1):
        code, doc = verify_json(capsys, chain[n])
        assert (code, doc["state"], len(doc["rows"])) == (0, expected, n)


def test_status_shows_times_in_the_workbooks_zone_and_time_taken_against_the_standard(chain, capsys):
    assert main(["status", str(chain[STAGES])]) == 0
    out = capsys.readouterr().out
    assert "12 Februari 2026 15.30 WIB" in out and "Final" in out
    assert main(["status", str(chain[STAGES]), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["minutes_taken"] is None  # D21: the first step shows "–"
    assert rows[2]["minutes_taken"] == 85  # 13 Feb 09.40 -> 11.05
    assert rows[0]["minutes_standard"] == 75  # steps 1 and 2: 60 + 15 minutes


def test_the_workbook_shows_the_state_in_cells_the_tool_wrote(chain):
    wb = openpyxl.load_workbook(chain[STAGES])
    assert name_cell(wb, contract.STATUS_TAHAP).value.startswith("Final")
    assert "7. Langkah 6: Diarsipkan" in name_cell(wb, contract.STATUS_TERAKHIR).value
    assert "semuanya sah" in name_cell(wb, contract.LEDGER_VERIFIKASI).value
    line = name_cell(wb, contract.signature_line_name("1a Daftar Hadir")).value
    assert line.startswith("3. Langkah 1–2: Diserahkan") and "13 Februari 2026 11.05 WIB" in line
    for name in (contract.STATUS_TAHAP, contract.STATUS_TERAKHIR, contract.LEDGER_VERIFIKASI):
        assert not str(name_cell(wb, name).value).startswith("=")  # values, never formulas
    ws = wb[contract.PERSETUJUAN_SHEET]
    header = table_cell(wb, contract.PERSETUJUAN, "Kunci Publik", 0)
    assert ws.cell(header.row, header.column + 1).value == "Sidik Kunci"
    assert ws.cell(header.row + 1, header.column + 1).value == table_cell(wb, contract.PEJABAT, "Sidik Kunci", 3).value


def test_a_signed_stage_locks_and_a_return_unlocks_it(chain):
    def locked(n: int, sheet: str, name: str) -> bool:
        return name_cell(openpyxl.load_workbook(chain[n]), name).protection.locked

    assert locked(1, "1b", "ba_tempat") and not locked(1, "3", "konsultasi_hasil")
    assert not locked(2, "1b", "ba_tempat")  # returned to Kasi Ekbang
    assert locked(4, "3", "konsultasi_hasil") and locked(4, "Referensi", "iku_target")
    wb = openpyxl.load_workbook(chain[6])
    assert not table_cell(wb, contract.PEJABAT, "Sidik Kunci", 1).protection.locked  # a key may be listed later
    final = openpyxl.load_workbook(chain[STAGES])
    assert (
        final["Referensi"].protection.sheet and table_cell(final, contract.PEJABAT, "Sidik Kunci", 1).protection.locked
    )
    assert name_cell(final, "arsip_nomor").protection.locked


def test_a_sign_off_changes_only_what_it_owns(chain, stage):
    path = stage(5)
    edit(path, lambda wb: wb.create_sheet("Catatan Saya").cell(1, 1, "milik saya"))  # a user's own sheet
    with zipfile.ZipFile(path) as zf:
        before = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    request = services.SignRequest(role="camat", keputusan="Disetujui", keys_home=None, without_key=True)
    services.sign(path, request)
    with zipfile.ZipFile(path) as zf:
        after = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    assert list(before) == list(after)
    changed = {n for n in before if before[n] != after[n]}
    assert all(n.startswith("xl/worksheets/sheet") or n in ("xl/styles.xml", "xl/workbook.xml") for n in changed)
    kept = [n for n in before if n.startswith(("xl/media/", "xl/charts/", "xl/drawings/"))]
    assert kept and all(before[n] == after[n] for n in kept)
    assert openpyxl.load_workbook(path)["Catatan Saya"]["A1"].value == "milik saya"


# ---------------------------------------------------------------------- the tamper matrix
@pytest.mark.parametrize(
    ("n", "name", "value", "row"),
    [
        (1, "ba_tempat", "Balai Desa Sukadana", 1),  # after Kasi Ekbang's hand-over
        (4, "iku_target", 80, 4),  # after Sub. Evapor's report (Referensi is locked with it)
        (4, "konsultasi_hasil", "diubah", 4),
        (6, "camat_catatan", "diubah sesudah disetujui", 6),  # after the Camat's approval
        (7, "arsip_nomor", "ARS/KIN/999/2026", 7),  # after the archive
    ],
)
def test_a_data_cell_changed_after_a_sign_off_is_named(stage, capsys, n, name, value, row):
    path = stage(n)
    where = []
    edit(path, lambda wb: (setattr(name_cell(wb, name), "value", value), where.append(name_cell(wb, name))))
    code, doc = verify_json(capsys, path)
    assert code == 1
    bad = {r["no"]: r for r in doc["rows"] if r["status"] != "valid"}
    assert list(bad) == [row] and bad[row]["status"] == "data_changed"
    assert bad[row]["changed"] == [f"{where[0].parent.title}!{where[0].coordinate}"]
    assert bad[row]["reason"]


def test_a_changed_or_moved_attendance_row_is_named_cell_by_cell(stage, capsys):
    path = stage(4)

    def swap(wb):
        a, b = (table_cell(wb, contract.DAFTAR_HADIR, "Nama", r) for r in (1, 2))
        a.value, b.value = b.value, a.value

    edit(path, swap)
    code, doc = verify_json(capsys, path)
    (bad,) = [r for r in doc["rows"] if r["status"] != "valid"]
    assert (bad["no"], bad["status"]) == (3, "data_changed")  # Kasi Ekbang's second hand-over locked 1a
    assert sorted(bad["changed"]) == ["1a Daftar Hadir!B13", "1a Daftar Hadir!B14"]


def test_changing_a_reopened_stage_is_no_tampering(stage, capsys):
    path = stage(2)  # returned to Kasi Ekbang: steps 1-2 are open again
    edit(path, lambda wb: setattr(name_cell(wb, "ba_tempat"), "value", "Aula baru"))
    code, doc = verify_json(capsys, path)
    assert code == 0 and all(r["status"] == "valid" for r in doc["rows"])


def test_a_replaced_picture_is_a_data_change_at_its_cell(stage, capsys):
    path = stage(3)
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "purple").save(buffer, format="JPEG")
    members = _members(path)
    members["xl/media/image2.jpeg"] = buffer.getvalue()
    _write_members(path, members)
    code, doc = verify_json(capsys, path)
    (bad,) = [r for r in doc["rows"] if r["status"] != "valid"]
    assert (bad["no"], bad["status"]) == (3, "data_changed")
    assert len(bad["changed"]) == 1 and bad["changed"][0].startswith("1c Foto!")


def test_an_edited_ledger_cell_is_forged_and_breaks_the_next_link(stage, capsys):
    path = stage(5)
    edit(path, lambda wb: setattr(table_cell(wb, contract.PERSETUJUAN, "Catatan", 3), "value", "Semua beres"))
    code, doc = verify_json(capsys, path)
    assert code == 1
    assert statuses(doc)[2:4] == [(3, "forged"), (4, "chain_broken")]


def test_a_row_removed_from_the_middle_is_a_broken_chain(stage, capsys):
    path = stage(6)

    def remove_row_3(wb):
        headers = [c.value for c in wb[contract.PERSETUJUAN_SHEET][table_cell(wb, contract.PERSETUJUAN, "No", 0).row]][
            :11
        ]
        for r in range(3, 6):
            for h in headers:
                table_cell(wb, contract.PERSETUJUAN, h, r).value = table_cell(wb, contract.PERSETUJUAN, h, r + 1).value
        for h in LEDGER_HEADERS:
            table_cell(wb, contract.PERSETUJUAN, h, 6).value = None

    edit(path, remove_row_3)
    code, doc = verify_json(capsys, path)
    assert code == 1 and statuses(doc)[:2] == [(1, "valid"), (2, "valid")]
    assert doc["rows"][2]["status"] == "chain_broken" and doc["rows"][2]["no"] == 4


def test_reordered_rows_are_a_broken_chain(stage, capsys):
    path = stage(6)

    def swap(wb):
        for h in LEDGER_HEADERS:
            a, b = table_cell(wb, contract.PERSETUJUAN, h, 5), table_cell(wb, contract.PERSETUJUAN, h, 6)
            a.value, b.value = b.value, a.value
        # renumbered too, so nothing gives it away but the signatures
        table_cell(wb, contract.PERSETUJUAN, "No", 5).value, table_cell(wb, contract.PERSETUJUAN, "No", 6).value = 5, 6

    edit(path, swap)
    code, doc = verify_json(capsys, path)
    assert code == 1 and {r["status"] for r in doc["rows"][4:6]} <= {"forged", "chain_broken"}
    assert doc["rows"][4]["status"] != "valid" and doc["rows"][5]["status"] != "valid"


def test_rows_copied_into_another_workbook_are_told_so(stage, capsys):
    path = stage(STAGES)
    edit(path, lambda wb: _set_meta(wb, contract.META_WORKBOOK_ID, "00000000-0000-4000-8000-000000000000"))
    code, doc = verify_json(capsys, path)
    assert code == 1 and doc["rows"][0]["status"] == "forged"
    assert "00000000-0000-4000-8000-000000000000" in doc["rows"][0]["reason"]


def test_a_row_pasted_from_another_workbook_does_not_verify(chain, tmp_path, capsys):
    """Someone copies the Camat's approval row into a fresh workbook of the same office."""
    fresh = tmp_path / "fresh.xlsx"
    shutil.copyfile(chain[4], fresh)
    edit(fresh, lambda wb: _set_meta(wb, contract.META_WORKBOOK_ID, "11111111-1111-4111-8111-111111111111"))
    source = openpyxl.load_workbook(chain[STAGES])

    def paste(wb):
        for h in LEDGER_HEADERS:
            table_cell(wb, contract.PERSETUJUAN, h, 5).value = table_cell(source, contract.PERSETUJUAN, h, 5).value

    edit(fresh, paste)
    code, doc = verify_json(capsys, fresh)
    assert code == 1 and doc["rows"][4]["status"] in ("forged", "chain_broken")


def test_protection_removed_and_put_back_is_no_data_change(stage, capsys):
    path = stage(STAGES)

    def unprotect(wb):
        for ws in wb.worksheets:
            ws.protection.sheet = False

    edit(path, unprotect)
    assert verify_json(capsys, path)[0] == 0
    edit(path, lambda wb: [setattr(ws.protection, "sheet", True) for ws in wb.worksheets])
    assert verify_json(capsys, path)[0] == 0


def test_a_fingerprint_typed_differently_is_the_same_key(stage, capsys):
    path = stage(STAGES)
    edit(path, lambda wb: [setattr(c, "value", c.value.lower().replace("-", " ")) for c in _fingerprint_cells(wb)])
    assert verify_json(capsys, path)[0] == 0


def test_a_key_not_in_the_office_roster_is_forged(chain, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    lines = _roster(chain[STAGES])
    _write_csv(roster, [lines[0]] + [line for line in lines[1:] if line[0] != "Camat"])
    code, doc = verify_json(capsys, chain[STAGES], "--roster", str(roster))
    assert code == 1
    camat = [r for r in doc["rows"] if r["role"] == "Camat"]
    assert camat and all(r["status"] == "forged" for r in camat)
    assert all(r["status"] == "valid" for r in doc["rows"] if r["role"] != "Camat")
    assert doc["roster"] == str(roster)


def test_the_full_roster_proves_every_signer_and_a_later_start_date_does_not(chain, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    _write_csv(roster, _roster(chain[STAGES]))
    assert verify_json(capsys, chain[STAGES], "--roster", str(roster))[0] == 0
    late = [line if i == 0 else [*line[:4], "2026-03-01"] for i, line in enumerate(_roster(chain[STAGES]))]
    _write_csv(roster, late)
    code, doc = verify_json(capsys, chain[STAGES], "--roster", str(roster))
    assert code == 1 and {r["status"] for r in doc["rows"]} == {"forged"}


def test_the_validator_reports_a_tampered_row_at_its_sidik_isi_cell(stage):
    path = stage(6)
    edit(path, lambda wb: setattr(name_cell(wb, "camat_catatan"), "value", "diubah"))
    found = [f for f in validate_file(path).findings if f.sheet == contract.PERSETUJUAN_SHEET]
    wb = openpyxl.load_workbook(path)
    assert [(f.code, f.cell) for f in found] == [
        ("LEDGER_DATA_BERUBAH", table_cell(wb, contract.PERSETUJUAN, "Sidik Isi", 6).coordinate)
    ]
    assert found[0].level.value == "Galat" and "5 Persetujuan Camat!" in found[0].render()[0]


# ---------------------------------------------------------------------- other programs' honest re-saves
def test_an_openpyxl_resave_without_changes_still_verifies(stage, capsys):
    path = stage(STAGES)
    edit(path, lambda wb: None)
    assert verify_json(capsys, path)[0] == 0


@pytest.mark.libreoffice
def test_a_libreoffice_resave_verifies_and_a_change_made_in_libreoffice_is_named(chain, tmp_path, capsys):
    from libreoffice import convert

    resaved = convert(chain[STAGES], tmp_path / "resaved", "xlsx")
    assert verify_json(capsys, resaved)[0] == 0
    flat = convert(chain[STAGES], tmp_path / "flat", "fods")  # LibreOffice's own format, as text
    text = flat.read_text("utf-8")
    assert text.count("ARS/KIN/012/2026") == 1
    flat.write_text(text.replace("ARS/KIN/012/2026", "ARS/KIN/013/2026"), "utf-8")
    changed = convert(flat, tmp_path / "changed", "xlsx")  # LibreOffice writes the .xlsx
    code, doc = verify_json(capsys, changed)
    assert code == 1
    (bad,) = [r for r in doc["rows"] if r["status"] != "valid"]
    assert bad["status"] == "data_changed" and bad["changed"][0].startswith("6 Arsip!B")


# ---------------------------------------------------------------------- refusals: exit 2, file untouched
def _sign(capsys, path: Path, *args: str) -> tuple[int, dict]:
    code = main(["sign", str(path), "--json", "--yes", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("n", "args", "error"),
    [
        (1, ["--peran", "camat", "--keputusan", "Disetujui", "--tanpa-kunci"], "TTD_BUKAN_GILIRAN"),
        (1, ["--peran", "sub-evapor", "--keputusan", "Setuju", "--tanpa-kunci"], "TTD_KEPUTUSAN_SALAH"),
        (STAGES, ["--peran", "sub-evapor", "--keputusan", "Diarsipkan", "--tanpa-kunci"], "TTD_FINAL"),
        (5, ["--peran", "camat", "--keputusan", "Disetujui"], "TTD_TANPA_KUNCI"),
    ],
)
def test_a_sign_off_out_of_turn_or_without_a_key_is_refused(stage, capsys, monkeypatch, tmp_path, n, args, error):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "empty-profile"))
    path = stage(n)
    before = path.read_bytes()
    code, doc = _sign(capsys, path, *args)
    assert (code, doc["error"]["code"]) == (2, error)
    assert path.read_bytes() == before and not (path.parent / f"{path.stem}.bak.xlsx").exists()


def test_a_stage_with_a_galat_cannot_be_passed_on_but_can_be_returned(stage, capsys):
    path = stage(1)  # Sub. Evapor's turn; the target is missed and the consultation is not recorded yet
    before = path.read_bytes()
    code, doc = _sign(capsys, path, "--peran", "sub-evapor", "--keputusan", "dilaporkan ke sekcam", "--tanpa-kunci")
    assert (code, doc["error"]["code"]) == (2, "TTD_MASIH_GALAT")
    assert path.read_bytes() == before
    code, doc = _sign(
        capsys, path, "--peran", "sub-evapor", "--keputusan", "DIKEMBALIKAN ke kasi ekbang", "--tanpa-kunci"
    )
    assert code == 0 and doc["state"] == "Langkah 1–2"


def test_a_ledger_that_does_not_verify_takes_no_new_sign_off(stage, capsys):
    path = stage(5)
    edit(path, lambda wb: setattr(name_cell(wb, "konsultasi_hasil"), "value", "diubah"))
    before = path.read_bytes()
    code, doc = _sign(capsys, path, "--peran", "camat", "--keputusan", "Disetujui", "--tanpa-kunci")
    assert (code, doc["error"]["code"]) == (2, "TTD_BARIS_TIDAK_SAH")
    assert path.read_bytes() == before


def test_a_workbook_open_in_excel_or_read_only_or_not_ours_is_left_alone(stage, capsys, monkeypatch, tmp_path):
    path = stage(5)
    before = path.read_bytes()
    args = ("--peran", "camat", "--keputusan", "Disetujui", "--tanpa-kunci")
    path.chmod(0o444)
    assert _sign(capsys, path, *args)[1]["error"]["code"] == "BERKAS_HANYA_BACA"
    path.chmod(0o644)

    def locked(src, dst):
        raise PermissionError(13, "used by another process")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", locked)
        code, doc = _sign(capsys, path, *args)
    assert (code, doc["error"]["code"]) == (2, "BERKAS_TERKUNCI")
    assert path.read_bytes() == before
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.save(other)
    assert _sign(capsys, other, *args)[1]["error"]["code"] == "BERKAS_BUKAN_TEMPLAT"


def test_a_wrong_passphrase_is_its_own_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    secret = tmp_path / "sandi.txt"
    secret.write_text("benar sekali\n")
    assert (
        main(
            [
                "key",
                "new",
                "--peran",
                "kasi-ekbang",
                "--nama",
                "Dedi",
                "--nip",
                "198407212006101001",
                "--passphrase-file",
                str(secret),
            ]
        )
        == 0
    )
    fingerprint = capsys.readouterr().out.strip().splitlines()[-1]
    book = tmp_path / "book.xlsx"
    _book_for_kasi(book, fingerprint)
    wrong = tmp_path / "salah.txt"
    wrong.write_text("salah\n")
    before = book.read_bytes()
    code, doc = _sign(
        capsys, book, "--peran", "kasi-ekbang", "--keputusan", "Diserahkan", "--passphrase-file", str(wrong)
    )
    assert (code, doc["error"]["code"]) == (2, "KUNCI_SANDI_SALAH") and book.read_bytes() == before
    code, doc = _sign(
        capsys, book, "--peran", "kasi-ekbang", "--keputusan", "Diserahkan", "--passphrase-file", str(secret)
    )
    assert code == 0
    assert verify_json(capsys, book)[1]["rows"][0]["status"] == "valid"


def test_a_key_not_yet_listed_in_tblpejabat_is_refused_with_its_fingerprint(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    main(["key", "new", "--peran", "kasi-ekbang", "--nama", "Dedi", "--nip", "198407212006101001"])
    fingerprint = capsys.readouterr().out.strip().splitlines()[-1]
    book = tmp_path / "book.xlsx"
    _book_for_kasi(book, None)
    code, doc = _sign(capsys, book, "--peran", "kasi-ekbang", "--keputusan", "Diserahkan")
    assert (code, doc["error"]["code"]) == (2, "TTD_KUNCI_BELUM_TERCATAT")
    assert fingerprint in doc["error"]["message"]


# ---------------------------------------------------------------------- keys, unsigned rows, diff
def test_a_new_key_is_private_to_its_owner_and_its_fingerprint_is_the_last_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    assert main(["key", "new", "--peran", "sekcam", "--nama", "Euis", "--nip", "19761102 200104 2 003"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(last) == 24 and last.count("-") == 4
    (pem,) = (tmp_path / "home" / "keys").glob("*.pem")
    assert pem.stat().st_mode & 0o777 == 0o600
    assert main(["key", "list", "--json"]) == 0
    assert [k["fingerprint"] for k in json.loads(capsys.readouterr().out)["keys"]] == [last]
    assert main(["key", "export"]) == 0
    exported = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert exported[0] == ["Peran", "Nama", "NIP", "Sidik Kunci", "Berlaku Mulai"]
    assert exported[1][:4] == ["Sekcam", "Euis", "197611022001042003", last]


def test_a_sign_off_without_a_key_verifies_with_a_warning_that_it_proves_no_identity(stage, capsys):
    path = stage(5)
    code, _ = _sign(capsys, path, "--peran", "camat", "--keputusan", "Disetujui", "--tanpa-kunci")
    assert code == 0
    code, doc = verify_json(capsys, path)
    assert code == 0 and doc["rows"][-1]["status"] == "unsigned"
    main(["verify", str(path)])
    assert "tidak membuktikan" in capsys.readouterr().out
    assert "LEDGER_TANPA_KUNCI" in {f.code for f in validate_file(path).findings}


def test_diff_names_the_cells_that_changed_between_two_copies(chain, capsys):
    assert main(["diff", str(chain[1]), str(chain[3]), "--json"]) == 1
    changes = json.loads(capsys.readouterr().out)["changes"]
    delegasi = [c for c in changes if c["sheet"] == "1a Daftar Hadir"]
    assert len(delegasi) == 5 and {(c["old"], c["new"]) for c in delegasi} == {("Tidak", "Ya")}
    assert main(["diff", str(chain[STAGES]), str(chain[STAGES])]) == 0


def test_an_empty_ledger_verifies_nothing(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    main(["new", "-o", str(path)])
    capsys.readouterr()
    code, doc = verify_json(capsys, path)
    assert code == 1 and doc["rows"] == [] and doc["valid"] is False


def test_validate_write_on_a_final_workbook_keeps_it_verified(stage, capsys):
    path = stage(STAGES)
    assert main(["validate", str(path), "--write"]) == 0
    capsys.readouterr()
    assert verify_json(capsys, path)[0] == 0


# ---------------------------------------------------------------------- helpers
def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _write_members(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _set_meta(wb, key: str, value: str) -> None:
    ws = wb[contract.META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == key:
            row[1].value = value


def _fingerprint_cells(wb):
    cells = []
    for n in range(1, 13):
        cell = table_cell(wb, contract.PEJABAT, "Sidik Kunci", n)
        if cell.value:
            cells.append(cell)
    return cells


def _roster(path: Path) -> list[list[str]]:
    wb = openpyxl.load_workbook(path)
    lines = [["Peran", "Nama", "NIP", "Sidik Kunci", "Berlaku Mulai"]]
    for n in range(1, 13):
        peran = table_cell(wb, contract.PEJABAT, "Peran", n).value
        if peran:
            values = [table_cell(wb, contract.PEJABAT, h, n).value for h in ("Peran", "Nama", "NIP", "Sidik Kunci")]
            lines.append([*values, "2026-01-01"])
    return lines


def _write_csv(path: Path, lines: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(lines)


def _book_for_kasi(path: Path, fingerprint: str | None) -> None:
    """The demo's inputs with Dedi as Kasi Ekbang (the demo's NIP) and his key listed."""
    from kinerja.templates.builder import save_workbook
    from kinerja.templates.demo import demo_inputs

    inputs = demo_inputs()
    for row in inputs.rows[contract.PEJABAT]:
        if row["Peran"] == "Kasi Ekbang":
            row["Nama"], row["Sidik Kunci"] = "Dedi", fingerprint
    save_workbook(path, inputs)


def test_a_live_workbook_without_picture_bytes_verifies_its_values_and_names_a_change(chain):
    """The add-in's route reads values but no picture bytes: the ledger still checks every
    value, and says nothing false about the pictures it cannot see."""
    from test_source import memory_copy

    from kinerja.core.assemble import assemble
    from kinerja.ledger.verify import verify

    source = memory_copy(chain[STAGES])
    assert verify(assemble(source, contract.definition()), contract.definition()).ok
    model = assemble(source, contract.definition())
    cell = model.names["arsip_nomor"]
    source.cells[cell.sheet][_row_col(cell.ref)] = "ARS/KIN/999/2026"
    result = verify(assemble(source, contract.definition()), contract.definition())
    (bad,) = result.failing
    assert bad.status == "data_changed" and [c.address for c in bad.changed] == [f"{cell.sheet}!{cell.ref}"]


def _row_col(ref: str) -> tuple[int, int]:
    from kinerja.core.cells import parse_a1

    return parse_a1(ref)
