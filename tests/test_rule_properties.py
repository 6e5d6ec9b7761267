"""Properties of the rules: for any small Musrenbangcam (a few villages, their delegates,
guests, photos), built through the project's own builder from tables (conftest.make_inputs),
planting exactly one defect adds exactly its finding at exactly its cell to what the clean
workbook reports, and the rows its message names are the Excel rows of the cells.

Each example builds two real workbooks (about a second), so the example counts are kept
small; the cell of a planted value is found from the table parts of the written file, not
from our layout or our reader."""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

import openpyxl
from conftest import VILLAGES, make_inputs, png
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from kinerja.templates.builder import build_workbook
from kinerja.templates.inputs import PictureInput, WorkbookInputs
from kinerja.validators.engine import validate_model

from kinerja.core import contract
from kinerja.core.cells import col_index, col_letter, parse_a1
from kinerja.core.findings import Finding
from kinerja.core.formatting import MONTHS, format_date
from kinerja.xlsx.reader import read_workbook_bytes

SMALL = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.generate],  # shrinking would build hundreds of workbooks
)
NIPS = ("19700303 199703 1 008", "197803152000031002", "19850712 201001 2 003", "19900101 201503 1 004")
COLOURS = ("red", "green", "blue", "orange", "purple")
MEETING = dt.date(2026, 2, 12)
CREATED = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7), "WIB"))


# ---------------------------------------------------------------------- small Musrenbangcams
@st.composite
def musrenbangcams(draw, busy: int = 1) -> WorkbookInputs:
    """2–5 villages (invited 1–4, present 0–invited), at least ``busy`` of them with two
    delegates present or more; 0–3 guests; 3–5 photos, each with its own picture; every
    other input filled, the consultation too, so a changed capaian asks for nothing."""
    names = draw(st.lists(st.sampled_from(VILLAGES), min_size=2, max_size=5, unique=True))
    villages = []
    for i, name in enumerate(names):
        invited = draw(st.integers(2 if i < busy else 1, 4))
        present = draw(st.integers(2 if i < busy else 0, invited))
        villages.append((name, invited, present))
    villages = draw(st.permutations(villages))
    inputs = make_inputs(villages, guests=draw(st.integers(0, 3)))
    photos = draw(st.integers(3, 5))
    inputs.values |= {
        "ba_nomor": "050/012/BA/2026",
        "ba_tanggal": MEETING,
        "ba_jam_mulai": dt.time(8, 30),
        "ba_jam_selesai": dt.time(12, 15),
        "ba_tempat": "Aula Kantor Kecamatan Sukamaju",
        "ba_pimpinan_sidang": "Drs. Ahmad Fauzi, M.Si.",
        "ba_pimpinan_nip": NIPS[0],
        "ba_jumlah_peserta": len(inputs.rows[contract.DAFTAR_HADIR]),
        "ba_ringkasan": "KESATU: jalan desa. KEDUA: air bersih.",
        "ba_ditandatangani": "Ya",
        "konsultasi_tanggal": MEETING,
        "konsultasi_hasil": "Data sudah diperiksa bersama Kasi Ekbang.",
        "konsultasi_tindak_lanjut": "Data sudah benar",
    }
    for row, nip in zip(inputs.rows[contract.PEJABAT], NIPS):
        row |= {"Nama": f"Pejabat {row['Peran']}", "NIP": nip}
    inputs.rows[contract.FOTO] = [
        {"Keterangan": f"Foto {i + 1}", "Tanggal": MEETING, "Berkas": f"IMG_{i + 1}.png"} for i in range(photos)
    ]
    inputs.pictures = [PictureInput(contract.FOTO, i, png(COLOURS[i], (40, 30))) for i in range(photos)]
    return inputs


def built(inputs: WorkbookInputs) -> bytes:
    out = io.BytesIO()
    build_workbook(
        inputs, created_at=CREATED, workbook_id="00000000-0000-4000-8000-000000000001", tool_version="t"
    ).save(out)
    return out.getvalue()


def findings(data: bytes) -> dict[tuple[str, str, str], Finding]:
    laporan = validate_model(read_workbook_bytes(data, "kecil.xlsx"))
    return {(f.code, f.sheet, f.cell): f for f in laporan.findings}


def planted(inputs: WorkbookInputs, plant) -> tuple[bytes, dict[tuple[str, str, str], Finding]]:
    """The findings the defect adds to the clean workbook's, and the planted file."""
    clean_file = built(inputs)
    changed = copy.deepcopy(inputs)
    plant(changed)
    data = built(changed)
    return data, added(clean_file, data)


