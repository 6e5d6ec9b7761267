"""Hosts for the add-in tests: Excel stand-ins that record every dialog and answer with
scripted buttons, and the client functions the server route registers, played onto the
file by ``apply_actions``.

``ScriptedHost`` is the server route's host (every write is an action of the real remote
engine) with answers a test gives. ``FileHost`` adds what the desktop route does with the
file: saving plays the Book's actions onto the file on disk, as Excel writes the open
workbook; closing and opening again read the file into a new ``xlwings.Book(json=...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kinerja.addin.host import PROTECT, UNPROTECT, ServerHost
from kinerja.addin.payload import apply_actions, book_payload


def _unprotect(wb, action) -> None:
    wb[action["args"][1]].protection.sheet = False


def _protect(wb, action) -> None:
    """What static/kinerja.js does with Office.js' WorksheetProtectionOptions."""
    ws, options = wb[action["args"][1]], action["args"][2]
    p = ws.protection
    p.sheet = True
    p.objects = not options["allowEditObjects"]
    p.scenarios = not options["allowEditScenarios"]
    p.formatColumns = not options["allowFormatColumns"]
    p.formatRows = not options["allowFormatRows"]
    p.autoFilter = not options["allowAutoFilter"]


MACROS = {UNPROTECT: _unprotect, PROTECT: _protect}


def play(path: Path, book, out: Path | None = None) -> Path:
    """The Book's actions applied onto a copy of its file (or onto ``out``)."""
    return apply_actions(path, book.json(), out, macros=MACROS)


class ScriptedHost(ServerHost):
    """The server route's host, with the buttons a user would press, in order."""

    def __init__(self, book, answers: list[str] | None = None, *, can_sign: bool = False):
        super().__init__(book)
        self.answers = list(answers or [])
        self.dialogs: list[dict[str, str]] = []
        self.can_sign = can_sign

    def alert(self, prompt: str, title: str, buttons: str = "ok", mode: str = "info") -> str | None:
        super().alert(prompt, title, buttons, mode)
        self.dialogs.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        if buttons == "ok":
            return "ok"
        if not self.answers:
            raise AssertionError(f"no scripted answer for the question: {prompt}")
        return self.answers.pop(0)

    @property
    def last(self) -> str:
        return self.dialogs[-1]["prompt"]


class FileHost(ScriptedHost):
    """The desktop route over a file: the workbook is ``path``, the Book its payload."""

    def __init__(self, path: Path, xw, answers: list[str] | None = None, *, unsaved: bool = False, secret=None):
        self.path, self.xw = path, xw
        super().__init__(xw.Book(json=book_payload(path)), answers, can_sign=True)
        self._unsaved, self.secret = unsaved, secret
        self.saves = self.closes = self.reopens = 0
        self.passphrase_prompts: list[str] = []

    def target(self) -> Any:
        return self.book

    def unsaved(self, book) -> bool:
        return self._unsaved

    def save(self, book) -> Path:
        """Excel writes what the open workbook holds, over the file."""
        saved = play(self.path, book, self.path.with_name(self.path.stem + ".saving.xlsx"))
        saved.replace(self.path)
        self.saves += 1
        return self.path

    def close(self, book) -> None:
        self.closes += 1

    def reopen(self, path: Path):
        self.reopens += 1
        self.book = self.xw.Book(json=book_payload(path))
        return self.book

    def passphrase(self, prompt: str, title: str) -> bytes | None:
        self.passphrase_prompts.append(prompt)
        return self.secret
