"""The Petunjuk sheet: the SOP as the official document, where the work stands, how to use it.

It prints as the SOP AP format of Permenpan RB 35/2012 asks: the first page is the SOP's
identity (the office's kop with its optional logo; Nomor SOP, Tanggal Pembuatan, Revisi
and Efektif, Disahkan oleh with the Camat's name and NIP, Nama SOP; then the six boxes
Dasar Hukum, Kualifikasi Pelaksana, Keterkaitan, Peralatan/Perlengkapan, Peringatan,
Pencatatan dan Pendataan), every value a live formula on the office's own entries in
Referensi; the second page is the flowchart table: No, Kegiatan, one lane per performer,
Mutu Baku (Kelengkapan, Waktu, Output) and Keterangan.

Each lane is four narrow columns (margin, centre-left, centre-right, margin), so a
symbol fills the two centre columns and a flow line is a cell border: down the centre of
a lane, across at the foot of a step's connector rows, back up the edge of a lane for
the decision's 'Tidak' loop. Lines drawn as borders join from row to row, on screen and
on paper, in Excel and in LibreOffice alike, where text arrows in separate cells never
read as one line. Everything comes from the definition and the catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kinerja.templates import formulas, styles
from kinerja.templates.toolcells import tool_initial
from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core import cells, contract, paper
from kinerja.core.findings import text
from kinerja.core.sop import Sop, Step

# Column widths (characters). A lane's four columns: margin, centre-left, centre-right,
# margin; a symbol fills the centre two.
LANE_PARTS = (2.5, 7.5, 7.5, 2.5)
WIDTHS = {"no": 5, "kegiatan": 42, "kelengkapan": 22, "waktu": 10, "output": 22, "keterangan": 22}

HOW_TO_COMMAND = "kinerja validate BERKAS.xlsx"
STATUS_HEADING = "Status terkini"
EMPTY_LINE = "…………………………"  # a line to write on, where the office has not filled a date
SIGNATURE_HEIGHT = 42  # points of room for the Camat's signature and stamp
CONNECTOR_HEIGHTS = (14, 12)  # the line row and the arrowhead row under each step
LOGO_ROWS = 5  # the kop's top rows, where the logo stands
KOP_LAST = 2  # the kop fills columns No and Kegiatan

_LINE = Side(style="medium", color="1F3864")
_GRID = Side(style="thin", color="BFBFBF")


@dataclass(frozen=True)
class Columns:
    """Column numbers of the SOP table: No, Kegiatan, the lanes, Mutu Baku, Keterangan."""

    lanes: dict[str, int]  # role key -> the lane's first column

    no = 1
    kegiatan = 2

    def lane(self, key: str) -> tuple[int, int, int, int]:
        """A lane's margin, centre-left, centre-right and margin columns."""
        first = self.lanes[key]
        return first, first + 1, first + 2, first + 3

    @property
    def first_lane(self) -> int:
        return min(self.lanes.values())

    @property
    def last_lane(self) -> int:
        return max(self.lanes.values()) + len(LANE_PARTS) - 1

    @property
    def kelengkapan(self) -> int:
        return self.last_lane + 1

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
        return cls({r.key: 3 + i * len(LANE_PARTS) for i, r in enumerate(sop.roles)})


@dataclass
class Written:
    """What the builder needs after the sheet is drawn."""

    names: dict[str, str]  # tool-written names -> cell
    breaks: list[int]  # rows after which a new page starts
    last_row: int  # the last row the sheet prints
    last_col: int
    logo_box: tuple[int, int, int, int]  # rows and columns the logo is centred in
    sop_rows: tuple[int, int]  # the SOP document: identity page(s) and flowchart


@dataclass
class _Borders:
    """Cell sides, collected and applied once (a cell has one Border object)."""

    sides: dict[tuple[int, int], dict[str, Side]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, row: int, col: int, **sides: Side) -> None:
        self.sides[(row, col)].update(sides)

    def box(self, r1: int, c1: int, r2: int, c2: int, side: Side) -> None:
        for c in range(c1, c2 + 1):
            self.add(r1, c, top=side)
            self.add(r2, c, bottom=side)
        for r in range(r1, r2 + 1):
            self.add(r, c1, left=side)
            self.add(r, c2, right=side)

    def apply(self, ws: Worksheet) -> None:
        for (row, col), sides in self.sides.items():
            cell = ws.cell(row, col)
            old = cell.border
            cell.border = Border(
                left=sides.get("left", old.left),
                right=sides.get("right", old.right),
                top=sides.get("top", old.top),
                bottom=sides.get("bottom", old.bottom),
            )


