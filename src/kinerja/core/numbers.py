"""Numbers as the office means them: the decimal a cell shows, held exactly.

A spreadsheet cell holds a binary double: 90.1 typed in Excel is stored as
90.0999999999999943… . Excel shows, and lets people type, 15 significant digits, so a
cell number *is* its 15-significant-digit decimal (D15): 90.1 means 901/10. The IKU is
computed on those exact values with ``fractions.Fraction`` (D26), so a capaian exactly on
a band's lower bound, or exactly 100, is on it, not 75.99999… one band lower; figures are
rounded only when shown. This is the one canonical number form: the ledger's content
digest takes :func:`cell_decimal` too.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

SIGNIFICANT_DIGITS = 15  # what Excel keeps of a typed number, and what LibreOffice stores

# A number a figure is computed from: a count (int), a cell value (float), or a figure
# already exact (Fraction).
Number = int | float | Fraction


def cell_decimal(value: float) -> Decimal:
    """The decimal a cell number stands for, to 15 significant digits: 90.1 → 90.1."""
    if not math.isfinite(value):
        raise ValueError(f"not a cell number: {value!r}")
    return Decimal(f"{value:.{SIGNIFICANT_DIGITS}g}")


def exact(value: Number) -> Fraction:
    """A count, a cell number or an exact figure as a Fraction. A float is read as the
    decimal it stands for (:func:`cell_decimal`), never as the binary double it is."""
    if isinstance(value, bool):
        raise TypeError("a truth value is not a number")
    if isinstance(value, float):
        return Fraction(cell_decimal(value))
    if isinstance(value, int | Fraction):
        return Fraction(value)
    raise TypeError(f"not a number: {value!r}")


def rounded(value: Fraction, places: int) -> Decimal:
    """Rounded to ``places`` decimals, half away from zero as Excel's ROUND and its number
    formats do (87.125 → 87.13), so a figure reads as the workbook shows it."""
    whole = math.floor(abs(value) * 10**places + Fraction(1, 2))
    sign = "-" if value < 0 and whole else ""
    return Decimal(f"{sign}{whole}E-{places}")  # built from text: exact at any size


def cell_text(value: int | float) -> str:
    """A cell number as canonical text, the form the ledger's digest signs: 3.0 → '3',
    0.1 + 0.2 → '0.3', 90.1 → '90.1' (its :func:`cell_decimal`, without exponent or
    trailing zeros). Integers are read to 15 digits too: Excel keeps no more."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    text = format(cell_decimal(float(value)).normalize(), "f")
    return "0" if text == "-0" else text
