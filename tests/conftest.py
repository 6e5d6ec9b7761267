"""Shared fixtures: workbook inputs built by code from small tables (STYLE.md)."""

from __future__ import annotations

import datetime as dt
import io
import os

os.environ["KINERJA_STRICT_CODES"] = "1"  # an unknown catalogue code fails where it is made

import pytest
from kinerja.templates.builder import new_inputs
from kinerja.templates.inputs import PictureInput, WorkbookInputs
from PIL import Image

YA_SPELLINGS = ("Ya", " ya ", "YA")  # D13: each counts as a delegate present
VILLAGES = (
    "Sukamaju",
    "Sidomulyo",
    "Margorejo",
    "Karanganyar",
    "Sukadana",
    "Cibening",
    "Mekarsari",
    "Sumberagung",
    "Tegalsari",
    "Bumi Ayu",
    "Pematang Baru",
    "Sungai Rambai",
    "Teluk Dalam",
    "Wonosari",
    "Tanjung Harapan",
)


def attendance(villages: list[tuple[str, int, int]], guests: int = 0) -> list[dict]:
    """Rows of tblDaftarHadir: ``present`` delegates per (village, invited, present), one
    villager who is no delegate per village, and ``guests`` from offices."""
    rows = []
    for name, _invited, present in villages:
        for i in range(present):
            rows.append(
                {
                    "Nama": f"Delegasi {i + 1} {name}",
                    "Desa/Kelurahan": name,
                    "Unsur": "BPD",
                    "L/P": "LP"[i % 2],
                    "Delegasi": YA_SPELLINGS[i % len(YA_SPELLINGS)],
                }
            )
        rows.append(
            {
                "Nama": f"Warga {name}",
                "Desa/Kelurahan": name,
                "Unsur": "Tokoh Masyarakat",
                "L/P": "P",
                "Delegasi": "Tidak",
            }
        )
    for i in range(guests):
        rows.append({"Nama": f"Tamu {i + 1}", "Unsur": "OPD/Instansi", "L/P": "L", "Delegasi": "Tidak"})
    return rows


def make_inputs(
    villages: list[tuple[str, int, int]],
    *,
    guests: int = 0,
    target: float = 90,
    arah: str = "Naik",
    bands: list[tuple[float, str]] | None = None,
) -> WorkbookInputs:
    inputs = new_inputs(
        kecamatan="Sukamaju",
        kabupaten="Kabupaten Contoh",
        tahun=2026,
        target=target,
        arah=arah,
        desa=[{"Desa/Kelurahan": n, "Jenis": "Desa", "Delegasi Diundang": invited} for n, invited, _ in villages],
    )
    inputs.rows["tblDaftarHadir"] = attendance(villages, guests)
    if bands is not None:
        inputs.rows["tblPredikat"] = [{"Batas Bawah": lower, "Predikat": label} for lower, label in bands]
    return inputs


def png(color: str, size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def make_workbook_inputs():
    return make_inputs


@pytest.fixture(scope="session")
def filled_inputs() -> WorkbookInputs:
    """A Musrenbangcam of 15 villages, about 100 people present, every sheet filled.
    Shared by the session: read it, or deep-copy it before changing it."""
    villages = [(name, 7, 7 - i % 3) for i, name in enumerate(VILLAGES)]
    inputs = make_inputs(villages, guests=6)
    inputs.values |= {
        "ba_nomor": "050/012/BA/2026",
        "ba_tanggal": dt.date(2026, 2, 12),
        "ba_jam_mulai": dt.time(8, 30),
        "ba_jam_selesai": dt.time(12, 15),
        "ba_tempat": "Aula Kantor Kecamatan Sukamaju",
        "ba_pimpinan_sidang": "Drs. Ahmad Fauzi, M.Si.",
        "ba_pimpinan_nip": "19700303 199703 1 008",
        "ba_jumlah_peserta": len(inputs.rows["tblDaftarHadir"]),
        "ba_ringkasan": "KESATU: jalan desa. KEDUA: air bersih. KETIGA: posyandu.",
        "ba_ditandatangani": "Ya",
    }
    inputs.rows["tblPejabat"][0] |= {"Nama": "Budi Santoso, S.STP.", "NIP": "197803152000031002"}
    inputs.rows["tblFoto"] = [
        {"Keterangan": f"Foto {i + 1}", "Tanggal": dt.date(2026, 2, 12), "Berkas": f"IMG_{i + 1}.png"} for i in range(3)
    ]
    inputs.pictures = [
        PictureInput("tblFoto", i, png(c), f"IMG_{i + 1}.png") for i, c in enumerate(("red", "green", "blue"))
    ]
    return inputs


# ---------------------------------------------------------------------- the demo, for planting defects
@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory):
    """The demo workbook, built once; copy it (the `book` fixture) before changing it."""
    from kinerja.templates.builder import save_workbook
    from kinerja.templates.demo import demo_inputs

    return save_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx", demo_inputs())


@pytest.fixture
def book(demo_workbook, tmp_path):
    """A copy of the demo workbook, opened for planting a defect (planting.Planter)."""
    import shutil

    from planting import Planter

    copy = tmp_path / "book.xlsx"
    shutil.copyfile(demo_workbook, copy)
    return Planter(copy)
