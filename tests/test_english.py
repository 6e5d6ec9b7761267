"""`--lang en` is English end to end (D31): every command's main paths, run as a user would,
print no Indonesian beyond the workbook's own words (its sheet names, labels, column
headers, list values, decisions: what the user sees in the workbook) and the command
line's own option names.

Indonesian is recognised by marker words taken from the catalogue's Indonesian texts; a
test below keeps that list honest (each marker is Indonesian the catalogue uses, and no
English text of the catalogue uses it), so no marker can be one the English texts need."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from planting import Planter

from kinerja import services
from kinerja.cli import main
from kinerja.core import contract
from kinerja.core.findings import catalogue

MARKERS = (
    "berkas",
    "lembar",
    "baris",
    "tidak",
    "belum",
    "sudah",
    "dengan",
    "untuk",
    "yang",
    "atau",
    "dari",
    "ketik",
    "bukan",
    "masih",
    "harus",
    "tanda",
    "giliran",
    "sebagai",
    "sel",
    "kosong",
    "pilih",
    "ulangi",
    "dibuat",
    "temuan",
    "isian",
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text))


def test_the_markers_are_indonesian_the_catalogue_uses_and_english_never_does():
    indonesian = set().union(*(_words(t.pesan + " " + t.perbaikan) for t in catalogue().values()))
    english = set().union(*(_words(t.message + " " + t.fix) for t in catalogue().values()))
    assert set(MARKERS) <= indonesian, set(MARKERS) - indonesian
    assert not set(MARKERS) & english, set(MARKERS) & english


def _workbook_words() -> list[str]:
    """What the workbook itself shows, in Indonesian in every language: longest first."""
    sop = contract.definition()
    words = {sop.title, sop.short_title}
    words |= {s.name for s in sop.sheets}
    words |= {n.label for n in sop.names} | {n.name for n in sop.names}
    for t in sop.tables:
        words |= {t.name, t.title, *t.headers}
    for lst in sop.lists.values():
        words |= set(lst.values or ())
    for s in sop.signoffs:
        words |= {s.label, *(d.text for d in s.decisions)}
    words |= {w for r in sop.roles for w in (r.peran, r.lane, r.jabatan)}
    words |= {b.label for b in sop.predikat}
    words |= {v for v in sop.defaults.values() if isinstance(v, str)}
    return sorted(words, key=len, reverse=True)


WORKBOOK_WORDS = _workbook_words()


def indonesian_left(output: str) -> list[str]:
    text = re.sub(r"--[a-z][a-z-]*", " ", output)  # the command line's own option names
    for word in WORKBOOK_WORDS:
        text = text.replace(word, " ")
    return sorted(m for m in MARKERS if re.search(rf"\b{m}\b", text))


def run_en(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main([*argv, "--lang", "en"])
    except SystemExit as exc:  # --help prints and exits, as argparse does
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_english(capsys, *argv: str, exit_code: int | None = None) -> str:
    code, output = run_en(capsys, *argv)
    assert output.strip(), argv
    assert indonesian_left(output) == [], (argv, output)
    if exit_code is not None:
        assert code == exit_code, (argv, output)
    return output


# ---------------------------------------------------------------------- what the commands work on
@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> list[Path]:
    """The demo carried through the SOP once: the workbook after each sign-off."""
    return list(services.build_demo(tmp_path_factory.mktemp("chain")).stages)


@pytest.fixture
def planted(book) -> Path:
    """The demo with a defect of many kinds, each planted with a value that is no marker."""
    book.set_name("ba_tempat", None)
    book.set_name("ba_jumlah_peserta", "98")
    book.set_name("ba_tanggal", "12/02/2026")
    book.set_name("ba_pimpinan_nip", 197205141995031002)
    book.set_name("iku_target", 0.9)
    book.set(contract.DAFTAR_HADIR, "Delegasi", 1, "Y")
    book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", 2, "Atlantis")
    book.set(contract.DAFTAR_HADIR, "Unsur", 3, None)
    book.set(contract.DESA, "Delegasi Diundang", 1, 4.5)
    book.set(contract.FOTO, "Tanggal", 1, "soon")
    book.below(contract.FOTO, "Keterangan").value = "extra"
    book.wb.create_sheet("Notes").append(["anything"])
    return book.save()


# ---------------------------------------------------------------------- every command
@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        *([command, "--help"] for command in ("new", "demo", "validate", "sign", "status", "verify", "diff", "key")),
        ["key", "new", "--help"],
        [],
        ["validate"],
        ["frobnicate"],
        ["new", "-o", "x.xlsx", "--tahun", "abc"],
    ],
)
def test_help_and_usage_errors_are_english(capsys, argv):
    assert_english(capsys, *argv)


def test_new_in_english(tmp_path, capsys):
    out = tmp_path / "made.xlsx"
    assert_english(capsys, "new", "-o", str(out), exit_code=0)
    assert_english(capsys, "new", "-o", str(out), exit_code=2)  # exists
    for bad in (["--target", "0"], ["--target", "0.9"], ["--target", "1000"], ["--tahun", "0"], ["--target", "nan"]):
        assert_english(capsys, "new", "-o", str(tmp_path / "b.xlsx"), *bad, exit_code=2)
    assert_english(capsys, "new", "-o", str(tmp_path / "b.csv"), exit_code=2)


def test_new_with_a_bad_village_list_in_english(tmp_path, capsys):
    desa = tmp_path / "desa.csv"
    desa.write_text("Desa,Jenis,Delegasi\nA,Dusun,x\n,Desa,0\nB,Desa,3\nB,Desa,3\n", "utf-8")
    assert_english(capsys, "new", "-o", str(tmp_path / "b.xlsx"), "--desa", str(desa), exit_code=2)
    for text in ("", "Nama;Alamat\nBudi;Mawar\n", "Desa;Jenis\nA;Desa\n", "Desa;Delegasi\nA;4,5\n"):
        desa.write_text(text, "utf-8")
        assert_english(capsys, "new", "-o", str(tmp_path / "b.xlsx"), "--desa", str(desa), exit_code=2)
    assert_english(capsys, "new", "-o", str(tmp_path / "b.xlsx"), "--desa", str(tmp_path / "none.csv"), exit_code=2)


def test_demo_in_english(tmp_path, capsys):
    assert_english(capsys, "demo", "-o", str(tmp_path / "demo"), exit_code=0)


def test_validate_a_fresh_template_in_english(tmp_path, capsys):
    path = tmp_path / "fresh.xlsx"
    main(["new", "-o", str(path)])
    capsys.readouterr()
    out = assert_english(capsys, "validate", str(path), exit_code=1)
    assert "not computable" in out  # the IKU line of a template with no villages yet
    assert_english(capsys, "validate", str(path), "--json", exit_code=1)


def test_validate_many_defects_in_english_and_their_hasil_validasi_rows(planted, capsys):
    assert_english(capsys, "validate", str(planted), exit_code=1)
    doc = json.loads(assert_english(capsys, "validate", str(planted), "--json", exit_code=1))
    assert len({f["code"] for f in doc["findings"]}) >= 10
    assert_english(capsys, "validate", str(planted), "--write", exit_code=1)
    ws = openpyxl.load_workbook(planted)[contract.HASIL_SHEET]
    table = ws.tables[contract.HASIL_VALIDASI]
    written = " ".join(str(c.value) for row in ws[table.ref][1:] for c in row if c.value is not None)
    assert written and indonesian_left(written) == []


def test_unusable_files_in_english(tmp_path, capsys):
    for path in (tmp_path / "none.xlsx", tmp_path):
        assert_english(capsys, "validate", str(path), exit_code=2)


def test_a_text_file_named_xlsx_is_refused_in_english(tmp_path, capsys):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", "utf-8")
    assert_english(capsys, "validate", str(text), exit_code=2)


def test_status_verify_and_diff_in_english(chain, book, capsys):
    for path in (chain[0], chain[-1]):
        assert_english(capsys, "status", str(path), exit_code=0)
        assert_english(capsys, "verify", str(path), exit_code=0)
    original = book.save()
    changed = original.with_name("changed.xlsx")
    shutil.copyfile(original, changed)
    copy = Planter(changed)
    copy.set_name("ba_tempat", "Hall B")
    copy.save()
    assert_english(capsys, "diff", str(original), str(changed), exit_code=1)
    assert_english(capsys, "diff", str(original), str(original), exit_code=0)


def test_sign_in_english(chain, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    first = tmp_path / "first.xlsx"
    shutil.copyfile(chain[0], first)
    sign = ["sign", str(first), "--yes"]
    assert_english(capsys, "sign", str(chain[-1]), "--peran", "camat", "--keputusan", "Disetujui", exit_code=2)
    assert_english(capsys, *sign, "--peran", "camat", "--keputusan", "Disetujui", exit_code=2)  # not their turn
    assert_english(capsys, *sign, "--peran", "sub-evapor", "--keputusan", "Nope", exit_code=2)
    assert_english(capsys, *sign, "--peran", "sub-evapor", "--keputusan", "Dilaporkan ke Sekcam", exit_code=2)  # no key
    returned = "Dikembalikan ke Kasi Ekbang"
    assert_english(capsys, *sign, "--peran", "sub-evapor", "--keputusan", returned, "--tanpa-kunci", exit_code=0)


def test_a_sign_off_refused_for_a_galat_names_it_in_english(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    path = tmp_path / "fresh.xlsx"
    main(["new", "-o", str(path)])
    capsys.readouterr()
    argv = ["sign", str(path), "--peran", "kasi-ekbang", "--keputusan", "Diserahkan", "--tanpa-kunci", "--yes"]
    out = assert_english(capsys, *argv, exit_code=2)
    assert "1a Daftar Hadir!" in out  # where the first Galat is, then its English message


def test_keys_in_english(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_HOME", str(tmp_path / "home"))
    assert_english(capsys, "key", "list", exit_code=0)  # none yet
    nip = "19700303 199703 1 008"
    assert_english(capsys, "key", "new", "--peran", "camat", "--nama", "Budi", "--nip", nip, exit_code=0)
    assert_english(capsys, "key", "new", "--peran", "camat", "--nama", "Budi", "--nip", "123", exit_code=2)
    assert_english(capsys, "key", "list", exit_code=0)
    assert_english(capsys, "key", "export", exit_code=0)
    assert_english(capsys, "key", "new", "--peran", "camat", "--nama", "B", "--nip", nip, "--passphrase-file", "x")
