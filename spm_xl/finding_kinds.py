"""What each kind of finding means, in one generic sentence per finding code.

The provincial workbook (and the consolidation cache) keeps findings by kind: a count and
the cells, with this sentence instead of the per-cell message. The per-cell message can
quote what the district typed; this sentence never does, so it is safe to show to the
province and to keep on disk, and thousands of findings of one kind become one row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .findings import Finding, Severity

KINDS: dict[str, str] = {
    "anggaran_ganda": "Kode layanan tercantum lebih dari sekali di sheet Anggaran.",
    "angka_tidak_valid": "Sel angka berisi nilai yang bukan angka yang sah.",
    "bencana_melebihi_ambang": "Jumlah korban bencana melebihi ambang pada Konfigurasi.",
    "berkas_ditolak": "Berkas tidak dipakai dalam konsolidasi.",
    "harga_ganda": "Pasangan layanan dan barang/jasa tercantum lebih dari sekali di sheet Harga.",
    "harga_nol": "Harga satuan 0 untuk barang/jasa yang dibutuhkan.",
    "harga_tidak_ada": "Barang/jasa yang dibutuhkan tidak punya harga di sheet Harga.",
    "hasil_belum_ada": "Sheet hasil belum dihitung di buku kerja kab/kota.",
    "hasil_diubah": "Angka di sheet hasil berbeda dari hitungan ulang.",
    "hasil_usang": "Sheet hasil dihitung dari data yang sudah berubah.",
    "kk_panjang": "No KK tidak 16 digit.",
    "kode_tidak_dikenal": "Kode layanan atau barang/jasa tidak dikenal katalog.",
    "kode_wilayah_angka": "Kode Wilayah diketik sebagai angka, bukan teks.",
    "kode_wilayah_format": "Format Kode Wilayah tidak sesuai kode Kemendagri.",
    "kode_wilayah_tidak_dikenal": "Kode Wilayah tidak dikenal dalam daftar Kemendagri.",
    "kolom_ganda": "Judul kolom muncul lebih dari sekali.",
    "kolom_hilang": "Kolom yang diperlukan tidak ada.",
    "konfigurasi_default": "Konfigurasi memakai nilai bawaan.",
    "konfigurasi_tidak_valid": "Nilai di sheet Konfigurasi tidak sah.",
    "konflik_kabkota": "Kab/kota yang sama dikirim dalam lebih dari satu berkas.",
    "nama_lahir_ganda": "Nama dan tanggal lahir yang sama tercantum lebih dari sekali.",
    "nama_sheet_berbeda": "Nama sheet berbeda dari templat.",
    "nik_angka": "NIK/No KK diketik sebagai angka, bukan teks.",
    "nik_bukan_teks": "NIK/No KK berisi nilai yang bukan teks.",
    "nik_ganda": "NIK yang sama tercantum lebih dari sekali pada layanan yang sama.",
    "nik_jk_beda": "Jenis kelamin tidak cocok dengan NIK.",
    "nik_kabkota": "Kode kab/kota dalam NIK berbeda dari kab/kota buku kerja.",
    "nik_kecamatan": "Kode kecamatan dalam NIK tidak dikenal.",
    "nik_kosong": "NIK kosong (boleh untuk penerima tanpa NIK, mis. terlantar atau korban "
                  "bencana).",
    "nik_lintas_layanan": "NIK yang sama terdaftar di beberapa layanan (wajar bila memang "
                          "membutuhkan).",
    "nik_notasi_ilmiah": "NIK tertulis dalam notasi ilmiah (digit sudah hilang).",
    "nik_panjang": "NIK tidak 16 digit.",
    "nik_provinsi": "Kode provinsi dalam NIK tidak dikenal.",
    "nik_tanggal": "Tanggal lahir dalam NIK tidak sah.",
    "nik_tanggal_beda": "Tanggal lahir tidak cocok dengan NIK.",
    "nik_urut": "Nomor urut NIK 0000.",
    "nilai_galat_excel": "Sel berisi nilai galat Excel (mis. #REF!, #N/A).",
    "penerima_tanpa_kebutuhan": "Penerima tanpa satu pun barang/jasa yang dibutuhkan.",
    "realisasi_lebih": "Realisasi anggaran melebihi alokasi.",
    "sel_digabung": "Sel digabung (merge) di dalam tabel.",
    "sheet_hilang": "Sheet yang diperlukan tidak ada.",
    "standar_nol": "Standar jumlah 0 untuk barang/jasa yang dibutuhkan.",
    "status_tidak_dikenal": "Status layanan tidak dikenal.",
    "tahun": "Tahun tidak sah.",
    "tanggal_tidak_valid": "Tanggal tidak sah.",
    "triwulan_tidak_valid": "Triwulan tidak sah.",
    "usia_anak": "Umur penerima layanan anak 18 tahun atau lebih.",
    "usia_lansia": "Umur penerima layanan lanjut usia di bawah 60 tahun.",
}

#: for a code this table does not know yet (a newer check): still no typed text
OTHER = "Temuan pemeriksaan data; rinciannya ada di sheet Pemeriksaan buku kerja kab/kota."


def describe(kode: str) -> str:
    """The generic sentence for a finding code."""
    return KINDS.get(kode, OTHER)


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """Every finding of one kind on one sheet: one row of a summary, however many cells."""
    tingkat: Severity
    kode: str
    sheet: str | None
    jumlah: int
    sel: str  # cell ranges, e.g. "B8:B120, B131" (shortened past MAX_RANGES)

    @property
    def keterangan(self) -> str:
        return describe(self.kode)


#: ranges listed per group; the rest is counted ("+N rentang lain")
MAX_RANGES = 40
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Findings grouped by (severity, sheet, code), in the order each group first appears."""
    cells: dict[tuple[Severity, str | None, str], list[str]] = {}
    counts: dict[tuple[Severity, str | None, str], int] = {}
    for f in findings:
        key = (f.tingkat, f.sheet, f.kode)
        counts[key] = counts.get(key, 0) + 1
        at = cells.setdefault(key, [])
        if f.sel:
            at.append(f.sel)
    return [FindingGroup(t, k, s, counts[(t, s, k)], cell_ranges(cells[(t, s, k)]))
            for (t, s, k) in counts]


def cell_ranges(refs: list[str]) -> str:
    """A1 references as column runs: ["B8", "B9", "B10", "D4"] -> "B8:B10, D4"."""
    by_column: dict[str, list[int]] = {}
    odd: list[str] = []
    for ref in refs:
        m = _CELL.match(ref)
        if m:
            by_column.setdefault(m.group(1), []).append(int(m.group(2)))
        elif ref not in odd:
            odd.append(ref)
    ranges: list[str] = []
    for col, rows in by_column.items():
        ordered = sorted(set(rows))
        start = prev = ordered[0]
        for r in [*ordered[1:], None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            ranges.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
            if r is not None:
                start = prev = r
    ranges += odd
    if len(ranges) > MAX_RANGES:
        rest = len(ranges) - MAX_RANGES
        return ", ".join(ranges[:MAX_RANGES]) + f", … (+{rest} rentang lain)"
    return ", ".join(ranges)
