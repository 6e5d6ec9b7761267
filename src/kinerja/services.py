"""What each command does, without the command line: the CLI and the add-in call these.

Services own file reads and writes and return dataclasses; they never print. Heavy
libraries are imported inside the function that needs them, so that `kinerja validate`
starts without loading openpyxl and `kinerja new` without loading pandera.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja.core.findings import KinerjaError, Laporan

if TYPE_CHECKING:
    from kinerja.xlsx.edit import Committed

DEMO_FILE = "demo-musrenbangcam-2026.xlsx"


@dataclass(frozen=True)
class NewOptions:
    kecamatan: str | None = None
    kabupaten: str | None = None
    tahun: int | None = None
    zona_waktu: str | None = None
    target: float | None = None
    arah: str | None = None
    desa_file: Path | None = None
    overwrite: bool = False


def create_workbook(path: Path, options: NewOptions) -> Path:
    """`kinerja new`: an empty contract-v1 workbook, settings and villages filled in."""
    from kinerja.templates.builder import new_inputs, save_workbook
    from kinerja.templates.desa_file import read_desa_file

    path = Path(path)
    if path.exists() and not options.overwrite:
        raise KinerjaError("BERKAS_SUDAH_ADA", path=str(path))
    desa = read_desa_file(options.desa_file) if options.desa_file else None
    inputs = new_inputs(
        kecamatan=options.kecamatan,
        kabupaten=options.kabupaten,
        tahun=options.tahun,
        zona_waktu=options.zona_waktu,
        target=options.target,
        arah=options.arah,
        desa=desa,
    )
    return save_workbook(path, inputs)


@dataclass(frozen=True)
class DemoResult:
    path: Path
    laporan: Laporan


def build_demo(out_dir: Path) -> DemoResult:
    """`kinerja demo`: a filled workbook for an invented kecamatan, then its validation."""
    from kinerja.templates.builder import save_workbook
    from kinerja.templates.demo import demo_inputs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = save_workbook(out_dir / DEMO_FILE, demo_inputs())
    return DemoResult(path, validate(path).laporan)


@dataclass(frozen=True)
class Validated:
    laporan: Laporan
    written: Committed | None = None  # with --write: where the file and its backup are


def validate(path: Path, write: bool = False, lang: str = "id") -> Validated:
    """`kinerja validate`: read, check, and with ``write`` record the findings in the file
    (one read: the findings written are those of the bytes that are replaced)."""
    if not write:
        from kinerja.xlsx.reader import read_workbook

        model = read_workbook(path)  # an unusable file fails here, before pandera is imported
        from kinerja.validators.engine import validate_model

        return Validated(validate_model(model))
    from kinerja.xlsx.edit import EditSession

    with EditSession.open(path) as session:
        from kinerja.validators.engine import validate_model
        from kinerja.xlsx.results import write_results

        laporan = validate_model(session.model)
        check = write_results(session, laporan, lang)
        return Validated(laporan, session.commit(check))
