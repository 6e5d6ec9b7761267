"""NIP rules (Perka BKN 22/2007) and PPPK numbers, as a user would type them."""

import datetime as dt

import pytest

from kinerja.core.nip import problems

TODAY = dt.date(2026, 11, 27)


def codes(text):
    return [p.code for p in problems(text, TODAY)]


@pytest.mark.parametrize("nip", ["19700303 199703 1 008", "197003031997031008", "19851231 201001 2 003"])
def test_a_real_pns_nip_with_or_without_spaces_passes(nip):
    assert codes(nip) == []


def test_a_pppk_number_is_recognised_before_the_pns_rule():
    assert codes("200012312024211001") == []


def test_seventeen_digits_is_a_format_error_naming_the_count():
    (p,) = problems("19700303 199703 1 00", TODAY)
    assert p.code == "NIP_FORMAT" and p.params["digits"] == 17


def test_an_impossible_birth_date_is_reported():
    assert codes("19700230 199703 1 008") == ["NIP_TANGGAL_LAHIR"]


def test_an_appointment_month_13_is_reported():
    assert codes("19700303 199713 1 008") == ["NIP_TMT"]


def test_an_appointment_before_eighteen_is_reported():
    assert codes("19700303 198503 1 008") == ["NIP_TMT_MUDA"]


def test_a_sex_digit_other_than_1_or_2_is_reported():
    assert codes("19700303 199703 3 008") == ["NIP_JENIS_KELAMIN"]


def test_a_pppk_number_before_2019_is_reported():
    assert codes("200012312015211001") == ["NIP_PPPK_TAHUN"]
