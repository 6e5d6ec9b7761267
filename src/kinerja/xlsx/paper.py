"""The workbook on paper, kept right at every write of the tool.

The builder sets the print set-up once, with openpyxl. Every later write — `validate
--write`, `sign`, the demo's typing, and `kinerja cetak` on its copy — goes through the
edit session (D3, D27), and this module keeps, at XML level, what the data changes:

- row heights: a row with wrapped text is as tall as its text. Neither Excel nor
  LibreOffice grows a row for wrapped text when it opens a file, and neither ever grows a
  row of merged cells (LibreOffice 7.4, measured: the text runs over the next row);
- print areas: each sheet with tables prints down to its last filled row and the
  drawings beside it, so the pre-sized empty rows (D5) never print blank pages. A print
  area that grows by itself would be a formula, and LibreOffice 7.4 ignores a print area
  defined by a formula (measured: it printed every row), so the range is written anew;
- the chart: its series cover exactly the villages listed, its value axis steps in whole
  persons. LibreOffice 7.4 draws nothing for a series given as a dynamic name (measured),
  so the ranges are written anew too.

Rows the tool writes itself (Hasil Validasi, Persetujuan) get exactly their text's
height; any other row only grows, so a height someone chose is never taken away.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from kinerja.core import contract, paper
from kinerja.core.cells import col_letter, parse_range, quote_sheet
from kinerja.core.model import Scalar
from kinerja.xlsx.sheetxml import XML_DECLARATION, Geometry, cell_texts, parse, set_row_height

if TYPE_CHECKING:
    from kinerja.xlsx.edit import EditSession

EMU_PER_POINT = 12700
EMU_PER_PIXEL = 9525
_STRING = re.compile(r'"((?:[^"]|"")*)"')
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def keep(session: EditSession) -> None:
    """Row heights, print areas and the chart, as the workbook's data now needs them."""
    sheets = [s.name for s in session.sop.sheets if s.kind != "meta" and session.package.sheet(s.name) is not None]
    shared = session.package.shared_strings()
    for sheet in sheets:
        fit_rows(session, sheet, shared)
    for sheet in sheets:
        keep_print_area(session, sheet)
    keep_chart(session)


# ---------------------------------------------------------------------- rows in use
def used_rows(session: EditSession, table: str) -> int:
    """How many data rows of a table are in use: up to its last row with a value in an
    input column (any column of a tool table), or with a picture anchored in it; a
    computed table mirrors the table it is computed from."""
    spec = session.sop.table(table)
    if spec.rows_from:
        return used_rows(session, spec.rows_from)
    if table in session.written_rows:
        return session.written_rows[table]
    geometry = session.model.tables[table]
    headers = [c.header for c in spec.input_columns] if spec.kind == "input" else list(geometry.headers)
    headers = [h for h in headers if h in geometry.headers]
    xml = session.sheet(geometry.sheet)
    last = 0
    for index, row in enumerate(geometry.rows):
        if any(_has_value(xml.cell(geometry.cell(h, row.row), create=False)) for h in headers):
            last = index + 1
    for picture in session.model.pictures:
        if picture.sheet == geometry.sheet and geometry.header_row < picture.row <= geometry.last_row:
            last = max(last, picture.row - geometry.header_row)
    return last


def _has_value(c) -> bool:
    if c is None or c.find("{*}f") is not None:
        return False
    return any((el.text or "").strip() for el in c.iter("{*}v", "{*}t"))


