"""The indicator's arithmetic (DOMAIN.md), done in Python from input cells.

Excel's formulas on sheet 3 compute the same figures for people to watch while they
type; the validator trusts only these functions and reports where a cached formula
value disagrees.

Every figure is exact (D26): cell numbers are read as the decimals they stand for
(:mod:`kinerja.core.numbers`) and divided as fractions, so 57 of 100 delegates against a
target of 75 is a capaian of exactly 76 (Tinggi), where floating point gives 75.99999999999999
(Sedang), and an exactly met target is met. Figures are rounded only when shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kinerja.core.contract import NAIK, TURUN
from kinerja.core.findings import IkuFigures
from kinerja.core.numbers import Number, exact
from kinerja.core.sop import Band


def target_problem(target: Number) -> str | None:
    """Why a target cannot be the one meant (D13), or None: "not_positive" (a target of 0
    or less measures nothing) or "percent" (at most 1: typed as 90%, which Excel stores as
    0.9). The validator and `kinerja new --target` refuse the same values."""
    if target <= 0:
        return "not_positive"
    if target <= 1:
        return "percent"
    return None


def realisasi(present: Number | None, invited: Number | None) -> Fraction | None:
    """Delegates present ÷ delegates invited × 100 (percent points)."""
    if present is None or invited is None or invited <= 0:
        return None
    return exact(present) * 100 / exact(invited)


def capaian(realisasi_pct: Number | None, target: Number | None, arah: str | None) -> Fraction | None:
    """Achievement against the target, percent points.

    Naik (higher is better): realisasi ÷ target × 100.
    Turun (lower is better): (1 + (1 − realisasi ÷ target)) × 100,
    e.g. 6.5 against 7 → 107.1; 9 against 8 → 87.5.
    """
    if realisasi_pct is None or target is None or target <= 0 or arah not in (NAIK, TURUN):
        return None
    ratio = exact(realisasi_pct) / exact(target)
    return ratio * 100 if arah == NAIK else (2 - ratio) * 100


def predikat(capaian_pct: Number | None, bands: Sequence[Band]) -> str | None:
    """The band with the largest lower bound ≤ the unrounded capaian (Permendagri 86/2017
    ordinal scale): 90.5 is Tinggi, not Sangat Tinggi, with the default bands; exactly
    76 is Tinggi."""
    if capaian_pct is None:
        return None
    value = exact(capaian_pct)
    fitting = [b for b in bands if exact(b.lower) <= value]
    if not fitting:
        return None
    return max(fitting, key=lambda b: exact(b.lower)).label


def compute(
    invited: int | None, present: int | None, target: Number | None, arah: str | None, bands: Sequence[Band]
) -> IkuFigures:
    r = realisasi(present, invited)
    c = capaian(r, target, arah)
    return IkuFigures(
        invited=invited,
        present=present,
        realisasi=r,
        capaian=c,
        predikat=predikat(c, bands),
        target=None if target is None else float(target),
        arah=arah,
    )
