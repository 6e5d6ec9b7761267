"""The workbook as the rules see it: values by contract name, each with its cell.

Assembled once per validation (``kinerja.core.assemble``) from a source: the file
(``kinerja.xlsx.source``) or, in the add-in, a live Excel workbook (D28). Rules never open
files and never know which source it was; they read this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kinerja.core.cells import a1


@dataclass(frozen=True)
class ExcelError:
    """An error value a cell holds (#REF!, #N/A, #DIV/0! …): not empty, not text."""

    code: str

    def __str__(self) -> str:
        return self.code


Scalar = str | int | float | bool | dt.date | dt.datetime | dt.time | ExcelError | None


def is_blank(value: Scalar) -> bool:
    """Empty as a user means it: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Cell:
    sheet: str
    ref: str  # A1 address
    value: Scalar


@dataclass(frozen=True)
class TableRow:
    row: int  # the Excel row number
    values: dict[str, Scalar]  # by column header

    def is_blank(self, headers: tuple[str, ...]) -> bool:
        """D5: a row whose input cells are all empty is not a row."""
        return all(is_blank(self.values.get(h)) for h in headers)


@dataclass
class Table:
    name: str
    sheet: str
    header_row: int
    first_col: int
    headers: list[str]  # as in the file, in file order
    rows: list[TableRow]  # every data row of the table's range, blank ones included
    below: list[Cell] = field(default_factory=list)  # values under the table in its columns (the first ones)
    below_more: int = 0  # further values under it, counted but not listed (limits.below_cells)
    _filled: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _cols: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def col(self, header: str) -> int:
        if header not in self._cols:
            self._cols[header] = self.first_col + self.headers.index(header)
        return self._cols[header]

    def cell(self, header: str, row: int) -> str:
        return a1(row, self.col(header))

    def header_cell(self, header: str) -> str:
        return a1(self.header_row, self.col(header))

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.rows)

    def filled(self, input_headers: tuple[str, ...]) -> list[TableRow]:
        """The rows that are rows (D5). Asked a dozen times per validation of tables
        pre-sized to hundreds of rows, so remembered (the model is read once, never edited)."""
        key = (tuple(input_headers), len(self.rows))
        if key not in self._filled:
            self._filled[key] = [r for r in self.rows if not r.is_blank(input_headers)]
        return list(self._filled[key])

    def row_no(self, row: int) -> int:
        """The row number as a user counts it inside the table (1 = first data row)."""
        return row - self.header_row


@dataclass(frozen=True)
class Picture:
    """A picture placed over cells; its anchor is its top-left cell."""

    sheet: str
    row: int
    col: int
    data: bytes | None  # None: the source cannot supply the bytes (xlwings' remote engine)
    name: str = ""

    @property
    def ref(self) -> str:
        return a1(self.row, self.col)


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden | unknown
    protected: bool | None  # None: not known (a sheet outside the contract, or a source that cannot tell)


@dataclass
class WorkbookModel:
    file: str
    sheets: list[SheetInfo]
    meta: dict[str, str]
    names: dict[str, Cell]
    tables: dict[str, Table]
    pictures: list[Picture] = field(default_factory=list)
    # False: the source could not say where pictures sit (a live Excel book through
    # xlwings), so `pictures` is empty for want of knowledge, not for want of pictures.
    pictures_known: bool = True

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    def value(self, name: str) -> Scalar:
        return self.names[name].value
