"""Builds a contract-v1 workbook from the SOP definition and what a new workbook holds.

openpyxl builds the file once (D3: it never rewrites one). Everything about the SOP comes
from the definition, every position from the layout; this module only puts them together:
sheets, names, tables, the live formulas, input rules (validation, required marks),
pictures, the chart, print set-up and protection.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from kinerja.templates import formulas, petunjuk, styles
from kinerja.templates import layout as layout_module
from kinerja.templates.inputs import WorkbookInputs
from kinerja.templates.layout import Block, Layout, SheetLayout, TablePlace
from kinerja.templates.toolcells import tool_initial
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.units import pixels_to_EMU
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

import kinerja
from kinerja.core import cells, contract, paper
from kinerja.core.findings import KinerjaError
from kinerja.core.formatting import TIME_ZONES, aware_now, format_number
from kinerja.core.sop import Column, NameDef, Sop, TableDef, ValueType
from kinerja.xlsx.atomic import write_atomic

FOOTER = "Halaman &P dari &N"
ERROR_TITLE = "Isian tidak sesuai"
TITLE_MAX, PROMPT_MAX, ERROR_MAX, LIST_MAX = 32, 255, 225, 255  # Excel repairs beyond (D9)
# Dates and times the validation accepts: 1 Jan 2000 .. 31 Dec 2100, 00:00 .. 23:59:59.
DATE_RANGE = (to_excel(dt.date(2000, 1, 1)), to_excel(dt.date(2100, 12, 31)))
TIME_RANGE = (0, to_excel(dt.time(23, 59, 59)))
ANY_NUMBER = (-1e9, 1e9)


# ================================================================= public API
def build_workbook(
    inputs: WorkbookInputs,
    *,
    created_at: dt.datetime,
    workbook_id: str,
    tool_version: str,
    sop: Sop | None = None,
) -> Workbook:
    if created_at.utcoffset() is None:
        raise ValueError("created_at needs a UTC offset (ISO 8601 with offset in _meta)")
    sop = sop or contract.definition()
    layout = layout_module.compute(sop)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sop.sheets:
        wb.create_sheet(sheet.name)
    _define_names(wb, sop, layout)
    guide = None
    for sheet_layout in layout.sheets:
        ws = wb[sheet_layout.name]
        kind = sop.sheet(sheet_layout.name).kind
        if kind == "guide":
            guide = petunjuk.write(ws, sop, {**sop.defaults, **inputs.values}, logo=inputs.logo is not None)
            for name, ref in guide.names.items():
                wb.defined_names[name] = DefinedName(name, attr_text=cells.absolute(ws.title, ref))
        elif kind == "meta":
            _write_meta(ws, sop, created_at, workbook_id, tool_version)
        else:
            _write_content_sheet(ws, sop, layout, sheet_layout)
    _write_inputs(wb, sop, layout, inputs)
    _embed_pictures(wb, sop, layout, inputs)
    if inputs.logo is not None and guide is not None:
        _embed_logo(wb[contract.PETUNJUK], inputs.logo, guide)
    _add_chart(wb[layout.table(contract.REKAP_DESA).sheet], sop, layout, inputs)
    header = _print_header(sop, inputs)
    for sheet in sop.sheets:
        if sheet.kind != "meta":
            _print_setup(wb[sheet.name], sop, header, layout, inputs, guide)
    _protect(wb)
    wb.active = 0
    return wb


def save_workbook(
    path: Path,
    inputs: WorkbookInputs,
    *,
    created_at: dt.datetime | None = None,
    workbook_id: str | None = None,
) -> Path:
    """Build and write atomically (D4); the written file is re-opened and checked first."""
    sop = contract.definition()
    if created_at is None:
        zone = inputs.values.get("ref_zona_waktu")
        created_at = aware_now(zone if zone in TIME_ZONES else sop.defaults["ref_zona_waktu"])
    workbook = build_workbook(
        inputs,
        created_at=created_at,
        workbook_id=workbook_id or str(uuid.uuid4()),
        tool_version=kinerja.__version__,
        sop=sop,
    )
    target = Path(path)
    write_atomic(target, workbook.save, lambda tmp: verify_saved(tmp, sop))
    return target


def new_inputs(
    *,
    kecamatan: str | None = None,
    kabupaten: str | None = None,
    tahun: int | None = None,
    zona_waktu: str | None = None,
    target: float | None = None,
    arah: str | None = None,
    desa: list[dict] | None = None,
) -> WorkbookInputs:
    """What `kinerja new` writes (D17): every option optional, the rest from [defaults];
    the predicate bands and one official per role (title from the definition) prefilled."""
    sop = contract.definition()
    values: dict[str, Any] = dict(sop.defaults)
    values["ref_tahun"] = dt.date.today().year
    given = {
        "ref_kecamatan": kecamatan,
        "ref_kabupaten": kabupaten,
        "ref_tahun": tahun,
        "ref_zona_waktu": zona_waktu,
        "iku_target": target,
        "iku_arah": arah,
    }
    values.update({k: v for k, v in given.items() if v is not None})
    rows = {
        contract.DESA: [dict(r) for r in desa or []],
        contract.PREDIKAT: [
            {formulas.PREDIKAT_LOWER: _plain(b.lower), formulas.PREDIKAT_LABEL: b.label} for b in sop.predikat
        ],
        contract.PEJABAT: [{"Peran": r.peran, "Jabatan": r.jabatan} for r in sop.roles],
    }
    return WorkbookInputs(values=values, rows=rows)


def verify_saved(path: Path, sop: Sop | None = None) -> None:
    """The check before a new file replaces the old one: it opens as a zip and lists the
    contract's sheets in order."""
    sop = sop or contract.definition()
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(path), detail=f"berkas hasil tidak terbaca ({exc})") from exc
    found = [el.get("name") for el in root.iter() if el.tag.endswith("}sheet")]
    expected = [s.name for s in sop.sheets]
    if found != expected:
        raise KinerjaError(
            "BERKAS_GAGAL_TULIS", path=str(path), detail=f"lembar tertulis {found}, seharusnya {expected}"
        )


