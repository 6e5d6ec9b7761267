"""The roll-up of many reports (frictionless' report → tasks → errors): one Laporan per
file, merged into a Rekap that knows which copy of a kecamatan's workbook counts, who
has not sent one, and which files could not be read.

Pure data: no file is opened here. `services.rekap` reads the folder in worker processes
and hands the reports to :meth:`Rekap.merge`; the workbook and the JSON render the same
object.

D20: of two files for the same kecamatan and year (and SOP), the one furthest along the
ledger counts (``LedgerState.progress``: how far its *verifying* rows carry the workflow),
then the one with more verifying rows, then fewer Galat, then the file name, so the
choice never depends on the order files were found. A file whose kecamatan or year is
empty is counted on its own: nothing says what it duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kinerja.core import iku
from kinerja.core import sop as sop_module
from kinerja.core.findings import FLAT_KEYS, Counts, IkuFigures, Laporan, json_number


def normalize_place(name: str | None) -> str:
    """How two spellings of one kecamatan compare: case, spacing and a leading
    "Kecamatan"/"Kabupaten"/"Kota" aside ("Kec. Sukamaju" = "sukamaju")."""
    words = " ".join(str(name or "").split()).casefold()
    return re.sub(r"^(kecamatan|kec\.|kabupaten|kab\.|kota)\s+", "", words)


@dataclass(frozen=True)
class Expected:
    """One line of the regency's list of kecamatan (``--daftar``)."""

    kecamatan: str
    kabupaten: str | None = None


@dataclass(frozen=True)
class Missing:
    """A kecamatan of the list with no workbook for a year the roll-up holds."""

    kecamatan: str
    kabupaten: str | None
    tahun: int

    def to_json(self) -> dict[str, Any]:
        return {"kecamatan": self.kecamatan, "kabupaten": self.kabupaten, "year": self.tahun}


@dataclass(frozen=True)
class Duplicate:
    """A file not counted because another copy of the same workbook is further along."""

    laporan: Laporan
    counted: Laporan


