"""A corpus of broken, hostile and wrong-format inputs, made by code (no binary blobs).

Each case builds its file from the demo workbook (a defect planted at the zip and XML
level, where files from other programs differ) or from scratch, and says what a user
must get: the error code (and reason) of an unusable file, or findings that must be
among a usable one's. ``tests/test_hostile_input.py`` runs every case through `kinerja
validate --json`; ``benchmarks/bench_hostile.py`` times them.

    build_corpus(folder, demo) -> [(case, path), ...]
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from lxml import etree
from paths import CORPUS

from kinerja.core.cells import col_index, col_letter
from kinerja.core.limits import LIMITS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

EXCEL_365_ERRORS = (
    "#SPILL!",
    "#CALC!",
    "#BUSY!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#UNKNOWN!",
    "#PYTHON!",
    "#EXTERNAL!",
    "#GETTING_DATA",
)
CLASSIC_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


@dataclass(frozen=True)
class Expect:
    """What the user must get. ``error`` (and ``reason``): exit 2 with that code.
    Otherwise exit 0 or 1, and each of ``findings`` (code, sheet, cell; None matches any)
    among the findings."""

    error: str | None = None
    reason: str | None = None
    cell: str | None = None  # the error document's cell, when the error names one
    findings: tuple[tuple[str, str | None, str | None], ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[bytes], bytes]  # the demo's bytes -> this case's bytes
    expect: Expect
    suffix: str = ".xlsx"
    slow: bool = False  # seconds to build or to validate: in the benchmark, not in the tests
    tags: tuple[str, ...] = field(default_factory=tuple)


# ====================================================================== the demo, as parts
class Parts:
    """A workbook's zip members, changed as XML and written back; targets found by the
    contract's names in workbook.xml and the table parts, as an outside tool would."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.infos = zf.infolist()
            self.parts = {i.filename: zf.read(i) for i in self.infos}

    # ------------------------------------------------------------------ finding things
    def _xml(self, path: str) -> ET.Element:
        return ET.fromstring(self.parts[path])

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, _, base = part.rpartition("/")
        path = f"{folder}/_rels/{base}.rels"
        out = {}
        for rel in self._xml(path):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            out[rel.get("Id")] = (rel.get("Type", "").rpartition("/")[2], target)
        return out

    def sheet_path(self, sheet: str) -> str:
        rels = self._rels("xl/workbook.xml")
        for el in self._xml("xl/workbook.xml").find(f"{{{MAIN}}}sheets"):
            if el.get("name") == sheet:
                return rels[el.get(f"{{{REL}}}id")][1]
        raise KeyError(sheet)

    def name_cell(self, name: str) -> tuple[str, str]:
        for el in self._xml("xl/workbook.xml").find(f"{{{MAIN}}}definedNames"):
            if el.get("name") == name:
                sheet, _, ref = el.text.rpartition("!")
                return sheet.strip("'"), ref.replace("$", "")
        raise KeyError(name)

    def table(self, name: str) -> tuple[str, str, str, list[str]]:
        """(sheet, table part, ref, column names)."""
        for el in self._xml("xl/workbook.xml").find(f"{{{MAIN}}}sheets"):
            sheet = el.get("name")
            try:
                rels = self._rels(self.sheet_path(sheet))
            except KeyError:
                continue
            for kind, target in rels.values():
                if kind == "table":
                    t = self._xml(target)
                    if t.get("name") == name:
                        columns = [c.get("name") for c in t.find(f"{{{MAIN}}}tableColumns")]
                        return sheet, target, t.get("ref"), columns
        raise KeyError(name)

    def table_cell(self, table: str, header: str, row_no: int) -> tuple[str, str]:
        sheet, _, ref, columns = self.table(table)
        first = ref.split(":")[0]
        col = col_index(first.rstrip("0123456789")) + columns.index(header)
        row = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + row_no
        return sheet, f"{col_letter(col)}{row}"

    # ------------------------------------------------------------------ changing things
    def edit(self, path: str, change: Callable[[bytes], bytes]) -> Parts:
        self.parts[path] = change(self.parts[path])
        return self

    def set_cell(self, sheet: str, ref: str, inner: str, t: str | None = None) -> Parts:
        """Cell ``ref`` of ``sheet`` holds ``inner`` (raw XML such as "<v>1</v>")."""
        path = self.sheet_path(sheet)
        root = etree.fromstring(self.parts[path])
        data = root.find(f"{{{MAIN}}}sheetData")
        row_no = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        row = next((r for r in data if int(r.get("r")) == row_no), None)
        if row is None:
            row = etree.SubElement(data, f"{{{MAIN}}}row", r=str(row_no))
            for other in sorted(data, key=lambda r: int(r.get("r"))):
                data.append(other)  # rows in order
        cell = next((c for c in row if c.get("r") == ref), None)
        if cell is None:
            cell = etree.SubElement(row, f"{{{MAIN}}}c", r=ref)
            for other in sorted(row, key=lambda c: col_index(c.get("r").rstrip("0123456789"))):
                row.append(other)
        for child in list(cell):
            cell.remove(child)
        cell.text = None
        if t is None:
            cell.attrib.pop("t", None)
        else:
            cell.set("t", t)
        for child in etree.fromstring(f'<x xmlns="{MAIN}">{inner}</x>'):
            cell.append(child)
        self.parts[path] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return self

    def text(self, sheet: str, ref: str, text: str) -> Parts:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return self.set_cell(sheet, ref, f'<is><t xml:space="preserve">{escaped}</t></is>', t="inlineStr")

    def number(self, sheet: str, ref: str, raw: str) -> Parts:
        return self.set_cell(sheet, ref, f"<v>{raw}</v>")

    def error(self, sheet: str, ref: str, code: str) -> Parts:
        return self.set_cell(sheet, ref, f"<v>{code}</v>", t="e")

    def bytes(self, compression: int = zipfile.ZIP_DEFLATED, names: Callable[[str], str] = str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression, compresslevel=1) as zf:
            for path, data in self.parts.items():
                zf.writestr(names(path), data)
        return out.getvalue()


