"""Edit cells of one worksheet part in place, keeping everything else in it.

openpyxl would rewrite the whole workbook and drop what it does not know (D3); here a
sheet's XML is parsed with lxml, only the touched <c> elements change, and every other
element (data validation extensions, conditional formats, drawings, extLst) is written
back as it was. New text is an inline string, never a formula.
"""

from __future__ import annotations

import re

from lxml import etree

from kinerja.core.cells import col_index, parse_a1

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


class SheetXml:
    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.ns = self.root.nsmap.get(None) or etree.QName(self.root).namespace
        self.sheet_data = self._child("sheetData")
        self._rows = {int(r.get("r")): r for r in self.sheet_data.findall(self._q("row")) if r.get("r")}

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
        c = self._reset(ref)
        if text == "":
            return
        c.set("t", "inlineStr")
        is_ = etree.SubElement(c, self._q("is"))
        t = etree.SubElement(is_, self._q("t"))
        t.text = _xml_safe(text)
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

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
    def protect(self, attributes: dict[str, str]) -> None:
        """Put sheet protection back where another program dropped it (D10); its place in
        the sheet is right after the cell data (ECMA-376 §18.3.1.99)."""
        if self._child("sheetProtection") is not None:
            return
        element = etree.Element(self._q("sheetProtection"), attributes)
        anchor = self._child("sheetCalcPr")
        (anchor if anchor is not None else self.sheet_data).addnext(element)

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
