"""What staff see when a real spreadsheet computes the workbook: the live figures agree
with the validator's Python arithmetic (kinerja.core.iku), case by case.

All workbooks of this module are recalculated in one LibreOffice run (it takes seconds to
start); each test then reads the cached results.
"""

from __future__ import annotations

import copy
import datetime as dt

import openpyxl
import pytest
from kinerja.templates import layout as layout_module
from kinerja.templates.builder import new_inputs, save_workbook
from libreoffice import cached, make_profile, named_value, recalculate
from openpyxl.utils import range_boundaries

from kinerja.core import contract, iku
from kinerja.core.sop import Band

pytestmark = pytest.mark.libreoffice

SOP = contract.definition()
LAYOUT = layout_module.compute(SOP)
CREATED = dt.datetime(2026, 2, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
IKU_NAMES = ("iku_diundang", "iku_hadir", "iku_realisasi", "iku_capaian", "iku_predikat")
REVERSED_BANDS = [(b.lower, b.label) for b in reversed(SOP.predikat)]


def villages(count: int, invited: int, present: list[int]) -> list[tuple[str, int, int]]:
    return [(f"Desa {i + 1:02d}", invited, present[i]) for i in range(count)]


def ledger_rows() -> list[dict]:
    """Kasi Ekbang hands over; Sub. Evapor sends it back (the SOP's loop)."""
    first, second = SOP.signoffs[0], SOP.signoffs[1]
    back = next(d for d in second.decisions if d.returns_to)
    return [
        {"No": 1, "Langkah": first.label, "Peran": SOP.role(first.role).peran, "Keputusan": first.decisions[0].text},
        {"No": 2, "Langkah": second.label, "Peran": SOP.role(second.role).peran, "Keputusan": back.text},
    ]


@pytest.fixture(scope="module")
def cases(filled_inputs, make_workbook_inputs):
    """name -> inputs. Each case states what it is for."""
    realistic = copy.deepcopy(filled_inputs)
    realistic.rows[contract.PERSETUJUAN] = ledger_rows()
    return {
        "kosong": new_inputs(),
        "realistis": realistic,
        # 6 of 8 delegates from each of 15 villages: realisasi 75 against 90.
        "target_tidak_tercapai": make_workbook_inputs(villages(15, 8, [6] * 15), guests=4),
        # Lower is better: 9 % against a target of 8 % gives (2 - 9/8) x 100 = 87.5.
        "turun": make_workbook_inputs(villages(10, 10, [1] * 9 + [0]), target=8, arah="Turun"),
        # Band edges: exactly 91 is Sangat Tinggi, 90.5 is still Tinggi.
        "capaian_91": make_workbook_inputs(villages(10, 20, [18] * 9 + [20]), target=100),
        "capaian_90_5": make_workbook_inputs(villages(10, 20, [18] * 9 + [19]), target=100),
        "pita_terbalik": make_workbook_inputs(villages(10, 20, [18] * 9 + [19]), target=100, bands=REVERSED_BANDS),
    }


@pytest.fixture(scope="module")
def recalculated(cases, tmp_path_factory):
    """name -> (source path, LibreOffice's recalculated workbook)."""
    source_dir = tmp_path_factory.mktemp("sumber")
    sources = {
        name: save_workbook(source_dir / f"{name}.xlsx", inputs, created_at=CREATED) for name, inputs in cases.items()
    }
    profile = make_profile(tmp_path_factory.mktemp("profil-lo"))
    outputs, seconds = recalculate(list(sources.values()), tmp_path_factory.mktemp("hasil-lo"), profile)
    print(f"\nLibreOffice: {len(sources)} berkas dihitung ulang dalam {seconds:.1f} s")
    return {name: (path, outputs[path]) for name, path in sources.items()}


def expected_iku(inputs) -> iku.IkuFigures:
    invited = sum(int(r["Delegasi Diundang"]) for r in inputs.rows[contract.DESA])
    present = sum(
        1 for r in inputs.rows.get(contract.DAFTAR_HADIR, []) if str(r.get("Delegasi", "")).strip().casefold() == "ya"
    )
    bands = [Band(float(r["Batas Bawah"]), r["Predikat"]) for r in inputs.rows[contract.PREDIKAT]]
    return iku.compute(invited, present, inputs.values["iku_target"], inputs.values["iku_arah"], bands)


_loaded: dict = {}


def lo_values(recalculated, case) -> openpyxl.Workbook:
    """LibreOffice's results for a case, loaded once (tests only read them)."""
    output = recalculated[case][1]
    if output not in _loaded:
        _loaded[output] = cached(output)
    return _loaded[output]


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-12)


