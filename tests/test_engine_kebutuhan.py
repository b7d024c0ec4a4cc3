"""Needs (SPEC 2.5) and budget (SPEC 2.6): hand-worked cases."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

from spm_xl.engine import budget, compute, needs
from spm_xl.records import BUTUH, Budget, Price, ServiceRows, default_settings

B = BUTUH


def rows(status: list[list[int]], items: list[str], code: str = "K1") -> ServiceRows:
    arr = np.array(status, dtype=np.int8).reshape(len(status), len(items))
    return ServiceRows(code, code, items, arr, list(range(2, 2 + len(status))))


def price(item: str, standar: str, harga: int, tersedia: str = "0", code: str = "K1") -> Price:
    return Price(code, item, Decimal(standar), harga, Decimal(tersedia))


def test_volume_shortfall_cost_and_remaining() -> None:
    r = rows([[1, B], [B, 0], [2, 3]], ["permakanan", "sandang"])
    p = {("K1", "permakanan"): price("permakanan", "7", 15_000, "5"),
         ("K1", "sandang"): price("sandang", "1", 250_000)}
    n = needs(r, p)
    meals, clothes = n.item
    # permakanan: 3 recipients x 7 = 21 orang-hari, 5 available -> 16 short
    assert (meals.penerima, meals.volume, meals.kekurangan) == (3, 21, 16)
    assert meals.biaya == 16 * 15_000
    assert meals.sisa == 1 * 7 * 15_000  # one recipient still marked Butuh
    assert (clothes.penerima, clothes.biaya, clothes.sisa) == (2, 500_000, 250_000)
    assert n.biaya == 240_000 + 500_000 and n.sisa == 105_000 + 250_000


def test_available_stock_larger_than_volume_costs_nothing() -> None:
    n = needs(rows([[1], [2]], ["sandang"]), {("K1", "sandang"): price("sandang", "1", 90, "10")})
    assert n.item[0].kekurangan == 0 and n.item[0].biaya == 0


def test_missing_price_row_costs_zero() -> None:
    n = needs(rows([[B]], ["sandang"]), {})
    assert n.item[0].volume == 0 and n.biaya == 0


def test_fractional_rupiah_round_half_up() -> None:
    n = needs(rows([[1]], ["sandang"]), {("K1", "sandang"): price("sandang", "0.5", 3)})
    assert n.item[0].biaya == 2  # 1.5 -> 2


def test_budget_cumulative_and_shares() -> None:
    b = budget("K1", Budget("K1", 1_000_000, (100_000, 0, 250_000, 50_000)), 4_000_000)
    assert b.realisasi == (100_000, 100_000, 350_000, 400_000)
    assert b.persen_serapan[2] == 35 and b.persen_kebutuhan == 25


def test_budget_without_allocation_or_need_has_no_share() -> None:
    b = budget("K1", None, 0)
    assert b.persen_serapan == (None,) * 4 and b.persen_kebutuhan is None


def test_region_totals_are_sums_of_services() -> None:
    r1 = rows([[1]], ["sandang"], "K1")
    r2 = rows([[B]], ["sandang"], "K2")
    p = {("K1", "sandang"): price("sandang", "1", 10, code="K1"),
         ("K2", "sandang"): price("sandang", "1", 20, code="K2")}
    res = compute([r1, r2], p, {}, default_settings())
    assert res.biaya == 30 and res.sisa == 20
    assert res.indeks_daerah[0] == Fraction(100 + 0, 2)
