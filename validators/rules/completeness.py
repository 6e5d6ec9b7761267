"""Completeness beyond single cells: tables the SOP needs rows in, roles that need a
person. Required cells and columns are the column checks' part (checks.py)."""

from __future__ import annotations

from collections.abc import Iterator

from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.findings import Finding


def tables_have_rows(ctx: Context) -> Iterator[Finding]:
    for spec in ctx.sop.tables:
        if spec.min_rows and len(ctx.rows.get(spec.name, [])) < spec.min_rows:
            table = ctx.model.tables[spec.name]
            first = spec.input_columns[0].header
            yield ctx.at_cell(
                "ISIAN_TABEL_KOSONG", spec.name, first, table.header_row + 1, table=spec.name, title=spec.title
            )


def placeholders_replaced(ctx: Context) -> Iterator[Finding]:
    """What `kinerja new` writes where it was not told the value ("(nama kecamatan)") is a
    Galat at its cell until replaced: it would otherwise pass, and print in every header."""
    for name, placeholder in ctx.sop.placeholders.items():
        value = ctx.names.get(name)
        if isinstance(value, str) and " ".join(value.split()).casefold() == placeholder.casefold():
            spec = ctx.sop.name(name)
            yield ctx.at_name("ISIAN_CONTOH", name, label=spec.label, value=value, prompt=spec.prompt)


def every_role_has_an_official(ctx: Context) -> Iterator[Finding]:
    """Each role of the SOP signs once; a role nobody holds blocks the workflow (D14: a
    Plt./Plh. beside the official is fine)."""
    rows = ctx.rows[contract.PEJABAT]
    if not rows:
        return
    held = {r["Peran"] for r in rows}
    for role in ctx.sop.roles:
        if role.peran not in held:
            yield ctx.at_header("ISIAN_PERAN_KOSONG", contract.PEJABAT, "Peran", peran=role.peran)