def write(ws: Worksheet, sop: Sop, values: dict[str, Any], logo: bool = False) -> Written:
    """Draw the sheet; ``values`` are the workbook's inputs at build time (for the
    heights of rows whose text comes from Referensi); ``logo``: the kop leaves room for
    the office's logo above its name."""
    cols = Columns.of(sop)
    borders = _Borders()
    last = cols.keterangan
    identity_end = _identity(ws, sop, cols, values, borders, logo)
    row = _title(ws, sop, cols, identity_end + 1)
    row = _sop_table(ws, sop, cols, row + 1, borders)
    flowchart_end = row - 2
    row, names = _status(ws, sop, cols, row)
    row = _legend(ws, sop, cols, row + 1)
    row = _how_to(ws, sop, cols, row + 1)
    borders.apply(ws)
    _widths(ws, cols)
    return Written(
        names=names,
        breaks=[identity_end, flowchart_end],
        last_row=row - 1,
        last_col=last,
        logo_box=(1, LOGO_ROWS, 1, KOP_LAST),
        sop_rows=(1, flowchart_end),
    )


# ---------------------------------------------------------------- page 1: the identity
def _identity(ws: Worksheet, sop: Sop, cols: Columns, values: dict[str, Any], borders: _Borders, logo: bool) -> int:
    """The identity block of the SOP AP format; returns its last row."""
    label_first, label_last = KOP_LAST + 1, cols.first_lane + 2 * len(LANE_PARTS) - 1
    value_first, value_last = label_last + 1, cols.keterangan
    value_width = _span(cols, value_first, value_last)
    side = styles.IDENTITY_SIDE

    def label(row: int, name: str, rows: int = 1) -> None:
        _merged(ws, row, label_first, label_last, sop.name(name).label, font=styles.LABEL, last_row=row + rows - 1)
        borders.box(row, label_first, row + rows - 1, label_last, side)
        borders.box(row, value_first, row + rows - 1, value_last, side)

    def value(row: int, formula: str | None, fmt: str | None = None, font=None, align=None) -> None:
        cell = _merged(ws, row, value_first, value_last, formula, font=font, alignment=align or styles.LEFT)
        if fmt:
            cell.number_format = fmt

    rows = [
        ("sop_nomor", f'=IF(TRIM(sop_nomor)="","{EMPTY_LINE}",sop_nomor)', None),
        ("sop_tanggal_pembuatan", _date_formula("sop_tanggal_pembuatan", EMPTY_LINE), styles.DATE_FORMAT),
        ("sop_tanggal_revisi", _date_formula("sop_tanggal_revisi", _t("SOP_TANPA_REVISI")), styles.DATE_FORMAT),
        ("sop_tanggal_efektif", _date_formula("sop_tanggal_efektif", EMPTY_LINE), styles.DATE_FORMAT),
    ]
    row = 1
    for name, formula, fmt in rows:
        label(row, name)
        value(row, formula, fmt)
        ws.row_dimensions[row].height = 20
        row += 1
    # Disahkan oleh: the Camat's title, room to sign and stamp, the name, the NIP.
    camat = next(r for r in sop.roles if r.key == "camat")
    label(row, "sop_disahkan_nama", rows=4)
    pengesah = _t("SOP_PENGESAH").replace("{jabatan}", camat.jabatan.upper())
    value(row, formulas.from_template(pengesah, {"kecamatan": "UPPER(ref_kecamatan)"}), align=styles.CENTER)
    ws.row_dimensions[row].height = 20
    value(row + 1, None)
    ws.row_dimensions[row + 1].height = SIGNATURE_HEIGHT
    value(
        row + 2, _official("sop_disahkan_nama", camat.peran, contract.P_NAMA), font=styles.SIGNER, align=styles.CENTER
    )
    ws.row_dimensions[row + 2].height = 18
    nip = formulas.from_template(_t("SOP_NIP"), {"nip": _official("sop_disahkan_nip", camat.peran, contract.P_NIP)[1:]})
    value(row + 3, nip, align=styles.CENTER)
    ws.row_dimensions[row + 3].height = 18
    row += 4
    label(row, "sop_nama")
    value(row, '=UPPER(""&sop_nama)', font=styles.LABEL, align=styles.LEFT)
    ws.row_dimensions[row].height = paper.height_for(str(values.get("sop_nama", "")).upper(), value_width, 30) + 4
    head_last = row
    # The kop: the office's name and address, under its logo when there is one.
    kop = formulas.from_template(
        _t("SOP_KOP"),
        {"kabupaten": "UPPER(ref_kabupaten)", "kecamatan": "UPPER(ref_kecamatan)", "alamat": "ref_alamat"},
    )
    kop_first = LOGO_ROWS + 1 if logo else 1
    _merged(ws, kop_first, 1, KOP_LAST, kop, font=styles.KOP, alignment=styles.KOP_ALIGN, last_row=head_last)
    if logo:
        _merged(ws, 1, 1, KOP_LAST, None, last_row=LOGO_ROWS)
    borders.box(1, 1, head_last, KOP_LAST, side)
    # The six boxes, two by two.
    boxes = (
        ("sop_dasar_hukum", "sop_kualifikasi"),
        ("sop_keterkaitan", "sop_peralatan"),
        ("sop_peringatan", "sop_pencatatan"),
    )
    middle = cols.first_lane + 3 * len(LANE_PARTS) - 1
    halves = ((1, middle), (middle + 1, cols.keterangan))
    row = head_last + 1
    for pair in boxes:
        heights = []
        for (first, last), name in zip(halves, pair, strict=True):
            _merged(ws, row, first, last, sop.name(name).label + ":", font=styles.LABEL)
            _merged(ws, row + 1, first, last, f'=""&{name}', alignment=styles.WRAP)
            borders.box(row, first, row + 1, last, side)
            heights.append(paper.height_for(values.get(name, ""), _span(cols, first, last)))
        ws.row_dimensions[row].height = 18
        ws.row_dimensions[row + 1].height = max(heights) + 4
        row += 2
    return row - 1


