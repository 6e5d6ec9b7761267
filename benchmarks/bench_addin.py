"""Speed of one Validasi click through the add-in's Book route, beside the file route.

    python benchmarks/bench_addin.py

On the demo as `kinerja demo` leaves it (signed through the whole SOP, so the ledger check
runs too), measures:
- warm Book route: the payload as xlwings Server's client posts it (JSON text) parsed,
  ``xlwings.Book(json=...)``, the Validasi action (model, rules, ledger, results sheet,
  marks, _meta record, summary) and its actions as JSON: what the server does per click
  once Python is running (the desktop's persistent server, "Use UDF Server", is warm in
  the same way). Best of N. Target: <= 0.3 s.
- warm file route, for comparison: file -> findings (`kinerja validate`), and the same
  with `--write` (Hasil Validasi written into a copy of the file).
- cold: a fresh Python doing one Book-route Validasi (imports included: the first click of
  a day, or each click without the persistent server), and a fresh `kinerja validate`.
Nothing here asserts: the figures go into README.md by hand, with the date.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the remote engine's licence (D23)

RUNS = 30

ONE_CLICK = """
import json, sys, time
start = time.perf_counter()
from kinerja.addin.server import remote_xlwings
xw = remote_xlwings()
from kinerja.addin import actions
from kinerja.addin.host import ServerHost
payload = json.loads(open(sys.argv[1], encoding="utf-8").read())
book = xw.Book(json=payload)
actions.validasi(book, ServerHost(book))
json.dumps(book.json())
print(time.perf_counter() - start)
"""


def best(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_runs(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr.decode())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from kinerja.addin.server import remote_xlwings

    xw = remote_xlwings()
    from kinerja.addin import actions
    from kinerja.addin.host import ServerHost
    from kinerja.addin.payload import book_payload
    from kinerja.validators.engine import validate_file

    from kinerja import services

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, xlwings {xw.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = services.build_demo(folder / "demo").path
        text = json.dumps(book_payload(demo))
        (folder / "payload.json").write_text(text, encoding="utf-8")
        alerts: list[int] = []

        def click() -> None:
            book = xw.Book(json=json.loads(text))
            actions.validasi(book, ServerHost(book))
            alerts.append(len(json.dumps(book.json())))
            book.close()

        click()  # imports and caches warm
        warm_book = best(click)
        validate_file(demo)
        warm_file = best(lambda: validate_file(demo))
        copy = folder / "copy.xlsx"

        def write() -> None:
            shutil.copyfile(demo, copy)
            services.validate(copy, write=True)

        write()
        warm_write = best(write, runs=10)
        cold_book = cold_runs([sys.executable, "-c", ONE_CLICK, str(folder / "payload.json")])
        cold_file = cold_runs([sys.executable, "-m", "kinerja", "validate", str(demo), "--json"])

        print(f"demo (signed through the SOP): {demo.stat().st_size / 1024:.0f} KB, payload {len(text) / 1024:.0f} KB")
        print(f"  warm Book route, one Validasi with its actions  {warm_book * 1000:7.1f} ms   (target <= 300 ms)")
        print(f"  warm file route, file -> findings               {warm_file * 1000:7.1f} ms")
        print(f"  warm file route, validate --write on a copy     {warm_write * 1000:7.1f} ms")
        print(f"  cold Book route, fresh Python, one Validasi     {cold_book:7.2f} s    (median of 5)")
        print(f"  cold kinerja validate --json                    {cold_file:7.2f} s    (median of 5)")


if __name__ == "__main__":
    main()
