"""The one place a picture from a workbook is opened (D29).

A picture is untrusted bytes: its header may claim 30,000 × 30,000 pixels, and a decoder
fed garbage may crawl through it a byte at a time (Pillow's JPEG reader spends seconds
on every megabyte of junk after a JPEG signature). So a picture is never handed to a
decoder: its header is walked here, a bounded number of segments and never a byte at a
time, for its size and its EXIF block, the size is checked against the limit, and only
the EXIF block (at most 64 KB) is given to Pillow to parse. No pixel is ever decoded.
JPEG (what cameras and phones write) and PNG are read; any other format is "not
readable", which costs nothing and checks nothing.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass

from kinerja.core.limits import LIMITS, Limits

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
DATE_TIME = 306
_SEGMENTS = 64  # header segments walked before giving up (real pictures have under 20)


@dataclass(frozen=True)
class PictureFacts:
    readable: bool  # False: not a JPEG or PNG whose header could be read
    width: int | None = None
    height: int | None = None
    too_large: bool = False  # more pixels than the limit: its EXIF was not read
    taken: dt.date | None = None  # the date the camera wrote, if any


def inspect_picture(data: bytes, limits: Limits = LIMITS) -> PictureFacts:
    """What a picture says about itself, within the limits."""
    header = _jpeg(data) if data.startswith(b"\xff\xd8") else _png(data) if data.startswith(_PNG) else None
    if header is None:
        return PictureFacts(False)
    width, height, exif = header
    if width * height > limits.picture_pixels:
        return PictureFacts(True, width, height, too_large=True)
    return PictureFacts(True, width, height, taken=_exif_date(exif) if exif else None)


def _jpeg(data: bytes) -> tuple[int, int, bytes | None] | None:
    """(width, height, EXIF block) from a JPEG's markers, up to its frame header."""
    at, exif = 2, None
    for _ in range(_SEGMENTS):
        at = data.find(b"\xff", at)  # skips junk between segments in C, not byte by byte
        if at < 0 or at + 4 > len(data):
            return None
        marker = data[at + 1]
        if marker == 0xFF or marker == 0x01 or 0xD0 <= marker <= 0xD8:  # fill byte, or a marker without length
            at += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if length < 2:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header: the size
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height, exif
        if marker == 0xDA:  # image data before any frame header
            return None
        if marker == 0xE1 and exif is None and data[at + 4 : at + 10] == b"Exif\x00\x00":
            exif = data[at + 10 : at + 2 + length]
        at += 2 + length
    return None


_PNG = b"\x89PNG\r\n\x1a\n"


def _png(data: bytes) -> tuple[int, int, bytes | None] | None:
    """(width, height, EXIF block) from a PNG's chunks before its image data."""
    at, size, exif = len(_PNG), None, None
    for _ in range(_SEGMENTS):
        if at + 8 > len(data):
            break
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IHDR" and length >= 8:
            size = struct.unpack(">II", data[at + 8 : at + 16])
        elif kind == b"eXIf":
            exif = data[at + 8 : at + 8 + length]
        elif kind in (b"IDAT", b"IEND"):
            break
        at += 12 + length
    return (size[0], size[1], exif) if size else None


def _exif_date(block: bytes) -> dt.date | None:
    """DateTimeOriginal, else DateTime, from an EXIF block (a TIFF structure of at most
    64 KB); an unreadable block is no date."""
    from PIL import Image  # only workbooks with photos pay for Pillow

    try:
        exif = Image.Exif()
        exif.load(block)
        text = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
        return dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S").date()
    except Exception:  # an untrusted structure's boundary: anything wrong is "no date"
        return None
