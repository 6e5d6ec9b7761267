"""Writes into a live workbook, sheet by sheet, through the Book API both engines share.

Every sheet of the template is protected, so each sheet a write touches is unprotected
once, written, and protected again with exactly what the template's protection allows for
it now (a sheet the ledger has locked allows less; ``host.protection_options``). A sheet
someone left unprotected comes back protected, as the file route restores it (D10).

Text is written the way Excel takes typed text unless told otherwise (docs/xlwings-notes.md):
"19720514…" would become a number, "=…" a formula. So every text goes in behind an
apostrophe, which Excel keeps as the cell's text prefix and not as part of its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinerja.addin.host import Host, protection_options

from kinerja.core.cells import a1, parse_a1

Op = Callable[[Any], None]  # one write, given the xlwings Sheet


def typed(value: str | int | float | None) -> str | int | float:
    """A value as it must be handed to Excel to land as itself."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return "'" + value
    return value


class BookWriter:
    def __init__(self, book: Any, host: Host, locked: frozenset[str]):
        self.book, self.host, self.locked = book, host, locked
        self._ops: dict[str, list[Op]] = {}

    def _add(self, sheet: str, op: Op) -> None:
        self._ops.setdefault(sheet, []).append(op)

    # ------------------------------------------------------------------ what can be written
    def value(self, sheet: str, ref: str, value: str | int | float | None) -> None:
        self._add(sheet, lambda ws: setattr(ws.range(ref), "value", typed(value)))

    def block(self, sheet: str, first: str, rows: list[list[str | int | float | None]]) -> None:
        """A rectangle of values from its top-left cell, in one write."""
        if not rows:
            return
        row, col = parse_a1(first)
        last = a1(row + len(rows) - 1, col + len(rows[0]) - 1)
        values = [[typed(v) for v in r] for r in rows]
        self._add(sheet, lambda ws: setattr(ws.range(f"{first}:{last}"), "value", values))

    def link(self, sheet: str, ref: str, location: str, text: str, tip: str) -> None:
        """An in-workbook link; both the text and the tip are always given (the Office.js
        client calls toString() on them)."""
        self._add(sheet, lambda ws: ws.range(ref).add_hyperlink("#" + location, text, tip))

    def colour(self, sheet: str, ref: str, rgb: str | None) -> None:
        """The cell's fill: ``rgb`` ("FFC7CE"), or no fill."""
        self._add(sheet, lambda ws: setattr(ws.range(ref), "color", None if rgb is None else "#" + rgb))

    def clear(self, sheet: str, ref: str) -> None:
        """Value, link and the cell's own format (used for a stale link: Excel has no
        other way to drop a hyperlink that both engines share)."""
        self._add(sheet, lambda ws: ws.range(ref).clear())

    @property
    def sheets(self) -> list[str]:
        return list(self._ops)

    # ------------------------------------------------------------------ commit
    def commit(self) -> None:
        """Each sheet: unprotect, its writes in order, protect again (also when a write
        fails, so no sheet is left open)."""
        for sheet, ops in self._ops.items():
            ws = self.book.sheets[sheet]
            self.host.unprotect(self.book, sheet)
            try:
                for op in ops:
                    op(ws)
            finally:
                self.host.protect(self.book, sheet, protection_options(sheet, sheet in self.locked))
        self._ops.clear()
