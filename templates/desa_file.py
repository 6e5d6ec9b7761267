"""The village list for `kinerja new --desa FILE` (D17): CSV or XLSX, as offices have it.

Offices keep their list of desa/kelurahan in whatever Excel gave them: a CSV saved with
',' or ';' (Excel on an Indonesian Windows uses ';'), in UTF-8 with or without BOM, or in
Windows-1252 from an older "CSV (Comma delimited)"; or an XLSX, often last year's kinerja
workbook, whose table tblDesa is read by its name. Headers are matched by meaning (the
tblDesa headers of the definition, or an obvious alias) rather than by position.

Every problem is its own catalogue code (D31) with the line as the user sees it (the CSV
line, or the sheet and its Excel row), since the person reading it is fixing a file, not
debugging code; the problems of the rows are all reported in one message, so one round
of fixing does.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerja.core import contract, csvtext
from kinerja.core.findings import KinerjaError, Reason

# Headers people actually write, mapped to the tblDesa header they mean.
ALIASES: dict[str, tuple[str, ...]] = {
    "Desa/Kelurahan": ("Desa", "Nama Desa", "Kelurahan", "Nama Kelurahan", "Nama Desa/Kelurahan"),
    "Jenis": ("Jenis Desa",),
    "Delegasi Diundang": ("Delegasi", "Jumlah Delegasi", "Diundang", "Jumlah Diundang", "Jumlah Delegasi Diundang"),
}

HEADER_SEARCH_ROWS = 10  # a title or a blank line or two may stand above the headers
MAX_PROBLEMS = 8  # listed in one message; the rest are counted

_ZIP = b"PK\x03\x04"
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # Excel 97–2003, and any password-protected XLSX
# Formats refused by name: the program that writes them is the same word in every language.
_REFUSED_SUFFIXES = {
    ".xls": "Excel 97–2003 (.xls)",
    ".xlsb": "Excel (.xlsb)",
    ".ods": "LibreOffice/OpenOffice Calc (.ods)",
    ".numbers": "Apple Numbers (.numbers)",
}


@dataclass(frozen=True)
class _Columns:
    """The roles of tblDesa's columns, read from the definition: the unique name column,
    the kind column with its list (first value is the default), the integer count column."""

    name: str
    kind: str
    kinds: tuple[str, ...]
    count: str
    min_count: int
    capacity: int  # rows the template's tblDesa holds (D5)


def _columns() -> _Columns:
    sop = contract.definition()
    table = sop.table(contract.DESA)
    name = next(c for c in table.columns if c.unique)
    kind = next(c for c in table.columns if c.list)
    count = next(c for c in table.columns if c.type == "int")
    return _Columns(name.header, kind.header, sop.list_values(kind.list), count.header, int(count.min or 1), table.rows)


@dataclass(frozen=True)
class _Grid:
    """Rows of one CSV file or one sheet, each with the line number the user sees."""

    rows: list[tuple[int, list[Any]]]
    sheet: str | None = None

    def at(self, line: int) -> Reason:
        """ "baris 3" / "line 3", or "lembar 'Desa' baris 3" / "sheet 'Desa', row 3"."""
        if self.sheet:
            return Reason("DESA_LETAK_LEMBAR", {"sheet": self.sheet, "line": line})
        return Reason("DESA_LETAK_BARIS", {"line": line})

    def error(self, code: str, path: Path, line: int, **params: Any) -> KinerjaError:
        """An error at one line; the sheet and line stay as values for machines and tests."""
        return KinerjaError(code, sheet=self.sheet, path=str(path), where=self.at(line), line=line, **params)


def read_desa_file(path: Path) -> list[dict[str, Any]]:
    """Villages as tblDesa rows: {"Desa/Kelurahan": str, "Jenis": str, "Delegasi Diundang": int}."""
    path = Path(path)
    data = _read_bytes(path)
    grids = _xlsx_grids(path, data) if _format(path, data) == "xlsx" else [_csv_grid(path, data)]
    if all(not _filled(cells) for grid in grids for _, cells in grid.rows):
        raise _error("DESA_KOSONG", path)
    cols = _columns()
    grid, header_line, index = _find_header(path, grids, cols)
    villages = _villages(path, grid, header_line, index, cols)
    if len(villages) > cols.capacity:
        # D5: tblDesa is pre-sized from the definition, and tblRekapDesa and the chart with it.
        raise _error("DESA_TERLALU_BANYAK", path, count=len(villages), max=cols.capacity)
    return villages


def _error(code: str, path: Path, **params: Any) -> KinerjaError:
    return KinerjaError(code, path=str(path), **params)


# --------------------------------------------------------------------------- which format


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise _error("DESA_TIDAK_ADA", path)
    if path.is_dir():
        raise _error("DESA_FOLDER", path)
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise _error("DESA_TANPA_IZIN", path) from exc
    except OSError as exc:
        raise _error("DESA_GAGAL_BUKA", path, errno=errno.errorcode.get(exc.errno or 0, "–")) from exc


def _format(path: Path, data: bytes) -> str:
    """'xlsx' or 'csv', by content first (a renamed file is common), else by suffix."""
    suffix = path.suffix.lower()
    if data.startswith(_ZIP):
        return _zip_format(path, data)
    if data.startswith(_OLE):
        if suffix in (".xlsx", ".xlsm"):
            raise _error("DESA_BERSANDI", path)
        raise _error("DESA_FORMAT_LAIN", path, format=_REFUSED_SUFFIXES[".xls"])
    if suffix in _REFUSED_SUFFIXES:
        raise _error("DESA_FORMAT_LAIN", path, format=_REFUSED_SUFFIXES[suffix])
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:4096]:
        raise _error("DESA_BUKAN_TEKS", path)
    return "csv"


def _zip_format(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            types = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = z.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise _error("DESA_RUSAK", path) from exc
    # The workbook part's content type decides (xlsx, xlsm, xltx all end in "main+xml");
    # an xlsb declares a binary main part, and an xlsx may list .bin as a mere default.
    if b"main+xml" in types and (b"spreadsheetml" in types or b"ms-excel" in types):
        return "xlsx"
    if b"sheet.binary" in types:
        raise _error("DESA_FORMAT_LAIN", path, format=_REFUSED_SUFFIXES[".xlsb"])
    if b"opendocument.spreadsheet" in mimetype:
        raise _error("DESA_FORMAT_LAIN", path, format=_REFUSED_SUFFIXES[".ods"])
    if any(n.startswith("xl/") for n in names):
        raise _error("DESA_RUSAK", path)  # [Content_Types].xml is missing
    raise _error("DESA_ZIP_LAIN", path)


# --------------------------------------------------------------------------- reading


def _csv_grid(path: Path, data: bytes) -> _Grid:
    try:
        text = csvtext.decode(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Grid([]).error("DESA_HURUF", path, line) from exc
    try:
        return _Grid(csvtext.rows(text))
    except csv.Error as exc:
        # The record that failed starts after the last one read; csv says only which kind.
        line = _failed_line(text)
        code = "DESA_CSV_NUL" if "NUL" in str(exc) else "DESA_CSV_KUTIP"
        raise _Grid([]).error(code, path, line) from exc


def _failed_line(text: str) -> int:
    """The line on which the record csv could not read starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csvtext.delimiter(text))
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    return start


