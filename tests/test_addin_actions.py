"""The Validasi and Status buttons on a real ``xlwings.Book(json=...)`` built from real
workbooks, without Excel: the actions they return, played back onto the file, give the
results sheet, the marks and their record that ``kinerja validate --write`` gives; a fix
unmarks its cell on the next click; the two routes unmark each other's marks; and every
bad input is one dialog with the catalogue's message and fix."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from addin_hosts import ScriptedHost, play
from kinerja.addin import actions
from kinerja.addin.payload import alerts, book_payload
from kinerja.validators.engine import validate_model
from planting import Planter
from remote_xlwings import remote_xlwings
from test_write_results import name_value, results_rows

from kinerja import present, services
from kinerja.core import contract
from kinerja.core.findings import KinerjaError, text
from kinerja.xlsx.edit import EditSession
from kinerja.xlsx.results import write_results

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
NOW = dt.datetime(2026, 2, 12, 10, 15, tzinfo=WIB)
MARK = "FF" + present.MARK_RGB[present.Level.GALAT]


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> tuple[Path, ...]:
    """The demo signed through the whole SOP: the workbook after each sign-off."""
    return services.build_demo(tmp_path_factory.mktemp("chain")).stages


def defects(book: Planter) -> Path:
    """A handful of input mistakes, each at its own cell, planted as an outsider would."""
    book.set_name("ba_tempat", None)
    book.set_name("ba_jumlah_peserta", 97)
    book.set_name("ba_tanggal", "12/02/2026")  # a date typed as text
    book.set(contract.DAFTAR_HADIR, "Delegasi", 1, "yes")
    book.set(contract.DAFTAR_HADIR, "L/P", 2, "X")
    book.set(contract.PEJABAT, "NIP", 1, 197803152000031002)  # a NIP typed as a number
    book.below(contract.FOTO, "Keterangan").value = "Foto tambahan"
    return book.save()


def validate_in_book(xw, path: Path, out: Path, host_answers=None):
    book = xw.Book(json=json.loads(json.dumps(book_payload(path))))
    host = ScriptedHost(book, host_answers)
    actions.validasi(book, host, now=NOW)
    return play(path, book, out), host, book


def validate_file_route(path: Path) -> Path:
    with EditSession.open(path) as session:
        laporan = validate_model(session.model)
        session.commit(write_results(session, laporan, "id", now=NOW))
    return path


def filled(path: Path) -> set[tuple[str, str]]:
    """Cells (sheet, ref) wearing the mark colour (Petunjuk's colour legend aside)."""
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        if ws.title not in present.UNMARKED_SHEETS
        for row in ws.iter_rows()
        for c in row
        if c.fill is not None and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb).upper().endswith(MARK[-6:])
    }


