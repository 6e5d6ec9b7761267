"""Speed and memory of validation, printed as figures (targets in DECISIONS.md D24).

    python benchmarks/bench_validate.py            # the demo and a 1,000-attendee workbook

Measures, per workbook:
- raw: python-calamine reading every sheet's values (warm, best of N): the floor;
- warm: file to findings in-process, imports done (best of N), and its ratio to raw;
- cold: a fresh `python -m kinerja validate FILE --json` process (median of 5), and
  its peak resident memory;
- frictionless (when installed): its own end-to-end validation of the same .xlsx.
Nothing here asserts: the figures go into README.md by hand, with the date.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kinerja.templates.builder import save_workbook
from kinerja.templates.demo import demo_inputs
from kinerja.validators.engine import validate_file

from kinerja.core import contract
from kinerja.core import sop as sop_module

RUNS = 30


def best(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def raw_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def cold(path: Path) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(5):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run(
            [sys.executable, "-m", "kinerja", "validate", str(path), "--json"],
            capture_output=True,
            check=False,
            cwd=path.parent,
        )
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr.decode())
        times.append(time.perf_counter() - start)
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    return statistics.median(times), max(peaks) / 1024


def frictionless_time(path: Path) -> float | None:
    try:
        import frictionless  # noqa: F401
    except ImportError:
        return None
    from frictionless import Resource, formats

    sheets = sorted({t.sheet for t in sop_module.load().tables if t.kind != "computed"})

    def run() -> None:
        # The sheets of the five checked tables, each read and validated by frictionless
        # itself (its own reader, an inferred schema): the end-to-end cost D24 compares.
        for sheet in sheets:
            report = Resource(
                path.name, basepath=str(path.parent), control=formats.ExcelControl(sheet=sheet)
            ).validate()
            assert report.stats["tasks"] == 1 and not report.flatten(["type"]).count(["resource-error"])

    return best(run, runs=5)


def big_attendance_workbook(folder: Path, attendees: int) -> Path:
    """The demo with its attendance list repeated up to `attendees` rows, in a template
    whose tblDaftarHadir is pre-sized for them."""
    sop = sop_module.load()
    tables = tuple(
        dataclasses.replace(t, rows=max(t.rows, attendees)) if t.name == contract.DAFTAR_HADIR else t
        for t in sop.tables
    )
    big = dataclasses.replace(sop, tables=tables)
    inputs = demo_inputs()
    rows = inputs.rows[contract.DAFTAR_HADIR]
    inputs.rows[contract.DAFTAR_HADIR] = [
        {**rows[i % len(rows)], "Nama": f"{rows[i % len(rows)]['Nama']} {i // len(rows) + 1}"} for i in range(attendees)
    ]
    inputs.values["ba_jumlah_peserta"] = attendees
    import datetime as dt
    import uuid

    from kinerja.templates.builder import build_workbook

    path = folder / f"kinerja-{attendees}.xlsx"
    build_workbook(
        inputs,
        created_at=dt.datetime.now(dt.timezone.utc),
        workbook_id=str(uuid.uuid4()),
        tool_version="bench",
        sop=big,
    ).save(path)
    return path


def report(label: str, path: Path) -> None:
    validate_file(path)  # warm the imports and caches
    raw = best(lambda: raw_read(path))
    warm = best(lambda: validate_file(path))
    cold_s, peak_mb = cold(path)
    print(f"{label}: {path.stat().st_size / 1024:.0f} KB")
    print(f"  raw calamine read      {raw * 1000:8.1f} ms")
    print(f"  warm file-to-findings  {warm * 1000:8.1f} ms   ({warm / raw:.1f}x raw; target <= 10x)")
    print(f"  cold kinerja validate  {cold_s:8.2f} s    (peak {peak_mb:.0f} MB; target <= 1.5 s demo, 2 s at 1,000)")
    fl = frictionless_time(path)
    if fl is None:
        print("  frictionless           not installed (pip install 'frictionless[excel]' to compare)")
    else:
        print(f"  frictionless           {fl * 1000:8.1f} ms   (ours {fl / warm:.1f}x faster; target >= 3x)")


def main() -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = save_workbook(folder / "demo.xlsx", demo_inputs())
        report("demo", demo)
        report("1,000 attendees", big_attendance_workbook(folder, 1000))


if __name__ == "__main__":
    main()