def _sub(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return change


# ====================================================================== zip-level surgery
def _central_entries(data: bytes) -> list[int]:
    """Offsets of the central directory's file headers."""
    end = data.rfind(b"PK\x05\x06")
    count, _, start = struct.unpack("<HII", data[end + 10 : end + 20])
    offsets, at = [], start
    for _ in range(count):
        offsets.append(at)
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[at + 28 : at + 34])
        at += 46 + name_len + extra_len + comment_len
    return offsets


def _patch_member(data: bytes, member: str, **fields: int) -> bytes:
    """Change a member's flag bits, compression method or declared sizes in both its local
    and central headers (what a forged or damaged zip looks like)."""
    out = bytearray(data)
    for at in _central_entries(data):
        name_len = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_len].decode() != member:
            continue
        local = struct.unpack("<I", data[at + 42 : at + 46])[0]
        for base, flag_at, method_at, usize_at in ((at, 8, 10, 24), (local, 6, 8, 22)):
            if "flags" in fields:
                struct.pack_into("<H", out, base + flag_at, fields["flags"])
            if "method" in fields:
                struct.pack_into("<H", out, base + method_at, fields["method"])
            if "size" in fields:
                struct.pack_into("<I", out, base + usize_at, fields["size"])
        return bytes(out)
    raise KeyError(member)


