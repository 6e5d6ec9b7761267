"""One pass over a sheet's XML before calamine sees it (D25, D29).

calamine builds one dense grid from the first to the last cell that holds a value, so a
single value typed at XFD1048576 makes it allocate hundreds of GB and abort the process;
and it refuses a whole file over one Excel 365 error value (#SPILL!, #CALC! …) it does not
know. So the sheet's XML is scanned first, placing every cell as calamine will (a cell or
row without an ``r`` attribute takes the next position, as OOXML allows), to find:

- how far its values reach, checked against the limits before any grid exists;
- the cells holding an error value, classic or Excel 365, by position (calamine reads
  them as empty strings, D25);
- whether the sheet is protected;
- the bytes calamine is given: the same sheet with every error value written as one it
  knows (the real value is already recorded here).

A ``<c>`` or ``<row>`` start tag the scan cannot read is damage, never skipped: nothing
calamine places may escape the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from xml.sax.saxutils import unescape

from kinerja.core.cells import a1, col_index
from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS, Limits

_P = rb"(?:[^\s<>/:=!?\"']+:)?"  # a namespace prefix, any (x: in Open XML SDK files)
_ATTRS = rb"((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*"
_TOKEN = re.compile(
    rb"<" + _P + rb"(?:(row)" + _ATTRS + rb"(/?)>|c" + _ATTRS + rb"(?:/>|>(.*?)</" + _P + rb"c\s*>))"
    rb"|</" + _P + rb"row\s*>"
    rb"|<" + _P + rb"(?:row|c)(?=[\s/>])",  # a start tag neither pattern above could read
    re.S,
)
_QATTRS = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*"
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # then checked back to its "<"
_PREFIX_NAME = re.compile(rb"[^\s<>/:=!?\"']+")
_FULL_CELL = re.compile(rb"<" + _P + rb"c(" + _QATTRS + rb")\s*>(.*?)</" + _P + rb"c\s*>", re.S)
_INLINE = re.compile(rb"<" + _P + rb"is(?=[\s/>])")
_V_ELEMENT = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?(?:/>|>(.*?)</" + _P + rb"v\s*>)", re.S)
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_ROW_REF = re.compile(rb"[A-Za-z]*([0-9]+)")
_PROTECTION = re.compile(rb"<" + _P + rb"sheetProtection\b([^>]*)>")
_KNOWN_ERROR = b"<v>#N/A</v>"


_ATTR = {name: re.compile(rb"(?:^|\s)" + name + rb"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')") for name in (b"r", b"t")}


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    m = _ATTR[name].search(attrs)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


@dataclass
class SheetScan:
    last_row: int = 0  # the last row and column holding a value (1-based); 0: none
    last_col: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "#SPILL!"
    protected: bool = False
    for_calamine: bytes = b""


def scan_sheet(data: bytes, sheet: str, part: str, limits: Limits = LIMITS) -> SheetScan:
    """The sheet's extent of values, error cells and protection, checked against the
    limits; raises BERKAS_BATAS_SEL or BERKAS_RUSAK/RUSAK_ISI."""
    scan = SheetScan(protected=is_protected(data))
    if not _scan_addressed(data, scan, sheet, limits):
        _scan_tokens(data, scan, sheet, part, limits)
    return scan


def _chunks(data: bytes, size: int = 1 << 20):
    """The XML in pieces of about ``size`` bytes, each cut just before a "<", so no tag
    is ever split (a tag holds no "<")."""
    start = 0
    while start < len(data):
        end = len(data) if start + size >= len(data) else data.rfind(b"<", start + 1, start + size)
        if end <= start:
            end = min(len(data), start + size)
        yield data[start:end]
        start = end


def _scan_addressed(data: bytes, scan: SheetScan, sheet: str, limits: Limits) -> bool:
    """The fast path, when every cell starts with its address (r first, in capitals, as
    Excel, LibreOffice and openpyxl write it) and all cells are spelt with one prefix:
    positions need no cursor, and the work runs inside the regex engine, a piece of the
    XML at a time. False, having changed nothing, when some cell is written otherwise;
    the token walk then does the work.

    Cells that hold nothing (self-closing, or closed at once) do not count; a formula
    cell with an empty cached value does, so the extent may reach a little further than
    calamine's values, never less far."""
    prefixes = {data[data.rfind(b"<", 0, m.start()) + 1 : m.start()] for m in _PREFIXED_CELL.finditer(data)}
    prefixes = {p for p in prefixes if _PREFIX_NAME.fullmatch(p)}  # ":c" in text is no tag
    if len(prefixes) > 1 or (prefixes and _patterns(b"")[0].search(data)):
        return False
    starts, excel, general = _patterns(prefixes.pop() + b":" if prefixes else b"")
    last_row, last_col = b"", b""  # right-aligned, so that bytes compare as numbers and columns
    for chunk in _chunks(data):
        cells = len(starts.findall(chunk))
        found = excel.findall(chunk)
        if len(found) != cells:
            found = general.findall(chunk)
            if len(found) != cells:
                return False  # some cell does not start with its address
        held = [(col, row) for col, row, closed, closed_at_once in found if not (closed or closed_at_once)]
        if held:
            cols, rows = zip(*held)
            last_row = max(last_row, max(map(bytes.rjust, rows, repeat(9))))
            last_col = max(last_col, max(map(bytes.rjust, cols, repeat(3))))
    if last_row:
        row, col = int(last_row), col_index(last_col.strip().decode())
        if row > limits.sheet_rows or col > limits.sheet_columns or row * col > limits.sheet_cells:
            _refuse(sheet, *_farthest(data, general, row, last_col), limits)
        scan.last_row, scan.last_col = row, col
    _errors_by_address(data, scan)
    return True


