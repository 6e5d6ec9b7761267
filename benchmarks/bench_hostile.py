"""Time and memory of `kinerja validate FILE --json` on every hostile input (D29).

    python benchmarks/bench_hostile.py            # the generated corpus and tests/corpus/

Builds the corpus of tests/hostile.py (from a fresh demo workbook) into a temporary
folder, then runs one fresh `python -m kinerja validate FILE --json` process per file and
prints its wall time, its peak resident memory (the child's ru_maxrss, read with wait4 by
a small launcher process)
and what it answered: the error code (and reason) for exit 2, else the exit code and the
number of findings. The last line gives the worst time and memory against the targets:
every hostile file answered within 5 s and 500 MB. Nothing here asserts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile import build_corpus  # noqa: E402
from paths import CORPUS  # noqa: E402

TARGET_S, TARGET_MB = 5.0, 500.0


# A fresh, small interpreter starts each validation and reports its peak memory: on Linux
# a child's ru_maxrss counts the pages it shared with the process that forked it, so a
# parent that has just built a million-row sheet would be measured along with the child.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen([sys.executable, "-m", "kinerja", "validate", sys.argv[1], "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
out = child.stdout.read()
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"s": time.perf_counter() - start, "kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "exit": os.waitstatus_to_exitcode(status), "out": out.decode("utf-8", "replace")}))
"""


def run(path: Path) -> tuple[float, float, float, str]:
    """Wall time (s), CPU time (s), peak RSS (MB) and the answer of one validation in a
    fresh process. CPU time is what the wall time would be on an idle machine."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, str(path)], capture_output=True, check=True, cwd=path.parent)
    report = json.loads(done.stdout)
    return report["s"], report["cpu"], report["kb"] / 1024, answer(report["exit"], report["out"].encode())


def answer(code: int, out: bytes) -> str:
    try:
        doc = json.loads(out)
    except ValueError:
        return f"exit {code}, NO JSON ({len(out)} bytes on stdout)"
    if code == 2:
        error = doc["error"]
        return error["code"] + (f"/{error['reason']}" if "reason" in error else "")
    return f"exit {code}, {len(doc['findings'])} findings"


def real_workbook(folder: Path, attendees: int = 1000, photos: int = 30) -> Path:
    """What a large real one looks like, for scale: 1,000 attendees and 30 camera-sized
    photos (2,400 x 1,800 JPEG of about 1.5-2 MB each, as LibreOffice keeps them)."""
    import dataclasses
    import datetime as dt
    import io
    import random
    import uuid

    from kinerja.templates.builder import build_workbook
    from kinerja.templates.demo import demo_inputs
    from kinerja.templates.inputs import PictureInput
    from PIL import Image

    from kinerja.core import contract
    from kinerja.core import sop as sop_module

    sop = sop_module.load()
    tables = tuple(
        dataclasses.replace(t, rows=max(t.rows, attendees)) if t.name == contract.DAFTAR_HADIR else t
        for t in sop.tables
    )
    inputs = demo_inputs()
    rows = inputs.rows[contract.DAFTAR_HADIR]
    inputs.rows[contract.DAFTAR_HADIR] = [
        {**rows[i % len(rows)], "Nama": f"{rows[i % len(rows)]['Nama']} {i // len(rows) + 1}"} for i in range(attendees)
    ]
    inputs.values["ba_jumlah_peserta"] = attendees
    rng = random.Random("kinerja-photos")
    inputs.rows[contract.FOTO] = [
        {"Keterangan": f"Foto {i + 1}", "Tanggal": inputs.values["ba_tanggal"], "Berkas": f"IMG_{i + 1:04}.jpg"}
        for i in range(photos)
    ]
    inputs.pictures = []
    for i in range(photos):
        noise = Image.effect_noise((2400, 1800), 40 + rng.randrange(30)).convert("RGB")
        out = io.BytesIO()
        noise.save(out, "JPEG", quality=90)
        inputs.pictures.append(PictureInput(contract.FOTO, i, out.getvalue(), f"IMG_{i + 1:04}.jpg"))
    path = folder / f"real-{attendees}-attendees-{photos}-photos.xlsx"
    build_workbook(
        inputs,
        created_at=dt.datetime.now(dt.timezone.utc),
        workbook_id=str(uuid.uuid4()),
        tool_version="bench",
        sop=dataclasses.replace(sop, tables=tables),
    ).save(path)
    return path


def main() -> None:
    from kinerja.templates.builder import save_workbook
    from kinerja.templates.demo import demo_inputs

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = save_workbook(folder / "demo.xlsx", demo_inputs())
        started = time.perf_counter()
        files = [(case.name, path) for case, path in build_corpus(folder / "hostile", demo)]
        print(f"built {len(files)} hostile files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        files += [(f"corpus/{p.name}", p) for p in sorted(CORPUS.iterdir()) if p.suffix not in (".tsv", ".md")]
        files.insert(0, ("demo (for scale)", demo))
        files.insert(1, ("real: 1,000 attendees, 30 photos", real_workbook(folder)))
        worst_s = worst_cpu = worst_mb = 0.0
        worst_s_name = worst_cpu_name = worst_mb_name = ""
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)")
        print(f"{'file':<48} {'size':>9} {'wall':>7} {'cpu':>7} {'peak':>8}  answer")
        for name, path in files:
            elapsed, cpu, peak, said = run(path)
            size = path.stat().st_size
            print(f"{name:<48} {size / 1024:>7.0f}KB {elapsed:>6.2f}s {cpu:>6.2f}s {peak:>6.0f}MB  {said}")
            if elapsed > worst_s:
                worst_s, worst_s_name = elapsed, name
            if cpu > worst_cpu:
                worst_cpu, worst_cpu_name = cpu, name
            if peak > worst_mb:
                worst_mb, worst_mb_name = peak, name
        ok = worst_s <= TARGET_S and worst_mb <= TARGET_MB
        print(
            f"worst: {worst_s:.2f} s wall ({worst_s_name}), {worst_cpu:.2f} s CPU ({worst_cpu_name}), "
            f"{worst_mb:.0f} MB ({worst_mb_name}); targets {TARGET_S:.0f} s, {TARGET_MB:.0f} MB: "
            f"{'met' if ok else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
