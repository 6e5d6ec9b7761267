"""Recalculate workbooks with a real LibreOffice and read what it computed.

LibreOffice does not always recalculate an .xlsx on load (it trusts cached values, and
openpyxl writes none), so it runs with its own throw-away profile whose settings say
"always recalculate" for OOXML files; converting xlsx -> xlsx then stores every formula's
result as the cached value, which openpyxl reads with data_only=True.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import openpyxl

TIMEOUT_SECONDS = 120

# /org.openoffice.Office.Calc/Formula/Load: 0 = always recalculate, 1 = never, 2 = ask.
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RuntimeError("LibreOffice (soffice) is not on PATH; these tests need it")
    return found


def make_profile(folder: Path) -> Path:
    """A LibreOffice user profile that recalculates every formula on load."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return folder


def recalculate(files: list[Path], out_dir: Path, profile: Path) -> tuple[dict[Path, Path], float]:
    """Open each file in LibreOffice, recalculate, save as .xlsx into out_dir.
    Returns {input: output} and the seconds the one soffice run took."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = _convert_command(profile, "xlsx", out_dir, files)
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    seconds = time.monotonic() - started
    outputs = {f: out_dir / f.name for f in files}
    missing = [str(o) for o in outputs.values() if not o.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(f"soffice failed (exit {result.returncode}), missing {missing}:\n{result.stderr}")
    return outputs, seconds


def _convert_command(profile: Path, fmt: str, out_dir: Path, files: list[Path]) -> list[str]:
    return [
        soffice(),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        fmt,
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]


def cached(path: Path) -> openpyxl.Workbook:
    """The workbook with formula results instead of formulas."""
    return openpyxl.load_workbook(path, data_only=True)


def named_value(wb: openpyxl.Workbook, name: str):
    """The value at a defined name's one cell; a formula's "" reads as None."""
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    value = wb[sheet][ref.replace("$", "")].value
    return None if value == "" else value


def convert(path: Path, out_dir: Path, fmt: str) -> Path:
    """One file through LibreOffice into another format (xlsx, fods …), with a fresh
    profile; returns the file it wrote."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = _convert_command(make_profile(out_dir / ".profile"), fmt, out_dir, [path])
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    written = out_dir / f"{path.stem}.{fmt}"
    if result.returncode != 0 or not written.exists():
        raise RuntimeError(f"soffice failed (exit {result.returncode}):\n{result.stderr}")
    return written


def convert_many(files: list[Path], out_dir: Path, fmt: str, profile: Path) -> dict[Path, Path]:
    """Several files through one LibreOffice run (it takes seconds to start) into another
    format (pdf, xlsx …), with a profile that recalculates on load; {input: output}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice(),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        fmt,
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    outputs = {f: out_dir / f"{f.stem}.{fmt.split(':')[0]}" for f in files}
    missing = [str(o) for o in outputs.values() if not o.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(f"soffice failed (exit {result.returncode}), missing {missing}:\n{result.stderr}")
    return outputs


# ---------------------------------------------------------------------- reading PDFs (poppler)
def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(f"poppler's {tool} is not on PATH; these tests need it (apt-get install poppler-utils)")
    return found


def pdf_pages_text(pdf: Path) -> list[str]:
    """Each page's text, in reading order."""
    out = subprocess.run([poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax, word)."""
    import re

    out = subprocess.run([poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = []
    for page in out.stdout.split("<page ")[1:]:
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        )
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words])
    return pages


def pdf_images(pdf: Path) -> list[tuple[int, int, int]]:
    """(page, width, height) of every image drawn, one line per time it is drawn."""
    out = subprocess.run([poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        if len(parts) > 4 and parts[2] == "image":
            rows.append((int(parts[0]), int(parts[3]), int(parts[4])))
    return rows