# ---------------------------------------------------------------------- row heights
def fit_rows(session: EditSession, sheet: str, shared: list[str] | None = None) -> None:
    """Every row with wrapped text as tall as its text (see the module's docstring)."""
    xml = session.sheet(sheet)
    geometry = Geometry(xml)
    styles = session.styles
    shared = session.package.shared_strings() if shared is None else shared
    values = {name.lower(): cell.value for name, cell in session.model.names.items()}
    exact: set[int] = set()  # rows of the tool's own tables: exactly their text
    least: dict[int, float] = {}  # a table's own least height, for its filled rows
    for spec in session.sop.tables_on(sheet):
        table = session.model.tables.get(spec.name)
        if table is None:
            continue
        rows = range(table.header_row + 1, table.last_row + 1)
        if spec.kind == "tool":
            exact.update(rows)
        if spec.row_height:
            for r in rows[: used_rows(session, spec.name) or spec.paper_rows]:
                least[r] = spec.row_height
    need: dict[int, float] = {}
    for row, col, text, formula in cell_texts(xml, shared):
        if formula is not None:
            text = _shown(formula, values) or text
        if not text:
            continue
        style = xml.style(f"{col_letter(col)}{row}")
        if not styles.wraps(style):
            continue
        span = geometry.span(row, col)
        if span is None or span[1] > 1 or span[0] <= 0:  # merged, or in a hidden column
            continue
        height = paper.height_for(text, span[0], minimum=0, font_size=styles.font_size(style))
        need[row] = max(need.get(row, 0.0), height)
    for row in exact:
        height = max(need.get(row, 0.0), least.get(row, 0.0))
        set_row_height(xml, row, height if height > paper.LINE_HEIGHT else None)
    for row in set(need) | set(least):
        if row in exact:
            continue
        height = max(need.get(row, 0.0), least.get(row, 0.0))
        if height > geometry.height(row) + 0.5:
            set_row_height(xml, row, height)


def _shown(formula: str, values: dict[str, Scalar]) -> str:
    """About what a formula cell shows, for its height: its quoted words and the text of
    the names whose value it shows (``=""&sop_dasar_hukum``, ``IF(…,"",iku_nama)``,
    ``UPPER(sop_nama)``); a name it only tests (``TRIM(ba_nomor)<>""``) shows nothing."""
    words = [m.group(1).replace('""', '"') for m in _STRING.finditer(formula)]
    bare = _STRING.sub('""', formula)
    shown: list[str] = []
    for m in _IDENTIFIER.finditer(bare):
        value = values.get(m.group(0).lower())
        if not isinstance(value, str) or value in shown:
            continue
        before = bare[: m.start()].rstrip().rstrip("(").rstrip()
        after = bare[m.end() :].lstrip().lstrip(")").lstrip()
        shows = before.endswith(("=", "&", ",")) or re.search(r"\b(UPPER|LOWER|PROPER)$", before) is not None
        if shows and (not after or after[0] in "&,"):
            shown.append(value)
    return " ".join(w for w in [*words, *shown] if w.strip())


# ---------------------------------------------------------------------- print areas
def keep_print_area(session: EditSession, sheet: str) -> None:
    """A sheet with tables prints down to its tables' last filled rows (an empty table:
    its header and one row, or the blank rows of a list filled in by hand) and the
    drawings beside them; a sheet without tables keeps the area it was built with."""
    specs = [t for t in session.sop.tables_on(sheet) if t.name in session.model.tables]
    if not specs:
        return
    last_row = last_col = 0
    for spec in specs:
        table = session.model.tables[spec.name]
        used = used_rows(session, spec.name) or spec.paper_rows or 1
        last_row = max(last_row, table.header_row + min(used, len(table.rows)))
        last_col = max(last_col, table.first_col + len(table.headers) - 1 + len(spec.beside))
    for bottom, right in drawing_extents(session, sheet):
        last_row, last_col = max(last_row, bottom), max(last_col, right)
    current = session.print_area(sheet)
    if current is not None:
        last_col = max(last_col, current[3])
    session.set_print_area(sheet, last_row, last_col)


def drawing_extents(session: EditSession, sheet: str) -> list[tuple[int, int]]:
    """(last row, last column) of every picture and chart drawn on a sheet."""
    part = session.package.sheet(sheet)
    geometry = Geometry(session.sheet(sheet))
    out = []
    for path in part.related("drawing"):
        root = parse(session.part(path))
        for anchor in root:
            kind = etree.QName(anchor).localname
            start = anchor.find("{*}from")
            if kind not in ("twoCellAnchor", "oneCellAnchor") or start is None:
                continue
            row, col = _marker(start)
            if kind == "twoCellAnchor" and anchor.find("{*}to") is not None:
                end_row, end_col = _marker(anchor.find("{*}to"))
                row_off = int(_child_text(anchor.find("{*}to"), "rowOff"))
                out.append((end_row if row_off else max(end_row - 1, row), end_col))
                continue
            ext = anchor.find("{*}ext")
            if ext is None:
                continue
            height = int(ext.get("cy", "0")) + int(_child_text(start, "rowOff"))
            width = int(ext.get("cx", "0")) + int(_child_text(start, "colOff"))
            out.append(
                (
                    _reach(row, height, lambda r: geometry.height(r) * EMU_PER_POINT),
                    _reach(col, width, _col_emu(geometry)),
                )
            )
    return out


