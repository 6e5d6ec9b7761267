"""From a workbook source to the model the rules run on, checking the contract on the way.

The contract checks (template id in ``_meta``, the sheets present or renamed, defined names
pointing at one cell, tables and their columns present) run here once, on the source
interface (D28), so a file and a live Excel workbook are refused for the same reasons with
the same codes. Data is found by contract names only, never by position: a table that
staff moved, or a sheet with rows inserted above the inputs, reads the same. Anything that
makes the workbook unusable raises KinerjaError with its own code, before a rule runs.
"""

from __future__ import annotations

import difflib

from kinerja.core import contract
from kinerja.core.cells import a1, parse_a1, parse_range
from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS
from kinerja.core.meta import join as join_meta
from kinerja.core.model import Cell, Picture, Scalar, SheetInfo, Table, TableRow, WorkbookModel, is_blank
from kinerja.core.sop import Sop
from kinerja.core.source import Area, TableInfo, WorkbookSource

_BELOW_ROWS = 5_000


def assemble(source: WorkbookSource, sop: Sop) -> WorkbookModel:
    """The model of one workbook, or the KinerjaError that says why there is none."""
    return _Assembler(source, sop).model()


class _Assembler:
    def __init__(self, source: WorkbookSource, sop: Sop):
        self.source, self.sop = source, sop
        self.contract_sheets = {s.name for s in sop.sheets}

    def model(self) -> WorkbookModel:
        sheets = self.source.sheets()
        present = [s.name for s in sheets]
        if contract.META_SHEET not in present:
            raise KinerjaError("BERKAS_BUKAN_TEMPLAT", expected=self.sop.id)
        meta = self._meta()
        self._check_template(meta)
        self._check_sheets(present)
        names = self.source.defined_names()
        self._names = {name.lower(): target for name, target in names.items()}
        self._tables: dict[str, list[TableInfo]] = {}
        infos = [
            SheetInfo(s.name, s.state, self.source.protection(s.name) if s.name in self.contract_sheets else None)
            for s in sheets
        ]
        values = {n.name: self._name(n.name, n.sheet, n.label, n.extension) for n in self.sop.names}
        tables = {t.name: self._table(t.name) for t in self.sop.tables}
        pictures = self._pictures(present)
        return WorkbookModel(
            file=self.source.file,
            sheets=infos,
            meta=meta,
            names=values,
            tables=tables,
            pictures=pictures if pictures is not None else [],
            pictures_known=pictures is not None,
        )

    # ------------------------------------------------------------------ identity
    def _meta(self) -> dict[str, str]:
        """Key | value rows, a long value's chunks joined (core.meta)."""
        rows = [
            (key.strip(), _meta_text(value))
            for key, value in self.source.meta_rows()
            if isinstance(key, str) and key.strip()
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
        except (ValueError, OverflowError):
            raise KinerjaError("BERKAS_BUKAN_TEMPLAT", expected=self.sop.id) from None
        if version > self.sop.contract_version:
            raise KinerjaError("BERKAS_KONTRAK_BARU", found=version, known=self.sop.contract_version)
        if version < self.sop.contract_version:
            raise KinerjaError("BERKAS_KONTRAK_LAMA", found=version, known=self.sop.contract_version)

    def _check_sheets(self, present: list[str]) -> None:
        expected = [s.name for s in self.sop.sheets]
        for name in expected:
            if name not in present:
                extra = [p for p in present if p not in expected]
                lowered = {p.lower(): p for p in extra}
                close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
                if close:
                    raise KinerjaError("STRUKTUR_LEMBAR_GANTI_NAMA", sheet=name, name=name, found=lowered[close[0]])
                raise KinerjaError("STRUKTUR_LEMBAR_HILANG", sheet=name, name=name)

    # ------------------------------------------------------------------ names
    def _name(self, name: str, sheet: str, label: str, extension: bool = False) -> Cell:
        """Names are not case sensitive in Excel. A name added within contract v1 may be
        missing from a workbook made before it: it reads as empty, not as damage."""
        target = self._names.get(name.lower())
        if target is None and extension:
            return Cell(sheet, "", None)
        if target is None or target[0] != sheet:
            raise KinerjaError("STRUKTUR_NAMA_HILANG", sheet=sheet, name=name, label=label)
        ref = target[1]
        row, col = parse_a1(ref)
        (value,) = self.source.values(sheet, Area(row, col, row, col))[0]
        return Cell(sheet, ref, value)

    # ------------------------------------------------------------------ tables
    def _table(self, name: str) -> Table:
        spec = self.sop.table(name)
        if spec.sheet not in self._tables:
            self._tables[spec.sheet] = self.source.tables(spec.sheet)
        found = {t.name.lower(): t for t in self._tables[spec.sheet]}
        part = found.get(name.lower())
        if part is None:
            raise KinerjaError("STRUKTUR_TABEL_HILANG", sheet=spec.sheet, table=name)
        r1, c1, r2, c2 = self._bounds(part, spec.sheet)
        headers = list(part.columns)
        for header in spec.headers:
            if header not in headers:
                raise KinerjaError(
                    "STRUKTUR_KOLOM_HILANG", sheet=spec.sheet, cell=a1(r1, c1), table=name, column=header, row=r1
                )
        header_row = r1 + part.header_rows - 1
        last_data = r2 - part.totals_rows  # a totals row someone ticked on is not data
        # D25: every value read is bounded by the table's own range.
        grid = self.source.values(spec.sheet, Area(header_row + 1, c1, last_data, c1 + len(headers) - 1))
        rows = [TableRow(header_row + 1 + i, dict(zip(headers, values, strict=True))) for i, values in enumerate(grid)]
        table = Table(name, spec.sheet, header_row, c1, headers, rows)
        table.below, table.below_more = self._below(spec.sheet, r2, c1, c2)
        return table

    def _bounds(self, part: TableInfo, sheet: str) -> tuple[int, int, int, int]:
        """The table's range, once it is known to be one a table can have: a header row
        and a totals row of at most one row each, one column per table column, and no
        more rows than the limit (D29: every loop runs inside this range, D25)."""
        try:
            r1, c1, r2, c2 = parse_range(part.ref)
        except ValueError:
            raise KinerjaError("STRUKTUR_TABEL_RUSAK", sheet=sheet, table=part.name, ref=part.ref) from None
        if (
            r2 < r1
            or c2 < c1
            or part.header_rows not in (0, 1)
            or part.totals_rows not in (0, 1)
            or r2 - r1 + 1 < part.header_rows + part.totals_rows
            or len(part.columns) != c2 - c1 + 1
        ):
            raise KinerjaError("STRUKTUR_TABEL_RUSAK", sheet=sheet, table=part.name, ref=part.ref)
        rows = r2 - r1 + 1 - part.header_rows - part.totals_rows
        if rows > LIMITS.table_rows:
            raise KinerjaError(
                "BERKAS_BATAS_TABEL", sheet=sheet, table=part.name, ref=part.ref, rows=rows, max=LIMITS.table_rows
            )
        return r1, c1, r2, c2

    def _below(self, sheet: str, last_row: int, c1: int, c2: int) -> tuple[list[Cell], int]:
        """D5: a value under a table in its columns is not read; the rules say so. How far
        to look is the sheet's extent of values, never its declared dimension, and never
        further than a sheet may reach (D29). The first values are listed, the rest
        counted, a slice of rows at a time."""
        extent_row, extent_col = self.source.extent(sheet)
        if extent_row <= last_row:
            return [], 0
        if extent_row > LIMITS.sheet_rows or extent_row * extent_col > LIMITS.sheet_cells:
            raise KinerjaError(
                "BERKAS_BATAS_SEL",
                sheet=sheet,
                cell=a1(extent_row, extent_col),
                max_rows=LIMITS.sheet_rows,
                max_cells=LIMITS.sheet_cells,
            )
        listed: list[Cell] = []
        more = 0
        for start in range(last_row + 1, extent_row + 1, _BELOW_ROWS):
            grid = self.source.values(sheet, Area(start, c1, min(extent_row, start + _BELOW_ROWS - 1), c2))
            for i, values in enumerate(grid):
                if len(listed) < LIMITS.below_cells:
                    listed += [
                        Cell(sheet, a1(start + i, c1 + j), value)
                        for j, value in enumerate(values)
                        if not is_blank(value)
                    ]
                    continue
                filled = len(values) - values.count(None)  # counted, not listed: in C, row by row
                if filled and str in map(type, values):
                    filled -= sum(1 for v in values if isinstance(v, str) and not v.strip())
                more += filled
        more += max(0, len(listed) - LIMITS.below_cells)
        listed = listed[: LIMITS.below_cells]
        return listed, more

    # ------------------------------------------------------------------ pictures
    def _pictures(self, present: list[str]) -> list[Picture] | None:
        """None when the source cannot place pictures on any contract sheet."""
        out: list[Picture] = []
        for sheet in present:
            if sheet not in self.contract_sheets:
                continue
            found = self.source.pictures(sheet)
            if found is None:
                return None
            out += [Picture(sheet, p.row, p.col, p.data, p.name) for p in found]
        return out


def _meta_text(value: Scalar) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
