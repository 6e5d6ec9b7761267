"""Hostile input, bad usage and wrong formats (D25, D29, D31): every file in the generated
corpus (tests/hostile.py) and in tests/corpus/ gets exactly one JSON document from
`kinerja validate --json`, never an internal error, exit 0/1 with findings or exit 2 with
its own code, and is left exactly as it was."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from hostile import Case, build_corpus
from paths import CORPUS

from kinerja.cli import main


@pytest.fixture(scope="session")
def hostile_corpus(demo_workbook, tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("hostile"), demo_workbook, include_slow=False)


def _case_ids(corpus):
    return [case.name for case, _ in corpus]


def validate_json(capsys, path) -> tuple[int, dict]:
    code = main(["validate", str(path), "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)  # exactly one document, or json.loads fails


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_answered(code: int, doc: dict, case: Case | None = None) -> None:
    """The invariants every input gets, whatever it is."""
    if code == 2:
        assert set(doc) == {"file", "error"}, doc
        assert doc["error"]["code"] != "GALAT_INTERNAL", doc
        assert doc["error"]["message"] and doc["error"]["fix"]
    else:
        assert code in (0, 1), code
        assert {"file", "iku", "findings"} <= set(doc) <= {"file", "iku", "findings", "workbook", "ledger", "counts"}
        assert not [f for f in doc["findings"] if f["code"] == "GALAT_ATURAN"], doc["findings"]
        assert code == (1 if any(f["level"] == "error" for f in doc["findings"]) else 0)
    if case is None:
        return
    expect = case.expect
    if expect.error:
        assert code == 2, (case.name, doc)
        assert doc["error"]["code"] == expect.error, (case.name, doc["error"])
        assert doc["error"].get("reason") == expect.reason, (case.name, doc["error"])
        if expect.cell:
            assert doc["error"]["cell"] == expect.cell
    else:
        assert code in (0, 1), (case.name, doc)
        found = [(f["code"], f["sheet"], f["cell"]) for f in doc["findings"]]
        for code_, sheet, cell in expect.findings:
            assert any(c == code_ and sheet in (None, s) and cell in (None, r) for c, s, r in found), (
                case.name,
                (code_, sheet, cell),
                found,
            )


def test_every_generated_file_is_answered_with_its_own_code(hostile_corpus, capsys):
    failures = []
    for case, path in hostile_corpus:
        before = digest(path)
        try:
            code, doc = validate_json(capsys, path)
            assert_answered(code, doc, case)
            assert digest(path) == before, "the input changed"
        except AssertionError as exc:
            failures.append(f"{case.name}: {exc}")
    assert not failures, "\n".join(failures)


def test_the_corpus_covers_every_class_the_issue_names(hostile_corpus):
    names = {case.name for case, _ in hostile_corpus}
    for needed in (
        "not-a-zip",
        "truncated-download",
        "xls-renamed",
        "xlsb-renamed",
        "ods-renamed",
        "csv-utf8-renamed",
        "csv-windows1252-renamed",
        "html-save-as-web-page",
        "encrypted",
        "billion-laughs",
        "xxe",
        "zip-bomb-200mb",
        "sheet-renamed",
        "sheet-deleted",
        "table-deleted",
        "name-deleted",
        "name-pointing-to-ref-error",
        "table-ref-malformed",
        "merged-cells-across-a-table",
        "text-in-number-cells",
        "indonesian-text-date",
        "nip-as-a-float",
        "emoji-and-32767-characters",
        "text-starting-with-formula-signs",
        "stray-cell-xfd1048576",
        "million-row-sheet",
        "table-stretched-to-1048576",
        "inf-and-nan-in-number-cells",
        "corrupt-deflate-stream",
        "picture-header-30000x30000",
        "doctype-in-sheet",
        "excel-365-and-classic-errors",
    ):
        assert needed in names, needed


@pytest.mark.parametrize(
    "name", ["stray-cell-xfd1048576", "zip-bomb-200mb", "billion-laughs", "excel-365-and-classic-errors", "not-a-zip"]
)
def test_a_real_process_prints_one_json_document_and_no_traceback(hostile_corpus, name):
    """The one cell at XFD1048576 used to abort the process with no output at all."""
    case, path = next((c, p) for c, p in hostile_corpus if c.name == name)
    done = subprocess.run(
        [sys.executable, "-m", "kinerja", "validate", str(path), "--json"], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr
    assert_answered(done.returncode, json.loads(done.stdout), case)


def test_every_corpus_file_gets_the_same_answers(capsys):
    for path in sorted(p for p in CORPUS.iterdir() if p.name not in ("MANIFEST.tsv", "README.md")):
        before = digest(path)
        code, doc = validate_json(capsys, path)
        assert_answered(code, doc)
        assert code == 2, path.name  # none of them is a kinerja workbook
        assert digest(path) == before


def test_a_rule_that_fails_costs_one_finding_not_the_report(book, monkeypatch, capsys):
    """D29: an exception inside one rule is one Galat naming it; every other finding stays."""
    from kinerja.validators import engine

    def breaks(ctx):
        yield from ()
        raise ZeroDivisionError

    book.set_name("ba_tempat", None)
    path = book.save()
    monkeypatch.setattr(engine, "RULES", (breaks, *engine.RULES))
    monkeypatch.delenv("KINERJA_DEBUG", raising=False)
    code, doc = validate_json(capsys, path)
    codes = [(f["code"], f["sheet"]) for f in doc["findings"]]
    assert code == 1
    assert ("GALAT_ATURAN", "Hasil Validasi") in codes
    assert ("ISIAN_KOSONG", "1b Berita Acara") in codes
    (failed,) = [f for f in doc["findings"] if f["code"] == "GALAT_ATURAN"]
    assert "breaks" in failed["message"]
