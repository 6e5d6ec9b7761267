"""The village list for `kinerja new --desa FILE` (D17): CSV or XLSX, as offices have it.

Offices keep their list of desa/kelurahan in whatever Excel gave them: a CSV saved with
',' or ';' (Excel on an Indonesian Windows uses ';'), in UTF-8 with or without BOM, or in
Windows-1252 from an older "CSV (Comma delimited)"; or an XLSX. Headers are matched by
meaning (the tblDesa headers of the definition, or an obvious alias) rather than by
position, and every problem is one ``KinerjaError("DESA_BERKAS")`` that names the line
and the value, since the person reading it is fixing a file, not debugging code.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinerja.core import contract, csvtext
from kinerja.core.findings import KinerjaError
from kinerja.core.formatting import format_value

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
_REFUSED_SUFFIXES = {
    ".xls": "format Excel 97–2003 (.xls)",
    ".xlsb": "format Excel biner (.xlsb)",
    ".ods": "format LibreOffice/OpenOffice Calc (.ods)",
    ".numbers": "format Apple Numbers (.numbers)",
}
_SAVE_AS = "buka di Excel atau LibreOffice lalu simpan sebagai .xlsx atau CSV"


@dataclass(frozen=True)
class _Columns:
    """The roles of tblDesa's columns, read from the definition: the unique name column,
    the kind column with its list (first value is the default), the integer count column."""

    name: str
    kind: str
    kinds: tuple[str, ...]
    count: str
    min_count: int


def _columns() -> _Columns:
    sop = contract.definition()
    table = sop.table(contract.DESA)
    name = next(c for c in table.columns if c.unique)
    kind = next(c for c in table.columns if c.list)
    count = next(c for c in table.columns if c.type == "int")
    return _Columns(name.header, kind.header, sop.list_values(kind.list), count.header, int(count.min or 1))


@dataclass(frozen=True)
class _Grid:
    """Rows of one CSV file or one sheet, each with the line number the user sees."""

    rows: list[tuple[int, list[Any]]]
    sheet: str | None = None

    def at(self, line: int) -> str:
        return f"lembar '{self.sheet}' baris {line}" if self.sheet else f"baris {line}"

    def lines(self, numbers: Sequence[int]) -> str:
        """ "baris 3 dan 7", with the sheet named once."""
        joined = " dan ".join(str(n) for n in numbers)
        return f"lembar '{self.sheet}' baris {joined}" if self.sheet else f"baris {joined}"


def read_desa_file(path: Path) -> list[dict[str, Any]]:
    """Villages as tblDesa rows: {"Desa/Kelurahan": str, "Jenis": str, "Delegasi Diundang": int}."""
    path = Path(path)
    data = _read_bytes(path)
    grids = _xlsx_grids(path) if _format(path, data) == "xlsx" else [_csv_grid(path, data)]
    if all(not _filled(cells) for grid in grids for _, cells in grid.rows):
        raise _error(path, "berkas kosong, tidak ada isian")
    cols = _columns()
    grid, header_line, index = _find_header(path, grids, cols)
    return _villages(path, grid, header_line, index, cols)


def _error(path: Path, detail: str) -> KinerjaError:
    return KinerjaError("DESA_BERKAS", path=str(path), detail=detail)


# --------------------------------------------------------------------------- which format


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise _error(path, "berkas tidak ditemukan")
    if path.is_dir():
        raise _error(path, "ini sebuah folder, bukan berkas")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _error(path, f"berkas tidak bisa dibuka ({exc.strerror or exc})") from exc


def _format(path: Path, data: bytes) -> str:
    """'xlsx' or 'csv', by content first (a renamed file is common), else by suffix."""
    suffix = path.suffix.lower()
    if data.startswith(_ZIP):
        return _zip_format(path, data)
    if data.startswith(_OLE):
        if suffix in (".xlsx", ".xlsm"):
            raise _error(
                path, "berkas XLSX ini dikunci kata sandi; buka di Excel, hapus kata sandinya, lalu simpan ulang"
            )
        raise _error(path, f"{_REFUSED_SUFFIXES['.xls']} tidak didukung; {_SAVE_AS}")
    if suffix in _REFUSED_SUFFIXES:
        raise _error(path, f"{_REFUSED_SUFFIXES[suffix]} tidak didukung; {_SAVE_AS}")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:4096]:
        raise _error(path, "berkas ini bukan CSV atau XLSX (isinya bukan teks)")
    return "csv"


def _zip_format(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            types = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = z.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _error(path, f"berkas ZIP/XLSX rusak ({exc})") from exc
    # The workbook part's content type decides (xlsx, xlsm, xltx all end in "main+xml");
    # an xlsb declares a binary main part, and an xlsx may list .bin as a mere default.
    if b"main+xml" in types and (b"spreadsheetml" in types or b"ms-excel" in types):
        return "xlsx"
    if b"sheet.binary" in types:
        raise _error(path, f"{_REFUSED_SUFFIXES['.xlsb']} tidak didukung; {_SAVE_AS}")
    if b"opendocument.spreadsheet" in mimetype:
        raise _error(path, f"{_REFUSED_SUFFIXES['.ods']} tidak didukung; {_SAVE_AS}")
    if any(n.startswith("xl/") for n in names):
        raise _error(path, "berkas XLSX rusak (bagian [Content_Types].xml tidak ada); simpan ulang dari Excel")
    raise _error(path, "berkas ZIP ini bukan buku kerja XLSX")


# --------------------------------------------------------------------------- reading


def _csv_grid(path: Path, data: bytes) -> _Grid:
    text = _decode(path, data)
    delimiter = csvtext.delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _error(path, f"baris {start} tidak bisa dibaca sebagai CSV ({exc})") from exc
    return _Grid(rows)


def _decode(path: Path, data: bytes) -> str:
    try:
        return csvtext.decode(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        detail = f"baris {line} memuat huruf yang bukan UTF-8 atau Windows-1252; simpan ulang sebagai 'CSV UTF-8'"
        raise _error(path, detail) from exc


def _xlsx_grids(path: Path) -> list[_Grid]:
    """Every sheet, in order, with Excel row numbers (calamine starts at A1 when asked)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        grids = []
        for name in book.sheet_names:
            table = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids.append(_Grid([(i + 1, list(r)) for i, r in enumerate(table)], sheet=name))
        return grids
    except Exception as exc:  # a reader's own exceptions become one message (pyxform)
        raise _error(path, f"berkas XLSX tidak bisa dibaca, mungkin rusak atau berkata sandi ({exc})") from exc


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
    partial: str | None = None  # a header row with names but no counts, reported if nothing better
    for grid in grids:
        for line, cells in _first_filled(grid.rows):
            index = _header_index(path, grid, line, cells, mapping)
            if cols.name in index and cols.count in index:
                return grid, line, index
            if cols.name in index and partial is None:
                partial = (
                    f"judul kolom di {grid.at(line)} tidak memuat '{cols.count}' "
                    f"(atau {_or(ALIASES.get(cols.count, ()))})"
                )
    if partial:
        raise _error(path, partial)
    raise _error(path, f"tidak ada kolom '{cols.name}' (atau {_or(ALIASES.get(cols.name, ()))}); {_first_line(grids)}")


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
            raise _error(
                path,
                f"{grid.at(line)}: kolom '{_text(cells[index[header]])}' dan '{_text(cell)}' "
                f"sama-sama berarti '{header}'; hapus salah satu",
            )
        index[header] = i
    return index


