"""Give the workbook part back the guards another program dropped (D10).

LibreOffice turns the very hidden `_meta` into a merely hidden sheet and drops the
workbook's structure lock when it saves. Neither changes data, so neither is a finding;
the next write by kinerja puts both back, touching nothing else in workbook.xml.
"""

from __future__ import annotations

from lxml import etree

from kinerja.xlsx.sheetxml import XML_DECLARATION, parse

# CT_Workbook children that come before <workbookProtection> (ECMA-376 §18.2.27).
_BEFORE_PROTECTION = ("fileVersion", "fileSharing", "workbookPr")


def restore_guards(data: bytes, very_hidden: str) -> bytes | None:
    """workbook.xml with `very_hidden` very hidden and the structure locked; None when it
    already was (so the part is copied as it is)."""
    root = parse(data)
    ns = etree.QName(root).namespace
    changed = False
    for sheet in root.iterfind(f"{{{ns}}}sheets/{{{ns}}}sheet"):
        if sheet.get("name") == very_hidden and sheet.get("state") != "veryHidden":
            sheet.set("state", "veryHidden")
            changed = True
    protection = root.find(f"{{{ns}}}workbookProtection")
    if protection is None:
        protection = etree.Element(f"{{{ns}}}workbookProtection")
        before = [root.find(f"{{{ns}}}{name}") for name in _BEFORE_PROTECTION]
        anchor = next((el for el in reversed(before) if el is not None), None)
        if anchor is not None:
            anchor.addnext(protection)
        else:
            root.insert(0, protection)
    if protection.get("lockStructure") not in ("1", "true"):
        protection.set("lockStructure", "1")
        changed = True
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8") if changed else None
