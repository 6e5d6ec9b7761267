"""Append the "marked" look of a cell to styles.xml without disturbing existing styles.

A marked cell keeps its number format, font, border, alignment and protection; only its
fill changes. Each original style gets one marked twin, found again (not appended again)
on the next run, so repeated validations do not grow the file.
"""

from __future__ import annotations

import copy

from lxml import etree

from kinerja.xlsx.sheetxml import XML_DECLARATION

MARK_RGB = "FFFFC7CE"  # Excel's own "Light Red Fill" of conditional formatting


class StylesXml:
    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.ns = etree.QName(self.root).namespace
        self.fills = self._container("fills")
        self.xfs = self._container("cellXfs")
        self._mark_fill: int | None = None

    def _q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _container(self, local: str):
        el = self.root.find(self._q(local))
        if el is None:
            raise ValueError(f"styles.xml has no <{local}>")
        return el

    def to_bytes(self) -> bytes:
        return XML_DECLARATION + etree.tostring(self.root, encoding="UTF-8")

    def marked(self, style: int) -> int:
        """The index of the marked twin of cellXfs[style], appending it if needed."""
        xfs = self.xfs.findall(self._q("xf"))
        base = copy.deepcopy(xfs[style] if style < len(xfs) else xfs[0])
        base.set("fillId", str(self._fill()))
        base.set("applyFill", "1")
        wanted = etree.tostring(base)
        for i, xf in enumerate(xfs):
            if etree.tostring(xf) == wanted:
                return i
        self.xfs.append(base)
        self.xfs.set("count", str(len(xfs) + 1))
        return len(xfs)

    def is_marked(self, style: int) -> bool:
        xfs = self.xfs.findall(self._q("xf"))
        return style < len(xfs) and xfs[style].get("fillId") == str(self._fill())

    def _fill(self) -> int:
        if self._mark_fill is not None:
            return self._mark_fill
        fills = self.fills.findall(self._q("fill"))
        for i, fill in enumerate(fills):
            fg = fill.find(f"{self._q('patternFill')}/{self._q('fgColor')}")
            if fg is not None and fg.get("rgb") == MARK_RGB:
                self._mark_fill = i
                return i
        fill = etree.SubElement(self.fills, self._q("fill"))
        pattern = etree.SubElement(fill, self._q("patternFill"), patternType="solid")
        etree.SubElement(pattern, self._q("fgColor"), rgb=MARK_RGB)
        etree.SubElement(pattern, self._q("bgColor"), indexed="64")
        self.fills.set("count", str(len(fills) + 1))
        self._mark_fill = len(fills)
        return self._mark_fill
