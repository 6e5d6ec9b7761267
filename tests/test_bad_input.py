"""Files that are not a usable workbook: each gets its own Indonesian message, exit 2,
one JSON document with --json, no traceback, and the file is left exactly as it was."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import CORPUS

from kinerja.cli import main


def run_json(capsys, *args):
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("corpus_file", "code"),
    [
        ("excel__hidden-veryhidden-chartsheet.xls", "BERKAS_XLS_LAMA"),
        ("excel__hidden-veryhidden-chartsheet.xlsb", "BERKAS_XLSB"),
        ("msoffice__hidden-veryhidden-chartsheet.ods", "BERKAS_ODS"),
        ("excelize__encrypted-password.xlsx", "BERKAS_BERSANDI"),
        ("csv__semicolon-separated.csv", "BERKAS_BUKAN_XLSX"),
        ("broken__no-content-types.xlsx", "BERKAS_RUSAK"),
        ("excel__budget-template-table-chart-cf.xlsx", "BERKAS_BUKAN_TEMPLAT"),
        ("excel__strict-ooxml-veryhidden.xlsx", "BERKAS_BUKAN_TEMPLAT"),
        ("broken__xml-entity-bomb.xlsx", "BERKAS_BUKAN_TEMPLAT"),
        ("sheetjs__odd-part-paths.xlsx", "BERKAS_BUKAN_TEMPLAT"),
    ],
)
def test_a_foreign_or_broken_file_gets_its_own_message_and_exit_2(tmp_path, capsys, corpus_file, code):
    copy = tmp_path / corpus_file
    shutil.copyfile(CORPUS / corpus_file, copy)
    before = digest(copy)
    exit_code, doc = run_json(capsys, "validate", str(copy), "--write")
    assert exit_code == 2
    assert doc["error"]["code"] == code
    assert doc["error"]["message"] and doc["error"]["fix"]
    assert doc["file"] == str(copy)
    assert digest(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [corpus_file]  # no backup, no temp file left


def test_every_corpus_file_is_answered_without_a_traceback(capsys):
    for path in sorted(p for p in CORPUS.iterdir() if p.name not in ("MANIFEST.tsv", "README.md")):
        exit_code, doc = run_json(capsys, "validate", str(path))
        assert exit_code == 2, path.name
        assert doc["error"]["code"].startswith(("BERKAS_", "STRUKTUR_")), (path.name, doc)


def test_a_missing_file_and_a_folder_are_told_apart(tmp_path, capsys):
    assert run_json(capsys, "validate", str(tmp_path / "tidak-ada.xlsx"))[1]["error"]["code"] == "BERKAS_TIDAK_ADA"
    assert run_json(capsys, "validate", str(tmp_path))[1]["error"]["code"] == "BERKAS_FOLDER"


def test_an_empty_file_named_xlsx_is_not_a_workbook(tmp_path, capsys):
    empty = tmp_path / "kosong.xlsx"
    empty.write_bytes(b"")
    _, doc = run_json(capsys, "validate", str(empty))
    assert doc["error"]["code"] == "BERKAS_BUKAN_XLSX"
    assert "kosong" in doc["error"]["message"]


def test_a_truncated_download_is_called_damaged(tmp_path, capsys):
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes((CORPUS / "excel__date1904.xlsx").read_bytes()[:3000])
    _, doc = run_json(capsys, "validate", str(cut))
    assert doc["error"]["code"] == "BERKAS_RUSAK"


def test_bad_usage_is_exit_2_with_an_indonesian_hint(capsys):
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "kinerja --help" in err


def test_the_installed_command_prints_no_traceback(tmp_path):
    text = tmp_path / "catatan.xlsx"
    text.write_text("ini bukan buku kerja", "utf-8")
    done = subprocess.run([sys.executable, "-m", "kinerja", "validate", str(text)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "bukan buku kerja Excel" in done.stderr
    assert done.stdout == ""
