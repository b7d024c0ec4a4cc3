"""The ``Data Tren`` sheet: the stable, machine-readable part of a provincial workbook.

``spm-xl konsolidasi`` writes it and ``spm-xl tren`` reads it back by its header labels, so
the trend never depends on how the human-facing sheets (Rekap Kab-Kota, Belum Mengirim) are
laid out. One row per kab/kota and service that was consolidated, one row (no service code)
per kab/kota whose file was rejected, in conflict or missing. Aggregates only: no names,
no NIKs, no free text (a rejection is a reason code, see ``REASON_TEXT``).
"""

from __future__ import annotations

DATA_TREN = "Data Tren"

C_TAHUN = "Tahun"
C_TRIWULAN = "Triwulan"
C_PROVINSI = "Kode Provinsi"
C_KODE = "Kode Kab/Kota"
C_NAMA = "Nama Kab/Kota"
C_LAYANAN = "Kode Layanan"
C_SASARAN = "Sasaran"
C_TERLAYANI = "Terlayani"
C_INDEKS = "Indeks"
C_KATEGORI = "Kategori"
C_INDEKS_DAERAH = "Indeks SPM Bidang Sosial"
C_KATEGORI_DAERAH = "Kategori Daerah"
C_STATUS = "Status"
C_ALASAN = "Kode Alasan"
C_KETERISIAN = "Keterisian"
C_WAKTU = "Waktu Konsolidasi"
COLUMNS = (C_TAHUN, C_TRIWULAN, C_PROVINSI, C_KODE, C_NAMA, C_LAYANAN, C_SASARAN, C_TERLAYANI,
           C_INDEKS, C_KATEGORI, C_INDEKS_DAERAH, C_KATEGORI_DAERAH, C_STATUS, C_ALASAN,
           C_KETERISIAN, C_WAKTU)

DIKIRIM, DITOLAK, KONFLIK, BELUM = "dikirim", "ditolak", "konflik", "belum mengirim"
STATUSES = (DIKIRIM, DITOLAK, KONFLIK, BELUM)

#: reason code -> what it means (a rejection's full sentence stays in the Pemeriksaan sheet)
REASON_TEXT = {
    "tidak_terbaca": "berkas tidak dapat dibaca",
    "versi_templat": "versi templat tidak didukung",
    "tingkat": "bukan buku kerja kab/kota",
    "kode_wilayah": "kode wilayah tidak dikenal",
    "provinsi_lain": "kab/kota provinsi lain",
    "periode_berbeda": "periode laporan berbeda",
    "konflik": "lebih dari satu berkas untuk kab/kota ini",
    "lainnya": "alasan lain (lihat sheet Pemeriksaan)",
}
#: the consolidation gate's reason code (``consolidate.inputs.Rejection.kode``) -> this
#: sheet's reason code; the sheet's codes stay as first written, since ``tren`` reads old
#: workbooks back
_GATE_CODES = {"tidak_terbaca": "tidak_terbaca", "versi_templat": "versi_templat",
               "tingkat_salah": "tingkat", "kode_wilayah_tidak_dikenal": "kode_wilayah",
               "provinsi_lain": "provinsi_lain", "periode_beda": "periode_berbeda"}


def reason_code(gate_code: str) -> str:
    """This sheet's reason code for a gate's rejection (``lainnya`` when it has none)."""
    return _GATE_CODES.get(gate_code, "lainnya")
