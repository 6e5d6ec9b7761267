"""Change only the fill of a cell's style in styles.xml, and change it back.

A marked cell keeps its number format, font, border, alignment and protection; only its
fill changes, to its finding's level colour (red Galat, orange Peringatan, blue Info:
core.paper, never the pink of 'wajib diisi'). What the next run needs to undo that is the original *fill*, kept
as XML: Excel and LibreOffice renumber styles when they save, so a style number
remembered from an earlier run may mean another style by now, while a fill's XML means
the same fill in any file. Styles and fills are found again rather than appended again,
so repeated validations do not grow the file.
"""

from __future__ import annotations

import copy

from lxml import etree

from kinerja.core import paper
from kinerja.xlsx.sheetxml import XML_DECLARATION, parse

MARK_RGB = {level: "FF" + rgb for level, rgb in paper.LEVEL_RGB.items()}  # a mark per level
_MARKS = {*MARK_RGB.values(), *("FF" + rgb for rgb in paper.LEGACY_MARK_RGB)}


class StylesXml:
    def __init__(self, data: bytes):
        self.root = parse(data)
        self.ns = etree.QName(self.root).namespace
        self.fills = self._container("fills")
        self.xfs = self._container("cellXfs")
        self._mark_fill_xml = {level: self._mark_fill(rgb) for level, rgb in MARK_RGB.items()}
        # Look-ups by content, built once: a run may mark hundreds of cells.
        self._fill_ids = {}
        for i, fill in enumerate(self.fills.findall(self._q("fill"))):
            self._fill_ids.setdefault(_key(fill), i)
        self._xf_ids = {}
        for i, xf in enumerate(self.xfs.findall(self._q("xf"))):
            self._xf_ids.setdefault(_xf_key(xf), i)
        self.dirty = False  # written back only when a style or fill was appended

    def _q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _container(self, local: str):
        el = self.root.find(self._q(local))
        if el is None:
            raise ValueError(f"styles.xml has no <{local}>")
        return el

    def to_bytes(self) -> bytes:
        return XML_DECLARATION + etree.tostring(self.root, encoding="UTF-8")

    # ------------------------------------------------------------------ fills as XML
    def fill_of(self, style: int) -> str:
        """The XML of the fill a cell style uses, to keep and to give back later."""
        return _xml(self._fill(style))

    def is_marked(self, style: int) -> bool:
        """Whether a style wears our mark; another program may have re-written the fill
        (LibreOffice drops or changes bgColor), so the foreground colour decides."""
        fg = self._fill(style).find(f"{self._q('patternFill')}/{self._q('fgColor')}")
        return fg is not None and (fg.get("rgb") or "").upper() in _MARKS

    def _fill(self, style: int):
        fill_id = int(self._xf(style).get("fillId", "0"))
        fills = self.fills.findall(self._q("fill"))
        return fills[fill_id] if fill_id < len(fills) else fills[0]

    def marked(self, style: int, level: str = "Galat") -> int:
        """The style that is ``style`` in the mark of a finding's level."""
        return self.with_fill(style, self._mark_fill_xml[level])

    def with_fill(self, style: int, fill_xml: str) -> int:
        """The style that is `style` with another fill: found (whatever its applyFill
        flag says), or appended once."""
        xf = copy.deepcopy(self._xf(style))
        xf.set("fillId", str(self._fill_index(fill_xml)))
        key = _xf_key(xf)
        if key not in self._xf_ids:
            xf.set("applyFill", "1")
            self.xfs.append(xf)
            self._xf_ids[key] = self._recount(self.xfs, "xf") - 1
        return self._xf_ids[key]

    def wraps(self, style: int) -> bool:
        """Whether a cell style wraps its text (its row must then be as tall as the text)."""
        alignment = self._xf(style).find(self._q("alignment"))
        return alignment is not None and alignment.get("wrapText") in ("1", "true")

    def font_size(self, style: int) -> float:
        fonts = self.root.find(self._q("fonts"))
        font_id = int(self._xf(style).get("fontId", "0"))
        found = fonts.findall(self._q("font")) if fonts is not None else []
        size = found[font_id].find(self._q("sz")) if font_id < len(found) else None
        try:
            return float(size.get("val")) if size is not None else 11.0
        except (TypeError, ValueError):
            return 11.0

    def is_locked(self, style: int) -> bool:
        """Excel's default for a cell is locked; an xf says otherwise in <protection>."""
        protection = self._xf(style).find(self._q("protection"))
        return protection is None or protection.get("locked") not in ("0", "false")

    def with_locked(self, style: int, locked: bool) -> int:
        """The style that is `style` but locked or unlocked (the ledger's lock state: a
        signed stage's input cells lock, a return unlocks them), found or appended once."""
        if self.is_locked(style) == locked:
            return style
        xf = copy.deepcopy(self._xf(style))
        protection = xf.find(self._q("protection"))
        if protection is None:
            protection = etree.SubElement(xf, self._q("protection"))
        if locked:
            protection.attrib.pop("locked", None)
            if not protection.attrib:
                xf.remove(protection)
        else:
            protection.set("locked", "0")
        key = _xf_key(xf)
        if key not in self._xf_ids:
            xf.set("applyProtection", "1")
            self.xfs.append(xf)
            self._xf_ids[key] = self._recount(self.xfs, "xf") - 1
        return self._xf_ids[key]

    def _recount(self, container, local: str) -> int:
        self.dirty = True
        count = len(container.findall(self._q(local)))
        container.set("count", str(count))
        return count

    def _xf(self, style: int):
        xfs = self.xfs.findall(self._q("xf"))
        return xfs[style] if style < len(xfs) else xfs[0]

    def _fill_index(self, fill_xml: str) -> int:
        fill = etree.fromstring(fill_xml)
        key = _key(fill)
        if key not in self._fill_ids:
            self.fills.append(fill)
            self._fill_ids[key] = self._recount(self.fills, "fill") - 1
        return self._fill_ids[key]

    def _mark_fill(self, rgb: str) -> str:
        fill = etree.Element(self._q("fill"), nsmap={None: self.ns})
        pattern = etree.SubElement(fill, self._q("patternFill"), patternType="solid")
        etree.SubElement(pattern, self._q("fgColor"), rgb=rgb)
        etree.SubElement(pattern, self._q("bgColor"), indexed="64")
        return _xml(fill)


def _xml(el) -> str:
    """An element as standalone XML (its namespaces declared on it)."""
    return etree.tostring(el, method="c14n", exclusive=True).decode()


def _key(el, skip: tuple[str, ...] = ()) -> str:
    """What an element says, whatever namespace prefixes the file happens to use."""
    attrs = sorted((etree.QName(k).localname, v) for k, v in el.attrib.items() if etree.QName(k).localname not in skip)
    inner = "".join(_key(child) for child in el if isinstance(child.tag, str))
    return f"<{etree.QName(el).localname} {attrs}>{inner}</>"


def _xf_key(xf) -> str:
    """A cell style by what it looks like; applyFill and applyProtection are only flags."""
    return _key(xf, skip=("applyFill", "applyProtection"))
