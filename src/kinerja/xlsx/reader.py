"""Read a contract-v1 workbook file into the model the rules run on.

The file is one source (``source.FileSource``: zip parts and calamine); the contract
checks and the model are the assembler's (``kinerja.core.assemble``), shared with the
add-in's live-workbook source (D28). Anything that makes the file unusable raises
KinerjaError with its own code, before a single rule runs.
"""

from __future__ import annotations

from pathlib import Path

from kinerja.core import contract
from kinerja.core.assemble import assemble
from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS, megabytes
from kinerja.core.model import WorkbookModel
from kinerja.core.sop import Sop
from kinerja.xlsx.sniff import open_package_zip
from kinerja.xlsx.source import FileSource

__all__ = ["check_file", "open_package_zip", "read_file", "read_workbook", "read_workbook_bytes"]


def read_workbook(path: str | Path, sop: Sop | None = None) -> WorkbookModel:
    """Read a workbook file into the model the rules run on."""
    path = Path(path)
    return read_workbook_bytes(read_file(path), str(path), sop)


def read_workbook_bytes(data: bytes, file: str, sop: Sop | None = None) -> WorkbookModel:
    """The model of a workbook held in memory: a command that edits the file reads its
    bytes once and builds the model, its findings and any signature from those bytes."""
    sop = sop or contract.definition()
    with FileSource(data, file, read_sheets=[s.name for s in sop.sheets]) as source:
        return assemble(source, sop)


def check_file(path: Path) -> None:
    """A missing file and a folder are told apart before anything else is tried."""
    if not path.exists():
        raise KinerjaError("BERKAS_TIDAK_ADA", path=str(path))
    if path.is_dir():
        raise KinerjaError("BERKAS_FOLDER", path=str(path))


def read_file(path: Path) -> bytes:
    """A file's bytes, or the reason it cannot be read."""
    check_file(path)
    try:
        size = path.stat().st_size
        if size > LIMITS.file_bytes:  # D29: refused before a byte is read into memory
            raise KinerjaError("BERKAS_BATAS_UKURAN", size=megabytes(size), max=megabytes(LIMITS.file_bytes))
        return path.read_bytes()
    except OSError as exc:
        raise KinerjaError("BERKAS_GAGAL_BACA", path=str(path), detail=exc.strerror or str(exc)) from None