# ================================================================= names
def _define_names(wb: Workbook, sop: Sop, layout: Layout) -> None:
    """Every single value by a workbook-scoped name; list sources by lst_<key> (D8)."""
    for name, cell in layout.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=cell.absolute)
    for lst in sop.lists.values():
        if lst.source:
            wb.defined_names[lst.defined_name] = DefinedName(lst.defined_name, attr_text=lst.source)


# ================================================================= content sheets
def _write_content_sheet(ws: Worksheet, sop: Sop, layout: Layout, sl: SheetLayout) -> None:
    sheet = sop.sheet(sl.name)
    step = sop.step(sheet.step) if sheet.kind == "step" and sheet.step else None
    title = f"Langkah {step.no} · {step.short}" if step else sheet.name
    ws.cell(layout_module.TITLE_ROW, 1, title).font = styles.TITLE
    ws.row_dimensions[layout_module.TITLE_ROW].height = TITLE_HEIGHT
    ws.cell(layout_module.SUBTITLE_ROW, 1, sheet.holds).font = styles.SUBTITLE
    for col, width in sl.widths:
        ws.column_dimensions[cells.col_letter(col)].width = width
    for block in sl.blocks:
        _write_block(ws, sop, layout, sl, block)
    for place in sl.tables:
        _write_table(ws, sop, layout, place)
    if sl.freeze:
        ws.freeze_panes = sl.freeze
    if sl.tables:
        ws.print_title_rows = f"{sl.tables[0].header_row}:{sl.tables[0].header_row}"


def _write_block(ws: Worksheet, sop: Sop, layout: Layout, sl: SheetLayout, block: Block) -> None:
    if block.heading_row:
        ws.cell(block.heading_row, layout_module.LABEL_COL, block.heading).font = styles.HEADING
    step_no = sop.sheet(sl.name).step
    for row in block.rows:
        label = ws.cell(row.row, layout_module.LABEL_COL, row.label)
        label.font = styles.LABEL
        label.alignment = styles.WRAP
        if row.kind == "sop":
            _sop_value(ws, sop, sl, row.row, row.key, step_no)
        elif row.kind == "check":
            _computed(ws, sl, row.row, formulas.checklist(sop)[row.key])
        elif row.kind == "summary":
            name = sop.name(row.key)
            _computed(ws, sl, row.row, formulas.summary(name), styles.number_format(name.type, name.number_format))
        elif row.kind == "condition":
            _computed(ws, sl, row.row, formulas.condition(sop, row.key))
        else:
            _name_cell(ws, sop, layout, sl, sop.name(row.key))


