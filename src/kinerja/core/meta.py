"""The `_meta` sheet's key | value rows (D6), and values longer than one cell.

Excel keeps at most 32,767 characters in a cell. The ledger keeps more than that in
`_meta` (a snapshot of the signed inputs), so a long value is written in chunks under
numbered keys (`ledger`, `ledger#2`, `ledger#3` …) and joined again when read. Every
source of a workbook model (a file, a live Excel book) and every writer uses these two
functions, so the layout is defined once.
"""

from __future__ import annotations

from collections.abc import Iterable

CELL_LIMIT = 32_767  # Excel's most characters in one cell
CHUNK = 32_000  # what one _meta cell holds: below the limit, whatever a program adds
_MARK = "#"


def chunk_key(key: str, index: int) -> str:
    """The key of chunk ``index`` (0 = the key itself): ledger, ledger#2, ledger#3."""
    return key if index == 0 else f"{key}{_MARK}{index + 1}"


def split(key: str, value: str) -> list[tuple[str, str]]:
    """A value as the key | value rows that hold it (one row when it fits one cell)."""
    pieces = [value[i : i + CHUNK] for i in range(0, len(value), CHUNK)] or [""]
    return [(chunk_key(key, i), piece) for i, piece in enumerate(pieces)]


def is_chunk(key: str) -> bool:
    """Whether a key is a continuation (ledger#2), not a key of its own."""
    base, mark, number = key.rpartition(_MARK)
    return bool(mark and base and number.isdigit() and int(number) >= 2)


def join(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Key | value rows as a dict, chunks joined in their numbered order; a chunk without
    its key, or after a gap, is ignored (it belongs to nothing whole)."""
    plain: dict[str, str] = {}
    chunks: dict[str, dict[int, str]] = {}
    for key, value in rows:
        if is_chunk(key):
            base, _, number = key.rpartition(_MARK)
            chunks.setdefault(base, {})[int(number)] = value
        else:
            plain[key] = value
    for key, parts in chunks.items():
        if key not in plain:
            continue
        n = 2
        while n in parts:
            plain[key] += parts[n]
            n += 1
    return plain


def placements(rows: dict[str, int], last_row: int, key: str, value: str) -> list[tuple[int, str | None, str]]:
    """Where a writer that addresses cells (the add-in) puts ``key = value`` in `_meta`:
    (row, key to write in column A or None when the row has it already, column B text).
    ``rows`` are the keys present and their rows; new keys go below ``last_row``; a value
    that shrank empties its old tail chunks."""
    out: list[tuple[int, str | None, str]] = []
    pieces = split(key, value)
    for row_key, piece in pieces:
        if row_key in rows:
            out.append((rows[row_key], None, piece))
        else:
            last_row += 1
            out.append((last_row, row_key, piece))
    n = len(pieces)
    while chunk_key(key, n) in rows:
        out.append((rows[chunk_key(key, n)], None, ""))
        n += 1
    return out
