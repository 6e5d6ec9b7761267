"""`kinerja addin install`: the desktop add-in for this Windows user, without admin rights.

The three add-in files are built on this PC (``xlam.build_addins``) with this Python's
``pythonw.exe`` and "Use UDF Server" in their settings, so clicks after the first are warm
(xlwings' persistent server), into a folder of the user's own profile:

- by default ``%APPDATA%\\Microsoft\\AddIns`` (the folder Excel's Add-ins dialog opens),
  and each file is entered in Excel's per-user list of installed add-ins,
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\<version>\\Excel\\Options``, values
  ``OPEN``, ``OPEN1``, … (what ticking an add-in in that dialog writes);
- with ``xlstart=True`` the user's ``%APPDATA%\\Microsoft\\Excel\\XLSTART``, whose files
  Excel opens at every start (no registry; a trusted location by default).

Built on the PC rather than copied from an e-mail, the files carry no Mark of the Web.
Excel rewrites the Options key when it closes, so Excel must be closed while installing.
The registry is reached through :class:`Registry`; ``winreg`` is imported only on Windows,
and tests give their own (tests/test_addin_install.py).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Protocol

from kinerja.addin import xlam

from kinerja.core.findings import KinerjaError

OFFICE_KEY = r"Software\Microsoft\Office"
OPTIONS = r"Excel\Options"
DEFAULT_VERSION = "16.0"  # Excel 2016, 2019, 2021 and 365; 14.0 is 2010, 15.0 is 2013
_OPEN = re.compile(r"^OPEN(\d*)$", re.IGNORECASE)
_VERSION = re.compile(r"^\d+\.0$")


class Registry(Protocol):
    def versions(self) -> list[str]:
        """Office versions ("16.0") that have an Excel key for this user."""
        ...

    def values(self, version: str) -> dict[str, str]:
        """The Excel Options values of one version."""
        ...

    def set_value(self, version: str, name: str, value: str) -> None: ...


@dataclass(frozen=True)
class Installed:
    folder: Path
    files: tuple[Path, ...]
    interpreter: Path
    registered: tuple[tuple[str, str], ...]  # (Office version, value name) newly written
    dll_missing: str | None  # the xlwings DLL the VBA loads, when it is not beside Python


def install(
    folder: Path | None = None,
    interpreter: Path | None = None,
    *,
    xlstart: bool = False,
    registry: Registry | None = None,
    environ: dict[str, str] | None = None,
) -> Installed:
    """Build and register the add-in for this user (``registry`` None: this PC's, whose
    winreg exists on Windows only; XLSTART needs no registry entry)."""
    environ = dict(os.environ) if environ is None else environ
    if registry is None:  # this PC's: Windows only (tests give their own)
        if sys.platform != "win32":
            raise KinerjaError("ADDIN_BUKAN_WINDOWS", platform=sys.platform)
        registry = WindowsRegistry()
    folder = Path(folder) if folder is not None else user_folder(environ, xlstart)
    interpreter = Path(interpreter) if interpreter is not None else default_interpreter()
    if not interpreter.is_file():
        raise KinerjaError("ADDIN_PYTHON_TIDAK_ADA", path=str(interpreter))
    try:
        files = xlam.build_addins(folder, interpreter=str(interpreter))
    except xlam.TemplateError as exc:
        raise KinerjaError("ADDIN_XLWINGS_VERSI", expected=xlam.XLWINGS_VERSION, detail=str(exc)) from None
    except PermissionError as exc:
        raise KinerjaError("ADDIN_DIPAKAI", path=str(exc.filename or folder)) from None
    registered: tuple[tuple[str, str], ...] = ()
    if not xlstart:
        try:
            registered = tuple(register(registry, files))
        except OSError as exc:
            raise KinerjaError("ADDIN_REGISTRI", detail=exc.strerror or str(exc), folder=str(folder)) from None
    return Installed(folder, tuple(files), interpreter, registered, missing_dll(interpreter))


def user_folder(environ: dict[str, str], xlstart: bool = False) -> Path:
    """The user's own add-in folder (or XLSTART), under %APPDATA%."""
    appdata = environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    parts = ("Microsoft", "Excel", "XLSTART") if xlstart else ("Microsoft", "AddIns")
    return Path(appdata).joinpath(*parts)


