"""One edit session for every write into an existing workbook (D3, D4, D27).

A command that writes (`validate --write`, `sign`) opens a session: it takes the file's
writer lock, reads the file's bytes once, and builds the model, the findings and any
signature from those bytes. It then edits only the parts it owns — cells of its own
tables and names (sheet editors), `_meta` (values chunked at the cell limit), styles,
sheet protection and lock state, the workbook's guards — and commits: every part it did
not edit is copied byte for byte, the result is read back and compared part by part, the
write is refused when the file on disk changed since it was read, and the new file
replaces the old one atomically with the previous version kept as NAME.bak.xlsx.
"""

from __future__ import annotations

import contextlib
import copy
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from kinerja.core import contract
from kinerja.core.cells import a1, col_letter, quote_sheet
from kinerja.core.findings import KinerjaError
from kinerja.core.meta import chunk_key, split
from kinerja.core.model import WorkbookModel
from kinerja.core.sop import Sop
from kinerja.xlsx.atomic import clean_scratch, real_target, write_atomic, writer_lock
from kinerja.xlsx.package import Package
from kinerja.xlsx.reader import check_file, open_package_zip, read_file, read_workbook_bytes
from kinerja.xlsx.sheetxml import SheetXml
from kinerja.xlsx.stylesxml import StylesXml
from kinerja.xlsx.workbookxml import (
    clear_print_area,
    print_area_of,
    restore_guards,
    set_print_area,
    set_sheet_states,
)

Value = str | int | float | None


@dataclass(frozen=True)
class Committed:
    """Where the new version is, and where the previous one is kept."""

    path: Path
    backup: Path | None


