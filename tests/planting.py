"""Plant a defect in a real workbook the way someone outside this project would: open it
with openpyxl, find the cell by its contract name (a defined name, or a table and a
column header), change it, save. Nothing here knows our layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from kinerja.validators.engine import validate_file
from openpyxl.cell.cell import Cell
from openpyxl.utils import range_boundaries


class Planter:
    def __init__(self, path: Path):
        self.path = path
        self.wb = openpyxl.load_workbook(path)

    # ------------------------------------------------------------------ by defined name
    def name_cell(self, name: str) -> Cell:
        sheet, ref = next(iter(self.wb.defined_names[name].destinations))
        return self.wb[sheet][ref.replace("$", "")]

    def set_name(self, name: str, value: Any) -> tuple[str, str]:
        cell = self.name_cell(name)
        cell.value = value
        return cell.parent.title, cell.coordinate

    # ------------------------------------------------------------------ by table and header
    def _table(self, name: str):
        for ws in self.wb.worksheets:
            if name in ws.tables:
                return ws, ws.tables[name]
        raise KeyError(name)

    def header(self, table: str, header: str) -> Cell:
        ws, t = self._table(table)
        min_col, min_row, _, _ = range_boundaries(t.ref)
        headers = [c.value for c in ws[min_row][min_col - 1 :]]
        return ws.cell(min_row, min_col + headers.index(header))

    def cell(self, table: str, header: str, row_no: int) -> Cell:
        """The cell of a column in the row_no-th data row (1 = first)."""
        head = self.header(table, header)
        return head.parent.cell(head.row + row_no, head.column)

    def set(self, table: str, header: str, row_no: int, value: Any) -> tuple[str, str]:
        cell = self.cell(table, header, row_no)
        cell.value = value
        return cell.parent.title, cell.coordinate

    def data_rows(self, table: str) -> int:
        _, t = self._table(table)
        _, min_row, _, max_row = range_boundaries(t.ref)
        return max_row - min_row

    def below(self, table: str, header: str) -> Cell:
        """The cell just under a table's last row, in one of its columns."""
        return self.cell(table, header, self.data_rows(table) + 1)

    def save(self) -> Path:
        self.wb.save(self.path)
        return self.path


def findings(path: Path) -> set[tuple[str, str, str]]:
    return {(f.code, f.sheet, f.cell) for f in validate_file(path).findings}
