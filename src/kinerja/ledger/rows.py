"""One sign-off row of `tblPersetujuan`, what it signs, and the hash chain (D15).

A row signs all of its own cells except `Tanda Tangan`, the previous row's hash, and
the workbook's `workbook_id`: so a row cannot be edited, removed from the middle, moved,
or copied from another workbook without its signature failing. A row's hash covers all
of its cells, signature included; the first row's "previous hash" is derived from the
workbook_id, so even the first row is bound to this workbook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields

from kinerja.core import contract
from kinerja.core.model import Scalar, Table
from kinerja.core.numbers import cell_text

DOMAIN = "kinerja-ledger-v1"


def _text(value: Scalar) -> str:
    """A ledger cell as text, whatever program saved it (LibreOffice may store No as 1.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return cell_text(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class LedgerRow:
    no: str
    langkah: str
    peran: str
    nama: str
    nip: str
    keputusan: str
    catatan: str
    waktu: str  # ISO 8601 with offset
    sidik_isi: str  # content digest (hex)
    tanda_tangan: str  # base64 Ed25519 signature; empty: signed without a key
    kunci_publik: str  # base64 raw public key; empty likewise
    row: int = 0  # the Excel row it was read from (0: not yet written)

    HEADERS = {
        "no": contract.L_NO,
        "langkah": contract.L_LANGKAH,
        "peran": contract.L_PERAN,
        "nama": contract.L_NAMA,
        "nip": contract.L_NIP,
        "keputusan": contract.L_KEPUTUSAN,
        "catatan": contract.L_CATATAN,
        "waktu": contract.L_WAKTU,
        "sidik_isi": contract.L_SIDIK_ISI,
        "tanda_tangan": contract.L_TANDA_TANGAN,
        "kunci_publik": contract.L_KUNCI_PUBLIK,
    }

    @classmethod
    def from_cells(cls, values: dict[str, Scalar], row: int) -> LedgerRow:
        return cls(**{attr: _text(values.get(header)) for attr, header in cls.HEADERS.items()}, row=row)

    def cells(self) -> dict[str, str | int]:
        """By header, as written into the table (No as a number)."""
        out: dict[str, str | int] = {h: getattr(self, a) for a, h in self.HEADERS.items()}
        out[contract.L_NO] = int(self.no) if self.no.isdigit() else self.no
        return out

    @property
    def signed(self) -> bool:
        return bool(self.tanda_tangan or self.kunci_publik)

    @property
    def time(self) -> dt.datetime | None:
        try:
            moment = dt.datetime.fromisoformat(self.waktu)
        except ValueError:
            return None
        return moment if moment.utcoffset() is not None else None

    def message(self, previous: str, workbook_id: str) -> bytes:
        """The bytes the signature covers."""
        own = {h: getattr(self, a) for a, h in self.HEADERS.items() if a != "tanda_tangan"}
        document = {"domain": DOMAIN, "workbook_id": workbook_id, "previous": previous, "row": own}
        return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def hash(self) -> str:
        """What the next row signs as `previous`: every cell, the signature included."""
        cells = {h: getattr(self, a) for a, h in self.HEADERS.items()}
        data = json.dumps(cells, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(f"{DOMAIN}|row|{data}".encode()).hexdigest()


def genesis(workbook_id: str) -> str:
    """The first row's `previous`: binds the whole chain to this workbook."""
    return hashlib.sha256(f"{DOMAIN}|start|{workbook_id}".encode()).hexdigest()


def read_rows(table: Table) -> list[LedgerRow]:
    """The filled rows of tblPersetujuan, in table order (D5: a row of empty cells is none)."""
    headers = tuple(LedgerRow.HEADERS.values())
    return [LedgerRow.from_cells(r.values, r.row) for r in table.filled(headers)]


assert {f.name for f in fields(LedgerRow)} - {"row"} == set(LedgerRow.HEADERS)
