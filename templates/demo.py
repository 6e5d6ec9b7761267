"""Synthetic data for `kinerja demo`: one invented kecamatan's Musrenbangcam, complete up
to the hand-over to Sub. Evapor.

D18: the demo is deterministic, so two runs give the same workbook (byte-identical
pictures included) and a test can rely on it. Every random choice comes from a
``random.Random`` seeded with a fixed string (string seeds are hashed with SHA-512, so they
do not depend on PYTHONHASHSEED), one generator per concern, so that changing the guest
list does not reshuffle the villages. The year and the dates are fixed too.

Facts of the SOP (lists, roles, defaults, predicate bands, table and name names) are read
from the definition; this module only invents the people and places. Some delegates stay
absent, so realisasi is below 100 % but at least the default target, and the demo needs
no consultation.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kinerja.templates.inputs import PictureInput, WorkbookInputs
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kinerja.core import contract, iku
from kinerja.core.formatting import TIME_ZONES, format_number
from kinerja.core.sop import Sop

SEED = "kinerja-demo-2026"
YEAR = 2026
KECAMATAN = "Sukamaju"
KABUPATEN = "Kabupaten Tanjung Sari"
MEETING_DATE = dt.date(2026, 2, 12)  # a Thursday, after the village forums of January
MEETING_START = dt.time(8, 30)
MEETING_END = dt.time(12, 15)
ABSENT_SHARE = 0.07  # of invited delegates; ≤ 0.10 keeps realisasi ≥ 90 %

# --------------------------------------------------------------------------- places

# (name, is a kelurahan): the kecamatan's capital and one other town are kelurahan.
_VILLAGES: tuple[tuple[str, bool], ...] = (
    ("Sukamaju", True),
    ("Tanjung Harapan", True),
    ("Sidomulyo", False),
    ("Margorejo", False),
    ("Karanganyar", False),
    ("Sukadana", False),
    ("Cibening", False),
    ("Mekarsari", False),
    ("Sumberagung", False),
    ("Tegalsari", False),
    ("Bumi Ayu", False),
    ("Pematang Baru", False),
    ("Sungai Rambai", False),
    ("Teluk Dalam", False),
    ("Wonosari", False),
)


@dataclass(frozen=True)
class Village:
    name: str
    jenis: str
    invited: int

    @property
    def label(self) -> str:
        """How minutes name a village: "Desa Sidomulyo", "Kelurahan Sukamaju"."""
        return f"{self.jenis} {self.name}"


def _villages(sop: Sop, rng: random.Random) -> list[Village]:
    desa, kelurahan = sop.list_values("jenis_desa")
    return [
        Village(name, kelurahan if is_kel else desa, rng.choices((3, 4, 5, 6), weights=(1, 2, 3, 3))[0])
        for name, is_kel in _VILLAGES
    ]


# --------------------------------------------------------------------------- people

_MALE_GIVEN = (
    "Agus",
    "Bambang",
    "Budi",
    "Joko",
    "Slamet",
    "Sugeng",
    "Teguh",
    "Heru",
    "Eko",
    "Wahyu",
    "Sutrisno",
    "Darmanto",
    "Riyanto",
    "Asep",
    "Dadang",
    "Ujang",
    "Cecep",
    "Dede",
    "Yayan",
    "Iwan",
    "Deden",
    "Engkos",
    "Zulkifli",
    "Syahrial",
    "Rizal",
    "Fauzi",
    "Hasan",
    "Azhar",
    "Firdaus",
    "Khairul",
    "Rusli",
    "Hendra",
    "Yusuf",
    "Ismail",
    "Andi",
    "Baso",
    "Syamsuddin",
    "Arsyad",
    "Ambo",
    "Muhammad",
    "Rahmat",
    "Imam",
    "Ilham",
    "Arif",
    "Taufik",
    "Irwan",
    "Fajar",
)
_MALE_FAMILY = (
    "Santoso",
    "Wibowo",
    "Hidayat",
    "Setiawan",
    "Kurniawan",
    "Saputra",
    "Prasetyo",
    "Nugroho",
    "Sudrajat",
    "Supriatna",
    "Permana",
    "Gunawan",
    "Hakim",
    "Hamzah",
    "Rahman",
    "Syahputra",
    "Effendi",
    "Mappaseng",
    "Lubis",
    "Nasution",
    "Harahap",
    "Pratama",
    "Firmansyah",
    "Maulana",
    "Mulyadi",
    "Suryadi",
    "Hermawan",
    "Sulaiman",
    "Daeng Mattola",
    "Tahir",
)
_FEMALE_GIVEN = (
    "Sri",
    "Siti",
    "Endang",
    "Rina",
    "Wulan",
    "Dewi",
    "Nur",
    "Yuyun",
    "Euis",
    "Neneng",
    "Iis",
    "Imas",
    "Fitri",
    "Nurul",
    "Ratna",
    "Yanti",
    "Hasnah",
    "Tuti",
    "Rosmiati",
    "Lina",
    "Evi",
    "Juwita",
    "Hajrah",
    "Rahmi",
    "Aisyah",
    "Murni",
    "Andi",
)
_FEMALE_FAMILY = (
    "Wahyuni",
    "Lestari",
    "Rahayu",
    "Handayani",
    "Kurniasih",
    "Maryati",
    "Suryani",
    "Nurjanah",
    "Fatimah",
    "Pertiwi",
    "Sulastri",
    "Mulyani",
    "Rahmawati",
    "Hasanah",
    "Yuliani",
    "Susanti",
    "Nurhayati",
    "Safitri",
    "Ningsih",
    "Puspitasari",
    "Sumarni",
)
# Older Javanese villagers often have one name only.
_MALE_SINGLE = ("Sukiman", "Paimin", "Tukijo", "Sumarno", "Karyono", "Marsudi")
_FEMALE_SINGLE = ("Sukinah", "Paini", "Tumini", "Sarinah", "Painem")

_DEGREES = ("S.Sos.", "S.Pd.", "S.E.", "S.H.", "S.IP.", "S.Ag.", "S.T.")


class NamePool:
    """Invents Indonesian names, never the same person twice (titles aside), since a
    daftar hadir with two identical names would look like a typing slip."""

    def __init__(self, rng: random.Random, taken: Sequence[str] = ()) -> None:
        self._rng = rng
        self._taken = {_bare(n) for n in taken}

    def person(self, female: bool, prefix: str = "", suffix: str = "") -> str:
        while True:
            bare = self._invent(female)
            if bare not in self._taken:
                self._taken.add(bare)
                return _titled(bare, female, prefix, suffix)

    def _invent(self, female: bool) -> str:
        rng = self._rng
        if rng.random() < 0.08:
            return rng.choice(_FEMALE_SINGLE if female else _MALE_SINGLE)
        given, family = (_FEMALE_GIVEN, _FEMALE_FAMILY) if female else (_MALE_GIVEN, _MALE_FAMILY)
        return f"{rng.choice(given)} {rng.choice(family)}"


def _titled(bare: str, female: bool, prefix: str, suffix: str) -> str:
    """Front titles before the name, degrees after a comma: "H. Agus Santoso, S.Pd."."""
    if prefix == "H." and female:
        prefix = "Hj."
    name = f"{prefix} {bare}" if prefix else bare
    return f"{name}, {suffix}" if suffix else name


def _bare(name: str) -> str:
    """The name without titles, to compare people."""
    words = name.split(",")[0].split()
    return " ".join(w for w in words if not w.endswith("."))


@dataclass(frozen=True)
class Official:
    """A signer in tblPejabat; the NIP is built from the same facts the name implies."""

    role_key: str
    name: str
    female: bool
    born: dt.date
    appointed: tuple[int, int]  # first appointment (year, month) as a PNS
    serial: int

    @property
    def nip(self) -> str:
        """Spaced as on a SK: birth date, appointment, sex digit, serial (Perka BKN 22/2007)."""
        year, month = self.appointed
        sex = 2 if self.female else 1
        return f"{self.born:%Y%m%d} {year:04d}{month:02d} {sex} {self.serial:03d}"


_OFFICIALS = (
    Official("camat", "H. Ahmad Suhendar, S.Sos., M.Si.", False, dt.date(1972, 5, 14), (1995, 3), 2),
    Official("sekcam", "Hj. Euis Nurhasanah, S.Sos., M.Si.", True, dt.date(1976, 11, 2), (2001, 4), 3),
    Official("kasi_ekbang", "Dedi Kurniawan, S.STP., M.Si.", False, dt.date(1984, 7, 21), (2006, 10), 1),
    Official("sub_evapor", "Rina Marlina, S.E.", True, dt.date(1988, 2, 9), (2011, 1), 4),
)


def _officials(sop: Sop) -> list[Official]:
    """One official per role of the definition, in its order; a role this module has no
    person for is a KeyError, so a new role cannot slip into the demo unnoticed."""
    by_role = {o.role_key: o for o in _OFFICIALS}
    return [by_role[r.key] for r in sop.roles]


# --------------------------------------------------------------------------- delegates


@dataclass(frozen=True)
class Seat:
    """One delegate seat a village is invited with: who usually comes, and how likely
    that person is a woman."""

    unsur: str
    jabatan: str
    women: float
    degrees: float = 0.0  # chance of a degree after the name
    haji: float = 0.12  # chance of the H./Hj. title (elders, rarely youth leaders)


# The first n seats are invited (n = Delegasi Diundang, 3–6).
_DESA_SEATS = (
    Seat("Pemerintah Desa", "Kepala Desa", women=0.08, degrees=0.35, haji=0.2),
    Seat("BPD", "Ketua BPD", women=0.08, degrees=0.25),
    Seat("PKK", "Ketua TP-PKK", women=1.0),
    Seat("LPM", "Ketua LPM", women=0.08),
    Seat("Karang Taruna", "Ketua Karang Taruna", women=0.15, haji=0.0),
    Seat("Kelompok Perempuan", "Ketua KWT", women=1.0),  # Kelompok Wanita Tani
)
_KELURAHAN_SEATS = (
    Seat("Pemerintah Desa", "Lurah", women=0.30, degrees=1.0, haji=0.0),  # a civil servant
    Seat("LPM", "Ketua LPM Kelurahan", women=0.08, degrees=0.30),
    Seat("PKK", "Ketua TP-PKK Kelurahan", women=1.0),
    Seat("Tokoh Masyarakat", "Ketua RW", women=0.08),
    Seat("Karang Taruna", "Ketua Karang Taruna", women=0.15, haji=0.0),
    Seat("Pemuda", "Perwakilan Pemuda", women=0.30, haji=0.0),
)


def _absences(villages: Sequence[Village], rng: random.Random) -> set[str]:
    """The villages that miss one delegate each: ABSENT_SHARE of all invited, at least one,
    so realisasi stays between the default target and 100 %."""
    invited = sum(v.invited for v in villages)
    count = max(1, int(invited * ABSENT_SHARE))
    return {v.name for v in rng.sample(list(villages), count)}


def _delegates(sop: Sop, villages: Sequence[Village], names: NamePool, rng: random.Random) -> list[dict[str, Any]]:
    desa = sop.list_values("jenis_desa")[0]
    absent = _absences(villages, rng)
    rows: list[dict[str, Any]] = []
    for village in villages:
        seats = list((_DESA_SEATS if village.jenis == desa else _KELURAHAN_SEATS)[: village.invited])
        if village.name in absent:  # the village head comes; someone else does not
            seats.pop(rng.randrange(1, len(seats)))
        rows += [_delegate_row(sop, village, seat, names, rng) for seat in seats]
    return rows


def _delegate_row(sop: Sop, village: Village, seat: Seat, names: NamePool, rng: random.Random) -> dict[str, Any]:
    female = rng.random() < seat.women
    prefix = "H." if rng.random() < seat.haji else ""
    suffix = rng.choice(_DEGREES) if rng.random() < seat.degrees else ""
    return _attendee(
        sop,
        names.person(female, prefix, suffix),
        village.name,
        seat.unsur,
        seat.jabatan,
        female,
        delegate=True,
        note=_phone(rng),
    )


# --------------------------------------------------------------------------- other guests


@dataclass(frozen=True)
class Guest:
    """A participant who is not a village delegate (Delegasi = Tidak)."""

    unsur: str
    jabatan: str
    women: float
    prefixes: tuple[str, ...] = ("",)
    suffixes: tuple[str, ...] = ("",)
    in_village: bool = False  # serves one village (Babinsa, PPL…), so Desa/Kelurahan is filled


_GUESTS = (
    Guest("OPD/Instansi", "Kabid Perencanaan Pembangunan Bappeda", 0.3, suffixes=("S.T., M.T.", "S.E., M.Si.")),
    Guest("OPD/Instansi", "Perencana Ahli Muda Bappeda", 0.3, suffixes=("S.E.", "S.P., M.Si.")),
    Guest("OPD/Instansi", "Kabid Pemerintahan Desa Dinas PMD", 0.3, suffixes=("S.Sos., M.M.",)),
    Guest("OPD/Instansi", f"Kepala Puskesmas {KECAMATAN}", 0.5, prefixes=("dr.",)),
    Guest("OPD/Instansi", "Bidan Koordinator Puskesmas", 1.0, suffixes=("A.Md.Keb.",)),
    Guest("OPD/Instansi", f"Danramil {KECAMATAN}", 0.0, prefixes=("Kapten Inf.",)),
    Guest("OPD/Instansi", "Babinsa", 0.0, prefixes=("Serka", "Sertu"), in_village=True),
    Guest("OPD/Instansi", f"Kapolsek {KECAMATAN}", 0.0, prefixes=("AKP", "Iptu")),
    Guest("OPD/Instansi", "Bhabinkamtibmas", 0.1, prefixes=("Bripka", "Aipda"), in_village=True),
    Guest("OPD/Instansi", "Koordinator Wilayah Pendidikan", 0.25, suffixes=("S.Pd., M.Pd.",)),
    Guest("OPD/Instansi", f"Kepala KUA {KECAMATAN}", 0.0, prefixes=("H.",), suffixes=("S.Ag.", "S.H.I.")),
    Guest("OPD/Instansi", f"Koordinator BPP {KECAMATAN}", 0.3, suffixes=("S.P.",)),
    Guest("OPD/Instansi", "Penyuluh Pertanian Lapangan", 0.25, suffixes=("S.P.", "A.Md."), in_village=True),
    Guest("OPD/Instansi", "Kepala UPTD PUPR Wilayah III", 0.1, suffixes=("S.T.",)),
    Guest("OPD/Instansi", "Kasi Pemerintahan Kecamatan", 0.3, suffixes=("S.Sos.", "S.IP.")),
    Guest("OPD/Instansi", "Staf Seksi Ekbang", 0.5),
    Guest("OPD/Instansi", "Koordinator Statistik Kecamatan", 0.25, suffixes=("S.Si.",)),
    Guest("Lainnya", "Anggota DPRD Dapil II", 0.2, prefixes=("H.", ""), suffixes=("S.H.", "S.E.")),
    Guest("Lainnya", "Anggota DPRD Dapil II", 0.3, suffixes=("S.Pd.", "")),
    Guest("Lainnya", "Tenaga Pendamping Profesional P3MD", 0.25, suffixes=("S.E.", "S.Sos.")),
    Guest("Lainnya", "Pendamping Lokal Desa", 0.25, in_village=True),
    Guest("Tokoh Agama", "Ketua MUI Kecamatan", 0.0, prefixes=("K.H.",)),
    Guest("Tokoh Agama", "Ketua Majelis Taklim Kecamatan", 1.0, prefixes=("H.",)),
    Guest("Tokoh Agama", "Imam Masjid Jami'", 0.0, prefixes=("Ustadz",), in_village=True),
    Guest("Tokoh Masyarakat", "Tokoh Masyarakat", 0.1, prefixes=("H.", ""), in_village=True),
    Guest("Tokoh Masyarakat", "Ketua Gapoktan", 0.1, in_village=True),
    Guest("Pemuda", "Ketua KNPI Kecamatan", 0.2),
    Guest("PKK", "Ketua TP-PKK Kecamatan", 1.0, prefixes=("H.",)),
    Guest("Kelompok Perempuan", "Ketua GOW Kecamatan", 1.0),
)


def _guests(sop: Sop, villages: Sequence[Village], names: NamePool, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for guest in _GUESTS:
        female = rng.random() < guest.women
        name = names.person(female, rng.choice(guest.prefixes), rng.choice(guest.suffixes))
        village = rng.choice(villages).name if guest.in_village else None
        rows.append(_attendee(sop, name, village, guest.unsur, guest.jabatan, female, delegate=False, note=_phone(rng)))
    return rows


def _staff(sop: Sop, officials: Sequence[Official]) -> list[dict[str, Any]]:
    """The kecamatan's own signers sign the daftar hadir too, as OPD/Instansi."""
    return [
        _attendee(sop, o.name, None, "OPD/Instansi", sop.role(o.role_key).jabatan, o.female, delegate=False)
        for o in officials
    ]


