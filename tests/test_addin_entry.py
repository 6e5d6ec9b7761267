"""Where a ribbon click lands: each button's module runs its action on the calling
workbook; ``kinerja.main()`` can tell an Excel call from the command line without
importing xlwings."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest
from kinerja.addin import entry
from kinerja.addin.payload import book_payload
from remote_xlwings import remote_xlwings


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


@pytest.fixture
def calling_book(xw, demo_workbook):
    """The demo workbook as the calling book (what RunPython or a script call provides)."""
    book = xw.Book(json=book_payload(demo_workbook))
    book.set_mock_caller()
    yield book
    del xw.Book._mock_caller


@pytest.fixture
def actions(monkeypatch):
    """A stand-in for kinerja.addin.actions that records which action ran on which book."""
    ran = []
    module = types.ModuleType(entry.ACTIONS_MODULE)
    for b in entry.BUTTONS:
        setattr(module, b.action, lambda book, name=b.action: ran.append((name, book.name)))
    monkeypatch.setitem(sys.modules, entry.ACTIONS_MODULE, module)
    return ran


def test_addin_each_button_module_runs_its_own_action_on_the_calling_book(calling_book, actions):
    import importlib

    for b in entry.BUTTONS:
        importlib.import_module(b.module).main()
    assert actions == [("validasi", "demo.xlsx"), ("tanda_tangan", "demo.xlsx"), ("status", "demo.xlsx")]


def test_addin_kinerja_main_from_excel_runs_the_read_only_default_and_skips_the_cli(calling_book, actions):
    assert entry.main() is True
    assert actions == [(entry.DEFAULT_ACTION, "demo.xlsx")]


def test_addin_an_unknown_action_fails_before_excel_is_touched(actions):
    with pytest.raises(KeyError):
        entry.run("hapus_semua")
    assert actions == []


@pytest.mark.parametrize(
    ("argv", "from_excel"),
    [
        (["-c", "--wb=demo.xlsx", "--from_xl=1", "--app=EXCEL.EXE", "--hwnd=1"], True),  # RunPython, new process
        (["kinerja", "validate", "demo.xlsx"], False),
        (["kinerja", "--from_xl=0"], False),
    ],
)
def test_addin_called_from_excel_reads_what_runpython_puts_on_the_command_line(argv, from_excel, monkeypatch):
    monkeypatch.delitem(sys.modules, "xlwings._xlwindows", raising=False)
    if "xlwings" in sys.modules:
        monkeypatch.delattr(sys.modules["xlwings"].Book, "_mock_caller", raising=False)
    assert entry.called_from_excel(argv) is from_excel


def test_addin_called_from_excel_sees_the_persistent_server_s_caller(monkeypatch):
    """With "Use UDF Server", VBA sets xlwings._xlwindows.BOOK_CALLER before each call."""
    windows = types.ModuleType("xlwings._xlwindows")
    windows.BOOK_CALLER = object()
    monkeypatch.setitem(sys.modules, "xlwings._xlwindows", windows)
    assert entry.called_from_excel(["pythonw.exe", "-c", "xlwings.serve()"]) is True


def test_addin_entry_on_the_command_line_answers_no_without_importing_xlwings():
    code = "import sys, kinerja.addin.entry as e; assert e.main() is False; assert 'xlwings' not in sys.modules"
    subprocess.run([sys.executable, "-c", code, "validate"], check=True)
