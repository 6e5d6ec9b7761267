"""The live formulas: figures that update while staff type, and conditional-format tests.

Only functions that both Excel 2010 and LibreOffice 7.4 compute (D7): SUM, SUMPRODUCT,
COUNT(A), INDEX/MATCH, LOOKUP, IFERROR. Structured references in file syntax
(``tbl[Col]``, ``tbl[[#Headers],[Col]]``), never ``[@Col]``. The validator recomputes
every figure in Python (kinerja.core.iku); these cells are a convenience that must agree.

Conditional formats cannot use structured references or other sheets (Excel moves those
into an extension openpyxl cannot write, D3/D8): they use defined names and cells of
their own sheet only.
"""

from __future__ import annotations

from kinerja.templates.layout import Layout, TablePlace

from kinerja.core import cells, contract
from kinerja.core.sop import Column, NameDef, Sop, TableDef

YES = "ya"  # D13: Delegasi counts when, trimmed and case-folded, it reads "ya"
CONDITION_MET = contract.YES
CONDITION_OPEN = "Belum"

# Contract columns the formulas read (WORKBOOK-CONTRACT.md, "Tables").
NO = "No"
DESA_NAME = "Desa/Kelurahan"
DESA_INVITED = "Delegasi Diundang"
HADIR_DESA = "Desa/Kelurahan"
HADIR_DELEGASI = "Delegasi"
PREDIKAT_LOWER = "Batas Bawah"
PREDIKAT_LABEL = "Predikat"
LEDGER_STEP = "Langkah"
LEDGER_DECISION = "Keputusan"
REKAP_DESA = "Desa/Kelurahan"
REKAP_INVITED = "Diundang"
REKAP_PRESENT = "Hadir"
REKAP_PERCENT = "Persentase"


def text(value: str) -> str:
    """A string literal inside a formula."""
    return '"' + value.replace('"', '""') + '"'


def column(sop: Sop, table: str, header: str) -> str:
    """tblDesa[Delegasi Diundang], after checking the definition has that column."""
    sop.table(table).column(header)
    return f"{table}[{header}]"


def _delegate(sop: Sop) -> str:
    """1 for each attendance row whose Delegasi, trimmed and case-folded, is "ya" (D13)."""
    return f"(LOWER(TRIM({column(sop, contract.DAFTAR_HADIR, HADIR_DELEGASI)}))={text(YES)})"


# ---------------------------------------------------------------- the indicator (sheet 3)
# Exact at every band boundary (D26). A spreadsheet computes in doubles and rounds after
# each operation, so dividing in steps drifts: 57/100*100/75*100 is 75.99999999999999,
# one band below the exact 76, and a met target of exactly 100 can read 99.99999999999997.
# Each figure is therefore ONE division of two products that are whole numbers, which a
# double holds exactly (below 2^53); IEEE 754 rounds that one division correctly, to the
# double nearest the exact figure, as kinerja.core.iku computes it: exactly 76 is 76.0 and
# the band lookup's <= holds, in Excel and in LibreOffice alike.
TARGET_DECIMALS = 4  # a target of up to 4 decimals (90, 87.5, 90.125) takes part exactly
_SCALE = 10**TARGET_DECIMALS


def _invited_times_target() -> str:
    """iku_diundang x iku_target x 10^4 as a whole number: the target in ten-thousandths
    (90.1 -> 901000, where 90.1 x 10^4 in doubles is 900999.99999999994). A target with
    more decimals stays as typed and lands within a few units of the last place."""
    target = f"IF(ROUND(iku_target,{TARGET_DECIMALS})=iku_target,ROUND(iku_target*{_SCALE},0),iku_target*{_SCALE})"
    return f"(iku_diundang*{target})"


