"""What the ledger keeps in `_meta` (D6): per row, the section digests it signed, and
snapshots of the sections that are locked now, so a change can be named cell by cell.

Nothing here is trusted on its own: a row's section digests count only when they hash
to the `Sidik Isi` the row signed, and a snapshot only when its entries hash to the
section digest it claims. A record someone edited can only make verification less
precise ("which cells" unknown), never make a changed workbook verify.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kinerja.core.digest import Section


@dataclass(frozen=True)
class RowRecord:
    no: int
    hash: str  # the row's hash when written
    previous: str  # the previous hash it signed
    workbook_id: str  # the workbook it was signed in
    sections: dict[str, str]  # sheet -> section digest


@dataclass
class Record:
    rows: list[RowRecord] = field(default_factory=list)
    snapshots: dict[str, str] = field(default_factory=dict)  # section digest -> snapshot text

    @classmethod
    def parse(cls, text: str | None) -> Record:
        try:
            data = json.loads(text or "{}")
            rows = [
                RowRecord(int(r["no"]), str(r["hash"]), str(r["previous"]), str(r["workbook_id"]), dict(r["sections"]))
                for r in data.get("rows", [])
            ]
            return cls(rows, {str(k): str(v) for k, v in dict(data.get("snapshots", {})).items()})
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()  # an unreadable record: verification says it cannot name cells

    def dumps(self) -> str:
        return json.dumps(
            {"version": 1, "rows": [asdict(r) for r in self.rows], "snapshots": self.snapshots},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def row(self, no: int, row_hash: str) -> RowRecord | None:
        """The record of the row with this number written with these very cells."""
        return next((r for r in self.rows if r.no == no and r.hash == row_hash), None)

    def by_number(self, no: int) -> RowRecord | None:
        return next((r for r in self.rows if r.no == no), None)

    def section(self, sheet: str, digest: str) -> Section | None:
        """The snapshot of a section as signed, when kept and genuine."""
        text = self.snapshots.get(digest)
        section = Section.from_snapshot(sheet, text) if text else None
        return section if section is not None and section.digest == digest else None
