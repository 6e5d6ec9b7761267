"""Speed and memory: every figure the project targets, in one run (the targets are printed beside them).

    python benchmarks/bench.py [--workbooks DIR] [--rekap 1000]

Per workbook (a small kecamatan, the demo, 60 villages and 1,000 attendees; all signed
through the whole SOP, photos included), each in a fresh child process whose peak
resident memory is read when it exits:
- raw: python-calamine reading every sheet's values (best of 30): the floor;
- warm: file to findings, ledger check included, imports done (best of 30), as a
  multiple of raw;
- frictionless: frictionless-py reading and validating the same .xlsx itself, with a
  schema built from the same definition (types, required, enum, bounds, unique) on the
  same header rows (best of 5), against warm;
- cold `kinerja validate --json`, `kinerja verify --json` (median of 5) and, on the
  demo, `kinerja sign` of the Sekcam's sign-off on a fresh copy each time (median of 5).
Then `kinerja rekap` over a folder of --rekap byte-for-byte copies of typical signed
workbooks (benchmarks/generate.py says why copies), with the peak of the summed
resident memory (and proportional set size, which counts shared pages once) of the
whole process tree, sampled every 20 ms.

Wall times depend on what else the machine runs; CPU seconds are printed beside them.
Nothing here asserts: the figures go into docs/BENCHMARKS.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - the generator beside this file

CHILD = r"""
import json, sys, time
mode, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def best(fn):
    fn()
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)

if mode == "raw":
    from python_calamine import CalamineWorkbook
    def fn():
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
elif mode == "warm":
    from kinerja.validators.engine import validate_file
    def fn():
        report = validate_file(path)
        assert report.ledger is not None
elif mode == "frictionless":
    sys.path.insert(0, sys.argv[4])
    from peer import frictionless_run
    fn = frictionless_run(path)
cpu, wall = best(fn)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"cpu": cpu, "wall": wall, "peak_mb": peak / 1024}))
"""


def child(mode: str, path: Path, runs: int) -> dict:
    """Best CPU and wall time of ``mode`` in a fresh process, and its peak RSS (VmHWM, MB)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(runs), str(HERE)], capture_output=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{mode} {path}: exit {done.returncode}: {done.stderr.decode()[-2000:]}")
    return json.loads(done.stdout)


def _peak_while_running(proc: subprocess.Popen) -> threading.Thread:
    """Polls the child's VmHWM (the kernel's high-water mark of its resident memory since
    exec; ru_maxrss would carry the parent's size over the fork) until it exits."""

    def poll() -> None:
        while proc.poll() is None:
            proc.peak_kb = max(getattr(proc, "peak_kb", 0), _kb(f"/proc/{proc.pid}/status", "VmHWM:"))
            time.sleep(0.005)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    return thread


def cold(args: list[str], runs: int = 5, prepare=None, env=None) -> tuple[float, float, float]:
    """Median wall and CPU seconds of a fresh `python -m kinerja ...`, and its peak RSS (MB)."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        argv = prepare() if prepare else args
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kinerja", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        watcher = _peak_while_running(proc)
        err = proc.stderr.read()
        code = proc.wait()
        walls.append(time.perf_counter() - start)
        watcher.join()
        after = os.times()
        if code not in (0, 1):
            raise RuntimeError(f"kinerja {' '.join(argv)}: exit {code}: {err.decode()}")
        cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        peaks.append(getattr(proc, "peak_kb", 0) / 1024)
    return statistics.median(walls), statistics.median(cpus), max(peaks)


# ---------------------------------------------------------------------- a process tree's memory
def _tree(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_run(argv: list[str]) -> tuple[float, float, float, float, int]:
    """Wall seconds, CPU seconds of the whole tree, peak Σ RSS and peak Σ PSS (MB), exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kinerja", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak_rss = peak_pss = 0
    ticks: dict[int, int] = {}  # the last CPU time seen of every process of the tree
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            pids = _tree(proc.pid)
            peak_rss = max(peak_rss, sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids))
            peak_pss = max(peak_pss, sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            for p in pids:
                try:
                    with open(f"/proc/{p}/stat") as fh:
                        fields = fh.read().rpartition(")")[2].split()
                    ticks[p] = int(fields[11]) + int(fields[12])  # utime + stime
                except (OSError, IndexError, ValueError):
                    pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    cpu = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    return wall, cpu, peak_rss / 1024, peak_pss / 1024, code


# ---------------------------------------------------------------------- the report
def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = _kb("/proc/meminfo", "MemTotal:") / 1024 / 1024
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"python {platform.python_version()}, {platform.system()} {platform.release()}, {os.cpu_count()} cores "
        f"({cpu}), {mem:.0f} GB; load average at start {load:.1f}"
    )


