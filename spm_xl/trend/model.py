"""The series: what each period said about each kab/kota, merged from many sources.

A ``Snapshot`` is one source's view of one period (a provincial consolidation, the history
sheet's rows of that period, or a district workbook's quarter). Two snapshots of the same
period conflict: the newer stamp wins and the decision is kept as a note. Figures stay
``None`` where a period said nothing: a gap is a gap, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Period = tuple[int, int]  # (tahun, triwulan)


@dataclass(frozen=True, slots=True)
class ServicePoint:
    """One kab/kota x service in one period."""
    layanan: str
    sasaran: int | None
    terlayani: int | None
    indeks: Decimal | None  # 0-100, 2 decimals as the source stored it
    kategori: str | None


@dataclass(slots=True)
class DistrictPoint:
    """One kab/kota in one period: whether it reported, and what."""
    kode: str
    nama: str
    status: str  # datasheet.STATUSES
    alasan: str | None = None  # reason code when ditolak/konflik
    indeks: Decimal | None = None
    kategori: str | None = None
    keterisian: Decimal | None = None
    layanan: dict[str, ServicePoint] = field(default_factory=dict)


@dataclass(slots=True)
class Snapshot:
    period: Period
    province: str  # 2-digit code, or the kab/kota code for a district's own series
    source: str  # file name
    kind: str  # "konsolidasi", "riwayat", "kabkota" (a district's own workbook)
    waktu: str  # the stamp time (ISO 8601), "" when the source has none
    districts: dict[str, DistrictPoint] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refused:
    source: str
    alasan: str  # in Indonesian


@dataclass(slots=True)
class Series:
    """Every period chosen, in order, with what was refused or replaced on the way."""
    scope: str  # "provinsi" or "kabkota"
    kode: str  # the province's 2-digit code, or the kab/kota's code
    snapshots: dict[Period, Snapshot]
    refused: list[Refused] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # conflicts resolved, in Indonesian

    def periods(self) -> list[Period]:
        """Every quarter from the first to the last one seen: missing ones are gaps."""
        if not self.snapshots:
            return []
        first, last = min(self.snapshots), max(self.snapshots)
        out = []
        y, q = first
        while (y, q) <= last:
            out.append((y, q))
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)
        return out

    def districts(self) -> list[tuple[str, str]]:
        """(kode, nama) of every kab/kota seen in any period, by code."""
        names: dict[str, str] = {}
        for p in sorted(self.snapshots):
            for k, d in self.snapshots[p].districts.items():
                names[k] = d.nama
        return sorted(names.items())

    def point(self, kode: str, period: Period) -> DistrictPoint | None:
        snap = self.snapshots.get(period)
        return snap.districts.get(kode) if snap else None


def previous_quarter(p: Period) -> Period:
    return (p[0], p[1] - 1) if p[1] > 1 else (p[0] - 1, 4)


def year_before(p: Period) -> Period:
    return (p[0] - 1, p[1])


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change in points, or None when either side is a gap."""
    return None if now is None or before is None else now - before


def direction(delta: Decimal | None) -> str | None:
    if delta is None:
        return None
    return "naik" if delta > 0 else "turun" if delta < 0 else "tetap"


def merge(snapshots: list[Snapshot], refused: list[Refused]) -> Series:
    """One snapshot per period (the newer stamp wins a conflict) for one province or district.

    The scope is the one most snapshots belong to; snapshots of another province or district
    are refused with the reason.
    """
    scope = "kabkota" if snapshots and all(s.kind == "kabkota" for s in snapshots) \
        else "provinsi"
    votes: dict[str, int] = {}
    for s in snapshots:
        votes[s.province] = votes.get(s.province, 0) + 1
    kode = max(sorted(votes), key=lambda k: votes[k]) if votes else ""
    series = Series(scope, kode, {}, list(refused))
    for s in sorted(snapshots, key=lambda s: (s.waktu, s.source)):
        if s.province != kode:
            series.refused.append(Refused(s.source, (
                f"Berkas ini milik wilayah {s.province}, sedangkan tren ini untuk wilayah {kode} "
                "(wilayah yang paling banyak disebut berkas masukan).")))
            continue
        if scope == "provinsi" and s.kind == "kabkota":
            series.refused.append(Refused(s.source, (
                "Buku kerja kab/kota tidak dapat dicampur dengan konsolidasi provinsi dalam "
                "satu tren; jalankan tren terpisah untuk kab/kota itu.")))
            continue
        old = series.snapshots.get(s.period)
        if old is not None:
            series.notes.append(_conflict_note(s.period, old, s))
        series.snapshots[s.period] = s  # sorted by stamp: the newer one replaces the older
    return series


def period_text(p: Period) -> str:
    from .. import labels

    return f"TW {labels.QUARTER_ROMAN[p[1] - 1]} {p[0]}"


def _conflict_note(p: Period, old: Snapshot, new: Snapshot) -> str:
    def when(s: Snapshot) -> str:
        return f"stempel {s.waktu}" if s.waktu else "tanpa stempel"

    return (f"Periode {period_text(p)} ada di lebih dari satu berkas: {old.source} "
            f"({when(old)}) dan {new.source} ({when(new)}); yang dipakai {new.source} "
            "(stempel terbaru).")
