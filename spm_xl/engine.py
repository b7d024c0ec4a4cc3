"""The engine: needs (kebutuhan), achievement (capaian) and budget as pure functions.

Inputs are records (``spm_xl.records``); outputs are frozen result dataclasses. Counts are
integers and shares are exact ``Fraction``s; rounding happens only when a figure is shown or
categorised (``round_half_up``). This module never touches a workbook library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

from .catalogue import QualityMode
from .records import BUTUH, NOT_NEEDED, Budget, Price, ServiceRows, Settings, StatusMatrix

QUARTERS = (1, 2, 3, 4)
Quad = tuple[int, int, int, int]
FQuad = tuple[Fraction | None, Fraction | None, Fraction | None, Fraction | None]
SQuad = tuple[str | None, str | None, str | None, str | None]


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round half away from zero for the non-negative figures we show (SPEC 2.4)."""
    q = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        # exact: scale, then round the rational number itself
        scaled = value * 10**places
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        return (Decimal(whole) * q).quantize(q)
    return Decimal(value).quantize(q, rounding=ROUND_HALF_UP)


def rupiah(value: Fraction | Decimal | int) -> int:
    """Whole rupiah, half-up."""
    return int(round_half_up(Fraction(value), 0))


def category(index: Fraction | None, settings: Settings) -> str | None:
    """The category of an index (SPEC 10).

    A rung at 100 (Tuntas Paripurna) means complete, so it is judged on the exact index:
    99.996 shows as 100.00 but is not Paripurna. Every other rung is judged on the index
    rounded half-up to 2 decimals, as the figure is shown (89.995 -> 90.00 -> Tuntas Utama).
    """
    if index is None:
        return None
    shown = round_half_up(index)
    exact = Fraction(index)
    for threshold, label in settings.kategori:
        if threshold >= 100:
            if exact >= Fraction(threshold):
                return label
        elif shown >= threshold:
            return label
    return settings.kategori[-1][1]


def quality_share(delivered: Sequence[int], needed: Sequence[int], mode: QualityMode,
                  cap: bool) -> Fraction | None:
    """B: % of quality fulfilled, from per-item delivered and needed counts.

    ``gabungan`` pools all recipient x item pairs (SPEC 2.4, the default); ``rata_item`` is
    the mean of the shares of the items someone needs. With ``cap`` an item counts at most
    what is needed, so no item's share passes 100 (a count from elsewhere might). None when
    nothing is needed.
    """
    pairs = [(min(d, n) if cap else d, n) for d, n in zip(delivered, needed, strict=True)
             if n > 0]
    if not pairs:
        return None
    if mode == "rata_item":
        return sum((Fraction(100 * d, n) for d, n in pairs), Fraction(0)) / len(pairs)
    return Fraction(100 * sum(d for d, _ in pairs), sum(n for _, n in pairs))


def combined_index(pct_recipients: Fraction, pct_quality: Fraction, settings: Settings) -> Fraction:
    """Indeks = w_A * A + w_B * B (default 0.8 / 0.2)."""
    return (Fraction(settings.bobot_penerima) * pct_recipients
            + Fraction(settings.bobot_mutu) * pct_quality)


@dataclass(frozen=True, slots=True)
class Achievement:
    """SPEC 2.4 for one service, cumulative at the end of each quarter."""
    layanan: str
    sasaran: int  # Y
    terlayani: Quad  # X(q)
    pasangan_butuh: int  # recipient x item pairs needed
    pasangan_terpenuhi: Quad  # pairs delivered by q
    persen_penerima: FQuad  # A(q); None when Y = 0
    persen_mutu: FQuad  # B(q)
    indeks: FQuad
    kategori: SQuad


def achievement(code: str, status: StatusMatrix, settings: Settings) -> Achievement:
    """Y, X(q), A(q), B(q), index and category from one service's status matrix."""
    needed = status != NOT_NEEDED
    recipients = needed.any(axis=1)
    target = int(recipients.sum())
    pairs = int(needed.sum())
    needed_per_item = [int(n) for n in needed.sum(axis=0)]
    served: list[int] = []
    delivered: list[int] = []
    delivered_per_item: list[list[int]] = []
    for q in QUARTERS:
        done = needed & (status <= q)  # BUTUH (9) is never <= 4
        delivered.append(int(done.sum()))
        delivered_per_item.append([int(d) for d in done.sum(axis=0)])
        # a recipient is served when none of its needed items is still open at q
        open_items = needed & ~done
        served.append(int((recipients & ~open_items.any(axis=1)).sum()))
    if target == 0:
        if settings.tanpa_sasaran == "hitung_100":
            full = Fraction(100)
            cat = category(full, settings)
            return Achievement(code, 0, (0, 0, 0, 0), 0, (0, 0, 0, 0), (full,) * 4, (full,) * 4,
                               (full,) * 4, (cat,) * 4)
        return Achievement(code, 0, (0, 0, 0, 0), 0, (0, 0, 0, 0), (None,) * 4, (None,) * 4,
                           (None,) * 4, (None,) * 4)
    pct_a = tuple(Fraction(100 * x, target) for x in served)
    pct_b = tuple(quality_share(d, needed_per_item, settings.persen_mutu, settings.batas_100)
                  or Fraction(0) for d in delivered_per_item)
    index = tuple(combined_index(a, b, settings) for a, b in zip(pct_a, pct_b, strict=True))
    return Achievement(
        code, target, _quad(served), pairs, _quad(delivered),
        pct_a, pct_b, index, tuple(category(i, settings) for i in index),  # type: ignore[arg-type]
    )


