"""What a sign-off writes into the workbook, through the edit session (D3, D27): the
ledger rows, the approval page's short fingerprints and verification, the status cells
(Petunjuk, each step sheet's "Tanda tangan" line), the lock state, and the ledger's
record in `_meta`. Nothing else is touched; the session copies every other part as it
was. The status cells are values the tool writes, never formulas a re-save could break.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kinerja.core import contract, workflow
from kinerja.core.findings import text
from kinerja.core.sop import Sop
from kinerja.ledger.record import Record
from kinerja.ledger.rows import LedgerRow
from kinerja.ledger.status import Status
from kinerja.xlsx import paper

if TYPE_CHECKING:
    from kinerja.xlsx.edit import EditSession

# The approval page's columns right of tblPersetujuan, outside it (layout.BESIDE).
BESIDE_FINGERPRINT = 0
BESIDE_STATUS = 1


def write_ledger(
    session: EditSession,
    sop: Sop,
    rows: list[LedgerRow],
    statuses: list[str],
    record: Record,
    status: Status,
    verification: str,
    fingerprints: list[str],
) -> None:
    session.write_rows(contract.PERSETUJUAN, [r.cells() for r in rows])
    words = [text(f"STATUS_KATA_{s.upper()}").render({}, "id")[0] for s in statuses]
    session.write_beside(contract.PERSETUJUAN, BESIDE_FINGERPRINT, fingerprints)
    session.write_beside(contract.PERSETUJUAN, BESIDE_STATUS, words)
    write_status(session, sop, status, verification)
    state = workflow.State(None) if status.final else workflow.State(workflow.signoff_by_label(sop, status.due_label))
    apply_locks(session, sop, workflow.locked_sheets(sop, state), status.final)
    session.meta.set(contract.META_LEDGER, record.dumps())
    session.restore_guards(locked=workflow.locked_sheets(sop, state))
    paper.keep(session)  # the approval page prints its rows only; every row fits its text


def write_status(session: EditSession, sop: Sop, status: Status, verification: str) -> None:
    session.set_named(contract.STATUS_TAHAP, status.stage())
    session.set_named(contract.STATUS_TERAKHIR, status.last())
    session.set_named(contract.STATUS_VERIFIKASI, verification)
    session.set_named(contract.LEDGER_VERIFIKASI, verification)
    for sheet in sop.sheets:
        if sheet.kind == "step" and sheet.step is not None:
            session.set_named(contract.signature_line_name(sheet.name), status.for_step(sop, sheet.step))


def apply_locks(session: EditSession, sop: Sop, locked: set[str], final: bool) -> None:
    """A signed stage's input cells lock, a reopened one unlocks (protection is a guard
    against slips, not security: the digest is what shows a change). Columns that are not
    signed (a key's fingerprint typed later) stay open until the workbook is final."""
    model = session.model
    styles = session.styles
    for sheet in workflow.input_sheets(sop):
        is_locked = sheet in locked
        xml = session.sheet(sheet)
        refs = [model.names[n.name].ref for n in sop.names_on(sheet) if n.is_input]
        for spec in sop.tables_on(sheet):
            if spec.kind != "input":
                continue
            table = model.tables[spec.name]
            for column in spec.input_columns:
                lock_column = is_locked if column.signed else final
                for row in table.rows:
                    ref = table.cell(column.header, row.row)
                    xml.set_style(ref, styles.with_locked(xml.style(ref), lock_column))
        for ref in refs:
            xml.set_style(ref, styles.with_locked(xml.style(ref), is_locked))
        xml.protect(contract.sheet_protection(sheet, locked=is_locked), replace=True)
