"""The berita acara against itself, the year and the attendance list (SOP step 1)."""

from __future__ import annotations

from collections.abc import Iterator

from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.findings import Finding


def meeting_in_reference_year(ctx: Context) -> Iterator[Finding]:
    date, year = ctx.names.get("ba_tanggal"), ctx.names.get("ref_tahun")
    if date is not None and year is not None and date.year != year:
        yield ctx.at_name("BA_TANGGAL_TAHUN", "ba_tanggal", date=date, year=str(year))


def ends_after_it_starts(ctx: Context) -> Iterator[Finding]:
    start, end = ctx.names.get("ba_jam_mulai"), ctx.names.get("ba_jam_selesai")
    if start is not None and end is not None and end <= start:
        yield ctx.at_name("BA_JAM_URUTAN", "ba_jam_selesai", start=start, end=end)


def participants_match_attendance(ctx: Context) -> Iterator[Finding]:
    written = ctx.names.get("ba_jumlah_peserta")
    rows = len(ctx.rows[contract.DAFTAR_HADIR])
    if written is not None and written != rows:
        yield ctx.at_name("BA_JUMLAH_PESERTA", "ba_jumlah_peserta", written=written, rows=rows)


def paper_minutes_signed(ctx: Context) -> Iterator[Finding]:
    if ctx.names.get("ba_ditandatangani") == contract.NO:
        yield ctx.at_name("BA_BELUM_DITANDATANGANI", "ba_ditandatangani", value=contract.NO)