def _xlsx_grids(path: Path, data: bytes) -> list[_Grid]:
    """Every sheet, in order, with Excel row numbers (calamine starts at A1 when asked);
    a workbook with a table tblDesa (last year's kinerja workbook) is that table alone."""
    from kinerja.core.cells import parse_range
    from kinerja.core.source import Area
    from kinerja.xlsx.source import FileSource

    try:
        # The same guarded reader as every workbook (D29): limits, no DTD, no stray cell
        # far out that would make calamine allocate without bound.
        with FileSource(data, str(path)) as source:
            sheets = [s.name for s in source.sheets()]
            for sheet in sheets:
                for table in source.tables(sheet):
                    if table.name.casefold() == contract.DESA.casefold():
                        r1, c1, r2, c2 = parse_range(table.ref)
                        values = source.values(sheet, Area(r1, c1, r2, c2))
                        return [_Grid([(r1 + i, list(row)) for i, row in enumerate(values)], sheet=sheet)]
            grids = []
            for sheet in sheets:
                rows, cols = source.extent(sheet)
                values = source.values(sheet, Area(1, 1, rows, cols)) if rows else []
                grids.append(_Grid([(i + 1, list(r)) for i, r in enumerate(values)], sheet=sheet))
            return grids
    except KinerjaError:
        raise  # the reader's own coded reason (a limit, a damaged part) names the cause
    except Exception as exc:  # a reader's own exceptions become one message (pyxform)
        raise _error("DESA_RUSAK", path) from exc


# --------------------------------------------------------------------------- headers


