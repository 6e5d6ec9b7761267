"""The attendance list against the invitation (SOP step 1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kinerja.validators.context import Context, Row

from kinerja.core import contract
from kinerja.core.findings import Finding


def _analysis_step(ctx: Context) -> int:
    """The women's share is a figure of the analysis, not of the evidence."""
    return ctx.step_of(contract.ANALISA_SHEET)


def _evidence_step(ctx: Context) -> int:
    """Findings on tblDesa about attendance belong to the attendance list's step."""
    return ctx.step_of(contract.DAFTAR_HADIR_SHEET)


def _delegates(ctx: Context) -> list[Row]:
    return [r for r in ctx.rows[contract.DAFTAR_HADIR] if r["Delegasi"] == contract.YES]


def _present_by_village(ctx: Context) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in _delegates(ctx):
        if r["Desa/Kelurahan"]:
            out.setdefault(r["Desa/Kelurahan"], []).append(r)
    return out


def delegates_within_invitation(ctx: Context) -> Iterator[Finding]:
    present = _present_by_village(ctx)
    hadir = ctx.model.tables[contract.DAFTAR_HADIR]
    for village in ctx.rows[contract.DESA]:
        invited, name = village["Delegasi Diundang"], village["Desa/Kelurahan"]
        came = present.get(name, [])
        if invited is not None and name and len(came) > invited:
            yield ctx.at_cell(
                "HADIR_MELEBIHI_UNDANGAN",
                contract.DESA,
                "Delegasi Diundang",
                village.row,
                step=_evidence_step(ctx),
                desa=name,
                present=len(came),
                invited=invited,
                rows=[r.row for r in came],
                attendance_sheet=hadir.sheet,
            )


def villages_without_delegates(ctx: Context) -> Iterator[Finding]:
    if not ctx.rows[contract.DAFTAR_HADIR]:
        return  # an empty list is its own finding
    present = _present_by_village(ctx)
    for village in ctx.rows[contract.DESA]:
        name, invited = village["Desa/Kelurahan"], village["Delegasi Diundang"]
        if name and invited and name not in present:
            yield ctx.at_cell(
                "HADIR_DESA_TANPA_DELEGASI",
                contract.DESA,
                "Desa/Kelurahan",
                village.row,
                step=_evidence_step(ctx),
                desa=name,
                invited=invited,
            )


def _person_key(row: Row) -> tuple[str, str] | None:
    """Same person: same name (case, spacing and punctuation aside) from the same village.
    Two people called Siti Aminah from two villages are two people."""
    name = row["Nama"]
    if not name:
        return None
    return re.sub(r"[\s.,]+", " ", name).strip().casefold(), (row["Desa/Kelurahan"] or "").casefold()


def people_listed_twice(ctx: Context) -> Iterator[Finding]:
    first: dict[tuple[str, str], Row] = {}
    for r in ctx.rows[contract.DAFTAR_HADIR]:
        key = _person_key(r)
        if key is None or ctx.is_failed(contract.DAFTAR_HADIR, "Desa/Kelurahan", r.row):
            continue  # a refused village is not "no village": it cannot tell two people apart
        if key in first:
            yield ctx.at_cell(
                "HADIR_GANDA",
                contract.DAFTAR_HADIR,
                "Nama",
                r.row,
                name=r["Nama"],
                first_row=first[key].row,
            )
        else:
            first[key] = r


def women_among_delegates(ctx: Context) -> Iterator[Finding]:
    delegates = _delegates(ctx)
    if not delegates:
        return
    women = sum(1 for r in delegates if r["L/P"] == "P")
    yield ctx.at_header(
        "HADIR_PEREMPUAN",
        contract.DAFTAR_HADIR,
        "L/P",
        step=_analysis_step(ctx),
        women=women,
        present=len(delegates),
        share=round(women / len(delegates) * 100, 1),
    )
