"""`kinerja cetak`: the workbook as one PDF evidence pack, printed by LibreOffice.

An office files this workbook as SAKIP evidence; an auditor reads it on paper or as a
PDF. The pack shows the workbook as it is when it is printed, and never changes the
user's file: the work is done on a copy in a temporary folder.

On the copy, through the same edit session as every write (D27):
1. the validation runs now and fills `Hasil Validasi` and the marks (xlsx.results);
2. the ledger's verification at print time goes on the approval page and on Petunjuk
   (the row verification words beside each sign-off, the summary line);
3. only what the pack holds stays visible — the SOP document (the identity page and the
   flowchart of Petunjuk), the step sheets that hold data or have been signed, the
   approval page and `Hasil Validasi`; every other sheet is hidden and loses its print
   area (LibreOffice 7.4, measured, skips a hidden sheet only when it has none), so
   LibreOffice exports exactly these, each within its print area (xlsx.paper keeps those
   right);
4. every page's footer carries the page number, the workbook's `workbook_id` and its
   content digest (the `Sidik Isi` a sign-off of the workbook as it is now would sign),
   so a paper copy can be matched to its file.
Then LibreOffice, headless and with a profile of its own (so that it neither waits for
nor disturbs a LibreOffice the user has open, and recalculates every formula), turns the
copy into a PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kinerja.core import contract
from kinerja.core.digest import content_digest, sections
from kinerja.core.findings import KinerjaError, text
from kinerja.core.model import WorkbookModel, is_blank
from kinerja.core.sop import Sop

TIMEOUT_SECONDS = 300
SOFFICE_ENV = "KINERJA_SOFFICE"
# Where LibreOffice installs itself when it is not on PATH.
KNOWN_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
# /org.openoffice.Office.Calc/Formula/Load: 0 = always recalculate. A file saved by
# openpyxl carries no formula results, and one saved by Excel may carry stale ones.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""
FOOTER_SIZE = 7  # points: the identity line under the page number


def find_soffice() -> str:
    """LibreOffice's soffice: KINERJA_SOFFICE, then PATH, then where it installs itself;
    a coded error that says how to install it when there is none."""
    given = os.environ.get(SOFFICE_ENV)
    if given and Path(given).is_file():
        return given
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in KNOWN_PLACES:
        if Path(place).is_file():
            return place
    raise KinerjaError("CETAK_TANPA_LIBREOFFICE")


# ---------------------------------------------------------------------- what the pack holds
def printed_sheets(model: WorkbookModel, sop: Sop) -> list[str]:
    """The sheets of the pack, in workbook order: Petunjuk (the SOP), the step sheets
    with data, the approval page and Hasil Validasi."""
    signed_steps = {
        step
        for row in model.tables[contract.PERSETUJUAN].rows
        if row.values.get(contract.L_LANGKAH)
        for signoff in sop.signoffs
        if signoff.label == str(row.values.get(contract.L_LANGKAH)).strip()
        for step in signoff.steps
    }
    out = []
    for sheet in sop.sheets:
        if sheet.kind in ("guide", "ledger", "results"):
            out.append(sheet.name)
        elif sheet.kind == "step" and (sheet.step in signed_steps or has_data(model, sop, sheet.name)):
            out.append(sheet.name)
    return out


def has_data(model: WorkbookModel, sop: Sop, sheet: str) -> bool:
    """Whether anyone has put data on a sheet: an input value, a filled row, a picture,
    or a computed table whose source has rows."""
    if any(n.is_input and not is_blank(model.value(n.name)) for n in sop.names_on(sheet)):
        return True
    if any(p.sheet == sheet for p in model.pictures):
        return True
    for spec in sop.tables_on(sheet):
        source = spec.rows_from or spec.name
        headers = tuple(c.header for c in sop.table(source).input_columns) or tuple(sop.table(source).headers)
        if model.tables[source].filled(headers):
            return True
    return False


# ---------------------------------------------------------------------- the copy
@dataclass(frozen=True)
class Footer:
    workbook_id: str
    digest: str

    def codes(self, lang: str = "id") -> str:
        """The footer in Excel's codes: the page number, under it the identity line."""
        page = text("CETAK_HALAMAN").render({}, lang)[0]
        identity = text("CETAK_KAKI").render({"workbook_id": self.workbook_id, "digest": self.digest}, lang)[0]
        return f"&C&9{page}\n&{FOOTER_SIZE}{_escape(identity)}"


def _escape(value: str) -> str:
    return value.replace("&", "&&")


def footer_of(model: WorkbookModel, sop: Sop) -> Footer:
    """The workbook's id and the digest of its inputs as they are now (D15)."""
    digests = {sheet: section.digest for sheet, section in sections(model, sop).items()}
    return Footer(model.meta.get(contract.META_WORKBOOK_ID, "–"), content_digest(digests))


def prepare(session, sheets: list[str], footer: Footer, lang: str = "id") -> None:
    """On the copy: only the pack's sheets visible, Petunjuk printing the SOP document
    (its identity page and flowchart), every printed page with the footer."""
    from kinerja.xlsx.sheetxml import row_breaks, set_footer

    states = {s.name: ("visible" if s.name in sheets else "hidden") for s in session.sop.sheets if s.kind != "meta"}
    session.set_sheet_states(states)
    for name, state in states.items():
        if state == "hidden":  # LibreOffice 7.4 still prints a hidden sheet that has a print area
            session.clear_print_area(name)
    breaks = row_breaks(session.sheet(contract.PETUNJUK))
    area = session.print_area(contract.PETUNJUK)
    if len(breaks) >= 2 and area is not None:  # the identity page, then the flowchart
        session.set_print_area(contract.PETUNJUK, breaks[1], area[3])
    for sheet in sheets:
        set_footer(session.sheet(sheet), footer.codes(lang))


# ---------------------------------------------------------------------- LibreOffice
def to_pdf(soffice: str, workbook: Path, folder: Path) -> Path:
    """One workbook into one PDF beside it, by LibreOffice with a throw-away profile."""
    profile = folder / "profil-libreoffice" / "user"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    out = folder / "pdf"
    out.mkdir(exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.parent.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:calc_pdf_Export",
        "--outdir",
        str(out),
        str(workbook),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise KinerjaError("CETAK_WAKTU_HABIS", path=str(workbook), seconds=TIMEOUT_SECONDS) from None
    except OSError as exc:
        raise KinerjaError("CETAK_GAGAL", path=str(workbook), detail=exc.strerror or str(exc)) from None
    written = out / f"{workbook.stem}.pdf"
    if result.returncode != 0 or not written.exists():
        said = (result.stderr or result.stdout or "").strip().splitlines()  # LibreOffice's own words
        raise KinerjaError("CETAK_GAGAL", path=str(workbook), detail=said[-1] if said else f"exit {result.returncode}")
    return written


def page_count(pdf: bytes) -> int:
    """Pages of a PDF LibreOffice wrote (its page objects; no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="kinerja-cetak-")
