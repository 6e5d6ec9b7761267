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


def set_print_area(data: bytes, sheet_index: int, reference: str) -> bytes | None:
    """workbook.xml with the print area of one sheet (the `_xlnm.Print_Area` name local to
    it) set to ``reference``, e.g. 'Persetujuan'!$A$1:$M$12; None when it already was."""
    root = parse(data)
    ns = etree.QName(root).namespace
    names = root.find(f"{{{ns}}}definedNames")
    if names is None:
        names = etree.Element(f"{{{ns}}}definedNames")
        sheets = root.find(f"{{{ns}}}sheets")
        sheets.addnext(names)
    for el in names:
        if el.get("name") == "_xlnm.Print_Area" and el.get("localSheetId") == str(sheet_index):
            if el.text == reference:
                return None
            el.text = reference
            break
    else:
        el = etree.SubElement(names, f"{{{ns}}}definedName", name="_xlnm.Print_Area", localSheetId=str(sheet_index))
        el.text = reference
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")
