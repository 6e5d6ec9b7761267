"""The desktop add-in files, checked without Excel: one per button, each a copy of the
pinned xlwings ribbon template whose ribbon puts its button on the shared tab, whose VBA
project is the template's own (not stomped, not rewritten) and whose macro, given the
file's name, imports the module of that button's action."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from kinerja.addin import entry, xlam
from oletools.olevba import VBA_Parser

UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
INTERPRETER = r"C:\Users\staf\kinerja\.venv\Scripts\pythonw.exe"


@pytest.fixture(scope="module")
def addins(tmp_path_factory) -> list[Path]:
    return xlam.build_addins(tmp_path_factory.mktemp("addin"), interpreter=INTERPRETER)


def ribbon(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read(xlam.RIBBON_PART))


def vba_modules(path: Path, tmp_path: Path) -> tuple[dict[str, str], bool]:
    """The VBA modules' source, decompressed by olevba, and whether olevba finds the
    p-code at odds with the source (VBA stomping)."""
    with zipfile.ZipFile(path) as zf:
        project = tmp_path / (path.stem + ".vbaProject.bin")
        project.write_bytes(zf.read("xl/vbaProject.bin"))
    parser = VBA_Parser(str(project))
    try:
        modules = {name: code for _, _, name, code in parser.extract_macros()}
        return modules, parser.detect_vba_stomping()
    finally:
        parser.close()


def test_addin_build_writes_one_file_per_button_named_after_its_module(addins):
    assert [p.name for p in addins] == [
        "kinerja.addin.validasi.xlam",
        "kinerja.addin.tanda_tangan.xlam",
        "kinerja.addin.status.xlam",
    ]
    for path in addins:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None


def test_addin_ribbon_puts_the_three_buttons_on_one_shared_tab(addins):
    buttons = []
    for path in addins:
        root = ribbon(path)
        (tab,) = root.iter(f"{UI}tab")
        assert tab.get("label") == "SOP Kinerja" and tab.get("idQ") == "k:tabSopKinerja"
        (group,) = tab.iter(f"{UI}group")
        assert group.get("idQ") == "k:grpMusrenbangcam"
        (button,) = group.iter(f"{UI}button")
        assert button.get("onAction") == "RibbonMyAddin.RunMain"  # the template's one macro
        buttons.append(button)
        with zipfile.ZipFile(path) as zf:
            text = zf.read(xlam.RIBBON_PART).decode()
            rels = zf.read("_rels/.rels").decode()
        assert 'xmlns:k="urn:kinerja:ribbon"' in text  # the same namespace in every file: one tab
        assert "customUI/customUI.xml" in rels and "ui/extensibility" in rels
    assert [b.get("label") for b in buttons] == ["Validasi", "Tanda Tangan", "Status"]
    assert [b.get("idQ") for b in buttons] == ["k:btnValidasi", "k:btnTandaTangan", "k:btnStatus"]
    assert [b.get("insertAfterQ") for b in buttons] == [None, "k:btnValidasi", "k:btnTandaTangan"]


def test_addin_vba_project_is_the_templates_own_and_not_stomped(addins, tmp_path):
    with zipfile.ZipFile(xlam.template_path()) as zf:
        template = zf.read("xl/vbaProject.bin")
    for path in addins:
        with zipfile.ZipFile(path) as zf:
            assert zf.read("xl/vbaProject.bin") == template
        modules, stomped = vba_modules(path, tmp_path)
        assert not stomped
        assert set(modules) >= {"RibbonMyAddin.bas", "xlwings.bas"}


def test_addin_macro_of_each_file_imports_its_buttons_module_and_calls_main(addins, tmp_path, monkeypatch):
    """RunMain builds ``import NAME;NAME.main()`` from ThisWorkbook.Name; the command each
    file gives, run here, reaches its own action (and nothing else of Excel)."""
    ran = []
    monkeypatch.setattr(entry, "run", lambda action: ran.append(action))
    for path, button in zip(addins, entry.BUTTONS):
        modules, _ = vba_modules(path, tmp_path)
        run_main = re.search(
            r"Sub RunMain\(control As IRibbonControl\)(.*?)End Sub", modules["RibbonMyAddin.bas"], re.S
        )
        body = run_main.group(1)
        assert 'mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))' in body
        assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in body
        name = path.name[: path.name.rindex(".")]  # what the VBA computes
        command = f"import {name};{name}.main()"
        assert name == button.module and name.startswith("kinerja.")  # this package (D2)
        exec(compile(command, path.name, "exec"), {})
    assert ran == ["validasi", "tanda_tangan", "status"]


def test_addin_vba_names_the_pinned_dll_and_reads_the_settings_the_build_writes(addins, tmp_path):
    modules, _ = vba_modules(addins[0], tmp_path)
    code = modules["xlwings.bas"]
    assert f'XLWINGS_VERSION As String = "{xlam.XLWINGS_VERSION}"' in code
    assert f"xlwings64-{xlam.XLWINGS_VERSION}.dll" in code and f"xlwings32-{xlam.XLWINGS_VERSION}.dll" in code
    assert f'PROJECT_NAME As String = "{xlam.PROJECT_NAME}"' in code
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in code
    for key in ("INTERPRETER_WIN", "USE UDF SERVER", "ADD_WORKBOOK_TO_PYTHONPATH"):
        assert f'GetConfig("{key}"' in code
    assert "d.Add UCase(cell.Value)" in code  # keys are matched in upper case


def test_addin_settings_sheet_is_switched_on_with_only_the_keys_the_build_sets(addins, tmp_path):
    with zipfile.ZipFile(addins[1]) as zf:
        workbook = zf.read(xlam.WORKBOOK_PART).decode()
        rows = settings_rows(zf.read(xlam.CONFIG_SHEET_PART))
        core = zf.read(xlam.CORE_PART).decode()
    assert 'name="myaddin.conf"' in workbook and "_myaddin.conf" not in workbook
    assert rows == [("Interpreter_Win", INTERPRETER), ("Use UDF Server", True), ("ADD_WORKBOOK_TO_PYTHONPATH", False)]
    assert "<dc:title>SOP Kinerja: Tanda Tangan</dc:title>" in core

    bare = xlam.build_xlam(tmp_path, "status")
    with zipfile.ZipFile(bare) as zf:
        assert settings_rows(zf.read(xlam.CONFIG_SHEET_PART)) == [("ADD_WORKBOOK_TO_PYTHONPATH", False)]


def test_addin_every_part_but_the_ribbon_settings_and_title_is_the_templates(addins):
    edited = {xlam.RIBBON_PART, xlam.CONFIG_SHEET_PART, xlam.WORKBOOK_PART, xlam.CORE_PART}
    with zipfile.ZipFile(xlam.template_path()) as t, zipfile.ZipFile(addins[0]) as a:
        assert [i.filename for i in t.infolist()] == [i.filename for i in a.infolist()]
        for info in t.infolist():
            if info.filename not in edited:
                assert t.read(info.filename) == a.read(info.filename), info.filename


def test_addin_build_refuses_an_xlwings_other_than_the_pinned_one(monkeypatch, tmp_path):
    monkeypatch.setattr(xlam, "dist_version", lambda name: "0.30.0")
    with pytest.raises(xlam.TemplateError, match="0.37.8"):
        xlam.build_addins(tmp_path)


def settings_rows(sheet_xml: bytes) -> list[tuple[str, object]]:
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    out = []
    for row in ET.fromstring(sheet_xml).iter(f"{ns}row"):
        key, value = list(row.iter(f"{ns}c"))
        text = "".join(t.text or "" for t in key.iter(f"{ns}t"))
        if value.get("t") == "b":
            out.append((text, value.find(f"{ns}v").text == "1"))
        else:
            out.append((text, "".join(t.text or "" for t in value.iter(f"{ns}t"))))
    return out