def mean_present(values: list[Fraction | None]) -> Fraction | None:
    """The exact mean of the values that exist (a service without target has none)."""
    present = [v for v in values if v is not None]
    return sum(present, Fraction(0)) / len(present) if present else None


def region_index(achievements: list[Achievement], settings: Settings) -> tuple[FQuad, SQuad]:
    """Indeks SPM Bidang Sosial(q) (formerly "indeks daerah"): mean of the service indices
    that have a target (or count as 100)."""
    indices = [mean_present([a.indeks[q] for a in achievements]) for q in range(4)]
    quad: FQuad = (indices[0], indices[1], indices[2], indices[3])
    return quad, tuple(category(i, settings) for i in quad)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class ItemNeed:
    """SPEC 2.5 for one service x item."""
    item: str
    penerima: int  # n: recipients needing the item
    standar: Decimal
    volume: Decimal  # n x standard
    tersedia: Decimal
    kekurangan: Decimal  # max(0, volume - tersedia)
    harga_satuan: int
    biaya: int  # kekurangan x harga, Rp
    sisa: int  # still-owed recipients x standard x harga, Rp
    belum: int  # recipients still marked Butuh
    #: recipients whose item was delivered by the end of quarter q (cumulative), for the report
    terpenuhi: Quad = (0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class ServiceNeeds:
    layanan: str
    item: tuple[ItemNeed, ...]
    biaya: int
    sisa: int


def needs(rows: ServiceRows, prices: dict[tuple[str, str], Price]) -> ServiceNeeds:
    """Volume, shortfall, cost and remaining cost per item of one service."""
    needed = rows.status != NOT_NEEDED
    needed_per_item = needed.sum(axis=0)
    open_per_item = (rows.status == BUTUH).sum(axis=0)
    # BUTUH (9) is never <= 4, so this counts delivered items only
    done_per_item = [(needed & (rows.status <= q)).sum(axis=0) for q in QUARTERS]
    out: list[ItemNeed] = []
    for j, item in enumerate(rows.items):
        price = prices.get((rows.kode, item))
        standard = price.standar if price else Decimal(0)
        unit = price.harga if price else 0
        available = price.tersedia if price else Decimal(0)
        n = int(needed_per_item[j]) if len(rows.items) else 0
        still = int(open_per_item[j]) if len(rows.items) else 0
        volume = n * standard
        shortfall = max(Decimal(0), volume - available)
        out.append(ItemNeed(item, n, standard, volume, available, shortfall, unit,
                            rupiah(shortfall * unit), rupiah(still * standard * unit), still,
                            _quad([int(d[j]) for d in done_per_item])))
    return ServiceNeeds(rows.kode, tuple(out), sum(i.biaya for i in out), sum(i.sisa for i in out))


@dataclass(frozen=True, slots=True)
class BudgetResult:
    """SPEC 2.6 for one service."""
    layanan: str
    alokasi: int
    realisasi: Quad  # cumulative to quarter q
    persen_serapan: FQuad  # realisasi / alokasi; None when alokasi = 0
    persen_kebutuhan: Fraction | None  # alokasi / biaya; None when biaya = 0


def budget(code: str, entry: Budget | None, cost: int) -> BudgetResult:
    allocation = entry.alokasi if entry else 0
    per_quarter = entry.realisasi if entry else (0, 0, 0, 0)
    cumulative = _quad(list(np.cumsum(per_quarter, dtype=np.int64).tolist()))
    absorbed = tuple(Fraction(100 * r, allocation) if allocation else None for r in cumulative)
    vs_need = Fraction(100 * allocation, cost) if cost else None
    return BudgetResult(code, allocation, cumulative, absorbed, vs_need)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ServiceResult:
    capaian: Achievement
    kebutuhan: ServiceNeeds
    anggaran: BudgetResult


@dataclass(frozen=True, slots=True)
class RegionResult:
    """One region's results. ``indeks_daerah`` is the Indeks SPM Bidang Sosial: the social
    field only, not a region's whole e-SPM index (which covers six fields)."""
    layanan: tuple[ServiceResult, ...]
    indeks_daerah: FQuad
    kategori_daerah: SQuad
    biaya: int
    sisa: int


def compute(services: list[ServiceRows], prices: dict[tuple[str, str], Price],
            budgets: dict[str, Budget], settings: Settings) -> RegionResult:
    """Every figure of SPEC 2.4-2.6 for one region, services in the order given."""
    results: list[ServiceResult] = []
    for rows in services:
        need = needs(rows, prices)
        results.append(ServiceResult(
            achievement(rows.kode, rows.status, settings), need,
            budget(rows.kode, budgets.get(rows.kode), need.biaya)))
    idx, cat = region_index([r.capaian for r in results], settings)
    return RegionResult(tuple(results), idx, cat, sum(r.kebutuhan.biaya for r in results),
                        sum(r.kebutuhan.sisa for r in results))


def _quad(values: list[int]) -> Quad:
    return (int(values[0]), int(values[1]), int(values[2]), int(values[3]))
