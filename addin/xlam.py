"""Build the desktop add-in from the pinned xlwings version's ribbon template (D22).

``xlwings quickstart NAME --addin --ribbon`` copies ``quickstart_addin_ribbon.xlam`` from
the installed xlwings package to ``NAME.xlam``; nothing else. Its VBA project (the
``xlwings`` module, which declares ``xlwings64-<version>.dll``, and ``RibbonMyAddin``)
runs ``import NAME; NAME.main()`` for the add-in file's NAME from its one ribbon callback.
This module does the same copy, so no xlwings binary lives in the repository, and edits
only XML parts: the ribbon (``customUI/customUI.xml``), the add-in's own settings sheet
and its title. The VBA project is copied byte for byte: no source is rewritten and no
compiled code is touched (VBA stomping and p-code purging are what antivirus flags).

One file per button (entry.py, docs/xlwings-notes.md): each file's ribbon adds its one
button to the tab and group they share through qualified ids (``idQ``), and its file name
makes the macro import that button's module.
"""

from __future__ import annotations

import importlib.util
import zipfile
from importlib.metadata import version as dist_version
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kinerja.addin.entry import BUTTONS, Button

XLWINGS_VERSION = "0.37.8"  # pinned (D22); pyproject.toml pins the same
TEMPLATE = "quickstart_addin_ribbon.xlam"
RIBBON_PART = "customUI/customUI.xml"
CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
CORE_PART = "docProps/core.xml"
WORKBOOK_PART = "xl/workbook.xml"
CALLBACK = "RibbonMyAddin.RunMain"  # the template's only ribbon callback
PROJECT_NAME = "myaddin"  # the template's VBA constant: settings are read from "<PROJECT_NAME>.conf"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"  # the template ships it as "_myaddin.conf", i.e. switched off

TAB_LABEL = "SOP Kinerja"
GROUP_LABEL = "Musrenbangcam"
NAMESPACE = "urn:kinerja:ribbon"  # shared by the three files, so their tab and group are one
TAB_ID = "tabSopKinerja"
GROUP_ID = "grpMusrenbangcam"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"  # the template's (Excel 2007+)


class TemplateError(Exception):
    """The installed xlwings is not the pinned version, or its template is missing."""


