"""Documentation generated from the definition and the catalogue, never typed twice.

`python -m kinerja.docs` rewrites the SOP table in README.md (between its markers) and
docs/temuan.md (every finding code); tests/test_docs.py fails when either is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kinerja.core import sop as sop_module
from kinerja.core.findings import catalogue

BEGIN, END = "<!-- sop-table:begin -->", "<!-- sop-table:end -->"


def sop_table(sop: sop_module.Sop | None = None) -> str:
    sop = sop or sop_module.load()
    symbols = {
        "start": "mulai (kapsul)",
        "process": "proses (kotak)",
        "decision": "keputusan (belah ketupat)",
        "end": "selesai (kapsul)",
    }
    lines = [
        f"**{sop.title}** ({sop.basis}); mutu baku waktu {sop.total_minutes} menit.",
        "",
        "| No | Kegiatan | Pelaksana | Simbol | Kelengkapan | Waktu | Output | Lembar kerja |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for step in sop.steps:
        activity = step.activity
        if step.decision:
            activity += f" *{step.decision.question} {step.decision.no_label}.*"
        sheets = ", ".join(f"`{s.name}`" for s in sop.step_sheets(step.no))
        lines.append(
            f"| {step.no} | {activity} | {sop.performer_label(step)} | {symbols[step.symbol]} | {step.inputs} "
            f"| {step.time} | {step.output} | {sheets} |"
        )
    lines += ["", "| Tanda tangan | Peran | Syarat | Keputusan |", "|---|---|---|---|"]
    for so in sop.signoffs:
        decisions = " · ".join(d.text for d in so.decisions)
        lines.append(f"| {so.label} | {sop.role(so.role).peran} | {so.condition} | {decisions} |")
    return "\n".join(lines)


def findings_reference() -> str:
    lines = [
        "# Kode temuan dan galat",
        "",
        "Dibuat dari `src/kinerja/core/definitions/catalogue.toml` oleh `python -m kinerja.docs`; jangan diubah manual.",
        "",
        "| Kode | Tingkat | Pesan | Cara memperbaiki |",
        "|---|---|---|---|",
    ]
    for code, entry in catalogue().items():
        if entry.section == "texts":
            continue
        if entry.level:
            level = entry.level.value
        elif entry.of:
            level = f"sebab untuk `{entry.of}`"
        else:
            level = "tidak terbaca (keluar 2)"
        lines.append(f"| `{code}` | {level} | {_cell(entry.pesan)} | {_cell(entry.perbaikan)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def update(root: Path) -> list[Path]:
    """Rewrite the generated parts; return the files that changed."""
    changed = []
    readme = root / "README.md"
    current = readme.read_text("utf-8")
    fresh = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), f"{BEGIN}\n{sop_table()}\n{END}", current, flags=re.S)
    if fresh != current:
        readme.write_text(fresh, "utf-8")
        changed.append(readme)
    reference = root / "docs" / "temuan.md"
    if not reference.exists() or reference.read_text("utf-8") != findings_reference():
        reference.parent.mkdir(exist_ok=True)
        reference.write_text(findings_reference(), "utf-8")
        changed.append(reference)
    return changed


if __name__ == "__main__":
    for path in update(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(f"diperbarui: {path}")
