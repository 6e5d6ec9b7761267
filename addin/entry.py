"""Where a click on the ribbon lands in Python, and which action it runs.

The xlwings ribbon template's only macro, ``RibbonMyAddin.RunMain``, runs
``import NAME; NAME.main()`` with NAME the add-in file's name without its extension and
never says which button was pressed. So each button lives in an add-in file of its own,
named after the module its macro imports (``kinerja.addin.validasi.xlam`` runs
``import kinerja.addin.validasi; kinerja.addin.validasi.main()``), and the three files put
their buttons on one shared tab (docs/xlwings-notes.md, "One button, one action").

Nothing here imports xlwings or the rules at import time: ``kinerja.main()`` asks
:func:`main` first on every command-line start, which must stay cheap.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ACTIONS_MODULE = "kinerja.addin.actions"  # holds one function per action, taking the xlwings Book
DEFAULT_ACTION = "status"  # what `import kinerja; kinerja.main()` from Excel runs: it only reads


@dataclass(frozen=True)
class Button:
    """One ribbon button: the action it runs and the add-in file that carries it."""

    action: str  # function name in ACTIONS_MODULE and the module's last part
    label: str  # as the issue names it on the tab
    image: str  # a built-in Office icon (imageMso)

    @property
    def module(self) -> str:
        """The module its add-in's macro imports: the file name without ``.xlam``."""
        return f"kinerja.addin.{self.action}"

    @property
    def file_name(self) -> str:
        return f"{self.module}.xlam"

    @property
    def control_id(self) -> str:
        return "btn" + "".join(part.title() for part in self.action.split("_"))


# In ribbon order.
BUTTONS: tuple[Button, ...] = (
    Button("validasi", "Validasi", "Spelling"),
    Button("tanda_tangan", "Tanda Tangan", "SignatureLineInsert"),
    Button("status", "Status", "Info"),
)


def button(action: str) -> Button:
    for b in BUTTONS:
        if b.action == action:
            return b
    raise KeyError(action)


def called_from_excel(argv: Sequence[str] | None = None) -> bool:
    """Whether xlwings' RunPython started this call: with a new Python process each click
    (``--from_xl=1`` on the command line), or in the persistent server ("Use UDF
    Server"), where VBA sets ``xlwings._xlwindows.BOOK_CALLER`` first; or a test or a
    developer set a mock caller (``xlwings.Book.set_mock_caller``). xlwings is never
    imported to find out."""
    argv = sys.argv if argv is None else argv
    if any(arg == "--from_xl=1" for arg in argv):
        return True
    windows = sys.modules.get("xlwings._xlwindows")
    if windows is not None and getattr(windows, "BOOK_CALLER", None) is not None:
        return True
    xlwings = sys.modules.get("xlwings")
    return xlwings is not None and hasattr(xlwings.Book, "_mock_caller")


def run(action: str) -> Any:
    """Run one action on the workbook that called: the button modules' ``main()``."""
    import xlwings

    button(action)  # an unknown action is a programming error, found before Excel is touched
    return _action(action)(xlwings.Book.caller())


def main() -> bool:
    """For ``kinerja.main()``: True when Excel called (the default action ran on the
    calling workbook, and the command line must not start), False otherwise.

    Only an add-in file named ``kinerja.xlam`` (the template's own convention) reaches
    ``kinerja.main()`` from Excel; the three buttons reach their own modules."""
    if not called_from_excel():
        return False
    run(DEFAULT_ACTION)
    return True


def _action(action: str) -> Callable[[Any], Any]:
    module = importlib.import_module(ACTIONS_MODULE)
    return getattr(module, action)
