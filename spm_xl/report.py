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
from .quarters import reported_only
from .records import Identity


def pct(value: Fraction | None) -> float | None:
    """A share shown to 2 decimals (half-up), as a JSON number."""
    return None if value is None else float(round_half_up(value))


def qty(value: Decimal) -> int | float:
    """A quantity as an integer when whole (volumes are usually whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


def service_json(s: ServiceResult, quarter: int = 4) -> dict[str, Any]:
    """One service; quarters after ``quarter`` are null (not reported yet)."""
    a, n, b = s.capaian, s.kebutuhan, s.anggaran

    def upto(values: Any) -> list[Any]:
        return reported_only(list(values), quarter)

    return {
        "kode": a.layanan,
        "sasaran": a.sasaran,
        "terlayani": upto(a.terlayani),
        "persen_penerima": upto(pct(v) for v in a.persen_penerima),
        "persen_mutu": upto(pct(v) for v in a.persen_mutu),
        "indeks": upto(pct(v) for v in a.indeks),
        "kategori": upto(a.kategori),
        "kebutuhan": {
            "biaya_rp": n.biaya,
            "sisa_rp": n.sisa,
            "item": [{"kode": i.item, "penerima": i.penerima, "volume": qty(i.volume),
                      "tersedia": qty(i.tersedia), "kekurangan": qty(i.kekurangan),
                      "harga_satuan": i.harga_satuan, "biaya_rp": i.biaya, "sisa_rp": i.sisa}
                     for i in n.item],
        },
        "anggaran": {"alokasi_rp": b.alokasi, "realisasi_rp": upto(b.realisasi)},
    }


def region_json(identity: Identity, result: RegionResult, findings: list[Finding],
                quarter: int | None = None) -> dict[str, Any]:
    q = quarter or identity.triwulan
    return {
        "wilayah": {"kode": identity.kode, "nama": identity.nama, "tingkat": identity.tingkat},
        "tahun": identity.tahun,
        "triwulan": q,
        "layanan": [service_json(s, q) for s in result.layanan],
        "indeks_daerah": reported_only([pct(v) for v in result.indeks_daerah], q),
        "kategori_daerah": reported_only(list(result.kategori_daerah), q),
        "temuan": counts(findings),
        "daftar_temuan": [f.as_json() for f in findings],
    }


def envelope(command: str, berkas: str | None) -> dict[str, Any]:
    """What every ``--json`` document starts with: the command, the program, the file."""
    from . import __version__

    return {"perintah": command, "versi": f"spm-xl {__version__}", "berkas": berkas}


def check_json(berkas: str, identity: Identity, findings: list[Finding]) -> dict[str, Any]:
    """``periksa --json``: the file, its region and period, counts and every finding."""
    return {**envelope("periksa", berkas),
            "wilayah": {"kode": identity.kode, "nama": identity.nama,
                        "tingkat": identity.tingkat},
            "tahun": identity.tahun, "triwulan": identity.triwulan,
            "temuan": counts(findings), "daftar_temuan": [f.as_json() for f in findings]}