def _attendee(
    sop: Sop,
    name: str,
    village: str | None,
    unsur: str,
    jabatan: str,
    female: bool,
    delegate: bool,
    note: str | None = None,
) -> dict[str, Any]:
    """One tblDaftarHadir row ("No" is a formula in the workbook, so it is left out)."""
    male_word, female_word = sop.list_values("jenis_kelamin")
    ya, tidak = sop.list_values("ya_tidak")
    return {
        "Nama": name,
        "Desa/Kelurahan": village,
        "Unsur": unsur,
        "Jabatan": jabatan,
        "L/P": female_word if female else male_word,
        "Delegasi": ya if delegate else tidak,
        "Keterangan": note,
    }


def _phone(rng: random.Random) -> str | None:
    """About one participant in six writes a mobile number in Keterangan."""
    if rng.random() >= 0.16:
        return None
    prefix = rng.choice(("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896"))
    return f"{prefix}-{rng.randrange(10_000):04d}-{rng.randrange(10_000):04d}"


def _attendance(sop: Sop, villages: Sequence[Village], officials: Sequence[Official]) -> list[dict[str, Any]]:
    """Delegates, guests and staff in the order they signed (shuffled once, fixed seed)."""
    names = NamePool(random.Random(f"{SEED}/nama"), taken=[o.name for o in officials])
    rng = random.Random(f"{SEED}/hadir")
    rows = _delegates(sop, villages, names, rng) + _guests(sop, villages, names, rng) + _staff(sop, officials)
    rng.shuffle(rows)
    return rows


