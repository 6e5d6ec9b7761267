"""DOMAIN.md's arithmetic, with its own worked examples; exact (D26) against an
independent computation in whole numbers; and the template's formulas computed in doubles
as Excel computes them. Boundaries in real workbooks: test_iku_boundaries.py."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kinerja.templates import formulas
from kinerja.validators.rules.indicator import cached_agrees

from kinerja.core import contract, iku, numbers, sop
from kinerja.core.formatting import format_number
from kinerja.core.sop import Band

BANDS = sop.load().predikat


def test_realisasi_is_present_over_invited_in_percent_points():
    assert iku.realisasi(63, 70) == 90


def test_realisasi_is_not_computable_without_invitations():
    assert iku.realisasi(5, 0) is None


def test_naik_capaian_is_realisasi_over_target():
    assert iku.capaian(81, 90, "Naik") == 90


@pytest.mark.parametrize(("realisasi", "target", "expected"), [(6.5, 7, Fraction(750, 7)), (9, 8, Fraction(175, 2))])
def test_turun_capaian_follows_the_domain_examples(realisasi, target, expected):
    assert iku.capaian(realisasi, target, "Turun") == expected  # 107.142857…, 87.5


@pytest.mark.parametrize(
    ("capaian", "predikat"),
    [
        (91, "Sangat Tinggi"),
        (90.5, "Tinggi"),
        (76, "Tinggi"),
        (75.99, "Sedang"),
        (66, "Sedang"),
        (51, "Rendah"),
        (50.9, "Sangat Rendah"),
        (0, "Sangat Rendah"),
        (130, "Sangat Tinggi"),
    ],
)
def test_predikat_takes_the_band_at_or_below_the_unrounded_capaian(capaian, predikat):
    assert iku.predikat(capaian, BANDS) == predikat


def test_predikat_ignores_the_order_bands_are_listed_in():
    assert iku.predikat(80, list(reversed(BANDS))) == "Tinggi"


# ---------------------------------------------------------------- exact, shown rounded
def test_a_cell_number_means_the_decimal_typed_not_the_binary_double():
    assert numbers.exact(90.1) == Fraction(901, 10) != Fraction(90.1)
    assert numbers.exact(0.1 + 0.2) == Fraction(3, 10)  # 15 significant digits (D15)


def test_57_of_100_delegates_against_75_is_exactly_76_and_tinggi():
    assert 57 / 100 * 100 / 75 * 100 < 76  # what floating point made of it
    figures = iku.compute(100, 57, 75.0, contract.NAIK, BANDS)
    assert (figures.capaian, figures.predikat) == (76, "Tinggi")


def test_figures_are_rounded_only_where_shown_half_away_from_zero_as_excel_shows_them():
    figures = iku.compute(80, 57, 81.0, contract.NAIK, BANDS)  # realisasi 71.25, capaian 87.962962…
    assert figures.to_json() == {
        "invited": 80,
        "present": 57,
        "realisasi": 71.25,
        "capaian": 87.963,
        "predikat": "Tinggi",
    }
    assert format_number(figures.capaian) == "87,96"
    assert format_number(Fraction(87125, 1000), "en") == "87.13"  # f"{87.125:.2f}" is 87.12
    assert format_number(Fraction(-1, 1000)) == "0"  # never "-0"
    assert format_number(Fraction(76)) == "76"


# ---------------------------------------------------------------- properties
ARAH = st.sampled_from([contract.NAIK, contract.TURUN, "Datar"])
# A target as typed: t / 10^k with up to 4 decimals, above 1 (D13) and at most 100.
TARGETS = st.integers(0, 4).flatmap(lambda k: st.tuples(st.integers(10**k + 1, 100 * 10**k), st.just(k)))


def thousandths(bound: tuple[int, int]) -> int:
    b, m = bound
    return b * 10 ** (3 - m)


# Bands as typed: lower bounds b / 10^m, no two alike, each with its own label.
BAND_BOUNDS = st.lists(st.tuples(st.integers(0, 200_000), st.integers(0, 3)), max_size=6, unique_by=thousandths)


def as_bands(bounds: list[tuple[int, int]]) -> list[Band]:
    return [Band(b / 10**m, f"P{i}") for i, (b, m) in enumerate(bounds)]


@given(invited=st.integers(1, 10_000), share=st.fractions(0, 2), target=TARGETS, arah=ARAH, bounds=BAND_BOUNDS)
def test_figures_equal_an_exact_computation_in_whole_numbers(invited, share, target, arah, bounds):
    present = int(invited * share)  # more present than invited can happen (no cap, D13)
    t, k = target
    figures = iku.compute(invited, present, t / 10**k, arah, as_bands(bounds))
    r = figures.realisasi
    assert r.numerator * invited == 100 * present * r.denominator
    # capaian = num / den: Naik 10^4·present / (invited·target), Turun 200 minus that
    den = invited * t
    num = {contract.NAIK: 10**4 * present * 10**k, contract.TURUN: 200 * den - 10**4 * present * 10**k}.get(arah)
    if num is None:
        assert (figures.capaian, figures.predikat) == (None, None)
        return
    c = figures.capaian
    assert c.numerator * den == num * c.denominator
    fitting = [(thousandths((b, m)), i) for i, (b, m) in enumerate(bounds) if b * den <= num * 10**m]
    assert figures.predikat == (f"P{max(fitting)[1]}" if fitting else None)
    q = (2 * abs(num) * 10**4 + den) // (2 * den)  # 4 decimals, half away from zero
    assert figures.to_json()["capaian"] == float(f"{'-' if num < 0 else ''}{q}e-4")


@given(bounds=BAND_BOUNDS, low=st.fractions(-10, 300, max_denominator=10**6), rise=st.fractions(0, 100))
def test_a_higher_capaian_never_gets_a_lower_band(bounds, low, rise):
    bands = as_bands(bounds)
    rank = {b.label: numbers.exact(b.lower) for b in bands} | {None: Fraction(-1)}
    assert rank[iku.predikat(low, bands)] <= rank[iku.predikat(low + rise, bands)]


@given(invited=st.integers(1, 2_000), share=st.fractions(0, 1), target=TARGETS)
def test_one_more_delegate_never_lowers_a_naik_band_nor_raises_a_turun_band(invited, share, target):
    present, (t, k) = int(invited * share), target
    rank = {b.label: b.lower for b in BANDS} | {None: -1}

    def band(n: int, arah: str) -> float:
        return rank[iku.compute(invited, n, t / 10**k, arah, BANDS).predikat]

    assert band(present, contract.NAIK) <= band(present + 1, contract.NAIK)
    assert band(present, contract.TURUN) >= band(present + 1, contract.TURUN)


# ---------------------------------------------------------------- the formulas in doubles
def excel_round(x: float, digits: int) -> float:
    """Excel's ROUND: half away from zero, on the decimal the double shows."""
    return float(Decimal(repr(x)).quantize(Decimal(10) ** -digits, rounding=ROUND_HALF_UP))


