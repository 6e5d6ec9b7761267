"""The content a sign-off signs (D15): every input the contract defines, per sheet.

An input is a single value (a defined name of an input), a cell of an input table's
signed column in a filled row, or an embedded picture's bytes. Each becomes one entry:
a key that names it by contract (never by position alone, so the same data reads the
same), the cell where it is now (to name a change), and its value in one canonical text
form — numbers to 15 significant digits (what Excel keeps, and LibreOffice writes),
text trimmed, empty = absent, dates ISO, times to the second. Styles, protection,
formula results and `Sidik Kunci` are never part of it, so an honest re-save by Excel,
LibreOffice or openpyxl keeps every digest, while any change of an input — a moved
row included, since a row's key is its position in its table — changes one.

A section is one sheet's entries; its digest places a change, its snapshot (compressed,
kept in `_meta`) names the changed cells later.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from kinerja.core.cells import col_letter
from kinerja.core.model import ExcelError, Scalar, WorkbookModel
from kinerja.core.numbers import cell_text
from kinerja.core.sop import Sop


def canonical(value: Scalar | dt.timedelta) -> str | None:
    """A cell value in the one form every digest and diff uses; None for empty."""
    if value is None:
        return None
    if type(value) is str:  # most cells: the one test before the others
        text = value.strip()
        return f"s:{text}" if text else None
    if isinstance(value, ExcelError):
        return f"e:{value.code}"
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, int | float):
        return f"n:{cell_text(value)}"
    if isinstance(value, dt.datetime):
        value = _to_second(value)
        if value.time() == dt.time(0, 0):
            return f"d:{value.date().isoformat()}"
        return f"dt:{value.replace(tzinfo=None).isoformat()}"
    if isinstance(value, dt.date):
        return f"d:{value.isoformat()}"
    if isinstance(value, dt.time):
        seconds = round(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) % 86400
        return f"t:{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(value, dt.timedelta):
        return f"td:{round(value.total_seconds())}"
    text = str(value).strip()
    return f"s:{text}" if text else None


def shown(canonical_text: str | None) -> str:
    """A canonical value as a person reads it in a diff: the text without its type tag."""
    if canonical_text is None:
        return ""
    return canonical_text.partition(":")[2]


def _to_second(value: dt.datetime) -> dt.datetime:
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


class Entry(NamedTuple):
    """One signed input (a tuple: thousands are made per verification of a long list)."""

    key: str  # name:ba_tempat · tblDaftarHadir[3][Nama] · gambar@E13#1
    cell: str  # where it is now, A1
    value: str  # canonical text


@dataclass(frozen=True)
class Section:
    sheet: str
    entries: tuple[Entry, ...]

    @cached_property
    def digest(self) -> str:
        data = json.dumps([[e.key, e.value] for e in self.entries], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def snapshot(self) -> str:
        """The entries with their cells, compressed, as text for a `_meta` cell."""
        data = json.dumps([[e.key, e.cell, e.value] for e in self.entries], ensure_ascii=False, separators=(",", ":"))
        return base64.b64encode(zlib.compress(data.encode("utf-8"), 9)).decode("ascii")

    @classmethod
    def from_snapshot(cls, sheet: str, text: str) -> Section | None:
        """A section as signed; None when the snapshot is unreadable (it is only a hint:
        the caller checks its digest against the signed one)."""
        try:
            raw = json.loads(zlib.decompress(base64.b64decode(text.encode("ascii"), validate=True)).decode("utf-8"))
            return cls(sheet, tuple(Entry(str(k), str(c), str(v)) for k, c, v in raw))
        except (ValueError, TypeError, zlib.error, UnicodeDecodeError):
            return None

    def by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    key: str
    old: str | None
    new: str | None

    @property
    def address(self) -> str:
        return f"{self.sheet}!{self.cell}"


def changes(old: Section, new: Section) -> list[Change]:
    """Entries whose value differs, appeared or disappeared, in the new section's order
    (then the vanished ones)."""
    before, after = old.by_key(), new.by_key()
    out = []
    for key, entry in after.items():
        if key not in before or before[key].value != entry.value:
            out.append(Change(new.sheet, entry.cell, key, before[key].value if key in before else None, entry.value))
    for key, entry in before.items():
        if key not in after:
            out.append(Change(old.sheet, entry.cell, key, entry.value, None))
    return out


def sections(model: WorkbookModel, sop: Sop) -> dict[str, Section]:
    """One section per sheet that holds inputs of an SOP step, in the definition's order."""
    entries: dict[str, list[Entry]] = {s.name: [] for s in sop.sheets if s.step is not None}
    for spec in sop.names:
        if spec.is_input and spec.sheet in entries:
            cell = model.names[spec.name]
            value = canonical(cell.value)
            if value is not None:
                entries[spec.sheet].append(Entry(f"name:{spec.name}", cell.ref, value))
    for spec in sop.tables:
        if spec.kind != "input" or spec.sheet not in entries:
            continue
        table = model.tables[spec.name]
        inputs = tuple(c.header for c in spec.input_columns)
        signed = [(c.header, col_letter(table.col(c.header))) for c in spec.input_columns if c.signed]
        out = entries[spec.sheet]
        for row in table.filled(inputs):
            values, row_no = row.values, table.row_no(row.row)
            for header, letters in signed:
                value = canonical(values.get(header))
                if value is not None:
                    out.append(Entry(f"{spec.name}[{row_no}][{header}]", f"{letters}{row.row}", value))
    if not model.pictures_known:
        # Where pictures sit is unknown (a live Excel book): one marker per sheet, so the
        # ledger compares this route's values only and never calls a picture missing.
        for items in entries.values():
            items.append(Entry(f"{PICTURE}?", "", UNKNOWN_PICTURE))
    by_cell: dict[tuple[str, str], int] = {}
    for picture in sorted(model.pictures, key=lambda p: (p.sheet, p.row, p.col, _picture_value(p.data))):
        if picture.sheet in entries:
            n = by_cell[(picture.sheet, picture.ref)] = by_cell.get((picture.sheet, picture.ref), 0) + 1
            entries[picture.sheet].append(
                Entry(f"{PICTURE}{picture.ref}#{n}", picture.ref, _picture_value(picture.data))
            )
    return {sheet: Section(sheet, tuple(items)) for sheet, items in entries.items()}


PICTURE = "gambar@"
UNKNOWN_PICTURE = "p:?"  # a source that cannot read picture bytes (a live Excel book)


def _picture_value(data: bytes | None) -> str:
    return UNKNOWN_PICTURE if data is None else f"p:{hashlib.sha256(data).hexdigest()}"


def without_pictures(section: Section) -> Section:
    """The section's values alone: what can be compared where picture bytes are unknown."""
    return Section(section.sheet, tuple(e for e in section.entries if not e.key.startswith(PICTURE)))


def pictures_unknown(section: Section) -> bool:
    return any(e.value == UNKNOWN_PICTURE for e in section.entries)


def content_digest(digests: Mapping[str, str]) -> str:
    """The `Sidik Isi` of a sign-off: one digest over every section's digest."""
    data = json.dumps(sorted(digests.items()), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
