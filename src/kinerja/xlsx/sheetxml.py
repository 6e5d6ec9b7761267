"""Edit cells of one worksheet part in place, keeping everything else in it.

openpyxl would rewrite the whole workbook and drop what it does not know (D3); here a
sheet's XML is parsed with lxml, only the touched <c> elements change, and every other
element (data validation extensions, conditional formats, drawings, extLst) is written
back as it was. New text is an inline string, never a formula.
"""

from __future__ import annotations

import re

from lxml import etree

from kinerja.core.cells import col_index, col_letter, parse_a1
from kinerja.core.meta import CELL_LIMIT
from kinerja.xlsx.guard import check_xml, lxml_parser

_REF = re.compile(r"^([A-Z]+)(\d+)$")
# CT_Worksheet child order (ECMA-376 §18.3.1.99): where <hyperlinks> may stand.
_AFTER_HYPERLINKS = (
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The declaration as Excel writes it (lxml would use single quotes).
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def parse(data: bytes, part: str = "") -> etree._Element:
    """An XML part as lxml elements: a DTD refused (OOXML never has one; it is how entity
    bombs and external entities arrive), no entity expanded, nothing fetched (D29)."""
    return etree.fromstring(check_xml(data, part), lxml_parser())


class SheetXml:
    def __init__(self, data: bytes):
        self.root = parse(data)
        self.ns = self.root.nsmap.get(None) or etree.QName(self.root).namespace
        self.sheet_data = self._child("sheetData")
        self._rows = self._index_rows()
        self.dirty = False  # only a sheet something was written into is written back (D3)

    def _index_rows(self) -> dict:
        """Rows by number. A row or cell without an `r` attribute (legal OOXML, written
        by some programs) takes the position after the previous one; it gets its `r`
        here, so that an edit finds it instead of writing a second cell."""
        rows = {}
        previous = 0
        for row in self.sheet_data.findall(self._q("row")):
            number = int(row.get("r") or previous + 1)
            row.set("r", str(number))
            previous = number
            rows[number] = row
            col = 0
            for c in row.findall(self._q("c")):
                ref = c.get("r")
                if ref and _REF.match(ref):
                    col = col_index(_REF.match(ref).group(1))
                else:
                    col += 1
                    c.set("r", f"{col_letter(col)}{number}")
        return rows

    def _q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _child(self, local: str):
        return self.root.find(self._q(local))

    def to_bytes(self) -> bytes:
        return XML_DECLARATION + etree.tostring(self.root, encoding="UTF-8")

    # ------------------------------------------------------------------ cells
    def cell(self, ref: str, create: bool = True):
        row_no, col = parse_a1(ref)
        row = self._row(row_no, create)
        if row is None:
            return None
        for c in row.findall(self._q("c")):
            r = c.get("r")
            if r == ref:
                return c
            if r and col_index(_REF.match(r).group(1)) > col:
                if not create:
                    return None
                new = etree.Element(self._q("c"), r=ref)
                c.addprevious(new)
                self.dirty = True
                return new
        if not create:
            return None
        self.dirty = True
        return etree.SubElement(row, self._q("c"), r=ref)

    def _row(self, row_no: int, create: bool):
        if row_no in self._rows:
            return self._rows[row_no]
        if not create:
            return None
        new = etree.Element(self._q("row"), r=str(row_no))
        self.dirty = True
        later = [r for n, r in self._rows.items() if n > row_no]
        if later:
            min(later, key=lambda r: int(r.get("r"))).addprevious(new)
        else:
            self.sheet_data.append(new)
        self._rows[row_no] = new
        return new

    def set_text(self, ref: str, text: str) -> None:
        """Text as an inline string, never a formula (D3); shortened with "…" to what one
        cell holds (an echoed user value may be longer than Excel allows)."""
        c = self._reset(ref)
        text = _xml_safe(text)
        if text == "":
            return
        if len(text) > CELL_LIMIT:
            text = text[: CELL_LIMIT - 1] + "…"
        c.set("t", "inlineStr")
        is_ = etree.SubElement(c, self._q("is"))
        t = etree.SubElement(is_, self._q("t"))
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def set_value(self, ref: str, value: str | int | float | None) -> None:
        """A number as a number, anything else as text, None as an empty cell."""
        if value is None:
            self.set_text(ref, "")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.set_number(ref, value)
        else:
            self.set_text(ref, str(value))

    def set_number(self, ref: str, value: float) -> None:
        c = self._reset(ref)
        v = etree.SubElement(c, self._q("v"))
        v.text = str(int(value)) if float(value).is_integer() else repr(float(value))

    def _reset(self, ref: str):
        """Empty a cell's value, keeping its style."""
        c = self.cell(ref)
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)
        self.dirty = True
        return c

    def style(self, ref: str) -> int:
        c = self.cell(ref, create=False)
        return int(c.get("s", "0")) if c is not None else self._default_style(ref)

    def _default_style(self, ref: str) -> int:
        """A cell that is not written takes its row's or column's style."""
        row_no, col = parse_a1(ref)
        row = self._rows.get(row_no)
        if row is not None and row.get("customFormat") in ("1", "true"):
            return int(row.get("s", "0"))
        cols = self._child("cols")
        for c in cols.findall(self._q("col")) if cols is not None else []:
            if int(c.get("min")) <= col <= int(c.get("max")):
                return int(c.get("style", "0"))
        return 0

    def set_style(self, ref: str, style: int) -> None:
        c = self.cell(ref)
        if c.get("s") != str(style):
            c.set("s", str(style))
            self.dirty = True

    # ------------------------------------------------------------------ protection
    @property
    def protected(self) -> bool:
        element = self._child("sheetProtection")
        return element is not None and element.get("sheet") in ("1", "true")

    def protect(self, attributes: dict[str, str], replace: bool = False) -> None:
        """Put sheet protection back where another program dropped it (D10), or, with
        ``replace``, set what it allows (the ledger's lock state); its place in the sheet
        is right after the cell data (ECMA-376 §18.3.1.99). A password hash another
        program set is kept."""
        element = self._child("sheetProtection")
        if element is not None and not replace and self.protected:
            return
        self.dirty = True
        if element is None:
            element = etree.Element(self._q("sheetProtection"))
            anchor = self._child("sheetCalcPr")
            (anchor if anchor is not None else self.sheet_data).addnext(element)
        for key, value in attributes.items():
            element.set(key, value)

    # ------------------------------------------------------------------ hyperlinks
    def set_internal_links(self, links: dict[str, str], within: tuple[int, int, int, int]) -> None:
        """Replace the links inside a range by in-workbook links (no relationship part
        needed: an internal hyperlink is only a location)."""
        r1, c1, r2, c2 = within
        self.dirty = True
        container = self._child("hyperlinks")
        if container is None:
            container = etree.Element(self._q("hyperlinks"))
            anchor = next((self._child(n) for n in _AFTER_HYPERLINKS if self._child(n) is not None), None)
            if anchor is not None:
                anchor.addprevious(container)
            else:
                self.root.append(container)
        for link in list(container):
            row, col = parse_a1(link.get("ref", "A1").split(":")[0])
            if r1 <= row <= r2 and c1 <= col <= c2 and link.get(f"{{{REL_NS}}}id") is None:
                container.remove(link)
        for ref, location in links.items():
            etree.SubElement(
                container, self._q("hyperlink"), ref=ref, location=location, display=location.split("!")[-1]
            )
        if len(container) == 0:
            self.root.remove(container)


