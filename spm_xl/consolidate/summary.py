"""The provincial figures: totals, ranking, per-service recap, summed needs, and the JSON.

Everything is summed from the districts' recomputed results (never from what they saved),
with exact integers and fractions; rounding happens when a figure is shown. Two different
"averages" exist and are kept apart on purpose: the pooled share of recipients served
(sum X / sum Y over districts) and the plain mean of the district indices.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..engine import ItemNeed, RegionResult, category, mean_present
from ..quarters import reported_only
from ..records import Settings, default_settings
from ..report import envelope, pct, region_json
from .inputs import Gate, ProvinceChoice
from .model import FileReport, is_empty
from .status import status_board

Quad = tuple[int, int, int, int]
FQuad = tuple[Fraction | None, Fraction | None, Fraction | None, Fraction | None]


@dataclass(frozen=True, slots=True)
class ServiceRecap:
    """One service across the regions that report it."""
    kode: str
    daerah: int  # regions reporting the service with a target (Y > 0)
    sasaran: int
    terlayani: Quad
    persen_gabungan: FQuad  # 100 * sum X / sum Y
    rata_indeks: FQuad  # mean of the regions' service indices (Y > 0)
    biaya: int
    sisa: int


@dataclass(frozen=True, slots=True)
class ItemRecap:
    layanan: str
    item: str
    penerima: int
    volume: Decimal
    tersedia: Decimal
    kekurangan: Decimal
    biaya: int
    sisa: int


@dataclass(frozen=True, slots=True)
class Ranked:
    report: FileReport
    peringkat: int | None  # None when the district has no index (no targets at all)


@dataclass(frozen=True, slots=True)
class Totals:
    """The province at the reported quarter (districts only; the province's own apart)."""
    kabkota: int
    sasaran: int
    terlayani: int
    persen_gabungan: Fraction | None
    rata_indeks: Fraction | None  # mean of district region indices
    kategori: str | None
    biaya: int
    sisa: int


def result_of(r: FileReport) -> RegionResult:
    assert r.result is not None
    return r.result


def ranking(districts: list[FileReport], quarter: int) -> list[Ranked]:
    """Highest region index first; equal shown indices share a rank; no index last."""
    def shown(r: FileReport) -> float | None:  # an empty template is not ranked
        return None if is_empty(r) else pct(result_of(r).indeks_daerah[quarter - 1])

    ordered = sorted(districts, key=lambda r: (shown(r) is None, -(shown(r) or 0.0),
                                               r.identity.kode if r.identity else ""))
    out: list[Ranked] = []
    last: float | None = None
    rank = 0
    for pos, r in enumerate(ordered, start=1):
        value = shown(r)
        if value is None:
            out.append(Ranked(r, None))
            continue
        if value != last:
            rank, last = pos, value
        out.append(Ranked(r, rank))
    return out


def service_recap(reports: list[FileReport]) -> list[ServiceRecap]:
    """Pooled and averaged figures per service code, in catalogue order of appearance."""
    by_code: dict[str, list[Any]] = {}
    for r in reports:
        for s in result_of(r).layanan:
            by_code.setdefault(s.capaian.layanan, []).append(s)
    out = []
    for code, parts in by_code.items():
        y = sum(s.capaian.sasaran for s in parts)
        x = tuple(sum(s.capaian.terlayani[q] for s in parts) for q in range(4))
        pooled = tuple(Fraction(100 * x[q], y) if y else None for q in range(4))
        # a district's own Konfigurasi decides whether Y = 0 counts as 100 or is left out
        means = tuple(mean_present([s.capaian.indeks[q] for s in parts]) for q in range(4))
        out.append(ServiceRecap(
            code, sum(1 for s in parts if s.capaian.sasaran > 0), y, _quad(x),
            _fquad(pooled), _fquad(means), sum(s.kebutuhan.biaya for s in parts),
            sum(s.kebutuhan.sisa for s in parts)))
    return out


def item_recap(reports: list[FileReport]) -> list[ItemRecap]:
    """Needs summed per service x item; unit prices differ per district and are not summed."""
    acc: dict[tuple[str, str], list[ItemNeed]] = {}
    for r in reports:
        for s in result_of(r).layanan:
            for i in s.kebutuhan.item:
                acc.setdefault((s.kebutuhan.layanan, i.item), []).append(i)
    return [ItemRecap(code, item, sum(i.penerima for i in parts),
                      sum((i.volume for i in parts), Decimal(0)),
                      sum((i.tersedia for i in parts), Decimal(0)),
                      sum((i.kekurangan for i in parts), Decimal(0)),
                      sum(i.biaya for i in parts), sum(i.sisa for i in parts))
            for (code, item), parts in acc.items()]


def province_settings(own: FileReport | None) -> Settings:
    """The ladder for province-wide figures: the province's own Konfigurasi, else the default."""
    return own.settings if own is not None and own.settings is not None else default_settings()


def ladder_differs(r: FileReport, province: Settings) -> bool:
    """Whether a district's categories were judged on another ladder than the province's."""
    return r.settings is not None and r.settings.kategori != province.kategori


def totals(districts: list[FileReport], quarter: int,
           settings: Settings | None = None) -> Totals:
    """Province-wide figures; the category of the mean index on the province's ladder."""
    q = quarter - 1
    y = sum(s.capaian.sasaran for r in districts for s in result_of(r).layanan)
    x = sum(s.capaian.terlayani[q] for r in districts for s in result_of(r).layanan)
    mean = mean_present([result_of(r).indeks_daerah[q] for r in districts])
    return Totals(len(districts), y, x, Fraction(100 * x, y) if y else None, mean,
                  category(mean, settings or default_settings()),
                  sum(result_of(r).biaya for r in districts),
                  sum(result_of(r).sisa for r in districts))


def consolidation_json(g: Gate, duplicate_persons: int) -> dict[str, Any]:
    """The ``konsolidasi --json`` document of SPEC 4: no name and no NIK in it."""
    from .neutral import code_label, file_label, reason, region_label

    province = province_settings(g.own)

    def region(r: FileReport) -> dict[str, Any]:
        assert r.identity is not None and r.result is not None
        doc = region_json(r.identity, r.result, r.findings)
        doc["wilayah"] = {**doc["wilayah"], "kode": code_label(r.identity.kode),
                          "nama": region_label(r.identity.kode)}
        doc["berkas"] = file_label(r)
        if r.narasi is not None:  # whether D and E were filled, never their text
            doc["laporan"] = {"permasalahan_terisi": r.narasi.permasalahan,
                              "tahapan_terisi": r.narasi.tahapan}
        doc["tangga_kategori"] = ("sendiri" if ladder_differs(r, province) else "provinsi")
        return doc

    recap = service_recap([*g.districts, *([g.own] if g.own else [])])
    q = g.period[1] if g.period else 4
    return {
        **envelope("konsolidasi", None),
        "wilayah_provinsi": ({"kode": g.province.kode, "nama": g.province.nama,
                              "alasan": g.province.alasan} if g.province else None),
        "tahun": g.period[0] if g.period else None,
        "triwulan": g.period[1] if g.period else None,
        "kabkota": [region(r) for r in g.districts],
        "provinsi": region(g.own) if g.own else None,
        "ditolak": [{"berkas": file_label(x.report), "kode": x.kode,
                     "kode_wilayah": code_label(x.report.identity.kode)
                     if x.report.identity else None,
                     "alasan": reason(str(x.alasan), x.report)} for x in g.rejected],
        "salinan_identik": [{"berkas": file_label(c), "sama_dengan": file_label(o)}
                            for c, o in g.copies],
        "konflik": [{"kode": c.kode, "berkas": [file_label(r) for r in c.reports]}
                    for c in g.conflicts],
        "belum_mengirim": [{"kode": k.kode, "nama": k.nama} for k in g.missing],
        "status_kabkota": [{"kode": s.kode, "nama": s.nama, "status": s.status,
                            "berkas": list(s.berkas), "keterangan": s.keterangan}
                           for s in status_board(g)],
        "duplikat": duplicate_persons,
        "rekap_layanan": [{"kode": s.kode, "sasaran": s.sasaran,
                           "terlayani": reported_only(list(s.terlayani), q),
                           "persen_penerima": reported_only(
                               [pct(v) for v in s.persen_gabungan], q)}
                          for s in recap],
    }


def province_text(p: ProvinceChoice | None) -> str:
    return f"{p.nama} ({p.kode})" if p else "tidak dapat ditentukan"


def _quad(v: tuple[int, ...]) -> Quad:
    return (v[0], v[1], v[2], v[3])


def _fquad(v: tuple[Fraction | None, ...]) -> FQuad:
    return (v[0], v[1], v[2], v[3])
