"""Where everything goes: the cell of every defined name and the range of every table.

Computed from the SOP definition alone, deterministically, so that the builder, the tests
and anyone debugging a workbook agree on positions without a cell address written twice.
Outside readers never need these positions: they find data by name (the contract); the
layout only decides where the names point.

Every content sheet reads top to bottom: a title and what the sheet holds; on step sheets
the SOP row of that step; computed blocks (the hand-over checklist, the summary for the
leaders); the single values in their definition groups as label (column A) / value
(column B) rows; then the sheet's tables side by side, with nothing below them (D5).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from kinerja.core import cells, contract
from kinerja.core.sop import Sop

LABEL_COL = 1
VALUE_COL = 2
TITLE_ROW = 1
SUBTITLE_ROW = 2
FIRST_CONTENT_ROW = 4

VALUE_MIN_WIDTH = 60  # characters a value cell spans at least (merged across columns)
WIDE_VALUE = 70  # column B on sheets without tables
GAP_WIDTH = 3  # the blank column between tables side by side
DEFAULT_WIDTH = 9  # what Excel gives a column nobody sized
# Frozen rows are always visible: freeze only when the table header is near the top,
# or a laptop screen would show nothing but the frozen part.
FREEZE_MAX_HEADER_ROW = 12

# The SOP row that opens each step sheet (contract: "Each step sheet (1a–6) opens with its
# SOP row"): key, label.
SOP_ROW = (
    ("kegiatan", "Kegiatan"),
    ("pelaksana", "Pelaksana"),
    ("kelengkapan", "Kelengkapan"),
    ("waktu", "Waktu"),
    ("output", "Output"),
    ("status", "Tanda tangan"),
)
# What the hand-over step checks before the evidence leaves Kasi Ekbang's hands.
CHECKLIST = (
    ("hadir", "Daftar hadir"),
    ("berita_acara", "Berita acara"),
    ("foto", "Foto dokumentasi"),
)
CHECKLIST_HEADING = "Daftar periksa penyerahan (dihitung otomatis)"
# The figures a report step shows its reader, as contract names.
SUMMARY = (
    "ref_kecamatan",
    "ref_kabupaten",
    "ref_tahun",
    "iku_nama",
    "iku_target",
    "iku_arah",
    "iku_diundang",
    "iku_hadir",
    "iku_realisasi",
    "iku_capaian",
    "iku_predikat",
)
SUMMARY_HEADING = "Ringkasan data kinerja"
# A computed row on the sheet of names that become required once a sign-off is recorded
# (requirement "signed"); their conditional format reads it.
CONDITION_LABEL = "{label} sudah tercatat"

# Columns directly right of a table, outside it: header text and width, from the
# definition (pictures, the chart's target, the approval page's fingerprints and
# verification, the paper sign-in's signatures).
BESIDE: dict[str, tuple[tuple[str, float], ...]] = {
    t.name: tuple((b.header, b.width) for b in t.beside) for t in contract.definition().tables if t.beside
}
CHART_GAP = 2  # columns between a table's beside column and its chart


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    col: int

    @property
    def ref(self) -> str:
        return cells.a1(self.row, self.col)

    @property
    def absolute(self) -> str:
        """'1b Berita Acara'!$B$5: what a defined name or another sheet's formula needs."""
        return cells.absolute(self.sheet, self.ref)


@dataclass(frozen=True)
class TablePlace:
    name: str
    sheet: str
    header_row: int
    first_col: int
    headers: tuple[str, ...]
    rows: int  # pre-sized data rows (D5)
    beside: int = 0  # columns right of the table, outside it
    totals_row: int | None = None  # the table's total, right above its header (D5)
    title_row: int = 0  # the table's title: the first row of the sheet's table block

    def __post_init__(self) -> None:
        if not self.title_row:
            object.__setattr__(self, "title_row", self.header_row - 1)

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.headers) - 1

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.rows

    @property
    def ref(self) -> str:
        return f"{cells.a1(self.header_row, self.first_col)}:{cells.a1(self.last_row, self.last_col)}"

    def col(self, header: str) -> int:
        return self.first_col + self.headers.index(header)

    def cell(self, header: str, index: int) -> Cell:
        """The cell of a column in data row ``index`` (0 = first data row)."""
        if not 0 <= index < self.rows:
            raise IndexError(f"{self.name} has {self.rows} rows, not {index + 1}")
        return Cell(self.sheet, self.first_row + index, self.col(header))

    def column_range(self, header: str) -> str:
        """'C13:C512': a column's data cells."""
        c = self.col(header)
        return f"{cells.a1(self.first_row, c)}:{cells.a1(self.last_row, c)}"

    @property
    def data_rows(self) -> range:
        return range(self.first_row, self.last_row + 1)


