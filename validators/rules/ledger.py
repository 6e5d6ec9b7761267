"""The sign-off ledger (D12): a row that does not verify — data changed after it, a forged
or copied row, a broken chain — is one Galat on `Persetujuan` at that row's `Sidik Isi`
cell; the changed cells are named in its message (and in `kinerja verify --json`), not
repeated as findings at each input cell. A row signed without a key is a Peringatan."""

from __future__ import annotations

from collections.abc import Iterator

from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.findings import Finding


def signoffs_verify(ctx: Context) -> Iterator[Finding]:
    from kinerja.ledger.verify import verify

    ctx.ledger = verify(ctx.model, ctx.sop)
    table = ctx.model.tables[contract.PERSETUJUAN]
    for result in ctx.ledger.rows:
        if result.code is None:
            continue
        cell = table.cell(contract.L_SIDIK_ISI, result.row.row)
        yield ctx.at(result.code, contract.PERSETUJUAN_SHEET, cell, no=result.row.no, **result.params)
