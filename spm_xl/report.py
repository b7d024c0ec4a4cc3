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
from .records import Identity, Narrative


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


def narrative_json(narasi: Narrative) -> dict[str, Any]:
    """Laporan e-SPM parts D and E: free text, so never in provincial output by default."""
    return {
        "permasalahan": [{"kode": p.layanan, "permasalahan": p.permasalahan,
                          "solusi": p.solusi, "dukungan": p.dukungan}
                         for p in narasi.permasalahan] if narasi.ada_permasalahan else None,
        "tahapan": {
            "tahap": [{"tahap": s.tahap, "status": s.status,
                       "tanggal": s.tanggal.isoformat() if s.tanggal else None}
                      for s in narasi.tahapan],
            "perkada_rencana_aksi": narasi.perkada_rencana_aksi,
        } if narasi.ada_tahapan else None,
    }


def narrative_filled_json(narasi: Narrative) -> dict[str, bool]:
    """Only whether parts D and E were filled: what the province may see without consent."""
    return {"permasalahan_terisi": narasi.permasalahan_terisi,
            "tahapan_terisi": narasi.tahapan_terisi}


def region_json(identity: Identity, result: RegionResult, findings: list[Finding],
                quarter: int | None = None, narasi: Narrative | None = None,
                narasi_lengkap: bool = True) -> dict[str, Any]:
    """One region's document. ``narasi`` adds parts D and E (``narasi_lengkap`` False: only
    whether they were filled). ``indeks_daerah``/``kategori_daerah`` are the old names of
    ``indeks_spm_bidang_sosial``/``kategori_spm_bidang_sosial``, kept for one release."""
    q = quarter or identity.triwulan
    index = reported_only([pct(v) for v in result.indeks_daerah], q)
    category = reported_only(list(result.kategori_daerah), q)
    doc: dict[str, Any] = {
        "wilayah": {"kode": identity.kode, "nama": identity.nama, "tingkat": identity.tingkat},
        "tahun": identity.tahun,
        "triwulan": q,
        "layanan": [service_json(s, q) for s in result.layanan],
        "indeks_spm_bidang_sosial": index,
        "kategori_spm_bidang_sosial": category,
        "indeks_daerah": index,
        "kategori_daerah": category,
        "temuan": counts(findings),
        "daftar_temuan": [f.as_json() for f in findings],
    }
    if narasi is not None:
        doc["laporan"] = (narrative_json(narasi) if narasi_lengkap
                          else narrative_filled_json(narasi))
    return doc


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