@dataclass(frozen=True)
class Row:
    """One label / value row. kind: name | condition | sop | check | summary."""

    kind: str
    key: str
    label: str
    row: int


@dataclass(frozen=True)
class Block:
    kind: str  # sop | checklist | summary | names
    heading: str | None
    heading_row: int | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SheetLayout:
    name: str
    blocks: tuple[Block, ...]
    tables: tuple[TablePlace, ...]
    widths: tuple[tuple[int, float], ...]  # (column, width in characters)
    value_last_col: int  # value cells merge from column B to here
    freeze: str | None  # top-left cell of the scrolling part

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.rows)

    def width(self, col: int) -> float:
        return dict(self.widths).get(col, DEFAULT_WIDTH)

    @property
    def value_width(self) -> float:
        """Characters a value cell shows per line (it merges B..value_last_col)."""
        return sum(self.width(c) for c in range(VALUE_COL, self.value_last_col + 1))


@dataclass(frozen=True)
class Layout:
    sheets: tuple[SheetLayout, ...]
    names: dict[str, Cell]  # every defined name of a single value, hasil_ringkasan included
    conditions: dict[str, Cell]  # sign-off key -> its computed row's value cell
    tables: dict[str, TablePlace]

    def sheet(self, name: str) -> SheetLayout:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(f"the layout has no sheet {name!r}")

    def name(self, name: str) -> Cell:
        return self.names[name]

    def table(self, name: str) -> TablePlace:
        return self.tables[name]

    def beside(self, table: str, index: int = 0) -> Cell:
        """The header cell of a column right of a table (see BESIDE)."""
        t = self.tables[table]
        return Cell(t.sheet, t.header_row, t.last_col + 1 + index)

    def chart_anchor(self, table: str) -> Cell:
        t = self.tables[table]
        return Cell(t.sheet, t.title_row, t.last_col + t.beside + CHART_GAP)


def compute(sop: Sop) -> Layout:
    sheets = tuple(_sheet(sop, s.name) for s in sop.sheets)
    names = {r.key: Cell(s.name, r.row, VALUE_COL) for s in sheets for r in s.rows if r.kind == "name"}
    for s in sheets:  # each step sheet's "Tanda tangan" line, written by the ledger
        names.update(
            {contract.signature_line_name(s.name): Cell(s.name, r.row, VALUE_COL) for r in s.rows if r.key == "status"}
        )
    conditions = {r.key: Cell(s.name, r.row, VALUE_COL) for s in sheets for r in s.rows if r.kind == "condition"}
    tables = {t.name: t for s in sheets for t in s.tables}
    return Layout(sheets=sheets, names=names, conditions=conditions, tables=tables)


def _sheet(sop: Sop, name: str) -> SheetLayout:
    sheet = sop.sheet(name)
    if sheet.kind in ("guide", "meta"):  # Petunjuk and _meta lay themselves out
        return SheetLayout(name, (), (), (), VALUE_COL, None)
    blocks: list[Block] = []
    row = FIRST_CONTENT_ROW
    for kind, heading, items in _block_contents(sop, name):
        block, row = _place_block(kind, heading, items, row)
        blocks.append(block)
    tables = _place_tables(sop, name, row)
    widths = _widths(sop, tables, blocks)
    value_last_col = _value_span(widths) if tables else VALUE_COL
    freeze = None
    if tables and tables[0].header_row <= FREEZE_MAX_HEADER_ROW:
        freeze = cells.a1(tables[0].first_row, 1)
    return SheetLayout(name, tuple(blocks), tables, tuple(sorted(widths.items())), value_last_col, freeze)


