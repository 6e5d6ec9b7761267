"""The desktop host (Excel for Windows through COM), checked with stand-ins for the COM
objects it touches: which workbook a button means, Protected View and no workbook as one
dialog each, the template's protection in COM's words, and the file steps of a sign-off.
``kinerja.main()`` from Excel answers with the add-in and never starts the command line."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path, PureWindowsPath

import pytest
from kinerja.addin import actions, entry
from kinerja.addin.host import DesktopHost, com_protect_arguments, host_for, protection_options

from kinerja.core import contract
from kinerja.core.findings import KinerjaError


class Api(types.SimpleNamespace):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.calls: list[tuple] = []

    def Unprotect(self, *args):  # noqa: N802 (COM's names)
        self.calls.append(("Unprotect", args))
        if getattr(self, "password", False):
            raise OSError("com_error: the password you supplied is not correct")

    def Protect(self, **kwargs):  # noqa: N802
        self.calls.append(("Protect", kwargs))


class FakeBook:
    def __init__(self, name: str, path: str = r"C:\Users\staf\Documents", saved: bool = True):
        self.name = name
        self.api = Api(Saved=saved, Path=path)
        self.sheets = {s.name: types.SimpleNamespace(name=s.name, api=Api()) for s in contract.definition().sheets}
        self.saved_times = 0
        self.closed = False

    @property
    def fullname(self) -> str:
        return self.api.Path + "\\" + self.name

    def save(self):
        self.saved_times += 1

    def close(self):
        self.closed = True


class FakeApp:
    def __init__(self, active: FakeBook | None, protected_view: bool = False):
        self.engine = types.SimpleNamespace(name="excel")
        self.api = Api(ActiveProtectedViewWindow=object() if protected_view else None, ActiveWorkbook=active)
        self.books = types.SimpleNamespace(active=active, open=lambda path: FakeBook(PureWindowsPath(path).name))
        self.dialogs: list[dict] = []

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.dialogs.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return "ok"


def caller(app: FakeApp):
    """What Book.caller() gives a ribbon button: the add-in file itself."""
    return types.SimpleNamespace(name="kinerja.addin.validasi.xlam", app=app)


def test_addin_a_button_checks_the_active_workbook_not_the_add_in_file():
    book = FakeBook("musrenbangcam.xlsx")
    host = host_for(caller(FakeApp(book)))
    assert isinstance(host, DesktopHost) and host.target() is book


@pytest.mark.parametrize(
    ("app", "code"),
    [
        (FakeApp(FakeBook("musrenbangcam.xlsx"), protected_view=True), "ADDIN_TAMPILAN_TERLINDUNG"),
        (FakeApp(None), "ADDIN_TANPA_BUKU"),
        (FakeApp(FakeBook("kinerja.addin.status.xlam")), "ADDIN_TANPA_BUKU"),
    ],
)
def test_addin_protected_view_and_no_workbook_are_one_dialog_each(app, code):
    actions.validasi(caller(app))
    (dialog,) = app.dialogs
    message, fix = KinerjaError(code).render("id")
    assert dialog["prompt"] == f"{message}\n\nCara memperbaiki: {fix}" and dialog["mode"] == "critical"


def test_addin_the_templates_protection_in_coms_words():
    locked = com_protect_arguments(protection_options(contract.FOTO_SHEET, locked=True))
    open_ = com_protect_arguments(protection_options(contract.FOTO_SHEET, locked=False))
    assert open_ == {
        "DrawingObjects": False,  # staff may insert pictures until the stage is signed
        "Contents": True,
        "Scenarios": True,
        "AllowFormattingColumns": True,
        "AllowFormattingRows": True,
        "AllowFiltering": True,
    }
    assert locked["DrawingObjects"] is True
    assert com_protect_arguments(protection_options(contract.HASIL_SHEET, False))["DrawingObjects"] is True


def test_addin_a_password_on_a_sheet_is_a_dialog_naming_it():
    book = FakeBook("musrenbangcam.xlsx")
    book.sheets[contract.HASIL_SHEET].api.password = True
    host = DesktopHost(caller(FakeApp(book)))
    with pytest.raises(KinerjaError) as refused:
        host.unprotect(book, contract.HASIL_SHEET)
    assert refused.value.code == "ADDIN_LEMBAR_BERSANDI" and refused.value.sheet == contract.HASIL_SHEET


def test_addin_the_desktop_file_steps():
    book = FakeBook("musrenbangcam.xlsx", saved=False)
    host = DesktopHost(caller(FakeApp(book)))
    assert host.unsaved(book) is True
    assert host.save(book) == Path(book.fullname) and book.saved_times == 1
    host.close(book)
    assert book.closed and host.reopen(Path(book.fullname)).name == "musrenbangcam.xlsx"
    new = FakeBook("Buku1", path="")
    with pytest.raises(KinerjaError) as refused:
        host.save(new)
    assert refused.value.code == "ADDIN_BELUM_PERNAH_DISIMPAN" and new.saved_times == 0


# ---------------------------------------------------------------------- kinerja.main()
def test_addin_kinerja_main_from_excel_runs_the_add_in_and_not_the_command_line(monkeypatch):
    import kinerja

    ran = []
    monkeypatch.setattr(entry, "run", lambda action: ran.append(action))
    monkeypatch.setattr(sys, "argv", ["-c", "--wb=kinerja.xlam", "--from_xl=1", "--app=EXCEL.EXE", "--hwnd=1"])
    monkeypatch.delitem(sys.modules, "xlwings._xlwindows", raising=False)
    assert kinerja.main() is None  # returned: no SystemExit inside Excel's Python
    assert ran == [entry.DEFAULT_ACTION]


def test_addin_python_m_kinerja_is_still_the_command_line():
    done = subprocess.run([sys.executable, "-m", "kinerja", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("kinerja ")
    code = "import sys, kinerja; kinerja.main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", "missing.xlsx", "--json"], capture_output=True, text=True
    )
    assert done.returncode == 2 and '"BERKAS_TIDAK_ADA"' in done.stdout