class EditSession:
    """Use as ``with EditSession.open(path) as session: …; session.commit()``."""

    def __init__(self, path: Path, data: bytes, sop: Sop):
        self.path, self.data, self.sop = path, data, sop
        self._sheets: dict[str, SheetXml] = {}
        self._styles: StylesXml | None = None
        self._workbook: bytes | None = None
        self._meta: MetaEditor | None = None
        self._parts: dict[str, bytes] = {}  # other parts the tool owns (its chart), new bytes
        self.written_rows: dict[str, int] = {}  # tool table -> data rows written this session

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: str | Path, sop: Sop | None = None) -> Iterator[EditSession]:
        target = real_target(Path(path))
        check_file(target)  # a missing file or a folder is named before any lock is taken
        with writer_lock(target):
            clean_scratch(target)
            session = cls(target, read_file(target), sop or contract.definition())
            _ = session.model  # an unusable file is refused here, before anything is edited
            try:
                yield session
            finally:
                session._zip.close()

    @cached_property
    def _zip(self) -> zipfile.ZipFile:
        return open_package_zip(self.data)

    # ------------------------------------------------------------------ what was read
    @cached_property
    def model(self) -> WorkbookModel:
        return read_workbook_bytes(self.data, str(self.path), self.sop)

    @cached_property
    def package(self) -> Package:
        return Package.open(self._zip)

    # ------------------------------------------------------------------ editors
    def sheet(self, name: str) -> SheetXml:
        if name not in self._sheets:
            self._sheets[name] = SheetXml(self.package.sheet_xml(self.package.sheet(name)))
        return self._sheets[name]

    @property
    def styles(self) -> StylesXml:
        if self._styles is None:
            self._styles = StylesXml(self.package.read(self.package.part_of("styles")))
        return self._styles

    @property
    def meta(self) -> MetaEditor:
        if self._meta is None:
            self._meta = MetaEditor(self.sheet(contract.META_SHEET), self.package.shared_strings())
        return self._meta

    def set_named(self, name: str, value: Value) -> bool:
        """The one cell a workbook-scoped name points at; False when the name is absent
        (a tool-written cell another program dropped is not worth refusing a write)."""
        target = self.package.name_target(name)
        if target is None or self.package.sheet(target[0]) is None:
            return False
        self.sheet(target[0]).set_value(target[1], value)
        return True

    def write_rows(self, table: str, rows: Sequence[Mapping[str, Value]]) -> None:
        """Rows into a tool table through its geometry as read (pre-sized, D5): row i of
        ``rows`` into data row i, every other data row emptied."""
        geometry = self.model.tables[table]
        xml = self.sheet(geometry.sheet)
        for i, row in enumerate(geometry.rows):
            values = rows[i] if i < len(rows) else {}
            for header in geometry.headers:
                xml.set_value(geometry.cell(header, row.row), values.get(header))
        self.written_rows[table] = min(len(rows), len(geometry.rows))

    def set_links(self, table: str, header: str, links: Mapping[int, str]) -> None:
        """In-workbook links in one column of a tool table, by data row index."""
        geometry = self.model.tables[table]
        col = geometry.col(header)
        first, last = geometry.header_row + 1, geometry.last_row
        cells = {a1(first + i, col): location for i, location in links.items() if first + i <= last}
        last_col = geometry.first_col + len(geometry.headers) - 1
        self.sheet(geometry.sheet).set_internal_links(cells, (first, geometry.first_col, last, last_col))

    def write_beside(self, table: str, index: int, values: Sequence[Value]) -> None:
        """A column right of a tool table, outside it (the approval page's fingerprints):
        value i beside data row i, the rest emptied."""
        geometry = self.model.tables[table]
        col = geometry.first_col + len(geometry.headers) + index
        xml = self.sheet(geometry.sheet)
        for i, row in enumerate(geometry.rows):
            xml.set_value(a1(row.row, col), values[i] if i < len(values) else None)

    def restore_guards(self, locked: set[str] | frozenset[str] = frozenset()) -> None:
        """D10: what another program dropped (sheet protection, the very hidden _meta,
        the structure lock) comes back with this write; ``locked`` are the sheets the
        ledger has locked (their protection allows less)."""
        for info in self.model.sheets:
            if info.name in {s.name for s in self.sop.sheets} and info.protected is False:
                self.sheet(info.name).protect(contract.sheet_protection(info.name, info.name in locked))
        workbook = restore_guards(self._workbook_xml(), contract.META_SHEET)
        if workbook is not None:
            self._workbook = workbook

    def set_print_area(self, sheet: str, last_row: int, last_col: int) -> None:
        """A sheet prints from A1 to here (its filled rows only: no blank pages)."""
        index = [s.name for s in self.package.sheets].index(sheet)
        reference = f"{quote_sheet(sheet)}!$A$1:${col_letter(last_col)}${last_row}"
        workbook = set_print_area(self._workbook_xml(), index, reference)
        if workbook is not None:
            self._workbook = workbook

    def part(self, path: str) -> bytes:
        """A part as this session will write it (edited, else as read)."""
        return self._parts.get(path) or self.package.read(path)

    def set_part(self, path: str, data: bytes) -> None:
        """New bytes for a part the tool owns (the chart it drew); ignored when unchanged."""
        if data != self.package.read(path):
            self._parts[path] = data
        else:
            self._parts.pop(path, None)

    def set_sheet_states(self, states: Mapping[str, str]) -> None:
        """Sheets visible or hidden (`kinerja cetak` hides, on its copy, what it does not
        print)."""
        workbook = set_sheet_states(self._workbook_xml(), dict(states))
        if workbook is not None:
            self._workbook = workbook

    def clear_print_area(self, sheet: str) -> None:
        index = [s.name for s in self.package.sheets].index(sheet)
        workbook = clear_print_area(self._workbook_xml(), index)
        if workbook is not None:
            self._workbook = workbook

    def print_area(self, sheet: str) -> tuple[int, int, int, int] | None:
        """A sheet's print area as (first row, first col, last row, last col), if it has one
        of one range."""
        index = [s.name for s in self.package.sheets].index(sheet)
        return print_area_of(self._workbook_xml(), index)

    def _workbook_xml(self) -> bytes:
        return self._workbook if self._workbook is not None else self.package.read(self.package.workbook_path)

    # ------------------------------------------------------------------ commit
    def edits(self) -> dict[str, bytes]:
        """Each edited part's new bytes, by its zip member name."""
        out = {self.package.sheet(name).path: xml.to_bytes() for name, xml in self._sheets.items() if xml.dirty}
        if self._styles is not None and self._styles.dirty:
            out[self.package.part_of("styles")] = self._styles.to_bytes()
        if self._workbook is not None:
            out[self.package.workbook_path] = self._workbook
        out.update(self._parts)
        return out

    def commit(self, verify: Callable[[WorkbookModel], None] | None = None) -> Committed:
        """Write the edits; ``verify`` gets the written file's model and raises to refuse."""
        edits = {name.lower(): data for name, data in self.edits().items()}

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w") as zout:
                for info in self._zip.infolist():
                    data = edits.get(_member(info.filename))
                    # writestr fills in offsets on the ZipInfo it is given: hand it a copy,
                    # or the zip we read from would look for its members in the wrong place.
                    if data is None:
                        original = self.package.guard.read(info.filename)
                        zout.writestr(copy.copy(info), original, compress_type=info.compress_type)
                    else:
                        zout.writestr(copy.copy(info), data, compress_type=zipfile.ZIP_DEFLATED)

        def check(tmp: Path) -> None:
            written = tmp.read_bytes()
            self._compare(written, edits)
            model = read_workbook_bytes(written, str(self.path), self.sop)
            if verify is not None:
                verify(model)

        backup = write_atomic(self.path, write, verify=check, expect=self.data)
        return Committed(self.path, backup)

    def _compare(self, written: bytes, edits: dict[str, bytes]) -> None:
        """Refuse unless every part we did not edit is byte-identical, every edited part is
        what we meant to write, and no part was added or lost."""
        with zipfile.ZipFile(io.BytesIO(written)) as new:
            if [i.filename for i in new.infolist()] != [i.filename for i in self._zip.infolist()]:
                raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(self.path), part="[daftar bagian]")
            for info in self._zip.infolist():
                expected = edits.get(_member(info.filename))
                if expected is None:
                    expected = self.package.guard.read(info.filename)
                if new.read(info.filename) != expected:
                    raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(self.path), part=info.filename)