def _member_data_span(data: bytes, member: str) -> tuple[int, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
    start = local + 30 + name_len + extra_len
    return start, start + info.compress_size


def _zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


# ====================================================================== the cases
def _not_a_zip(_: bytes) -> bytes:
    return bytes(random.Random("kinerja-hostile").randrange(256) for _ in range(4096)).replace(b"PK", b"QK")


def _truncated(demo: bytes) -> bytes:
    return demo[: len(demo) // 2]


def _corpus(name: str) -> Callable[[bytes], bytes]:
    return lambda _: (CORPUS / name).read_bytes()


CSV_ROWS = "Desa/Kelurahan;Jenis;Delegasi Diundang\r\nSukamaju;Kelurahan;7\r\nCibening;Desa;5\r\nTegalsari;Desa;6\r\n"
CSV_1252 = CSV_ROWS + "Kampung Ça’ï;Desa;4\r\n"  # é, ’ and ï exist in Windows-1252, not as UTF-8 bytes


def _html_export(_: bytes) -> bytes:
    """What Excel's 'Save as Web Page' writes (then renamed .xlsx by someone)."""
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"\r\n'
        'xmlns:x="urn:schemas-microsoft-com:office:excel"\r\nxmlns="http://www.w3.org/TR/REC-html40">\r\n'
        '<head>\r\n<meta http-equiv=Content-Type content="text/html; charset=windows-1252">\r\n'
        "<meta name=ProgId content=Excel.Sheet>\r\n</head>\r\n<body>\r\n<table>\r\n"
        "<tr><td>Desa/Kelurahan</td><td>Delegasi Diundang</td></tr>\r\n<tr><td>Sukamaju</td><td>7</td></tr>\r\n"
        "</table>\r\n</body>\r\n</html>\r\n"
    ).encode("cp1252")


def _web_app_xls(_: bytes) -> bytes:
    """A web application's "Export to Excel": an HTML table with an .xls name."""
    return (
        b'\xef\xbb\xbf<table border="1"><tr><th>Nama</th><th>NIP</th></tr><tr><td>Siti</td><td>1990</td></tr></table>'
    )


def _xml_2003(_: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\r\n'
        b' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\r\n'
        b' <Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">Desa</Data></Cell></Row></Table>'
        b"</Worksheet>\r\n</Workbook>\r\n"
    )


def _pdf(_: bytes) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _png(_: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "PNG")
    return out.getvalue()


def _docx(_: bytes) -> bytes:
    return _zip_of(
        {
            "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": (
                f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                'Target="word/document.xml"/></Relationships>'
            ).encode(),
            "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        }
    )


def _encrypted(demo: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(demo)).encrypt("rahasia", out)
    return out.getvalue()


def _zip_bomb(size: int) -> Callable[[bytes], bytes]:
    """A zip of one part that inflates to ``size`` bytes of zeros (a few KB compressed)."""

    def build(_: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        block, stream = bytes(1 << 20), []
        for _ in range(size >> 20):
            stream.append(compressor.compress(block))
        stream.append(compressor.flush())
        deflated = b"".join(stream)
        crc = 0
        for _ in range(size >> 20):
            crc = zlib.crc32(block, crc)
        name = b"xl/worksheets/sheet1.xml"
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size, len(name), 0)
        central = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(deflated), size, len(name), 0, 0, 0, 0, 0, 0
        )
        body = local + name + deflated
        directory = central + name
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
        return body + directory + end

    return build


def _many_members(_: bytes) -> bytes:
    return _zip_of({f"xl/media/tiny{i}.bin": b"" for i in range(10_001)}, zipfile.ZIP_STORED)


def _forged_total(demo: bytes) -> bytes:
    """Eight stored parts of 400 KB each whose directory claims 60 MB apiece: each within
    the part and ratio limits, together beyond the total."""
    parts = Parts(demo)
    rng = random.Random("kinerja-total")
    for i in range(8):
        parts.parts[f"xl/media/padding{i}.bin"] = rng.randbytes(400 * 1024)
    data = parts.bytes(zipfile.ZIP_STORED)
    for i in range(8):
        data = _patch_member(data, f"xl/media/padding{i}.bin", size=60 * 1024 * 1024)
    return data


def _lying_header(demo: bytes) -> bytes:
    """A part whose directory says 1 KB while its stream inflates to far more."""
    parts = Parts(demo)
    path = parts.sheet_path("Referensi")
    return _patch_member(parts.bytes(), path, size=1024)


def _corrupt_deflate(demo: bytes) -> bytes:
    parts = Parts(demo)
    path = parts.sheet_path("1a Daftar Hadir")
    data = bytearray(parts.bytes())
    start, end = _member_data_span(bytes(data), path)
    for at in range(start + (end - start) // 3, start + (end - start) // 3 + 64):
        data[at] ^= 0x5A
    return bytes(data)


def _method(method: int) -> Callable[[bytes], bytes]:
    def build(demo: bytes) -> bytes:
        parts = Parts(demo)
        return _patch_member(parts.bytes(), parts.sheet_path("Referensi"), method=method)

    return build


def _zip_password_flag(demo: bytes) -> bytes:
    parts = Parts(demo)
    return _patch_member(parts.bytes(), parts.sheet_path("Referensi"), flags=1)


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE worksheet [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n"
)
XXE = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _with_doctype(prolog: bytes, entity: str | None, sheet: str = "1b Berita Acara") -> Callable[[bytes], bytes]:
    def build(demo: bytes) -> bytes:
        parts = Parts(demo)
        sheet_name, ref = parts.name_cell("ba_tempat")
        if entity:
            parts.set_cell(sheet_name, ref, f"<is><t>&amp;{entity};</t></is>", t="inlineStr")
        path = parts.sheet_path(sheet)

        def change(data: bytes) -> bytes:
            body = data[data.index(b"?>") + 2 :] if data.startswith(b"<?xml") else data
            if entity:
                body = body.replace(f"&amp;{entity};".encode(), f"&{entity};".encode())
            return prolog + body

        return parts.edit(path, change).bytes()

    return build


def _doctype_in_workbook(demo: bytes) -> bytes:
    return Parts(demo).edit("xl/workbook.xml", lambda d: b"<!DOCTYPE workbook>" + d).bytes()


def _renamed_sheet(demo: bytes) -> bytes:
    return Parts(demo).edit("xl/workbook.xml", _sub(b'name="1b Berita Acara"', b'name="1b Berita-Acara"')).bytes()


def _deleted_sheet(demo: bytes) -> bytes:
    def change(data: bytes) -> bytes:
        root = ET.fromstring(data)
        sheets = root.find(f"{{{MAIN}}}sheets")
        sheets.remove(next(s for s in sheets if s.get("name") == "6 Arsip"))
        return ET.tostring(root)

    return Parts(demo).edit("xl/workbook.xml", change).bytes()


def _deleted_table(demo: bytes) -> bytes:
    parts = Parts(demo)
    sheet, table_path, _, _ = parts.table("tblFoto")
    rels = parts.sheet_path(sheet).replace("worksheets/", "worksheets/_rels/") + ".rels"
    tail = table_path.rpartition("/")[2].encode()

    def change(data: bytes) -> bytes:
        root = ET.fromstring(data)
        for rel in list(root):
            if rel.get("Target", "").encode().endswith(tail):
                root.remove(rel)
        return ET.tostring(root)

    return parts.edit(rels, change).bytes()


def _table_attr(old: bytes, new: bytes, table: str = "tblDaftarHadir") -> Callable[[bytes], bytes]:
    def build(demo: bytes) -> bytes:
        parts = Parts(demo)
        _, path, _, _ = parts.table(table)
        return parts.edit(path, _sub(old, new)).bytes()

    return build


def _defined_name(name: str, text: bytes | None) -> Callable[[bytes], bytes]:
    def build(demo: bytes) -> bytes:
        def change(data: bytes) -> bytes:
            root = ET.fromstring(data)
            names = root.find(f"{{{MAIN}}}definedNames")
            el = next(n for n in names if n.get("name") == name)
            if text is None:
                names.remove(el)
            else:
                el.text = text.decode()
            return ET.tostring(root)

        return Parts(demo).edit("xl/workbook.xml", change).bytes()

    return build


def _merged_across_table(demo: bytes) -> bytes:
    parts = Parts(demo)
    sheet, first = parts.table_cell("tblDaftarHadir", "Nama", 1)
    _, last = parts.table_cell("tblDaftarHadir", "Unsur", 2)
    merge = f'<mergeCells count="1"><mergeCell ref="{first}:{last}"/></mergeCells>'.encode()
    return parts.edit(parts.sheet_path(sheet), lambda d: d.replace(b"</sheetData>", b"</sheetData>" + merge, 1)).bytes()


def _cells(plant: Callable[[Parts], object]) -> Callable[[bytes], bytes]:
    def build(demo: bytes) -> bytes:
        parts = Parts(demo)
        plant(parts)
        return parts.bytes()

    return build


def _stray_cell(sheet: str, ref: str = "XFD1048576") -> Callable[[bytes], bytes]:
    return _cells(lambda p: p.text(sheet, ref, "x"))


def _million_rows(demo: bytes) -> bytes:
    """'2 Penyampaian' with a number in column J of every one of Excel's 1,048,576 rows."""
    parts = Parts(demo)
    path = parts.sheet_path("2 Penyampaian")
    data = parts.parts[path]
    head, _, rest = data.partition(b"<sheetData>")
    used, _, tail = rest.partition(b"</sheetData>")
    last = max(int(r) for r in __import__("re").findall(rb'<row r="(\d+)"', used))
    rows = b"".join(b'<row r="%d"><c r="J%d"><v>%d</v></c></row>' % (r, r, r) for r in range(last + 1, 1_048_577))
    parts.parts[path] = head + b"<sheetData>" + used + rows + b"</sheetData>" + tail
    return parts.bytes()


def _rows_replaced(parts: Parts, sheet: str, after: int, rows: bytes) -> None:
    """The rows of ``sheet`` after row ``after`` replaced by ``rows`` (raw XML)."""
    import re

    path = parts.sheet_path(sheet)
    head, _, rest = parts.parts[path].partition(b"<sheetData>")
    used, _, tail = rest.partition(b"</sheetData>")
    kept = b"".join(
        m.group(0) for m in re.finditer(rb'<row r="(\d+)".*?</row>', used, re.S) if int(m.group(1)) <= after
    )
    parts.parts[path] = head + b"<sheetData>" + kept + rows + b"</sheetData>" + tail


def _table_at_the_limit_every_value_wrong(demo: bytes) -> bytes:
    """tblDaftarHadir grown to the limit (LIMITS.table_rows data rows), every row with a village, an
    Unsur and an L/P not in their lists and Delegasi "yes": the just-under twin of the
    stretched table, and the most findings a table can give."""
    parts = Parts(demo)
    sheet, path, ref, _ = parts.table("tblDaftarHadir")
    header = int(ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    last = header + LIMITS.table_rows
    parts.edit(path, lambda d: d.replace(ref.encode(), f"A{header}:H{last}".encode()))

    def text(ref: str, value: str) -> bytes:
        return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref.encode(), value.encode())

    rows = b"".join(
        b'<row r="%d">' % r
        + text(f"B{r}", f"Orang {r}")
        + text(f"C{r}", f"Desa {r}")
        + text(f"D{r}", "Entah")
        + text(f"F{r}", "X")
        + text(f"G{r}", "yes")
        + b"</row>"
        for r in range(header + 1, last + 1)
    )
    _rows_replaced(parts, sheet, header, rows)
    return parts.bytes()


def _values_just_under_the_cell_limit(demo: bytes) -> bytes:
    """'1a Daftar Hadir' with numbers under its table in 20 columns down to row 24,000:
    470,000 values, just under the sheet limits; each one is outside the table (D5)."""
    parts = Parts(demo)
    sheet, _, ref, _ = parts.table("tblDaftarHadir")
    last = int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    columns = [col_letter(c).encode() for c in range(1, 21)]
    rows = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (col, r, r) for col in columns) + b"</row>"
        for r in range(last + 1, 24_001)
    )
    path = parts.sheet_path(sheet)
    parts.edit(path, lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>", 1))
    return parts.bytes()


def _pictures_inflating_to_the_total(demo: bytes) -> bytes:
    """The demo's four photos, each inflating about 100-fold to 63 MB: 252 MB of picture
    bytes (held in memory as read) from a file of under 3 MB, just within the limits."""
    parts = Parts(demo)
    rng = random.Random("kinerja-squeezed")
    block = rng.randbytes(300) + bytes(60_000)
    for media in sorted(p for p in parts.parts if p.startswith("xl/media/")):
        parts.parts[media] = b"\xff\xd8\xff\xe0" + block * (63 * 2**20 // len(block))
    return parts.bytes()


def _stretched_table(demo: bytes) -> bytes:
    parts = Parts(demo)
    _, path, ref, _ = parts.table("tblDaftarHadir")
    first, _, last = ref.partition(":")
    wide = f"{first}:{last.rstrip('0123456789')}1048576".encode()
    return parts.edit(path, lambda d: d.replace(ref.encode(), wide)).bytes()


def _huge_picture_header(demo: bytes) -> bytes:
    """A photo whose JPEG header claims 30,000 × 30,000 pixels (a decompression bomb)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(out, "JPEG")
    jpeg = bytearray(out.getvalue())
    at = 2
    while jpeg[at + 1] not in (0xC0, 0xC2):
        at += 2 + struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
    struct.pack_into(">HH", jpeg, at + 5, 30000, 30000)
    parts = Parts(demo)
    # a photo of 1c Foto (the demo's JPEGs), not the kop's logo
    media = sorted(p for p in parts.parts if p.startswith("xl/media/") and p.endswith((".jpeg", ".jpg")))[0]
    parts.parts[media] = bytes(jpeg)
    return parts.bytes()


def _forged_string_count(demo: bytes) -> bytes:
    """A shared-strings part declaring four billion strings (calamine reserves them)."""
    parts = Parts(demo)
    parts.parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>Aula Desa</t></si></sst>'.encode()
    )
    parts.edit(
        "xl/_rels/workbook.xml.rels",
        _sub(
            b"</Relationships>",
            f'<Relationship Id="rIdSst" Type="{REL}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            "</Relationships>".encode(),
        ),
    )
    sheet, ref = parts.name_cell("ba_tempat")
    return parts.set_cell(sheet, ref, "<v>0</v>", t="s").bytes()


def _bad_cell_address(demo: bytes) -> bytes:
    parts = Parts(demo)
    sheet, ref = parts.name_cell("ba_tempat")
    path = parts.sheet_path(sheet)
    return parts.edit(path, _sub(f'r="{ref}"'.encode(), b'r="1A"')).bytes()


def _without_addresses(demo: bytes) -> bytes:
    """_meta written without any r attribute (legal OOXML: cells take the next position)."""
    import re

    parts = Parts(demo)
    path = parts.sheet_path("_meta")
    return parts.edit(path, lambda d: re.sub(rb' r="[A-Z]*\d+"', b"", d)).bytes()


def _utf16_sheet(demo: bytes) -> bytes:
    parts = Parts(demo)
    path = parts.sheet_path("1b Berita Acara")

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")

    return parts.edit(path, change).bytes()


def _backslash_names(demo: bytes) -> bytes:
    return Parts(demo).bytes(names=lambda p: p.replace("/", "\\"))


def _bad_anchor(demo: bytes) -> bytes:
    parts = Parts(demo)
    drawing = sorted(p for p in parts.parts if p.startswith("xl/drawings/drawing"))[0]

    def spoil(data: bytes) -> bytes:  # the first picture's anchor row, whatever it is
        changed, n = re.subn(rb"<((?:\w+:)?row)>\d+</", rb"<\1>dua belas</", data, count=1)
        assert n == 1
        return changed

    return parts.edit(drawing, spoil).bytes()


def _broken_workbook_xml(demo: bytes) -> bytes:
    return Parts(demo).edit("xl/workbook.xml", lambda d: d[: len(d) // 2]).bytes()


def _missing_sheet_part(demo: bytes) -> bytes:
    parts = Parts(demo)
    del parts.parts[parts.sheet_path("4 Laporan Sekcam")]
    return parts.bytes()


def _excel_errors(demo: bytes) -> bytes:
    parts = Parts(demo)
    for i, code in enumerate(EXCEL_365_ERRORS + CLASSIC_ERRORS, start=1):
        parts.error(*parts.table_cell("tblDaftarHadir", "Nama", i), code)
    return parts.bytes()


def _plant(**names: str) -> Callable[[Parts], None]:
    """Defined names set to text (inline strings), as a user typing would."""

    def plant(parts: Parts) -> None:
        for name, text in names.items():
            parts.text(*parts.name_cell(name), text)

    return plant


def _nip_as_float(parts: Parts) -> None:
    parts.number(*parts.name_cell("ba_pimpinan_nip"), "1.97003031997031E+17")


def _non_finite(parts: Parts) -> None:
    parts.number(*parts.table_cell("tblDesa", "Delegasi Diundang", 1), "inf")
    parts.number(*parts.table_cell("tblDesa", "Delegasi Diundang", 2), "NaN")


def _text_in_numbers(parts: Parts) -> None:
    parts.text(*parts.table_cell("tblDesa", "Delegasi Diundang", 1), "tujuh")
    parts.text(*parts.table_cell("tblDesa", "Delegasi Diundang", 2), "7")


def _formula_like_text(parts: Parts) -> None:
    parts.text(*parts.name_cell("ba_tempat"), '=HYPERLINK("http://contoh.invalid","klik")')
    for row_no, text in enumerate(("+62 812 3456 7890", "-", "@camat", "=1+1"), start=1):
        parts.text(*parts.table_cell("tblDaftarHadir", "Keterangan", row_no), text)


def _emoji_and_long_text(parts: Parts) -> None:
    parts.text(*parts.name_cell("ba_ringkasan"), ("Prioritas 🎉🙏🏽 " * 3000)[:32767])
    parts.text(*parts.table_cell("tblDaftarHadir", "Nama", 1), "Siti 👩🏽‍🌾 Aminah")


def _added_sheet_with_stray_cell(demo: bytes) -> bytes:
    """A sheet someone added ("Catatan"), with a stray value at XFD1048576: not a contract
    sheet, so its values are never read, and it is kept."""
    parts = Parts(demo)
    parts.parts["xl/worksheets/catatan.xml"] = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>catatan</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    ).encode()
    parts.edit(
        "xl/_rels/workbook.xml.rels",
        _sub(
            b"</Relationships>",
            f'<Relationship Id="rIdCatatan" Type="{REL}/worksheet" Target="/xl/worksheets/catatan.xml"/>'
            "</Relationships>".encode(),
        ),
    )
    parts.edit(
        "xl/workbook.xml",
        _sub(b"</sheets>", f'<sheet xmlns:r="{REL}" name="Catatan" sheetId="99" r:id="rIdCatatan"/></sheets>'.encode()),
    )
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    return parts.edit(
        "[Content_Types].xml",
        _sub(
            b"</Types>",
            f'<Override PartName="/xl/worksheets/catatan.xml" ContentType="{content_type}"/></Types>'.encode(),
        ),
    ).bytes()


def build_cases(demo: bytes) -> list[Case]:
    """Every case; cells named in expectations are found in the demo by contract names."""
    parts = Parts(demo)
    desa1 = parts.table_cell("tblDesa", "Delegasi Diundang", 1)
    desa2 = parts.table_cell("tblDesa", "Delegasi Diundang", 2)
    nip = parts.name_cell("ba_pimpinan_nip")
    tanggal = parts.name_cell("ba_tanggal")

    error_cells = [
        parts.table_cell("tblDaftarHadir", "Nama", i) for i in range(1, len(EXCEL_365_ERRORS + CLASSIC_ERRORS) + 1)
    ]

    def f(code: str, where: tuple[str, str] | None = None) -> tuple[str, str | None, str | None]:
        return (code, *(where or (None, None)))

    not_xlsx = "BERKAS_BUKAN_XLSX"
    rusak = "BERKAS_RUSAK"
    return [
        # ------------------------------------------------------------ not a workbook at all
        Case("not-a-zip", _not_a_zip, Expect(not_xlsx, "BUKAN_XLSX_TIDAK_DIKENAL")),
        Case("empty", lambda _: b"", Expect(not_xlsx, "BUKAN_XLSX_KOSONG")),
        Case("pdf-renamed", _pdf, Expect(not_xlsx, "BUKAN_XLSX_PDF")),
        Case("photo-renamed", _png, Expect(not_xlsx, "BUKAN_XLSX_GAMBAR")),
        Case("csv-utf8-renamed", lambda _: CSV_ROWS.encode("utf-8"), Expect(not_xlsx, "BUKAN_XLSX_TEKS")),
        Case("csv-windows1252-renamed", lambda _: CSV_1252.encode("cp1252"), Expect(not_xlsx, "BUKAN_XLSX_TEKS")),
        Case("csv-utf16-renamed", lambda _: CSV_ROWS.encode("utf-16"), Expect(not_xlsx, "BUKAN_XLSX_TEKS")),
        Case("html-save-as-web-page", _html_export, Expect(not_xlsx, "BUKAN_XLSX_HTML")),
        Case("html-web-app-export", _web_app_xls, Expect(not_xlsx, "BUKAN_XLSX_HTML"), suffix=".xls"),
        Case("xml-spreadsheet-2003", _xml_2003, Expect(not_xlsx, "BUKAN_XLSX_XML2003")),
        Case("docx-renamed", _docx, Expect(not_xlsx, "BUKAN_XLSX_OFFICE_LAIN")),
        Case("xls-renamed", _corpus("excel__hidden-veryhidden-chartsheet.xls"), Expect("BERKAS_XLS_LAMA")),
        Case("xlsb-renamed", _corpus("excel__hidden-veryhidden-chartsheet.xlsb"), Expect("BERKAS_XLSB")),
        Case("ods-renamed", _corpus("msoffice__hidden-veryhidden-chartsheet.ods"), Expect("BERKAS_ODS")),
        Case("encrypted", _encrypted, Expect("BERKAS_BERSANDI")),
        # ------------------------------------------------------------ a damaged zip
        Case("truncated-download", _truncated, Expect(rusak, "RUSAK_TERPOTONG")),
        Case("corrupt-deflate-stream", _corrupt_deflate, Expect(rusak, "RUSAK_KOMPRESI")),
        Case("header-claims-1kb", _lying_header, Expect(rusak, "RUSAK_KOMPRESI")),
        Case("unknown-compression-method", _method(9), Expect(rusak, "RUSAK_METODE")),
        Case("zip-password-flag", _zip_password_flag, Expect(rusak, "RUSAK_METODE")),
        Case("workbook-xml-cut", _broken_workbook_xml, Expect(rusak, "RUSAK_XML")),
        Case("picture-anchor-not-a-number", _bad_anchor, Expect(rusak, "RUSAK_ISI")),
        Case("cell-address-not-an-address", _bad_cell_address, Expect(rusak, "RUSAK_ISI")),
        # ------------------------------------------------------------ hostile: limits
        Case("zip-bomb-200mb", _zip_bomb(200 << 20), Expect("BERKAS_BATAS_BAGIAN_BESAR")),
        Case("zip-bomb-ratio", _zip_bomb(16 << 20), Expect("BERKAS_BATAS_RASIO")),
        Case("zip-10001-parts", _many_members, Expect("BERKAS_BATAS_BAGIAN")),
        Case("zip-total-forged", _forged_total, Expect("BERKAS_BATAS_TOTAL")),
        Case("billion-laughs", _with_doctype(BILLION_LAUGHS, "lol9"), Expect("BERKAS_XML_DTD")),
        Case("xxe", _with_doctype(XXE, "xxe"), Expect("BERKAS_XML_DTD")),
        Case("doctype-in-sheet", _with_doctype(b"<!DOCTYPE worksheet>", None), Expect("BERKAS_XML_DTD")),
        Case("doctype-in-workbook", _doctype_in_workbook, Expect("BERKAS_XML_DTD")),
        Case(
            "stray-cell-xfd1048576",
            _stray_cell("1b Berita Acara"),
            Expect("BERKAS_BATAS_SEL", cell="XFD1048576"),
            tags=("subprocess",),
        ),
        Case("million-row-sheet", _million_rows, Expect("BERKAS_BATAS_SEL")),
        Case("table-stretched-to-1048576", _stretched_table, Expect("BERKAS_BATAS_TABEL")),
        Case(
            "table-at-the-row-limit-every-value-wrong",
            _table_at_the_limit_every_value_wrong,
            Expect(findings=(f("NILAI_YA_TIDAK", ("1a Daftar Hadir", None)),)),
            slow=True,
        ),
        Case(
            "pictures-inflating-to-the-total",
            _pictures_inflating_to_the_total,
            Expect(findings=()),
            slow=True,
        ),
        Case(
            "values-just-under-the-cell-limit",
            _values_just_under_the_cell_limit,
            Expect(findings=(f("TATA_LETAK_DI_LUAR_TABEL_LAGI", ("1a Daftar Hadir", None)),)),
        ),
        Case(
            "picture-header-30000x30000",
            _huge_picture_header,
            Expect(findings=(f("FOTO_GAMBAR_TERLALU_BESAR", ("1c Foto", None)),)),
        ),
        Case("shared-strings-count-forged", _forged_string_count, Expect(findings=())),
        # ------------------------------------------------------------ the contract broken
        Case("sheet-renamed", _renamed_sheet, Expect("STRUKTUR_LEMBAR_GANTI_NAMA")),
        Case("sheet-deleted", _deleted_sheet, Expect("STRUKTUR_LEMBAR_HILANG")),
        Case("table-deleted", _deleted_table, Expect("STRUKTUR_TABEL_HILANG")),
        Case("table-ref-malformed", _table_attr(b'ref="A12:H512"', b'ref="A12:H"'), Expect("STRUKTUR_TABEL_RUSAK")),
        Case(
            "table-header-count-malformed",
            _table_attr(b'headerRowCount="1"', b'headerRowCount="satu"'),
            Expect("STRUKTUR_TABEL_RUSAK"),
        ),
        Case("name-deleted", _defined_name("ba_tempat", None), Expect("STRUKTUR_NAMA_HILANG")),
        Case("name-pointing-to-ref-error", _defined_name("ba_tempat", b"#REF!"), Expect("STRUKTUR_NAMA_HILANG")),
        Case("sheet-part-missing", _missing_sheet_part, Expect(rusak, "RUSAK_BAGIAN_HILANG")),
        # ------------------------------------------------------------ odd but readable
        Case("merged-cells-across-a-table", _merged_across_table, Expect(findings=())),
        Case("cells-without-addresses", _without_addresses, Expect(findings=())),
        Case("sheet-part-in-utf16", _utf16_sheet, Expect(findings=())),
        Case("zip-with-backslash-names", _backslash_names, Expect(findings=())),
        Case(
            "stray-cell-on-added-sheet",
            _added_sheet_with_stray_cell,
            Expect(findings=(f("TATA_LETAK_LEMBAR_TAMBAHAN", ("Catatan", "A1")),)),
        ),
        # ------------------------------------------------------------ values users type
        Case(
            "text-in-number-cells",
            _cells(_text_in_numbers),
            Expect(findings=(f("NILAI_BUKAN_ANGKA", desa1), f("NILAI_ANGKA_TEKS", desa2))),
        ),
        Case(
            "indonesian-text-date",
            _cells(_plant(ba_tanggal="12 Februari 2026")),
            Expect(findings=(f("NILAI_TANGGAL_TEKS", tanggal),)),
        ),
        Case("nip-as-a-float", _cells(_nip_as_float), Expect(findings=(f("NIP_ANGKA", nip),))),
        Case("emoji-and-32767-characters", _cells(_emoji_and_long_text), Expect(findings=())),
        Case("text-starting-with-formula-signs", _cells(_formula_like_text), Expect(findings=())),
        Case(
            "inf-and-nan-in-number-cells",
            _cells(_non_finite),
            Expect(findings=(f("NILAI_GALAT_EXCEL", desa1), f("NILAI_GALAT_EXCEL", desa2))),
        ),
        Case(
            "excel-365-and-classic-errors",
            _excel_errors,
            Expect(findings=tuple(f("NILAI_GALAT_EXCEL", where) for where in error_cells)),
        ),
    ]


def build_corpus(folder: Path, demo: Path, include_slow: bool = True) -> list[tuple[Case, Path]]:
    """Write every case into ``folder``; returns (case, path) pairs."""
    data = demo.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in build_cases(data):
        if case.slow and not include_slow:
            continue
        path = folder / f"{case.name}{case.suffix}"
        path.write_bytes(case.build(data))
        out.append((case, path))
    return out
