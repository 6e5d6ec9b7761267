"""Where the workflow stands, as people read it: the stage due and who is next, each
sign-off with its time in the workbook's zone (12 Februari 2026 10.15 WIB), and the time
each took against the SOP's standard (D21: sign-off n − sign-off n−1; the first "–").

The same lines fill `kinerja status`, Petunjuk's status cells, each step sheet's
"Tanda tangan" line and the approval page, so they are made here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja.core.findings import text
from kinerja.core.formatting import TIME_ZONES, format_date
from kinerja.core.sop import Sop
from kinerja.ledger.verify import PASSING, Verification

SIGN_ZONE_DEFAULT = "WIB"


def zone_of(model_zone: object, sop: Sop) -> str:
    return model_zone if model_zone in TIME_ZONES else sop.defaults.get("ref_zona_waktu", SIGN_ZONE_DEFAULT)


def format_moment(moment: dt.datetime | None, zone: str, lang: str = "id") -> str:
    """12 Februari 2026 10.15 WIB (Indonesian writes the time with a dot)."""
    if moment is None:
        return "–"
    local = moment.astimezone(dt.timezone(TIME_ZONES[zone]))
    separator = "." if lang == "id" else ":"
    return f"{format_date(local.date(), lang)} {local.hour:02d}{separator}{local.minute:02d} {zone}"


def format_duration(minutes: int | None, lang: str = "id") -> str:
    """95 -> "1 jam 35 menit"; None -> "–"."""
    if minutes is None:
        return "–"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    words = {"id": ("hari", "jam", "menit"), "en": ("d", "h", "min")}[lang]
    parts = [f"{n} {w}" for n, w in zip((days, hours, mins), words) if n]
    return " ".join(parts) or f"0 {words[2]}"


@dataclass(frozen=True)
class Line:
    no: int
    langkah: str
    peran: str
    nama: str
    nip: str
    keputusan: str
    catatan: str
    time: dt.datetime | None
    status: str
    fingerprint: str
    taken_minutes: int | None  # since the previous sign-off
    standard_minutes: int  # the SOP's mutu baku for the steps it covers


@dataclass(frozen=True)
class Status:
    final: bool
    due_label: str | None
    due_peran: str | None
    due_names: tuple[str, ...]  # who tblPejabat lists for the role due
    lines: tuple[Line, ...]
    zone: str

    def stage(self, lang: str = "id") -> str:
        """Petunjuk's "Tahap sekarang"."""
        if self.final:
            last = self.lines[-1] if self.lines else None
            return text("STATUS_FINAL").render(
                {"waktu": format_moment(last.time if last else None, self.zone, lang)}, lang
            )[0]
        who = f"{self.due_peran} ({', '.join(self.due_names)})" if self.due_names else self.due_peran
        return text("STATUS_GILIRAN").render({"langkah": self.due_label, "peran": who}, lang)[0]

    def last(self, lang: str = "id") -> str:
        if not self.lines:
            return text("STATUS_BELUM").render({}, lang)[0]
        return self.line_text(self.lines[-1], lang)

    def line_text(self, line: Line, lang: str = "id") -> str:
        return text("STATUS_BARIS").render(
            {
                "no": line.no,
                "langkah": line.langkah,
                "keputusan": line.keputusan,
                "nama": line.nama,
                "waktu": format_moment(line.time, self.zone, lang),
            },
            lang,
        )[0]

    def for_step(self, sop: Sop, step: int, lang: str = "id") -> str:
        """A step sheet's "Tanda tangan" line: the last sign-off covering its step."""
        covering = {s.label for s in sop.signoffs if step in s.steps}
        line = next((x for x in reversed(self.lines) if x.langkah in covering), None)
        if line is None:
            return text("STATUS_LANGKAH_BELUM").render({}, lang)[0]
        return self.line_text(line, lang)


def status(verification: Verification, sop: Sop, zone: str, officials) -> Status:
    lines = []
    previous: dt.datetime | None = None
    for result in verification.rows:
        row = result.row
        signoff = next((s for s in sop.signoffs if s.label == row.langkah), None)
        standard = sum(sop.step(n).minutes for n in signoff.steps) if signoff else 0
        taken = None
        if previous is not None and row.time is not None:
            taken = max(0, round((row.time - previous).total_seconds() / 60))
        lines.append(
            Line(
                result.no,
                row.langkah,
                row.peran,
                row.nama,
                row.nip,
                row.keputusan,
                row.catatan,
                row.time,
                result.status,
                result.key_fingerprint,
                taken,
                standard,
            )
        )
        previous = row.time or previous
    due = verification.state.due
    due_peran = sop.role(due.role).peran if due else None
    names = tuple(o.nama for o in officials if due_peran and o.peran == due_peran and o.nama)
    return Status(
        final=verification.state.final,
        due_label=due.label if due else None,
        due_peran=due_peran,
        due_names=names,
        lines=tuple(lines),
        zone=zone,
    )


def verification_text(verification: Verification, when: str, lang: str = "id") -> str:
    """The verification at the time of a write, for Petunjuk and the approval page."""
    rows = verification.rows
    if not rows:
        return text("VERIFIKASI_KOSONG").render({"when": when}, lang)[0]
    bad = [r.no for r in rows if r.status not in PASSING]
    if bad:
        return text("VERIFIKASI_GAGAL").render({"when": when, "bad": len(bad), "count": len(rows), "rows": bad}, lang)[
            0
        ]
    unsigned = sum(1 for r in rows if r.status != "valid")
    code = "VERIFIKASI_SAH_TANPA_KUNCI" if unsigned else "VERIFIKASI_SAH"
    return text(code).render({"when": when, "count": len(rows), "unsigned": unsigned}, lang)[0]