def _quoted_e(data: bytes):
    for quoted in (b'"e"', b"'e'"):
        at = data.find(quoted)
        while at != -1:
            yield at
            at = data.find(quoted, at + 3)


def _farthest(data: bytes, holding: re.Pattern, last_row: int, last_col: bytes) -> tuple[int, int]:
    """The cell to name when a sheet reaches too far: the one in the last row, or else
    the one in the last column (the two maxima may come from different cells)."""
    for m in holding.finditer(data):
        if not (m.group(3) or m.group(4)) and (int(m.group(2)) == last_row or m.group(1).rjust(3) == last_col):
            return int(m.group(2)), col_index(m.group(1).decode())
    return last_row, col_index(last_col.strip().decode())


def _errors_by_address(data: bytes, scan: SheetScan) -> None:
    """Error cells, found from their rare type value ("e" in quotes) rather than by
    reading every cell: each is taken back to its tag's "<" (a tag holds no "<") and
    read as a whole cell there."""
    spans, seen = [], set()
    for at in _quoted_e(data):
        start = data.rfind(b"<", 0, at)
        if start in seen:
            continue
        seen.add(start)
        cell = _FULL_CELL.match(data, start)
        if cell is None or _attr(cell.group(1), b"t") != b"e":
            continue  # "e" was some other value
        ref = _CELL_REF.fullmatch(_attr(cell.group(1), b"r") or b"")
        v = _V_ELEMENT.search(cell.group(2))
        if ref is None or not _holds_value(b"e", v, cell.group(2)):
            continue
        position = (int(ref.group(2)), col_index(ref.group(1).decode().upper()))
        scan.errors[position] = _error_code(v.group(1) if v else None)
        if v:
            spans.append((cell.start(2) + v.start(), cell.start(2) + v.end()))
    scan.for_calamine = _rewrite(data, sorted(spans))


