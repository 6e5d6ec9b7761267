"""The office roster: which key belongs to which official, from when (D14, D15).

Kept outside the workbook (a CSV the office holds: Peran, Nama, NIP, Sidik Kunci,
Berlaku Mulai), it is what proves identity: `tblPejabat` travels inside the workbook and
anyone can edit it, the roster does not. An acting official (Plt./Plh.) is one more line
for the same role, valid from the day they took office.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kinerja.core import contract, csvtext
from kinerja.core.findings import KinerjaError
from kinerja.core.nip import normalize as normalize_nip
from kinerja.ledger.keys import KeyInfo, normalize_fingerprint

HEADERS = (contract.P_PERAN, contract.P_NAMA, contract.P_NIP, contract.P_SIDIK_KUNCI, "Berlaku Mulai")


@dataclass(frozen=True)
class RosterEntry:
    peran: str
    nama: str
    nip: str
    fingerprint: str
    since: dt.date


@dataclass(frozen=True)
class Roster:
    file: str
    entries: tuple[RosterEntry, ...]

    def matching(self, peran: str, nip: str, fingerprint: str) -> list[RosterEntry]:
        return [
            e
            for e in self.entries
            if e.peran == peran and e.nip == normalize_nip(nip) and e.fingerprint == normalize_fingerprint(fingerprint)
        ]


def read_roster(path: Path) -> Roster:
    try:
        text = csvtext.decode(Path(path).read_bytes())
        records = csvtext.rows(text)
    except OSError as exc:
        raise KinerjaError("ROSTER_BERKAS", path=str(path), line=0, cause=exc.strerror or str(exc)) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise KinerjaError("ROSTER_BERKAS", path=str(path), line=0, cause=type(exc).__name__) from exc
    records = [(line, [c.strip() for c in cells]) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise KinerjaError("ROSTER_KOLOM", path=str(path), headers=", ".join(HEADERS))
    header_line, header = records[0]
    index = {h.casefold(): i for i, h in enumerate(header)}
    if any(h.casefold() not in index for h in HEADERS):
        raise KinerjaError("ROSTER_KOLOM", path=str(path), headers=", ".join(HEADERS))
    entries = []
    for line, cells in records[1:]:

        def cell(header: str, cells=cells) -> str:
            i = index[header.casefold()]
            return cells[i] if i < len(cells) else ""

        since = _date(cell("Berlaku Mulai"))
        if since is None:
            raise KinerjaError("ROSTER_TANGGAL", path=str(path), line=line, value=cell("Berlaku Mulai"))
        entries.append(
            RosterEntry(
                peran=cell(contract.P_PERAN),
                nama=cell(contract.P_NAMA),
                nip=normalize_nip(cell(contract.P_NIP)),
                fingerprint=normalize_fingerprint(cell(contract.P_SIDIK_KUNCI)),
                since=since,
            )
        )
    return Roster(str(path), tuple(entries))


def _date(text: str) -> dt.date | None:
    """ISO (2026-01-02) or as typed on an Indonesian PC (02/01/2026)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def roster_lines(keys: list[KeyInfo]) -> list[list[str]]:
    """`kinerja key export`: this PC's keys as roster lines (header first)."""
    return [list(HEADERS)] + [[k.peran, k.nama, k.nip, k.fingerprint, k.created] for k in keys]
