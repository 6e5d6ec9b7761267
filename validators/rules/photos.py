"""Photo evidence (SOP step 1): enough photos, each with its picture in its own row,
no picture twice, and a camera date near the meeting."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

from kinerja.validators.context import Context, Row

from kinerja.core import contract
from kinerja.core.findings import Finding
from kinerja.core.images import inspect_picture
from kinerja.core.limits import LIMITS
from kinerja.core.model import Picture


def _pictures_by_row(ctx: Context) -> dict[int, list[Picture]]:
    out: dict[int, list[Picture]] = {}
    for p in ctx.model.pictures:
        if p.sheet == contract.FOTO_SHEET:
            out.setdefault(p.row, []).append(p)
    return out


def _photo_rows(ctx: Context) -> list[Row]:
    return ctx.rows[contract.FOTO]


def enough_photos(ctx: Context) -> Iterator[Finding]:
    minimum = ctx.names.get("ref_min_foto")
    rows = _photo_rows(ctx)
    if minimum is None or len(rows) >= minimum:
        return
    table = ctx.model.tables[contract.FOTO]
    filled = {r.row for r in rows}
    free = next((r.row for r in table.rows if r.row not in filled), None)
    if free is None:
        yield ctx.at_header("FOTO_KURANG", contract.FOTO, "Keterangan", count=len(rows), min=minimum)
    else:
        yield ctx.at_cell("FOTO_KURANG", contract.FOTO, "Keterangan", free, count=len(rows), min=minimum)


def pictures_in_their_rows(ctx: Context) -> Iterator[Finding]:
    if not ctx.model.pictures_known:  # the source cannot place pictures (the add-in says so)
        return
    by_row = _pictures_by_row(ctx)
    filled = {r.row for r in _photo_rows(ctx)}
    for r in _photo_rows(ctx):
        if r.row not in by_row:
            yield ctx.at_cell("FOTO_TANPA_GAMBAR", contract.FOTO, "Berkas", r.row)
    for row, pictures in sorted(by_row.items()):
        if row not in filled:
            for p in pictures:
                yield ctx.at("FOTO_GAMBAR_TANPA_BARIS", p.sheet, p.ref, row=p.row)


def same_picture_twice(ctx: Context) -> Iterator[Finding]:
    by_row = _pictures_by_row(ctx)
    first: dict[str, int] = {}
    for r in _photo_rows(ctx):
        for p in by_row.get(r.row, [])[:1]:
            if p.data is None:  # a source that cannot supply the bytes cannot compare them
                continue
            digest = hashlib.sha256(p.data).hexdigest()
            if digest in first:
                yield ctx.at_cell("FOTO_GANDA", contract.FOTO, "Berkas", r.row, first_row=first[digest])
            else:
                first[digest] = r.row


def pictures_not_too_large(ctx: Context) -> Iterator[Finding]:
    """D29: a picture whose header claims more pixels than the limit is not opened; say
    so, since its camera date then goes unchecked."""
    by_row = _pictures_by_row(ctx)
    for r in _photo_rows(ctx):
        for p in by_row.get(r.row, [])[:1]:
            facts = inspect_picture(p.data) if p.data is not None else None
            if facts is not None and facts.too_large:
                yield ctx.at_cell(
                    "FOTO_GAMBAR_TERLALU_BESAR",
                    contract.FOTO,
                    "Berkas",
                    r.row,
                    width=facts.width,
                    height=facts.height,
                    max=LIMITS.picture_pixels // 1_000_000,
                )


def camera_date_near_meeting(ctx: Context) -> Iterator[Finding]:
    meeting = ctx.names.get("ba_tanggal")
    if meeting is None:
        return
    limit = ctx.sop.limits["photo_days_from_meeting"]
    by_row = _pictures_by_row(ctx)
    for r in _photo_rows(ctx):
        for p in by_row.get(r.row, [])[:1]:
            taken = camera_date(p.data) if p.data is not None else None
            if taken is not None and abs((taken - meeting).days) > limit:
                yield ctx.at_cell(
                    "FOTO_TANGGAL_EXIF",
                    contract.FOTO,
                    "Tanggal",
                    r.row,
                    taken=taken,
                    meeting=meeting,
                    days=abs((taken - meeting).days),
                )


def camera_date(data: bytes) -> dt.date | None:
    """The date the camera wrote (EXIF DateTimeOriginal, else DateTime), if any; read
    through the one guarded picture helper (D29)."""
    return inspect_picture(data).taken