def _col_emu(geometry: Geometry):
    return lambda c: (geometry.width(c) * 7 + 5) * EMU_PER_PIXEL if geometry.width(c) else 0


def _reach(first: int, length: int, size) -> int:
    """The row (or column) where something ``length`` EMU long, starting at ``first``,
    ends."""
    index, left = first, length
    for _ in range(10_000):
        left -= size(index)
        if left <= 0:
            return index
        index += 1
    return index


def _marker(element) -> tuple[int, int]:
    return int(_child_text(element, "row")) + 1, int(_child_text(element, "col")) + 1


def _child_text(element, name: str) -> str:
    child = element.find(f"{{*}}{name}")
    return (child.text or "0") if child is not None else "0"


# ---------------------------------------------------------------------- the chart
def keep_chart(session: EditSession) -> None:
    """The per-village chart's series cover exactly the villages listed, and its value
    axis steps in whole persons for the largest invitation."""
    if contract.REKAP_DESA not in session.model.tables:
        return
    spec = session.sop.table(contract.REKAP_DESA)
    table = session.model.tables[contract.REKAP_DESA]
    last = table.header_row + min(max(used_rows(session, contract.REKAP_DESA), 1), len(table.rows))
    first_col = table.first_col
    last_col = table.first_col + len(table.headers) - 1 + len(spec.beside)
    desa = session.model.tables.get(contract.DESA)
    invited = [r.values.get("Delegasi Diundang") for r in desa.rows] if desa else []
    step = paper.axis_step(max((v for v in invited if isinstance(v, int | float)), default=0))
    part = session.package.sheet(table.sheet)
    for drawing in part.related("drawing"):
        for tail, chart in session.package.rels(drawing).values():
            if tail != "chart":
                continue
            root = parse(session.part(chart))
            changed = False
            for f in root.iter("{*}f"):
                reference = _range_reference(f.text or "", table.sheet, first_col, last_col, table.header_row)
                if reference is None:
                    continue
                col, start = reference
                wanted = f"{quote_sheet(table.sheet)}!${col}${start}:${col}${last}"
                if f.text == wanted:
                    continue
                f.text, changed = wanted, True
                for cache in list(f.itersiblings()):  # a stale cache would show the old villages
                    if etree.QName(cache).localname in ("numCache", "strCache"):
                        f.getparent().remove(cache)
            for axis in root.iter("{*}valAx"):
                changed = _set_major_unit(axis, step) or changed
            if changed:  # else the part stays byte for byte as it was
                session.set_part(chart, XML_DECLARATION + etree.tostring(root, encoding="UTF-8"))


def _range_reference(text: str, sheet: str, first_col: int, last_col: int, header_row: int):
    """(column letters, first row) of a one-column range of the table's columns that
    starts at its header or first data row; None for anything else (a title cell)."""
    where, bang, ref = text.rpartition("!")
    if not bang or ":" not in ref:
        return None
    if where.strip("'").replace("''", "'") != sheet:
        return None
    try:
        r1, c1, _, c2 = parse_range(ref.replace("$", ""))
    except ValueError:
        return None
    if c1 != c2 or not first_col <= c1 <= last_col or r1 not in (header_row, header_row + 1):
        return None
    return col_letter(c1), r1


_AFTER_MAJOR_UNIT = ("minorUnit", "dispUnits", "extLst")


def _set_major_unit(axis, step: int) -> bool:
    """The axis's major unit; True when it changed."""
    ns = etree.QName(axis).namespace
    unit = axis.find(f"{{{ns}}}majorUnit")
    if unit is not None and _number(unit.get("val")) == step:
        return False
    if unit is None:
        unit = etree.Element(f"{{{ns}}}majorUnit")
        later = next(
            (axis.find(f"{{{ns}}}{n}") for n in _AFTER_MAJOR_UNIT if axis.find(f"{{{ns}}}{n}") is not None), None
        )
        if later is not None:
            later.addprevious(unit)
        else:
            axis.append(unit)
    unit.set("val", str(step))
    return True


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