def _xml_safe(text: str) -> str:
    """Control characters are not allowed in XML; a pasted cell may hold them."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


# ---------------------------------------------------------------------- geometry (on paper)
DEFAULT_COL_WIDTH = 8.43  # characters: Excel's width of a column nobody sized
DEFAULT_ROW_HEIGHT = 15.0  # points


class Geometry:
    """What a sheet's XML says about sizes: column widths, merged ranges, row heights."""

    def __init__(self, xml: SheetXml):
        self.xml = xml
        fmt = xml._child("sheetFormatPr")
        self.default_width = (
            float(fmt.get("defaultColWidth"))
            if fmt is not None and fmt.get("defaultColWidth")
            else (
                float(fmt.get("baseColWidth")) + 0.43
                if fmt is not None and fmt.get("baseColWidth")
                else DEFAULT_COL_WIDTH
            )
        )
        self.default_height = (
            float(fmt.get("defaultRowHeight"))
            if fmt is not None and fmt.get("defaultRowHeight")
            else DEFAULT_ROW_HEIGHT
        )
        self.widths: dict[int, float] = {}
        self.hidden_cols: set[int] = set()
        cols = xml._child("cols")
        for c in cols.findall(xml._q("col")) if cols is not None else []:
            for col in range(int(c.get("min", "1")), int(c.get("max", "1")) + 1):
                if c.get("width"):
                    self.widths[col] = float(c.get("width"))
                if c.get("hidden") in ("1", "true"):
                    self.hidden_cols.add(col)
        self.merges: list[tuple[int, int, int, int]] = []
        merged = xml._child("mergeCells")
        for m in merged.findall(xml._q("mergeCell")) if merged is not None else []:
            first, _, last = (m.get("ref") or "").partition(":")
            try:
                r1, c1 = parse_a1(first)
                r2, c2 = parse_a1(last or first)
            except ValueError:
                continue
            self.merges.append((r1, c1, r2, c2))
        self._merge_at = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in self.merges}
        self._covered = {
            (r, c) for r1, c1, r2, c2 in self.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
        } - set(self._merge_at)

    def width(self, col: int) -> float:
        return 0.0 if col in self.hidden_cols else self.widths.get(col, self.default_width)

    def span(self, row: int, col: int) -> tuple[float, int] | None:
        """The characters a cell's text has per line and the rows it spans; None for a
        cell hidden under another one's merge."""
        if (row, col) in self._covered:
            return None
        r1, c1, r2, c2 = self._merge_at.get((row, col), (row, col, row, col))
        return sum(self.width(c) for c in range(c1, c2 + 1)), r2 - r1 + 1

    def height(self, row: int) -> float:
        element = self.xml._rows.get(row)
        if element is not None and element.get("ht"):
            return float(element.get("ht"))
        return self.default_height


