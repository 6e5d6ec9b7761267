"""Give the workbook part back the guards another program dropped (D10).

LibreOffice turns the very hidden `_meta` into a merely hidden sheet and drops the
workbook's structure lock when it saves. Neither changes data, so neither is a finding;
the next write by kinerja puts both back, touching nothing else in workbook.xml.
"""

from __future__ import annotations

from lxml import etree

from kinerja.core.cells import parse_range
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
            if _same_reference(el.text or "", reference):
                return None
            el.text = reference
            break
    else:
        el = etree.SubElement(names, f"{{{ns}}}definedName", name="_xlnm.Print_Area", localSheetId=str(sheet_index))
        el.text = reference
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def print_area_of(data: bytes, sheet_index: int) -> tuple[int, int, int, int] | None:
    """The print area of one sheet as (first row, first col, last row, last col); None
    when it has none, or one of several ranges (left as it is)."""
    root = parse(data)
    ns = etree.QName(root).namespace
    for el in root.iterfind(f"{{{ns}}}definedNames/{{{ns}}}definedName"):
        if el.get("name") == "_xlnm.Print_Area" and el.get("localSheetId") == str(sheet_index):
            reference = (el.text or "").strip()
            if "," in reference:
                return None
            try:
                return parse_range(reference.rpartition("!")[2].replace("$", ""))
            except ValueError:
                return None
    return None


def set_sheet_states(data: bytes, states: dict[str, str]) -> bytes | None:
    """workbook.xml with the given sheets visible or hidden (a hidden sheet does not
    print); None when nothing changed."""
    root = parse(data)
    ns = etree.QName(root).namespace
    changed = False
    for sheet in root.iterfind(f"{{{ns}}}sheets/{{{ns}}}sheet"):
        wanted = states.get(sheet.get("name", ""))
        if wanted is None or sheet.get("state", "visible") == wanted:
            continue
        if wanted == "visible":
            sheet.attrib.pop("state", None)
        else:
            sheet.set("state", wanted)
        changed = True
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8") if changed else None


def clear_print_area(data: bytes, sheet_index: int) -> bytes | None:
    """workbook.xml without the print area of one sheet; None when it had none."""
    root = parse(data)
    ns = etree.QName(root).namespace
    names = root.find(f"{{{ns}}}definedNames")
    found = [
        el
        for el in (names if names is not None else [])
        if el.get("name") == "_xlnm.Print_Area" and el.get("localSheetId") == str(sheet_index)
    ]
    if not found:
        return None
    for el in found:
        names.remove(el)
    if len(names) == 0:
        root.remove(names)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def _same_reference(a: str, b: str) -> bool:
    """'Referensi'!$A$1:$L$51 and Referensi!$A$1:$L$51 are the same range."""

    def parts(text: str) -> tuple[str, str]:
        sheet, _, ref = text.strip().rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        return sheet, ref.replace("$", "").upper()

    return parts(a) == parts(b)