def per_workbook(label: str, path: Path, sign_args=None) -> None:
    raw = child("raw", path, 30)
    warm = child("warm", path, 30)
    fl = child("frictionless", path, 5)
    v_wall, v_cpu, v_mb = cold(["validate", str(path), "--json"])
    f_wall, f_cpu, f_mb = cold(["verify", str(path), "--json"])
    print(f"\n{label}: {path.name}, {path.stat().st_size / 1024:.0f} KB   (best CPU time of the process; wall beside)")
    print(
        f"  raw calamine read          {raw['cpu'] * 1000:8.1f} ms (wall {raw['wall'] * 1000:6.1f})"
        f"                     peak {raw['peak_mb']:4.0f} MB"
    )
    print(
        f"  warm file -> findings      {warm['cpu'] * 1000:8.1f} ms (wall {warm['wall'] * 1000:6.1f})"
        f"  {warm['cpu'] / raw['cpu']:4.1f}x raw          peak {warm['peak_mb']:4.0f} MB   (target <= 6x, ledger included)"
    )
    print(
        f"  frictionless, same .xlsx   {fl['cpu'] * 1000:8.1f} ms (wall {fl['wall'] * 1000:6.1f})"
        f"  ours {fl['cpu'] / warm['cpu']:4.1f}x faster   peak {fl['peak_mb']:4.0f} MB   (target >= 3x)"
    )
    print(
        f"  cold kinerja validate      {v_wall:8.2f} s wall, cpu {v_cpu:.2f} s   peak {v_mb:4.0f} MB   (median of 5; target <= 1.0 s)"
    )
    print(f"  cold kinerja verify        {f_wall:8.2f} s wall, cpu {f_cpu:.2f} s   peak {f_mb:4.0f} MB   (median of 5)")
    if sign_args:
        s_wall, s_cpu, s_mb = cold([], prepare=sign_args[0], env=sign_args[1])
        print(
            f"  cold kinerja sign          {s_wall:8.2f} s wall, cpu {s_cpu:.2f} s   peak {s_mb:4.0f} MB   (median of 5)"
        )


def sign_setup(stage: Path, scratch: Path):
    """The Sekcam's sign-off on a fresh copy of the demo as Sub. Evapor reported it, with
    the demo's own throwaway keys recreated in a scratch KINERJA_HOME."""
    import hashlib

    from kinerja import walkthrough
    from kinerja.core import contract
    from kinerja.ledger import keys
    from kinerja.xlsx.reader import read_workbook

    home = scratch / "home"
    model = read_workbook(stage)
    for r in model.tables[contract.PEJABAT].filled((contract.P_PERAN,)):
        role = contract.definition().role_by_peran(r.values[contract.P_PERAN])
        secret = hashlib.sha256(f"{walkthrough.SEED}/kunci/{role.key}".encode()).digest()
        keys.store_key(secret, role.peran, r.values[contract.P_NAMA], str(r.values[contract.P_NIP]), home)
    counter = iter(range(10**6))

    def prepare() -> list[str]:
        copy = scratch / f"sign-{next(counter)}.xlsx"
        shutil.copyfile(stage, copy)
        return ["sign", str(copy), "--peran", "sekcam", "--keputusan", "Diteruskan ke Camat", "--yes", "--json"]

    return prepare, {"KINERJA_HOME": str(home)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workbooks", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-bench-workbooks")
    parser.add_argument("--variants", type=int, default=12)
    parser.add_argument("--rekap", type=int, default=1000)
    parser.add_argument("--only", choices=["files", "rekap"], help="one half of the run")
    args = parser.parse_args()
    print(machine())

    from kinerja import services

    demo_dir = args.workbooks / "demo"
    if not (demo_dir / services.DEMO_FILE).exists():
        services.build_demo(demo_dir)
    demo = demo_dir / services.DEMO_FILE
    variants = generate.generate(args.workbooks / "varian", args.variants)
    small, big, typical = variants[0], variants[1], [demo, *variants[2:]]

    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        scratch = Path(tmp)
        stage = sorted(demo_dir.glob("04-*.xlsx"))[0]
        if args.only != "rekap":
            per_workbook("small kecamatan (5 villages)", small)
            per_workbook("demo (15 villages)", demo, sign_setup(stage, scratch))
            per_workbook("60 villages, 1,000 attendees", big)
        if args.only == "files":
            return

        folder = scratch / "kiriman"
        generate.copies(typical, folder, args.rekap)
        out = scratch / "rekap.xlsx"
        wall, cpu, rss, pss, code = tree_run(["rekap", str(folder), "-o", str(out), "--proses", str(os.cpu_count())])
        print(
            f"\nkinerja rekap, {args.rekap} workbooks ({len(typical)} signed variants, copied), {os.cpu_count()} processes"
        )
        print(
            f"  {wall:6.1f} s wall   cpu {cpu:.1f} s summed over every process ({cpu / os.cpu_count():.1f} s per core)"
            f"   exit {code}   (target <= 30 s)"
        )
        print(f"  peak {rss:.0f} MB RSS, {pss:.0f} MB PSS, summed over every process   (target < 300 MB)")


if __name__ == "__main__":
    main()
