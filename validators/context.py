"""What every rule reads: the model, its converted values, the IKU figures, and helpers
that place a finding at the right cell with the right SOP step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kinerja.core.findings import Finding, IkuFigures
from kinerja.core.model import WorkbookModel
from kinerja.core.sop import Sop


@dataclass(frozen=True)
class Row:
    """A filled table row: its Excel row and its converted values (None: empty or bad)."""

    row: int
    values: dict[str, Any]

    def __getitem__(self, header: str) -> Any:
        return self.values.get(header)


@dataclass
class Context:
    sop: Sop
    model: WorkbookModel
    names: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    failed: set[tuple[str, str]] = field(default_factory=set)  # (sheet, cell) not convertible
    iku: IkuFigures | None = None
    ledger: Any = None  # the ledger's Verification, once its rule ran

    def step_of(self, sheet: str) -> int:
        """The SOP step a sheet's findings belong to (0: none, e.g. the ledger sheet)."""
        try:
            return self.sop.sheet(sheet).step or 0
        except KeyError:
            return 0

    # ---------------------------------------------------------------- placing findings
    def at(self, code: str, sheet: str, ref: str, /, **params: Any) -> Finding:
        return Finding(code, sheet, ref, self.step_of(sheet), params)

    def at_name(self, code: str, name: str, /, step: int | None = None, **params: Any) -> Finding:
        cell = self.model.names[name]
        return Finding(code, cell.sheet, cell.ref, self.step_of(cell.sheet) if step is None else step, params)

    def at_cell(
        self, code: str, table: str, header: str, row: int, /, step: int | None = None, **params: Any
    ) -> Finding:
        t = self.model.tables[table]
        params.setdefault("row", row)  # the Excel row, as the cell shown: every message names rows so
        return Finding(code, t.sheet, t.cell(header, row), self.step_of(t.sheet) if step is None else step, params)

    def at_header(self, code: str, table: str, header: str, /, step: int | None = None, **params: Any) -> Finding:
        t = self.model.tables[table]
        return Finding(code, t.sheet, t.header_cell(header), self.step_of(t.sheet) if step is None else step, params)

    # ---------------------------------------------------------------- refused values
    def refuse_name(self, name: str) -> None:
        """A value that has its finding: rules and figures treat it as unusable."""
        cell = self.model.names[name]
        self.names[name] = None
        self.failed.add((cell.sheet, cell.ref))

    def refuse_cell(self, table: str, header: str, row: Row) -> None:
        t = self.model.tables[table]
        row.values[header] = None
        self.failed.add((t.sheet, t.cell(header, row.row)))

    def column_failed(self, table: str, header: str) -> bool:
        """Whether any cell of a column was refused (conversion or schema)."""
        t = self.model.tables[table]
        return any((t.sheet, t.cell(header, r.row)) in self.failed for r in self.rows.get(table, []))

    def name_failed(self, name: str) -> bool:
        cell = self.model.names[name]
        return (cell.sheet, cell.ref) in self.failed

    def is_failed(self, table: str, header: str, row: int) -> bool:
        t = self.model.tables[table]
        return (t.sheet, t.cell(header, row)) in self.failed

    def raw(self, table: str, header: str, row: int) -> Any:
        t = self.model.tables[table]
        return t.rows[t.row_no(row) - 1].values.get(header)
