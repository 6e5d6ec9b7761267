"""Read a contract-v1 workbook file into the model the rules run on.

Values come from python-calamine (fast, and it reads whatever last saved the file:
Excel, LibreOffice or openpyxl); structure comes from the zip parts (package.py). Data
is found by contract names only, never by position: a table that staff moved, or a
sheet with rows inserted above the inputs, reads the same. Anything that makes the
file unusable raises KinerjaError with its own code, before a single rule runs.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from pathlib import Path

from kinerja.core import contract
from kinerja.core.cells import a1, parse_a1
from kinerja.core.findings import KinerjaError
from kinerja.core.meta import join as join_meta
from kinerja.core.model import Cell, ExcelError, Picture, Scalar, SheetInfo, Table, TableRow, WorkbookModel, is_blank
from kinerja.core.sop import Sop
from kinerja.xlsx.package import Package, PackageError, error_cells, is_protected

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument"

Grid = list[list[Scalar]]


def read_workbook(path: str | Path, sop: Sop | None = None) -> WorkbookModel:
    """Read a workbook file into the model the rules run on."""
    path = Path(path)
    return read_workbook_bytes(read_file(path), str(path), sop)


def read_workbook_bytes(data: bytes, file: str, sop: Sop | None = None) -> WorkbookModel:
    """The model of a workbook held in memory: a command that edits the file reads its
    bytes once and builds the model, its findings and any signature from those bytes."""
    sop = sop or contract.definition()
    zf = open_package_zip(data)
    with zf:
        try:
            return _Reader(file, data, Package.open(zf), sop).model()
        except PackageError as exc:
            if str(exc) == "xlsb":
                raise KinerjaError("BERKAS_XLSB") from None
            raise KinerjaError("BERKAS_RUSAK", detail=str(exc)) from None


def check_file(path: Path) -> None:
    """A missing file and a folder are told apart before anything else is tried."""
    if not path.exists():
        raise KinerjaError("BERKAS_TIDAK_ADA", path=str(path))
    if path.is_dir():
        raise KinerjaError("BERKAS_FOLDER", path=str(path))


def read_file(path: Path) -> bytes:
    """A file's bytes, or the reason it cannot be read."""
    check_file(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KinerjaError("BERKAS_GAGAL_BACA", path=str(path), detail=exc.strerror or str(exc)) from None


def open_package_zip(data: bytes) -> zipfile.ZipFile:
    """Open the bytes as a zip, or say precisely what else they are."""
    head = data[:8]
    if head.startswith(_CFB_MAGIC):
        # An OLE container is an Excel 97-2003 file, or an OOXML file encrypted with a
        # password (Excel wraps those in OLE with an EncryptionInfo stream).
        if _ENCRYPTION_INFO in data:
            raise KinerjaError("BERKAS_BERSANDI")
        raise KinerjaError("BERKAS_XLS_LAMA")
    if not head.startswith(b"PK"):
        raise KinerjaError("BERKAS_BUKAN_XLSX", detail=_describe_non_zip(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise KinerjaError("BERKAS_RUSAK", detail=f"zip: {exc}") from None
    if "mimetype" in zf.namelist() and zf.read("mimetype").startswith(_ODS_MIME):
        zf.close()
        raise KinerjaError("BERKAS_ODS")
    return zf


def _describe_non_zip(data: bytes) -> str:
    if not data:
        return "berkasnya kosong (0 bita)"
    if data.startswith(b"%PDF"):
        return "ini berkas PDF"
    sample = data[:2048]
    try:
        sample.decode("utf-8")
        return "ini berkas teks (mungkin CSV)"
    except UnicodeDecodeError:
        return "formatnya tidak dikenal"


class _Reader:
    def __init__(self, file: str, data: bytes, pkg: Package, sop: Sop):
        self.file, self.data, self.pkg, self.sop = file, data, pkg, sop
        self.grids: dict[str, Grid] = {}
        self.errors: dict[str, dict[str, str]] = {}  # sheet -> cell -> "#REF!"
        self._calamine = None

    def model(self) -> WorkbookModel:
        meta = self._meta()
        self._check_template(meta)
        self._check_sheets()
        sheet_xml = {s.name: self.pkg.sheet_xml(s) for s in self.pkg.sheets if s.path}
        self.errors = {name: error_cells(data) for name, data in sheet_xml.items()}
        return WorkbookModel(
            file=self.file,
            sheets=[SheetInfo(s.name, s.state, is_protected(sheet_xml.get(s.name, b""))) for s in self.pkg.sheets],
            meta=meta,
            names={n.name: self._name(n.name, n.sheet, n.label, n.extension) for n in self.sop.names},
            tables={t.name: self._table(t.name) for t in self.sop.tables},
            pictures=self._pictures(),
        )

    # ------------------------------------------------------------------ identity
    def _meta(self) -> dict[str, str]:
        if self.pkg.sheet(contract.META_SHEET) is None:
            raise KinerjaError("BERKAS_BUKAN_TEMPLAT", expected=self.sop.id)
        rows = [
            (row[0].strip(), _meta_text(row[1]))
            for row in self._grid(contract.META_SHEET)
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip()
        ]
        return join_meta(rows)

    def _check_template(self, meta: dict[str, str]) -> None:
        found = meta.get(contract.META_TEMPLATE_ID)
        if not found:
            raise KinerjaError("BERKAS_BUKAN_TEMPLAT", expected=self.sop.id)
        if found != self.sop.id:
            raise KinerjaError("BERKAS_TEMPLAT_LAIN", found=found, expected=self.sop.id)
        try:
            version = int(float(meta.get(contract.META_CONTRACT_VERSION, "")))
        except ValueError:
            raise KinerjaError("BERKAS_BUKAN_TEMPLAT", expected=self.sop.id) from None
        if version > self.sop.contract_version:
            raise KinerjaError("BERKAS_KONTRAK_BARU", found=version, known=self.sop.contract_version)
        if version < self.sop.contract_version:
            raise KinerjaError("BERKAS_KONTRAK_LAMA", found=version, known=self.sop.contract_version)

    def _check_sheets(self) -> None:
        present = [s.name for s in self.pkg.sheets]
        expected = [s.name for s in self.sop.sheets]
        for name in expected:
            if name not in present:
                extra = [p for p in present if p not in expected]
                lowered = {p.lower(): p for p in extra}
                close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
                if close:
                    raise KinerjaError("STRUKTUR_LEMBAR_GANTI_NAMA", sheet=name, name=name, found=lowered[close[0]])
                raise KinerjaError("STRUKTUR_LEMBAR_HILANG", sheet=name, name=name)

    # ------------------------------------------------------------------ values
    def _grid(self, sheet: str) -> Grid:
        if sheet not in self.grids:
            try:
                raw = self._book().get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # calamine raises its own error family per fault
                raise KinerjaError("BERKAS_RUSAK", detail=f"lembar '{sheet}': {exc}") from None
            self.grids[sheet] = raw
        return self.grids[sheet]

    def _book(self):
        if self._calamine is None:
            from python_calamine import CalamineWorkbook

            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            except Exception as exc:
                raise KinerjaError("BERKAS_RUSAK", detail=str(exc)) from None
        return self._calamine

    def _value(self, sheet: str, row: int, col: int) -> Scalar:
        errors = self.errors.get(sheet)
        if errors and a1(row, col) in errors:
            return ExcelError(errors[a1(row, col)])
        grid = self._grid(sheet)
        if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
            return _cell(grid[row - 1][col - 1])
        return None

    def _row_values(self, sheet: str, row: int, first_col: int, headers: list[str]) -> dict[str, Scalar]:
        """One table row by header, bounded by the table's own columns (D25)."""
        grid = self._grid(sheet)
        cells = grid[row - 1][first_col - 1 : first_col - 1 + len(headers)] if row - 1 < len(grid) else []
        values = dict.fromkeys(headers)
        for header, value in zip(headers, cells, strict=False):  # a short row: the rest is empty
            values[header] = _cell(value)
        errors = self.errors.get(sheet)
        if errors:
            for i, header in enumerate(headers):
                if a1(row, first_col + i) in errors:
                    values[header] = ExcelError(errors[a1(row, first_col + i)])
        return values

    # ------------------------------------------------------------------ tables and names
    def _table(self, name: str) -> Table:
        spec = self.sop.table(name)
        sheet = self.pkg.sheet(spec.sheet)
        found = {t.name.lower(): t for t in self.pkg.tables(sheet)}
        part = found.get(name.lower())
        if part is None:
            raise KinerjaError("STRUKTUR_TABEL_HILANG", sheet=spec.sheet, table=name)
        r1, c1, r2, c2 = part.bounds
        headers = list(part.columns)
        for header in spec.headers:
            if header not in headers:
                raise KinerjaError(
                    "STRUKTUR_KOLOM_HILANG", sheet=spec.sheet, cell=a1(r1, c1), table=name, column=header, row=r1
                )
        header_row = r1 + part.header_rows - 1
        last_data = r2 - part.totals_rows  # a totals row someone ticked on is not data
        rows = [TableRow(r, self._row_values(spec.sheet, r, c1, headers)) for r in range(header_row + 1, last_data + 1)]
        table = Table(name, spec.sheet, header_row, c1, headers, rows)
        table.below = self._below(spec.sheet, r2, c1, c2)
        return table

    def _below(self, sheet: str, last_row: int, c1: int, c2: int) -> list[Cell]:
        """D5: a value under a table in its columns is not read; the rules say so."""
        grid = self._grid(sheet)
        out = []
        for r in range(last_row + 1, len(grid) + 1):
            row = grid[r - 1]
            for c in range(c1, min(c2, len(row)) + 1):
                if not is_blank(_cell(row[c - 1])):
                    out.append(Cell(sheet, a1(r, c), row[c - 1]))
        return out

    def _name(self, name: str, sheet: str, label: str, extension: bool = False) -> Cell:
        target = self.pkg.name_target(name)
        if target is None and extension:  # made before the name was added to contract v1
            return Cell(sheet, "", None)
        if target is None or target[0] != sheet:
            raise KinerjaError("STRUKTUR_NAMA_HILANG", sheet=sheet, name=name, label=label)
        ref = target[1]
        row, col = parse_a1(ref)
        return Cell(sheet, ref, self._value(sheet, row, col))

    # ------------------------------------------------------------------ pictures
    def _pictures(self) -> list[Picture]:
        out = []
        contract_sheets = {s.name for s in self.sop.sheets}
        for sheet in self.pkg.sheets:
            if sheet.name not in contract_sheets:
                continue
            for anchor in self.pkg.anchors(sheet):
                try:
                    data = self.pkg.read(anchor.media)
                except PackageError:
                    continue
                out.append(Picture(sheet.name, anchor.row, anchor.col, data, anchor.name))
        return out


def _cell(value: Scalar) -> Scalar:
    """calamine reads an empty cell (and an error value, D25) as ""."""
    return None if value == "" else value


def _meta_text(value: Scalar) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
