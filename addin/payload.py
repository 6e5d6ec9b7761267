"""A workbook file as xlwings' remote engine sees it, and the engine's answer applied back.

``book_payload(path)`` builds, from an .xlsx file, the JSON that xlwings Server's Office.js
client (``getBookData`` in xlwings-server, for xlwings 0.37.8) posts for the open workbook,
so that ``xlwings.Book(json=book_payload(path))`` is the live workbook as a script on the
server would see it. ``apply_actions(path, actions)`` plays the actions that
``book.json()`` returns onto a copy of the file, the way the client plays them in Excel,
so a test can open the result and check what the add-in wrote.

Both are test infrastructure for the add-in, not a production reader or writer: values
come from openpyxl (cached formula results, as Excel last saved them) and the copy is
written by openpyxl, which drops parts it does not know (D3). docs/xlwings-notes.md says
which client behaviour each rule below reproduces.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kinerja.core.cells import a1, parse_range
from kinerja.xlsx.package import Package, split_name_ref

CLIENT = "Office.js"  # the client whose payload this reproduces
EMU_PER_POINT = 12_700
_JS_EPOCH = dt.datetime(1970, 1, 1)
_EXCEL_1970 = 25_569  # the serial number of 1970-01-01 in the 1900 date system
_STRUCTURED_COLUMN = re.compile(r"^([A-Za-z_\\][\w.]*)\[([^\[\]]+)\]$")  # tblDesa[Desa/Kelurahan]


# ---------------------------------------------------------------------- file -> payload
def book_payload(path: str | Path, *, version: str | None = None) -> dict[str, Any]:
    """The payload ``xlwings.Book(json=...)`` takes, as the Office.js client sends it for
    this file opened in Excel (every worksheet included, none excluded)."""
    import openpyxl

    path = Path(path)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("xlwings")
    wb = openpyxl.load_workbook(path, data_only=True)
    with zipfile.ZipFile(path) as zf:
        pkg = Package.open(zf)
        worksheets = [s for s in pkg.sheets if s.path and _is_worksheet(s)]
        index = {s.name: i for i, s in enumerate(worksheets)}
        tables = {s.name: _tables(pkg, s) for s in worksheets}
        columns = {part.name: list(part.columns) for s in worksheets for part in pkg.tables(s)}
        sheets = [
            {
                "name": s.name,
                "values": _values(wb[s.name]),
                "pictures": _pictures(pkg, s),
                "tables": tables[s.name],
            }
            for s in worksheets
        ]
        names = _names(pkg, index, tables, columns)
    active = wb.active.title if wb.active is not None else worksheets[0].name
    return {
        "client": CLIENT,
        "version": version,
        "book": {
            "name": path.name,
            "active_sheet_index": index.get(active, 0),
            "selection": _selection(wb[active]) if active in wb.sheetnames else None,
        },
        "names": names,
        "sheets": sheets,
    }


def _is_worksheet(sheet) -> bool:
    """Office.js lists worksheets only: chart sheets and dialog sheets are not in it."""
    return not any(part in sheet.path.lower() for part in ("chartsheets/", "dialogsheets/", "macrosheets/"))


def _values(ws) -> list[list[Any]]:
    """Every cell from A1 to the used range's last cell, as ``range.values`` gives it:
    "" for empty, numbers as JSON carries them, text as typed, an error as its code,
    and (ExcelApi 1.12) a cell whose number format is a date or time as the ISO string
    the client makes of its serial number."""
    rows, cols = max(ws.max_row, 1), max(ws.max_column, 1)
    grid: list[list[Any]] = [[""] * cols for _ in range(rows)]
    epoch = ws.parent.epoch
    for row in ws.iter_rows(min_row=1, max_row=rows, max_col=cols):
        for cell in row:
            grid[cell.row - 1][cell.column - 1] = _client_value(cell.value, epoch)
    return grid


def _client_value(value: Any, epoch: dt.datetime) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        from openpyxl.utils.datetime import to_excel

        return js_iso(to_excel(value, epoch))
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)  # JSON.stringify(42.0) is "42"
    return value


def js_iso(serial: float) -> str:
    """``new Date(Math.round((serial - 25569) * 86400 * 1000)).toISOString()``: what
    the client sends for a date or time cell (a time alone lands on 1899-12-30)."""
    ms = math.floor((serial - _EXCEL_1970) * 86_400_000 + 0.5)
    when = _JS_EPOCH + dt.timedelta(milliseconds=ms)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _selection(ws) -> str | None:
    """The selected range of the active sheet; None for several areas, which
    ``getSelectedRange`` refuses."""
    view = ws.sheet_view
    pane = view.pane.activePane if view.pane is not None else None
    chosen = next((s for s in view.selection if s.pane == pane), view.selection[0] if view.selection else None)
    sqref = (chosen.sqref if chosen is not None else None) or "A1"
    return None if " " in sqref.strip() else sqref.replace("$", "")


def _tables(pkg: Package, sheet) -> list[dict[str, Any]]:
    out = []
    for part in pkg.tables(sheet):
        el = pkg.xml(part.path)
        r1, c1, r2, c2 = part.bounds
        header = part.header_rows > 0
        first_data = r1 + part.header_rows
        last_data = r2 - part.totals_rows
        style = next((child.get("name") for child in el if _local(child.tag) == "tableStyleInfo"), None)
        out.append(
            {
                "name": part.name,
                "range_address": _address(r1, c1, r2, c2),
                "header_row_range_address": _address(r1, c1, r1, c2) if header else None,
                "data_body_range_address": _address(first_data, c1, max(last_data, first_data), c2),
                "total_row_range_address": _address(r2, c1, r2, c2) if part.totals_rows else None,
                "show_headers": header,
                "show_totals": bool(part.totals_rows),
                "table_style": style or "",
                "show_autofilter": any(_local(child.tag) == "autoFilter" for child in el),
            }
        )
    return out


def _names(
    pkg: Package, index: dict[str, int], tables: dict[str, list[dict]], columns: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Names that refer to a range of cells, book-scoped first, then each sheet's own, as
    the client lists them. Excel's built-in ``_xlnm.`` names (print titles, filter
    ranges) are left out; formulas and constants are not ranges and never listed."""
    book, local = [], []
    for dn in pkg.names:
        if dn.name.lower().startswith("_xlnm."):
            continue
        target = _name_target(dn.text, tables, columns)
        if target is None or target[0] not in index:
            continue
        entry = {"name": dn.name, "sheet_index": index[target[0]], "address": target[1]}
        if dn.local_sheet is None:
            book.append({**entry, "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
        elif dn.local_sheet < len(pkg.sheets) and pkg.sheets[dn.local_sheet].name in index:
            scope = pkg.sheets[dn.local_sheet].name
            local.append({**entry, "scope_sheet_name": scope, "scope_sheet_index": index[scope], "book_scope": False})
    return book + local


def _name_target(text: str, tables: dict[str, list[dict]], columns: dict[str, list[str]]) -> tuple[str, str] | None:
    """(sheet, address) of a name that is one range: ``'Sheet'!$B$5``, ``Sheet!$A$1:$C$3``
    or a table column (``tblDesa[Desa/Kelurahan]``, its data rows)."""
    text = text.strip().lstrip("=")
    m = _STRUCTURED_COLUMN.match(text)
    if m:
        for sheet, sheet_tables in tables.items():
            for table in sheet_tables:
                headers = columns.get(table["name"], [])
                if table["name"].lower() == m.group(1).lower() and m.group(2) in headers:
                    r1, c1, r2, _ = parse_range(table["data_body_range_address"])
                    col = c1 + headers.index(m.group(2))
                    return sheet, _address(r1, col, r2, col)
        return None
    if "," in text or "(" in text:
        return None
    cell = split_name_ref(text)
    if cell is not None:
        return cell
    sheet, bang, ref = text.rpartition("!")
    if not bang:
        return None
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    try:
        r1, c1, r2, c2 = parse_range(ref.replace("$", ""))
    except ValueError:
        return None
    return sheet, _address(r1, c1, r2, c2)


def _pictures(pkg: Package, sheet) -> list[dict[str, Any]]:
    """Images over the sheet's cells, in drawing order: name, width and height in points
    (what the client reads from each ``Excel.ShapeType.image`` shape)."""
    out = []
    for path in sheet.related("drawing"):
        for anchor in pkg.xml(path):
            if _local(anchor.tag) not in ("oneCellAnchor", "twoCellAnchor", "absoluteAnchor"):
                continue
            pic = anchor.find("{*}pic")
            if pic is None:
                continue
            nv = pic.find(".//{*}cNvPr")
            ext = pic.find("{*}spPr/{*}xfrm/{*}ext")
            if ext is None:
                ext = anchor.find("{*}ext")
            width = int(ext.get("cx", "0")) / EMU_PER_POINT if ext is not None else 0.0
            height = int(ext.get("cy", "0")) / EMU_PER_POINT if ext is not None else 0.0
            out.append({"name": nv.get("name", "") if nv is not None else "", "width": width, "height": height})
    return out


def _address(r1: int, c1: int, r2: int, c2: int) -> str:
    """An address as Office.js writes it after the sheet: no dollars, one cell alone."""
    return a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# ---------------------------------------------------------------------- actions -> file
class ProtectedCellError(Exception):
    """An action changed a locked cell of a protected sheet: Excel refuses that."""


Macro = Callable[[Any, dict[str, Any]], None]  # (openpyxl workbook, action) -> None


def apply_actions(
    path: str | Path,
    actions: dict[str, Any] | list[dict[str, Any]] | str,
    out: str | Path | None = None,
    *,
    macros: dict[str, Macro] | None = None,
) -> Path:
    """Play ``book.json()``'s actions onto a copy of the file (``NAME.applied.xlsx``
    beside it unless ``out`` is given) and return the copy's path.

    Values are entered as Excel enters typed text (``'`` keeps text, ``=`` makes a
    formula, a number or ISO date becomes one); a locked cell on a protected sheet
    refuses a change as Excel does (ProtectedCellError). ``runMacro`` actions call the
    matching entry of ``macros``, standing in for the client's registered functions.
    An action this function does not know raises NotImplementedError, so a test never
    passes on an action that was silently dropped."""
    import openpyxl

    path = Path(path)
    out = Path(out) if out is not None else path.with_name(path.stem + ".applied.xlsx")
    if isinstance(actions, str):
        actions = json.loads(actions)
    if isinstance(actions, dict):
        actions = actions.get("actions", [])
    shutil.copyfile(path, out)
    wb = openpyxl.load_workbook(out)
    player = _Player(wb, macros or {})
    for action in actions:
        player.play(action)
    wb.save(out)
    return out


def alerts(actions: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, str]]:
    """The App.alert calls among the actions, as prompt/title/buttons/mode/callback."""
    if isinstance(actions, dict):
        actions = actions.get("actions", [])
    keys = ("prompt", "title", "buttons", "mode", "callback")
    return [dict(zip(keys, a["args"])) for a in actions if a["func"] == "alert"]


class _Player:
    def __init__(self, wb, macros: dict[str, Macro]):
        self.wb, self.macros = wb, macros

    def play(self, action: dict[str, Any]) -> None:
        handler = getattr(self, "_" + action["func"], None)
        if handler is None:
            raise NotImplementedError(f"apply_actions does not play {action['func']!r}")
        handler(action)

    # ------------------------------------------------------------------ helpers
    def _sheet(self, action):
        return self.wb.worksheets[action["sheet_position"]]

    def _cells(self, action) -> Iterable[tuple[int, int, Any]]:
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i in range(action["row_count"]):
            for j in range(action["column_count"]):
                yield r0 + i, c0 + j, ws

    def _guard(self, ws, row: int, col: int) -> None:
        if ws.protection.sheet and ws.cell(row, col).protection.locked:
            raise ProtectedCellError(f"'{ws.title}'!{a1(row, col)} is locked and the sheet is protected")

    # ------------------------------------------------------------------ values
    def _setValues(self, action) -> None:
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                self._guard(ws, r0 + i, c0 + j)
                ws.cell(r0 + i, c0 + j).value = entered(value)

    def _rangeClearContents(self, action) -> None:
        for row, col, ws in self._cells(action):
            self._guard(ws, row, col)
            ws.cell(row, col).value = None

    def _rangeClear(self, action) -> None:
        from openpyxl.styles import PatternFill

        for row, col, ws in self._cells(action):
            self._guard(ws, row, col)
            cell = ws.cell(row, col)
            cell.value, cell.hyperlink, cell.fill = None, None, PatternFill()

    # ------------------------------------------------------------------ formats
    def _setRangeColor(self, action) -> None:
        fill = _fill(action["args"][0])
        for row, col, ws in self._cells(action):
            self._guard_format(ws)
            ws.cell(row, col).fill = fill

    def _setRangeColors(self, action) -> None:
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["args"][0]):
            for j, colour in enumerate(row):
                if colour != "keep":
                    self._guard_format(ws)
                    ws.cell(r0 + i, c0 + j).fill = _fill(colour)

    def _guard_format(self, ws) -> None:
        """A protected sheet refuses format changes unless formatCells is allowed."""
        if ws.protection.sheet and ws.protection.formatCells:
            raise ProtectedCellError(f"'{ws.title}' is protected: cell formats cannot change")

    def _setFontProperty(self, action) -> None:
        from copy import copy

        attribute, value = action["args"][0], action["args"][1]
        for row, col, ws in self._cells(action):
            self._guard_format(ws)
            cell = ws.cell(row, col)
            font = copy(cell.font)
            if attribute == "color":
                font.color = value.lstrip("#").upper() if value else None
            elif attribute in ("bold", "italic"):
                setattr(font, {"bold": "b", "italic": "i"}[attribute], bool(value))
            elif attribute == "size":
                font.sz = value
            elif attribute == "name":
                font.name = value
            cell.font = font

    def _setNumberFormat(self, action) -> None:
        for row, col, ws in self._cells(action):
            self._guard_format(ws)
            ws.cell(row, col).number_format = action["args"][0]

    # ------------------------------------------------------------------ links, sheets, selection
    def _addHyperlink(self, action) -> None:
        """``Hyperlinks.Add(Anchor, Address, TextToDisplay, ScreenTip)``: a target that
        starts with ``#`` is a place in this workbook; the cell shows the text."""
        from openpyxl.worksheet.hyperlink import Hyperlink

        address, text, tip = (list(action["args"]) + [None, None, None])[:3]
        for row, col, ws in self._cells(action):
            self._guard(ws, row, col)
            cell = ws.cell(row, col)
            ref = a1(row, col)
            if address.startswith("#"):
                cell.hyperlink = Hyperlink(ref=ref, location=address[1:], tooltip=tip, display=text)
            else:
                cell.hyperlink = Hyperlink(ref=ref, target=address, tooltip=tip, display=text)
            cell.value = text if text is not None else address

    def _activateSheet(self, action) -> None:
        index = int(action["args"][0])
        for ws in self.wb.worksheets:
            ws.sheet_view.tabSelected = False
        self.wb.active = index
        self.wb.worksheets[index].sheet_view.tabSelected = True

    def _rangeSelect(self, action) -> None:
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        r1, c1 = r0 + action["row_count"] - 1, c0 + action["column_count"] - 1
        ref = a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
        selection = ws.sheet_view.selection[0]
        selection.activeCell, selection.sqref = a1(r0, c0), ref

    def _setSheetVisibility(self, action) -> None:
        self._sheet(action).sheet_state = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}[
            action["args"][0]
        ]

    def _setSheetName(self, action) -> None:
        self._sheet(action).title = str(action["args"][0])

    # ------------------------------------------------------------------ no change to the file
    def _alert(self, action) -> None:
        """A message box: nothing in the file changes (see ``alerts``)."""

    def _save(self, action) -> None:
        """The client saves the open book; the copy is written at the end anyway."""

    def _runMacro(self, action) -> None:
        name, *_ = action["args"]
        if name not in self.macros:
            raise NotImplementedError(f"apply_actions has no stand-in for the client function {name!r}")
        self.macros[name](self.wb, action)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")


def entered(value: Any) -> Any:
    """What a cell holds after Excel is given ``value`` through ``range.values`` (Office.js)
    or ``Range.Value`` (COM): as if typed, numbers to Excel's 15 digits. xlwings sends None as "" and dates as ISO text
    (``prepare_xl_data_element``); text that looks like a number, a date, TRUE/FALSE or a
    formula is converted unless it starts with an apostrophe, which keeps it as text."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    if value.startswith("="):
        return value  # openpyxl stores it as a formula
    if _NUMBER.match(value.strip()):
        number = float(f"{float(value):.15g}")  # Excel keeps 15 significant digits
        return int(number) if number.is_integer() and abs(number) < 1e21 else number
    if _ISO_DATE.match(value):
        return dt.datetime.fromisoformat(value)
    if _ISO_DATETIME.match(value):
        return dt.datetime.fromisoformat(value.replace(" ", "T"))
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    return value


def _fill(colour: str | None):
    from openpyxl.styles import PatternFill

    if colour is None:
        return PatternFill()
    rgb = colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color="FF" + rgb, end_color="FF" + rgb)


__all__ = ["CLIENT", "ProtectedCellError", "alerts", "apply_actions", "book_payload", "entered", "js_iso"]
