"""The demo's data: deterministic (D18), consistent with itself and with the definition.

Every figure is recomputed here from the rows; nothing is compared with a number the demo
module itself computed.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

import pytest
from kinerja.templates.demo import demo_inputs
from kinerja.templates.inputs import WorkbookInputs
from PIL import Image

from kinerja.core import contract, iku, nip

SOP = contract.definition()
EXIF_IFD, DATE_TIME, DATE_TIME_ORIGINAL = 0x8769, 306, 36867


@pytest.fixture(scope="module")
def demo() -> WorkbookInputs:
    return demo_inputs()


def _hadir(demo: WorkbookInputs) -> list[dict]:
    return demo.rows[contract.DAFTAR_HADIR]


def _is_delegate(row: dict) -> bool:
    """D13: Delegasi trimmed and case-folded is 'ya'."""
    return str(row.get("Delegasi") or "").strip().casefold() == "ya"


def _invited(demo: WorkbookInputs) -> dict[str, int]:
    return {r["Desa/Kelurahan"]: r["Delegasi Diundang"] for r in demo.rows[contract.DESA]}


def test_two_runs_give_the_same_inputs_and_picture_bytes():
    random.seed(1)
    first = demo_inputs()
    random.seed(2)  # the global generator must not matter
    second = demo_inputs()
    assert first == second
    assert [p.data for p in first.pictures] == [p.data for p in second.pictures]


def test_every_nip_is_a_possible_pns_nip(demo):
    nips = [r["NIP"] for r in demo.rows[contract.PEJABAT]] + [demo.values["ba_pimpinan_nip"]]
    for text in nips:
        assert isinstance(text, str) and " " in text  # text, spaced as on a SK
        assert nip.problems(text) == []
        assert nip.problems(text, today=demo.values["ba_tanggal"]) == []
        assert not nip.is_pppk(nip.normalize(text))


def test_nip_sex_digit_matches_the_official_in_the_daftar_hadir(demo):
    sex = {r["Nama"]: r["L/P"] for r in _hadir(demo)}
    male, female = SOP.list_values("jenis_kelamin")
    for official in demo.rows[contract.PEJABAT]:
        digit = nip.normalize(official["NIP"])[14]
        assert sex[official["Nama"]] == (male if digit == "1" else female), official["Nama"]


def test_one_official_per_role_with_the_definitions_jabatan(demo):
    rows = demo.rows[contract.PEJABAT]
    assert [r["Peran"] for r in rows] == [r.peran for r in SOP.roles]
    for row in rows:
        assert row["Jabatan"] == SOP.role_by_peran(row["Peran"]).jabatan
        assert not row["Sidik Kunci"]
    camat = next(r for r in rows if r["Peran"] == SOP.role("camat").peran)
    assert demo.values["ba_pimpinan_sidang"] == camat["Nama"]
    assert demo.values["ba_pimpinan_nip"] == camat["NIP"]


def test_jumlah_peserta_equals_the_attendance_rows(demo):
    assert demo.values["ba_jumlah_peserta"] == len(_hadir(demo))


def test_no_village_has_more_delegates_present_than_invited_and_some_are_absent(demo):
    invited = _invited(demo)
    present = Counter(r["Desa/Kelurahan"] for r in _hadir(demo) if _is_delegate(r))
    assert all(present[v] <= n for v, n in invited.items())
    assert any(present[v] < n for v, n in invited.items())
    assert set(present) <= set(invited)


def test_realisasi_is_below_100_but_meets_the_target(demo):
    invited = sum(_invited(demo).values())
    present = sum(1 for r in _hadir(demo) if _is_delegate(r))
    figures = iku.compute(invited, present, demo.values["iku_target"], demo.values["iku_arah"], SOP.predikat)
    assert 90 <= figures.realisasi < 100
    assert figures.capaian >= 100  # no consultation needed
    assert figures.predikat == max(SOP.predikat, key=lambda band: band.lower).label  # the best band


def test_choice_values_belong_to_the_definitions_lists(demo):
    for row in _hadir(demo):
        assert row["Unsur"] in SOP.list_values("unsur")
        assert row["L/P"] in SOP.list_values("jenis_kelamin")
        assert row["Delegasi"] in SOP.list_values("ya_tidak")
    assert {r["Jenis"] for r in demo.rows[contract.DESA]} == set(SOP.list_values("jenis_desa"))
    assert demo.values["ref_zona_waktu"] in SOP.list_values("zona_waktu")
    assert demo.values["iku_arah"] in SOP.list_values("arah")
    assert demo.values["ba_ditandatangani"] in SOP.list_values("ya_tidak")


def test_every_attendees_village_is_in_tbldesa_and_every_delegate_has_one(demo):
    villages = set(_invited(demo))
    for row in _hadir(demo):
        if row["Desa/Kelurahan"]:
            assert row["Desa/Kelurahan"] in villages
        if _is_delegate(row):
            assert row["Desa/Kelurahan"], row["Nama"]


def test_no_attendee_name_appears_twice(demo):
    names = [r["Nama"] for r in _hadir(demo)]
    assert len(names) == len(set(names))


def test_the_demo_has_a_realistic_size_and_mix(demo):
    villages = demo.rows[contract.DESA]
    rows = _hadir(demo)
    assert 12 <= len(villages) <= 18
    assert all(3 <= v["Delegasi Diundang"] <= 6 and isinstance(v["Delegasi Diundang"], int) for v in villages)
    assert 80 <= len(rows) <= 120
    assert 20 <= sum(not _is_delegate(r) for r in rows) <= 40
    women = sum(r["L/P"] == SOP.list_values("jenis_kelamin")[1] for r in rows) / len(rows)
    assert 0.2 <= women <= 0.4
    assert len({r["Unsur"] for r in rows}) >= 8
    assert any(r["Keterangan"] for r in rows)
    assert sum(bool(r["Keterangan"]) for r in rows) < len(rows) / 2


def test_rows_use_only_input_headers_of_their_tables(demo):
    for table, rows in demo.rows.items():
        tdef = SOP.table(table)
        inputs = {c.header for c in tdef.input_columns}
        assert rows, table
        for row in rows:
            assert set(row) <= inputs, table  # "No" is a formula: left out


def test_values_fill_settings_and_step_1_and_leave_later_steps_empty(demo):
    for name in SOP.names:
        if name.is_input and name.name.startswith(("ref_", "iku_")):
            assert demo.values[name.name] not in (None, ""), name.name
        if name.required is True:
            assert demo.values.get(name.name) not in (None, ""), name.name
    for name in demo.values:
        assert SOP.name(name).is_input
    for prefix in ("konsultasi_", "lapor_catatan", "camat_catatan", "arsip_"):
        assert not any(demo.values.get(n) for n in demo.values if n.startswith(prefix)), prefix
    assert demo.values["serah_catatan"] and demo.values["analisa_catatan"]
    for key in ("iku_nama", "iku_definisi", "iku_formula", "iku_target", "iku_arah", "ref_min_foto"):
        assert demo.values[key] == SOP.defaults[key]
    assert demo.values["ref_tahun"] == 2026


def test_berita_acara_is_complete_and_consistent(demo):
    v = demo.values
    assert isinstance(v["ba_tanggal"], dt.date) and v["ba_tanggal"].year == v["ref_tahun"]
    assert v["ba_tanggal"].month == 2
    assert isinstance(v["ba_jam_mulai"], dt.time) and v["ba_jam_selesai"] > v["ba_jam_mulai"]
    for word in ("KESATU", "KEDUA", "KETIGA", "KEEMPAT"):
        assert f"{word}:" in v["ba_ringkasan"]
    assert str(v["ref_tahun"]) in v["ba_nomor"]
    assert v["ba_tempat"]


def test_predikat_rows_are_the_definitions_bands(demo):
    rows = demo.rows[contract.PREDIKAT]
    assert [(r["Batas Bawah"], r["Predikat"]) for r in rows] == [(b.lower, b.label) for b in SOP.predikat]


def _exif(data: bytes):
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    exif = image.getexif()
    return image, exif, exif.get_ifd(EXIF_IFD)


def test_four_distinct_jpegs_with_exif_dates_during_the_meeting(demo):
    pictures = demo.pictures
    assert len(pictures) == 4 >= demo.values["ref_min_foto"]
    assert len({p.data for p in pictures}) == 4
    assert [(p.table, p.row_index) for p in pictures] == [(contract.FOTO, i) for i in range(4)]
    day = demo.values["ba_tanggal"].strftime("%Y:%m:%d")
    times = []
    for picture in pictures:
        image, exif, sub = _exif(picture.data)
        assert 600 <= image.width <= 700 and 440 <= image.height <= 500
        taken = sub[DATE_TIME_ORIGINAL]
        assert taken.startswith(day + " ") and exif[DATE_TIME] == taken
        assert exif[271] and exif[272]  # Make, Model
        clock = dt.datetime.strptime(taken, "%Y:%m:%d %H:%M:%S").time()
        assert demo.values["ba_jam_mulai"] <= clock <= demo.values["ba_jam_selesai"]
        times.append(clock)
    assert len(set(times)) == 4


def test_picture_sizes_stay_small(demo):
    sizes = [len(p.data) for p in demo.pictures]
    assert all(s <= 120_000 for s in sizes)
    assert sum(sizes) < 600_000


def test_foto_rows_match_their_pictures(demo):
    rows = demo.rows[contract.FOTO]
    assert len(rows) == len(demo.pictures)
    for row, picture in zip(rows, demo.pictures):
        assert row["Tanggal"] == demo.values["ba_tanggal"]
        assert row["Keterangan"]
        assert row["Berkas"] == picture.name and row["Berkas"].endswith(".jpg")
        _, _, sub = _exif(picture.data)
        stamp = dt.datetime.strptime(sub[DATE_TIME_ORIGINAL], "%Y:%m:%d %H:%M:%S")
        assert row["Berkas"] == f"IMG_{stamp:%Y%m%d_%H%M%S}.jpg"
