"""Second-release domain rules (SPEC 10): the Paripurna rung, quality modes, the 100 cap."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spm_xl.engine import achievement, category, quality_share, round_half_up
from spm_xl.records import BUTUH, default_settings

S = default_settings()
B = BUTUH
MEAN = dataclasses.replace(S, persen_mutu="rata_item")


@pytest.mark.parametrize(("index", "expected"), [
    (Fraction(99995, 1000), "Tuntas Utama"),  # shows as 100.00, but is not complete
    (Fraction(99996, 1000), "Tuntas Utama"),
    (Fraction(100), "Tuntas Paripurna"),
    (Fraction(89995, 1000), "Tuntas Utama"),  # rounds half-up to 90.00
    (Fraction(90), "Tuntas Utama"),
    (Fraction(899949, 10000), "Tuntas Madya"),  # rounds to 89.99
])
def test_paripurna_only_at_exactly_100_other_rungs_on_the_rounded_index(
        index: Fraction, expected: str) -> None:
    assert category(index, S) == expected


def test_an_index_shown_as_100_is_not_paripurna() -> None:
    # A = 100 and B = 99.98: index 0.8 * 100 + 0.2 * 99.98 = 99.996, shown as 100.00
    index = Fraction(4, 5) * 100 + Fraction(1, 5) * Fraction(9998, 100)
    assert index == Fraction(99996, 1000) and str(round_half_up(index)) == "100.00"
    assert category(index, S) == "Tuntas Utama"


def test_a_configured_top_rung_below_100_is_judged_on_the_rounded_index() -> None:
    ladder = ((Fraction(99), "Tuntas Paripurna"), *S.kategori[1:])
    s = dataclasses.replace(S, kategori=ladder)  # type: ignore[arg-type]
    assert category(Fraction(98995, 1000), s) == "Tuntas Paripurna"  # 98.995 -> 99.00


def test_quality_pooled_versus_mean_of_item_shares_hand_worked() -> None:
    # item 1: 1 of 1 delivered (100 %); item 2: 1 of 3 delivered (33.33 %)
    # pooled: 2 of 4 pairs = 50 %; mean of items: (100 + 33.33) / 2 = 66.67 %
    delivered, needed = [1, 1], [1, 3]
    assert quality_share(delivered, needed, "gabungan", True) == 50
    assert quality_share(delivered, needed, "rata_item", True) == Fraction(200, 3)


def test_quality_mode_changes_the_engine_figures() -> None:
    # two recipients: A needs items 1 and 2 (both TW1), B needs item 2 only (Butuh)
    status = np.array([[1, 1], [0, B]], dtype=np.int8)
    pooled = achievement("K1", status, S)
    mean = achievement("K1", status, MEAN)
    assert pooled.persen_mutu[0] == Fraction(200, 3)  # 2 of 3 pairs
    assert mean.persen_mutu[0] == 75  # (1/1 + 1/2) / 2
    assert pooled.persen_penerima == mean.persen_penerima  # A is not touched
    assert mean.indeks[0] == Fraction(4, 5) * 50 + Fraction(1, 5) * 75  # 55 -> Belum Tuntas
    assert mean.kategori[0] == "Belum Tuntas"


def test_items_nobody_needs_are_left_out_of_the_mean() -> None:
    assert quality_share([2, 0, 0], [4, 0, 0], "rata_item", True) == 50
    assert quality_share([0, 0], [0, 0], "rata_item", True) is None


def test_capping_limits_an_item_to_what_is_needed() -> None:
    # a count from elsewhere may say 5 delivered where 4 were needed
    assert quality_share([5, 0], [4, 4], "rata_item", True) == 50  # (100 + 0) / 2
    assert quality_share([5, 0], [4, 4], "rata_item", False) == Fraction(125, 2)  # 62.5
    assert quality_share([5, 0], [4, 4], "gabungan", True) == 50  # 4 of 8
    assert quality_share([5, 0], [4, 4], "gabungan", False) == Fraction(125, 2)  # 5 of 8


def test_old_defaults_give_the_first_release_figures() -> None:
    # pooled and capped is exactly 100 * delivered pairs / needed pairs
    status = np.array([[1, 2, 0], [B, 1, 0], [0, 0, 0], [3, 0, 0]], dtype=np.int8)
    a = achievement("K1", status, S)
    assert a.persen_mutu == tuple(Fraction(100 * d, 5) for d in (2, 3, 4, 4))


statuses = st.sampled_from([0, 1, 2, 3, 4, B])
matrices = st.integers(1, 25).flatmap(lambda n: arrays(np.int8, (n, 4), elements=statuses))


@given(matrices, st.sampled_from(["gabungan", "rata_item"]), st.booleans())
def test_index_stays_between_its_components_in_both_quality_modes(
        status: np.ndarray, mode: str, cap: bool) -> None:
    s = dataclasses.replace(S, persen_mutu=mode, batas_100=cap)  # type: ignore[arg-type]
    a = achievement("K1", status, s)
    if a.sasaran == 0:
        return
    for q in range(4):
        pa, pb, idx = a.persen_penerima[q], a.persen_mutu[q], a.indeks[q]
        assert pa is not None and pb is not None and idx is not None
        assert 0 <= pb <= 100
        assert min(pa, pb) <= idx <= max(pa, pb)
        if q:
            prev = a.persen_mutu[q - 1]
            assert prev is not None and pb >= prev  # cumulative: never falls


counts = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 40)), min_size=1, max_size=8)


@given(counts, st.sampled_from(["gabungan", "rata_item"]))
def test_capping_never_raises_a_share_and_keeps_it_at_most_100(
        pairs: list[tuple[int, int]], mode: str) -> None:
    delivered = [d for d, _ in pairs]
    needed = [n for _, n in pairs]
    capped = quality_share(delivered, needed, mode, True)  # type: ignore[arg-type]
    free = quality_share(delivered, needed, mode, False)  # type: ignore[arg-type]
    if capped is None or free is None:
        assert capped is None and free is None and not any(needed)
        return
    assert 0 <= capped <= 100
    assert capped <= free
    if all(d <= n for d, n in pairs):
        assert capped == free  # nothing over the need: the cap changes nothing