def links(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[contract.HASIL_SHEET]
    return {c.coordinate: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}


def meta_record(path: Path) -> present.Marks:
    from kinerja.xlsx.reader import read_workbook

    return present.Marks.parse(read_workbook(path).meta.get(contract.META_MARKED_CELLS))


def protection(path: Path) -> dict[str, tuple]:
    wb = openpyxl.load_workbook(path)
    keys = ("sheet", "objects", "scenarios", "formatColumns", "formatRows", "autoFilter", "formatCells")
    return {ws.title: tuple(bool(getattr(ws.protection, k)) for k in keys) for ws in wb.worksheets}


# ---------------------------------------------------------------------- (a) actions played back
def test_addin_validasi_writes_the_results_sheet_marks_and_record_that_validate_write_writes(xw, book, tmp_path):
    path = defects(book)
    by_file = validate_file_route(Path(shutil.copyfile(path, tmp_path / "via-file.xlsx")))
    by_book, host, _ = validate_in_book(xw, path, tmp_path / "via-book.xlsx")

    assert results_rows(by_book) == results_rows(by_file)
    assert links(by_book) == links(by_file)
    assert filled(by_book) == filled(by_file) != set()
    assert meta_record(by_book).cells == meta_record(by_file).cells
    assert protection(by_book) == protection(path)  # every sheet it touched protected again, as the template has it
    wb = openpyxl.load_workbook(by_book)
    assert wb.active.title == contract.HASIL_SHEET
    summary = name_value(wb, contract.HASIL_RINGKASAN)
    assert summary.startswith(name_value(openpyxl.load_workbook(by_file), contract.HASIL_RINGKASAN))
    assert name_value(wb, contract.STATUS_VALIDASI) == summary

    (dialog,) = host.dialogs
    laporan = services.validate(path).laporan
    assert dialog["title"] == text("ADDIN_JUDUL_VALIDASI").pesan and dialog["mode"] == "critical"
    assert f"{laporan.count(present.Level.GALAT)} Galat" in dialog["prompt"]
    assert "Hasil Validasi" in dialog["prompt"] and "foto" in dialog["prompt"]  # says what it did not check


def test_addin_validasi_texts_that_look_like_numbers_or_formulas_land_as_text(xw, book, tmp_path):
    """A finding quotes what the user typed: '=1+1' or a NIP must not become a formula
    or a number in Hasil Validasi."""
    book.set(contract.DAFTAR_HADIR, "Nama", 1, '=HYPERLINK("http://x")')
    book.set(contract.DAFTAR_HADIR, "Delegasi", 2, "=1+1")
    path = book.save()
    out, _, the_book = validate_in_book(xw, path, tmp_path / "out.xlsx")
    written = [a for a in the_book.json()["actions"] if a["func"] == "setValues"]
    texts_sent = [v for a in written for row in a["values"] for v in row if isinstance(v, str) and v]
    assert texts_sent and all(v.startswith("'") for v in texts_sent)
    rows = results_rows(out)
    assert all(not str(v).startswith("=") or "'" in str(v) for r in rows for v in r if v is not None)
    wb = openpyxl.load_workbook(out)
    assert all(c.data_type != "f" for row in wb[contract.HASIL_SHEET].iter_rows() for c in row)


def test_addin_a_fixed_cell_is_unmarked_and_its_old_row_and_link_go_on_the_next_click(xw, book, tmp_path):
    path = defects(book)
    first, _, _ = validate_in_book(xw, path, tmp_path / "first.xlsx")
    fixed = Planter(first)
    sheet, ref = fixed.set_name("ba_tempat", "Aula Kantor Kecamatan")
    fixed.save()
    second, _, _ = validate_in_book(xw, first, tmp_path / "second.xlsx")

    assert (sheet, ref) in filled(first) and (sheet, ref) not in filled(second)
    cell = openpyxl.load_workbook(second)[sheet][ref]
    assert str(cell.fill.fgColor.rgb).upper().endswith(present.INPUT_RGB)  # the template's yellow is back
    assert len(results_rows(second)) == len(results_rows(first)) - 1
    table_last = len(results_rows(first))
    assert len(links(second)) == len(links(first)) - 1, "the row that moved up took its link; the last row has none"
    assert ref not in {v for v in links(second).values()}
    assert (sheet, ref) not in {(s, r) for s, cells in meta_record(second).cells.items() for r in cells}
    assert table_last > 0


def test_addin_and_validate_write_unmark_each_others_marks(xw, book, tmp_path):
    path = defects(book)
    # Book route first, then the file route after a fix: the file route gives the cell back.
    by_book, _, _ = validate_in_book(xw, path, tmp_path / "via-book.xlsx")
    fixed = Planter(by_book)
    where = fixed.set_name("ba_tempat", "Aula")
    fixed.save()
    validate_file_route(by_book)
    assert where not in filled(by_book)
    assert str(openpyxl.load_workbook(by_book)[where[0]][where[1]].fill.fgColor.rgb).upper().endswith(present.INPUT_RGB)
    # File route first, then the Book route after a fix: the Book route gives it back.
    by_file = validate_file_route(Path(shutil.copyfile(path, tmp_path / "via-file.xlsx")))
    fixed = Planter(by_file)
    where = fixed.set(contract.DAFTAR_HADIR, "Delegasi", 1, "Ya")
    fixed.save()
    again, _, _ = validate_in_book(xw, by_file, tmp_path / "again.xlsx")
    assert where in filled(by_file) and where not in filled(again)
    assert openpyxl.load_workbook(again)[where[0]][where[1]].fill.fill_type in (
        None,
        "none",
    )  # table cells have no fill


def test_addin_validasi_of_a_clean_workbook_is_calm(xw, demo_workbook, tmp_path):
    out, host, _ = validate_in_book(xw, demo_workbook, tmp_path / "out.xlsx")
    (dialog,) = host.dialogs
    assert dialog["mode"] == "info" and "0 Galat" in dialog["prompt"]
    assert filled(out) == set()


def test_addin_more_findings_than_rows_end_with_the_row_that_says_how_many_more(xw, book, tmp_path, monkeypatch):
    path = defects(book)
    real = present.result_rows
    monkeypatch.setattr(present, "result_rows", lambda laporan, capacity, lang: real(laporan, 3, lang))
    out, _, _ = validate_in_book(xw, path, tmp_path / "out.xlsx")
    rows = results_rows(out)
    assert len(rows) == 3 and rows[-1][2] == "HASIL_TERPOTONG"
    assert len(links(out)) == 2


# ---------------------------------------------------------------------- (b) the same findings at the same cells
def book_route_findings(xw, path: Path) -> set[tuple[str, str, str]]:
    from kinerja.addin.book_source import BookSource

    from kinerja.core.assemble import assemble

    book = xw.Book(json=json.loads(json.dumps(book_payload(path))))
    model = assemble(BookSource(book), contract.definition())
    return {(f.code, f.sheet, f.cell) for f in validate_model(model).findings}


def file_route_findings(path: Path) -> set[tuple[str, str, str]]:
    return {(f.code, f.sheet, f.cell) for f in services.validate(path).laporan.findings}


NEEDS_THE_FILE = (
    "FOTO_TANPA_GAMBAR",
    "FOTO_GAMBAR_TANPA_BARIS",
    "FOTO_GANDA",
    "FOTO_TANGGAL_EXIF",
    "TATA_LETAK_PROTEKSI_HILANG",
)


def assert_same_but_what_needs_the_file(by_book, by_file):
    assert by_book == {f for f in by_file if f[0] not in NEEDS_THE_FILE}


def test_addin_route_and_validate_agree_on_the_demo(xw, demo_workbook):
    assert_same_but_what_needs_the_file(book_route_findings(xw, demo_workbook), file_route_findings(demo_workbook))


def test_addin_route_and_validate_agree_on_planted_defects(xw, book):
    path = defects(book)
    by_file = file_route_findings(path)
    assert len(by_file) >= 8
    assert_same_but_what_needs_the_file(book_route_findings(xw, path), by_file)


def test_addin_route_and_validate_agree_on_a_signed_workbook_with_a_changed_value(xw, chain, tmp_path):
    """The ledger's findings too: a value changed after a sign-off is named by both."""
    path = Path(shutil.copyfile(chain[2], tmp_path / "stage3.xlsx"))
    wb = Planter(path)
    wb.set_name("ba_tempat", "Balai Desa")
    wb.save()
    by_file = file_route_findings(path)
    assert any(code.startswith("LEDGER_DATA_BERUBAH") for code, _, _ in by_file)
    assert_same_but_what_needs_the_file(book_route_findings(xw, path), by_file)


@pytest.mark.libreoffice
def test_addin_route_and_validate_agree_after_a_libreoffice_resave(xw, book, tmp_path):
    from libreoffice import make_profile, recalculate

    path = defects(book)
    outputs, _ = recalculate([path], tmp_path / "lo", make_profile(tmp_path / "profile"))
    resaved = outputs[path]
    by_file = file_route_findings(resaved)
    assert_same_but_what_needs_the_file(book_route_findings(xw, resaved), by_file)


# ---------------------------------------------------------------------- Status
def test_addin_status_shows_the_stage_who_is_next_and_each_sign_off_with_its_time(xw, chain):
    path = chain[3]
    book = xw.Book(json=book_payload(path))
    host = ScriptedHost(book)
    actions.status(book, host)
    (dialog,) = host.dialogs
    verified = services.verify(path).status
    assert dialog["title"] == text("ADDIN_JUDUL_STATUS").pesan
    assert verified.stage("id") in dialog["prompt"]
    for line in verified.lines:
        assert line.nama in dialog["prompt"] and line.keputusan in dialog["prompt"]
    assert "12 Februari 2026 15.30 WIB" in dialog["prompt"]  # times in the workbook's zone, written 15.30
    assert "standar" in dialog["prompt"]
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]  # read only


