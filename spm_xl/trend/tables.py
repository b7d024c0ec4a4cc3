"""The trend's figures, computed once from a ``Series`` for the workbook and the JSON.

Changes are in points (the difference of two indices as stored, 2 decimals), against the
previous quarter and the same quarter a year before; a gap on either side gives no change.
The province per period is shown two ways, each labelled: pooled (ΣX/ΣY over the kab/kota
that reported) and the simple mean of the district indices (every kab/kota weighs the same).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..engine import category, mean_present, round_half_up
from ..records import default_settings
from . import datasheet as d
from .model import DistrictPoint, Period, Series, change, direction, previous_quarter, year_before


@dataclass(frozen=True, slots=True)
class Step:
    """One index in one period with its changes."""
    period: Period
    indeks: Decimal | None
    kategori: str | None
    vs_quarter: Decimal | None  # points against the previous quarter
    vs_year: Decimal | None  # points against the same quarter last year

    @property
    def arah_quarter(self) -> str | None:
        return direction(self.vs_quarter)

    @property
    def arah_year(self) -> str | None:
        return direction(self.vs_year)


@dataclass(frozen=True, slots=True)
class ProvincePeriod:
    period: Period
    dikirim: int  # kab/kota that reported
    total: int  # kab/kota known in that period (reported or not)
    sasaran: int | None
    terlayani: int | None
    pooled: Decimal | None  # ΣX/ΣY x 100
    mean: Decimal | None  # simple mean of district indices
    kategori: str | None  # of the mean


def steps(series: Series, values: dict[Period, tuple[Decimal | None, str | None]]) -> list[Step]:
    """Index, category and changes per period, gaps included."""
    out = []
    for p in series.periods():
        now, cat = values.get(p, (None, None))
        out.append(Step(p, now, cat, change(now, values.get(previous_quarter(p), (None,))[0]),
                        change(now, values.get(year_before(p), (None,))[0])))
    return out


def district_steps(series: Series, kode: str) -> list[Step]:
    values = {p: (pt.indeks, pt.kategori) for p in series.periods()
              if (pt := _sent(series, kode, p)) is not None}
    return steps(series, values)


def service_steps(series: Series, kode: str, layanan: str) -> list[Step]:
    values = {}
    for p in series.periods():
        pt = _sent(series, kode, p)
        sp = pt.layanan.get(layanan) if pt else None
        if sp is not None:
            values[p] = (sp.indeks, sp.kategori)
    return steps(series, values)


def services_of(series: Series, kode: str) -> list[str]:
    found: set[str] = set()
    for p in series.periods():
        pt = series.point(kode, p)
        if pt is not None:
            found.update(pt.layanan)
    return sorted(found)


def province(series: Series) -> list[ProvincePeriod]:
    out = []
    settings = default_settings()
    for p in series.periods():
        snap = series.snapshots.get(p)
        if snap is None:
            out.append(ProvincePeriod(p, 0, 0, None, None, None, None, None))
            continue
        sent = [pt for pt in snap.districts.values() if pt.status == d.DIKIRIM]
        figures = [s for pt in sent for s in pt.layanan.values()]
        y = sum(s.sasaran or 0 for s in figures)
        x = sum(s.terlayani or 0 for s in figures)
        known = any(s.sasaran is not None for s in figures)
        mean = mean_present([Fraction(pt.indeks) if pt.indeks is not None else None
                             for pt in sent])
        out.append(ProvincePeriod(
            p, len(sent), len(snap.districts), y if known else None, x if known else None,
            round_half_up(Fraction(100 * x, y)) if known and y else None,
            round_half_up(mean) if mean is not None else None,
            category(mean, settings) if mean is not None else None))
    return out


def status(series: Series, kode: str, p: Period) -> tuple[str | None, str | None]:
    """(status, reason code) of a kab/kota in a period; (None, None) for a missing period."""
    if p not in series.snapshots:
        return None, None
    pt = series.point(kode, p)
    if pt is None:  # the period is known but this kab/kota is not in it (history rows)
        return d.BELUM, None
    return pt.status, pt.alasan


def status_text(st: str | None, alasan: str | None) -> str:
    if st is None:
        return "tidak ada data"
    if st in (d.DITOLAK,) and alasan:
        return f"{st}: {d.REASON_TEXT.get(alasan, alasan)}"
    return st


def yearly_counts(series: Series, kode: str) -> dict[int, Counter[str]]:
    """Per year: how many periods the kab/kota had each status."""
    out: dict[int, Counter[str]] = {}
    for p in series.periods():
        st, _ = status(series, kode, p)
        out.setdefault(p[0], Counter())[st or "tidak ada data"] += 1
    return out


def _sent(series: Series, kode: str, p: Period) -> DistrictPoint | None:
    pt = series.point(kode, p)
    return pt if pt is not None and pt.status == d.DIKIRIM else None
