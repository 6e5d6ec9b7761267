"""CSV as Excel on an Indonesian PC saves it: ';' or ',', UTF-8 (with or without BOM),
Windows-1252, or UTF-16 "Unicode Text". Shared by every command that reads a list an
office keeps (the village list, the office's key roster)."""

from __future__ import annotations

import csv
import io
import re

DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 10


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) first, then Windows-1252 (older Excel's "CSV (Comma delimited)").
    UTF-16 with a BOM is Excel's "Unicode Text". Raises UnicodeDecodeError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def delimiter(text: str) -> str:
    """The separator found on the most of the first lines (ties: the most often). Counting
    lines, not characters, keeps a decimal comma ("3,5") in a ';' file from winning."""
    lines = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]
    hint = re.fullmatch(r"sep=(.)", lines[0].strip()) if lines else None
    if hint:  # Excel's own "sep=;" first line says it outright
        return hint.group(1)
    score = {d: (sum(d in line for line in lines), sum(line.count(d) for line in lines)) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: score[d])
    return best if score[best][0] else ","


def rows(text: str) -> list[tuple[int, list[str]]]:
    """Each record with the line number a user sees (a quoted cell may span lines);
    an Excel "sep=;" hint line is not a record. Raises csv.Error."""
    sep = delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        if not (start == 1 and len(cells) == 1 and cells[0].strip() == f"sep={sep}"):
            out.append((start, cells))
        start = reader.line_num + 1
    return out