def template_path() -> Path:
    """The ribbon add-in template inside the installed xlwings package (found without
    importing xlwings, whose import looks for Excel and a licence)."""
    installed = dist_version("xlwings")
    if installed != XLWINGS_VERSION:
        raise TemplateError(f"xlwings {installed} is installed; the add-in is built from {XLWINGS_VERSION}")
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise TemplateError("xlwings is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / TEMPLATE
    if not path.is_file():
        raise TemplateError(f"{TEMPLATE} is missing from xlwings {installed}")
    return path


def build_addins(folder: str | Path, *, interpreter: str | None = None) -> list[Path]:
    """Write the three add-in files into ``folder``, in ribbon order."""
    return [build_xlam(folder, b, interpreter=interpreter) for b in BUTTONS]


def build_xlam(folder: str | Path, button: Button | str, *, interpreter: str | None = None) -> Path:
    """Write one button's add-in file into ``folder`` and return its path.

    ``interpreter`` (the full path of the ``pythonw.exe`` that has kinerja installed, as
    ``kinerja addin install`` knows it) goes into the add-in's settings sheet together
    with "Use UDF Server", so that clicks after the first reuse a running Python. Without
    it the interpreter comes from the user's xlwings settings, and each click starts Python
    anew. The settings sheet always turns off adding the active workbook's folder to
    ``sys.path``: a ``kinerja`` folder beside a downloaded workbook must not be imported."""
    if isinstance(button, str):
        button = next(b for b in BUTTONS if b.action == button)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / button.file_name
    with zipfile.ZipFile(template_path()) as zin:
        edits = {
            RIBBON_PART: customui_xml(button),
            CONFIG_SHEET_PART: _config_sheet(zin.read(CONFIG_SHEET_PART), settings(interpreter)),
            WORKBOOK_PART: _activate_config(zin.read(WORKBOOK_PART)),
            CORE_PART: _titled(zin.read(CORE_PART), f"{TAB_LABEL}: {button.label}"),
        }
        tmp = target.with_name(target.name + ".tmp")
        with zipfile.ZipFile(tmp, "w") as zout:
            for info in zin.infolist():
                data = edits.get(info.filename)
                if data is None:
                    zout.writestr(info, zin.read(info.filename), compress_type=info.compress_type)
                else:
                    zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    return target


def customui_xml(button: Button) -> bytes:
    """The ribbon of one button's file: the shared tab and group, and its button, whose
    callback is the template's macro."""
    previous = BUTTONS[BUTTONS.index(button) - 1] if BUTTONS.index(button) > 0 else None
    after = f' insertAfterQ="k:{previous.control_id}"' if previous is not None else ""
    return (
        f'<customUI xmlns="{CUSTOMUI_NS}" xmlns:k="{NAMESPACE}">\n'
        "  <ribbon>\n"
        "    <tabs>\n"
        f'      <tab idQ="k:{TAB_ID}" label={quoteattr(TAB_LABEL)}>\n'
        f'        <group idQ="k:{GROUP_ID}" label={quoteattr(GROUP_LABEL)}>\n'
        f'          <button idQ="k:{button.control_id}"{after} label={quoteattr(button.label)} size="large"'
        f' imageMso="{button.image}" tag="{button.action}" onAction="{CALLBACK}" />\n'
        "        </group>\n"
        "      </tab>\n"
        "    </tabs>\n"
        "  </ribbon>\n"
        "</customUI>\n"
    ).encode("utf-8")


def settings(interpreter: str | None) -> list[tuple[str, str | bool]]:
    """The add-in's own xlwings settings, key | value as the template's sheet holds them.
    Only keys with a value are written: a key present with an empty value would hide the
    user's own xlwings setting for it."""
    out: list[tuple[str, str | bool]] = []
    if interpreter:
        out += [("Interpreter_Win", interpreter), ("Use UDF Server", True)]
    out.append(("ADD_WORKBOOK_TO_PYTHONPATH", False))
    return out


def _config_sheet(sheet_xml: bytes, rows: list[tuple[str, str | bool]]) -> bytes:
    """The template's settings sheet with its rows replaced (from A1 down without a gap:
    the VBA reads ``Range("A1").End(xlDown)``)."""
    text = sheet_xml.decode("utf-8")
    start, end = text.index("<sheetData"), text.index("</sheetData>") + len("</sheetData>")
    cells = []
    for r, (key, value) in enumerate(rows, start=1):
        cells.append(
            f'<row r="{r}"><c r="A{r}" s="1" t="inlineStr"><is><t>{escape(key)}</t></is></c>{_cell(r, value)}</row>'
        )
    data = "<sheetData>" + "".join(cells) + "</sheetData>"
    last = f"B{len(rows)}"
    text = text[:start] + data + text[end:]
    text = text.replace('<dimension ref="A1:B13" />', f'<dimension ref="A1:{last}" />')
    return text.encode("utf-8")


def _cell(row: int, value: str | bool) -> str:
    if isinstance(value, bool):
        return f'<c r="B{row}" s="1" t="b"><v>{int(value)}</v></c>'
    return f'<c r="B{row}" s="1" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _activate_config(workbook_xml: bytes) -> bytes:
    """Rename ``_myaddin.conf`` to ``myaddin.conf``: the name the VBA looks for."""
    old, new = f'name="_{CONFIG_SHEET}"', f'name="{CONFIG_SHEET}"'
    text = workbook_xml.decode("utf-8")
    if old not in text:
        raise TemplateError(f"the template has no sheet _{CONFIG_SHEET}")
    return text.replace(old, new, 1).encode("utf-8")


def _titled(core_xml: bytes, title: str) -> bytes:
    """The title Excel's Add-ins list shows instead of the file name."""
    text = core_xml.decode("utf-8")
    for empty in ("<dc:title />", "<dc:title/>"):
        if empty in text:
            return text.replace(empty, f"<dc:title>{escape(title)}</dc:title>", 1).encode("utf-8")
    return text.encode("utf-8")
