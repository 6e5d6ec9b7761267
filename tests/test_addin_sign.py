"""The Tanda Tangan button's file step through the real ledger service: the add-in
validates the live workbook, saves it, the signer confirms role, name and decision, the
workbook closes, ``services.sign`` signs the saved file, and the signed file opens again.
Every refusal is the ledger's own reason in one dialog, and leaves the ledger as it was.

The desktop host is stood in for by ``FileHost`` (tests/addin_hosts.py): saving plays the
Book's actions onto the file, as Excel writes the open workbook."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from addin_hosts import FileHost, ScriptedHost
from kinerja.addin import actions
from kinerja.addin.payload import book_payload
from remote_xlwings import remote_xlwings
from test_write_results import name_value

from kinerja import services, walkthrough
from kinerja.core import contract
from kinerja.core.findings import KinerjaError, text
from kinerja.ledger import keys

KASI_NIP = "198407212006101001"


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """This PC's key profile."""
    folder = tmp_path / "profil"
    monkeypatch.setenv("KINERJA_HOME", str(folder))
    return folder


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> tuple[Path, ...]:
    return services.build_demo(tmp_path_factory.mktemp("chain")).stages


def book_for_kasi(path: Path, fingerprint: str | None) -> Path:
    """The demo's inputs, Dedi as Kasi Ekbang with his key listed in tblPejabat."""
    from kinerja.templates.builder import save_workbook
    from kinerja.templates.demo import demo_inputs

    inputs = demo_inputs()
    for row in inputs.rows[contract.PEJABAT]:
        if row["Peran"] == "Kasi Ekbang":
            row["Nama"], row["NIP"], row["Sidik Kunci"] = "Dedi", KASI_NIP, fingerprint
    return save_workbook(path, inputs)


def kasi_key(passphrase: bytes | None = None) -> keys.KeyInfo:
    return keys.new_key("Kasi Ekbang", "Dedi", KASI_NIP, passphrase)


def demo_key(role: str) -> keys.KeyInfo:
    """The demo's throwaway key for a role, put into this PC's profile (walkthrough.py)."""
    sop = contract.definition()
    peran = sop.role(role).peran
    secret = hashlib.sha256(f"{walkthrough.SEED}/kunci/{role}".encode()).digest()
    from kinerja.templates.demo import demo_inputs

    official = next(o for o in demo_inputs().rows[contract.PEJABAT] if o["Peran"] == peran)
    return keys.store_key(secret, peran, official["Nama"], official["NIP"], keys.home())


def rows(path: Path):
    return services.verify(path).verification.rows


def refusal(code: str, **params) -> str:
    return KinerjaError(code, **params).render("id")[0]


# ---------------------------------------------------------------------- signing
def test_addin_tanda_tangan_signs_the_saved_file_after_the_signer_confirms(xw, home, tmp_path):
    info = kasi_key()
    path = book_for_kasi(tmp_path / "buku.xlsx", info.fingerprint)
    host = FileHost(path, xw, ["yes"])
    actions.tanda_tangan(host.book, host)

    (row,) = rows(path)
    assert (row.status, row.row.keputusan, row.row.nama) == ("valid", "Diserahkan", "Dedi")
    assert (host.saves, host.closes, host.reopens) == (1, 1, 1)
    confirm, done = host.dialogs
    assert confirm["buttons"] == "yes_no"
    for shown in ("Kasi Ekbang", "Dedi", KASI_NIP, "Diserahkan", info.fingerprint, "Langkah 1–2"):
        assert shown in confirm["prompt"]
    assert done["buttons"] == "ok" and done["prompt"].startswith("Ditandatangani: Langkah 1–2, Diserahkan, oleh Dedi")
    assert services.verify(path).status.stage("id") in done["prompt"]  # who is next
    import openpyxl

    assert name_value(openpyxl.load_workbook(path), contract.HASIL_RINGKASAN).startswith(
        "Divalidasi "
    )  # validated first
    assert host.book.name == path.name  # the signed file, opened again


def test_addin_a_key_with_a_passphrase_asks_for_it_and_a_wrong_one_is_the_ledgers_message(xw, home, tmp_path):
    info = kasi_key(b"benar sekali")
    path = book_for_kasi(tmp_path / "buku.xlsx", info.fingerprint)
    wrong = FileHost(path, xw, ["yes"], secret=b"salah")
    actions.tanda_tangan(wrong.book, wrong)
    assert wrong.passphrase_prompts and info.fingerprint in wrong.passphrase_prompts[0]
    assert wrong.last.startswith(refusal("KUNCI_SANDI_SALAH", fingerprint=info.fingerprint))
    assert rows(path) == () and (wrong.closes, wrong.reopens) == (1, 1)  # opened again, unsigned

    right = FileHost(path, xw, ["yes"], secret=b"benar sekali")
    actions.tanda_tangan(right.book, right)
    assert [r.status for r in rows(path)] == ["valid"]