# --------------------------------------------------------------------------- photos


@dataclass(frozen=True)
class Shot:
    keterangan: str
    taken: dt.time
    draw: Callable[[ImageDraw.ImageDraw, random.Random], None]

    @property
    def berkas(self) -> str:
        """A phone camera's file name: IMG_20260212_084715.jpg."""
        return f"IMG_{MEETING_DATE:%Y%m%d}_{self.taken:%H%M%S}.jpg"

    @property
    def exif_time(self) -> str:
        return f"{MEETING_DATE:%Y:%m:%d} {self.taken:%H:%M:%S}"


W, H = 640, 480
FLOOR_Y = 300
_SKIN = ((224, 172, 105), (198, 134, 66), (241, 194, 125), (170, 110, 60))
_CLOTHES = (
    (250, 250, 245),
    (154, 140, 100),
    (120, 70, 40),
    (90, 120, 170),
    (130, 30, 40),
    (40, 100, 70),
    (30, 30, 35),
    (200, 160, 90),
    (70, 70, 120),
)
_HIJAB = ((220, 120, 150), (30, 40, 90), (235, 225, 200), (60, 120, 80), (120, 70, 140))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font, never a system one: the same glyphs (and bytes) everywhere."""
    return ImageFont.load_default(size=size)


def _centered(draw: ImageDraw.ImageDraw, text: str, cx: float, y: float, size: int, fill, width: float = W) -> None:
    """Text centred on cx, shrunk until it fits `width` (a banner is not always wide)."""
    font = _font(size)
    while draw.textlength(text, font=font) > width and size > 8:
        size -= 1
        font = _font(size)
    draw.text((cx - draw.textlength(text, font=font) / 2, y), text, font=font, fill=fill)


def _room(draw: ImageDraw.ImageDraw, wall: tuple[int, int, int], floor: tuple[int, int, int]) -> None:
    """A kecamatan hall: wall with a slight gradient, tiled floor, ceiling lamps."""
    for y in range(FLOOR_Y):
        shade = 1 - 0.15 * y / FLOOR_Y
        draw.line([(0, y), (W, y)], fill=tuple(int(c * shade) for c in wall))
    draw.rectangle([0, FLOOR_Y, W, H], fill=floor)
    for i in range(-8, 16):
        draw.line([(W / 2 + i * 60, H), (W / 2 + i * 12, FLOOR_Y)], fill=tuple(c - 18 for c in floor))
    for y in (330, 370, 420):
        draw.line([(0, y), (W, y)], fill=tuple(c - 18 for c in floor))
    for x in (120, 320, 520):
        draw.ellipse([x - 30, -6, x + 30, 10], fill=(255, 255, 235))


def _banner(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], back, text) -> None:
    """The backdrop every Musrenbangcam photo shows: forum, kecamatan, year."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=back, outline=(255, 255, 255), width=3)
    draw.ellipse([x0 + 10, y0 + 10, x0 + 46, y0 + 46], fill=(230, 190, 40), outline=(255, 255, 255))
    cx, room = (x0 + 52 + x1) / 2, x1 - x0 - 64
    _centered(draw, "MUSRENBANGCAM", cx, y0 + 8, 26, text, room)
    _centered(draw, f"KECAMATAN {KECAMATAN.upper()} {YEAR}", cx, y0 + 40, 20, text, room)
    _centered(draw, f"{KABUPATEN} · Rencana Kerja Pemerintah Daerah {YEAR + 1}", cx, y0 + 68, 12, text, room)