def _block_contents(sop: Sop, name: str):
    """(kind, heading, [(row kind, key, label)]) for each block of a sheet, in order."""
    sheet = sop.sheet(name)
    if sheet.kind == "step":
        yield "sop", None, [("sop", key, label) for key, label in SOP_ROW]
        if sheet.step == handover_step(sop):
            yield "checklist", CHECKLIST_HEADING, [("check", key, label) for key, label in CHECKLIST]
        elif sheet.step in report_steps(sop):
            yield "summary", SUMMARY_HEADING, [("summary", n, sop.name(n).label) for n in SUMMARY]
    conditions_shown: set[str] = set()
    for group, names in groupby(sop.names_on(name), key=lambda n: n.group):
        items = []
        for n in names:
            condition = n.requirement.signoff if n.requirement.kind == "signed" else None
            if condition and condition not in conditions_shown:
                conditions_shown.add(condition)
                signoff = sop.signoff(condition)
                items.append(("condition", condition, CONDITION_LABEL.format(label=signoff.label)))
            items.append(("name", n.name, n.label))
        yield "names", group or None, items


def handover_step(sop: Sop) -> int | None:
    """The first step that hands its output to another role: it passes on the evidence,
    so its sheet checks that the evidence is complete."""
    return next((s.no for s in sop.steps if s.hands_to), None)


def report_steps(sop: Sop) -> tuple[int, ...]:
    """Later hand-overs report the figures upwards: their sheets show a summary."""
    first = handover_step(sop)
    return tuple(s.no for s in sop.steps if s.hands_to and s.no != first)


def _place_block(kind: str, heading: str | None, items, row: int) -> tuple[Block, int]:
    heading_row = None
    if heading:
        heading_row = row
        row += 1
    rows = []
    for row_kind, key, label in items:
        rows.append(Row(row_kind, key, label, row))
        row += 1
    return Block(kind, heading, heading_row, tuple(rows)), row + 1  # a blank row after


def _place_tables(sop: Sop, name: str, row: int) -> tuple[TablePlace, ...]:
    """Tables of one sheet side by side on one header row (a title row above, and the
    row of totals when one of them has totals), a blank column between them, so nothing
    ever stands below a table."""
    places = []
    col = 1
    tables = sop.tables_on(name)
    header_row = row + (2 if any(t.totals for t in tables) else 1)
    for t in tables:
        totals_row = header_row - 1 if t.totals else None
        place = TablePlace(t.name, name, header_row, col, t.headers, t.rows, len(t.beside), totals_row, row)
        places.append(place)
        col = _after(place) + 1
    return tuple(places)


def _widths(sop: Sop, tables: tuple[TablePlace, ...], blocks: list[Block]) -> dict[int, float]:
    widths: dict[int, float] = {}
    for place in tables:
        table = sop.table(place.name)
        for i, column in enumerate(table.columns):
            widths[place.first_col + i] = column.width  # a longer header wraps
        for i, beside in enumerate(table.beside):
            widths[place.last_col + 1 + i] = beside.width
    for place in tables[:-1]:
        widths[_after(place)] = GAP_WIDTH
    longest_label = max((len(r.label) for b in blocks for r in b.rows), default=0)
    widths[LABEL_COL] = max(widths.get(LABEL_COL, 0), longest_label + 2)
    if not tables:
        widths[VALUE_COL] = WIDE_VALUE
    return widths


def _after(place: TablePlace) -> int:
    """The first column right of a table and of its beside column."""
    return place.last_col + place.beside + 1


def _value_span(widths: dict[int, float]) -> int:
    """The last column a value cell merges to: enough for a sentence of text."""
    col, total = VALUE_COL, widths.get(VALUE_COL, DEFAULT_WIDTH)
    while total < VALUE_MIN_WIDTH:
        col += 1
        total += widths.get(col, DEFAULT_WIDTH)
    return col
