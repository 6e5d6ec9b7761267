"""Every NIP in the workbook, wherever the definition puts one (type "nip")."""

from __future__ import annotations

from collections.abc import Iterator

from kinerja.validators.context import Context

from kinerja.core import nip
from kinerja.core.findings import Finding


def nips_are_possible(ctx: Context) -> Iterator[Finding]:
    for spec in ctx.sop.names:
        digits = ctx.names.get(spec.name) if spec.type == "nip" else None
        if digits:
            shown = ctx.model.names[spec.name].value
            for p in nip.problems(digits):
                yield ctx.at_name(p.code, spec.name, value=shown, **p.params)
    for table in ctx.sop.tables:
        for column in table.columns:
            if column.type != "nip":
                continue
            for r in ctx.rows.get(table.name, []):
                if r[column.header]:
                    shown = ctx.raw(table.name, column.header, r.row)
                    for p in nip.problems(r[column.header]):
                        yield ctx.at_cell(p.code, table.name, column.header, r.row, value=shown, **p.params)