CASE_NAMES = ["kosong", "realistis", "target_tidak_tercapai", "turun", "capaian_91", "capaian_90_5", "pita_terbalik"]


# ---------------------------------------------------------------- the indicator
@pytest.mark.parametrize("case", CASE_NAMES)
def test_indicator_cells_show_what_the_validator_computes(recalculated, cases, case):
    wb = lo_values(recalculated, case)
    want = expected_iku(cases[case])
    got = {name: named_value(wb, name) for name in IKU_NAMES}
    assert got["iku_diundang"] == want.invited
    assert got["iku_hadir"] == want.present
    assert got["iku_realisasi"] == approx(want.realisasi)
    assert got["iku_capaian"] == approx(want.capaian)
    assert got["iku_predikat"] == want.predikat


def test_realistic_case_counts_every_spelling_of_ya_but_no_guest(recalculated, cases):
    rows = cases["realistis"].rows[contract.DAFTAR_HADIR]
    assert 95 <= len(rows) <= 120 and {" ya ", "YA", "Ya", "Tidak"} <= {r["Delegasi"] for r in rows}
    assert named_value(lo_values(recalculated, "realistis"), "iku_hadir") == expected_iku(cases["realistis"]).present


def test_a_missed_target_shows_capaian_below_100(recalculated, cases):
    want = expected_iku(cases["target_tidak_tercapai"])
    assert want.capaian < 100
    assert named_value(lo_values(recalculated, "target_tidak_tercapai"), "iku_capaian") == approx(want.capaian)


def test_a_turun_indicator_rewards_a_lower_realisasi(recalculated):
    wb = lo_values(recalculated, "turun")
    assert named_value(wb, "iku_realisasi") == approx(9.0)
    assert named_value(wb, "iku_capaian") == approx(87.5)


@pytest.mark.parametrize(
    ("case", "capaian", "predikat"),
    [
        ("capaian_91", 91.0, "Sangat Tinggi"),
        ("capaian_90_5", 90.5, "Tinggi"),
        ("pita_terbalik", 90.5, "Tinggi"),
    ],
)
def test_predikat_takes_the_band_at_or_below_the_unrounded_capaian(recalculated, case, capaian, predikat):
    wb = lo_values(recalculated, case)
    assert named_value(wb, "iku_capaian") == capaian
    assert named_value(wb, "iku_predikat") == predikat


@pytest.mark.parametrize("case", CASE_NAMES)
def test_rekap_rows_mirror_each_village_and_count_its_delegates(recalculated, cases, case):
    inputs = cases[case]
    ws = lo_values(recalculated, case)[contract.ANALISA_SHEET]
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[contract.REKAP_DESA].ref)
    got = [
        tuple(None if c.value == "" else c.value for c in row)
        for row in ws.iter_rows(min_row=min_row + 1, max_row=max_row, min_col=min_col, max_col=max_col)
    ]
    want = []
    for village in inputs.rows[contract.DESA]:
        name, invited = village["Desa/Kelurahan"], village["Delegasi Diundang"]
        present = sum(
            1
            for r in inputs.rows.get(contract.DAFTAR_HADIR, [])
            if r.get("Desa/Kelurahan") == name and r["Delegasi"].strip().casefold() == "ya"
        )
        want.append((name, invited, present, approx(iku.realisasi(present, invited))))
    want += [(None, None, None, None)] * (SOP.table(contract.REKAP_DESA).rows - len(want))
    assert got == want


