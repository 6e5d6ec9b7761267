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
                return new
        if not create:
            return None
        return etree.SubElement(row, self._q("c"), r=ref)

    def _row(self, row_no: int, create: bool):
        if row_no in self._rows:
            return self._rows[row_no]
        if not create:
            return None
        new = etree.Element(self._q("row"), r=str(row_no))
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
        self.cell(ref).set("s", str(style))

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
