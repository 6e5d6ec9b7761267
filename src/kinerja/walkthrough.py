"""`kinerja demo`: the whole SOP run once on the demo workbook, with throwaway keys (D18).

Kasi Ekbang submits the evidence with five delegates wrongly marked "Tidak"; Sub. Evapor
finds the target missed, records the consultation and returns the file once; Kasi Ekbang
corrects the list and submits again; Sub. Evapor reports to the Sekcam, the Sekcam
forwards to the Camat, the Camat approves, Sub. Evapor files it. The workbook is saved
after each sign-off so a user can open every stage.

Deterministic: fixed dates and times, keys derived from a fixed seed (they are public in
this file, so they prove nothing outside the demo), kept in a temporary folder, never in
the user's profile or KINERJA_HOME. The people's edits between sign-offs are made the way
every kinerja write is made (the edit session), as a user typing into input cells.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import random
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kinerja.core import contract
from kinerja.core.formatting import TIME_ZONES
from kinerja.core.model import WorkbookModel

SEED = "kinerja-demo-2026"
ZONE = dt.timezone(TIME_ZONES["WIB"], "WIB")
CREATED = dt.datetime(2026, 2, 12, 13, 0, tzinfo=ZONE)
WORKBOOK_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://kinerja.invalid/{SEED}"))
MISMARKED = 5  # delegates Kasi Ekbang first lists as "Tidak": capaian drops below 100 %
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 2, day, hour, minute, tzinfo=ZONE)


@dataclass(frozen=True)
class Stage:
    """One sign-off of the story, and what its signer typed before signing."""

    role: str
    keputusan: str
    when: dt.datetime
    catatan: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # by defined name
    fix_mismarked: bool = False  # Kasi Ekbang's correction of the attendance list


def stages(analysis_note: str) -> tuple[Stage, ...]:
    return (
        Stage("kasi_ekbang", "Diserahkan", _at(12, 15, 30), "Bahan Musrenbangcam lengkap."),
        Stage(
            "sub_evapor",
            "Dikembalikan ke Kasi Ekbang",
            _at(13, 9, 40),
            "Capaian di bawah target; mohon periksa kolom Delegasi.",
            values={
                "konsultasi_tanggal": dt.date(2026, 2, 13),
                "konsultasi_hasil": (
                    "Lima delegasi desa tercatat bukan delegasi (kolom Delegasi berisi Tidak), padahal "
                    "hadir sebagai utusan desa menurut undangan. Kasi Ekbang memperbaiki daftar hadir."
                ),
                "konsultasi_tindak_lanjut": "Data diperbaiki",
            },
        ),
        Stage(
            "kasi_ekbang",
            "Diserahkan",
            _at(13, 11, 5),
            "Kolom Delegasi lima peserta sudah dibetulkan.",
            fix_mismarked=True,
        ),
        Stage(
            "sub_evapor",
            "Dilaporkan ke Sekcam",
            _at(13, 14, 20),
            values={
                "analisa_catatan": analysis_note,
                "lapor_catatan": "Target IKU tercapai setelah perbaikan daftar hadir; rincian di lembar 3.",
            },
        ),
        Stage("sekcam", "Diteruskan ke Camat", _at(16, 8, 50), "Sudah diperiksa, diteruskan."),
        Stage(
            "camat",
            "Disetujui",
            _at(16, 10, 15),
            "Disetujui sebagai bahan LKjIP.",
            values={"camat_catatan": "Data kinerja disetujui untuk Laporan Kinerja tahun 2026."},
        ),
        Stage(
            "sub_evapor",
            "Diarsipkan",
            _at(17, 8, 30),
            values={
                "arsip_nomor": "ARS/KIN/012/2026",
                "arsip_lokasi": "Lemari arsip Sekretariat, ordner SAKIP 2026; salinan di folder bersama",
                "arsip_tanggal": dt.date(2026, 2, 17),
            },
        ),
    )


@dataclass(frozen=True)
class Walkthrough:
    final: Path
    stages: tuple[Path, ...]


def run(
    out_dir: Path,
    final_name: str,
    sign: Callable[..., Any],
    save_workbook: Callable[..., Path],
    inputs: Any = None,
    workbook_id: str = WORKBOOK_ID,
) -> Walkthrough:
    """Build, then sign stage by stage; every stage is copied into ``out_dir``. ``inputs``
    (default: the demo's) and ``workbook_id`` let the benchmarks' generator run the same
    story over other kecamatan, through this one signing path."""
    from kinerja.ledger import keys
    from kinerja.templates.demo import demo_inputs

    inputs = inputs if inputs is not None else demo_inputs()
    analysis_note = inputs.values.pop("analisa_catatan", "")
    officials = {r["Peran"]: r for r in inputs.rows[contract.PEJABAT]}
    sop = contract.definition()
    mismarked = _mismark(inputs)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kinerja-demo-") as scratch:
        home = Path(scratch) / "kunci"
        for role in sop.roles:
            person = officials[role.peran]
            secret = hashlib.sha256(f"{SEED}/kunci/{role.key}".encode()).digest()
            info = keys.store_key(secret, role.peran, person["Nama"], person["NIP"], home)
            person["Sidik Kunci"] = info.fingerprint
        work = Path(scratch) / final_name
        save_workbook(work, inputs, created_at=CREATED, workbook_id=workbook_id)
        for n, stage in enumerate(stages(analysis_note), start=1):
            _type_in(work, stage, mismarked)
            sign(work, stage.role, stage.keputusan, stage.catatan, stage.when, home)
            target = out_dir / f"{n:02d}-{stage.role.replace('_', '-')}-{_slug(stage.keputusan)}.xlsx"
            shutil.copyfile(work, target)
            written.append(target)
        final = out_dir / final_name
        shutil.copyfile(work, final)
    return Walkthrough(final, tuple(written))


def _mismark(inputs) -> list[int]:
    """Mark MISMARKED delegates "Tidak" (rows chosen once, with a fixed seed)."""
    yes, no = contract.YES, contract.NO
    rows = inputs.rows[contract.DAFTAR_HADIR]
    delegates = [i for i, r in enumerate(rows) if r.get("Delegasi") == yes]
    chosen = sorted(random.Random(f"{SEED}/keliru").sample(delegates, MISMARKED))
    for i in chosen:
        rows[i] = {**copy.deepcopy(rows[i]), "Delegasi": no}
    return chosen


def _type_in(path: Path, stage: Stage, mismarked: list[int]) -> None:
    """What the signer typed into the workbook before signing (input cells only)."""
    if not stage.values and not stage.fix_mismarked:
        return
    from kinerja.xlsx import paper
    from kinerja.xlsx.edit import EditSession

    with EditSession.open(path) as session:
        model: WorkbookModel = session.model
        for name, value in stage.values.items():
            cell = model.names[name]
            session.sheet(cell.sheet).set_value(cell.ref, _cell_value(value))
        if stage.fix_mismarked:
            table = model.tables[contract.DAFTAR_HADIR]
            for i in mismarked:
                session.sheet(table.sheet).set_value(table.cell("Delegasi", table.rows[i].row), contract.YES)
        paper.keep(session)
        session.commit()


def _cell_value(value: Any) -> Any:
    """A date as Excel stores it (a serial day number; the cell's own format shows it)."""
    if isinstance(value, dt.date):
        return (value - EXCEL_EPOCH).days
    return value


def _slug(text: str) -> str:
    return text.lower().split()[0]