FUNCTIONS = {
    "IF": lambda test, yes, no="": yes if test else no,
    "OR": lambda *tests: any(tests),
    "NOT": lambda test: not test,
    "ISNUMBER": lambda x: isinstance(x, float),
    "N": lambda x: x if isinstance(x, float) else 0.0,
    "ROUND": excel_round,
}


def in_doubles(formula: str, **names: object) -> object:
    """A template formula computed as Excel computes + - * /: in IEEE 754 doubles, each
    operation rounded, which is what Python floats do. Only the functions the two IKU
    figures use; IF evaluates both branches, so only inputs both branches survive."""
    expression = re.sub(r"(?<![<>!])=", "==", formula.removeprefix("=").replace("<>", "!="))
    return eval(expression, {"__builtins__": {}}, FUNCTIONS | names)


FORMULAS = formulas.iku(contract.definition())


def excel_figures(invited: int, present: int, target: float, arah: str) -> tuple[object, object]:
    cells = {"iku_diundang": float(invited), "iku_hadir": float(present), "iku_target": target, "iku_arah": arah}
    realisasi = in_doubles(FORMULAS["iku_realisasi"], **cells)
    return realisasi, in_doubles(FORMULAS["iku_capaian"], iku_realisasi=realisasi, **cells)


@given(invited=st.integers(1, 10_000), share=st.fractions(0, 2), target=TARGETS, arah=ARAH)
def test_the_formulas_give_the_double_nearest_the_exact_figure(invited, share, target, arah):
    present, (t, k) = int(invited * share), target
    figures = iku.compute(invited, present, t / 10**k, arah, BANDS)
    realisasi, capaian = excel_figures(invited, present, t / 10**k, arah)
    assert realisasi == float(figures.realisasi)
    assert capaian == ("" if figures.capaian is None else float(figures.capaian))


def test_the_formulas_hit_a_boundary_the_old_ones_missed():
    assert excel_figures(100, 57, 75.0, contract.NAIK)[1] == 76.0
    assert 161 * 10**4 / (250 * 64.4) < 100  # one division, the target unscaled
    assert excel_figures(250, 161, 64.4, contract.NAIK)[1] == 100.0


@given(invited=st.integers(1, 10_000), share=st.fractions(0, 2), target=st.floats(1.01, 100), arah=ARAH)
def test_a_target_with_many_decimals_stays_within_what_the_validator_accepts(invited, share, target, arah):
    present = int(invited * share)
    figures = iku.compute(invited, present, target, arah, BANDS)
    _, capaian = excel_figures(invited, present, target, arah)
    if figures.capaian is None:
        assert capaian == ""
    else:
        assert cached_agrees(capaian, figures.capaian)