def _member(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


class MetaEditor:
    """The `_meta` key | value rows (D6): set a key, appending it when new; a value longer
    than one cell goes into numbered chunk rows (core.meta), stale chunks are emptied."""

    def __init__(self, xml: SheetXml, shared: list[str]):
        self.xml = xml
        self.rows: dict[str, int] = {}
        self.last = 0
        for row in xml.sheet_data:
            number = int(row.get("r", "0"))
            self.last = max(self.last, number)
            for c in row:
                if c.get("r") == f"A{number}":
                    key = _cell_text(c, shared).strip()
                    if key:
                        self.rows.setdefault(key, number)

    def set(self, key: str, value: str) -> None:
        pieces = split(key, value)
        for row_key, piece in pieces:
            self._put(row_key, piece)
        n = len(pieces)
        while chunk_key(key, n) in self.rows:  # a value that shrank: its old tail goes
            self.xml.set_text(f"B{self.rows[chunk_key(key, n)]}", "")
            n += 1

    def _put(self, key: str, value: str) -> None:
        row = self.rows.get(key)
        if row is None:
            self.last += 1
            row = self.rows[key] = self.last
            self.xml.set_text(f"A{row}", key)
        self.xml.set_text(f"B{row}", value)


def _cell_text(c, shared: list[str]) -> str:
    kind = c.get("t")
    if kind == "s":
        v = c.find("{*}v")
        try:
            return shared[int(v.text)] if v is not None and v.text else ""
        except (ValueError, IndexError):
            return ""
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter("{*}t"))
    v = c.find("{*}v")
    return (v.text or "") if v is not None else ""