@dataclass(frozen=True)
class Totals:
    """One SOP's figures for one year over the counted workbooks: the sums, realisasi of
    the sums (exact, D26), and capaian and predikat when every workbook shares one target
    and direction (else None: a capaian of mixed targets would mean nothing)."""

    template_id: str
    tahun: int | None
    workbooks: int
    invited: int
    present: int
    figures: IkuFigures
    target: float | None
    errors: int
    warnings: int

    def to_json(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "year": self.tahun,
            "workbooks": self.workbooks,
            "invited": self.invited,
            "present": self.present,
            "realisasi": json_number(self.figures.realisasi),
            "target": self.target,
            "capaian": json_number(self.figures.capaian),
            "predikat": self.figures.predikat,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def rank(laporan: Laporan) -> tuple:
    """Which copy counts, highest first (D20)."""
    ledger = laporan.ledger
    progress = ledger.progress if ledger else -1
    verifying = (ledger.rows - len(ledger.failing)) if ledger else 0
    return (progress, verifying, -laporan.counts.errors, _negated(laporan.file))


def _negated(text: str) -> tuple[int, ...]:
    """Sorts a file name descending inside an ascending key: the first name wins a tie."""
    return tuple(-ord(ch) for ch in text)


def workbook_key(laporan: Laporan) -> tuple | None:
    ident = laporan.identity
    if not laporan.readable or not ident.kecamatan or ident.tahun is None:
        return None
    return (ident.template_id, normalize_place(ident.kabupaten), normalize_place(ident.kecamatan), ident.tahun)


@dataclass
class Rekap:
    """Every file's report (``tasks``, in the order of their paths) and what follows
    from them for a regency. Build it with :meth:`merge`."""

    tasks: list[Laporan]
    counted: list[Laporan] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unreadable: list[Laporan] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    expected: tuple[Expected, ...] | None = None  # None: no --daftar given

    @classmethod
    def merge(cls, reports: Iterable[Laporan], expected: Sequence[Expected] | None = None) -> Rekap:
        tasks = sorted(reports, key=lambda r: r.file)
        unreadable = [r for r in tasks if not r.readable]
        groups: dict[tuple, list[Laporan]] = {}
        alone: list[Laporan] = []
        for r in tasks:
            if not r.readable:
                continue
            key = workbook_key(r)
            if key is None:
                alone.append(r)
            else:
                groups.setdefault(key, []).append(r)
        counted = list(alone)
        duplicates = []
        for copies in groups.values():
            best = max(copies, key=rank)
            counted.append(best)
            duplicates += [Duplicate(r, best) for r in copies if r is not best]
        counted.sort(key=_row_order)
        duplicates.sort(key=lambda d: (_row_order(d.counted), d.laporan.file))
        rekap = cls(tasks, counted, duplicates, unreadable, [], tuple(expected) if expected is not None else None)
        rekap.missing = rekap._missing()
        return rekap

    def _missing(self) -> list[Missing]:
        if self.expected is None:
            return []
        years = sorted({r.identity.tahun for r in self.counted if r.identity.tahun is not None})
        sent = {
            (normalize_place(r.identity.kecamatan), r.identity.tahun, normalize_place(r.identity.kabupaten))
            for r in self.counted
        }
        out = []
        for year in years:
            for e in self.expected:
                name = normalize_place(e.kecamatan)
                found = any(
                    k == name and y == year and (not e.kabupaten or kab == normalize_place(e.kabupaten))
                    for k, y, kab in sent
                )
                if not found:
                    out.append(Missing(e.kecamatan, e.kabupaten, year))
        return out

    # ------------------------------------------------------------------ frictionless' stats
    @property
    def counts(self) -> Counts:
        total = Counts()
        for r in self.tasks:
            total += r.counts
        return total

    @property
    def valid(self) -> bool:
        """D20's exit 0: every file read, and no Galat in any of them."""
        return all(r.valid for r in self.tasks)

    @property
    def stats(self) -> dict[str, int]:
        counts = self.counts
        return {
            "files": len(self.tasks),
            "read": len(self.tasks) - len(self.unreadable),
            "unreadable": len(self.unreadable),
            "counted": len(self.counted),
            "duplicates": len(self.duplicates),
            "missing": len(self.missing),
            "errors": counts.errors,
            "warnings": counts.warnings,
            "infos": counts.infos,
        }

    def totals(self) -> list[Totals]:
        """Per SOP and year, over the counted workbooks (a regency's line; a province's
        roll-up of several years gets one line per year)."""
        groups: dict[tuple[str, int | None], list[Laporan]] = {}
        for r in self.counted:
            groups.setdefault((r.identity.template_id or "", r.identity.tahun), []).append(r)
        out = []
        for (template_id, year), reports in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            out.append(_totals(template_id, year, reports))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """The Rekap sheet's rows: one per counted workbook."""
        return [rekap_row(r) for r in self.counted]

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """`kinerja rekap --json`: what the roll-up workbook shows, sheet by sheet, then
        every file's own report (``tasks``)."""
        return {
            "valid": self.valid,
            "stats": self.stats,
            "totals": [t.to_json() for t in self.totals()],
            "rekap": self.rows(),
            "not_sent": [m.to_json() for m in self.missing] if self.expected is not None else None,
            "duplicates": [{**rekap_row(d.laporan), "counted_file": d.counted.file} for d in self.duplicates],
            "unreadable": [
                {"file": r.file, **r.unreadable.to_json(lang)} for r in self.unreadable if r.unreadable is not None
            ],
            "tasks": [r.to_json(lang) for r in self.tasks],
        }

    def flatten(self, spec: Sequence[str] = ("file", "sheet", "cell", "code"), lang: str = "id") -> list[list[Any]]:
        """Every finding of every file as plain rows (frictionless' ``flatten``)."""
        unknown = [k for k in spec if k not in FLAT_KEYS]
        if unknown:
            raise KeyError(f"flatten: unknown keys {unknown}; known: {FLAT_KEYS}")
        return [row for r in self.tasks for row in r.flatten(spec, lang)]


def rekap_row(r: Laporan) -> dict[str, Any]:
    """One workbook as a row of the Rekap sheet (and of the JSON), machine values:
    figures rounded to 4 decimals as `validate --json` shows them, the ledger's stage as
    the label of the sign-off due (None: no ledger read), ``verified`` None while nothing
    is signed."""
    ident, figures, ledger = r.identity, r.iku, r.ledger
    return {
        "kecamatan": ident.kecamatan,
        "kabupaten": ident.kabupaten,
        "year": ident.tahun,
        "invited": figures.invited if figures else None,
        "present": figures.present if figures else None,
        "realisasi": json_number(figures.realisasi) if figures else None,
        "target": figures.target if figures else None,
        "capaian": json_number(figures.capaian) if figures else None,
        "predikat": figures.predikat if figures else None,
        "stage": (None if ledger is None else "final" if ledger.final else ledger.due),
        "stage_role": ledger.due_role if ledger else None,
        "final": bool(ledger and ledger.final),
        "signoffs": ledger.rows if ledger else 0,
        "verified": (ledger.verified if ledger.rows else None) if ledger else None,
        "errors": r.counts.errors,
        "warnings": r.counts.warnings,
        "file": r.file,
        "workbook_id": ident.workbook_id,
        "template_id": ident.template_id,
    }


def _row_order(r: Laporan) -> tuple:
    ident = r.identity
    return (
        ident.template_id or "",
        ident.tahun or 0,
        normalize_place(ident.kabupaten),
        normalize_place(ident.kecamatan),
        r.file,
    )


def _totals(template_id: str, year: int | None, reports: list[Laporan]) -> Totals:
    figures = [r.iku for r in reports if r.iku and r.iku.invited is not None and r.iku.present is not None]
    invited = sum(f.invited for f in figures)
    present = sum(f.present for f in figures)
    targets = {(f.target, f.arah) for f in figures}
    target, arah = next(iter(targets)) if len(targets) == 1 else (None, None)
    definition = sop_module.find(template_id)
    bands = list(definition.predikat) if definition else []  # the SOP's bands, not one office's
    total = iku.compute(invited if figures else None, present if figures else None, target, arah, bands)
    counts = Counts()
    for r in reports:
        counts += r.counts
    return Totals(template_id, year, len(reports), invited, present, total, target, counts.errors, counts.warnings)
