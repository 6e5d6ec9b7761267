"""Workbook contract v1: the names outside tools rely on, as code refers to them.

The details (columns, types, sheets) are data in the SOP definition; this module holds
the identifiers that code needs by name, so that a typo is an AttributeError in the
first test rather than a silent empty read. ``tests/test_sop_definition.py`` checks
every constant here against the definition.
"""

from __future__ import annotations

from kinerja.core import sop as _sop

TEMPLATE_ID = "musrenbangcam-partisipasi-delegasi"
CONTRACT_VERSION = 1

# Sheets the code addresses directly.
PETUNJUK = "Petunjuk"
REFERENSI = "Referensi"
DAFTAR_HADIR_SHEET = "1a Daftar Hadir"
BERITA_ACARA_SHEET = "1b Berita Acara"
FOTO_SHEET = "1c Foto"
ANALISA_SHEET = "3 Analisa IKU"
PERSETUJUAN_SHEET = "Persetujuan"
HASIL_SHEET = "Hasil Validasi"
META_SHEET = "_meta"

# The single values that say which workbook it is (a report's identity, a roll-up's key).
N_KECAMATAN, N_KABUPATEN, N_TAHUN = "ref_kecamatan", "ref_kabupaten", "ref_tahun"

# Tables.
DESA = "tblDesa"
PEJABAT = "tblPejabat"
PREDIKAT = "tblPredikat"
DAFTAR_HADIR = "tblDaftarHadir"
FOTO = "tblFoto"
REKAP_DESA = "tblRekapDesa"
PERSETUJUAN = "tblPersetujuan"
HASIL_VALIDASI = "tblHasilValidasi"

# tblPersetujuan's columns as code refers to them (tests check them against the definition).
L_NO, L_LANGKAH, L_PERAN, L_NAMA, L_NIP, L_KEPUTUSAN = "No", "Langkah", "Peran", "Nama", "NIP", "Keputusan"
L_CATATAN, L_WAKTU, L_SIDIK_ISI, L_TANDA_TANGAN, L_KUNCI_PUBLIK = (
    "Catatan",
    "Waktu",
    "Sidik Isi",
    "Tanda Tangan",
    "Kunci Publik",
)
# tblPejabat's columns the ledger reads.
P_PERAN, P_NAMA, P_NIP, P_JABATAN, P_SIDIK_KUNCI = "Peran", "Nama", "NIP", "Jabatan", "Sidik Kunci"

# _meta keys (D6): column A key, column B value.
META_TEMPLATE_ID = "template_id"
META_CONTRACT_VERSION = "contract_version"
META_TOOL_VERSION = "tool_version"
META_CREATED_AT = "created_at"
META_WORKBOOK_ID = "workbook_id"
META_MARKED_CELLS = "marked_cells"  # cells the validator coloured, to restore them (D23)

# Sheet protection is a guard against slips, not security (no password). What it still
# lets staff do, as the sheetProtection attributes Excel writes ("0" = allowed); on the
# photo sheet they may also insert and move pictures.
PROTECTION = {
    "sheet": "1",
    "objects": "1",
    "scenarios": "1",
    "formatColumns": "0",
    "formatRows": "0",
    "autoFilter": "0",
}
PICTURE_SHEETS = (FOTO_SHEET,)


def sheet_protection(sheet: str, locked: bool = False) -> dict[str, str]:
    """What a sheet's protection allows; a picture sheet lets staff insert pictures until
    its stage is signed (locked)."""
    return {**PROTECTION, "objects": "0"} if sheet in PICTURE_SHEETS and not locked else dict(PROTECTION)


# Contract extensions, cells the tool writes (type "tool" in the definition): when the last
# validation ran and what it found; where the workflow stands (Petunjuk); the ledger's
# verification at the last write (Persetujuan).
HASIL_RINGKASAN = "hasil_ringkasan"
STATUS_TAHAP = "status_tahap"
STATUS_TERAKHIR = "status_terakhir"
STATUS_VERIFIKASI = "status_verifikasi"
STATUS_VALIDASI = "status_validasi"
LEDGER_VERIFIKASI = "ledger_verifikasi"
META_LEDGER = "ledger"  # the ledger's records: section digests and snapshots (D6, chunked)


def sheet_key(sheet: str) -> str:
    """A step sheet's short key, the first word of its name: '1a Daftar Hadir' -> '1a'."""
    return sheet.split()[0].lower()


def signature_line_name(sheet: str) -> str:
    """The defined name of a step sheet's "Tanda tangan" line: ttd_1a, ttd_2 …"""
    return f"ttd_{sheet_key(sheet)}"


def definition() -> _sop.Sop:
    """The SOP this contract belongs to."""
    return _sop.load(TEMPLATE_ID)


# The contract's answer words, from the definition's lists (never typed again in code).
YES, NO = definition().list_values("ya_tidak")
NAIK, TURUN = definition().list_values("arah")