# ---------------------------------------------------------------- status and checklists
def test_handover_checklist_ticks_what_is_complete(recalculated, cases):
    sheet = SOP.step_sheets(layout_module.handover_step(SOP))[0].name
    rows = {r.key: r.row for r in LAYOUT.sheet(sheet).rows if r.kind == "check"}
    filled = lo_values(recalculated, "realistis")[sheet]
    attendees = len(cases["realistis"].rows[contract.DAFTAR_HADIR])
    assert filled.cell(rows["hadir"], 2).value == f"✓ {attendees} baris terisi"
    assert filled.cell(rows["berita_acara"], 2).value.startswith("✓ 10 dari 10")
    assert filled.cell(rows["foto"], 2).value == "✓ 3 foto (minimal 3)"
    empty = lo_values(recalculated, "kosong")[sheet]
    assert all(empty.cell(row, 2).value.startswith("✗") for row in rows.values())


def test_attendance_rows_are_numbered_only_where_someone_is_listed(recalculated, cases):
    ws = lo_values(recalculated, "realistis")[contract.DAFTAR_HADIR_SHEET]
    min_col, min_row, _, max_row = range_boundaries(ws.tables[contract.DAFTAR_HADIR].ref)
    numbers = [ws.cell(r, min_col).value for r in range(min_row + 1, max_row + 1)]
    listed = len(cases["realistis"].rows[contract.DAFTAR_HADIR])
    assert numbers[:listed] == list(range(1, listed + 1))
    assert all(n in (None, "") for n in numbers[listed:])


def test_report_sheets_repeat_the_figures(recalculated):
    wb = lo_values(recalculated, "realistis")
    for step in layout_module.report_steps(SOP):
        for sheet in SOP.step_sheets(step):
            rows = {r.key: r.row for r in LAYOUT.sheet(sheet.name).rows if r.kind == "summary"}
            assert wb[sheet.name].cell(rows["iku_capaian"], 2).value == named_value(wb, "iku_capaian")
            assert wb[sheet.name].cell(rows["ref_kecamatan"], 2).value == "Sukamaju"


# ---------------------------------------------------------------- the file itself
def test_fresh_workbook_opens_and_libreoffice_really_recalculates(recalculated):
    source, output = recalculated["kosong"]
    before = openpyxl.load_workbook(source, data_only=True)
    assert named_value(before, "iku_diundang") is None  # openpyxl caches no formula results
    after = cached(output)
    assert named_value(after, "iku_diundang") == 0
    guide = openpyxl.load_workbook(source)[contract.PETUNJUK]
    (year,) = [c.coordinate for row in guide.iter_rows() for c in row if c.value == '="Tahun "&ref_tahun']
    assert after[contract.PETUNJUK][year].value == f"Tahun {dt.date.today().year}"


@pytest.mark.parametrize("case", ["kosong", "realistis"])
def test_libreoffice_keeps_every_table_and_name(recalculated, case):
    wb = openpyxl.load_workbook(recalculated[case][1])
    assert wb.sheetnames == [s.name for s in SOP.sheets]
    for t in SOP.tables:
        table = wb[t.sheet].tables[t.name]
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        assert [wb[t.sheet].cell(min_row, c).value for c in range(min_col, max_col + 1)] == list(t.headers)
        assert max_row - min_row == t.rows
    names = {n.name for n in SOP.names} | {contract.HASIL_RINGKASAN}
    names |= {lst.defined_name for lst in SOP.lists.values() if lst.source}
    assert names <= set(wb.defined_names)
    for n in SOP.names:
        ((sheet, _),) = list(wb.defined_names[n.name].destinations)
        assert sheet == n.sheet
