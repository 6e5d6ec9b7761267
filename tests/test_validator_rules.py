"""Every rule, one planted defect each: the clean demo workbook gets exactly one cell
changed through its contract names, and validation must report exactly that code at
exactly that cell, and nothing else new.

Defects are planted with openpyxl, as someone outside this project would (planting.py);
cells are located by defined names and table headers, never by our layout."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from kinerja.templates.builder import save_workbook
from kinerja.templates.demo import demo_inputs
from kinerja.templates.inputs import PictureInput
from PIL import Image
from planting import Planter, findings

from kinerja.core import contract


@pytest.fixture(scope="module")
def demo(demo_workbook):
    """The clean demo and what it reports: the baseline every planted defect adds to."""
    return demo_workbook, findings(demo_workbook)


def new_findings(demo, planter: Planter) -> set[tuple[str, str, str]]:
    _, baseline = demo
    return findings(planter.save()) - baseline


ROWS = demo_inputs().rows


def attendance_row(where) -> int:
    """The row_no (1 = first data row) of the first attendee matching `where`."""
    return next(i for i, r in enumerate(ROWS[contract.DAFTAR_HADIR], start=1) if where(r))


def delegates_of(village: str) -> int:
    return sum(1 for r in ROWS[contract.DAFTAR_HADIR] if r["Delegasi"] == "Ya" and r["Desa/Kelurahan"] == village)


def village_row(name: str) -> int:
    return next(i for i, r in enumerate(ROWS[contract.DESA], start=1) if r["Desa/Kelurahan"] == name)


# A delegate from a village several delegates came from, so that losing one changes no
# other finding.
BUSY_VILLAGE = max({r["Desa/Kelurahan"] for r in ROWS[contract.DESA]}, key=delegates_of)
BUSY_DELEGATE = attendance_row(lambda r: r["Delegasi"] == "Ya" and r["Desa/Kelurahan"] == BUSY_VILLAGE)
GUEST = attendance_row(lambda r: r["Delegasi"] == "Tidak")
LATE_GUEST = next(
    i for i, r in enumerate(ROWS[contract.DAFTAR_HADIR], start=1) if i > BUSY_DELEGATE and r["Delegasi"] == "Tidak"
)


def at_name(book: Planter, name: str) -> tuple[str, str]:
    cell = book.name_cell(name)
    return cell.parent.title, cell.coordinate


def test_the_clean_demo_has_no_galat_and_the_womens_share_as_info(demo):
    _, baseline = demo
    assert {code for code, _, _ in baseline} == {"HADIR_PEREMPUAN"}


# ---------------------------------------------------------------------- completeness
def test_an_empty_required_name_is_reported_at_its_cell(demo, book):
    where = book.set_name("ba_tempat", None)
    assert new_findings(demo, book) == {("ISIAN_KOSONG", *where)}


def test_an_empty_required_column_is_reported_at_its_cell(demo, book):
    where = book.set(contract.DAFTAR_HADIR, "Unsur", GUEST, None)
    assert new_findings(demo, book) == {("ISIAN_KOLOM_KOSONG", *where)}


def test_a_column_left_empty_everywhere_is_one_finding_at_its_header(demo, book):
    for row_no in range(1, len(ROWS[contract.PEJABAT]) + 1):
        book.set(contract.PEJABAT, "Jabatan", row_no, None)
    header = book.header(contract.PEJABAT, "Jabatan")
    assert new_findings(demo, book) == {("ISIAN_KOLOM_TIDAK_DIISI", header.parent.title, header.coordinate)}


def test_a_delegate_without_a_village_is_reported_at_the_village_cell(demo, book):
    where = book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", BUSY_DELEGATE, None)
    assert new_findings(demo, book) == {("ISIAN_KOLOM_WAJIB_BILA", *where)}


def test_an_empty_officials_table_is_reported_at_its_first_row(demo, book):
    for row_no in range(1, len(ROWS[contract.PEJABAT]) + 1):
        for header in ("Peran", "Nama", "NIP", "Jabatan"):
            book.set(contract.PEJABAT, header, row_no, None)
    first = book.cell(contract.PEJABAT, "Peran", 1)
    assert new_findings(demo, book) == {("ISIAN_TABEL_KOSONG", first.parent.title, first.coordinate)}


def test_a_role_nobody_holds_is_reported_at_the_role_header(demo, book):
    camat = next(i for i, r in enumerate(ROWS[contract.PEJABAT], start=1) if r["Peran"] == "Camat")
    book.set(contract.PEJABAT, "Peran", camat, "Sekcam")
    header = book.header(contract.PEJABAT, "Peran")
    assert new_findings(demo, book) == {("ISIAN_PERAN_KOSONG", header.parent.title, header.coordinate)}


def test_a_missed_target_makes_the_consultation_record_required(demo, book):
    book.set_name("iku_target", 99)  # realisasi 94.2 -> capaian 95.2 < 100
    expected = {
        ("ISIAN_KONSULTASI", *at_name(book, n))
        for n in ("konsultasi_tanggal", "konsultasi_hasil", "konsultasi_tindak_lanjut")
    }
    assert new_findings(demo, book) == expected


def test_archive_fields_become_required_once_the_camat_has_approved(demo, book):
    book.set(contract.PERSETUJUAN, "Langkah", 1, "Langkah 5 (Camat)")
    book.set(contract.PERSETUJUAN, "Keputusan", 1, "Disetujui")
    expected = {
        ("ISIAN_SETELAH_TANDA_TANGAN", *at_name(book, n)) for n in ("arsip_nomor", "arsip_lokasi", "arsip_tanggal")
    }
    found = new_findings(demo, book)
    assert expected <= found
    # a row typed by hand is no sign-off: the ledger says so, at that row, and nowhere else
    assert {(sheet, code.startswith("LEDGER_")) for code, sheet, _ in found - expected} == {
        (contract.PERSETUJUAN_SHEET, True)
    }


# ---------------------------------------------------------------------- cell values
@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("ba_jumlah_peserta", "98", "NILAI_ANGKA_TEKS"),
        ("ba_tanggal", "12/02/2026", "NILAI_TANGGAL_TEKS"),
        ("ba_jam_mulai", "08.30", "NILAI_JAM_TEKS"),
        ("ba_jam_selesai", "siang", "NILAI_BUKAN_JAM"),
        ("ref_min_foto", 0, "NILAI_KURANG_DARI_MIN"),
        ("ref_min_foto", 31, "NILAI_LEBIH_DARI_MAKS"),
        ("iku_arah", "naik", "NILAI_PILIHAN"),
        ("ba_ditandatangani", "Y", "NILAI_YA_TIDAK"),
        ("ba_ditandatangani", " ya ", "NILAI_YA_VARIAN"),
        ("ba_jumlah_peserta", "#DIV/0!", "NILAI_GALAT_EXCEL"),
        ("iku_target", 101, "NILAI_LEBIH_DARI_MAKS"),
    ],
)
def test_a_value_of_the_wrong_kind_in_a_named_cell_is_one_finding_there(demo, book, name, value, code):
    where = book.set_name(name, value)
    assert new_findings(demo, book) == {(code, *where)}


@pytest.mark.parametrize(
    ("table", "header", "row_no", "value", "code"),
    [
        (contract.DESA, "Delegasi Diundang", 1, "lima", "NILAI_BUKAN_ANGKA"),
        (contract.DESA, "Delegasi Diundang", 1, 5.5, "NILAI_BUKAN_BULAT"),
        (contract.FOTO, "Tanggal", 1, "kemarin", "NILAI_BUKAN_TANGGAL"),
        (contract.DAFTAR_HADIR, "Unsur", GUEST, "Warga", "NILAI_PILIHAN"),
        (contract.DAFTAR_HADIR, "L/P", GUEST, "Laki-laki", "NILAI_PILIHAN"),
        (contract.DAFTAR_HADIR, "Delegasi", BUSY_DELEGATE, "Y", "NILAI_YA_TIDAK"),
        (contract.DAFTAR_HADIR, "Delegasi", BUSY_DELEGATE, " YA ", "NILAI_YA_VARIAN"),
        (contract.FOTO, "Tanggal", 2, "#N/A", "NILAI_GALAT_EXCEL"),
    ],
)
def test_a_value_of_the_wrong_kind_in_a_table_is_one_finding_at_its_cell(
    demo, book, table, header, row_no, value, code
):
    where = book.set(table, header, row_no, value)
    assert new_findings(demo, book) == {(code, *where)}


def test_a_village_listed_twice_is_reported_at_the_second_listing(demo, book):
    # The quietest village, invited as many as came: totals stay above target.
    quiet = min((r["Desa/Kelurahan"] for r in ROWS[contract.DESA]), key=delegates_of)
    row_no = len(ROWS[contract.DESA]) + 1
    where = book.set(contract.DESA, "Desa/Kelurahan", row_no, quiet)
    book.set(contract.DESA, "Jenis", row_no, "Desa")
    book.set(contract.DESA, "Delegasi Diundang", row_no, delegates_of(quiet))
    assert new_findings(demo, book) == {("NILAI_GANDA", *where)}


# ---------------------------------------------------------------------- NIP
@pytest.mark.parametrize(
    ("nip", "code"),
    [
        (197205141995031002, "NIP_ANGKA"),
        ("1972051419950310", "NIP_FORMAT"),
        ("19721314 199503 1 002", "NIP_TANGGAL_LAHIR"),
        ("19720514 199513 1 002", "NIP_TMT"),
        ("19720514 198503 1 002", "NIP_TMT_MUDA"),
        ("19720514 199503 3 002", "NIP_JENIS_KELAMIN"),
        ("19900101 2015 2 1 1 001", "NIP_PPPK_TAHUN"),
    ],
)
def test_a_wrong_nip_is_reported_at_its_cell(demo, book, nip, code):
    where = book.set(contract.PEJABAT, "NIP", 1, nip)
    assert new_findings(demo, book) == {(code, *where)}


def test_a_nip_typed_as_a_number_explains_excels_fifteen_digits(demo, book):
    book.set_name("ba_pimpinan_nip", 197205141995031002)
    from kinerja.validators.engine import validate_file

    (finding,) = [f for f in validate_file(book.save()).findings if f.code == "NIP_ANGKA"]
    message, _ = finding.render()
    assert "197205141995031000" in message and "15 angka" in message


# ---------------------------------------------------------------------- attendance
def test_a_village_not_in_the_list_is_reported_at_the_attendee(demo, book):
    where = book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", BUSY_DELEGATE, "Desa Antah Berantah")
    assert new_findings(demo, book) == {("HADIR_DESA_TIDAK_DIKENAL", *where)}


def test_more_delegates_present_than_invited_is_reported_at_the_invitation(demo, book):
    where = book.set(contract.DESA, "Delegasi Diundang", village_row(BUSY_VILLAGE), 1)
    assert new_findings(demo, book) == {("HADIR_MELEBIHI_UNDANGAN", *where)}


def test_a_village_whose_delegates_all_stayed_away_is_a_warning(demo, book):
    row_no = len(ROWS[contract.DESA]) + 1
    where = book.set(contract.DESA, "Desa/Kelurahan", row_no, "Desa Jauh Sekali")
    book.set(contract.DESA, "Jenis", row_no, "Desa")
    book.set(contract.DESA, "Delegasi Diundang", row_no, 3)
    assert new_findings(demo, book) == {("HADIR_DESA_TANPA_DELEGASI", *where)}


def test_the_same_person_twice_is_a_warning_at_the_second_row(demo, book):
    first = ROWS[contract.DAFTAR_HADIR][BUSY_DELEGATE - 1]
    where = book.set(contract.DAFTAR_HADIR, "Nama", LATE_GUEST, first["Nama"].upper() + " ")
    book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", LATE_GUEST, first["Desa/Kelurahan"])
    assert new_findings(demo, book) == {("HADIR_GANDA", *where)}


def test_the_womens_share_counts_women_among_delegates_present(demo):
    from kinerja.validators.engine import validate_file

    path, _ = demo
    (info,) = [f for f in validate_file(path).findings if f.code == "HADIR_PEREMPUAN"]
    delegates = [r for r in ROWS[contract.DAFTAR_HADIR] if r["Delegasi"] == "Ya"]
    women = sum(1 for r in delegates if r["L/P"] == "P")
    assert info.params["women"] == women and info.params["present"] == len(delegates)
    assert info.level.json == "info"


# ---------------------------------------------------------------------- berita acara
def test_minutes_dated_outside_the_reference_year_are_reported_at_the_date(demo, book):
    book.set_name("ref_tahun", 2025)
    assert new_findings(demo, book) == {("BA_TANGGAL_TAHUN", *at_name(book, "ba_tanggal"))}


def test_a_meeting_ending_before_it_starts_is_reported_at_the_end_time(demo, book):
    where = book.set_name("ba_jam_selesai", dt.time(8, 0))
    assert new_findings(demo, book) == {("BA_JAM_URUTAN", *where)}


def test_a_participant_count_unlike_the_attendance_list_names_both_numbers(demo, book):
    where = book.set_name("ba_jumlah_peserta", 97)
    assert new_findings(demo, book) == {("BA_JUMLAH_PESERTA", *where)}
    from kinerja.validators.engine import validate_file

    (finding,) = [f for f in validate_file(book.path).findings if f.code == "BA_JUMLAH_PESERTA"]
    message, _ = finding.render()
    assert "97" in message and str(len(ROWS[contract.DAFTAR_HADIR])) in message


def test_unsigned_paper_minutes_are_reported(demo, book):
    where = book.set_name("ba_ditandatangani", "Tidak")
    assert new_findings(demo, book) == {("BA_BELUM_DITANDATANGANI", *where)}


# ---------------------------------------------------------------------- photos
def test_fewer_photos_than_required_is_reported_at_the_next_free_row(demo, book):
    book.set_name("ref_min_foto", 5)
    free = book.cell(contract.FOTO, "Keterangan", len(ROWS[contract.FOTO]) + 1)
    assert new_findings(demo, book) == {("FOTO_KURANG", free.parent.title, free.coordinate)}


def jpeg(color: str, taken: dt.datetime | None = None) -> bytes:
    img = Image.new("RGB", (320, 240), color)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def build_with_pictures(tmp_path, pictures):
    inputs = demo_inputs()
    inputs.pictures = pictures
    return save_workbook(tmp_path / "foto.xlsx", inputs)


def picture_findings(demo, tmp_path, pictures):
    _, baseline = demo
    return findings(build_with_pictures(tmp_path, pictures)) - baseline


def test_a_photo_row_without_its_picture_is_reported_at_its_file_name(demo, tmp_path):
    pictures = [p for p in demo_inputs().pictures if p.row_index != 1]
    found = picture_findings(demo, tmp_path, pictures)
    cell = Planter(tmp_path / "foto.xlsx").cell(contract.FOTO, "Berkas", 2)
    assert found == {("FOTO_TANPA_GAMBAR", cell.parent.title, cell.coordinate)}


def test_a_picture_in_a_row_without_a_photo_entry_is_a_warning_at_the_picture(demo, tmp_path):
    extra = PictureInput(contract.FOTO, 9, jpeg("purple"), "lain.jpg")
    found = picture_findings(demo, tmp_path, [*demo_inputs().pictures, extra])
    ((code, sheet, cell),) = found
    row = Planter(tmp_path / "foto.xlsx").cell(contract.FOTO, "No", 10).row
    assert (code, sheet) == ("FOTO_GAMBAR_TANPA_BARIS", contract.FOTO_SHEET)
    assert cell.endswith(str(row))


def test_the_same_picture_twice_is_a_warning_at_the_second_row(demo, tmp_path):
    pictures = demo_inputs().pictures
    pictures[1] = PictureInput(contract.FOTO, 1, pictures[0].data, "salinan.jpg")
    found = picture_findings(demo, tmp_path, pictures)
    cell = Planter(tmp_path / "foto.xlsx").cell(contract.FOTO, "Berkas", 2)
    assert found == {("FOTO_GANDA", cell.parent.title, cell.coordinate)}


def test_a_camera_date_far_from_the_meeting_is_a_warning_at_the_photo_date(demo, tmp_path):
    pictures = demo_inputs().pictures
    pictures[2] = PictureInput(contract.FOTO, 2, jpeg("orange", dt.datetime(2025, 2, 12, 9, 0)), "lama.jpg")
    found = picture_findings(demo, tmp_path, pictures)
    cell = Planter(tmp_path / "foto.xlsx").cell(contract.FOTO, "Tanggal", 3)
    assert found == {("FOTO_TANGGAL_EXIF", cell.parent.title, cell.coordinate)}


# ---------------------------------------------------------------------- IKU
@pytest.mark.parametrize(("target", "code"), [(0, "IKU_TARGET_TIDAK_POSITIF"), (0.9, "IKU_TARGET_PERSEN")])
def test_a_target_that_cannot_be_right_is_reported_at_the_target(demo, book, target, code):
    where = book.set_name("iku_target", target)
    assert new_findings(demo, book) == {(code, *where)}


def test_no_invited_villages_is_one_finding_not_one_per_attendee(demo, book):
    for row_no in range(1, len(ROWS[contract.DESA]) + 1):
        for header in ("Desa/Kelurahan", "Jenis", "Delegasi Diundang"):
            book.set(contract.DESA, header, row_no, None)
    header = book.header(contract.DESA, "Delegasi Diundang")
    assert new_findings(demo, book) == {("IKU_DIUNDANG_NOL", header.parent.title, header.coordinate)}


@pytest.mark.parametrize("shown", [70, "#REF!"])
def test_a_formula_overwritten_or_broken_is_reported_where_it_shows(demo, book, shown):
    where = book.set_name("iku_hadir", shown)
    assert new_findings(demo, book) == {("IKU_RUMUS_BEDA", *where)}


# ---------------------------------------------------------------------- layout
def test_a_value_typed_under_a_table_is_reported_as_not_read(demo, book):
    cell = book.below(contract.FOTO, "Keterangan")
    cell.value = "foto tambahan"
    assert new_findings(demo, book) == {("TATA_LETAK_DI_LUAR_TABEL", cell.parent.title, cell.coordinate)}


def test_a_sheet_staff_added_is_info_and_is_not_read(demo, book):
    book.wb.create_sheet("Catatan Saya").append(["apa saja"])
    assert new_findings(demo, book) == {("TATA_LETAK_LEMBAR_TAMBAHAN", "Catatan Saya", "A1")}


def test_an_unprotected_sheet_is_a_warning(demo, book):
    book.wb["2 Penyampaian"].protection.sheet = False
    assert new_findings(demo, book) == {("TATA_LETAK_PROTEKSI_HILANG", "2 Penyampaian", "A1")}


def test_a_refused_village_does_not_make_two_people_the_same(demo, book):
    """A delegate whose village is not in the list, and a guest of the same name with no
    village: one finding for the village, no duplicate warning."""
    delegate = ROWS[contract.DAFTAR_HADIR][BUSY_DELEGATE - 1]
    book.set(contract.DAFTAR_HADIR, "Nama", LATE_GUEST, delegate["Nama"])
    book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", LATE_GUEST, None)
    where = book.set(contract.DAFTAR_HADIR, "Desa/Kelurahan", BUSY_DELEGATE, "Desa Antah Berantah")
    assert new_findings(demo, book) == {("HADIR_DESA_TIDAK_DIKENAL", *where)}


def test_refused_inputs_leave_the_figures_they_feed_uncomputed(demo, book):
    from kinerja.validators.engine import validate_file

    book.set(contract.DESA, "Delegasi Diundang", 1, -5)
    iku = validate_file(book.save()).iku
    assert iku.invited is None and iku.realisasi is None and iku.capaian is None and iku.predikat is None
    assert iku.present == sum(1 for r in ROWS[contract.DAFTAR_HADIR] if r["Delegasi"] == "Ya")
