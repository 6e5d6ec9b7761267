"""pandera schemas, one per Excel table (and one for the single-value names), built from
the SOP definition so that a column added there is checked here without new code.

The reference for ``checks.py``, which runs the same checks without a dataframe library
for the command line (D24's cold start; why in checks.py): tests/test_checks_agree.py
requires both to find the same failures. pandas and pandera come with the ``pandera``
extra (and the test extra).

Cells arrive already converted (convert.py); the schemas check what a column promises:
required, one of its list, within its bounds, unique, required when another column says
so. pandera runs lazily, so every failure is collected; each failure comes back as a
:class:`Failure` (column, Excel row, kind) that the engine turns into a finding at its
cell. Users never see pandera's own text (as pyxform rewrites its validator's output).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
from kinerja.validators.checks import Failure, FieldSpec, Kind  # noqa: F401 - one definition, shared
from pandera.errors import SchemaErrors

from kinerja.core.sop import RequiredWhen

_KIND_BY_CHECK = (
    ("not_nullable", "empty"),
    ("isin", "choice"),
    ("greater_than_or_equal_to", "min"),
    ("less_than_or_equal_to", "max"),
    ("field_uniqueness", "duplicate"),
)
_REQUIRED_WHEN = "required_when:"


@lru_cache(maxsize=64)
def build_schema(specs: tuple[FieldSpec, ...]) -> pa.DataFrameSchema:
    """Cached: the same table with the same lists gets the same schema on every run."""
    columns = {s.key: pa.Column(nullable=not s.required, unique=s.unique, checks=_checks(s)) for s in specs}
    frame_checks = [_required_when_check(s.key, s.required_when) for s in specs if s.required_when]
    return pa.DataFrameSchema(columns, checks=frame_checks, coerce=False, strict=False)


def _checks(spec: FieldSpec) -> list[pa.Check]:
    checks = []
    if spec.choices is not None:
        checks.append(pa.Check.isin(list(spec.choices)))
    if spec.min is not None:
        checks.append(pa.Check.ge(spec.min))
    if spec.max is not None:
        checks.append(pa.Check.le(spec.max))
    return checks


def _required_when_check(key: str, when: RequiredWhen) -> pa.Check:
    def holds(df: pd.DataFrame) -> pd.Series:
        return ~((df[when.column] == when.equals) & df[key].isna())

    return pa.Check(holds, name=_REQUIRED_WHEN + key)


def frame(rows: Sequence[tuple[int, dict[str, Any]]], keys: Sequence[str]) -> pd.DataFrame:
    """Converted values as a frame indexed by Excel row; object dtype keeps each value as
    converted (a date stays a date, "007" stays text)."""
    data = {k: [values.get(k) for _, values in rows] for k in keys}
    return pd.DataFrame(data, index=[r for r, _ in rows], dtype=object)


def failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> list[Failure]:
    if df.empty:
        return []
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        return _to_failures(exc.failure_cases)
    return []


def _to_failures(cases: pd.DataFrame) -> list[Failure]:
    out: list[Failure] = []
    seen_required_when: set[tuple[str, int]] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check.startswith(_REQUIRED_WHEN):
            key = check[len(_REQUIRED_WHEN) :]
            if (key, case.index) not in seen_required_when:
                seen_required_when.add((key, case.index))
                out.append(Failure(key, int(case.index), "required_when"))
            continue
        kind = next((k for prefix, k in _KIND_BY_CHECK if check.startswith(prefix)), None)
        if kind is None or case.index is None:
            continue  # a check we did not declare (dtype, column presence): not ours to report
        out.append(Failure(str(case.column), int(case.index), kind, case.failure_case))
    return out
