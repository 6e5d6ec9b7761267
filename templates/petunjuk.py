"""The Petunjuk sheet: the SOP as the office knows it, where the work stands, how to use it.

The SOP table follows Permenpan RB 35/2012 (SOP Administrasi Pemerintahan): No, Kegiatan,
one column per performer (lane), then Mutu Baku (Kelengkapan, Waktu, Output) and
Keterangan. Each step's symbol is drawn in the cells of its lane(s): a capsule for start
and end, a box for a process, a diamond for a decision, arrows in the rows between. All of
it comes from the definition; changing a lane or a step is data.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.templates import styles
from kinerja.templates.toolcells import tool_initial
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core import cells, contract
from kinerja.core.sop import Sop, Step

LANE_WIDTH = 15
WIDTHS = {"no": 5, "kegiatan": 44, "kelengkapan": 24, "waktu": 11, "output": 24, "keterangan": 22}

HOW_TO_COMMAND = "kinerja validate BERKAS.xlsx"
STATUS_HEADING = "Status terkini"


@dataclass(frozen=True)
class Columns:
    """Column numbers of the SOP table: No, Kegiatan, the lanes, Mutu Baku, Keterangan."""

    lanes: dict[str, int]  # role key -> column

    no = 1
    kegiatan = 2

    @property
    def kelengkapan(self) -> int:
        return 3 + len(self.lanes)

    @property
    def waktu(self) -> int:
        return self.kelengkapan + 1

    @property
    def output(self) -> int:
        return self.kelengkapan + 2

    @property
    def keterangan(self) -> int:
        return self.kelengkapan + 3

    @classmethod
    def of(cls, sop: Sop) -> Columns:
        return cls({r.key: 3 + i for i, r in enumerate(sop.roles)})


def write(ws: Worksheet, sop: Sop) -> dict[str, str]:
    """Draw the sheet; returns the cells of its tool-written names (to define)."""
    cols = Columns.of(sop)
    row = _title(ws, sop, cols)
    row = _sop_table(ws, sop, cols, row + 1)
    row, names = _status(ws, sop, cols, row + 1)
    _how_to(ws, sop, cols, row + 1)
    _widths(ws, cols)
    return names


def _title(ws: Worksheet, sop: Sop, cols: Columns) -> int:
    last = cols.keterangan
    _merged(ws, 1, 1, last, sop.title, font=styles.TITLE)
    _merged(ws, 2, 1, last, '="Kecamatan "&ref_kecamatan&", "&ref_kabupaten', font=styles.HEADING)
    _merged(ws, 3, 1, last, '="Tahun "&ref_tahun', font=styles.HEADING)
    _merged(ws, 4, 1, last, f"Format: {sop.basis}", font=styles.SUBTITLE)
    return 5


def _sop_table(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> int:
    first_lane, last_lane = min(cols.lanes.values()), max(cols.lanes.values())
    top, sub = row, row + 1
    _header(ws, top, cols.no, "No", rows=2)
    _header(ws, top, cols.kegiatan, "Kegiatan", rows=2)
    _header(ws, top, first_lane, "Pelaksana", last_col=last_lane)
    _header(ws, top, cols.kelengkapan, "Mutu Baku", last_col=cols.output)
    _header(ws, top, cols.keterangan, "Keterangan", rows=2)
    for role in sop.roles:
        _header(ws, sub, cols.lanes[role.key], role.lane)
    for col, label in ((cols.kelengkapan, "Kelengkapan"), (cols.waktu, "Waktu"), (cols.output, "Output")):
        _header(ws, sub, col, label)
    row = sub + 1
    for i, step in enumerate(sop.steps):
        _step_row(ws, sop, cols, step, row)
        row += 1
        if i + 1 < len(sop.steps):
            _connector(ws, sop, cols, step, sop.steps[i + 1], row)
            row += 1
    _total(ws, sop, cols, row)
    return row + 2


def _step_row(ws: Worksheet, sop: Sop, cols: Columns, step: Step, row: int) -> None:
    _boxed(ws, row, cols.no, step.no, styles.CENTER)
    _boxed(ws, row, cols.kegiatan, step.activity, styles.WRAP)
    for col in cols.lanes.values():
        ws.cell(row, col).border = styles.LANE_BORDER
    previous = None
    for key in step.lanes:
        col = cols.lanes[key]
        previous_col = cols.lanes[previous] if previous else None
        cell = ws.cell(row, col, _symbol_text(sop, step, key, previous_col, col))
        cell.fill = styles.SYMBOL_FILLS[step.symbol]
        cell.border = styles.SYMBOL_BORDER
        cell.alignment = styles.CENTER
        cell.font = styles.LABEL
        previous = key
    note = step.note
    if step.decision:
        _loop_back(ws, sop, cols, step, row)
        note = "; ".join(
            filter(None, [note, f"{step.decision.no_label} (kembali ke langkah {step.decision.no_goes_to})"])
        )
    _boxed(ws, row, cols.kelengkapan, step.inputs, styles.WRAP)
    _boxed(ws, row, cols.waktu, step.time, styles.CENTER)
    _boxed(ws, row, cols.output, step.output, styles.WRAP)
    _boxed(ws, row, cols.keterangan, note, styles.WRAP)
    texts = [
        (step.activity, WIDTHS["kegiatan"]),
        (step.inputs, WIDTHS["kelengkapan"]),
        (step.output, WIDTHS["output"]),
        (note, WIDTHS["keterangan"]),
    ]
    texts += [(str(ws.cell(row, c).value or ""), LANE_WIDTH) for c in cols.lanes.values()]
    ws.row_dimensions[row].height = max(styles.height_for(t, w) for t, w in texts) + 6


def _symbol_text(sop: Sop, step: Step, lane: str, previous_col: int | None, col: int) -> str:
    """What the symbol says: ( Mulai ) / ( Selesai ) in the capsule, the question in the
    diamond, the short activity in a box; a second lane gets the arrow that reaches it."""
    if previous_col is not None:
        arrow = "◄──" if col < previous_col else "──►"
        return f"{arrow} {sop.role(lane).peran}"
    if step.symbol == "start":
        return "( Mulai )"
    if step.symbol == "end":
        return "( Selesai )"
    if step.symbol == "decision" and step.decision:
        return f"◆ {step.decision.question} ◆"
    return step.short


def _loop_back(ws: Worksheet, sop: Sop, cols: Columns, step: Step, row: int) -> None:
    """The decision's "no" path: an arrow from the diamond into the lane of the step it
    returns to, pointing up to that step."""
    decision = step.decision
    assert decision is not None
    here = cols.lanes[step.lanes[0]]
    there = cols.lanes[sop.step(decision.no_goes_to).lanes[0]]
    if there == here:
        return  # same lane: the Keterangan column says it
    arrow = f"◄── {decision.no}" if there < here else f"{decision.no} ──►"
    cell = ws.cell(row, there, f"{arrow}\n▲ ke langkah {decision.no_goes_to}")
    cell.alignment = styles.CENTER
    cell.font = styles.NOTE


def _connector(ws: Worksheet, sop: Sop, cols: Columns, step: Step, following: Step, row: int) -> None:
    """The arrow from a step to the next: ↓ in the same lane, └──► / ◄──┘ across lanes."""
    start = cols.lanes[step.lanes[-1]]
    end = cols.lanes[following.lanes[0]]
    for col in cols.lanes.values():
        ws.cell(row, col).border = styles.LANE_BORDER
    lane = sop.role(following.lanes[0]).lane
    if start == end:
        label = f"↓ {step.decision.yes}" if step.decision else "↓"
        _merged(ws, row, start, start, label, alignment=styles.CENTER)
    elif start < end:
        _merged(ws, row, start, end, f"└──────► {lane}", alignment=styles.LEFT)
    else:
        _merged(ws, row, end, start, f"{lane} ◄──────┘", alignment=styles.RIGHT)
    ws.row_dimensions[row].height = 18


def _total(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> None:
    _boxed(ws, row, cols.kegiatan, "Jumlah waktu (mutu baku)", styles.LEFT).font = styles.LABEL
    _merged(ws, row, cols.waktu, cols.output, minutes_text(sop.total_minutes), font=styles.LABEL, alignment=styles.LEFT)


def minutes_text(minutes: int) -> str:
    """170 -> "170 menit (2 jam 50 menit)"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} menit"
    parts = [f"{hours} jam"] + ([f"{rest} menit"] if rest else [])
    return f"{minutes} menit ({' '.join(parts)})"


