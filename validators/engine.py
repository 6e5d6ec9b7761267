"""From a workbook model to a Laporan: convert every cell, run the column checks, compute the
IKU from what they accepted, then run the rules. Each stage only adds findings; none
stops the next, so one bad cell never hides another finding, and a value refused once
is skipped by everything after (D11)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kinerja.validators import checks
from kinerja.validators.context import Context, Row
from kinerja.validators.convert import convert
from kinerja.validators.rules import RULES

from kinerja.core import contract, iku, workflow
from kinerja.core.findings import Finding, Identity, IkuFigures, Laporan, LedgerState
from kinerja.core.model import WorkbookModel
from kinerja.core.numbers import exact
from kinerja.core.sop import Band, Column, NameDef, Sop, TableDef


def validate_file(path: str | Path, sop: Sop | None = None) -> Laporan:
    from kinerja.xlsx.reader import read_workbook

    return validate_model(read_workbook(path, sop), sop)


def validate_model(model: WorkbookModel, sop: Sop | None = None) -> Laporan:
    """The report of one workbook model, against the SOP definition it was read with
    (``sop``; the contract's own when None)."""
    ctx = Context(sop or contract.definition(), model)
    findings = list(_convert_names(ctx))
    findings += _convert_tables(ctx)
    findings += _check_tables(ctx)
    findings += _check_names(ctx)
    findings += _check_target(ctx)
    ctx.iku = compute_iku(ctx)  # from accepted inputs only
    findings += _check_due_names(ctx)  # what the IKU and the ledger make required now
    for rule in RULES:
        findings += run_rule(rule, ctx)
    return Laporan(
        model.file,
        findings,
        ctx.iku,
        identity=identity(ctx),
        ledger=ledger_state(ctx.sop, ctx.ledger) if ctx.ledger is not None else None,
        sheet_order=[s.name for s in ctx.sop.sheets],  # workbook order, every output
    )


# ---------------------------------------------------------------------- what the report is about
def identity(ctx: Context) -> Identity:
    """Kecamatan, kabupaten and year as converted (a placeholder a new workbook shows, or
    a value refused, is None), the SOP and workbook_id from _meta."""

    def given(name: str) -> Any:
        value = ctx.names.get(name)
        if isinstance(value, str):
            value = " ".join(value.split())
        return None if value in (None, "", ctx.sop.defaults.get(name)) else value

    year = given(contract.N_TAHUN)
    return Identity(
        template_id=ctx.model.meta.get(contract.META_TEMPLATE_ID) or ctx.sop.id,
        kecamatan=given(contract.N_KECAMATAN),
        kabupaten=given(contract.N_KABUPATEN),
        tahun=int(year) if isinstance(year, int | float) else None,
        workbook_id=ctx.model.meta.get(contract.META_WORKBOOK_ID) or None,
    )


def ledger_state(sop: Sop, verification: Any) -> LedgerState:
    """The ledger's verification, condensed; ``progress`` counts only the rows before the
    first that fails, so that a forged sign-off never carries a copy further (D20)."""
    from kinerja.ledger.verify import PASSING

    rows = verification.rows
    passing = []
    for result in rows:
        if result.status not in PASSING:
            break
        passing.append((result.row.langkah, result.row.keputusan))
    reached = workflow.current(sop, passing)
    state = verification.state
    due = state.due
    return LedgerState(
        rows=len(rows),
        due=due.label if due else None,
        due_role=sop.role(due.role).peran if due else None,
        final=state.final,
        verified=verification.ok,
        failing=tuple(r.no for r in verification.failing),
        progress=len(sop.signoffs) if reached.final else sop.signoff_index(reached.due.key),
    )


def run_rule(rule: Callable[[Context], Iterable[Finding]], ctx: Context) -> list[Finding]:
    """One rule's findings. A rule that fails is a bug of ours, never a lost report (D29):
    what it found before failing is kept, and one Galat names it, on Hasil Validasi
    (the report's own sheet, since no cell of the workbook is at fault)."""
    found: list[Finding] = []
    try:
        found.extend(rule(ctx))
    except Exception as exc:
        if os.environ.get("KINERJA_DEBUG"):
            raise
        name = f"{rule.__module__.rpartition('.')[2]}.{rule.__name__}"
        found.append(
            Finding("GALAT_ATURAN", contract.HASIL_SHEET, "A1", 0, {"rule": name, "detail": type(exc).__name__})
        )
    return found


# ---------------------------------------------------------------------- conversion
def _convert_names(ctx: Context) -> Iterator[Finding]:
    for spec in ctx.sop.names:
        if not spec.is_input:
            continue
        cell = ctx.model.names[spec.name]
        converted = convert(cell.value, spec.type)
        ctx.names[spec.name] = converted.value
        if converted.failed:
            ctx.failed.add((cell.sheet, cell.ref))
        if converted.code:
            yield ctx.at_name(converted.code, spec.name, label=spec.label, **converted.params)


def _convert_tables(ctx: Context) -> Iterator[Finding]:
    for spec in _checked_tables(ctx.sop):
        table = ctx.model.tables[spec.name]
        inputs = spec.input_columns
        headers = tuple(c.header for c in inputs)
        rows = []
        for raw in table.filled(headers):
            values = {}
            for column in inputs:
                converted = convert(raw.values.get(column.header), column.type)
                values[column.header] = converted.value
                if converted.failed:
                    ctx.failed.add((table.sheet, table.cell(column.header, raw.row)))
                if converted.code:
                    yield ctx.at_cell(
                        converted.code, spec.name, column.header, raw.row, label=column.header, **converted.params
                    )
            rows.append(Row(raw.row, values))
        ctx.rows[spec.name] = rows


def _checked_tables(sop: Sop) -> list[TableDef]:
    """Tables people (or the ledger) fill; computed tables and the findings table are
    outputs, checked through the figures they show."""
    return [t for t in sop.tables if t.kind != "computed" and sop.sheet(t.sheet).kind != "results"]


# ---------------------------------------------------------------------- the indicator
def _check_target(ctx: Context) -> Iterator[Finding]:
    """D13: a target of at most 1 was typed as 90% (Excel stores 0.9). Refused here, before
    the IKU would compute a capaian of thousands of percent from it."""
    target = ctx.names.get("iku_target")
    if target is None:
        return
    code = {"not_positive": "IKU_TARGET_TIDAK_POSITIF", "percent": "IKU_TARGET_PERSEN"}.get(iku.target_problem(target))
    if code:
        yield ctx.at_name(code, "iku_target", value=target)
        ctx.refuse_name("iku_target")


def compute_iku(ctx: Context) -> IkuFigures:
    """DOMAIN.md's arithmetic from input cells only (D13: Delegasi "Ya" after trimming and
    case-folding counts, with no cap per village). A figure whose input was refused is not
    computed: its finding says why, and a number built on it would mislead a roll-up."""
    invited = (
        None
        if ctx.column_failed(contract.DESA, "Delegasi Diundang")
        else sum(r["Delegasi Diundang"] or 0 for r in ctx.rows[contract.DESA])
    )
    present = (
        None
        if ctx.column_failed(contract.DAFTAR_HADIR, "Delegasi")
        else sum(1 for r in ctx.rows[contract.DAFTAR_HADIR] if r["Delegasi"] == contract.YES)
    )
    bands = (
        []
        if ctx.column_failed(contract.PREDIKAT, "Batas Bawah")
        else [
            Band(float(r["Batas Bawah"]), r["Predikat"])
            for r in ctx.rows[contract.PREDIKAT]
            if r["Batas Bawah"] is not None and r["Predikat"]
        ]
    )
    return iku.compute(invited, present, ctx.names.get("iku_target"), ctx.names.get("iku_arah"), bands)


# ---------------------------------------------------------------------- column checks
_UNUSABLE = ("choice", "min", "max")  # a value the schema refused is not used by rules


def _check_tables(ctx: Context) -> Iterator[Finding]:
    for spec in _checked_tables(ctx.sop):
        rows = ctx.rows[spec.name]
        inputs = spec.input_columns
        fields = [_column_spec(ctx, c) for c in inputs]
        failures = checks.failures(fields, [(r.row, r.values) for r in rows])
        found = [f for f in failures if not ctx.is_failed(spec.name, f.key, f.index)]
        yield from _table_findings(ctx, spec, rows, found)
        by_row = {r.row: r for r in rows}
        for f in found:
            if f.kind in _UNUSABLE:
                ctx.refuse_cell(spec.name, f.key, by_row[f.index])  # reported once here; rules skip it


def _column_spec(ctx: Context, column: Column) -> checks.FieldSpec:
    return checks.FieldSpec(
        key=column.header,
        required=column.required,
        choices=_choices(ctx, column.list),
        min=column.min,
        max=column.max,
        unique=column.unique,
        required_when=column.required_when,
    )


def _choices(ctx: Context, list_key: str | None) -> tuple[str, ...] | None:
    if list_key is None:
        return None
    lst = ctx.sop.lists[list_key]
    if lst.source is None:
        return lst.values
    table, _, rest = lst.source.partition("[")
    header = rest.rstrip("]")
    values = tuple(r[header] for r in ctx.rows.get(table, []) if r[header] is not None)
    # An empty source list is one finding of its own (e.g. IKU_DIUNDANG_NOL), not one
    # "not in the list" per row that picks from it.
    return values or None


def _table_findings(ctx: Context, spec: TableDef, rows: list[Row], found: list[checks.Failure]) -> Iterator[Finding]:
    empties: dict[str, list[int]] = {}
    first_seen: dict[tuple[str, Any], int] = {}
    for f in found:
        column = spec.column(f.key)
        if f.kind == "empty":
            empties.setdefault(f.key, []).append(f.index)
        elif f.kind == "duplicate":
            first = first_seen.setdefault((f.key, f.value), f.index)
            if first != f.index:
                yield ctx.at_cell(
                    "NILAI_GANDA",
                    spec.name,
                    f.key,
                    f.index,
                    value=f.value,
                    column=f.key,
                    table=spec.name,
                    first_row=first,
                )
        elif f.kind == "required_when":
            when = column.required_when
            yield ctx.at_cell(
                "ISIAN_KOLOM_WAJIB_BILA",
                spec.name,
                f.key,
                f.index,
                column=f.key,
                when_column=when.column,
                when_value=when.equals,
                prompt=column.prompt,
            )
        else:
            code, params = _value_finding(ctx, f, column.list, column.header, column.min, column.max)
            yield ctx.at_cell(code, spec.name, f.key, f.index, **params)
    for header, indexes in empties.items():
        column = spec.column(header)
        if len(indexes) == len(rows) and len(rows) >= 2:
            # A whole column left empty is one finding at its header, not one per row.
            yield ctx.at_header(
                "ISIAN_KOLOM_TIDAK_DIISI",
                spec.name,
                header,
                column=header,
                count=len(rows),
                table=spec.name,
                prompt=column.prompt,
            )
        else:
            for index in indexes:
                yield ctx.at_cell(
                    "ISIAN_KOLOM_KOSONG", spec.name, header, index, column=header, table=spec.name, prompt=column.prompt
                )


def _value_finding(
    ctx: Context, f: checks.Failure, list_key: str | None, label: str, min_: float | None, max_: float | None
) -> tuple[str, dict[str, Any]]:
    """The code and message values for a value the schema refused (list or bounds)."""
    if f.kind == "choice":
        lst = ctx.sop.lists[list_key]
        choices = _choices(ctx, list_key) or ()
        similar = difflib.get_close_matches(str(f.value), choices, n=1, cutoff=0) or ["–"]
        return lst.unknown_code, {"value": f.value, "label": label, "choices": list(choices), "similar": similar[0]}
    if f.kind == "min":
        return "NILAI_KURANG_DARI_MIN", {"value": f.value, "label": label, "min": min_}
    return "NILAI_LEBIH_DARI_MAKS", {"value": f.value, "label": label, "max": max_}


def _check_names(ctx: Context) -> Iterator[Finding]:
    """The single values that promise something always: required, a list, bounds. What
    the workflow makes required later is _check_due_names."""
    specs = [
        n
        for n in ctx.sop.names
        if n.is_input and (n.requirement.kind == "always" or n.list or n.min is not None or n.max is not None)
    ]
    fields = [
        checks.FieldSpec(
            key=n.name, required=n.requirement.kind == "always", choices=_choices(ctx, n.list), min=n.min, max=n.max
        )
        for n in specs
    ]
    for f in checks.failures(fields, [(0, ctx.names)]):
        spec = ctx.sop.name(f.key)
        if ctx.name_failed(spec.name):
            continue
        if f.kind == "empty":
            yield ctx.at_name("ISIAN_KOSONG", spec.name, label=spec.label, prompt=spec.prompt)
            continue
        code, params = _value_finding(ctx, f, spec.list, spec.label, spec.min, spec.max)
        yield ctx.at_name(code, spec.name, **params)
        ctx.refuse_name(spec.name)  # reported once here; rules skip it


def _check_due_names(ctx: Context) -> Iterator[Finding]:
    """Values the workflow makes required: the consultation record once the target is
    missed (SOP step 3's loop), the archive fields once the Camat's sign-off is recorded."""
    for spec in ctx.sop.names:
        if not spec.is_input or ctx.names.get(spec.name) is not None or ctx.name_failed(spec.name):
            continue
        due = _due(ctx, spec)
        if due:
            code, params = due
            yield ctx.at_name(code, spec.name, label=spec.label, prompt=spec.prompt, **params)


def _due(ctx: Context, spec: NameDef) -> tuple[str, dict[str, Any]] | None:
    requirement = spec.requirement
    if requirement.kind == "target_missed":
        capaian = ctx.iku.capaian if ctx.iku else None
        # Exact (D26): a capaian of exactly 100 meets the target and asks for no consultation.
        if capaian is not None and capaian < exact(ctx.sop.target_met_at):
            return "ISIAN_KONSULTASI", {"capaian": capaian}
    if requirement.kind == "signed":
        signoff = ctx.sop.signoff(requirement.signoff)
        forward = {d.text for d in signoff.decisions if not d.returns_to}
        for r in ctx.rows.get(contract.PERSETUJUAN, []):
            if r["Langkah"] == signoff.label and r["Keputusan"] in forward:
                return "ISIAN_SETELAH_TANDA_TANGAN", {"langkah": signoff.label, "keputusan": r["Keputusan"]}
    return None
