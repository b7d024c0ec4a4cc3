"""Achievement (SPEC 2.4): hand-worked cases and properties."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spm_xl.engine import achievement, category, region_index, round_half_up
from spm_xl.records import BUTUH, default_settings

S = default_settings()
B = BUTUH


def m(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int8).reshape(len(rows), -1 if rows else 3)


def test_hand_worked_items_delivered_in_different_quarters() -> None:
    # 3 recipients, 5 needed pairs; row 3 is empty and not a recipient
    a = achievement("K1", m([[1, 2, 0], [B, 1, 0], [0, 0, 0], [3, 0, 0]]), S)
    assert a.sasaran == 3 and a.pasangan_butuh == 5
    assert a.terlayani == (0, 1, 2, 2)  # row 1 done at TW2, row 4 at TW3, row 2 never
    assert a.pasangan_terpenuhi == (2, 3, 4, 4)
    assert a.persen_penerima[1] == Fraction(100, 3)
    assert a.persen_mutu[2] == 80
    # index TW3 = 0.8 * 66.67 + 0.2 * 80 = 69.33 -> Tuntas Muda
    assert round_half_up(a.indeks[2]) == Decimal("69.33")
    assert a.kategori == ("Belum Tuntas", "Belum Tuntas", "Tuntas Muda", "Tuntas Muda")


def test_recipient_with_only_butuh_is_counted_but_never_served() -> None:
    a = achievement("K2", m([[B, B]]), S)
    assert a.sasaran == 1 and a.terlayani == (0, 0, 0, 0)
    assert a.persen_mutu == (0, 0, 0, 0) and a.kategori[3] == "Belum Tuntas"


def test_everything_delivered_in_tw1_is_tuntas_paripurna() -> None:
    a = achievement("K3", m([[1, 1], [1, 0]]), S)
    assert a.indeks == (100, 100, 100, 100) and a.kategori[0] == "Tuntas Paripurna"


def test_zero_target_is_null_and_left_out_of_the_region_mean() -> None:
    empty = achievement("K4", np.zeros((2, 3), dtype=np.int8), S)
    assert empty.sasaran == 0 and empty.indeks == (None,) * 4 and empty.kategori == (None,) * 4
    full = achievement("K1", m([[1]]), S)
    idx, cat = region_index([empty, full], S)
    assert idx == (100, 100, 100, 100) and cat[0] == "Tuntas Paripurna"


def test_zero_target_counts_as_100_when_configured() -> None:
    s100 = dataclasses.replace(S, tanpa_sasaran="hitung_100")
    empty = achievement("K4", np.zeros((0, 3), dtype=np.int8), s100)
    half = achievement("K1", m([[B]]), s100)
    idx, _ = region_index([empty, half], s100)
    assert empty.indeks[0] == 100 and idx[0] == 50


def test_region_index_is_null_when_no_service_has_a_target() -> None:
    empty = achievement("K4", np.zeros((0, 3), dtype=np.int8), S)
    assert region_index([empty], S) == ((None,) * 4, (None,) * 4)


def test_category_rounds_half_up_at_the_boundary() -> None:
    assert category(Fraction(8999, 100), S) == "Tuntas Madya"
    assert category(Fraction(89995, 1000), S) == "Tuntas Utama"  # 89.995 -> 90.00
    assert category(Fraction(899949, 10000), S) == "Tuntas Madya"  # 89.9949 -> 89.99
    assert category(Fraction(59995, 1000), S) == "Tuntas Muda"
    assert category(Fraction(0), S) == "Belum Tuntas"


def test_round_half_up_is_exact_not_binary() -> None:
    assert round_half_up(Fraction(1, 200)) == Decimal("0.01")  # 0.005
    assert round_half_up(Fraction(2675, 1000)) == Decimal("2.68")  # float would give 2.67


def test_configured_weights_change_the_index() -> None:
    s = dataclasses.replace(S, bobot_penerima=Decimal("0.5"), bobot_mutu=Decimal("0.5"))
    a = achievement("K1", m([[1, B]]), s)  # A = 0, B = 50
    assert a.indeks[0] == 25


statuses = st.sampled_from([0, 1, 2, 3, 4, B])
matrices = st.integers(0, 30).flatmap(
    lambda n: arrays(np.int8, (n, 4), elements=statuses))


@given(matrices)
def test_percentages_are_bounded_and_monotonic(status: np.ndarray) -> None:
    a = achievement("K1", status, S)
    if a.sasaran == 0:
        assert a.indeks == (None,) * 4
        return
    for q in range(4):
        pa, pb, idx = a.persen_penerima[q], a.persen_mutu[q], a.indeks[q]
        assert pa is not None and pb is not None and idx is not None
        assert 0 <= pa <= 100 and 0 <= pb <= 100
        assert min(pa, pb) <= idx <= max(pa, pb)
        assert a.terlayani[q] <= a.sasaran and a.pasangan_terpenuhi[q] <= a.pasangan_butuh
        if q:
            assert a.terlayani[q] >= a.terlayani[q - 1]
            assert a.pasangan_terpenuhi[q] >= a.pasangan_terpenuhi[q - 1]
    # a served recipient's items are all delivered, so pairs delivered >= their count
    assert a.pasangan_terpenuhi[3] >= a.terlayani[3]
