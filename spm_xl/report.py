"""The JSON document of ``spm-xl hitung --json`` (SPEC 4), built from engine results.

Percentages are numbers rounded half-up to 2 decimals, rupiah are integers, quarters are
lists of four with TW I first, and a service without a target has nulls.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from .engine import RegionResult, ServiceResult, round_half_up
from .findings import Finding, counts
from .records import Identity


def pct(value: Fraction | None) -> float | None:
    """A share shown to 2 decimals (half-up), as a JSON number."""
    return None if value is None else float(round_half_up(value))


def qty(value: Decimal) -> int | float:
    """A quantity as an integer when whole (volumes are usually whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


def service_json(s: ServiceResult) -> dict[str, Any]:
    a, n, b = s.capaian, s.kebutuhan, s.anggaran
    return {
        "kode": a.layanan,
        "sasaran": a.sasaran,
        "terlayani": list(a.terlayani),
        "persen_penerima": [pct(v) for v in a.persen_penerima],
        "persen_mutu": [pct(v) for v in a.persen_mutu],
        "indeks": [pct(v) for v in a.indeks],
        "kategori": list(a.kategori),
        "kebutuhan": {
            "biaya_rp": n.biaya,
            "sisa_rp": n.sisa,
            "item": [{"kode": i.item, "penerima": i.penerima, "volume": qty(i.volume),
                      "tersedia": qty(i.tersedia), "kekurangan": qty(i.kekurangan),
                      "harga_satuan": i.harga_satuan, "biaya_rp": i.biaya, "sisa_rp": i.sisa}
                     for i in n.item],
        },
        "anggaran": {"alokasi_rp": b.alokasi, "realisasi_rp": list(b.realisasi)},
    }


def region_json(identity: Identity, result: RegionResult, findings: list[Finding],
                quarter: int | None = None) -> dict[str, Any]:
    return {
        "wilayah": {"kode": identity.kode, "nama": identity.nama, "tingkat": identity.tingkat},
        "tahun": identity.tahun,
        "triwulan": quarter or identity.triwulan,
        "layanan": [service_json(s) for s in result.layanan],
        "indeks_daerah": [pct(v) for v in result.indeks_daerah],
        "kategori_daerah": list(result.kategori_daerah),
        "temuan": counts(findings),
    }
