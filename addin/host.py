"""What an action needs from the Excel it runs in, beyond the Book API both engines share.

Two hosts, one per route (docs/xlwings-notes.md):

- :class:`DesktopHost`: Excel for Windows through COM (the .xlam ribbon, RunPython). Its
  message boxes wait for an answer, the workbook has a path on disk, and it can be saved,
  closed and opened again, so the Tanda Tangan button can hand the saved file to the
  ledger's own service. What xlwings has no API for (sheet protection, "has unsaved
  changes", Protected View) goes through ``.api``, here and nowhere else.
- :class:`ServerHost`: xlwings Server (Office.js). Every effect is an action the client
  plays after the script returns: a message box does not wait, protection goes through
  two small functions the client registers (``kinerjaUnprotect``, ``kinerjaProtect``,
  addin/server/static/kinerja.js), and the server never holds the file or a key, so it
  never signs.

Tests give an action a host of their own (tests/addin_hosts.py), so every step of every
action runs on Linux against a real ``xlwings.Book(json=...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from kinerja.core import contract
from kinerja.core.findings import KinerjaError

UNPROTECT = "kinerjaUnprotect"  # client functions of the server route (static/kinerja.js)
PROTECT = "kinerjaProtect"


class Host(Protocol):
    route: str  # "desktop" | "server": what a dialog may promise
    can_sign: bool

    def target(self) -> Any:
        """The workbook the user works in (an xlwings Book), or KinerjaError."""
        ...

    def alert(self, prompt: str, title: str, buttons: str = "ok", mode: str = "info") -> str | None:
        """A message box; the button pressed ("ok", "yes", "no", "cancel") where the host
        waits for it, None where it cannot (the server route)."""
        ...

    def unprotect(self, book: Any, sheet: str) -> None: ...

    def protect(self, book: Any, sheet: str, options: dict[str, bool]) -> None: ...

    # -------------------------------------------------- the sign-off's file step (desktop)
    def passphrase(self, prompt: str, title: str) -> bytes | None: ...

    def unsaved(self, book: Any) -> bool: ...

    def save(self, book: Any) -> Path: ...

    def close(self, book: Any) -> None: ...

    def reopen(self, path: Path) -> Any: ...


def protection_options(sheet: str, locked: bool) -> dict[str, bool]:
    """What a sheet's protection allows (contract.sheet_protection), in Office.js'
    WorksheetProtectionOptions words; the desktop host maps them to COM's Protect()."""
    allowed = contract.sheet_protection(sheet, locked)
    return {
        "allowEditObjects": allowed["objects"] == "0",
        "allowEditScenarios": allowed["scenarios"] == "0",
        "allowFormatColumns": allowed["formatColumns"] == "0",
        "allowFormatRows": allowed["formatRows"] == "0",
        "allowAutoFilter": allowed["autoFilter"] == "0",
    }


def host_for(book: Any) -> Host:
    """The host of the engine a Book came from."""
    if book.app.engine.name == "remote":
        return ServerHost(book)
    return DesktopHost(book)


# ====================================================================== xlwings Server
class ServerHost:
    route = "server"
    can_sign = False  # the private key never leaves the signer's PC

    def __init__(self, book: Any):
        self.book = book

    def target(self) -> Any:
        return self.book

    def alert(self, prompt: str, title: str, buttons: str = "ok", mode: str = "info") -> str | None:
        self.book.app.alert(prompt, title=title, buttons=buttons, mode=mode, callback="")
        return None

    def unprotect(self, book: Any, sheet: str) -> None:
        book.app.macro(UNPROTECT)(sheet)

    def protect(self, book: Any, sheet: str, options: dict[str, bool]) -> None:
        book.app.macro(PROTECT)(sheet, options)

    def passphrase(self, prompt: str, title: str) -> bytes | None:
        raise KinerjaError("ADDIN_TTD_DI_SERVER", file=self.book.name)

    def unsaved(self, book: Any) -> bool:
        raise KinerjaError("ADDIN_TTD_DI_SERVER", file=self.book.name)

    save = close = reopen = unsaved  # never reached: can_sign is False


# ====================================================================== Excel for Windows (COM)
class DesktopHost:
    """``caller`` is what ``xlwings.Book.caller()`` gives a ribbon button: the add-in file
    itself (RunPython names ThisWorkbook), so the workbook to check is the active one."""

    route = "desktop"
    can_sign = True

    def __init__(self, caller: Any):
        self.caller = caller
        self.app = caller.app

    def target(self) -> Any:
        api = self.app.api
        if _present(lambda: api.ActiveProtectedViewWindow):
            raise KinerjaError("ADDIN_TAMPILAN_TERLINDUNG")
        if not _present(lambda: api.ActiveWorkbook):
            raise KinerjaError("ADDIN_TANPA_BUKU")
        book = self.app.books.active
        if book.name.lower().endswith((".xlam", ".xla")):
            raise KinerjaError("ADDIN_TANPA_BUKU")
        return book

    def alert(self, prompt: str, title: str, buttons: str = "ok", mode: str = "info") -> str | None:
        return self.app.alert(prompt, title=title, buttons=buttons, mode=mode)

    def unprotect(self, book: Any, sheet: str) -> None:
        try:
            book.sheets[sheet].api.Unprotect()
        except Exception:  # pywintypes.com_error: a password we do not know
            raise KinerjaError("ADDIN_LEMBAR_BERSANDI", sheet=sheet) from None

    def protect(self, book: Any, sheet: str, options: dict[str, bool]) -> None:
        book.sheets[sheet].api.Protect(**com_protect_arguments(options))

    def passphrase(self, prompt: str, title: str) -> bytes | None:
        return ask_secret(prompt, title)

    def unsaved(self, book: Any) -> bool:
        return not book.api.Saved

    def save(self, book: Any) -> Path:
        if not book.api.Path:  # a new workbook: nowhere to save it without asking
            raise KinerjaError("ADDIN_BELUM_PERNAH_DISIMPAN")
        book.save()
        return Path(book.fullname)

    def close(self, book: Any) -> None:
        book.close()  # xlwings closes without saving: it was saved just before

    def reopen(self, path: Path) -> Any:
        return self.app.books.open(str(path))


def com_protect_arguments(options: dict[str, bool]) -> dict[str, bool]:
    """Worksheet.Protect's keyword arguments for the template's protection (no password)."""
    return {
        "DrawingObjects": not options["allowEditObjects"],
        "Contents": True,
        "Scenarios": not options["allowEditScenarios"],
        "AllowFormattingColumns": options["allowFormatColumns"],
        "AllowFormattingRows": options["allowFormatRows"],
        "AllowFiltering": options["allowAutoFilter"],
    }


def _present(read) -> bool:
    try:
        return read() is not None
    except Exception:  # COM raises instead of answering Nothing in some states
        return False


def ask_secret(prompt: str, title: str) -> bytes | None:
    """A masked one-line dialog (tkinter ships with python.org's Windows installer); None
    when cancelled or when there is no tkinter, which the ledger then reports as a key
    that needs its passphrase (KUNCI_PERLU_SANDI)."""
    try:
        import tkinter
        from tkinter import simpledialog
    except ImportError:
        return None
    root = tkinter.Tk()
    root.withdraw()
    root.attributes("-topmost", True)
    try:
        answer = simpledialog.askstring(title, prompt, show="*", parent=root)
    finally:
        root.destroy()
    return answer.encode("utf-8") if answer else None