def typed_into(data: bytes, table: str, header: str, index: int, value) -> bytes:
    """The file with a value typed into one cell as Excel stores it (the builder writes a
    NIP as text, as its cell's format asks; a user typing into a General cell does not)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet, ref = cell_of(data, table, header, index)
    book[sheet][ref].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def added(clean: bytes, changed: bytes) -> dict[tuple[str, str, str], Finding]:
    before = findings(clean)
    return {key: f for key, f in findings(changed).items() if key not in before}


def cell_of(data: bytes, table: str, header: str, index: int) -> tuple[str, str]:
    """(sheet, A1) of a table's column in its index-th data row (0 = first), read from the
    file's table part and the workbook's relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): _part("xl", r.get("Target")) for r in rels}
        workbook = ET.fromstring(zf.read("xl/workbook.xml"))
        for sheet in workbook.findall(".//{*}sheet"):
            part = targets[sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            folder, base = posixpath.split(part)
            sheet_rels = posixpath.join(folder, "_rels", base + ".rels")
            if sheet_rels not in zf.namelist():
                continue
            for rel in ET.fromstring(zf.read(sheet_rels)):
                if not rel.get("Type", "").endswith("/table"):
                    continue
                xml = ET.fromstring(zf.read(_part(folder, rel.get("Target"))))
                if xml.get("displayName") != table:
                    continue
                headers = [c.get("name") for c in xml.findall(".//{*}tableColumn")]
                first = re.match(r"([A-Z]+)(\d+)", xml.get("ref"))
                col = col_index(first.group(1)) + headers.index(header)
                return sheet.get("name"), f"{col_letter(col)}{int(first.group(2)) + 1 + index}"
    raise KeyError(table)


def _part(folder: str, target: str) -> str:
    """A relationship's target as a zip member name (absolute targets start with '/')."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def excel_row(cell: str) -> int:
    return parse_a1(cell)[0]


def hadir(inputs: WorkbookInputs) -> list[dict]:
    return inputs.rows[contract.DAFTAR_HADIR]


def delegates_of(inputs: WorkbookInputs, village: str) -> list[int]:
    """Indexes of the attendance rows counted as the village's delegates (D13: trimmed, any case)."""
    return [
        i
        for i, r in enumerate(hadir(inputs))
        if r.get("Desa/Kelurahan") == village and str(r["Delegasi"]).strip().casefold() == "ya"
    ]


def villages(inputs: WorkbookInputs) -> list[dict]:
    return inputs.rows[contract.DESA]


def only(added: dict, code: str, where: tuple[str, str]) -> Finding:
    assert set(added) == {(code, *where)}, sorted(added)
    return added[(code, *where)]


# ---------------------------------------------------------------------- one defect each
@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_a_nip_typed_as_a_number_is_reported_at_its_cell(inputs, data):
    index = data.draw(st.integers(0, len(inputs.rows[contract.PEJABAT]) - 1))
    clean = built(inputs)
    file = typed_into(clean, contract.PEJABAT, "NIP", index, int(NIPS[index].replace(" ", "")))
    finding = only(added(clean, file), "NIP_ANGKA", cell_of(file, contract.PEJABAT, "NIP", index))
    assert finding.params["value"].endswith("000")  # what Excel kept of 18 digits: 15, then zeros


@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_a_village_not_in_tbldesa_is_reported_at_the_attendee(inputs, data):
    """A guest or a villager who is no delegate: no village loses a delegate by it."""
    others = [i for i, r in enumerate(hadir(inputs)) if r["Delegasi"] == "Tidak"]
    index = data.draw(st.sampled_from(others))
    unknown = data.draw(st.sampled_from(("Desa Antah Berantah", "Sukamakmur Jaya", "Kampung Baru 2")))

    def plant(i):
        hadir(i)[index]["Desa/Kelurahan"] = unknown

    file, new = planted(inputs, plant)
    where = cell_of(file, contract.DAFTAR_HADIR, "Desa/Kelurahan", index)
    finding = only(new, "HADIR_DESA_TIDAK_DIKENAL", where)
    assert finding.params["row"] == excel_row(where[1])
    assert finding.params["similar"] in {v["Desa/Kelurahan"] for v in villages(inputs)}


def _date_texts(day: dt.date) -> list[str]:
    return [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day} {MONTHS['id'][day.month - 1]} {day.year}",
        day.isoformat(),
    ]