def _status(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> tuple[int, dict[str, str]]:
    """Where the work stands: the definition's tool-written names of this sheet, written
    by the ledger at every sign-off and by `validate --write` (values, never formulas)."""
    ws.cell(row, cols.no, STATUS_HEADING).font = styles.HEADING
    names = {}
    current = row + 1
    for name in sop.names_on(contract.PETUNJUK):
        ws.cell(current, cols.kegiatan, name.label).font = styles.LABEL
        cell = _merged(ws, current, 3, cols.keterangan, tool_initial(sop, name.name), alignment=styles.LEFT)
        cell.fill = styles.COMPUTED_FILL
        names[name.name] = cell.coordinate
        current += 1
    return current, names


def _how_to(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> int:
    ws.cell(row, cols.no, "Cara memakai").font = styles.HEADING
    row += 1
    for sheet in sop.sheets:
        if sheet.kind in ("guide", "meta"):
            continue
        who = ", ".join(sop.role(k).peran for k in sheet.filled_by)
        text = f"Diisi oleh {who}: {sheet.holds}." if who else f"{sheet.holds}."
        ws.cell(row, cols.kegiatan, sheet.name).font = styles.LABEL
        _merged(ws, row, 3, cols.keterangan, text, alignment=styles.LEFT)
        row += 1
    tips = [
        "Ketik hanya di sel berwarna kuning; sel abu-abu dihitung otomatis; sel merah muda wajib diisi.",
        f"Periksa isian dengan perintah: {HOW_TO_COMMAND} (hasilnya di lembar {contract.HASIL_SHEET}).",
        f"Lembar {contract.PERSETUJUAN_SHEET} diisi alat saat tanda tangan; jangan diubah dengan tangan.",
        "Simbol: ( ) mulai/selesai, kotak = kegiatan, ◆ = keputusan, panah = alur.",
    ]
    for tip in tips:
        _merged(ws, row, cols.kegiatan, cols.keterangan, tip, alignment=styles.LEFT)
        row += 1
    return row


def _widths(ws: Worksheet, cols: Columns) -> None:
    for key, width in WIDTHS.items():
        ws.column_dimensions[cells.col_letter(getattr(cols, key))].width = width
    for col in cols.lanes.values():
        ws.column_dimensions[cells.col_letter(col)].width = LANE_WIDTH


# ---------------------------------------------------------------- cell helpers
def _header(ws: Worksheet, row: int, col: int, text: str, rows: int = 1, last_col: int | None = None) -> None:
    last_col = last_col or col
    for r in range(row, row + rows):
        for c in range(col, last_col + 1):
            cell = ws.cell(r, c)
            cell.fill = styles.HEADER_FILL
            cell.font = styles.HEADER
            cell.border = styles.BOX
            cell.alignment = styles.CENTER
    ws.cell(row, col, text)
    if rows > 1 or last_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=last_col)


def _boxed(ws: Worksheet, row: int, col: int, value, alignment):
    cell = ws.cell(row, col, value)
    cell.border = styles.BOX
    cell.alignment = alignment
    return cell


def _merged(ws: Worksheet, row: int, first: int, last: int, value, font=None, alignment=None):
    cell = ws.cell(row, first, value)
    if font:
        cell.font = font
    cell.alignment = alignment or styles.LEFT
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell
