"""The workbook on paper as a new user gets it: rendered by a real LibreOffice.

Two workbooks — the demo carried through the whole SOP, and a fresh template — printed
two ways: the whole workbook as LibreOffice prints it (what File > Print gives), and the
evidence pack `kinerja cetak` makes. The renders are read back with poppler: pages,
their words with positions, the pictures drawn on them. LibreOffice runs are batched
(it takes seconds to start): one for both plain PDFs, one re-saving both as .xlsx (the
formula results and chart caches LibreOffice computed), one per evidence pack.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from kinerja.templates.builder import new_inputs, save_workbook
from libreoffice import convert_many, make_profile, pdf_images, pdf_pages_text, pdf_words
from lxml import etree

from kinerja import services
from kinerja.core import contract
from kinerja.core.formatting import TIME_ZONES

pytestmark = pytest.mark.libreoffice

SOP = contract.definition()
PRINTED_AT = dt.datetime(2026, 2, 17, 9, 0, tzinfo=dt.timezone(TIME_ZONES["WIB"]))
# LibreOffice 7.4 here draws Calibri as DejaVu Sans (no Carlito installed): a width unit
# of a column is 7.0 pt and a line of 11-pt text 12.9 pt (measured on its renders).
LO_POINTS_PER_WIDTH = 7.0
LO_LINE = 12.9
CELL_PADDING = 4.0  # points, left and right together


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("buku")
    demo = services.build_demo(folder / "demo").path
    fresh = save_workbook(folder / "baru.xlsx", new_inputs(kecamatan="Sukamaju", kabupaten="Kabupaten Contoh"))
    return {"demo": demo, "baru": fresh}


@pytest.fixture(scope="module")
def plain(books, tmp_path_factory):
    """The whole workbook as LibreOffice prints it."""
    profile = make_profile(tmp_path_factory.mktemp("profil"))
    outputs = convert_many(list(books.values()), tmp_path_factory.mktemp("pdf"), "pdf", profile)
    return {name: outputs[path] for name, path in books.items()}


@pytest.fixture(scope="module")
def resaved(books, tmp_path_factory):
    """Each workbook as LibreOffice saves it after computing it: its formula results and
    the chart as LibreOffice read it."""
    profile = make_profile(tmp_path_factory.mktemp("profil-xlsx"))
    outputs = convert_many(list(books.values()), tmp_path_factory.mktemp("xlsx"), "xlsx", profile)
    return {name: outputs[path] for name, path in books.items()}


@pytest.fixture(scope="module")
def packs(books, tmp_path_factory):
    """`kinerja cetak` of each workbook; the workbook's bytes before and after."""
    folder = tmp_path_factory.mktemp("cetak")
    out = {}
    for name, path in books.items():
        before = path.read_bytes()
        printed = services.print_pdf(path, folder / f"{name}.pdf", now=PRINTED_AT)
        out[name] = (printed, before, path.read_bytes())
    return out


def content_lines(page: str) -> list[str]:
    """A page's lines without the running header and the footer (page number, identity)."""
    skip = (r"^Data Kinerja .* · Kecamatan .* · \d{4}$", r"^Halaman \d+ dari \d+$", r"^ID buku kerja ")
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [line for line in lines if not any(re.search(p, line) for p in skip)]


# ---------------------------------------------------------------- pages
@pytest.mark.parametrize("name", ["demo", "baru"])
def test_no_printed_page_is_blank(plain, packs, name):
    for pdf in (plain[name], packs[name][0].path):
        pages = pdf_pages_text(pdf)
        blank = [i + 1 for i, page in enumerate(pages) if not content_lines(page)]
        assert blank == [], (pdf.name, blank)


def test_page_counts_are_what_the_data_needs(plain, packs):
    # Before: 31 pages each, 14 of them blank (every pre-sized empty row printed).
    fresh = pdf_pages_text(plain["baru"])
    # Petunjuk: identity, flowchart, status and help; Referensi: settings, tables; every
    # other sheet one page (the empty attendance list: its 25 rows to sign by hand).
    assert len(fresh) == 3 + 2 + (len(SOP.sheets) - 3)
    demo = pdf_pages_text(plain["demo"])
    hadir = [i for i, p in enumerate(demo) if "Tanda Tangan" in p and "Delegasi" in p]
    assert len(hadir) <= 4  # 98 people on rows tall enough to sign, header on each page
    assert len(demo) == len(fresh) + len(hadir) - 1
    assert packs["baru"][0].pages == 4  # SOP (2), approval page, Hasil Validasi
    assert packs["demo"][0].pages == len(demo) - 3  # no status/help page, no Referensi


def test_the_evidence_pack_holds_what_an_auditor_reads_in_order(packs):
    printed, before, after = packs["demo"]
    assert before == after  # the user's file is only read
    assert not printed.path.with_suffix(".bak.xlsx").exists()
    pages = pdf_pages_text(printed.path)
    text = "\n".join(pages)
    order = ["Nomor SOP", "Mutu Baku", "Daftar hadir Musrenbangcam", "Foto dokumentasi", "Rekap kehadiran"]
    order += ["Buku tanda tangan", "Temuan validasi terakhir"]
    positions = [text.index(phrase) for phrase in order]
    assert positions == sorted(positions)
    assert "Pejabat yang menandatangani" not in text and "Cara memakai" not in text  # Referensi, help: not in the pack
    approval = next(p for p in pages if "Buku tanda tangan" in p)
    assert "Diperiksa 17 Februari 2026 09.00 WIB: 7 tanda tangan, semuanya sah." in approval
    assert approval.count("sah") >= 7
    for page in pages:  # a paper copy matched to its file
        assert f"ID buku kerja {printed.workbook_id}" in page and printed.digest in page
    last = SOP.signoffs[-1].label
    assert printed.digest in next(p for p in pages if last in p).replace("\n", "").replace(" ", "")


def test_the_printed_sop_page_is_the_identity_block_of_the_format(packs):
    first = pdf_pages_text(packs["demo"][0].path)[0]
    for label in ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "Nama SOP"):
        assert label in first
    for box in ("Dasar Hukum:", "Kualifikasi Pelaksana:", "Keterkaitan:", "Peralatan/Perlengkapan:"):
        assert box in first
    assert "Peringatan:" in first and "Pencatatan dan Pendataan:" in first
    assert "PEMERINTAH KABUPATEN TANJUNG SARI" in first and "KECAMATAN SUKAMAJU" in first
    assert "060/014/SOP/KEC-SKJ/2026" in first and "5 Januari 2026" in first
    assert "H. Ahmad Suhendar" in first and "NIP. 19720514 199503 1 002" in first  # the Camat of tblPejabat
    assert "Undang-Undang Nomor 23 Tahun 2014" in first
    assert [page for page, _, _ in pdf_images(packs["demo"][0].path)].count(1) == 1  # the kop's logo


# ---------------------------------------------------------------- photos
def test_every_photo_is_drawn_whole_on_one_page(plain, packs, books):
    wb = openpyxl.load_workbook(books["demo"])
    photos = [(img.ref if isinstance(img.ref, str) else None) for img in wb[contract.FOTO_SHEET]._images]
    for pdf in (plain["demo"], packs["demo"][0].path):
        drawn = pdf_images(pdf)
        pages_text = pdf_pages_text(pdf)
        foto_pages = {i + 1 for i, p in enumerate(pages_text) if "Foto dokumentasi" in p}
        on_foto = [d for d in drawn if d[0] in foto_pages]
        assert len(on_foto) == len(photos), (pdf.name, drawn)  # a photo cut by a break is drawn twice
        assert len(drawn) == len(photos) + 1  # and the logo, once


# ---------------------------------------------------------------- text
@pytest.mark.parametrize("name", ["demo", "baru"])
def test_no_text_runs_over_other_text(plain, packs, name):
    for pdf in (plain[name], packs[name][0].path):
        for number, words in enumerate(pdf_words(pdf), start=1):
            flat = [w for w in words if (w[2] - w[0]) > 0 and (w[3] - w[1]) < 20]  # rotated chart labels aside
            clashes = [
                (a[4], b[4])
                for i, a in enumerate(flat)
                for b in flat[i + 1 :]
                if _overlap(a, b) > 0.3 * min(_area(a), _area(b))
            ]
            assert clashes == [], (pdf.name, number, clashes[:5])


def _area(w) -> float:
    return (w[2] - w[0]) * (w[3] - w[1])


def _overlap(a, b) -> float:
    x = min(a[2], b[2]) - max(a[0], b[0])
    y = min(a[3], b[3]) - max(a[1], b[1])
    return x * y if x > 0 and y > 0 else 0.0


@pytest.mark.parametrize("name", ["demo", "baru"])
def test_each_wrapped_cell_row_is_tall_enough_for_its_lines_in_libreoffice(books, resaved, name):
    """Lines counted with the font LibreOffice draws (DejaVu Sans, its real widths), for
    the text LibreOffice shows (formula results as it computed them), against the row
    heights the tool wrote."""
    from PIL import ImageFont

    font = _dejavu()
    original = openpyxl.load_workbook(books[name])
    shown = openpyxl.load_workbook(resaved[name], data_only=True)
    short = []
    for ws in original.worksheets:
        if ws.sheet_state != "visible" or not ws.print_area:
            continue
        area = openpyxl.utils.range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        inside = {(r, c) for m in ws.merged_cells.ranges for r, c in m.cells} - set(merged)
        for row in ws.iter_rows(min_row=area[1], max_row=area[3], max_col=area[2]):
            for cell in row:
                value = shown[ws.title][cell.coordinate].value
                if not isinstance(value, str) or not value.strip() or not cell.alignment.wrap_text:
                    continue
                m = merged.get((cell.row, cell.column))
                if (cell.row, cell.column) in inside or (m is not None and m.max_row > m.min_row):
                    continue
                last = m.max_col if m else cell.column
                width = sum(_width(ws, c) for c in range(cell.column, last + 1)) * LO_POINTS_PER_WIDTH - CELL_PADDING
                if width <= 0:
                    continue
                size = (cell.font.sz or 11) if cell.font else 11
                lines = _wrapped_lines(value, ImageFont.truetype(font, size), width)
                height = ws.row_dimensions[cell.row].height or 15
                if lines * LO_LINE * size / 11 > height + 1:
                    short.append((ws.title, cell.coordinate, lines, height, value[:30]))
    assert short == []


def _dejavu() -> str:
    import subprocess

    found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True)
    # scripts/install-libreoffice installs it with LibreOffice: without it, no honest measure
    assert found.returncode == 0 and Path(found.stdout).exists(), "DejaVu Sans (fonts-dejavu-core) is not installed"
    return found.stdout


def _width(ws, col: int) -> float:
    dim = ws.column_dimensions[openpyxl.utils.get_column_letter(col)]
    return 0 if dim.hidden else (dim.width or 8.43)


def _wrapped_lines(text: str, font, width: float) -> int:
    """Greedy word wrap, as a spreadsheet wraps a cell, measured in the font's widths."""
    total = 0
    for part in text.split("\n"):
        line, lines = "", 1
        for word in part.split():
            candidate = f"{line} {word}".strip()
            if font.getlength(candidate) <= width or not line:
                line = candidate
                while font.getlength(line) > width and len(line) > 1:  # a word wider than the cell
                    cut = len(line)
                    while cut > 1 and font.getlength(line[:cut]) > width:
                        cut -= 1
                    line, lines = line[cut:], lines + 1
            else:
                line, lines = word, lines + 1
        total += lines
    return total


# ---------------------------------------------------------------- the chart, as LibreOffice read it
@pytest.mark.parametrize("name", ["demo", "baru"])
def test_the_chart_libreoffice_draws_covers_exactly_the_filled_villages(books, resaved, name):
    wb = openpyxl.load_workbook(books[name])
    ws = wb[contract.REFERENSI]
    c1, r1, _, r2 = openpyxl.utils.range_boundaries(ws.tables[contract.DESA].ref)
    villages = [ws.cell(r, c1).value for r in range(r1 + 1, r2 + 1) if ws.cell(r, c1).value]
    with zipfile.ZipFile(resaved[name]) as z:
        chart = etree.fromstring(z.read(next(n for n in z.namelist() if n.startswith("xl/charts/chart"))))
    categories = chart.find(".//{*}ser/{*}cat")
    labels = [pt.findtext("{*}v") for pt in categories.iter("{*}pt")]
    count = int(categories.find(".//{*}ptCount").get("val"))
    assert count == max(len(villages), 1)
    assert [label for label in labels if label] == villages
    line = chart.find(".//{*}lineChart")
    assert line.find(".//{*}smooth") is None or line.find(".//{*}smooth").get("val") in ("0", "false")