def _first_line(grids: Sequence[_Grid]) -> str:
    for grid in grids:
        for line, cells in grid.rows:
            if _filled(cells):
                texts = [_text(c)[:30] for c in cells if _text(c)]
                shown = ", ".join(texts[:6]) + (", …" if len(texts) > 6 else "")
                return f"{grid.at(line)} berisi: {shown}"
    return "berkas kosong"


def _or(words: Sequence[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


# --------------------------------------------------------------------------- rows


def _villages(path: Path, grid: _Grid, header_line: int, index: dict[str, int], cols: _Columns) -> list[dict[str, Any]]:
    """Every data row checked; all problems reported together, so one round of fixing does."""
    villages: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, cells in grid.rows:
        if line <= header_line or not _filled(cells):
            continue
        value = {h: cells[i] if i < len(cells) else None for h, i in index.items()}
        row, row_problems = _village(value, cols)
        problems += [f"{grid.at(line)}: {p}" for p in row_problems]
        if row is None:
            continue
        key = _norm(row[cols.name])
        if key in seen:
            problems.append(f"'{row[cols.name]}' tercantum dua kali ({grid.lines([seen[key], line])})")
            continue
        seen[key] = line
        villages.append(row)
    if problems:
        raise _error(path, _summary(problems))
    if not villages:
        raise _error(path, f"tidak ada desa di bawah judul kolom ({grid.at(header_line)})")
    return villages


def _village(value: dict[str, Any], cols: _Columns) -> tuple[dict[str, Any] | None, list[str]]:
    name = " ".join(_text(value.get(cols.name)).split())
    problems = []
    if not name:
        problems.append(f"nama {cols.name} kosong")
    kind = _kind(value.get(cols.kind), name, cols)
    if kind is None:
        problems.append(f"{cols.kind} '{_text(value.get(cols.kind))}' bukan {' atau '.join(cols.kinds)}")
    raw = value.get(cols.count)
    count = _whole_number(raw, cols.min_count)
    if count is None:
        shown = format_value(raw) if isinstance(raw, float) else _text(raw)  # 4,5 as Excel shows it
        what = f"'{shown}' bukan bilangan bulat" if shown else "kosong"
        problems.append(f"{cols.count} {what} (harus angka bulat ≥ {cols.min_count})")
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


def _summary(problems: Sequence[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"{shown}; dan {more} masalah lain" if more > 0 else shown
