"""Every write into an existing workbook goes through one edit session (D27): one read,
one writer at a time, nothing written when the file changed meanwhile, a symlink's target
written, long values kept within Excel's cell limit, and a write killed at any moment
leaves the original, a good backup, and nothing anyone would mistake for a workbook."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from planting import Planter

from kinerja.cli import main
from kinerja.core import contract
from kinerja.xlsx import atomic
from kinerja.xlsx.edit import EditSession
from kinerja.xlsx.reader import read_workbook


def run_json(capsys, *args) -> tuple[int, dict]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def workbook_like(folder: Path) -> list[str]:
    """What a user's file manager, Excel's open dialog or `kinerja rekap` would list."""
    return sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"))


def test_a_symlinked_workbook_is_written_through_its_link(book, tmp_path):
    real = book.save()
    link = tmp_path / "shortcut.xlsx"
    link.symlink_to(real)
    before = real.read_bytes()
    assert main(["validate", str(link), "--write"]) == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != before
    assert (real.parent / "book.bak.xlsx").read_bytes() == before


def test_a_second_writer_waits_briefly_then_refuses(book, capsys, monkeypatch):
    path = book.save()
    before = path.read_bytes()
    monkeypatch.setattr(atomic, "LOCK_WAIT_SECONDS", 0.3)
    with atomic.writer_lock(path):
        code, doc = run_json(capsys, "validate", str(path), "--write")
    assert (code, doc["error"]["code"]) == (2, "BERKAS_SEDANG_DITULIS")
    assert path.read_bytes() == before
    assert main(["validate", str(path), "--write"]) == 0  # the lock is gone with its holder


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(book):
    path = book.save()
    atomic.lock_path(path).write_text("999999999\n")  # no such process
    assert main(["validate", str(path), "--write"]) == 0
    assert not atomic.lock_path(path).exists()


def test_two_writers_at_once_both_finish_one_after_the_other(book, monkeypatch):
    path = book.save()
    monkeypatch.setattr(atomic, "LOCK_WAIT_SECONDS", 60)  # however slow the machine, the second waits
    results = []
    threads = [threading.Thread(target=lambda: results.append(main(["validate", str(path), "--write"]))) for _ in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0, 0]
    assert read_workbook(path).tables[contract.HASIL_VALIDASI].rows[0].values["Kode"]


def test_a_file_saved_meanwhile_is_not_overwritten(book, capsys, monkeypatch):
    """Excel saves the workbook while the command is between reading and writing."""
    path = book.save()
    from kinerja.xlsx import results

    original = results.write_results

    def save_meanwhile(session, *args, **kwargs):
        other = Planter(path)
        other.set_name("ba_tempat", "Balai Desa")
        other.save()
        return original(session, *args, **kwargs)

    monkeypatch.setattr(results, "write_results", save_meanwhile)
    code, doc = run_json(capsys, "validate", str(path), "--write")
    saved = path.read_bytes()
    assert (code, doc["error"]["code"]) == (2, "BERKAS_BERUBAH")
    assert read_workbook(path).value("ba_tempat") == "Balai Desa"
    assert path.read_bytes() == saved
    assert workbook_like(path.parent) == ["book.xlsx"]


def test_the_output_says_where_the_previous_version_is_kept(book, capsys):
    path = book.save()
    main(["validate", str(path), "--write"])
    assert str(path.parent / "book.bak.xlsx") in capsys.readouterr().out
    code, doc = run_json(capsys, "validate", str(path), "--write")
    assert doc["backup"] == str(path.parent / "book.bak.xlsx")


def test_a_meta_value_longer_than_a_cell_is_chunked_and_read_back_whole(book):
    path = book.save()
    long_value = "".join(f"{i:06d}," for i in range(12_000))  # 84,000 characters
    with EditSession.open(path) as session:
        session.meta.set("probe", long_value)
        session.commit()
    assert read_workbook(path).meta["probe"] == long_value
    ws = openpyxl.load_workbook(path)[contract.META_SHEET]
    assert max(len(str(c.value or "")) for row in ws.iter_rows() for c in row) <= 32_767
    with EditSession.open(path) as session:
        session.meta.set("probe", "short")
        session.commit()
    assert read_workbook(path).meta["probe"] == "short"


def test_an_echoed_value_longer_than_a_cell_is_shortened_with_an_ellipsis(book):
    book.set_name("ba_jumlah_peserta", "x" * 32_767)  # text in a number cell: its message echoes it
    path = book.save()
    main(["validate", str(path), "--write"])
    ws = openpyxl.load_workbook(path)[contract.HASIL_SHEET]
    longest = max((str(c.value) for row in ws.iter_rows() for c in row if c.value), key=len)
    assert len(longest) == 32_767 and longest.endswith("…")


def test_rows_and_cells_without_an_r_attribute_are_written_once(book):
    """Legal OOXML that some programs write: positions implied by order."""
    path = book.save()
    part = _sheet_part(path, contract.HASIL_SHEET)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members[part] = re.sub(rb'(<(?:row|c)\b[^>]*?) r="[A-Z]*\d+"', rb"\1", members[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    book.set_name("ba_tempat", None)
    main(["validate", str(path), "--write"])
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read(part)
    refs = re.findall(rb'<c\b[^>]*\br="([A-Z]+\d+)"', sheet)
    assert len(refs) == len(set(refs))
    assert read_workbook(path).tables[contract.HASIL_VALIDASI].rows[0].values["Kode"]


def _sheet_part(path: Path, sheet: str) -> str:
    from test_write_results import sheet_part

    return sheet_part(path, sheet)


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    calls = {"n": 0}
    real = os.replace
    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst)
    os.replace = replace
    if sys.argv[2] == "0":  # killed while the new file is being written
        import zipfile
        real_write = zipfile.ZipFile.writestr
        def writestr(self, *a, **k):
            if "styles" in str(a[0].filename if hasattr(a[0], "filename") else a[0]):
                os.kill(os.getpid(), signal.SIGKILL)
            return real_write(self, *a, **k)
        zipfile.ZipFile.writestr = writestr
    from kinerja.cli import main
    main(["validate", sys.argv[1], "--write"])
    """
)


