"""The one place a picture from a workbook is opened (D29).

A picture is untrusted bytes: its header may claim 30,000 × 30,000 pixels (Pillow then
raises its decompression-bomb error), and Pillow's many decoders raise many kinds of error
on damaged data. So pictures are opened only here: the size in the header is checked
against the limit before anything else is read, Pillow's own warnings and errors become
an answer, and only metadata (EXIF) is read: no pixel is ever decoded.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import warnings
from dataclasses import dataclass

from kinerja.core.limits import LIMITS, Limits

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
DATE_TIME = 306


@dataclass(frozen=True)
class PictureFacts:
    readable: bool  # False: not a picture Pillow can open (damaged, or an unknown format)
    width: int | None = None
    height: int | None = None
    too_large: bool = False  # more pixels than the limit: nothing more was read
    taken: dt.date | None = None  # the date the camera wrote, if any


def inspect_picture(data: bytes, limits: Limits = LIMITS) -> PictureFacts:
    """What a picture says about itself, within the limits."""
    from PIL import Image  # only workbooks with pictures pay for Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our limit decides
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > limits.picture_pixels:
                    return PictureFacts(True, width, height, too_large=True)
                exif = _exif(img, Image)
                text = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
    except Image.DecompressionBombError:
        width, height = _header_size(data)
        return PictureFacts(True, width, height, too_large=True)
    except Exception:  # an untrusted decoder's boundary: any failure is "not readable"
        return PictureFacts(False)
    return PictureFacts(True, width, height, taken=_exif_date(text))


def _exif(img, Image):
    """The EXIF block without decoding a pixel: from the header where the format keeps it
    (JPEG's APP1, PNG's eXIf before the image data, WebP), from the tags for TIFF. Pillow's
    own getexif() decodes a whole PNG to look for a late eXIf chunk; that is not done."""
    if img.format == "TIFF":
        return img.getexif()
    exif = Image.Exif()
    raw = img.info.get("exif")
    if raw:
        exif.load(raw)
    return exif


def _exif_date(text: object) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S").date()
    except ValueError:
        return None


def _header_size(data: bytes) -> tuple[int | None, int | None]:
    """Width and height from a PNG or JPEG header, for the message when Pillow refused
    to open the picture at all."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 < len(data) and data[at] == 0xFF:
            marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return width, height
            at += 2 + length
    return None, None