@SMALL
@given(inputs=musrenbangcams(), data=st.data(), day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_a_date_typed_as_text_names_the_date_it_reads_as(inputs, data, day):
    index = data.draw(st.integers(0, len(inputs.rows[contract.FOTO]) - 1))
    typed = data.draw(st.sampled_from(_date_texts(day)))

    def plant(i):
        i.rows[contract.FOTO][index]["Tanggal"] = typed

    file, new = planted(inputs, plant)
    finding = only(new, "NILAI_TANGGAL_TEKS", cell_of(file, contract.FOTO, "Tanggal", index))
    assert finding.params["reads_as"] == format_date(day)


def _leaves_each_village_a_delegate(inputs: WorkbookInputs, index: int) -> bool:
    village = hadir(inputs)[index].get("Desa/Kelurahan")
    return index not in delegates_of(inputs, village) or len(delegates_of(inputs, village)) >= 2


@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_delegasi_typed_as_y_is_a_galat_at_its_cell(inputs, data):
    rows = [i for i in range(len(hadir(inputs))) if _leaves_each_village_a_delegate(inputs, i)]
    index = data.draw(st.sampled_from(rows))
    typed = data.draw(st.sampled_from(("Y", "y", "yes", "1", "✓", "Ya.")))

    def plant(i):
        hadir(i)[index]["Delegasi"] = typed

    file, new = planted(inputs, plant)
    only(new, "NILAI_YA_TIDAK", cell_of(file, contract.DAFTAR_HADIR, "Delegasi", index))


@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_a_village_listed_twice_is_reported_at_the_second_listing(inputs, data):
    """Listed again with as many invited as came, so no other rule has anything to say."""
    came = [i for i, v in enumerate(villages(inputs)) if delegates_of(inputs, v["Desa/Kelurahan"])]
    first = data.draw(st.sampled_from(came))
    name = villages(inputs)[first]["Desa/Kelurahan"]
    spelled = data.draw(st.sampled_from((name, f" {name} ", f"{name}  ")))  # read trimmed, as typed
    again = len(villages(inputs))

    def plant(i):
        villages(i).append(
            {"Desa/Kelurahan": spelled, "Jenis": "Desa", "Delegasi Diundang": len(delegates_of(i, name))}
        )

    file, new = planted(inputs, plant)
    where = cell_of(file, contract.DESA, "Desa/Kelurahan", again)
    finding = only(new, "NILAI_GANDA", where)
    assert finding.params["first_row"] == excel_row(cell_of(file, contract.DESA, "Desa/Kelurahan", first)[1])
    assert finding.params["row"] == excel_row(where[1])


@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_more_delegates_present_than_invited_is_reported_at_the_invitation(inputs, data):
    busy = [i for i, v in enumerate(villages(inputs)) if len(delegates_of(inputs, v["Desa/Kelurahan"])) >= 2]
    index = data.draw(st.sampled_from(busy))
    name = villages(inputs)[index]["Desa/Kelurahan"]
    came = delegates_of(inputs, name)
    invited = data.draw(st.integers(1, len(came) - 1))

    def plant(i):
        villages(i)[index]["Delegasi Diundang"] = invited

    file, new = planted(inputs, plant)
    finding = only(new, "HADIR_MELEBIHI_UNDANGAN", cell_of(file, contract.DESA, "Delegasi Diundang", index))
    named = [excel_row(cell_of(file, contract.DAFTAR_HADIR, "Delegasi", r)[1]) for r in came]
    assert finding.params["rows"] == named  # the rows the user sees at the sheet's left edge
    assert (finding.params["present"], finding.params["invited"]) == (len(came), invited)


@SMALL
@given(inputs=musrenbangcams(), data=st.data())
def test_the_same_person_twice_names_both_excel_rows(inputs, data):
    """A villager who is no delegate given the name of a delegate of the same village
    (listed after the delegates): one Peringatan at the second listing."""
    busy = [v["Desa/Kelurahan"] for v in villages(inputs) if delegates_of(inputs, v["Desa/Kelurahan"])]
    village = data.draw(st.sampled_from(busy))
    first = data.draw(st.sampled_from(delegates_of(inputs, village)))
    second = next(i for i, r in enumerate(hadir(inputs)) if r["Nama"] == f"Warga {village}")

    def plant(i):
        hadir(i)[second]["Nama"] = hadir(i)[first]["Nama"].upper()

    file, new = planted(inputs, plant)
    where = cell_of(file, contract.DAFTAR_HADIR, "Nama", second)
    finding = only(new, "HADIR_GANDA", where)
    assert finding.params["first_row"] == excel_row(cell_of(file, contract.DAFTAR_HADIR, "Nama", first)[1])
    assert finding.params["row"] == excel_row(where[1])