def iku(sop: Sop) -> dict[str, str]:
    """The five computed names, as kinerja.core.iku computes them (DOMAIN.md):

    realisasi = hadir x 100 / diundang, i.e. hadir / diundang x 100;
    capaian (Naik) = hadir x 10^4 / (diundang x target), i.e. realisasi / target x 100;
    capaian (Turun) = (200 x diundang x target - hadir x 10^4) / (diundang x target),
    i.e. (1 + (1 - realisasi / target)) x 100; each numerator and denominator scaled by 10^4
    with the target (_invited_times_target)."""
    bands = column(sop, contract.PREDIKAT, PREDIKAT_LOWER)
    labels = column(sop, contract.PREDIKAT, PREDIKAT_LABEL)
    # Predikat: the band with the LARGEST lower bound <= the unrounded capaian, whatever
    # the order of the rows (Permendagri 86/2017 scale; 90.5 is Tinggi).
    best_band = f"SUMPRODUCT(MAX(({bands}<=iku_capaian)*{bands}))"
    dt = _invited_times_target()
    present = f"iku_hadir*{100 * 100 * _SCALE}"
    return {
        "iku_diundang": f"=SUM({column(sop, contract.DESA, DESA_INVITED)})",
        "iku_hadir": f"=SUMPRODUCT(--{_delegate(sop)})",
        "iku_realisasi": '=IF(N(iku_diundang)>0,iku_hadir*100/iku_diundang,"")',
        "iku_capaian": (
            '=IF(OR(iku_realisasi="",NOT(ISNUMBER(iku_target))),"",'
            'IF(iku_target<=0,"",'
            f"IF(iku_arah={text(contract.NAIK)},{present}/{dt},"
            f'IF(iku_arah={text(contract.TURUN)},(200*{dt}-{present})/{dt},""))))'
        ),
        "iku_predikat": (
            f'=IF(iku_capaian="","",IF(COUNTIF({bands},"<="&iku_capaian)=0,"",'
            f'IFERROR(INDEX({labels},MATCH({best_band},{bands},0)),"")))'
        ),
    }


def rekap_row(sop: Sop, layout: Layout, index: int) -> dict[str, str]:
    """Row ``index`` of tblRekapDesa mirrors row ``index`` of tblDesa."""
    desa = layout.table(contract.DESA)
    rekap = layout.table(contract.REKAP_DESA)
    # Relative references: every row then has the same formula in R1C1 terms, which Excel
    # expects of a table column (no "inconsistent formula" marks).
    name = _relative(desa.cell(DESA_NAME, index))
    invited = _relative(desa.cell(DESA_INVITED, index))
    here = {h: rekap.cell(h, index).ref for h in rekap.headers}
    same_desa = f"({column(sop, contract.DAFTAR_HADIR, HADIR_DESA)}={here[REKAP_DESA]})"
    return {
        REKAP_DESA: f'=IF({name}="","",{name})',
        REKAP_INVITED: f'=IF({invited}="","",{invited})',
        REKAP_PRESENT: f'=IF({here[REKAP_DESA]}="","",SUMPRODUCT({same_desa}*{_delegate(sop)}))',
        REKAP_PERCENT: (
            f"=IF(AND(ISNUMBER({here[REKAP_PRESENT]}),N({here[REKAP_INVITED]})>0),"
            f'{here[REKAP_PRESENT]}*100/{here[REKAP_INVITED]},"")'  # one division, as iku_realisasi
        ),
    }


def _relative(cell) -> str:
    return f"{cells.quote_sheet(cell.sheet)}!{cell.ref}"


def target_line(layout: Layout, index: int) -> str:
    """The chart's target: delegates a village must send to meet iku_target."""
    invited = layout.table(contract.REKAP_DESA).cell(REKAP_INVITED, index).ref
    return f'=IF(ISNUMBER({invited}),IFERROR({invited}*iku_target/100,""),"")'


# ---------------------------------------------------------------- tables
def input_ranges(place: TablePlace, table: TableDef, row: int) -> list[str]:
    """The input cells of one data row as contiguous ranges: $B13:$H13."""
    ranges: list[str] = []
    run: list[int] = []
    for col in [place.col(c.header) for c in table.input_columns] + [0]:
        if run and col != run[-1] + 1:
            ranges.append(f"${cells.col_letter(run[0])}{row}:${cells.col_letter(run[-1])}{row}")
            run = []
        if col:
            run.append(col)
    return ranges


def row_filled(place: TablePlace, table: TableDef, row: int) -> str:
    """True when any input cell of the row holds something (D5: else it is not a row)."""
    return "+".join(f"COUNTA({r})" for r in input_ranges(place, table, row)) + ">0"


def running_number(place: TablePlace, table: TableDef, row: int) -> str:
    """The No column: the row's number once the row has any input, else blank."""
    header = f"${cells.col_letter(place.col(NO))}${place.header_row}"
    return f'=IF({row_filled(place, table, row)},ROW()-ROW({header}),"")'


# ---------------------------------------------------------------- the ledger
def _ledger(sop: Sop) -> tuple[str, str]:
    return column(sop, contract.PERSETUJUAN, LEDGER_STEP), column(sop, contract.PERSETUJUAN, LEDGER_DECISION)


