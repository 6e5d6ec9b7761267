"""The plain-Python column checks (validators/checks.py, what the command line runs) find
exactly what the pandera schemas (validators/schemas.py, their reference) find: on the
demo's own tables with planted defects, and on generated tables of every promise."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from kinerja.validators import checks, engine, schemas
from kinerja.validators.context import Context

from kinerja.core import contract
from kinerja.core.sop import RequiredWhen
from kinerja.xlsx.reader import read_workbook


def both(specs, rows):
    keys = [s.key for s in specs]
    reference = schemas.failures(schemas.build_schema(tuple(specs)), schemas.frame(rows, keys))
    return sorted(reference, key=repr), sorted(checks.failures(specs, rows), key=repr)


def test_the_demo_tables_with_planted_defects_fail_the_same_way_in_both(book):
    book.set(contract.DAFTAR_HADIR, "Delegasi", 3, "Mungkin")  # not in the list
    book.set(contract.DAFTAR_HADIR, "Nama", 4, None)  # required, empty
    book.set(contract.DAFTAR_HADIR, "Nama", 6, book.cell(contract.DAFTAR_HADIR, "Nama", 5).value)  # twice
    book.set(contract.DESA, "Delegasi Diundang", 2, 0)  # below its minimum
    book.set(contract.DESA, "Desa/Kelurahan", 3, book.cell(contract.DESA, "Desa/Kelurahan", 1).value)
    ctx = Context(contract.definition(), read_workbook(book.save()))
    list(engine._convert_names(ctx))
    list(engine._convert_tables(ctx))
    compared = 0
    for spec in engine._checked_tables(ctx.sop):
        fields = [engine._column_spec(ctx, c) for c in spec.input_columns]
        rows = [(r.row, r.values) for r in ctx.rows[spec.name]]
        reference, ours = both(fields, rows)
        assert ours == reference, spec.name
        compared += len(reference)
    assert compared >= 5


VALUES = st.one_of(
    st.none(),
    st.sampled_from(["Ya", "Tidak", "Desa", "x", " ", ""]),
    st.integers(-3, 12),
    st.floats(-3, 12, allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"a": VALUES, "b": st.sampled_from(["Ya", "Tidak", None]), "c": st.integers(-2, 9) | st.none()}
        ),
        max_size=12,
    ),
    required=st.booleans(),
    unique=st.booleans(),
)
def test_generated_tables_fail_the_same_way_in_both(rows, required, unique):
    specs = [
        checks.FieldSpec("a", required=required, unique=unique),
        checks.FieldSpec("b", choices=("Ya", "Tidak"), required=required),
        checks.FieldSpec("c", min=0, max=5, unique=unique, required_when=RequiredWhen("b", "Ya")),
    ]
    numbered = [(row + 8, values) for row, values in enumerate(rows)]
    reference, ours = both(specs, numbered)
    assert ours == reference


def test_dates_and_lists_of_choices_fail_the_same_way_in_both():
    specs = [checks.FieldSpec("d", required=True, unique=True), checks.FieldSpec("k", choices=("Desa", "Kelurahan"))]
    day = dt.date(2026, 2, 12)
    rows = [(5, {"d": day, "k": "Desa"}), (6, {"d": day, "k": "desa"}), (7, {"d": None, "k": None})]
    reference, ours = both(specs, rows)
    assert ours == reference and len(ours) == 4