def set_row_height(xml: SheetXml, row: int, height: float | None) -> None:
    """A row's height in points (custom, so no program shrinks it back), or None for the
    default height; the sheet is marked written only when the height changes."""
    element = xml._rows.get(row)
    if element is None:
        if height is None:
            return
        element = xml._row(row, create=True)
    current = element.get("ht")
    if height is None:
        if current is None:
            return
        element.attrib.pop("ht", None)
        element.attrib.pop("customHeight", None)
    else:
        text = str(int(height)) if float(height).is_integer() else f"{height:.2f}".rstrip("0").rstrip(".")
        if current is not None and float(current) == float(text) and element.get("customHeight") in ("1", "true"):
            return
        element.set("ht", text)
        element.set("customHeight", "1")
    xml.dirty = True


def cell_texts(xml: SheetXml, shared: list[str]):
    """(row, col, text, formula) of every cell with a text or a formula; numbers are
    left out (they never wrap)."""
    for number, row in xml._rows.items():
        for c in row.findall(xml._q("c")):
            ref = c.get("r") or ""
            m = _REF.match(ref)
            if not m:
                continue
            col = col_index(m.group(1))
            kind = c.get("t")
            f = c.find(xml._q("f"))
            formula = (f.text or "") if f is not None else None
            text = ""
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(xml._q("t")))
            elif kind == "s":
                v = c.find(xml._q("v"))
                try:
                    text = shared[int(v.text)] if v is not None and v.text else ""
                except (ValueError, IndexError):
                    text = ""
            elif kind == "str":
                v = c.find(xml._q("v"))
                text = (v.text or "") if v is not None else ""
            if text or formula:
                yield number, col, text, formula


def row_breaks(xml: SheetXml) -> list[int]:
    """The rows after which the sheet starts a new page (manual breaks)."""
    breaks = xml._child("rowBreaks")
    if breaks is None:
        return []
    return sorted(int(b.get("id", "0")) for b in breaks.findall(xml._q("brk")) if b.get("id"))


def set_footer(xml: SheetXml, footer: str) -> None:
    """The footer every printed page of the sheet shows (odd pages and, when the sheet
    has them, even and first pages), in Excel's header codes (&P page, &N pages)."""
    container = xml._child("headerFooter")
    if container is None:
        container = etree.Element(xml._q("headerFooter"))
        anchor = next(
            (
                xml._child(n)
                for n in (
                    "rowBreaks",
                    "colBreaks",
                    "customProperties",
                    "drawing",
                    "legacyDrawing",
                    "tableParts",
                    "extLst",
                )
                if xml._child(n) is not None
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(container)
        else:
            xml.root.append(container)
    for local in ("oddFooter", "evenFooter", "firstFooter"):
        element = container.find(xml._q(local))
        if element is None and local != "oddFooter":
            continue
        if element is None:
            element = etree.Element(xml._q(local))
            header = container.find(xml._q("oddHeader"))
            if header is not None:
                header.addnext(element)
            else:
                container.insert(0, element)
        element.text = footer
    xml.dirty = True
