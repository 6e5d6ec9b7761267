"""The ledger's content digest, as properties (hypothesis): what an honest re-save does to
values never changes it; any change of a signed input does — a value, a row's place, a
picture — and `Sidik Kunci` never counts. Run on the demo workbook's own model."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kinerja.core import contract
from kinerja.core.digest import canonical, content_digest, sections
from kinerja.core.model import Picture, TableRow
from kinerja.xlsx.reader import read_workbook

SOP = contract.definition()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def model(demo_workbook):
    return read_workbook(demo_workbook)


def digest(model) -> str:
    return content_digest({sheet: s.digest for sheet, s in sections(model, SOP).items()})


def signed_cells(model) -> list[tuple[str, int, str]]:
    """(table, row index, header) of every filled signed cell of the input tables."""
    out = []
    for spec in SOP.tables:
        if spec.kind != "input":
            continue
        table = model.tables[spec.name]
        for i, row in enumerate(table.rows):
            for column in spec.input_columns:
                if column.signed and row.values.get(column.header) is not None:
                    out.append((spec.name, i, column.header))
    return out


def with_value(model, table: str, index: int, header: str, value):
    changed = copy.deepcopy(model)
    rows = changed.tables[table].rows
    rows[index] = TableRow(rows[index].row, {**rows[index].values, header: value})
    return fresh(changed, table)


def fresh(model, table: str):
    """A model is read once and never changed in the product; a test that changes one
    forgets what its table remembered (Table.filled)."""
    model.tables[table]._filled.clear()
    return model


# ---------------------------------------------------------------------- honest re-saves
@st.composite
def resaved_number(draw, value: float):
    """What another program may store for the same number: 15 significant digits, an int."""
    text = f"{value:.15g}"
    return draw(st.sampled_from([float(text), value, int(value) if float(value).is_integer() else value]))


@SETTINGS
@given(data=st.data())
def test_an_honest_resave_of_any_value_keeps_the_digest(model, data):
    cells = signed_cells(model)
    table, index, header = data.draw(st.sampled_from(cells))
    value = model.tables[table].rows[index].values[header]
    if isinstance(value, float | int) and not isinstance(value, bool):
        resaved = data.draw(resaved_number(float(value)))
    elif isinstance(value, str):
        resaved = data.draw(st.sampled_from([f" {value}", f"{value}  ", value]))
    elif isinstance(value, dt.datetime):
        resaved = value + dt.timedelta(microseconds=data.draw(st.integers(-400_000, 400_000)))
    elif isinstance(value, dt.date):
        resaved = dt.datetime.combine(value, dt.time(0, 0))
    else:
        resaved = value
    assert digest(with_value(model, table, index, header, resaved)) == digest(model)


@SETTINGS
@given(seconds=st.integers(0, 86_399), noise=st.integers(-400_000, 400_000))
def test_a_time_read_with_floating_point_noise_is_the_same_time(seconds, noise):
    moment = dt.datetime(2026, 2, 12) + dt.timedelta(seconds=seconds)
    assume(0 <= seconds * 1_000_000 + noise < 86_400_000_000)
    noisy = (moment + dt.timedelta(microseconds=noise)).time()
    assert canonical(noisy) == canonical(moment.time())


# ---------------------------------------------------------------------- changes
@SETTINGS
@given(data=st.data())
def test_any_change_of_a_signed_value_changes_the_digest(model, data):
    table, index, header = data.draw(st.sampled_from(signed_cells(model)))
    old = model.tables[table].rows[index].values[header]
    new = data.draw(st.one_of(st.text(min_size=1).filter(lambda t: t.strip()), st.integers(-(10**6), 10**6), st.none()))
    assume(canonical(new) != canonical(old))
    assert digest(with_value(model, table, index, header, new)) != digest(model)


@SETTINGS
@given(data=st.data())
def test_swapping_two_different_rows_changes_the_digest(model, data):
    table = data.draw(st.sampled_from([contract.DAFTAR_HADIR, contract.DESA, contract.FOTO]))
    spec = SOP.table(table)
    filled = [
        i for i, r in enumerate(model.tables[table].rows) if not r.is_blank(tuple(c.header for c in spec.input_columns))
    ]
    a, b = data.draw(st.lists(st.sampled_from(filled), min_size=2, max_size=2, unique=True))
    changed = copy.deepcopy(model)
    rows = changed.tables[table].rows
    signed = [c.header for c in spec.input_columns if c.signed]
    assume(any(canonical(rows[a].values.get(h)) != canonical(rows[b].values.get(h)) for h in signed))
    rows[a], rows[b] = TableRow(rows[a].row, rows[b].values), TableRow(rows[b].row, rows[a].values)
    assert digest(fresh(changed, table)) != digest(model)


def test_a_different_picture_changes_the_digest_and_only_its_sheet(model):
    changed = copy.deepcopy(model)
    index = next(i for i, p in enumerate(changed.pictures) if p.sheet == contract.FOTO_SHEET)
    first = changed.pictures[index]
    changed.pictures[index] = Picture(first.sheet, first.row, first.col, first.data + b"\x00", first.name)
    before, after = sections(model, SOP), sections(changed, SOP)
    assert {s for s in before if before[s].digest != after[s].digest} == {first.sheet}


@SETTINGS
@given(fingerprint=st.text(alphabet="0123456789ABCDEF- ", max_size=30))
def test_a_key_fingerprint_is_never_signed_content(model, fingerprint):
    assert digest(with_value(model, contract.PEJABAT, 0, contract.P_SIDIK_KUNCI, fingerprint)) == digest(model)
