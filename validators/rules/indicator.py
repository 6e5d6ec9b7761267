"""The IKU's own inputs and the figures Excel shows (SOP step 3)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.findings import Finding, not_computable
from kinerja.core.numbers import exact


def villages_are_invited(ctx: Context) -> Iterator[Finding]:
    if not ctx.rows[contract.DESA]:
        yield ctx.at_header("IKU_DIUNDANG_NOL", contract.DESA, "Delegasi Diundang")


# What each figure is computed from: a refused cell among them already has its finding,
# and Excel's formula reads such a cell differently (SUM counts 4.5, we refuse it), so
# the figure's cached value is not compared then.
_INVITED = ((contract.DESA, "Delegasi Diundang"),)
_PRESENT = ((contract.DAFTAR_HADIR, "Delegasi"),)
_BANDS = ((contract.PREDIKAT, "Batas Bawah"), (contract.PREDIKAT, "Predikat"))
_TARGET = ("iku_target", "iku_arah")
DEPENDS_ON = {
    "iku_diundang": (_INVITED, ()),
    "iku_hadir": (_PRESENT, ()),
    "iku_realisasi": (_INVITED + _PRESENT, ()),
    "iku_capaian": (_INVITED + _PRESENT, _TARGET),
    "iku_predikat": (_INVITED + _PRESENT + _BANDS, _TARGET),
}


def cached_figures_agree(ctx: Context) -> Iterator[Finding]:
    """Excel's formula cells are a convenience; where what they show differs from the
    figure computed here, the sheet was not recalculated or its formula was overwritten."""
    if ctx.iku is None:
        return
    computed = {
        "iku_diundang": ctx.iku.invited,
        "iku_hadir": ctx.iku.present,
        "iku_realisasi": ctx.iku.realisasi,
        "iku_capaian": ctx.iku.capaian,
        "iku_predikat": ctx.iku.predikat,
    }
    for name, value in computed.items():
        spec = ctx.sop.name(name)
        shown = ctx.model.names[name].value
        if shown is None or _same(shown, value):
            continue  # no cached value (a file saved by openpyxl) says nothing
        columns, names = DEPENDS_ON[name]
        if any(ctx.column_failed(t, h) for t, h in columns) or any(ctx.name_failed(n) for n in names):
            continue
        yield ctx.at_name(
            "IKU_RUMUS_BEDA",
            name,
            label=spec.label,
            shown=shown,
            computed=value if value is not None else not_computable(),
        )


# A cached number is a double: Excel writes it with up to 17 significant digits,
# LibreOffice with 15 (off by up to 5e-15 of the value), and a formula from an earlier
# template, or one whose target has more than 4 decimals, is a few units off in its last
# place. Within 1e-13 of the exact figure (of 100 for a figure near zero: these are
# percent points) it is that figure; a stale value or one typed over the formula is off by
# far more, and a capaian that lands on the wrong side of a band's bound shows in
# iku_predikat, which is compared as text.
AGREE = Fraction(1, 10**13)


def cached_agrees(shown: float, figure: int | Fraction) -> bool:
    """Whether a cached formula value shows the exact figure, as far as a double can."""
    return abs(exact(shown) - figure) <= AGREE * max(abs(figure), 100)


def _same(shown: object, value: object) -> bool:
    if _is_number(shown) and isinstance(value, int | Fraction) and not isinstance(value, bool):
        return cached_agrees(shown, value)
    if isinstance(shown, str) and value is None:
        return not shown.strip()
    return shown == value


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
