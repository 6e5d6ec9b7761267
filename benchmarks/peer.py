"""The peer (D24): frictionless-py validating the same .xlsx end to end, with a schema
equivalent to ours, built from the same SOP definition.

For every sheet that holds a checked table, frictionless reads the sheet itself (its own
xlsx reader) from the tables' header row, for as many rows as the tables hold, against one
field per column: the column's type (integer, number, date; anything else as is) and its
constraints (required, enum of the contract's list, minimum, maximum, unique). Tables that
stand side by side on one sheet share one frictionless table, as its reader sees a sheet;
errors it reports that are about that layout rather than values (blank rows of pre-sized
tables, blank labels between tables) are skipped. What it does not do that ours does:
converting each cell with a coded reason, the IKU, the rules, the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

SKIP = ["blank-row", "blank-label", "extra-cell", "extra-label", "missing-label", "duplicate-label", "missing-cell"]


def frictionless_run(path: str) -> Callable[[], int]:
    from frictionless import Checklist, Dialect, Resource, Schema, fields, formats
    from kinerja.validators.engine import _checked_tables

    from kinerja.core import contract
    from kinerja.xlsx.reader import read_workbook

    sop = contract.definition()
    model = read_workbook(path)  # where the header rows are (planning only, not timed)
    types = {"int": fields.IntegerField, "number": fields.NumberField, "date": fields.DateField}
    sheets: dict[tuple[str, int], list] = {}
    for spec in _checked_tables(sop):
        table = model.tables[spec.name]
        sheets.setdefault((spec.sheet, table.header_row), []).append((spec, table))
    plan = []
    for (sheet, header_row), tables in sheets.items():
        by_col = {}
        for spec, table in tables:
            for i, header in enumerate(table.headers):
                column = spec.column(header) if header in spec.headers else None
                kind = types.get(column.type, fields.AnyField) if column and column.is_input else fields.AnyField
                constraints = {}
                if column is not None:
                    if column.required:
                        constraints["required"] = True
                    if column.unique:
                        constraints["unique"] = True
                    if column.min is not None:
                        constraints["minimum"] = column.min
                    if column.max is not None:
                        constraints["maximum"] = column.max
                    if column.list and sop.lists[column.list].values:
                        constraints["enum"] = list(sop.lists[column.list].values)
                by_col[table.first_col + i] = kind(name=header, constraints=constraints)
        columns = [by_col.get(c) or fields.AnyField(name=f"field{c}") for c in range(1, max(by_col) + 1)]
        rows = max(len(t.rows) for _, t in tables)
        plan.append((sheet, header_row, Schema(fields=columns), rows))
    file = Path(path)

    def run() -> int:
        errors = 0
        for sheet, header_row, schema, rows in plan:
            resource = Resource(
                file.name,
                basepath=str(file.parent),
                control=formats.ExcelControl(sheet=sheet),
                dialect=Dialect(header_rows=[header_row]),
                schema=schema,
            )
            report = resource.validate(checklist=Checklist(skip_errors=SKIP), limit_rows=rows)
            assert not report.flatten(["type"]).count(["resource-error"]), report.flatten(["message"])
            errors += report.stats["errors"]
        return errors

    return run
