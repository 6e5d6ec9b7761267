"""Verify the ledger of a workbook model: each row valid, unsigned, data_changed, forged or
chain_broken, with one precise reason (sigstore's habit: fail closed, say why).

Per row, the first check that fails decides: the row is well formed and stands at its
number; its signature holds over its cells, the previous row's hash and this
workbook_id (when it does not, the reason is found by trying what it was signed after,
or for which workbook); it is the sign-off the workflow had due, by that sign-off's role;
the signer is listed for that role in tblPejabat with that key, and in the office roster
when one is given. Then the data: every section a sign-off locked must still hold the
content that sign-off signed, and the changed cells are named from the snapshot.
An empty ledger verifies nothing: it is not "valid".
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kinerja.core import contract, workflow
from kinerja.core.digest import Change, Section, changes, content_digest, pictures_unknown, sections, without_pictures
from kinerja.core.findings import text
from kinerja.core.model import WorkbookModel
from kinerja.core.nip import normalize as normalize_nip
from kinerja.core.sop import Sop
from kinerja.ledger.keys import fingerprint, normalize_fingerprint, public_key_from_text, verify_signature
from kinerja.ledger.record import Record
from kinerja.ledger.roster import Roster
from kinerja.ledger.rows import LedgerRow, genesis, read_rows

VALID, UNSIGNED, DATA_CHANGED, FORGED, CHAIN_BROKEN = "valid", "unsigned", "data_changed", "forged", "chain_broken"
STATUSES = (VALID, UNSIGNED, DATA_CHANGED, FORGED, CHAIN_BROKEN)
PASSING = (VALID, UNSIGNED)


@dataclass(frozen=True)
class RowResult:
    row: LedgerRow
    status: str
    code: str | None = None  # the catalogue text that says why (None: valid)
    params: dict[str, Any] = field(default_factory=dict)
    changed: tuple[Change, ...] = ()

    @property
    def no(self) -> int:
        return int(self.row.no) if self.row.no.isdigit() else 0

    @property
    def key_fingerprint(self) -> str:
        raw = public_key_from_text(self.row.kunci_publik) if self.row.kunci_publik else None
        return fingerprint(raw) if raw else ""

    def reason(self, lang: str = "id") -> str:
        if self.code is None:
            return ""
        return text(self.code).render({"no": self.row.no, **self.params}, lang)[0]


@dataclass(frozen=True)
class Verification:
    workbook_id: str
    rows: tuple[RowResult, ...]
    state: workflow.State
    sections: dict[str, Section]  # the content now
    roster: str | None = None

    @property
    def ok(self) -> bool:
        """Every row valid or unsigned, and at least one row (an empty ledger proves nothing)."""
        return bool(self.rows) and all(r.status in PASSING for r in self.rows)

    @property
    def failing(self) -> list[RowResult]:
        return [r for r in self.rows if r.status not in PASSING]


def verify(model: WorkbookModel, sop: Sop, roster: Roster | None = None) -> Verification:
    workbook_id = model.meta.get(contract.META_WORKBOOK_ID, "")
    rows = read_rows(model.tables[contract.PERSETUJUAN])
    record = Record.parse(model.meta.get(contract.META_LEDGER))
    now = sections(model, sop)
    steps = workflow.replay(sop, [(r.langkah, r.keputusan) for r in rows])
    listed = officials(model)
    hashes = [r.hash for r in rows]
    results: dict[int, RowResult] = {}
    for i, row in enumerate(rows):
        previous = hashes[i - 1] if i else genesis(workbook_id)
        found = (
            _form(row, i)
            or _signature(row, i, previous, workbook_id, hashes, record)
            or _turn(sop, steps[i], row)
            or _identity(row, listed, roster)
        )
        if found:
            results[i] = found
    expected, data_problems = expected_sections(sop, rows, steps, record)
    data_problems = _merge(data_problems, _against_now(rows, expected, record, now))
    for i, (sheets, cells) in data_problems.items():
        if i not in results:
            results[i] = _data_changed(rows[i], sheets, cells)
    out = []
    for i, row in enumerate(rows):
        if i in results:
            out.append(results[i])
        elif row.signed:
            out.append(RowResult(row, VALID))
        else:
            out.append(RowResult(row, UNSIGNED, "LEDGER_TANPA_KUNCI"))
    state = workflow.current(sop, [(r.langkah, r.keputusan) for r in rows])
    return Verification(workbook_id, tuple(out), state, now, roster.file if roster else None)


# ---------------------------------------------------------------------- per row
def _form(row: LedgerRow, index: int) -> RowResult | None:
    if row.no != str(index + 1):
        return RowResult(row, CHAIN_BROKEN, "LEDGER_NOMOR", {"position": index + 1})
    problems = []
    if row.time is None:
        problems.append(contract.L_WAKTU)
    if len(row.sidik_isi) != 64 or any(ch not in "0123456789abcdef" for ch in row.sidik_isi):
        problems.append(contract.L_SIDIK_ISI)
    if row.signed and (public_key_from_text(row.kunci_publik) is None or _signature_bytes(row) is None):
        problems.append(contract.L_TANDA_TANGAN if public_key_from_text(row.kunci_publik) else contract.L_KUNCI_PUBLIK)
    if problems:
        return RowResult(row, FORGED, "LEDGER_BARIS_RUSAK", {"columns": problems})
    return None


def _signature_bytes(row: LedgerRow) -> bytes | None:
    try:
        raw = base64.b64decode(row.tanda_tangan.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == 64 else None


def _signature(
    row: LedgerRow, index: int, previous: str, workbook_id: str, hashes: list[str], record: Record
) -> RowResult | None:
    if not row.signed:
        kept = record.by_number(index + 1)
        if kept is not None and kept.hash != row.hash:  # nothing signed: only the record can tell
            return RowResult(row, FORGED, "LEDGER_BARIS_DIUBAH")
        return None
    public, signature = public_key_from_text(row.kunci_publik), _signature_bytes(row)

    def holds(prev: str, wid: str) -> bool:
        return verify_signature(public, signature, row.message(prev, wid))

    if holds(previous, workbook_id):
        return None
    # Why not: what was it signed after? (a row moved, removed, or copied in)
    candidates = [(0, genesis(workbook_id))] + [(j + 1, h) for j, h in enumerate(hashes) if j != index - 1]
    for after, candidate in candidates:
        if candidate != previous and holds(candidate, workbook_id):
            return RowResult(row, CHAIN_BROKEN, "LEDGER_URUTAN", {"after": after or "–", "now_after": index or "–"})
    kept = record.by_number(index + 1)
    if kept is not None and kept.workbook_id != workbook_id and holds(kept.previous, kept.workbook_id):
        return RowResult(row, FORGED, "LEDGER_BUKU_LAIN", {"other": kept.workbook_id, "workbook_id": workbook_id})
    if kept is not None and holds(kept.previous, workbook_id):
        return RowResult(row, CHAIN_BROKEN, "LEDGER_BARIS_HILANG")
    return RowResult(row, FORGED, "LEDGER_TTD_TIDAK_COCOK")


def _turn(sop: Sop, step: workflow.Step, row: LedgerRow) -> RowResult | None:
    due = step.before.due
    if step.after is None or sop.role(step.signoff.role).peran != row.peran:
        expected = f"{due.label} ({sop.role(due.role).peran})" if due else "–"
        return RowResult(
            row, FORGED, "LEDGER_ALUR_SALAH", {"langkah": row.langkah, "peran": row.peran, "due": expected}
        )
    return None


@dataclass(frozen=True)
class Official:
    peran: str
    nama: str
    nip: str
    fingerprint: str


def officials(model: WorkbookModel) -> list[Official]:
    table = model.tables[contract.PEJABAT]
    headers = (contract.P_PERAN, contract.P_NAMA, contract.P_NIP)
    return [
        Official(
            str(r.values.get(contract.P_PERAN) or "").strip(),
            str(r.values.get(contract.P_NAMA) or "").strip(),
            normalize_nip(str(r.values.get(contract.P_NIP) or "")),
            normalize_fingerprint(r.values.get(contract.P_SIDIK_KUNCI)),
        )
        for r in table.filled(headers)
    ]


def find_official(officials: list[Official], peran: str, nip: str) -> Official | None:
    nip = normalize_nip(nip)
    return next((o for o in officials if o.peran == peran and o.nip == nip), None)


def _identity(row: LedgerRow, officials: list[Official], roster: Roster | None) -> RowResult | None:
    official = find_official(officials, row.peran, row.nip)
    if official is None:
        return RowResult(row, FORGED, "LEDGER_BUKAN_PEJABAT", {"nama": row.nama, "nip": row.nip, "peran": row.peran})
    if not row.signed:
        return None
    used = fingerprint(public_key_from_text(row.kunci_publik))
    if official.fingerprint != used:
        listed = official.fingerprint or "–"
        return RowResult(
            row, FORGED, "LEDGER_KUNCI_TIDAK_TERCATAT", {"fingerprint": used, "nama": row.nama, "listed": listed}
        )
    if roster is not None:
        entries = roster.matching(row.peran, row.nip, used)
        if not entries:
            return RowResult(row, FORGED, "LEDGER_KUNCI_BUKAN_ROSTER", {"fingerprint": used, "roster": roster.file})
        day = row.time.date() if row.time else dt.date.min
        if all(e.since > day for e in entries):
            since = min(e.since for e in entries)
            return RowResult(row, FORGED, "LEDGER_KUNCI_BELUM_BERLAKU", {"fingerprint": used, "since": since})
    return None


# ---------------------------------------------------------------------- data
Expected = dict[str, tuple[int, str | None]]  # sheet -> (row index that locked it, digest signed)
Problems = dict[int, tuple[list[str], list[Change]]]  # row index -> (sheets, changed cells)


def signed_sections(row: LedgerRow, record: Record) -> dict[str, str] | None:
    """The section digests a row signed, when the record holds them and they are genuine."""
    kept = record.row(int(row.no), row.hash) if row.no.isdigit() else None
    if kept is None or content_digest(kept.sections) != row.sidik_isi:
        return None
    return kept.sections


def expected_sections(
    sop: Sop, rows: list[LedgerRow], steps: list[workflow.Step], record: Record
) -> tuple[Expected, Problems]:
    """Which sheets are locked now, by which row, with which digest; and the rows whose
    locked sheets changed before the next sign-off signed them."""
    expected: Expected = {}
    problems: Problems = {}
    for i, (row, step) in enumerate(zip(rows, steps)):
        if step.after is None:
            continue
        signed = signed_sections(row, record)
        if signed is not None:
            for sheet, (j, digest) in expected.items():
                if digest is not None and signed.get(sheet) != digest:
                    before, after = record.section(sheet, digest), record.section(sheet, signed.get(sheet, ""))
                    cells = changes(before, after) if before and after else []
                    _add(problems, j, sheet, cells)
        locked = workflow.locked_sheets(sop, step.after)
        for sheet in [s for s in expected if s not in locked]:
            del expected[sheet]  # reopened by a return
        for sheet in locked:
            if sheet not in expected:
                expected[sheet] = (i, signed.get(sheet) if signed else None)
    return expected, problems


def _against_now(rows: list[LedgerRow], expected: Expected, record: Record, now: Mapping[str, Section]) -> Problems:
    problems: Problems = {}
    whole_now = content_digest({sheet: section.digest for sheet, section in now.items()})
    for sheet, (i, digest) in expected.items():
        if digest is None and pictures_unknown(now.get(sheet, Section(sheet, ()))):
            continue  # neither the record nor the pictures: nothing this route can tell
        if digest is None:
            # The record that places changes is gone: only "nothing at all changed" can hold.
            if whole_now != rows[i].sidik_isi:
                _add(problems, i, sheet, [])
            continue
        current = now.get(sheet)
        if current is not None and pictures_unknown(current):
            # A live workbook gives no picture bytes: its values are compared, its
            # pictures are checked on the saved file (the add-in says so).
            signed = record.section(sheet, digest)
            if signed is not None:
                cells = changes(without_pictures(signed), without_pictures(current))
                if cells:
                    _add(problems, i, sheet, cells)
            continue
        if current is None or current.digest != digest:
            signed = record.section(sheet, digest)
            _add(problems, i, sheet, changes(signed, current) if signed and current else [])
    return problems


def _add(problems: Problems, i: int, sheet: str, cells: list[Change]) -> None:
    sheets, changed = problems.setdefault(i, ([], []))
    if sheet not in sheets:
        sheets.append(sheet)
    changed.extend(c for c in cells if c not in changed)


def _merge(a: Problems, b: Problems) -> Problems:
    for i, (sheets, cells) in b.items():
        for sheet in sheets:
            _add(a, i, sheet, [c for c in cells if c.sheet == sheet])
    return a


def _data_changed(row: LedgerRow, sheets: list[str], cells: list[Change]) -> RowResult:
    shown = ", ".join(c.address for c in cells[:8]) + (f" (+{len(cells) - 8})" if len(cells) > 8 else "")
    params = {"langkah": row.langkah, "keputusan": row.keputusan, "sheets": sheets, "cells": shown or "–"}
    code = "LEDGER_DATA_BERUBAH" if cells else "LEDGER_DATA_BERUBAH_TANPA_SEL"
    return RowResult(row, DATA_CHANGED, code, params, tuple(cells))
