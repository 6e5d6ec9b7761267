"""What a file is, when it is not the .xlsx it claims to be (D31).

Offices pass on whatever arrived by e-mail: an old .xls, a CSV or a web page saved with an
.xlsx name, a PDF or a photo of the paper form, an encrypted workbook, a download cut
short. Each is named by its own code, and its own reason code, before anything tries to
read it as a workbook, so the message names the real cause.
"""

from __future__ import annotations

import codecs
import io
import zipfile

from kinerja.core.findings import KinerjaError
from kinerja.core.limits import LIMITS, Limits
from kinerja.xlsx.guard import GuardedZip

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_MIME = b"application/vnd.oasis.opendocument"
_END_OF_ZIP = b"PK\x05\x06"  # the end-of-central-directory record, within the last 64 KB
_SAMPLE = 4096


def _utf16(name: str) -> bytes:
    """An OLE directory entry's name as stored: UTF-16, null-terminated."""
    return name.encode("utf-16-le") + b"\x00\x00"


_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def open_package(data: bytes, limits: Limits = LIMITS) -> GuardedZip:
    """The bytes as a guarded zip, or a KinerjaError that says precisely what else they are."""
    head = data[:8]
    if head.startswith(_CFB_MAGIC):
        raise _ole(data)
    if not head.startswith(b"PK"):
        raise KinerjaError("BERKAS_BUKAN_XLSX", **_not_a_zip(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        reason = "RUSAK_ZIP" if _END_OF_ZIP in data[-(65535 + 22) :] else "RUSAK_TERPOTONG"
        raise KinerjaError("BERKAS_RUSAK", reason=reason) from None
    try:
        guard = GuardedZip(zf, limits)
        _check_other_office(guard)
    except BaseException:
        zf.close()
        raise
    return guard


def open_package_zip(data: bytes) -> zipfile.ZipFile:
    """The bytes as a zip whose directory passed the limits; read its members through
    ``GuardedZip`` (``open_package``) rather than this zip's own ``read``."""
    return open_package(data).zf


def _ole(data: bytes) -> KinerjaError:
    """An OLE container is an Excel 97-2003 file, an OOXML file encrypted with a password
    (Excel wraps those in OLE with an EncryptionInfo stream), or another Office document."""
    if _utf16("EncryptionInfo") in data:
        return KinerjaError("BERKAS_BERSANDI")
    if _utf16("Workbook") not in data and _utf16("Book") not in data:
        if _utf16("WordDocument") in data:
            return KinerjaError("BERKAS_BUKAN_XLSX", reason="BUKAN_XLSX_OFFICE_LAIN", program="Word")
        if _utf16("PowerPoint Document") in data:
            return KinerjaError("BERKAS_BUKAN_XLSX", reason="BUKAN_XLSX_OFFICE_LAIN", program="PowerPoint")
    return KinerjaError("BERKAS_XLS_LAMA")


def _check_other_office(guard: GuardedZip) -> None:
    """Zips that are not workbooks: OpenDocument files and Word or PowerPoint documents."""
    if guard.has("mimetype"):
        mime = guard.read("mimetype")
        if mime.startswith(_ODF_MIME):
            if b"spreadsheet" in mime:
                raise KinerjaError("BERKAS_ODS")
            raise KinerjaError("BERKAS_BUKAN_XLSX", reason="BUKAN_XLSX_OFFICE_LAIN", program="OpenDocument")
    if not guard.has("xl/workbook.xml"):
        if guard.has("word/document.xml"):
            raise KinerjaError("BERKAS_BUKAN_XLSX", reason="BUKAN_XLSX_OFFICE_LAIN", program="Word")
        if guard.has("ppt/presentation.xml"):
            raise KinerjaError("BERKAS_BUKAN_XLSX", reason="BUKAN_XLSX_OFFICE_LAIN", program="PowerPoint")


def _not_a_zip(data: bytes) -> dict[str, str]:
    """The reason (and its values) for bytes that are no zip at all."""
    if not data:
        return {"reason": "BUKAN_XLSX_KOSONG"}
    if data.startswith(b"%PDF"):
        return {"reason": "BUKAN_XLSX_PDF"}
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            return {"reason": "BUKAN_XLSX_GAMBAR", "kind": kind}
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return {"reason": "BUKAN_XLSX_GAMBAR", "kind": "WebP"}
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return {"reason": "BUKAN_XLSX_GAMBAR", "kind": "HEIC"}
    if data[:2] == b"BM" and len(data) > 14 and data[6:10] == b"\x00\x00\x00\x00":
        return {"reason": "BUKAN_XLSX_GAMBAR", "kind": "BMP"}
    decoded = _as_text(data[:_SAMPLE])
    if decoded is None:
        return {"reason": "BUKAN_XLSX_TIDAK_DIKENAL"}
    text, encoding = decoded
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return {"reason": "BUKAN_XLSX_XML2003"}
    if head.startswith(("<!doctype html", "<html")) or "<html" in head or (head.startswith("<") and "<table" in head):
        return {"reason": "BUKAN_XLSX_HTML"}
    if head.startswith("mime-version:") and "text/html" in head:  # Excel's "single file web page" (.mht)
        return {"reason": "BUKAN_XLSX_HTML"}
    if head.startswith("{\\rtf"):
        return {"reason": "BUKAN_XLSX_OFFICE_LAIN", "program": "RTF"}
    return {"reason": "BUKAN_XLSX_TEKS", "encoding": encoding}


def _as_text(sample: bytes) -> tuple[str, str] | None:
    """The sample decoded, with the name of its encoding as Excel's import dialog shows
    it, if it reads as text: UTF-16 (a BOM, or every other byte zero), UTF-8, else
    Windows-1252 (what Excel in Indonesia saves as "CSV"). None for binary bytes."""
    for encoding, label in ((None, "UTF-16"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        if encoding is None:
            if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
                encoding = "utf-16"
            elif len(sample) >= 8 and sample[1::2].count(0) > len(sample) // 4:
                encoding = "utf-16-le"
            elif len(sample) >= 8 and sample[0::2].count(0) > len(sample) // 4:
                encoding = "utf-16-be"
            else:
                continue
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\x1a")
        if text and controls <= len(text) // 100:
            return text, label
        return None
    return None
