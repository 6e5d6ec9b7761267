"""The workbook source over a file's bytes: structure from the zip parts, values from
python-calamine (D24, D28), everything within the limits (D29).

python-calamine reads values fast, and whatever last saved the file (Excel, LibreOffice,
openpyxl), but exposes no defined names, table ranges or drawings; those come from the
XML parts (``package.py``). And calamine trusts what it reads: one value at XFD1048576
makes it allocate its grid for the whole sheet and abort the process, a huge
``uniqueCount`` makes it reserve memory for strings that are not there, an Excel 365
error value makes it refuse the file. So calamine never sees the file itself: it is given
a small zip of its own holding only the parts it reads (workbook, relationships, shared
strings, styles, the sheets whose values are read), each already inflated within the
limits, free of any DTD, and scanned (``sheetscan.py``): extent checked, error values
recorded here and written as one calamine knows.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Collection

from kinerja.core import contract
from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS, Limits, megabytes
from kinerja.core.model import ExcelError, Scalar
from kinerja.core.source import Area, PictureInfo, SheetState, TableInfo, clean
from kinerja.xlsx.guard import as_utf8, check_xml
from kinerja.xlsx.package import Package
from kinerja.xlsx.sheetscan import SheetScan, scan_sheet
from kinerja.xlsx.sniff import open_package

Grid = list[list[Scalar]]
_NUM = clean(float("inf"))  # the error a non-finite number reads as
_SST_COUNTS = re.compile(rb"""\s(?:uniqueCount|count)\s*=\s*(?:"[^"]*"|'[^']*')""")
_SST_START = re.compile(rb"<(?:[^\s<>/:=!?\"']+:)?sst\b[^>]*>")


class FileSource:
    """A workbook file held in memory, read through its zip parts and calamine.

    ``read_sheets`` are the sheets whose values may be asked for (the contract's): they
    are scanned and handed to calamine together, once. None: every worksheet.
    """

    def __init__(self, data: bytes, file: str, read_sheets: Collection[str] | None = None, limits: Limits = LIMITS):
        if len(data) > limits.file_bytes:
            raise KinerjaError("BERKAS_BATAS_UKURAN", size=megabytes(len(data)), max=megabytes(limits.file_bytes))
        self._file = file
        self._limits = limits
        self._guard = open_package(data, limits)
        try:
            self._pkg = Package.open(self._guard)
        except BaseException:
            self.close()
            raise
        self._read_sheets = set(read_sheets) if read_sheets is not None else None
        self._scans: dict[str, SheetScan] = {}
        self._grids: dict[str, Grid] = {}
        self._books: dict[str, object] = {}  # sheet -> the calamine book holding it

    def close(self) -> None:
        self._guard.zf.close()

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
        if part is None:
            return None
        return self._scan(sheet).protected

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
        return [TableInfo(t.name, t.ref, t.columns, t.header_rows, t.totals_rows) for t in self._pkg.tables(part)]

    def values(self, sheet: str, area: Area) -> list[list[Scalar]]:
        grid = self._grid(sheet)
        c0, width = area.first_col - 1, area.cols
        out = []
        for r in range(area.first_row - 1, area.last_row):
            row = grid[r][c0 : c0 + width] if r < len(grid) else []
            # clean(), inlined: a sheet may hold half a million values
            values = [None if v == "" else v if type(v) is not float or v - v == 0 else _NUM for v in row]
            values += [None] * (width - len(values))
            out.append(values)
        for (r, c), code in self._scan(sheet).errors.items():
            if area.first_row <= r <= area.last_row and area.first_col <= c <= area.last_col:
                out[r - area.first_row][c - area.first_col] = ExcelError(code)
        return out

    def extent(self, sheet: str) -> tuple[int, int]:
        scan = self._scan(sheet)
        return scan.last_row, scan.last_col

    def pictures(self, sheet: str) -> list[PictureInfo]:
        part = self._pkg.sheet(sheet)
        if part is None:
            return []
        out = []
        for anchor in self._pkg.anchors(part):
            if not self._pkg.has(anchor.media):
                continue  # a picture whose bytes are gone: nothing to show or check
            out.append(PictureInfo(anchor.row, anchor.col, self._pkg.read(anchor.media), anchor.name))
        return out

    # ------------------------------------------------------------------ the sheets' XML
    def _scan(self, sheet: str) -> SheetScan:
        """A sheet's XML checked before anything reads its values (D29)."""
        if sheet not in self._scans:
            part = self._pkg.sheet(sheet)
            if part is None:
                self._scans[sheet] = SheetScan()
            elif not part.path:  # listed in the workbook, no relationship to its part: damage
                raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_BAGIAN_HILANG", part=_rels_of(self._pkg.workbook_path))
            elif not self._pkg.has(part.path):  # listed, its part gone: damage
                raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_BAGIAN_HILANG", part=part.path)
            else:
                data = as_utf8(check_xml(self._pkg.read(part.path), part.path))
                self._scans[sheet] = scan_sheet(data, sheet, part.path, self._limits)
        return self._scans[sheet]

    def _grid(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            if self._scan(sheet).last_row == 0:
                self._grids[sheet] = []
                return []
            book = self._book(sheet)
            try:
                self._grids[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception:  # calamine raises its own error family per fault
                raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_NILAI", sheet=sheet) from None
        return self._grids[sheet]

    def _book(self, sheet: str):
        """calamine over a zip of its own, holding only checked parts (see the module):
        one book for the sheets read together, one more for any sheet asked later."""
        if sheet not in self._books:
            from python_calamine import CalamineWorkbook

            pkg = self._pkg
            together = [s.name for s in pkg.sheets if self._read_sheets is None or s.name in self._read_sheets]
            names = together if sheet in together else [sheet]
            checked = self._calamine_zip(names)  # the limits and checks raise their own codes here
            try:
                book = CalamineWorkbook.from_filelike(checked)
            except Exception:
                raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_NILAI", sheet=sheet) from None
            for name in names:
                self._books[name] = book
        return self._books[sheet]

    def _calamine_zip(self, sheets: list[str]) -> io.BytesIO:
        """The checked parts calamine reads, stored (not compressed) in a zip in memory;
        each part is written as soon as it is checked, so no second copy is kept."""
        pkg = self._pkg
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for path in ("[Content_Types].xml", "_rels/.rels", pkg.workbook_path, _rels_of(pkg.workbook_path)):
                if pkg.has(path):
                    zf.writestr(path, as_utf8(check_xml(pkg.read(path), path)))
            for kind in ("sharedStrings", "styles"):
                path = pkg.part_of(kind)
                if path and pkg.has(path):
                    data = as_utf8(check_xml(pkg.read(path), path))
                    zf.writestr(path, _without_counts(data) if kind == "sharedStrings" else data)
                    del data
            for name in sheets:
                part, scan = pkg.sheet(name), self._scan(name)
                if part is not None and part.path and scan.last_row:  # a sheet without values is not asked of calamine
                    zf.writestr(part.path, scan.for_calamine)
                scan.for_calamine = b""  # calamine holds it now
        out.seek(0)
        return out


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _without_counts(sst: bytes) -> bytes:
    """The shared strings without their declared counts: calamine reserves memory for
    ``uniqueCount`` strings before reading one, and a forged count aborts the process."""
    m = _SST_START.search(sst)
    if m is None:
        return sst
    return sst[: m.start()] + _SST_COUNTS.sub(b"", m.group(0)) + sst[m.end() :]
