"""`kinerja addin build` and `kinerja addin install`, on Linux: the files land in the
user's own folder with this Python in their settings, each is entered once in Excel's
per-user add-in list (the registry reached through winreg, stood in for here), and a PC
that is not Windows is told so."""

from __future__ import annotations

import json
import sys
import types
import zipfile
from pathlib import Path

import pytest
from kinerja.addin import entry, install, xlam
from test_addin_xlam import settings_rows

from kinerja.cli import main

PYTHONW = "pythonw.exe"


class FakeRegistry:
    def __init__(self, versions=("16.0",), values=None):
        self._versions = list(versions)
        self.data: dict[str, dict[str, str]] = {v: dict((values or {}).get(v, {})) for v in self._versions}

    def versions(self):
        return self._versions

    def values(self, version):
        return dict(self.data.get(version, {}))

    def set_value(self, version, name, value):
        self.data.setdefault(version, {})[name] = value


@pytest.fixture
def interpreter(tmp_path) -> Path:
    path = tmp_path / "Python311" / PYTHONW
    path.parent.mkdir()
    path.write_bytes(b"MZ")
    return path


def test_addin_build_writes_three_files_and_prints_their_paths_last(tmp_path, capsys):
    assert main(["addin", "build", "-o", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [Path(line).name for line in lines] == [b.file_name for b in entry.BUTTONS]
    assert Path(lines[-1]).is_file()  # the last line is a path (D22)


def test_addin_build_json_and_a_wrong_xlwings_is_the_catalogues_message(tmp_path, capsys, monkeypatch):
    assert main(["addin", "build", "-o", str(tmp_path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["files"]) == 3
    monkeypatch.setattr(xlam, "dist_version", lambda name: "0.30.0")
    assert main(["addin", "build", "-o", str(tmp_path), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "ADDIN_XLWINGS_VERSI" and "xlwings==0.37.8" in error["fix"]


def test_addin_install_puts_the_files_in_the_users_addins_folder_and_registers_each_once(tmp_path, interpreter):
    registry = FakeRegistry(
        values={"16.0": {"OPEN": '/R "C:\\Program Files\\Office\\ANALYS32.XLL"', "Font": "Calibri"}}
    )
    env = {"APPDATA": str(tmp_path / "Roaming")}
    done = install.install(interpreter=interpreter, registry=registry, environ=env)
    assert done.folder == tmp_path / "Roaming" / "Microsoft" / "AddIns"
    assert [p.name for p in done.files] == [b.file_name for b in entry.BUTTONS]
    options = registry.data["16.0"]
    assert options["OPEN"].endswith('ANALYS32.XLL"')  # someone else's add-in is left alone
    ours = {k: v for k, v in options.items() if k.startswith("OPEN") and "kinerja" in v}
    assert sorted(ours) == ["OPEN1", "OPEN2", "OPEN3"]
    assert {v for v in ours.values()} == {f'/R "{p}"' for p in done.files}
    with zipfile.ZipFile(done.files[0]) as zf:
        rows = dict(settings_rows(zf.read(xlam.CONFIG_SHEET_PART)))
    assert rows["Interpreter_Win"] == str(interpreter) and rows["Use UDF Server"] is True  # warm clicks

    again = install.install(interpreter=interpreter, registry=registry, environ=env)
    assert again.registered == () and registry.data["16.0"] == options  # installing twice lists them once


def test_addin_install_registers_with_every_excel_version_this_user_has(tmp_path, interpreter):
    registry = FakeRegistry(versions=("14.0", "16.0", "Common"))
    done = install.install(tmp_path / "addins", interpreter, registry=registry)
    assert sorted({v for v, _ in done.registered}) == ["14.0", "16.0"]
    empty = FakeRegistry(versions=())
    done = install.install(tmp_path / "addins", interpreter, registry=empty)
    assert {v for v, _ in done.registered} == {install.DEFAULT_VERSION}  # Excel never ran for this user yet


def test_addin_install_into_xlstart_writes_no_registry(tmp_path, interpreter):
    registry = FakeRegistry()
    done = install.install(interpreter=interpreter, xlstart=True, registry=registry, environ={"APPDATA": str(tmp_path)})
    assert done.folder == tmp_path / "Microsoft" / "Excel" / "XLSTART" and done.registered == ()
    assert registry.data == {"16.0": {}}


def test_addin_install_refuses_without_its_python_and_off_windows(tmp_path, capsys, monkeypatch):
    with pytest.raises(install.KinerjaError) as refused:
        install.install(tmp_path, tmp_path / "missing" / PYTHONW, registry=FakeRegistry())
    assert refused.value.code == "ADDIN_PYTHON_TIDAK_ADA"
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["addin", "install", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "ADDIN_BUKAN_WINDOWS"


def test_addin_install_an_add_in_open_in_excel_is_named(tmp_path, interpreter, monkeypatch):
    def locked(folder, interpreter=None):
        raise PermissionError(13, "Permission denied", str(folder / "kinerja.addin.validasi.xlam"))

    monkeypatch.setattr(xlam, "build_addins", locked)
    with pytest.raises(install.KinerjaError) as refused:
        install.install(tmp_path, interpreter, registry=FakeRegistry())
    assert refused.value.code == "ADDIN_DIPAKAI" and "validasi" in refused.value.params["path"]


# ---------------------------------------------------------------------- the winreg calls themselves
class FakeWinreg(types.ModuleType):
    """The part of winreg WindowsRegistry uses, over a dict of key paths."""

    HKEY_CURRENT_USER = "HKCU"
    REG_SZ = 1

    def __init__(self, keys: dict[str, dict[str, str]]):
        super().__init__("winreg")
        self.keys = keys

    class _Key:
        def __init__(self, reg, path):
            self.reg, self.path = reg, path

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def Close(self):  # noqa: N802
            pass

    def _join(self, parent, sub):
        base = parent.path if isinstance(parent, FakeWinreg._Key) else parent
        return f"{base}\\{sub}"

    def OpenKey(self, parent, sub):  # noqa: N802
        path = self._join(parent, sub)
        if not any(k == path or k.startswith(path + "\\") for k in self.keys):
            raise FileNotFoundError(path)
        return FakeWinreg._Key(self, path)

    def CreateKey(self, parent, sub):  # noqa: N802
        path = self._join(parent, sub)
        self.keys.setdefault(path, {})
        return FakeWinreg._Key(self, path)

    def _children(self, key):
        prefix = key.path + "\\"
        return sorted({k[len(prefix) :].split("\\")[0] for k in self.keys if k.startswith(prefix)})

    def QueryInfoKey(self, key):  # noqa: N802
        return len(self._children(key)), len(self.keys.get(key.path, {})), 0

    def EnumKey(self, key, i):  # noqa: N802
        return self._children(key)[i]

    def EnumValue(self, key, i):  # noqa: N802
        name, value = list(self.keys[key.path].items())[i]
        return name, value, self.REG_SZ

    def SetValueEx(self, key, name, reserved, kind, value):  # noqa: N802
        self.keys[key.path][name] = value


def test_addin_the_windows_registry_is_the_users_own_excel_options_key(tmp_path, interpreter, monkeypatch):
    office = "HKCU\\Software\\Microsoft\\Office"
    fake = FakeWinreg({f"{office}\\16.0\\Excel\\Options": {"OPEN": '"C:\\x\\other.xlam"'}, f"{office}\\16.0\\Word": {}})
    monkeypatch.setitem(sys.modules, "winreg", fake)
    registry = install.WindowsRegistry()
    assert registry.versions() == ["16.0"]  # Word alone is no Excel
    install.install(tmp_path, interpreter, registry=registry)
    values = fake.keys[f"{office}\\16.0\\Excel\\Options"]
    assert values["OPEN"] == '"C:\\x\\other.xlam"' and sorted(values) == ["OPEN", "OPEN1", "OPEN2", "OPEN3"]
