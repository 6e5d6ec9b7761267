"""The workbook source over a live xlwings Book (D28): what the add-in validates, unsaved
edits included, on either engine.

Only Book API that the Windows desktop engine (COM) and the remote engine of xlwings
Server both implement is used (D23): ``book.sheets``, ``book.names`` with ``refers_to``,
``sheet.tables`` with their ranges, ``sheet.used_range`` and ``Range.raw_value``. Values
are read once per sheet, as one block from A1, and sliced here.

``raw_value``, not ``value``: the remote engine's ``value`` takes any text shaped like an
ISO timestamp for a date and raises on one with an offset (``_meta.created_at``, the
ledger's ``Waktu``; docs/xlwings-notes.md). Each engine's raw values are normalised here to
what the file source gives for the same workbook: empty is None, numbers are floats, a
date is a ``date`` (a ``datetime`` when it has a time of day, a ``time`` on Excel's day
zero), an error cell an :class:`ExcelError`.

What this source cannot tell, and says so rather than guess:
- protection: None for every sheet (the remote engine has no protect API);
- where pictures sit, and their bytes: ``pictures()`` is None (xlwings sends a picture's
  name and size only), so photo placement and the ledger's picture digests are checked on
  the saved file;
- visibility with xlwings Server's clients (no ``visibility`` key): ``unknown``; on COM
  a hidden and a very hidden sheet both read as hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from kinerja.core.cells import parse_range, split_sheet_ref
from kinerja.core.findings import KinerjaError
from kinerja.core.model import ExcelError, Scalar
from kinerja.core.source import HIDDEN, UNKNOWN_STATE, VISIBLE, Area, PictureInfo, SheetState, TableInfo, clean

# How far one sheet is read from A1 (D25: never as far as a sheet declares). The contract's
# largest table ends near row 512; a value typed beyond this block is not seen here.
MAX_ROWS = 20_000
MAX_COLS = 256

EXCEL_DAY_ZERO = dt.date(1899, 12, 30)  # where a time without a date lands
_CLIENT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")  # JS toISOString()
ERROR_TEXTS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
        "#DATA!",
    }
)
# COM hands an error cell over as the HRESULT-style integer -2146828288 + Excel's xlErr
# number (xlErrDiv0 = 2007 arrives as -2146826281).
_COM_ERROR_BASE = -2_146_828_288
COM_ERRORS = {
    2000: "#NULL!",
    2007: "#DIV/0!",
    2015: "#VALUE!",
    2023: "#REF!",
    2029: "#NAME?",
    2036: "#NUM!",
    2042: "#N/A",
    2043: "#GETTING_DATA",
    2045: "#SPILL!",
    2046: "#CONNECT!",
    2047: "#BLOCKED!",
    2048: "#UNKNOWN!",
    2049: "#FIELD!",
    2050: "#CALC!",
}

Grid = list[list[Scalar]]


class BookSource:
    """A live workbook, read through xlwings. ``engine`` is xlwings' engine name
    (``remote`` for xlwings Server, ``excel`` for the Windows desktop); it decides how
    raw values are normalised."""

    def __init__(self, book: Any):
        self.book = book
        self.engine = book.app.engine.name
        self._sheets = {s.name: s for s in book.sheets}
        self._grids: dict[str, Grid] = {}

    # ------------------------------------------------------------------ the protocol
    @property
    def file(self) -> str:
        return self.book.name

    def sheets(self) -> list[SheetState]:
        return [SheetState(name, _state(sheet)) for name, sheet in self._sheets.items()]

    def protection(self, sheet: str) -> bool | None:
        return None

    def meta_rows(self) -> list[tuple[Scalar, Scalar]]:
        from kinerja.core import contract

        last_row, _ = self.extent(contract.META_SHEET)
        if last_row == 0:
            return []
        return [(key, value) for key, value in self.values(contract.META_SHEET, Area(1, 1, last_row, 2))]

    def defined_names(self) -> dict[str, tuple[str, str] | None]:
        """Workbook-scoped names; a sheet's own name is listed as ``Sheet!name`` by both
        engines and left out, as the file source leaves it out."""
        out: dict[str, tuple[str, str] | None] = {}
        for name in self.book.names:
            if "!" in name.name:
                continue
            try:
                refers_to = name.refers_to
            except Exception:  # a name Excel cannot resolve (COM raises for some): not one cell
                refers_to = None
            out[name.name] = split_sheet_ref(refers_to) if isinstance(refers_to, str) else None
        return out

    def tables(self, sheet: str) -> list[TableInfo]:
        found = self._sheets.get(sheet)
        if found is None:
            return []
        out = []
        for table in found.tables:
            ref = table.range.address.replace("$", "")
            headers = 1 if table.show_headers else 0
            first_row, first_col, _, last_col = parse_range(ref)
            columns: tuple[str, ...] = ()
            if headers:
                (row,) = self.values(sheet, Area(first_row, first_col, first_row, last_col))
                columns = tuple(_header(v) for v in row)
            out.append(TableInfo(table.name, ref, columns, headers, 1 if table.show_totals else 0))
        return out

    def values(self, sheet: str, area: Area) -> list[list[Scalar]]:
        grid = self._grid(sheet)
        c0, width = area.first_col - 1, area.cols
        out = []
        for r in range(area.first_row - 1, area.last_row):
            row = grid[r][c0 : c0 + width] if r < len(grid) else []
            out.append(row + [None] * (width - len(row)))
        return out

    def extent(self, sheet: str) -> tuple[int, int]:
        """The last row and column holding a value: the used range also counts cells
        that are only formatted (the pre-sized tables), which hold nothing to read."""
        grid = self._grid(sheet)
        rows = [i for i, row in enumerate(grid, start=1) if any(v is not None for v in row)]
        cols = [
            max(j for j, v in enumerate(row, start=1) if v is not None)
            for row in grid
            if any(v is not None for v in row)
        ]
        return (rows[-1] if rows else 0), max(cols, default=0)

    def pictures(self, sheet: str) -> list[PictureInfo] | None:
        return None  # xlwings gives a picture's name and size, never its cell or bytes

    # ------------------------------------------------------------------ values
    def _grid(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            found = self._sheets.get(sheet)
            self._grids[sheet] = [] if found is None else self._read(found)
        return self._grids[sheet]

    def _read(self, sheet: Any) -> Grid:
        try:
            last = sheet.used_range.last_cell
            rows, cols = min(last.row, MAX_ROWS), min(last.column, MAX_COLS)
            raw = sheet.range((1, 1), (rows, cols)).raw_value
        except KinerjaError:
            raise
        except Exception as exc:  # the engine could not hand the values over
            raise KinerjaError("ADDIN_BACA_GAGAL", sheet=sheet.name, detail=type(exc).__name__) from None
        if not isinstance(raw, (list, tuple)):
            raw = [[raw]]  # COM answers one cell with the value itself
        elif raw and not isinstance(raw[0], (list, tuple)):
            raw = [raw]
        normal = _remote if self.engine == "remote" else _com
        return [[normal(v) for v in row] for row in raw]


def _state(sheet: Any) -> str:
    try:
        return VISIBLE if sheet.visible else HIDDEN
    except (KeyError, NotImplementedError, AttributeError):
        return UNKNOWN_STATE


def _header(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------- per engine
def _remote(value: Any) -> Scalar:
    """What xlwings Server's clients send: "" empty, JSON numbers (98 as an int), text
    as typed, an error as its code, a date or time (ExcelApi 1.12) as JS ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, str):
        if value in ERROR_TEXTS:
            return ExcelError(value)
        if _CLIENT_DATE.match(value):
            return temporal(dt.datetime.fromisoformat(value[:-1]))
        return value
    return clean(value)


def _com(value: Any) -> Scalar:
    """What COM's ``Range.Value`` gives: None empty, floats, bools, text, pywintypes
    datetimes (marked UTC, meaning nothing), Decimal for a currency cell, an int error."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        code = COM_ERRORS.get(value - _COM_ERROR_BASE)
        return ExcelError(code) if code else float(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):  # pywintypes' own subclass: made a plain, naive datetime
        plain = dt.datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond
        )
        return temporal(plain)
    return clean(value)


def temporal(value: dt.datetime) -> dt.date | dt.datetime | dt.time:
    """A date-time cell as the file source reads it: a time on Excel's day zero, a date
    at midnight, else the date-time."""
    if value.date() == EXCEL_DAY_ZERO:
        return value.time()
    if value.time() == dt.time(0, 0):
        return value.date()
    return value
