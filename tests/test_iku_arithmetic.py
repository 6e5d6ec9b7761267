"""DOMAIN.md's arithmetic, with its own worked examples."""

import pytest

from kinerja.core import iku, sop

BANDS = sop.load().predikat


def test_realisasi_is_present_over_invited_in_percent_points():
    assert iku.realisasi(63, 70) == pytest.approx(90.0)


def test_realisasi_is_not_computable_without_invitations():
    assert iku.realisasi(5, 0) is None


def test_naik_capaian_is_realisasi_over_target():
    assert iku.capaian(81, 90, "Naik") == pytest.approx(90.0)


@pytest.mark.parametrize(("realisasi", "target", "expected"), [(6.5, 7, 107.142857), (9, 8, 87.5)])
def test_turun_capaian_follows_the_domain_examples(realisasi, target, expected):
    assert iku.capaian(realisasi, target, "Turun") == pytest.approx(expected)


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