def _sop_value(ws: Worksheet, sop: Sop, sl: SheetLayout, row: int, key: str, step_no: int | None) -> None:
    """The step's SOP row, as the definition has it; the status is live."""
    step = sop.step(step_no)
    if key == "status":  # the ledger writes who signed, when and what (never a formula)
        _value_cell(ws, sl, row, tool_initial(sop, contract.signature_line_name(sl.name)), fill=styles.COMPUTED_FILL)
        return
    value = {
        "kegiatan": step.activity,
        "pelaksana": sop.performer_label(step),
        "kelengkapan": step.inputs,
        "waktu": step.time,
        "output": step.output,
    }[key]
    _value_cell(ws, sl, row, value, fill=None)
    ws.row_dimensions[row].height = styles.height_for(value, sl.value_width)


def _value_cell(ws: Worksheet, sl: SheetLayout, row: int, value: Any, fill=None, locked: bool = True):
    """Column B, merged to the sheet's value span so a sentence fits on a table sheet."""
    last = sl.value_last_col
    if last > layout_module.VALUE_COL:
        ws.merge_cells(start_row=row, start_column=layout_module.VALUE_COL, end_row=row, end_column=last)
    for col in range(layout_module.VALUE_COL, last + 1):
        cell = ws.cell(row, col)
        cell.border = styles.BOX
        cell.alignment = styles.WRAP
        cell.protection = styles.LOCKED if locked else styles.UNLOCKED
        if fill:
            cell.fill = fill
    anchor = ws.cell(row, layout_module.VALUE_COL)
    anchor.value = value
    return anchor


def _computed(ws: Worksheet, sl: SheetLayout, row: int, formula: str, number_format: str | None = None) -> None:
    cell = _value_cell(ws, sl, row, formula, fill=styles.COMPUTED_FILL)
    if number_format:
        cell.number_format = number_format


def _name_cell(ws: Worksheet, sop: Sop, layout: Layout, sl: SheetLayout, name: NameDef) -> None:
    cell_place = layout.name(name.name)
    fmt = styles.number_format(name.type, name.number_format)
    if name.type == "tool":
        _value_cell(ws, sl, cell_place.row, tool_initial(sop, name.name), fill=styles.COMPUTED_FILL)
        return
    if not name.is_input:
        _computed(ws, sl, cell_place.row, _iku_formula(sop, name.name), fmt)
        return
    cell = _value_cell(ws, sl, cell_place.row, None, fill=styles.INPUT_FILL, locked=False)
    if fmt:
        cell.number_format = fmt
    if name.height:
        ws.row_dimensions[cell_place.row].height = name.height
    rule = _validation(sop, name.type, name.list, name.min, name.max, name.prompt, name.label)
    rule.add(cell_place.ref)
    ws.add_data_validation(rule)
    required = formulas.required_name(sop, name, cell_place.ref, layout)
    if required:
        ws.conditional_formatting.add(cell_place.ref, FormulaRule(formula=[required], fill=styles.REQUIRED_FILL))


def _iku_formula(sop: Sop, name: str) -> str:
    computed = formulas.iku(sop)
    if name not in computed:
        raise ValueError(f"the definition has a computed name {name!r} that the template has no formula for")
    return computed[name]


# ================================================================= tables
def _write_table(ws: Worksheet, sop: Sop, layout: Layout, place: TablePlace) -> None:
    table = sop.table(place.name)
    _title(ws, layout.sheet(place.sheet), place, table.title)
    for column in table.columns:
        col = place.col(column.header)
        header = ws.cell(place.header_row, col, column.header)
        header.font, header.fill, header.alignment = styles.HEADER, styles.HEADER_FILL, styles.CENTER
        if len(column.header) > column.width:
            ws.row_dimensions[place.header_row].height = 2 * styles.LINE_HEIGHT
        _format_column(ws, sop, place, table, column)
    if table.kind == "input":
        _input_rules(ws, sop, place, table)
    _formula_columns(ws, sop, layout, place, table)
    if table.beside:
        _beside_column(ws, sop, layout, place)
    if table.totals:
        _totals_row(ws, sop, place, table)
    if table.row_height and table.row_height >= styles.PICTURE_ROW_HEIGHT:  # room for a picture in every row
        for row in place.data_rows:
            ws.row_dimensions[row].height = table.row_height
    if place.name == contract.HASIL_VALIDASI:
        _level_colours(ws, place)
    excel_table = Table(displayName=place.name, ref=place.ref)
    excel_table.tableStyleInfo = TableStyleInfo(name=styles.TABLE_STYLE, showRowStripes=True)
    ws.add_table(excel_table)