def test_addin_a_choice_of_two_decisions_is_asked_and_a_return_is_never_blocked(xw, home, chain, tmp_path):
    demo_key("sub_evapor")
    path = Path(shutil.copyfile(chain[0], tmp_path / "tahap1.xlsx"))
    with pytest.raises(KinerjaError) as by_the_ledger:  # what the ledger says to passing it on now
        copy = Path(shutil.copyfile(path, tmp_path / "salinan.xlsx"))
        services.sign(copy, services.SignRequest(role="sub_evapor", keputusan="Dilaporkan ke Sekcam"))
    assert by_the_ledger.value.code == "TTD_MASIH_GALAT"
    forward = FileHost(path, xw, ["yes"])  # Dilaporkan ke Sekcam: the stage still has a Galat
    actions.tanda_tangan(forward.book, forward)
    question, refused = forward.dialogs
    assert question["buttons"] == "yes_no_cancel"
    assert "Dilaporkan ke Sekcam" in question["prompt"] and "Dikembalikan ke Kasi Ekbang" in question["prompt"]
    assert refused["prompt"].startswith(by_the_ledger.value.render("id")[0])
    assert len(rows(path)) == 1 and forward.closes == 0

    back = FileHost(path, xw, ["no", "yes"])
    actions.tanda_tangan(back.book, back)
    assert [r.row.keputusan for r in rows(path)] == ["Diserahkan", "Dikembalikan ke Kasi Ekbang"]


def test_addin_no_key_on_this_pc_is_the_ledgers_refusal_with_how_to_make_one(xw, home, tmp_path):
    path = book_for_kasi(tmp_path / "buku.xlsx", None)
    host = FileHost(path, xw)
    actions.tanda_tangan(host.book, host)
    (dialog,) = host.dialogs
    assert dialog["mode"] == "critical" and "kinerja key new --peran kasi-ekbang" in dialog["prompt"]
    assert dialog["prompt"].startswith(refusal("TTD_TANPA_KUNCI", peran="Kasi Ekbang", folder=str(keys.keys_folder())))
    assert rows(path) == () and host.closes == 0


def test_addin_unsaved_changes_are_asked_about_and_no_means_nothing_is_saved(xw, home, tmp_path):
    info = kasi_key()
    path = book_for_kasi(tmp_path / "buku.xlsx", info.fingerprint)
    before = path.read_bytes()
    host = FileHost(path, xw, ["no"], unsaved=True)
    actions.tanda_tangan(host.book, host)
    question, cancelled = host.dialogs
    assert question["buttons"] == "yes_no" and "belum disimpan" in question["prompt"]
    assert cancelled["prompt"].startswith(refusal("TTD_DIBATALKAN"))
    assert path.read_bytes() == before and host.saves == 0

    host = FileHost(path, xw, ["yes", "yes"], unsaved=True)
    actions.tanda_tangan(host.book, host)
    assert [r.status for r in rows(path)] == ["valid"]


def test_addin_no_at_the_confirmation_signs_nothing(xw, home, tmp_path):
    info = kasi_key()
    path = book_for_kasi(tmp_path / "buku.xlsx", info.fingerprint)
    host = FileHost(path, xw, ["no"])
    actions.tanda_tangan(host.book, host)
    assert host.last.startswith(refusal("TTD_DIBATALKAN")) and rows(path) == ()
    assert (host.closes, host.reopens) == (0, 0)


def test_addin_a_final_workbook_takes_no_sign_off(xw, home, chain, tmp_path):
    path = Path(shutil.copyfile(chain[-1], tmp_path / "final.xlsx"))
    host = FileHost(path, xw)
    actions.tanda_tangan(host.book, host)
    assert host.last.startswith(refusal("TTD_FINAL"))


def test_addin_the_web_route_never_signs_and_says_where_to(xw, demo_workbook):
    book = xw.Book(json=book_payload(demo_workbook))
    host = ScriptedHost(book)
    actions.tanda_tangan(book, host)
    (dialog,) = host.dialogs
    assert dialog["prompt"].startswith(refusal("ADDIN_TTD_DI_SERVER", file=book.name))
    assert "kinerja sign" in dialog["prompt"] and "desktop" in dialog["prompt"]
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert text("ADDIN_TTD_DI_SERVER").section == "errors"