# ---------------------------------------------------------------------- bad input: one dialog each
def _dialog_for(xw, path: Path) -> dict:
    book = xw.Book(json=book_payload(path))
    host = ScriptedHost(book)
    actions.validasi(book, host)
    (dialog,) = host.dialogs
    assert dialog["mode"] == "critical" and "Traceback" not in dialog["prompt"]
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]  # nothing written
    return dialog


def expected(code: str, **params) -> str:
    message, fix = KinerjaError(code, **params).render("id")
    return message


def test_addin_a_workbook_that_is_not_ours_is_one_dialog(xw, tmp_path):
    path = tmp_path / "lain.xlsx"
    openpyxl.Workbook().save(path)
    dialog = _dialog_for(xw, path)
    assert dialog["prompt"].startswith(expected("BERKAS_BUKAN_TEMPLAT", expected=contract.TEMPLATE_ID))
    assert text("KATA_FIX").pesan in dialog["prompt"]


def test_addin_a_renamed_sheet_is_one_dialog_naming_both_names(xw, book):
    book.wb[contract.BERITA_ACARA_SHEET].title = "1b Berita acara (2)"
    path = book.save()
    dialog = _dialog_for(xw, path)
    assert contract.BERITA_ACARA_SHEET in dialog["prompt"] and "1b Berita acara (2)" in dialog["prompt"]