def _person_back(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, rng: random.Random) -> None:
    """A seated participant seen from behind (bottom of the shoulders at y)."""
    cloth = rng.choice(_CLOTHES)
    draw.rounded_rectangle([x - 20 * s, y - 30 * s, x + 20 * s, y], radius=int(10 * s), fill=cloth)
    head = [x - 11 * s, y - 54 * s, x + 11 * s, y - 28 * s]
    if rng.random() < 0.3:
        draw.ellipse([head[0] - 4 * s, head[1], head[2] + 4 * s, head[3] + 8 * s], fill=rng.choice(_HIJAB))
    else:
        draw.ellipse(head, fill=(25, 20, 20))
        if rng.random() < 0.35:  # peci
            draw.rectangle([x - 11 * s, y - 56 * s, x + 11 * s, y - 46 * s], fill=(15, 15, 15))


def _person_front(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    s: float,
    rng: random.Random,
    cloth: tuple[int, int, int] | None = None,
) -> None:
    """A participant facing the camera (bottom of the body at y)."""
    cloth = cloth or rng.choice(_CLOTHES)
    draw.rounded_rectangle([x - 20 * s, y - 60 * s, x + 20 * s, y], radius=int(9 * s), fill=cloth)
    skin = rng.choice(_SKIN)
    if rng.random() < 0.3:
        draw.ellipse([x - 15 * s, y - 92 * s, x + 15 * s, y - 52 * s], fill=rng.choice(_HIJAB))
        draw.ellipse([x - 9 * s, y - 84 * s, x + 9 * s, y - 64 * s], fill=skin)
    else:
        draw.ellipse([x - 11 * s, y - 86 * s, x + 11 * s, y - 60 * s], fill=skin)
        draw.rectangle([x - 11 * s, y - 90 * s, x + 11 * s, y - 80 * s], fill=(20, 20, 20))
    for dx in (-4, 4):
        draw.ellipse([x + (dx - 1.5) * s, y - 76 * s, x + (dx + 1.5) * s, y - 73 * s], fill=(30, 20, 20))