def _title(ws: Worksheet, sl: SheetLayout, place: TablePlace, title: str) -> None:
    """A table's title over its own columns, wrapped when longer (a title that ran on
    past the last column would be cut off on paper)."""
    last = place.last_col + place.beside
    cell = ws.cell(place.title_row, place.first_col, title)
    cell.font, cell.alignment = styles.HEADING, styles.TITLE_WRAP
    if last > place.first_col:
        ws.merge_cells(
            start_row=place.title_row, start_column=place.first_col, end_row=place.title_row, end_column=last
        )
    width = sum(sl.width(c) for c in range(place.first_col, last + 1))
    height = paper.height_for(title, width * 11 / 12, font_size=12)
    ws.row_dimensions[place.title_row].height = max(ws.row_dimensions[place.title_row].height or 0, height)


def _totals_row(ws: Worksheet, sop: Sop, place: TablePlace, table: TableDef) -> None:
    """The table's total, right above its header: on paper it heads the table (D5 leaves
    no room below a table; a totals row inside it would be read as data by outside tools)."""
    values = formulas.totals(sop, place)
    for column in table.columns:
        cell = ws.cell(place.totals_row, place.col(column.header), values.get(column.header))
        cell.font, cell.fill, cell.border = styles.TOTAL, styles.TOTAL_FILL, styles.TOTAL_BORDER
        fmt = styles.number_format(column.type, column.number_format)
        if fmt and column.header != place.headers[0]:
            cell.number_format = fmt


def _level_colours(ws: Worksheet, place: TablePlace) -> None:
    """Hasil Validasi: each finding's Tingkat in its level's colour (the contract's
    words in every language, so one rule per word)."""
    rng = place.column_range("Tingkat")
    first = cells.a1(place.first_row, place.col("Tingkat"))
    for level, fill in styles.LEVEL_CONDITIONAL_FILLS.items():
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f'{first}="{level}"'], fill=fill))


def _wraps(table: TableDef, column: Column) -> bool:
    """Long text wraps; rows tall enough for a photo keep their text at the top."""
    return (column.type == "text" and column.width >= 24) or bool(
        table.row_height and table.row_height >= styles.PICTURE_ROW_HEIGHT
    )


def _format_column(ws: Worksheet, sop: Sop, place: TablePlace, table: TableDef, column: Column) -> None:
    """Empty rows carry formats and the unlocked state only (D5)."""
    fmt = styles.number_format(column.type, column.number_format)
    unlocked = table.kind == "input" and column.is_input
    wrap = _wraps(table, column)
    col = place.col(column.header)
    picture_rows = bool(table.row_height and table.row_height >= styles.PICTURE_ROW_HEIGHT)
    alignment = styles.WRAP if picture_rows else (styles.ROW_WRAP if wrap else styles.ROW)
    if column.header == formulas.NO and not picture_rows:
        alignment = styles.ROW_CENTER
    for row in place.data_rows:
        cell = ws.cell(row, col)
        if fmt:
            cell.number_format = fmt
        if unlocked:
            cell.protection = styles.UNLOCKED
        cell.alignment = alignment


def _input_rules(ws: Worksheet, sop: Sop, place: TablePlace, table: TableDef) -> None:
    for column in table.input_columns:
        rng = place.column_range(column.header)
        rule = _validation(sop, column.type, column.list, column.min, column.max, column.prompt, column.header)
        rule.add(rng)
        ws.add_data_validation(rule)
        required = formulas.required_cell(place, table, column)
        if required:
            ws.conditional_formatting.add(rng, FormulaRule(formula=[required], fill=styles.REQUIRED_FILL))


def _formula_columns(ws: Worksheet, sop: Sop, layout: Layout, place: TablePlace, table: TableDef) -> None:
    formula_headers = [c.header for c in table.columns if not c.is_input]
    if not formula_headers:
        return
    for index, row in enumerate(place.data_rows):
        if place.name == contract.REKAP_DESA:
            values = formulas.rekap_row(sop, layout, index)
        else:
            values = {formulas.NO: formulas.running_number(place, table, row)}
        for header in formula_headers:
            if header not in values:
                raise ValueError(f"{place.name}[{header}] is computed, but the template has no formula for it")
            ws.cell(row, place.col(header), values[header])