def test_addin_an_unexpected_failure_is_a_dialog_not_a_traceback(xw, demo_workbook, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("kinerja.validators.engine.validate_model", broken)
    dialog = _dialog_for(xw, demo_workbook)
    assert dialog["prompt"].startswith(expected("ADDIN_GALAT_INTERNAL", detail="ZeroDivisionError"))


def test_addin_alerts_are_actions_of_the_remote_engine(xw, demo_workbook):
    book = xw.Book(json=book_payload(demo_workbook))
    actions.status(book)  # the host of the remote engine: the server route's
    (alert,) = alerts(book.json())
    assert alert["title"] == text("ADDIN_JUDUL_STATUS").pesan and alert["buttons"] == "ok"


def test_addin_every_text_the_add_in_shows_is_in_the_catalogue_in_both_languages():
    import re

    from kinerja.core.findings import catalogue

    root = Path(__file__).resolve().parents[1] / "addin"
    sources = [p.read_text("utf-8") for p in root.rglob("*") if p.suffix in (".py", ".html", ".js")]
    used = {m for s in sources for m in re.findall(r"\b((?:ADDIN|KATA_ADDIN|TTD|KUNCI|BERKAS)_[A-Z_]+)\b", s)}
    used = {u.removeprefix("JS_") for u in used}
    missing = sorted(code for code in used if code not in catalogue())
    assert not missing, missing
    for code in used:
        entry = catalogue()[code]
        assert entry.pesan and entry.message, code
