"""The human-readable report: findings grouped by sheet, then the IKU figures.

Rendered with rich, which degrades to plain text when stdout is not a terminal (a log
file, a pipe); the JSON output (--json) is the machine's view of the same Laporan.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kinerja.core import contract
from kinerja.core.findings import Laporan, Level
from kinerja.core.formatting import format_number

if TYPE_CHECKING:
    from kinerja.xlsx.edit import Committed

_STYLE = {Level.GALAT: "bold red", Level.PERINGATAN: "yellow", Level.INFO: "cyan"}
_WORDS = {
    "id": {
        "ok": "Tidak ada galat.",
        "file": "Berkas",
        "sheet": "Lembar",
        "fix": "Cara memperbaiki",
        "written": "Temuan ditulis ke lembar 'Hasil Validasi'.",
        "backup": "Versi sebelumnya disimpan sebagai {path}.",
        "demo": "Buku kerja contoh dibuat",
        "invited": "Delegasi diundang",
        "present": "Delegasi hadir",
        "realisasi": "Realisasi",
        "capaian": "Capaian",
        "predikat": "Predikat",
        "none": "tidak bisa dihitung",
        "step": "langkah",
    },
    "en": {
        "ok": "No errors.",
        "file": "File",
        "sheet": "Sheet",
        "fix": "How to fix",
        "written": "Findings written to sheet 'Hasil Validasi'.",
        "backup": "The previous version is kept as {path}.",
        "demo": "Demo workbook created",
        "invited": "Delegates invited",
        "present": "Delegates present",
        "realisasi": "Realisasi",
        "capaian": "Capaian",
        "predikat": "Predikat",
        "none": "not computable",
        "step": "step",
    },
}


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def print_laporan(laporan: Laporan, lang: str = "id", written: Committed | None = None) -> None:
    console = _console()
    words = _WORDS[lang]
    console.print(f"[bold]{words['file']}:[/] {laporan.file}")
    order = [s.name for s in contract.definition().sheets]
    current = None
    for finding in laporan.sorted(order):
        if finding.sheet != current:
            current = finding.sheet
            console.print(f"\n[bold underline]{words['sheet']} {current}[/]")
        message, fix = finding.render(lang)
        level = finding.level
        step = f" ({words['step']} {finding.step})" if finding.step else ""
        console.print(
            f"  [{_STYLE[level]}]{level.label(lang):<10}[/] {finding.cell:>6}  {message} [dim]{finding.code}{step}[/]"
        )
        console.print(f"  {'':<10} {'':>6}  [dim]{words['fix']}:[/] {fix}")
    console.print()
    print_iku(laporan, lang, console)
    counts = ", ".join(f"{laporan.count(lv)} {lv.label(lang)}" for lv in Level)
    verdict = f"[bold red]{counts}[/]" if laporan.has_errors else f"[bold green]{words['ok']}[/] ({counts})"
    console.print(verdict)
    if written:
        console.print(words["written"])
        if written.backup:
            console.print(words["backup"].format(path=written.backup))


def print_iku(laporan: Laporan, lang: str, console=None) -> None:
    console = console or _console()
    words = _WORDS[lang]
    iku = laporan.iku
    if iku is None:
        return

    def pct(value: float | None) -> str:
        return f"{format_number(value, lang)} %" if value is not None else words["none"]

    console.print(
        f"[bold]IKU[/]  {words['invited']}: {iku.invited}   {words['present']}: {iku.present}   "
        f"{words['realisasi']}: {pct(iku.realisasi)}   {words['capaian']}: {pct(iku.capaian)}   "
        f"{words['predikat']}: {iku.predikat or words['none']}"
    )


def print_demo(path: Path, laporan: Laporan, lang: str = "id") -> None:
    _console().print(f"[bold]{_WORDS[lang]['demo']}:[/] {path}")
    print_laporan(laporan, lang)