def condition(sop: Sop, key: str) -> str:
    """Ya once the sign-off `key` is in the ledger (a requirement of kind "signed")."""
    steps, _ = _ledger(sop)
    label = sop.signoff(key).label
    return f"=IF(SUMPRODUCT(--({steps}={text(label)}))>0,{text(CONDITION_MET)},{text(CONDITION_OPEN)})"


# ---------------------------------------------------------------- step sheets
def checklist(sop: Sop) -> dict[str, str]:
    """What the hand-over step checks (keys of layout.CHECKLIST): ✓ or ✗ and the count."""
    hadir = f"COUNT({column(sop, contract.DAFTAR_HADIR, NO)})"
    foto = f"COUNT({column(sop, contract.FOTO, NO)})"
    required = [n.name for n in sop.names_on(contract.BERITA_ACARA_SHEET) if n.required is True]
    filled = "(" + "+".join(f'(TRIM({n})<>"")' for n in required) + ")"
    return {
        "hadir": f'=IF({hadir}>0,"✓","✗")&" "&{hadir}&" baris terisi"',
        "berita_acara": f'=IF({filled}={len(required)},"✓","✗")&" "&{filled}&" dari {len(required)} isian wajib terisi"',
        "foto": f'=IF({foto}>=N(ref_min_foto),"✓","✗")&" "&{foto}&" foto (minimal "&ref_min_foto&")"',
    }


def summary(name: NameDef) -> str:
    """A figure shown again on a report sheet; blank while its source is blank."""
    if name.is_input:
        return f'=IF(ISBLANK({name.name}),"",{name.name})'
    return f"={name.name}"


# ---------------------------------------------------------------- conditional formats
def _empty(ref: str) -> str:
    return f'TRIM({ref})=""'


def required_name(sop: Sop, name: NameDef, ref: str, layout: Layout) -> str | None:
    """When a single value shows as missing: always, when the target is missed, or once a
    sign-off is recorded (the definition's ``required``)."""
    requirement = name.requirement
    if requirement.kind == "always":
        return _empty(ref)
    if requirement.kind == "target_missed":
        return f"AND(ISNUMBER(iku_capaian),iku_capaian<{_number(sop.target_met_at)},{_empty(ref)})"
    if requirement.kind == "signed":
        flag = layout.conditions[requirement.signoff]
        return f"AND(${cells.col_letter(flag.col)}${flag.row}={text(CONDITION_MET)},{_empty(ref)})"
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def required_cell(place: TablePlace, table: TableDef, col: Column) -> str | None:
    """For a column's first data cell (relative refs): empty although the row is used."""
    row = place.first_row
    ref = cells.a1(row, place.col(col.header))
    if col.required:
        return f"AND({_empty(ref)},{row_filled(place, table, row)})"
    if col.required_when:
        other = f"${cells.col_letter(place.col(col.required_when.column))}{row}"
        return f"AND({_empty(ref)},TRIM({other})={text(col.required_when.equals)})"
    return None


# ---------------------------------------------------------------- totals (on paper: D5)
def totals(sop: Sop, place: TablePlace) -> dict[str, str]:
    """The row right above a table's header: the number of filled rows beside the label,
    sums, and a percentage computed like the table's own (one division)."""
    spec = sop.table(place.name).totals
    assert spec is not None, place.name
    first = place.headers[0]
    count = f'COUNTIF({column(sop, place.name, first)},"?*")'
    label = f"{text(spec.label + ': ')}&{count}" + (f"&{text(' ' + spec.count)}" if spec.count else "")
    out = {first: "=" + label}
    for header in spec.sum:
        out[header] = f"=SUM({column(sop, place.name, header)})"
    if spec.percent:
        part = cells.a1(place.totals_row, place.col(spec.percent["part"]))
        whole = cells.a1(place.totals_row, place.col(spec.percent["whole"]))
        out[spec.percent["column"]] = f'=IF(N({whole})>0,{part}*100/{whole},"")'
    return out


def from_template(template: str, expressions: dict[str, str]) -> str:
    """A catalogue text with {placeholders} as a formula that joins its words and the
    given expressions: "NIP. {nip}" -> ="NIP. "&(expr). A line break is CHAR(10)."""
    import re

    parts = []
    for piece in re.split(r"(\{[a-z_]+\})", template):
        if not piece:
            continue
        if piece.startswith("{") and piece.endswith("}"):
            parts.append(f"({expressions[piece[1:-1]]})")
            continue
        for i, line in enumerate(piece.split("\n")):
            if i:
                parts.append("CHAR(10)")
            if line:
                parts.append(text(line))
    return "=" + "&".join(parts)