def default_interpreter() -> Path:
    """``pythonw.exe`` beside the Python running this (a console window would flash on
    every click with ``python.exe``)."""
    here = Path(sys.executable)
    return here.with_name("pythonw.exe") if sys.platform == "win32" else here


def missing_dll(interpreter: Path) -> str | None:
    """The VBA loads ``xlwings64-<version>.dll`` beside the interpreter or one folder up
    (a virtual environment); pip puts it there when it installs xlwings on Windows."""
    if sys.platform != "win32":
        return None
    name = f"xlwings64-{xlam.XLWINGS_VERSION}.dll"
    for folder in (interpreter.parent, interpreter.parent.parent):
        if (folder / name).is_file() or (folder / name.replace("64", "32")).is_file():
            return None
    return name


def register(registry: Registry, files: list[Path]) -> list[tuple[str, str]]:
    """Enter each file in every Excel version's list of installed add-ins (the first
    free ``OPEN``, ``OPEN1`` … value), once: a file already listed is left as it is."""
    versions = [v for v in registry.versions() if _VERSION.match(v)] or [DEFAULT_VERSION]
    written = []
    for version in versions:
        values = registry.values(version)
        listed = {_listed_path(v) for name, v in values.items() if _OPEN.match(name)}
        taken = {name.upper() for name in values}
        for path in files:
            if _normal(str(path)) in listed:
                continue
            name = _free_open(taken)
            taken.add(name)
            registry.set_value(version, name, f'/R "{path}"')
            written.append((version, name))
    return written


def _free_open(taken: set[str]) -> str:
    n = 0
    while (f"OPEN{n}" if n else "OPEN") in taken:
        n += 1
    return f"OPEN{n}" if n else "OPEN"


def _listed_path(value: str) -> str:
    """``/R "C:\\…\\x.xlam"`` or ``"x.xlam"`` (in the default folder) → a comparable path."""
    text = value.strip()
    while text[:1] == "/" and " " in text:  # switches: /R read-only, /A automation
        text = text.split(" ", 1)[1].strip()
    return _normal(text.strip('"'))


def _normal(path: str) -> str:
    return str(PureWindowsPath(path)).lower()


# ====================================================================== this PC's registry
class WindowsRegistry:
    """HKEY_CURRENT_USER through winreg: the user's own part, no admin rights needed."""

    def __init__(self) -> None:
        import winreg  # Windows only

        self.winreg = winreg

    def versions(self) -> list[str]:
        w = self.winreg
        try:
            office = w.OpenKey(w.HKEY_CURRENT_USER, OFFICE_KEY)
        except OSError:
            return []
        found = []
        with office:
            count = w.QueryInfoKey(office)[0]
            for i in range(count):
                name = w.EnumKey(office, i)
                if not _VERSION.match(name):
                    continue
                try:
                    w.OpenKey(office, name + r"\Excel").Close()
                except OSError:
                    continue
                found.append(name)
        return sorted(found, key=lambda v: float(v))

    def values(self, version: str) -> dict[str, str]:
        w = self.winreg
        try:
            key = w.OpenKey(w.HKEY_CURRENT_USER, rf"{OFFICE_KEY}\{version}\{OPTIONS}")
        except OSError:
            return {}
        out = {}
        with key:
            count = w.QueryInfoKey(key)[1]
            for i in range(count):
                name, value, _kind = w.EnumValue(key, i)
                out[name] = str(value)
        return out

    def set_value(self, version: str, name: str, value: str) -> None:
        w = self.winreg
        with w.CreateKey(w.HKEY_CURRENT_USER, rf"{OFFICE_KEY}\{version}\{OPTIONS}") as key:
            w.SetValueEx(key, name, 0, w.REG_SZ, value)
