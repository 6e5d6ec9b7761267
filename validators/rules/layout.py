"""The workbook's shape: values outside tables, sheets added, protection lost."""

from __future__ import annotations

from collections.abc import Iterator

from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.findings import Finding


def values_below_tables(ctx: Context) -> Iterator[Finding]:
    """D5: tables are pre-sized; a value typed under one is not read, so say so. Past the
    first ones (limits.below_cells), one more finding counts the rest (D29)."""
    for table in ctx.model.tables.values():
        for cell in table.below:
            yield ctx.at(
                "TATA_LETAK_DI_LUAR_TABEL",
                cell.sheet,
                cell.ref,
                value=cell.value,
                table=table.name,
                rows=len(table.rows),
            )
        if table.below_more and table.below:
            last = table.below[-1]
            yield ctx.at("TATA_LETAK_DI_LUAR_TABEL_LAGI", last.sheet, last.ref, more=table.below_more, table=table.name)


def sheets_not_in_template(ctx: Context) -> Iterator[Finding]:
    ours = {s.name for s in ctx.sop.sheets}
    for sheet in ctx.model.sheets:
        if sheet.name not in ours:
            yield ctx.at("TATA_LETAK_LEMBAR_TAMBAHAN", sheet.name, "A1", name=sheet.name)


def sheets_unprotected(ctx: Context) -> Iterator[Finding]:
    """Only a protection known to be off is a finding (a source may not know, D28)."""
    for spec in ctx.sop.sheets:
        sheet = ctx.model.sheet(spec.name)
        if spec.name != contract.META_SHEET and sheet is not None and sheet.protected is False:
            yield ctx.at("TATA_LETAK_PROTEKSI_HILANG", spec.name, "A1")