def _beside_column(ws: Worksheet, sop: Sop, layout: Layout, place: TablePlace) -> None:
    """Columns right of the table, outside it: Gambar (pictures), the chart's target, the
    approval page's fingerprints and verification, the paper sign-in's signatures."""
    for index, beside in enumerate(sop.table(place.name).beside):
        header = layout.beside(place.name, index)
        cell = ws.cell(header.row, header.col, beside.header)
        cell.font = styles.HEADER
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.CENTER
    header = layout.beside(place.name)
    if place.name == contract.DAFTAR_HADIR:  # boxes to sign in, on every row that can print
        for row in place.data_rows:
            ws.cell(row, header.col).border = styles.SIGN_BORDER
    if not (table_def := sop.table(place.name)).row_height or table_def.row_height < styles.PICTURE_ROW_HEIGHT:
        for index in range(place.beside):  # level with the table's own cells
            for row in place.data_rows:
                ws.cell(row, header.col + index).alignment = styles.ROW
    if place.name == contract.REKAP_DESA:
        for index, row in enumerate(place.data_rows):
            target = ws.cell(row, header.col, formulas.target_line(layout, index))
            target.number_format = "0.0"


# ================================================================= input rules
def _validation(
    sop: Sop,
    value_type: ValueType,
    list_key: str | None,
    minimum: float | None,
    maximum: float | None,
    prompt: str,
    label: str,
) -> DataValidation:
    """An input message on every input cell; a restriction and its message where the type
    restricts values. Excel's limits are checked here, not discovered as a repair (D9)."""
    rule = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=prompt_title(label),
        prompt=_checked(prompt, PROMPT_MAX, "prompt"),
    )
    error = None
    if list_key:
        lst = sop.lists[list_key]
        rule.type = "list"
        if lst.source:
            rule.formula1 = lst.defined_name
            table, _, column = lst.source.partition("[")
            error = f"Pilih dari daftar: kolom {column.rstrip(']')} pada lembar {sop.table(table).sheet}."
        else:
            rule.formula1 = _list_literal(lst.values)
            error = f"Pilih salah satu: {', '.join(lst.values)}."
    elif value_type in ("int", "number"):
        rule.type = "whole" if value_type == "int" else "decimal"
        error = _number_rule(rule, value_type, minimum, maximum)
    elif value_type == "date":
        rule.type, rule.operator = "date", "between"
        rule.formula1, rule.formula2 = (str(int(v)) for v in DATE_RANGE)
        error = "Ketik tanggal, mis. 12/02/2026 (tahun 2000–2100)."
    elif value_type == "time":
        rule.type, rule.operator = "time", "between"
        rule.formula1, rule.formula2 = (repr(v) for v in TIME_RANGE)
        error = "Ketik jam, mis. 09:00."
    if error:
        rule.showErrorMessage = True
        rule.errorStyle = "stop"
        rule.errorTitle = ERROR_TITLE
        rule.error = _checked(error, ERROR_MAX, "error")
    return rule


def _number_rule(rule: DataValidation, value_type: str, minimum: float | None, maximum: float | None) -> str:
    what = "bilangan bulat" if value_type == "int" else "angka"
    if minimum is not None and maximum is not None:
        rule.operator, rule.formula1, rule.formula2 = "between", _num(minimum), _num(maximum)
        return f"Ketik {what} antara {format_number(minimum)} dan {format_number(maximum)}."
    if minimum is not None:
        rule.operator, rule.formula1 = "greaterThanOrEqual", _num(minimum)
        return f"Ketik {what}, paling sedikit {format_number(minimum)}."
    if maximum is not None:
        rule.operator, rule.formula1 = "lessThanOrEqual", _num(maximum)
        return f"Ketik {what}, paling banyak {format_number(maximum)}."
    rule.operator, rule.formula1, rule.formula2 = "between", _num(ANY_NUMBER[0]), _num(ANY_NUMBER[1])
    return f"Ketik {what} saja, tanpa huruf atau tanda %."