@cache
def _patterns(prefix: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """For cells spelt with ``prefix``: any cell's start tag; a cell whose first attribute
    is a plain address (capital letters, no leading zero), written as Excel writes it
    (single spaces, double quotes: the quick pattern) or in any legal spelling; each gives
    the column letters, the row digits, and whether the cell holds nothing (self-closing,
    or closed at once)."""
    p = re.escape(prefix)
    address = rb"([A-Z]{1,3})([1-9][0-9]{0,8})"
    return (
        re.compile(rb"<" + p + rb"c[\s/>]"),
        re.compile(rb"<" + p + rb'c r="' + address + rb'"(?: [\w:.-]+="[^"]*")*(?:(/)>|>(</' + p + rb"c>)?)"),
        re.compile(
            rb"<" + p + rb"c\s+r\s*=\s*[\"']" + address + rb"[\"']" + _QATTRS + rb"\s*(?:(/)>|>(</" + p + rb"c\s*>)?)"
        ),
    )


def _scan_tokens(data: bytes, scan: SheetScan, sheet: str, part: str, limits: Limits) -> None:
    """Cells or rows without an address (legal OOXML): walk them in order with calamine's
    cursor. Every cell element counts against the walk's own limit, written or empty, so
    a sheet of millions of empty elements is refused rather than walked for seconds."""
    replacements: list[tuple[int, int]] = []  # spans of error <v> elements to rewrite
    row_index = col_index_ = 0  # calamine's cursor, 0-based
    elements = 0
    for m in _TOKEN.finditer(data):
        if m.group(1):  # <row …> (self-closing counts as start and end, as calamine reads it)
            r = _attr(m.group(2), b"r")
            if r is not None:
                row_index = _row(r, part) - 1
            if m.group(3):
                row_index, col_index_ = row_index + 1, 0
            continue
        if m.group(4) is None:
            if m.group(0).startswith(b"</"):  # </row>
                row_index, col_index_ = row_index + 1, 0
                continue
            raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_ISI", part=part, value=_shown(data, m.start()))
        attrs, content = m.group(4), m.group(5)
        r = _attr(attrs, b"r")
        if r is not None:
            row, col = _cell(r, part)
            row_index, col_index_ = row - 1, col - 1
        row, col = row_index + 1, col_index_ + 1
        col_index_ += 1
        elements += 1
        if elements > limits.walked_cells:
            _refuse(sheet, row, col, limits, limits.walked_cells)
        if content is None:
            continue
        kind, v = _attr(attrs, b"t"), _V_ELEMENT.search(content)
        if not _holds_value(kind, v, content):
            continue
        _within(scan, row, col, sheet, limits)
        if kind == b"e":
            scan.errors[(row, col)] = _error_code(v.group(1) if v else None)
            if v:
                replacements.append((m.start(5) + v.start(), m.start(5) + v.end()))
    scan.for_calamine = _rewrite(data, replacements)


def _holds_value(kind: bytes | None, v: re.Match | None, content: bytes) -> bool:
    """Whether calamine places a value in its grid for this cell: an inline string, or a
    <v> that is not empty. An empty <v> of a number cell (openpyxl writes one after each
    formula) is no value; of any other type it is one (or an error calamine reports)."""
    if _INLINE.search(content):
        return True
    if v is None:
        return False
    return bool(v.group(1)) or kind not in (None, b"n")


def _within(scan: SheetScan, row: int, col: int, sheet: str, limits: Limits) -> None:
    last_row, last_col = max(scan.last_row, row), max(scan.last_col, col)
    if row > limits.sheet_rows or col > limits.sheet_columns or last_row * last_col > limits.sheet_cells:
        _refuse(sheet, row, col, limits)
    scan.last_row, scan.last_col = last_row, last_col


def _refuse(sheet: str, row: int, col: int, limits: Limits, max_cells: int | None = None) -> None:
    raise KinerjaError(
        "BERKAS_BATAS_SEL",
        sheet=sheet,
        cell=a1(row, col),
        max_rows=limits.sheet_rows,
        max_cells=max_cells or limits.sheet_cells,
    )


def _cell(ref: bytes, part: str) -> tuple[int, int]:
    m = _CELL_REF.fullmatch(ref)
    if m is None or int(m.group(2)) == 0:
        raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_ISI", part=part, value=ref.decode("latin-1")[:40])
    return int(m.group(2)), col_index(m.group(1).decode().upper())


def _row(ref: bytes, part: str) -> int:
    m = _ROW_REF.fullmatch(ref)
    if m is None or int(m.group(1)) == 0:
        raise KinerjaError("BERKAS_RUSAK", reason="RUSAK_ISI", part=part, value=ref.decode("latin-1")[:40])
    return int(m.group(1))


def _error_code(text: bytes | None) -> str:
    """The error as the cell holds it: classic (#REF!, #N/A …) or Excel 365 (#SPILL!,
    #CALC!, #BUSY! …), whatever Excel adds next."""
    raw = (text or b"").decode("utf-8", "replace").strip()
    if raw.startswith("<![CDATA[") and raw.endswith("]]>"):
        raw = raw[9:-3]
    return unescape(raw).strip() or "#N/A"


def _rewrite(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    if not spans:
        return data
    out, last = [], 0
    for start, end in spans:
        out += [data[last:start], _KNOWN_ERROR]
        last = end
    out.append(data[last:])
    return b"".join(out)


def _shown(data: bytes, at: int) -> str:
    return data[at : at + 40].decode("utf-8", "replace")


def is_protected(sheet_xml: bytes) -> bool:
    """Whether a sheet carries sheet protection (found by its name first: it is one
    element near the end of the sheet, and a regex started at every "<" is slow)."""
    at = sheet_xml.find(b"sheetProtection")
    while at != -1:
        m = _PROTECTION.match(sheet_xml, sheet_xml.rfind(b"<", 0, at))
        if m:
            return re.search(rb'\bsheet\s*=\s*["\'](1|true)["\']', m.group(1)) is not None
        at = sheet_xml.find(b"sheetProtection", at + 1)
    return False
