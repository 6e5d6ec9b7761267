"""What the cells the tool writes (status lines, verification, "Tanda tangan") show in a
new workbook: the same catalogue words the ledger writes later, for an empty ledger."""

from __future__ import annotations

from kinerja.core import contract
from kinerja.core.findings import text
from kinerja.core.sop import Sop


def tool_initial(sop: Sop, name: str) -> str:
    """What a tool-written cell shows in a new workbook, in the words the ledger writes."""
    if name.startswith("ttd_"):
        return text("STATUS_LANGKAH_BELUM").render({}, "id")[0]
    if name == contract.STATUS_TAHAP:
        first = sop.signoffs[0]
        return text("STATUS_GILIRAN").render({"langkah": first.label, "peran": sop.role(first.role).peran}, "id")[0]
    if name in (contract.STATUS_TERAKHIR, contract.STATUS_VERIFIKASI, contract.LEDGER_VERIFIKASI):
        return text("STATUS_BELUM").render({}, "id")[0]
    return sop.name(name).initial