def prompt_title(label: str) -> str:
    """The input message title: the label, shortened at a word to Excel's 32 characters."""
    if len(label) <= TITLE_MAX:
        return label
    head = label.split(" (")[0]
    if len(head) <= TITLE_MAX:
        return head
    words = head[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return words + "…"


def _list_literal(values: tuple[str, ...]) -> str:
    if any("," in v or '"' in v for v in values):
        raise ValueError(f"list values {values!r} cannot be a literal list: give the list a source")
    return _checked('"' + ",".join(values) + '"', LIST_MAX, "list literal")


def _checked(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise ValueError(f"{what} longer than Excel's {limit} characters (D9): {text!r}")
    return text


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# ================================================================= inputs, pictures, chart
def _write_inputs(wb: Workbook, sop: Sop, layout: Layout, inputs: WorkbookInputs) -> None:
    """Values by defined name, rows by table header: wherever the layout put them."""
    for name, value in inputs.values.items():
        definition = sop.name(name)
        if not definition.is_input:
            raise ValueError(f"{name} is computed by a formula; it takes no input")
        place = layout.name(name)
        ws = wb[place.sheet]
        _put(ws.cell(place.row, place.col), value, definition.type, definition.number_format)
        if isinstance(value, str):
            sl = layout.sheet(place.sheet)
            height = styles.height_for(value, sl.value_width, definition.height or styles.LINE_HEIGHT)
            ws.row_dimensions[place.row].height = height
    for table_name, rows in inputs.rows.items():
        place = layout.table(table_name)
        table = sop.table(table_name)
        if len(rows) > place.rows:
            raise ValueError(f"{table_name} holds {place.rows} rows; {len(rows)} were given")
        ws = wb[place.sheet]
        for index, row in enumerate(rows):
            height = table.row_height or styles.LINE_HEIGHT
            for header, value in row.items():
                column = table.column(header)
                if not column.is_input:
                    raise ValueError(f"{table_name}[{header}] is computed by a formula; it takes no input")
                cell = place.cell(header, index)
                _put(ws.cell(cell.row, cell.col), value, column.type, column.number_format)
                if isinstance(value, str) and _wraps(table, column):
                    height = max(height, styles.height_for(value, column.width))
            if height > styles.LINE_HEIGHT:
                ws.row_dimensions[place.first_row + index].height = height
    for table in sop.tables:  # a list to fill in by hand prints blank rows with room to write
        if table.paper_rows and not _last_filled(inputs, table.name):
            place = layout.table(table.name)
            for index in range(table.paper_rows):
                ws = wb[place.sheet]
                ws.row_dimensions[place.first_row + index].height = table.row_height or styles.LINE_HEIGHT


def _put(cell, value: Any, value_type: ValueType, number_format: str | None) -> None:
    if value is None:
        return
    if value_type == "nip":
        value = str(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed text, never a formula (D3)
    fmt = styles.number_format(value_type, number_format)
    if fmt:
        cell.number_format = fmt  # openpyxl gives dates its own format on assignment


def _embed_pictures(wb: Workbook, sop: Sop, layout: Layout, inputs: WorkbookInputs) -> None:
    """Each picture in the Gambar cell of its row, inside the row with a small margin all
    round, so that no page break ever cuts it (a spreadsheet never splits a row)."""
    for picture in inputs.pictures:
        place = layout.table(picture.table)
        beside = layout.beside(picture.table)
        row = place.first_row + picture.row_index
        height = sop.table(picture.table).row_height or styles.PICTURE_ROW_HEIGHT
        room = (_column_pixels(layout, place.sheet, beside.col), height * 4 / 3)
        _place_image(wb[place.sheet], picture.data, row, beside.col, room)


def _embed_logo(ws: Worksheet, data: bytes, guide: petunjuk.Written) -> None:
    """The office's logo in the kop of the SOP page, centred above the office's name."""
    first_row, last_row, first_col, last_col = guide.logo_box
    heights = sum(ws.row_dimensions[r].height or styles.LINE_HEIGHT for r in range(first_row, last_row + 1))
    widths = [(ws.column_dimensions[cells.col_letter(c)].width or 9) * 7 + 5 for c in range(first_col, last_col + 1)]
    _place_image(
        ws, data, first_row, last_col, (widths[-1], heights * 4 / 3), centre_in=sum(widths), before=sum(widths[:-1])
    )


PICTURE_MARGIN = 6  # pixels between a picture and its cell's edges


def _place_image(
    ws: Worksheet,
    data: bytes,
    row: int,
    col: int,
    room: tuple[float, float],
    centre_in: float | None = None,
    before: float = 0,
) -> None:
    """A picture scaled to fit ``room`` (pixels: width, height) less a margin, anchored
    at one cell with an offset; ``centre_in`` centres it across that many pixels, of
    which ``before`` lie left of the anchor column."""
    image = Image(BytesIO(data))
    width, height = room
    across = centre_in or width
    scale = min((height - 2 * PICTURE_MARGIN) / image.height, (across - 2 * PICTURE_MARGIN) / image.width, 1.0)
    image.width, image.height = int(image.width * scale), int(image.height * scale)
    left = (across - image.width) / 2 - before if centre_in else PICTURE_MARGIN
    top = (height - image.height) / 2 if centre_in else PICTURE_MARGIN
    marker = AnchorMarker(
        col=col - 1, colOff=pixels_to_EMU(max(int(left), 0)), row=row - 1, rowOff=pixels_to_EMU(int(top))
    )
    size = XDRPositiveSize2D(pixels_to_EMU(image.width), pixels_to_EMU(image.height))
    image.anchor = OneCellAnchor(_from=marker, ext=size)
    ws.add_image(image)


def _column_pixels(layout: Layout, sheet: str, col: int) -> float:
    return layout.sheet(sheet).width(col) * 7 + 5


def _last_filled(inputs: WorkbookInputs, table: str) -> int:
    """How many data rows of a table are in use: up to its last row with any value (or
    with a picture)."""
    rows = inputs.rows.get(table, [])
    used = [i + 1 for i, r in enumerate(rows) if any(v not in (None, "") for v in r.values())]
    used += [p.row_index + 1 for p in inputs.pictures if p.table == table]
    return max(used, default=0)


def _add_chart(ws: Worksheet, sop: Sop, layout: Layout, inputs: WorkbookInputs) -> None:
    """Delegates present vs invited per village, with the target as a straight line; its
    range is exactly the villages listed (every later write of the tool keeps it so, see
    kinerja.xlsx.paper), and its axis counts people in whole numbers."""
    place = layout.table(contract.REKAP_DESA)
    last = place.first_row + max(_last_filled(inputs, contract.DESA), 1) - 1
    bar = BarChart()
    bar.type, bar.grouping = "col", "clustered"
    for header in (formulas.REKAP_INVITED, formulas.REKAP_PRESENT):
        col = place.col(header)
        bar.add_data(Reference(ws, min_col=col, min_row=place.header_row, max_row=last), titles_from_data=True)
    categories = Reference(ws, min_col=place.col(formulas.REKAP_DESA), min_row=place.first_row, max_row=last)
    bar.set_categories(categories)
    line = LineChart()
    target_col = layout.beside(contract.REKAP_DESA).col
    line.add_data(Reference(ws, min_col=target_col, min_row=place.header_row, max_row=last), titles_from_data=True)
    line.set_categories(categories)
    for series in line.series:
        series.smooth = False  # openpyxl draws a line series smoothed unless told
        series.marker.symbol = "dash"
    bar += line
    bar.title = sop.table(contract.REKAP_DESA).title
    bar.y_axis.title = "Orang"
    bar.x_axis.title = formulas.REKAP_DESA
    bar.x_axis.delete = False  # openpyxl 3.1 hides axes unless told
    bar.y_axis.delete = False
    invited = [r.get(formulas.DESA_INVITED) for r in inputs.rows.get(contract.DESA, [])]
    bar.y_axis.scaling.min = 0
    bar.y_axis.majorUnit = paper.axis_step(max((v for v in invited if isinstance(v, int | float)), default=0))
    bar.y_axis.numFmt = NumFmt(formatCode="0", sourceLinked=False)
    bar.legend.position = "b"
    bar.width, bar.height = CHART_SIZE_CM
    ws.add_chart(bar, layout.chart_anchor(contract.REKAP_DESA).ref)


CHART_SIZE_CM = (24, 12)


# ================================================================= _meta, print, protection
def _write_meta(ws: Worksheet, sop: Sop, created_at: dt.datetime, workbook_id: str, tool_version: str) -> None:
    """Key | value, as text (D6); the ledger appends its state below."""
    entries = [
        (contract.META_TEMPLATE_ID, sop.id),
        (contract.META_CONTRACT_VERSION, str(sop.contract_version)),
        (contract.META_TOOL_VERSION, tool_version),
        (contract.META_CREATED_AT, created_at.isoformat(timespec="seconds")),
        (contract.META_WORKBOOK_ID, workbook_id),
    ]
    for row, (key, value) in enumerate(entries, start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, value).number_format = styles.TEXT_FORMAT
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    ws.sheet_state = "veryHidden"


def _print_header(sop: Sop, inputs: WorkbookInputs) -> str:
    kecamatan = inputs.values.get("ref_kecamatan") or sop.defaults.get("ref_kecamatan", "")
    tahun = inputs.values.get("ref_tahun", "")
    text = f"{sop.short_title} · Kecamatan {kecamatan} · {tahun}"
    return text.replace("&", "&&")  # & starts a header code


def _print_setup(
    ws: Worksheet, sop: Sop, header: str, layout: Layout, inputs: WorkbookInputs, guide: petunjuk.Written | None
) -> None:
    """A4 in the sheet's own orientation, one page wide; kecamatan and year on every
    page, the page number in the footer; the print area ends at the last filled row (no
    blank pages of pre-sized rows; every later write keeps it so), the table header
    repeats on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = sop.sheet(ws.title).orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(**PRINT_MARGINS)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = header
    ws.oddFooter.center.text = FOOTER
    if ws.title == contract.PETUNJUK and guide is not None:
        last_row, last_col = guide.last_row, guide.last_col
        for row in guide.breaks:  # the identity page, the flowchart, then status and help
            ws.row_breaks.append(Break(id=row))
    else:
        last_row, last_col = _print_extent(ws, sop, layout, inputs)
    ws.print_area = f"A1:{cells.a1(last_row, last_col)}"
    if ws.title == contract.PERSETUJUAN_SHEET:
        # The signature and the public key are for programs (kinerja verify, an auditor's
        # script), not for the eye: their columns are hidden and print nothing; the short
        # fingerprint beside the table is what people compare.
        for header_text in (contract.L_TANDA_TANGAN, contract.L_KUNCI_PUBLIK):
            col = layout.table(contract.PERSETUJUAN).col(header_text)
            ws.column_dimensions[cells.col_letter(col)].hidden = True


UNSIZED_WIDTH = 8.43  # characters: what Excel gives a column nobody sized
TITLE_HEIGHT = 20  # points: a 14-pt title's row
PRINT_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}  # inches


def _print_extent(ws: Worksheet, sop: Sop, layout: Layout, inputs: WorkbookInputs) -> tuple[int, int]:
    """The last row and column a sheet prints: its labelled rows, each table down to its
    last filled row (an empty one: its header and one row, or the blank rows a list to
    fill by hand prints), and the chart beside a table."""
    sl = layout.sheet(ws.title)
    last_row = max((r.row for r in sl.rows), default=layout_module.SUBTITLE_ROW)
    last_col = max(sl.value_last_col, layout_module.VALUE_COL)
    for place in sl.tables:
        table = sop.table(place.name)
        used = _last_filled(inputs, table.rows_from or place.name)
        last_row = max(last_row, place.header_row + (used or table.paper_rows or 1))
        last_col = max(last_col, place.last_col + place.beside)
    if any(p.name == contract.REKAP_DESA for p in sl.tables):
        anchor = layout.chart_anchor(contract.REKAP_DESA)
        width_cm, height_cm = CHART_SIZE_CM
        last_row = max(last_row, _rows_down(ws, anchor.row, height_cm))
        last_col = max(last_col, _cols_across(sl, anchor.col, width_cm))
    return last_row, last_col


def _rows_down(ws: Worksheet, row: int, height_cm: float) -> int:
    """The row where something that tall, placed at the top of ``row``, ends."""
    left = height_cm / 2.54 * 72  # points
    while True:
        left -= ws.row_dimensions[row].height or styles.LINE_HEIGHT
        if left <= 0:
            return row
        row += 1


def _cols_across(sl: SheetLayout, col: int, width_cm: float) -> int:
    left = width_cm / 2.54 * 96  # pixels
    widths = dict(sl.widths)
    while True:
        left -= widths.get(col, UNSIZED_WIDTH) * 7 + 5
        if left <= 0:
            return col
        col += 1


def _protect(wb: Workbook) -> None:
    """A guard against slips, not security: no password (contract.PROTECTION). Input cells
    were unlocked where they were written."""
    for ws in wb.worksheets:
        allowed = contract.sheet_protection(ws.title)
        ws.protection = SheetProtection(**{k: v == "1" for k, v in allowed.items()})
    wb.security = WorkbookProtection(lockStructure=True)


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
