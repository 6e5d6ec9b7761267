"""What a file is, when it is not the .xlsx it claims to be.

Offices pass on whatever arrived by e-mail: an old .xls, a CSV or a web page saved with an
.xlsx name, a PDF, an encrypted workbook. Each is named by its own code before anything
tries to read it as a workbook.
"""

from __future__ import annotations

import io
import zipfile

from kinerja.core.findings import KinerjaError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument"


def open_package_zip(data: bytes) -> zipfile.ZipFile:
    """Open the bytes as a zip, or say precisely what else they are."""
    head = data[:8]
    if head.startswith(_CFB_MAGIC):
        # An OLE container is an Excel 97-2003 file, or an OOXML file encrypted with a
        # password (Excel wraps those in OLE with an EncryptionInfo stream).
        if _ENCRYPTION_INFO in data:
            raise KinerjaError("BERKAS_BERSANDI")
        raise KinerjaError("BERKAS_XLS_LAMA")
    if not head.startswith(b"PK"):
        raise KinerjaError("BERKAS_BUKAN_XLSX", detail=_describe_non_zip(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise KinerjaError("BERKAS_RUSAK", detail=f"zip: {exc}") from None
    if "mimetype" in zf.namelist() and zf.read("mimetype").startswith(_ODS_MIME):
        zf.close()
        raise KinerjaError("BERKAS_ODS")
    return zf


def _describe_non_zip(data: bytes) -> str:
    if not data:
        return "berkasnya kosong (0 bita)"
    if data.startswith(b"%PDF"):
        return "ini berkas PDF"
    sample = data[:2048]
    try:
        sample.decode("utf-8")
        return "ini berkas teks (mungkin CSV)"
    except UnicodeDecodeError:
        return "formatnya tidak dikenal"