def _norm(value: Any) -> str:
    """Header or name compared without case, extra spaces or spaces around '/'."""
    text = " ".join(_text(value).split()).casefold()
    return re.sub(r"\s*/\s*", "/", text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\ufeff", "").strip()


def _filled(cells: Sequence[Any]) -> bool:
    return any(_text(c) for c in cells)


def _header_map() -> dict[str, str]:
    """Normalised header or alias → tblDesa header."""
    table = contract.definition().table(contract.DESA)
    mapping = {_norm(h): h for h in table.headers}
    for header, aliases in ALIASES.items():
        table.column(header)  # an alias for a header the definition lost fails here
        mapping.update({_norm(a): header for a in aliases})
    return mapping


def _find_header(path: Path, grids: Sequence[_Grid], cols: _Columns) -> tuple[_Grid, int, dict[str, int]]:
    """The first row (in the first sheet that has one) naming the village and count columns."""
    mapping = _header_map()
    partial: KinerjaError | None = None  # a header row with names but no counts, reported if nothing better
    for grid in grids:
        for line, cells in _first_filled(grid.rows):
            index = _header_index(path, grid, line, cells, mapping)
            if cols.name in index and cols.count in index:
                return grid, line, index
            if cols.name in index and partial is None:
                partial = grid.error(
                    "DESA_KOLOM_JUMLAH", path, line, column=cols.count, aliases=_quoted(ALIASES.get(cols.count, ()))
                )
    if partial:
        raise partial
    grid, line, shown = _first_line(grids)
    raise grid.error(
        "DESA_KOLOM_NAMA", path, line, column=cols.name, aliases=_quoted(ALIASES.get(cols.name, ())), found=shown
    )


def _first_filled(rows: Sequence[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    filled = (r for r in rows if _filled(r[1]))
    for _, row in zip(range(HEADER_SEARCH_ROWS), filled):
        yield row


def _header_index(path: Path, grid: _Grid, line: int, cells: Sequence[Any], mapping: dict[str, str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        header = mapping.get(_norm(cell))
        if header is None:
            continue  # extra columns (No, Keterangan…) are ignored
        if header in index:
            raise grid.error(
                "DESA_KOLOM_GANDA", path, line, first=_text(cells[index[header]]), second=_text(cell), header=header
            )
        index[header] = i
    return index


def _first_line(grids: Sequence[_Grid]) -> tuple[_Grid, int, str]:
    """The first filled line and what it holds (the file is known not to be empty)."""
    for grid in grids:
        for line, cells in grid.rows:
            if _filled(cells):
                texts = [_text(c)[:30] for c in cells if _text(c)]
                return grid, line, ", ".join(texts[:6]) + (", …" if len(texts) > 6 else "")
    raise AssertionError("an empty file is refused before its headers are looked for")


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


# --------------------------------------------------------------------------- rows


def _villages(path: Path, grid: _Grid, header_line: int, index: dict[str, int], cols: _Columns) -> list[dict[str, Any]]:
    """Every data row checked; all problems reported together, so one round of fixing does."""
    villages: list[dict[str, Any]] = []
    problems: list[KinerjaError] = []
    seen: dict[str, int] = {}
    for line, cells in grid.rows:
        if line <= header_line or not _filled(cells):
            continue
        value = {h: cells[i] if i < len(cells) else None for h, i in index.items()}
        row, row_problems = _village(path, grid, line, value, cols)
        problems += row_problems
        if row is None:
            continue
        key = _norm(row[cols.name])
        if key in seen:
            first = seen[key]
            problems.append(grid.error("DESA_GANDA", path, line, name=row[cols.name], first=grid.at(first)))
            continue
        seen[key] = line
        villages.append(row)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise _summary(path, problems)
    if not villages:
        raise grid.error("DESA_TANPA_DESA", path, header_line)
    return villages


def _village(
    path: Path, grid: _Grid, line: int, value: dict[str, Any], cols: _Columns
) -> tuple[dict[str, Any] | None, list[KinerjaError]]:
    name = " ".join(_text(value.get(cols.name)).split())
    problems = []
    if not name:
        problems.append(grid.error("DESA_NAMA_KOSONG", path, line, column=cols.name))
    kind = _kind(value.get(cols.kind), name, cols)
    if kind is None:
        problems.append(
            grid.error(
                "DESA_JENIS_SALAH", path, line, column=cols.kind, value=_text(value.get(cols.kind)), choices=cols.kinds
            )
        )
    raw = value.get(cols.count)
    count = _whole_number(raw, cols.min_count)
    if count is None:
        if _text(raw):
            shown = raw if isinstance(raw, float) else _text(raw)  # a float shows as Excel does: 4,5
            problems.append(
                grid.error("DESA_JUMLAH_SALAH", path, line, column=cols.count, value=shown, min=cols.min_count)
            )
        else:
            problems.append(grid.error("DESA_JUMLAH_KOSONG", path, line, column=cols.count, min=cols.min_count))
    if problems:
        return None, problems
    return {cols.name: name, cols.kind: kind, cols.count: count}, []


def _kind(raw: Any, name: str, cols: _Columns) -> str | None:
    """As written (any case), or guessed: "Kelurahan X" is a kelurahan, else a desa."""
    text = _text(raw)
    if text:
        return next((k for k in cols.kinds if k.casefold() == text.casefold()), None)
    default, *others = cols.kinds
    return next((k for k in others if name.casefold().startswith(k.casefold() + " ")), default)


def _whole_number(raw: Any, minimum: int) -> int | None:
    """A count as typed or as Excel stores it: 4, 4.0, "4", "4,0"; never 4.5, "empat" or 0."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\d+(?:[.,]0{1,2})?", raw.strip()):
        number = int(re.split(r"[.,]", raw.strip())[0])
    else:
        return None
    return number if number >= minimum else None


def _summary(path: Path, problems: Sequence[KinerjaError]) -> KinerjaError:
    """Several problems in one message: each rendered from its own code, the rest counted."""
    shown = [Reason(p.code, {"sheet": p.sheet or "", **p.params}) for p in problems[:MAX_PROBLEMS]]
    more = len(problems) - len(shown)
    return _error(
        "DESA_BANYAK_MASALAH",
        path,
        count=len(problems),
        problems=shown,
        more=Reason("DESA_MASALAH_LAIN", {"more": more}) if more > 0 else "",
    )
