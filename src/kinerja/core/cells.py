"""A1 addresses: the one place that turns (row, column) into what Excel shows."""

from __future__ import annotations

import re
from functools import lru_cache

_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    """1 -> A, 27 -> AA (remembered: every cell address of a validation passes here)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """'C12' or '$C$12' -> (12, 3)."""
    m = _A1.match(ref.upper())
    if not m:
        raise ValueError(f"not a cell address: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A5:H505' -> (first_row, first_col, last_row, last_col)."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last or first)
    return r1, c1, r2, c2


def quote_sheet(name: str) -> str:
    """Sheet name as a formula or link needs it: '1a Daftar Hadir' (XlsxWriter's rule)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def absolute(sheet: str, ref: str) -> str:
    """'1b Berita Acara', 'C5' -> '1b Berita Acara'!$C$5."""
    row, col = parse_a1(ref)
    return f"{quote_sheet(sheet)}!${col_letter(col)}${row}"


def split_sheet_ref(text: str) -> tuple[str, str] | None:
    """ "'1b Berita Acara'!$C$5" (or "=...", as xlwings' refers_to gives it) ->
    ("1b Berita Acara", "C5"); None unless it is one cell on one sheet."""
    sheet, bang, ref = text.strip().removeprefix("=").rpartition("!")
    if not bang:
        return None
    if sheet.startswith("'") and sheet.endswith("'") and len(sheet) >= 2:
        sheet = sheet[1:-1].replace("''", "'")
    ref = ref.replace("$", "")
    try:
        parse_a1(ref)
    except ValueError:
        return None
    return sheet, ref


def cell_sort_key(ref: str) -> tuple[int, int]:
    try:
        return parse_a1(ref)
    except ValueError:
        return (0, 0)