@pytest.mark.parametrize("moment", ["0", "1", "2"], ids=["while-writing", "at-backup", "at-replace"])
def test_a_write_killed_at_any_moment_leaves_the_original_and_a_good_backup(book, tmp_path, moment):
    path = book.save()
    main(["validate", str(path), "--write"])  # a first good write: there is a backup to protect
    before = path.read_bytes()
    backup_before = (path.parent / "book.bak.xlsx").read_bytes()
    result = subprocess.run([sys.executable, "-c", KILLER, str(path), moment], capture_output=True)
    assert result.returncode == -9
    assert path.read_bytes() == before or read_workbook(path).tables[contract.HASIL_VALIDASI]
    read_workbook(path)  # whatever the moment: a whole workbook
    backup = (path.parent / "book.bak.xlsx").read_bytes()
    assert backup in (backup_before, before)
    read_workbook(path.parent / "book.bak.xlsx")
    assert workbook_like(path.parent) == ["book.bak.xlsx", "book.xlsx"]
    assert main(["validate", str(path), "--write"]) == 0  # the next run cleans up after it
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".~")] == []


def test_scratch_files_are_recognisable_as_ours(tmp_path):
    target = tmp_path / "book.xlsx"
    assert atomic.is_scratch(atomic.lock_path(target))
    assert not atomic.is_scratch(target) and not atomic.is_scratch(atomic.backup_path(target))
    tmp = atomic._temp_beside(target)
    assert atomic.is_scratch(tmp) and tmp.suffix != ".xlsx"
    os.unlink(tmp)
