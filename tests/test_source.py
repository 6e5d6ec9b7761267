"""One model, two sources (D28): the contract checks and the model are assembled from the
source interface alone, so a source that is not a file (the add-in's live workbook) gets
the same model, the same refusals and the same findings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from kinerja.validators.engine import validate_model

from kinerja.core import contract
from kinerja.core.assemble import assemble
from kinerja.core.findings import KinerjaError
from kinerja.core.model import Scalar
from kinerja.core.source import Area, PictureInfo, SheetState, TableInfo, WorkbookSource
from kinerja.xlsx.reader import read_file, read_workbook
from kinerja.xlsx.source import FileSource


@dataclass
class MemorySource:
    """A source held in dicts, as a live workbook would answer: it cannot tell protection,
    nor supply picture bytes (xlwings' remote engine)."""

    file: str
    sheet_states: list[SheetState]
    meta: list[tuple[Scalar, Scalar]]
    names: dict[str, tuple[str, str] | None]
    table_parts: dict[str, list[TableInfo]]
    cells: dict[str, dict[tuple[int, int], Scalar]]
    picture_parts: dict[str, list[PictureInfo]] = field(default_factory=dict)
    asked: list[tuple[str, Area]] = field(default_factory=list)

    def sheets(self) -> list[SheetState]:
        return self.sheet_states

    def protection(self, sheet: str) -> bool | None:
        return None

    def meta_rows(self) -> list[tuple[Scalar, Scalar]]:
        return self.meta

    def defined_names(self) -> dict[str, tuple[str, str] | None]:
        return self.names

    def tables(self, sheet: str) -> list[TableInfo]:
        return self.table_parts.get(sheet, [])

    def values(self, sheet: str, area: Area) -> list[list[Scalar]]:
        self.asked.append((sheet, area))
        cells = self.cells.get(sheet, {})
        return [
            [cells.get((r, c)) for c in range(area.first_col, area.last_col + 1)]
            for r in range(area.first_row, area.last_row + 1)
        ]

    def extent(self, sheet: str) -> tuple[int, int]:
        cells = self.cells.get(sheet, {})
        return max((r for r, _ in cells), default=0), max((c for _, c in cells), default=0)

    def pictures(self, sheet: str) -> list[PictureInfo]:
        return self.picture_parts.get(sheet, [])


def memory_copy(path) -> MemorySource:
    """Everything the file source says about a workbook, copied into a MemorySource."""
    with FileSource(read_file(path), str(path)) as src:
        sheets = src.sheets()
        cells = {}
        for s in sheets:
            rows, cols = src.extent(s.name)
            grid = src.values(s.name, Area(1, 1, rows, cols)) if rows else []
            cells[s.name] = {
                (r, c): v for r, row in enumerate(grid, start=1) for c, v in enumerate(row, start=1) if v is not None
            }
        return MemorySource(
            file=str(path),
            sheet_states=sheets,
            meta=src.meta_rows(),
            names=src.defined_names(),
            table_parts={s.name: src.tables(s.name) for s in sheets},
            cells=cells,
            picture_parts={s.name: [replace(p, data=None) for p in src.pictures(s.name)] for s in sheets},
        )


def test_the_file_source_satisfies_the_protocol(demo_workbook):
    def takes(source: WorkbookSource) -> str:
        return source.file

    with FileSource(read_file(demo_workbook), "demo.xlsx") as src:
        assert takes(src) == "demo.xlsx"


def test_a_source_that_is_not_a_file_gets_the_same_model(demo_workbook):
    from_file = read_workbook(demo_workbook)
    from_memory = assemble(memory_copy(demo_workbook), contract.definition())
    assert from_memory.names == from_file.names
    assert from_memory.tables == from_file.tables
    assert from_memory.meta == from_file.meta
    assert [(s.name, s.state) for s in from_memory.sheets] == [(s.name, s.state) for s in from_file.sheets]
    assert [(p.sheet, p.ref) for p in from_memory.pictures] == [(p.sheet, p.ref) for p in from_file.pictures]


def test_the_same_findings_come_from_either_source_except_what_it_cannot_tell(book):
    book.set_name("ba_tempat", None)
    book.set(contract.DAFTAR_HADIR, "Delegasi", 1, "yes")
    path = book.save()
    from_file = {(f.code, f.sheet, f.cell) for f in validate_model(read_workbook(path)).findings}
    from_memory = {
        (f.code, f.sheet, f.cell) for f in validate_model(assemble(memory_copy(path), contract.definition())).findings
    }
    needs_what_memory_lacks = ("TATA_LETAK_PROTEKSI_HILANG", "FOTO_GANDA", "FOTO_TANGGAL_EXIF")
    assert from_memory == {f for f in from_file if f[0] not in needs_what_memory_lacks}
    assert ("ISIAN_KOSONG", contract.BERITA_ACARA_SHEET) in {(c, s) for c, s, _ in from_memory}
    assert ("NILAI_YA_TIDAK", contract.DAFTAR_HADIR_SHEET) in {(c, s) for c, s, _ in from_memory}


def test_a_missing_table_is_refused_with_the_same_code_whatever_the_source(demo_workbook):
    source = memory_copy(demo_workbook)
    source.table_parts[contract.FOTO_SHEET] = []
    with pytest.raises(KinerjaError) as refused:
        assemble(source, contract.definition())
    assert refused.value.code == "STRUKTUR_TABEL_HILANG"


def test_the_assembler_reads_only_inside_tables_names_and_the_values_below(demo_workbook):
    """D25: no read is bounded by a declared dimension; the largest area asked for is a
    table, or what lies under one up to the sheet's last value."""
    source = memory_copy(demo_workbook)
    assemble(source, contract.definition())
    sop = contract.definition()
    largest_table = max(len(t.headers) * (t.rows + 1) for t in sop.tables)
    assert max(area.rows * area.cols for _, area in source.asked) <= largest_table