def _date_formula(name: str, empty: str) -> str:
    return f'=IF(ISNUMBER({name}),{name},"{empty}")'


def _official(name: str, peran: str, column: str) -> str:
    """The value typed in Referensi, else the first official of that role in tblPejabat,
    else a line to write on."""
    table = f"{contract.PEJABAT}[{column}]"
    listed = f'IFERROR(""&INDEX({table},MATCH({formulas.text(peran)},{contract.PEJABAT}[{contract.P_PERAN}],0)),"")'
    return f'=IF(TRIM({name})<>"",""&{name},IF({listed}<>"",{listed},"{EMPTY_LINE}"))'


# ---------------------------------------------------------------- page 2: the flowchart
def _title(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> int:
    last = cols.keterangan
    _merged(ws, row, 1, last, sop.title, font=styles.TITLE)
    _merged(ws, row + 1, 1, last, '="Kecamatan "&ref_kecamatan&", "&ref_kabupaten', font=styles.HEADING)
    _merged(ws, row + 2, 1, last, '="Tahun "&ref_tahun', font=styles.HEADING)
    for r, points in ((row, 20), (row + 1, 17), (row + 2, 17)):  # 14-pt and 12-pt lines
        ws.row_dimensions[r].height = points
    _merged(ws, row + 3, 1, last, f"{_t('SOP_BAGAN')} · Format: {sop.basis}", font=styles.SUBTITLE)
    return row + 4


def _sop_table(ws: Worksheet, sop: Sop, cols: Columns, row: int, borders: _Borders) -> int:
    top, sub = row, row + 1
    _header(ws, top, cols.no, "No", rows=2)
    _header(ws, top, cols.kegiatan, "Kegiatan", rows=2)
    _header(ws, top, cols.first_lane, "Pelaksana", last_col=cols.last_lane)
    _header(ws, top, cols.kelengkapan, "Mutu Baku", last_col=cols.output)
    _header(ws, top, cols.keterangan, "Keterangan", rows=2)
    for role in sop.roles:
        first, *_, last = cols.lane(role.key)
        _header(ws, sub, first, role.lane, last_col=last)
    for col, label in ((cols.kelengkapan, "Kelengkapan"), (cols.waktu, "Waktu"), (cols.output, "Output")):
        _header(ws, sub, col, label)
    row = sub + 1
    blocks: dict[int, tuple[int, int]] = {}  # step -> (first row, symbol's lower row)
    for i, step in enumerate(sop.steps):
        following = sop.steps[i + 1] if i + 1 < len(sop.steps) else None
        blocks[step.no] = (row, row + 1)
        row = _step_block(ws, sop, cols, step, following, row, borders)
    for r in range(sub + 1, row):  # the lanes' own thin edges, under the flow lines
        for role in sop.roles:
            first, *_, last = cols.lane(role.key)
            borders.add(r, first, left=_GRID)
            borders.add(r, last, right=_GRID)
    for step in sop.steps:
        if step.decision:
            _loop_back(ws, sop, cols, step, blocks, borders)
    _total(ws, sop, cols, row)
    return row + 2


def _step_block(
    ws: Worksheet, sop: Sop, cols: Columns, step: Step, following: Step | None, row: int, borders: _Borders
) -> int:
    """One step: its symbol(s) on two rows, then (unless it is the last) the two rows of
    its connector; the table's other columns merged over the whole block."""
    rows = 4 if following else 2
    last_row = row + rows - 1
    note = step.note
    if step.decision:
        note = "; ".join(
            filter(None, [note, f"{step.decision.no_label} (kembali ke langkah {step.decision.no_goes_to})"])
        )
    for col, value, align in (
        (cols.no, step.no, styles.CENTER),
        (cols.kegiatan, step.activity, styles.WRAP),
        (cols.kelengkapan, step.inputs, styles.WRAP),
        (cols.waktu, step.time, styles.CENTER),
        (cols.output, step.output, styles.WRAP),
        (cols.keterangan, note, styles.WRAP),
    ):
        _merged(ws, row, col, col, value, alignment=align, last_row=last_row)
        borders.box(row, col, last_row, col, styles.THIN_SIDE)
    for c in range(cols.first_lane, cols.last_lane + 1):
        borders.add(last_row, c, bottom=_GRID)
    # The symbols: one per lane of the step, each joined to the one before by an arrow.
    labels = step.lane_labels or (step.short,) * len(step.lanes)
    previous: tuple[int, int] | None = None
    for index, key in enumerate(step.lanes):
        _, centre_left, centre_right, _ = cols.lane(key)
        label = _symbol_text(step, labels[index] if index < len(labels) else step.short)
        cell = _merged(ws, row, centre_left, centre_right, label, font=styles.SYMBOL_FONT, last_row=row + 1)
        cell.alignment = styles.CENTER
        for r in (row, row + 1):
            for c in (centre_left, centre_right):
                ws.cell(r, c).fill = styles.SYMBOL_FILLS[step.symbol]
        borders.box(row, centre_left, row + 1, centre_right, styles.SYMBOL_SIDE)
        if previous is not None:
            _across(ws, borders, row, previous, (centre_left, centre_right))
        previous = (centre_left, centre_right)
    # Texts set the height; the two symbol rows share what the connector rows leave.
    widths = [
        (step.activity, WIDTHS["kegiatan"]),
        (step.inputs, WIDTHS["kelengkapan"]),
        (step.output, WIDTHS["output"]),
        (note, WIDTHS["keterangan"]),
    ]
    symbol_width = LANE_PARTS[1] + LANE_PARTS[2]
    need = max(paper.height_for(t, w) for t, w in widths) + 6
    symbols = max(paper.height_for(_symbol_text(step, t), symbol_width, font_size=10) for t in labels) + 8
    connectors = sum(CONNECTOR_HEIGHTS) if following else 0
    half = max((need - connectors) / 2, symbols / 2, 16)
    ws.row_dimensions[row].height = half
    ws.row_dimensions[row + 1].height = half
    if following:
        ws.row_dimensions[row + 2].height = CONNECTOR_HEIGHTS[0]
        ws.row_dimensions[row + 3].height = CONNECTOR_HEIGHTS[1]
        _connector(ws, sop, cols, step, following, row + 2, borders)
    return last_row + 1


def _across(ws: Worksheet, borders: _Borders, row: int, before: tuple[int, int], after: tuple[int, int]) -> None:
    """An arrow along the middle of a step (the border between its two rows) from one
    symbol's side to the next symbol's side, its head against the next symbol."""
    right = after[0] > before[1]
    span = range(before[1] + 1, after[0]) if right else range(after[1] + 1, before[0])
    for c in span:
        borders.add(row, c, bottom=_LINE)
    head = ws.cell(row, after[0] - 1 if right else after[1] + 1, "►" if right else "◄")
    head.alignment = styles.HEAD_RIGHT if right else styles.HEAD_LEFT
    head.font = styles.ARROW


def _symbol_text(step: Step, label: str) -> str:
    """What the symbol says: ( Mulai ) / ( Selesai ) in the capsule, the question in the
    diamond, the short activity in a box."""
    if step.symbol == "start":
        return f"( Mulai )\n{label}"
    if step.symbol == "end":
        return f"( Selesai )\n{label}"
    if step.symbol == "decision" and step.decision:
        return f"◆ {step.decision.question} ◆"
    return label


def _connector(ws: Worksheet, sop: Sop, cols: Columns, step: Step, following: Step, row: int, borders) -> None:
    """The line from a step to the next: down the centre of its lane, across at the foot
    of the first connector row when the next step is in another lane, and the arrowhead
    over the next symbol, in the centre of its lane."""
    _, src_left, src_right, _ = cols.lane(step.lanes[-1])
    _, dst_left, dst_right, _ = cols.lane(following.lanes[0])
    borders.add(row, src_left, right=_LINE)  # down from the symbol
    if dst_left > src_left:  # across to the right, from centre to centre
        for c in range(src_right, dst_left + 1):
            borders.add(row, c, bottom=_LINE)
    elif dst_left < src_left:
        for c in range(dst_right, src_left + 1):
            borders.add(row, c, bottom=_LINE)
    head = _merged(ws, row + 1, dst_left, dst_right, "▼", alignment=styles.HEAD_DOWN)
    head.font = styles.ARROW
    if step.decision:
        label = ws.cell(row, src_right, step.decision.yes)
        label.font, label.alignment = styles.FLOW_LABEL, styles.LEFT


def _loop_back(ws: Worksheet, sop: Sop, cols: Columns, step: Step, blocks, borders: _Borders) -> None:
    """The decision's "no" path: from the diamond's side along the middle of its step to
    the edge of the lane it returns to, up that edge, and into the earlier step's symbol
    from the side, arrowhead and all: the SOP's one loop (consult Kasi Ekbang again)."""
    decision = step.decision
    assert decision is not None
    here = cols.lanes[step.lanes[0]]
    target = sop.step(decision.no_goes_to)
    there = cols.lanes[target.lanes[0]]
    if there == here:
        return  # same lane: the Keterangan column says it
    decision_row, _ = blocks[step.no]
    target_row, _ = blocks[target.no]
    edge = there if there < here else there + len(LANE_PARTS) - 1  # the lane's margin column
    side = "left" if there < here else "right"
    # along the middle of the decision's step: from the diamond to the lane's edge
    _, _, centre_right_here, _ = cols.lane(step.lanes[0])
    span = range(edge, here + 1) if there < here else range(centre_right_here + 1, edge + 1)
    for c in span:
        borders.add(decision_row, c, bottom=_LINE)
    # up the edge of the target lane, to the middle of the earlier step
    for r in range(target_row + 1, decision_row + 1):
        borders.add(r, edge, **{side: _LINE})
    borders.add(target_row, edge, bottom=_LINE)
    head = ws.cell(target_row, edge, "►" if side == "left" else "◄")
    head.alignment = styles.HEAD_RIGHT if side == "left" else styles.HEAD_LEFT
    head.font = styles.ARROW
    _, centre_left_there, centre_right_there, _ = cols.lane(target.lanes[0])
    label_col = centre_right_there if there < here else centre_left_there
    label = ws.cell(decision_row, label_col, decision.no)
    label.font, label.alignment = styles.FLOW_LABEL, styles.BOTTOM


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


# ---------------------------------------------------------------- page 3: status, colours, how to
def _status(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> tuple[int, dict[str, str]]:
    """Where the work stands: the definition's tool-written names of this sheet, written
    by the ledger at every sign-off and by `validate --write` (values, never formulas)."""
    ws.cell(row, cols.no, STATUS_HEADING).font = styles.HEADING
    names = {}
    current = row + 1
    first_value = cols.first_lane
    for name in sop.names_on(contract.PETUNJUK):
        ws.cell(current, cols.kegiatan, name.label).font = styles.LABEL
        cell = _merged(ws, current, first_value, cols.keterangan, tool_initial(sop, name.name), alignment=styles.LEFT)
        cell.fill = styles.COMPUTED_FILL
        names[name.name] = cell.coordinate
        current += 1
    return current, names


def _legend(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> int:
    """What each colour means: where to type, what is computed, what is required, and a
    finding's level as `validate --write` marks it (never the 'wajib diisi' pink)."""
    ws.cell(row, cols.no, _t("LEGENDA_JUDUL")).font = styles.HEADING
    row += 1
    for code, fill in styles.LEGEND:
        name, _, meaning = _t(code).partition(": ")
        swatch = ws.cell(row, cols.kegiatan, name)
        swatch.fill, swatch.border, swatch.font = fill, styles.BOX, styles.LABEL
        _merged(ws, row, cols.first_lane, cols.keterangan, meaning, alignment=styles.LEFT)
        row += 1
    symbols = _t("LEGENDA_SIMBOL")
    _merged(ws, row, cols.kegiatan, cols.keterangan, symbols, alignment=styles.LEFT)
    ws.row_dimensions[row].height = paper.height_for(symbols, _span(cols, cols.kegiatan, cols.keterangan))
    return row + 1


def _how_to(ws: Worksheet, sop: Sop, cols: Columns, row: int) -> int:
    ws.cell(row, cols.no, "Cara memakai").font = styles.HEADING
    row += 1
    for sheet in sop.sheets:
        if sheet.kind in ("guide", "meta"):
            continue
        who = ", ".join(sop.role(k).peran for k in sheet.filled_by)
        line = f"Diisi oleh {who}: {sheet.holds}." if who else f"{sheet.holds}."
        ws.cell(row, cols.kegiatan, sheet.name).font = styles.LABEL
        _merged(ws, row, cols.first_lane, cols.keterangan, line, alignment=styles.LEFT)
        row += 1
    tips = [
        f"Periksa isian dengan perintah: {HOW_TO_COMMAND} (hasilnya di lembar {contract.HASIL_SHEET}).",
        f"Lembar {contract.PERSETUJUAN_SHEET} diisi alat saat tanda tangan; jangan diubah dengan tangan.",
        _t("PETUNJUK_CETAK"),
    ]
    for tip in tips:
        _merged(ws, row, cols.kegiatan, cols.keterangan, tip, alignment=styles.LEFT)
        row += 1
    return row


def _widths(ws: Worksheet, cols: Columns) -> None:
    for key, width in WIDTHS.items():
        ws.column_dimensions[cells.col_letter(getattr(cols, key))].width = width
    for first in cols.lanes.values():
        for i, width in enumerate(LANE_PARTS):
            ws.column_dimensions[cells.col_letter(first + i)].width = width


def _span(cols: Columns, first: int, last: int) -> float:
    """Characters across columns first..last of this sheet."""
    widths = {getattr(cols, k): w for k, w in WIDTHS.items()}
    for lane in cols.lanes.values():
        widths.update({lane + i: w for i, w in enumerate(LANE_PARTS)})
    return sum(widths.get(c, 9) for c in range(first, last + 1))


def _t(code: str) -> str:
    """A catalogue text as the workbook shows it (Indonesian); placeholders stay as
    written, for formulas.from_template to fill with live references."""
    return text(code).pesan


# ---------------------------------------------------------------- cell helpers
def _header(ws: Worksheet, row: int, col: int, label: str, rows: int = 1, last_col: int | None = None) -> None:
    last_col = last_col or col
    for r in range(row, row + rows):
        for c in range(col, last_col + 1):
            cell = ws.cell(r, c)
            cell.fill = styles.HEADER_FILL
            cell.font = styles.HEADER
            cell.border = styles.BOX
            cell.alignment = styles.CENTER
    ws.cell(row, col, label)
    if rows > 1 or last_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=last_col)


def _boxed(ws: Worksheet, row: int, col: int, value, alignment):
    cell = ws.cell(row, col, value)
    cell.border = styles.BOX
    cell.alignment = alignment
    return cell


def _merged(ws: Worksheet, row: int, first: int, last: int, value, font=None, alignment=None, last_row=None):
    last_row = last_row or row
    cell = ws.cell(row, first, value)
    if font:
        cell.font = font
    cell.alignment = alignment or styles.LEFT
    if last > first or last_row > row:
        ws.merge_cells(start_row=row, start_column=first, end_row=last_row, end_column=last)
    return cell
