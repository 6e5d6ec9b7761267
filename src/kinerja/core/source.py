"""Where a workbook's contents come from: the one interface the model is assembled from (D28).

Two implementations: the file (``kinerja.xlsx.source.FileSource``: zip parts and
python-calamine) and, in the add-in, a live Excel workbook through xlwings. The contract
checks and the model (``kinerja.core.assemble``) ask only what is below, so rules, the
ledger and the presenter never know which source they got.

Every method answers with what its source can know: protection is None where a source
cannot tell (xlwings' remote engine), picture bytes are None where it cannot supply them,
and the picture list itself is None where the source cannot say where pictures sit
(xlwings sends a picture's name and size, never its cell). What xlwings gives maps one to
one: ``sheet.visible`` → state, ``book.names[n].refers_to`` → a name's target,
``sheet.tables`` with ``.range`` and ``.header_row_range`` → table parts,
``sheet.range(area.ref).raw_value`` → values, ``sheet.used_range.last_cell`` → the extent
(``kinerja.addin.book_source``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from kinerja.core.cells import a1
from kinerja.core.model import ExcelError, Scalar

VISIBLE, HIDDEN, VERY_HIDDEN = "visible", "hidden", "veryHidden"
UNKNOWN_STATE = "unknown"  # a source that cannot tell (xlwings Server's clients send no visibility)


@dataclass(frozen=True)
class SheetState:
    name: str
    state: str  # visible | hidden | veryHidden | unknown


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, 1-based and inclusive, as Excel numbers rows and columns."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def rows(self) -> int:
        return max(0, self.last_row - self.first_row + 1)

    @property
    def cols(self) -> int:
        return max(0, self.last_col - self.first_col + 1)

    @property
    def ref(self) -> str:
        """'A5:H505', for sources that address ranges by text (xlwings)."""
        return f"{a1(self.first_row, self.first_col)}:{a1(self.last_row, self.last_col)}"


@dataclass(frozen=True)
class TableInfo:
    """A table (ListObject) as the workbook states it; the assembler checks it."""

    name: str
    ref: str  # "A5:H505", header row and totals row included
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0


@dataclass(frozen=True)
class PictureInfo:
    """A picture placed over cells: its top-left cell (1-based) and its bytes."""

    row: int
    col: int
    data: bytes | None  # None: the source cannot supply the bytes
    name: str = ""


class WorkbookSource(Protocol):
    """What the assembler reads. Methods raise ``KinerjaError`` (with its own code) when
    the workbook cannot be read at all; they never return half an answer silently."""

    @property
    def file(self) -> str:
        """What the user calls this workbook: a path, or the open book's name."""
        ...

    def sheets(self) -> list[SheetState]:
        """Every sheet, in workbook order."""
        ...

    def protection(self, sheet: str) -> bool | None:
        """Whether a sheet is protected; None when the source cannot tell."""
        ...

    def meta_rows(self) -> list[tuple[Scalar, Scalar]]:
        """The `_meta` sheet's rows as (column A, column B), top to bottom (D6)."""
        ...

    def defined_names(self) -> dict[str, tuple[str, str] | None]:
        """Workbook-scoped defined names → (sheet, A1 cell) they point at; None for a
        name that does not point at exactly one cell (a range, a formula, #REF!)."""
        ...

    def tables(self, sheet: str) -> list[TableInfo]:
        """The tables on one sheet."""
        ...

    def values(self, sheet: str, area: Area) -> list[list[Scalar]]:
        """The raw values of a rectangle: exactly ``area.rows`` lists of ``area.cols``
        values each, passed through :func:`clean` (empty → None, an error cell →
        ExcelError). Cells outside the sheet's values are None."""
        ...

    def extent(self, sheet: str) -> tuple[int, int]:
        """(last row, last column) that hold a value, (0, 0) for an empty sheet: how far
        a check for values below a table must look (D5). Never the declared dimension."""
        ...

    def pictures(self, sheet: str) -> list[PictureInfo] | None:
        """Pictures placed over the cells of one sheet (charts and shapes are not); None
        when the source cannot tell which cells they sit on."""
        ...


def clean(value: object) -> Scalar:
    """A raw value as the model holds it. Empty text is empty (calamine reads an empty cell
    as ""); a number no cell can hold (inf, NaN: Excel shows those as #NUM!) is that
    error, so no converter or digest ever meets a non-finite float."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return ExcelError("#NUM!")
    return value  # type: ignore[return-value]
