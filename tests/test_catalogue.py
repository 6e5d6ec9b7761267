"""Every code a rule can raise has its texts, in both languages, with no stray braces."""

import re
from pathlib import Path

from kinerja.core.findings import Finding, KinerjaError, Level, catalogue

SOURCES = [p for d in ("validators", "src/kinerja", "templates") for p in (Path(__file__).parents[1] / d).rglob("*.py")]
CODE = re.compile(
    r'["\']((?:BERKAS|STRUKTUR|ISIAN|NILAI|NIP|HADIR|BA|FOTO|IKU|TATA_LETAK|PERINTAH|DESA|GALAT|HASIL|RUSAK|BUKAN_XLSX|REKAP|CETAK|LOGO)_[A-Z_]+)["\']'
)


def test_every_code_used_in_the_code_is_in_the_catalogue():
    used = {m.group(1) for p in SOURCES for m in CODE.finditer(p.read_text("utf-8"))}
    assert used, "the scan found no codes at all"
    assert used <= set(catalogue()), sorted(used - set(catalogue()))


def test_every_finding_has_a_level_and_both_languages():
    for code, text in catalogue().items():
        assert text.pesan and text.message, code
        if text.section == "findings":
            assert isinstance(text.level, Level), code
            assert text.perbaikan and text.fix, code


def test_a_missing_value_prints_a_dash_instead_of_crashing():
    message, _ = Finding("HADIR_GANDA", "1a Daftar Hadir", "B9", 1, {"name": "Siti"}).render()
    assert "Siti" in message and "–" in message


def test_english_is_available_for_findings_and_errors():
    message, fix = Finding("BA_JAM_URUTAN", "1b Berita Acara", "B8", 1, {"start": "09:00", "end": "08:00"}).render("en")
    assert message == "The end time 08:00 is not after the start time 09:00."
    message, _ = KinerjaError("BERKAS_XLS_LAMA").render("en")
    assert message.startswith("This is an old-format Excel file")