def _audience(draw: ImageDraw.ImageDraw, rng: random.Random, rows: int, x0: int, x1: int, first: int = 0) -> None:
    """Rows of chairs seen from behind, smaller further back; `first` skips back rows."""
    for r in range(first, first + rows):
        y = FLOOR_Y + 40 + r * 55
        s = 0.75 + r * 0.3
        step = 52 * s
        x = x0 + rng.uniform(0, step / 2)
        while x < x1:
            if rng.random() < 0.9:
                _person_back(draw, x, y, s, rng)
            x += step


def _scene_opening(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _room(draw, (236, 226, 200), (200, 190, 170))
    _banner(draw, (40, 40, 600, 140), (25, 70, 150), (255, 255, 255))
    _person_front(draw, 470, 262, 1.0, rng, cloth=(154, 140, 100))  # the Camat in uniform
    draw.polygon([(440, 215), (500, 215), (510, 300), (430, 300)], fill=(110, 65, 30))  # podium
    draw.ellipse([458, 235, 482, 259], fill=(230, 190, 40))
    draw.line([(462, 216), (455, 204)], fill=(40, 40, 40), width=3)  # microphone
    draw.ellipse([140, 250, 180, 290], fill=(40, 130, 60))  # flowers
    draw.rectangle([150, 282, 170, 302], fill=(150, 100, 60))
    _audience(draw, rng, 3, 10, W)


def _scene_presentation(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _room(draw, (215, 228, 210), (190, 195, 185))
    _banner(draw, (20, 40, 330, 140), (150, 30, 35), (255, 255, 255))
    draw.rectangle([360, 30, 620, 230], fill=(250, 250, 250), outline=(60, 60, 60), width=3)
    _centered(draw, f"Usulan Prioritas RKPD {YEAR + 1}", 490, 38, 15, (30, 30, 30))
    for i, height in enumerate((120, 95, 80, 60, 45)):
        x = 385 + i * 46
        draw.rectangle(
            [x, 210 - height, x + 30, 210],
            fill=((40, 90, 170), (220, 120, 30), (60, 150, 80), (170, 50, 60), (120, 90, 160))[i],
        )
    draw.line([(375, 211), (610, 211)], fill=(60, 60, 60), width=2)
    _person_front(draw, 330, 290, 1.0, rng)  # the Bappeda presenter
    _audience(draw, rng, 3, 0, W)


def _scene_discussion(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _room(draw, (205, 220, 235), (205, 200, 185))
    _banner(draw, (150, 30, 490, 125), (245, 245, 245), (150, 30, 35))
    draw.rectangle([40, 130, 120, 250], fill=(250, 250, 250), outline=(90, 90, 90), width=2)  # flip chart
    for y in range(145, 240, 14):
        draw.line([(50, y), (50 + rng.randint(30, 60), y)], fill=(30, 60, 150), width=2)
    for cx, cy, s in ((170, 330, 0.8), (460, 330, 0.8), (320, 430, 1.05)):
        for angle in range(200, 340, 35):  # the far side of the table faces the camera
            x = cx + math.cos(math.radians(angle)) * 70 * s
            _person_front(draw, x, cy - 8 * s, s * 0.8, rng)
        draw.ellipse([cx - 80 * s, cy - 25 * s, cx + 80 * s, cy + 25 * s], fill=(120, 75, 40))
        for _ in range(3):
            px = cx + rng.uniform(-50, 40) * s
            draw.rectangle([px, cy - 8 * s, px + 16 * s, cy + 4 * s], fill=(250, 250, 250))
        for angle in (60, 120):
            _person_back(draw, cx + math.cos(math.radians(angle)) * 70 * s, cy + 60 * s, s, rng)


def _scene_signing(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _room(draw, (240, 215, 190), (195, 185, 170))
    _banner(draw, (40, 30, 600, 130), (25, 70, 150), (255, 255, 255))
    for x in (120, 230, 410, 520):
        _person_front(draw, x, 250, 0.95, rng)
    _person_front(draw, 320, 262, 1.0, rng, cloth=(154, 140, 100))  # the Camat signs
    draw.rectangle([60, 255, 580, 275], fill=(245, 245, 240))  # table top
    draw.rectangle([60, 275, 580, 345], fill=(30, 110, 70))  # green table skirt
    draw.rectangle([300, 250, 350, 262], fill=(255, 255, 255), outline=(120, 120, 120))  # the minutes
    draw.line([(335, 236), (345, 256)], fill=(20, 20, 60), width=3)  # pen
    _centered(draw, "PENANDATANGANAN BERITA ACARA", 320, 300, 16, (255, 255, 255))
    _audience(draw, rng, 2, 0, W, first=1)


_SHOTS = (
    Shot("Pembukaan oleh Camat", dt.time(8, 47, 15), _scene_opening),
    Shot("Paparan Bappeda tentang arah prioritas pembangunan", dt.time(9, 32, 40), _scene_presentation),
    Shot("Diskusi kelompok penentuan usulan prioritas", dt.time(10, 41, 8), _scene_discussion),
    Shot("Penandatanganan berita acara", dt.time(12, 2, 51), _scene_signing),
)


def _photo_bytes(shot: Shot, zone: str, index: int) -> bytes:
    """Draw one scene and save it as a phone would: JPEG with EXIF date, make and model
    (the validator compares DateTimeOriginal with ba_tanggal)."""
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    shot.draw(draw, random.Random(f"{SEED}/foto/{index}"))
    image = image.filter(ImageFilter.GaussianBlur(0.7))  # soften the edges like a camera lens
    _centered(ImageDraw.Draw(image), f"{MEETING_DATE:%d/%m/%Y} {shot.taken:%H:%M}", 560, 455, 16, (255, 170, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=_exif(shot, zone).tobytes())
    return out.getvalue()


def _exif(shot: Shot, zone: str) -> Image.Exif:
    exif = Image.Exif()
    exif[271] = "samsung"  # Make
    exif[272] = "SM-A546E"  # Model (Galaxy A54)
    exif[306] = shot.exif_time  # DateTime
    sub = exif.get_ifd(0x8769)  # Exif IFD
    sub[36867] = shot.exif_time  # DateTimeOriginal
    sub[36868] = shot.exif_time  # DateTimeDigitized
    hours = int(TIME_ZONES[zone].total_seconds() // 3600)
    sub[36881] = f"+{hours:02d}:00"  # OffsetTimeOriginal
    return exif


def _photos(zone: str) -> tuple[list[dict[str, Any]], list[PictureInput]]:
    rows = [{"Keterangan": s.keterangan, "Tanggal": MEETING_DATE, "Berkas": s.berkas} for s in _SHOTS]
    pictures = [
        PictureInput(table=contract.FOTO, row_index=i, data=_photo_bytes(s, zone, i), name=s.berkas)
        for i, s in enumerate(_SHOTS)
    ]
    return rows, pictures


# --------------------------------------------------------------------------- single values


def _settings(sop: Sop) -> dict[str, Any]:
    """Every ref_*, iku_* and sop_* input: the demo's office, year and SOP identity, else
    the definition's defaults (an empty date stays empty)."""
    own = {
        "ref_kecamatan": KECAMATAN,
        "ref_kabupaten": KABUPATEN,
        "ref_tahun": YEAR,
        "ref_alamat": f"Jl. Raya {KECAMATAN} No. 1, {KECAMATAN} 35371 · telp. (0721) 480123",
        "sop_nomor": f"060/014/SOP/KEC-SKJ/{YEAR}",
        "sop_tanggal_pembuatan": dt.date(YEAR, 1, 5),
        "sop_tanggal_efektif": dt.date(YEAR, 1, 12),
    }
    return {
        n.name: own[n.name] if n.name in own else sop.defaults[n.name]
        for n in sop.names
        if n.is_input and n.name.startswith(("ref_", "iku_", "sop_")) and (n.name in own or n.name in sop.defaults)
    }


def _logo_bytes() -> bytes:
    """An invented emblem for the demo's kop (a shield, rice and cotton, a star): no real
    region's coat of arms."""
    size = 240
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    shield = [(30, 20), (210, 20), (210, 120), (120, 225), (30, 120)]
    draw.polygon(shield, fill=(20, 90, 50), outline=(200, 160, 30))
    draw.line([*shield, shield[0]], fill=(200, 160, 30), width=8)
    cx = size / 2
    star = [
        (cx + r * math.sin(math.radians(a)), 75 - r * math.cos(math.radians(a)))
        for i, a in enumerate(range(0, 360, 36))
        for r in ((34, 14)[i % 2],)
    ]
    draw.polygon(star, fill=(245, 200, 40))
    for side in (-1, 1):  # rice and cotton, curving up each side
        for k in range(7):
            x = cx + side * (62 - k * 4)
            y = 185 - k * 13
            draw.ellipse([x - 6, y - 9, x + 6, y + 9], fill=(245, 200, 40) if side < 0 else (250, 250, 250))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _berita_acara(sop: Sop, villages: Sequence[Village], camat: Official, participants: int) -> dict[str, Any]:
    v = {x.name: x for x in villages}
    priorities = (
        f"peningkatan jalan poros {v['Sidomulyo'].label}–{v['Margorejo'].label} sepanjang 2,4 km",
        f"rehabilitasi saluran irigasi tersier di {v['Sumberagung'].label} dan {v['Tegalsari'].label}",
        f"pembangunan gedung posyandu dan penanganan stunting di {v['Tanjung Harapan'].label}",
        "pelatihan kewirausahaan pemuda dan penguatan BUMDes di seluruh desa",
    )
    ordinals = ("KESATU", "KEDUA", "KETIGA", "KEEMPAT")
    return {
        "ba_nomor": f"050/012/BA/II/{YEAR}",
        "ba_tanggal": MEETING_DATE,
        "ba_jam_mulai": MEETING_START,
        "ba_jam_selesai": MEETING_END,
        "ba_tempat": f"Aula Kantor Kecamatan {KECAMATAN}",
        "ba_pimpinan_sidang": camat.name,
        "ba_pimpinan_nip": camat.nip,
        "ba_jumlah_peserta": participants,
        "ba_ringkasan": "; ".join(f"{o}: {p}" for o, p in zip(ordinals, priorities)) + ".",
        "ba_ditandatangani": sop.list_values("ya_tidak")[0],
    }


def _notes(
    sop: Sop, settings: dict[str, Any], villages: Sequence[Village], attendance: Sequence[dict[str, Any]], photos: int
) -> dict[str, Any]:
    """The hand-over and analysis notes, worded from the figures the rows give."""
    ya = sop.list_values("ya_tidak")[0]
    present = sum(1 for r in attendance if r["Delegasi"] == ya)
    invited = sum(v.invited for v in villages)
    figures = iku.compute(invited, present, settings["iku_target"], settings["iku_arah"], sop.predikat)
    return {
        "serah_catatan": (
            f"Daftar hadir ({len(attendance)} orang), berita acara yang sudah ditandatangani dan "
            f"{photos} foto dokumentasi diserahkan lengkap."
        ),
        "analisa_catatan": (
            f"Hadir {present} dari {invited} delegasi: realisasi {format_number(figures.realisasi)} %, "
            f"capaian {format_number(figures.capaian)} % terhadap target {format_number(settings['iku_target'])} % "
            f"({figures.predikat}). Delegasi yang tidak hadir berhalangan karena kegiatan di desa."
        ),
    }


# --------------------------------------------------------------------------- the whole


def demo_inputs() -> WorkbookInputs:
    """The demo workbook's inputs, by contract name and table header; steps 3 (beyond
    its note) to 6 are left empty, as a workbook just handed to Sub. Evapor would be."""
    sop = contract.definition()
    settings = _settings(sop)
    villages = _villages(sop, random.Random(f"{SEED}/desa"))
    officials = _officials(sop)
    attendance = _attendance(sop, villages, officials)
    photo_rows, pictures = _photos(settings["ref_zona_waktu"])
    camat = next(o for o in officials if o.role_key == "camat")
    values = {
        **settings,
        **_berita_acara(sop, villages, camat, len(attendance)),
        **_notes(sop, settings, villages, attendance, len(photo_rows)),
    }
    rows = {
        contract.DESA: [{"Desa/Kelurahan": v.name, "Jenis": v.jenis, "Delegasi Diundang": v.invited} for v in villages],
        contract.PEJABAT: [
            {
                "Peran": sop.role(o.role_key).peran,
                "Nama": o.name,
                "NIP": o.nip,
                "Jabatan": sop.role(o.role_key).jabatan,
                "Sidik Kunci": None,
            }
            for o in officials
        ],
        contract.PREDIKAT: [{"Batas Bawah": _plain(b.lower), "Predikat": b.label} for b in sop.predikat],
        contract.DAFTAR_HADIR: attendance,
        contract.FOTO: photo_rows,
    }
    inputs = WorkbookInputs(values=values, rows=rows, pictures=pictures, logo=_logo_bytes())
    _check_fits(sop, inputs)
    return inputs


def _plain(x: float) -> int | float:
    """51.0 → 51: a whole band limit shows as typed."""
    return int(x) if float(x).is_integer() else x


def _check_fits(sop: Sop, inputs: WorkbookInputs) -> None:
    """Fail loudly when the demo uses a name, header or list value the definition does not
    hold (a definition change the demo has not followed)."""
    for name in inputs.values:
        assert sop.name(name).is_input, f"{name} is not an input"
    for table, rows in inputs.rows.items():
        tdef = sop.table(table)
        for row in rows:
            for header, value in row.items():
                column = tdef.column(header)
                allowed = sop.lists[column.list].values if column.list else ()
                assert not allowed or value is None or value in allowed, f"{table}[{header}]: {value!r}"
