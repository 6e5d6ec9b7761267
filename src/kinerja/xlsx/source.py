"""The workbook source over a file's bytes: structure from the zip parts, values from
python-calamine (D24, D28).

python-calamine reads values fast, and whatever last saved the file (Excel, LibreOffice,
openpyxl), but exposes no defined names, table ranges or drawings; those come from the
XML parts (``package.py``). Error values come from the sheet XML too, since calamine
reads them as empty strings (D25).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection

from kinerja.core import contract
from kinerja.core.cells import parse_a1
from kinerja.core.findings import KinerjaError
from kinerja.core.model import ExcelError, Scalar
from kinerja.core.source import Area, PictureInfo, SheetState, TableInfo, clean
from kinerja.xlsx.package import Package, PackageError, SheetPart, error_cells, is_protected
from kinerja.xlsx.sniff import open_package_zip

Grid = list[list[Scalar]]


class FileSource:
    """A workbook file held in memory, read through its zip parts and calamine.

    ``read_sheets`` are the sheets whose values may be asked for (the contract's); their
    values are read once, together. None reads any sheet asked for.
    """

    def __init__(self, data: bytes, file: str, read_sheets: Collection[str] | None = None):
        self._file = file
        self._data = data
        self._zip: zipfile.ZipFile = open_package_zip(data)
        try:
            self._pkg = Package.open(self._zip)
        except PackageError as exc:
            self.close()
            raise _coded(exc) from None
        self._read_sheets = set(read_sheets) if read_sheets is not None else None
        self._grids: dict[str, Grid] = {}
        self._errors: dict[str, dict[tuple[int, int], str]] = {}  # sheet -> (row, col) -> '#REF!'
        self._sheet_xml: dict[str, bytes] = {}
        self._calamine = None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the protocol
    @property
    def file(self) -> str:
        return self._file

    def sheets(self) -> list[SheetState]:
        return [SheetState(s.name, s.state) for s in self._pkg.sheets]

    def protection(self, sheet: str) -> bool | None:
        part = self._pkg.sheet(sheet)
        if part is None or not part.path:
            return None
        return is_protected(self._xml(part))

    def meta_rows(self) -> list[tuple[Scalar, Scalar]]:
        last_row, _ = self.extent(contract.META_SHEET)
        if last_row == 0:
            return []
        return [(key, value) for key, value in self.values(contract.META_SHEET, Area(1, 1, last_row, 2))]

    def defined_names(self) -> dict[str, tuple[str, str] | None]:
        return {dn.name: self._pkg.name_target(dn.name) for dn in self._pkg.names if dn.local_sheet is None}

    def tables(self, sheet: str) -> list[TableInfo]:
        part = self._pkg.sheet(sheet)
        if part is None:
            return []
        try:
            return [TableInfo(t.name, t.ref, t.columns, t.header_rows, t.totals_rows) for t in self._pkg.tables(part)]
        except PackageError as exc:
            raise _coded(exc) from None

    def values(self, sheet: str, area: Area) -> list[list[Scalar]]:
        grid = self._grid(sheet)
        c0, width = area.first_col - 1, area.cols
        out = []
        for r in range(area.first_row - 1, area.last_row):
            row = grid[r][c0 : c0 + width] if r < len(grid) else []
            values = [None if v == "" else clean(v) for v in row]
            values += [None] * (width - len(values))
            out.append(values)
        for (r, c), code in self._errors.get(sheet, {}).items():
            if area.first_row <= r <= area.last_row and area.first_col <= c <= area.last_col:
                out[r - area.first_row][c - area.first_col] = ExcelError(code)
        return out

    def extent(self, sheet: str) -> tuple[int, int]:
        grid = self._grid(sheet)
        return len(grid), max((len(row) for row in grid), default=0)

    def pictures(self, sheet: str) -> list[PictureInfo]:
        part = self._pkg.sheet(sheet)
        if part is None:
            return []
        out = []
        try:
            anchors = self._pkg.anchors(part)
        except PackageError as exc:
            raise _coded(exc) from None
        for anchor in anchors:
            try:
                data = self._pkg.read(anchor.media)
            except PackageError:
                continue
            out.append(PictureInfo(anchor.row, anchor.col, data, anchor.name))
        return out

    # ------------------------------------------------------------------ values
    def _xml(self, part: SheetPart) -> bytes:
        if part.name not in self._sheet_xml:
            try:
                self._sheet_xml[part.name] = self._pkg.sheet_xml(part)
            except PackageError as exc:
                raise _coded(exc) from None
        return self._sheet_xml[part.name]

    def _grid(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            part = self._pkg.sheet(sheet)
            if part is None or not part.path:
                self._grids[sheet] = []
                return []
            self._errors[sheet] = {parse_a1(ref): code for ref, code in error_cells(self._xml(part)).items()}
            try:
                raw = self._book().get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # calamine raises its own error family per fault
                raise KinerjaError("BERKAS_RUSAK", detail=f"lembar '{sheet}': {exc}") from None
            self._grids[sheet] = raw
        return self._grids[sheet]

    def _book(self):
        if self._calamine is None:
            from python_calamine import CalamineWorkbook

            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
            except Exception as exc:
                raise KinerjaError("BERKAS_RUSAK", detail=str(exc)) from None
        return self._calamine


def _coded(exc: PackageError) -> KinerjaError:
    if str(exc) == "xlsb":
        return KinerjaError("BERKAS_XLSB")
    return KinerjaError("BERKAS_RUSAK", detail=str(exc))
