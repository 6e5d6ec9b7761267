"""Making a sign-off row: the content digest of what is signed, the row, its signature,
and the ledger's record with the snapshots a later verification needs (D15, D6)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from kinerja.core import workflow
from kinerja.core.digest import Section, content_digest
from kinerja.core.sop import Signoff, SignoffDecision, Sop
from kinerja.ledger.keys import KeyInfo
from kinerja.ledger.record import Record, RowRecord
from kinerja.ledger.rows import LedgerRow, genesis
from kinerja.ledger.verify import expected_sections


@dataclass(frozen=True)
class Signer:
    peran: str
    nama: str
    nip: str
    key: KeyInfo | None  # None: recorded without a key (proves no identity)


def new_row(
    rows: list[LedgerRow],
    signoff: Signoff,
    decision: SignoffDecision,
    signer: Signer,
    catatan: str,
    now: dt.datetime,
    content: dict[str, Section],
) -> LedgerRow:
    digests = {sheet: section.digest for sheet, section in content.items()}
    return LedgerRow(
        no=str(len(rows) + 1),
        langkah=signoff.label,
        peran=signer.peran,
        nama=signer.nama,
        nip=signer.nip,
        keputusan=decision.text,
        catatan=catatan.strip(),
        waktu=now.isoformat(timespec="seconds"),
        sidik_isi=content_digest(digests),
        tanda_tangan="",
        kunci_publik=signer.key.public_key if signer.key else "",
    )


def previous_hash(rows: list[LedgerRow], workbook_id: str) -> str:
    return rows[-1].hash if rows else genesis(workbook_id)


def signed(row: LedgerRow, private_key, previous: str, workbook_id: str) -> LedgerRow:
    """The row with its Ed25519 signature over its cells, the previous hash and the id."""
    from dataclasses import replace

    signature = private_key.sign(row.message(previous, workbook_id))
    return replace(row, tanda_tangan=base64.b64encode(signature).decode("ascii"))


def next_record(
    sop: Sop, record: Record, rows: list[LedgerRow], content: dict[str, Section], workbook_id: str
) -> Record:
    """The record after the last of ``rows`` was added: its section digests, and snapshots
    of exactly the sections that are locked now (what a later change is compared with)."""
    row = rows[-1]
    previous = rows[-2].hash if len(rows) > 1 else genesis(workbook_id)
    digests = {sheet: section.digest for sheet, section in content.items()}
    kept = [r for r in record.rows if r.no < int(row.no)]
    kept.append(RowRecord(int(row.no), row.hash, previous, workbook_id, digests))
    new = Record(kept, dict(record.snapshots))
    steps = workflow.replay(sop, [(r.langkah, r.keputusan) for r in rows])
    expected, _ = expected_sections(sop, rows, steps, new)
    needed = {digest for _, digest in expected.values() if digest}
    snapshots = {d: text for d, text in new.snapshots.items() if d in needed}
    for section in content.values():
        if section.digest in needed and section.digest not in snapshots:
            snapshots[section.digest] = section.snapshot()
    return Record(kept, snapshots)
