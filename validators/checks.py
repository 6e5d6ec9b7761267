"""What a column promises, checked over converted rows in plain Python: required, one of
its list, within its bounds, unique, required when another column says so.

The same checks as the pandera schemas in ``schemas.py``, which stay their reference
(the specification a reader recognises, one ``pa.Column`` per promise): a test runs both
on the demo and on generated tables and requires the same failures, row for row. The
command line runs these instead because the dataframe stack costs more than the whole
budget of a cold `kinerja validate` (D24, measured in docs/BENCHMARKS.md: `import
pandera.pandas` 0.86 s of CPU, `pandera.polars` 0.62 s, these checks and everything
else of a validation about 0.3 s) and 60 MB of memory in every worker of `kinerja rekap`.

pandera's semantics, kept: checks other than "required" ignore empty values; a duplicate
is reported at every row that holds it (the engine names the first); failures come column
by column in row order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kinerja.core.sop import RequiredWhen

Kind = Literal["empty", "choice", "min", "max", "duplicate", "required_when"]


@dataclass(frozen=True)
class FieldSpec:
    """What one column (or one named cell) promises, independent of where it lives."""

    key: str  # column header, or defined name
    required: bool = False
    choices: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    unique: bool = False
    required_when: RequiredWhen | None = None


@dataclass(frozen=True)
class Failure:
    key: str
    index: int  # the Excel row for tables; 0 for the names frame
    kind: Kind
    value: Any = None


Rows = Sequence[tuple[int, dict[str, Any]]]


def is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def failures(specs: Sequence[FieldSpec], rows: Rows) -> list[Failure]:
    if not rows:
        return []
    out: list[Failure] = []
    for spec in specs:
        if spec.required_when:
            when = spec.required_when
            out += [
                Failure(spec.key, index, "required_when")
                for index, values in rows
                if values.get(when.column) == when.equals and is_null(values.get(spec.key))
            ]
    for spec in specs:
        out += _column(spec, [(index, values.get(spec.key)) for index, values in rows])
    return out


def _column(spec: FieldSpec, cells: list[tuple[int, Any]]) -> list[Failure]:
    out: list[Failure] = []
    # is_null, inlined: this runs once per cell of every checked column
    filled = [(i, v) for i, v in cells if v is not None and not (type(v) is float and v != v)]
    if spec.required and len(filled) < len(cells):
        kept = {i for i, _ in filled}
        out += [Failure(spec.key, i, "empty", None) for i, _ in cells if i not in kept]
    if spec.unique:
        seen: dict[Any, int] = {}
        for _, v in filled:
            seen[_hashable(v)] = seen.get(_hashable(v), 0) + 1
        out += [Failure(spec.key, i, "duplicate", v) for i, v in filled if seen[_hashable(v)] > 1]
    if spec.choices is not None:
        allowed = set(spec.choices)
        out += [Failure(spec.key, i, "choice", v) for i, v in filled if _hashable(v) not in allowed]
    for kind, bound in (("min", spec.min), ("max", spec.max)):
        if bound is not None:
            out += [Failure(spec.key, i, kind, v) for i, v in filled if _outside(v, bound, kind)]
    return out


def _outside(value: Any, bound: float, kind: str) -> bool:
    try:
        return value < bound if kind == "min" else value > bound
    except TypeError:  # a value of another type was refused by conversion already
        return False


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
