"""Synthetic kecamatan workbooks for the benchmarks, made the way the project makes its own:
the demo's data (templates/demo.py) reshaped for another kecamatan, built by the
project's builder, and signed through the whole SOP by the demo's own story
(walkthrough.py: the same signing path as `kinerja demo`, deterministic throwaway keys).

    python benchmarks/generate.py OUT_DIR [N]      # N signed workbooks (default 20)

A variant is a kecamatan name, a number of villages (5 to 60) and of attendees (about
25 to 1,000); each keeps the demo's four photos and gets a full ledger (seven sign-offs,
final). Building and signing one takes seconds, so a folder of a thousand is made from a
few honest variants (:func:`copies`): each copy is byte for byte a signed workbook, so it
verifies and costs the checker exactly what the original does. What copies cannot give is
a thousand *different* kecamatan: changing the kecamatan or the workbook_id of a signed
workbook is exactly what its ledger exists to catch. So in the roll-up the copies are
duplicates of the variants (one row per variant counts; the rest are listed on Duplikat),
and the benchmark says so.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import random
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from kinerja.templates.builder import build_workbook, verify_saved
from kinerja.templates.demo import demo_inputs
from kinerja.templates.inputs import WorkbookInputs

import kinerja
from kinerja import services, walkthrough
from kinerja.core import contract
from kinerja.core import sop as sop_module
from kinerja.xlsx.atomic import write_atomic

SEED = "kinerja-bench"
PLACES = (
    "Sukamaju Cibening Mekarsari Sumberagung Tegalsari Wonosari Margorejo Karanganyar Sukadana Sidomulyo "
    "Tanjungsari Purwodadi Sindangbarang Cikaso Pagerageung Lembursitu Bojongsari Cipatujah Karangpawitan "
    "Sukaresmi Pasirwangi Kadungora Leuwigoong Cilawu Banyuresmi Samarang Bayongbong Cisurupan Pakenjeng "
    "Cikajang Talegong Cisewu Caringin Bungbulang Mekarmukti Pamulihan Peundeuy Singajaya Cihurip Cibalong "
    "Karangtengah Sucinaraja Pangatikan Sukawening Karangjaya Wanaraja Malangbong Cibiuk Cilengkrang Limbangan"
).split()


@dataclass(frozen=True)
class Variant:
    kecamatan: str
    villages: int
    attendees: int  # about: every village's present delegates plus the demo's guests

    @property
    def slug(self) -> str:
        return f"{self.kecamatan.lower()}-{self.villages}desa-{self.attendees}orang"


def variants(n: int) -> list[Variant]:
    """From a small kecamatan to 60 villages and 1,000 attendees: the first is the
    smallest, the second the largest, the rest spread between (demo-sized most often)."""
    rng = random.Random(f"{SEED}/variants")
    out = [Variant(PLACES[0], 5, 25), Variant(PLACES[1], 60, 1030)]
    for i in range(2, n):
        villages = rng.choice((8, 10, 12, 15, 15, 15, 18, 20, 25, 30))
        out.append(Variant(PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else str(i)), villages, villages * 7))
    return out[:n]


def variant_inputs(v: Variant) -> WorkbookInputs:
    """The demo's inputs reshaped: its villages renamed and repeated to ``v.villages``,
    each with enough invited delegates for ``v.attendees``, about 7 % of them absent, the
    demo's guests and staff kept; the minutes count the list."""
    rng = random.Random(f"{SEED}/{v.slug}")
    inputs = copy.deepcopy(demo_inputs())
    base_villages = inputs.rows[contract.DESA]
    rows = inputs.rows[contract.DAFTAR_HADIR]
    delegates = [r for r in rows if r["Delegasi"] == contract.YES]
    others = [r for r in rows if r["Delegasi"] != contract.YES and not r["Desa/Kelurahan"]]
    per_village = max(2, round((v.attendees - len(others)) / v.villages / 0.93))
    desa, attendance = [], []
    for i in range(v.villages):
        template = base_villages[i % len(base_villages)]
        name = template["Desa/Kelurahan"] + ("" if i < len(base_villages) else f" {i // len(base_villages) + 1}")
        desa.append({**template, "Desa/Kelurahan": name, "Delegasi Diundang": per_village})
        present = max(1, per_village - sum(rng.random() < 0.07 for _ in range(per_village)))
        for k in range(present):
            person = delegates[(i * per_village + k) % len(delegates)]
            attendance.append({**person, "Nama": f"{person['Nama']} {i + 1}.{k + 1}", "Desa/Kelurahan": name})
    attendance += others
    inputs.rows[contract.DESA] = desa
    inputs.rows[contract.DAFTAR_HADIR] = attendance
    inputs.values |= {
        "ref_kecamatan": v.kecamatan,
        "ba_jumlah_peserta": len(attendance),
        "ba_tempat": f"Aula Kantor Kecamatan {v.kecamatan}",
    }
    return inputs


def sized_sop(inputs: WorkbookInputs):
    """The definition with tblDaftarHadir pre-sized for the attendees (D5: room for rows)."""
    sop = sop_module.load()
    attendees = len(inputs.rows[contract.DAFTAR_HADIR])
    tables = tuple(
        dataclasses.replace(t, rows=max(t.rows, attendees)) if t.name == contract.DAFTAR_HADIR else t
        for t in sop.tables
    )
    return dataclasses.replace(sop, tables=tables)


def signed_workbook(v: Variant, out: Path) -> Path:
    """One variant built and carried through the whole SOP; the final workbook at ``out``."""
    inputs = variant_inputs(v)
    sop = sized_sop(inputs)

    def save(path: Path, inputs: WorkbookInputs, *, created_at: dt.datetime, workbook_id: str) -> Path:
        book = build_workbook(
            inputs, created_at=created_at, workbook_id=workbook_id, tool_version=kinerja.__version__, sop=sop
        )
        write_atomic(path, book.save, lambda tmp: verify_saved(tmp, sop))
        return path

    def sign(work: Path, role: str, keputusan: str, catatan: str, when: dt.datetime, home: Path) -> None:
        services.sign(
            work,
            services.SignRequest(role=role, keputusan=keputusan, catatan=catatan, now=when, keys_home=home),
        )

    workbook_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://kinerja.invalid/{SEED}/{v.slug}"))
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as scratch:
        done = walkthrough.run(Path(scratch), out.name, sign, save, inputs=inputs, workbook_id=workbook_id)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(done.final, out)
    return out


def generate(folder: Path, n: int) -> list[Path]:
    """``n`` signed variants in ``folder`` (made once; an existing file is kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for v in variants(n):
        path = folder / f"{v.slug}.xlsx"
        if not path.exists():
            signed_workbook(v, path)
        out.append(path)
    return out


def copies(sources: list[Path], folder: Path, total: int) -> list[Path]:
    """``total`` files in ``folder``, byte-for-byte copies of ``sources`` in turn, each in
    its own sub-folder (as a province's archive would hold several years' mail)."""
    out = []
    for i in range(total):
        source = sources[i % len(sources)]
        target = folder / f"kiriman-{i // len(sources):03d}" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(source, target)
        out.append(target)
    return out


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else Path("bench-workbooks")
    n = int(argv[1]) if len(argv) > 1 else 20
    for path in generate(folder, n):
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
