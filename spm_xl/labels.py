"""Sheet names and header labels of the workbook: a public contract (SPEC 3).

Admins, province scripts and the consolidation find tables by these labels, never by
position, so they change only with a new template version.
"""

from __future__ import annotations

# input sheets
PETUNJUK = "Petunjuk"
IDENTITAS = "Identitas"
HARGA = "Harga Satuan"
ANGGARAN = "Anggaran"
KONFIGURASI = "Konfigurasi"
#: template 1.1: the text part of the quarterly e-SPM report (absent from template 1.0)
PERMASALAHAN = "Permasalahan"
TAHAPAN = "Tahapan"

# output sheets (written by Hitung Ulang / spm-xl hitung)
KEBUTUHAN = "Kebutuhan"
CAPAIAN = "Capaian"
LAPORAN = "Laporan e-SPM"
DASHBOARD = "Dashboard"
PEMERIKSAAN = "Pemeriksaan"
OUTPUT_SHEETS = (KEBUTUHAN, CAPAIAN, LAPORAN, DASHBOARD, PEMERIKSAAN)

# Identitas: label in column A, value in column B
ID_TINGKAT = "Tingkat"
ID_KODE = "Kode Wilayah"
ID_NAMA = "Nama Wilayah"
ID_PROVINSI = "Provinsi"
ID_TAHUN = "Tahun"
ID_TRIWULAN = "Triwulan"
ID_ADMIN = "Nama Admin"
ID_VERSI = "Versi Templat"
IDENTITAS_LABELS = (ID_TINGKAT, ID_KODE, ID_NAMA, ID_PROVINSI, ID_TAHUN, ID_TRIWULAN, ID_ADMIN,
                    ID_VERSI)
TINGKAT_TEXT = {"kabkota": "Kabupaten/Kota", "provinsi": "Provinsi"}

# Harga Satuan
H_LAYANAN = "Kode Layanan"
H_ITEM_KODE = "Kode Item"
H_ITEM = "Item"
H_SATUAN = "Satuan"
H_STANDAR = "Standar per Penerima"
H_HARGA = "Harga Satuan (Rp)"
H_TERSEDIA = "Tersedia"
H_SUMBER = "Sumber Harga"
HARGA_HEADERS = (H_LAYANAN, H_ITEM_KODE, H_ITEM, H_SATUAN, H_STANDAR, H_HARGA, H_TERSEDIA,
                 H_SUMBER)

# Anggaran
A_LAYANAN = "Kode Layanan"
A_ALOKASI = "Alokasi (Rp)"
A_REALISASI = ("Realisasi TW I (Rp)", "Realisasi TW II (Rp)", "Realisasi TW III (Rp)",
               "Realisasi TW IV (Rp)")
ANGGARAN_HEADERS = (A_LAYANAN, A_ALOKASI, *A_REALISASI)

# Konfigurasi: label in column A, value in column B
K_BOBOT_PENERIMA = "Bobot Persen Penerima"
K_BOBOT_MUTU = "Bobot Persen Mutu"
K_AMBANG_PREFIX = "Ambang "  # followed by a category label, e.g. "Ambang Tuntas Utama"
K_TANPA_SASARAN = "Layanan Tanpa Sasaran"
K_AMBANG_BENCANA = "Batas Korban Bencana Kab/Kota"
TANPA_SASARAN_TEXT = {"kecualikan": "Dikecualikan dari rata-rata",
                      "hitung_100": "Dihitung 100"}
# template 1.1 options (a 1.0 workbook lacks them and gets the defaults)
K_PERSEN_MUTU = "Cara Hitung Persen Mutu"
PERSEN_MUTU_TEXT = {"gabungan": "Gabungan seluruh item",
                    "rata_item": "Rata-rata persen per item"}
K_BATAS_100 = "Persen Mutu per Item Dibatasi 100"
#: Konfigurasi switch per optional item, by item code
K_ITEM_OPSIONAL = {"layanan_kedaruratan": "Item Layanan Kedaruratan (K1-K4)",
                   "layanan_data_pengaduan": "Item Layanan Data dan Pengaduan (K1-K4)"}
K_PERMAKANAN_PREFIX = "Hari Permakanan "  # followed by a service code, a note row
YA, TIDAK = "Ya", "Tidak"

# Permasalahan: one row per service
M_LAYANAN = "Kode Layanan"
M_PERMASALAHAN = "Permasalahan"
M_SOLUSI = "Solusi/Tindak Lanjut"
M_DUKUNGAN = "Dukungan yang Dibutuhkan"
PERMASALAHAN_HEADERS = (M_LAYANAN, M_PERMASALAHAN, M_SOLUSI, M_DUKUNGAN)

# Tahapan: the four stages of applying the SPM, then the Perkada on the action plan
T_TAHAP = "Tahap"
T_STATUS = "Status"
T_TANGGAL = "Tanggal"
TAHAPAN_HEADERS = (T_TAHAP, T_STATUS, T_TANGGAL)
TAHAP_NAMES = ("Pengumpulan Data", "Penghitungan Kebutuhan Pemenuhan Pelayanan Dasar",
               "Penyusunan Rencana Pemenuhan Pelayanan Dasar",
               "Pelaksanaan Pemenuhan Pelayanan Dasar")
TAHAP_STATUS = ("Belum", "Proses", "Selesai")
T_PERKADA = "Perkada Rencana Aksi Ada"

#: what the figure of the whole region is called (SPEC 10): the social field's index only
INDEKS_BIDANG_SOSIAL = "Indeks SPM Bidang Sosial"

# service data sheets
D_NO = "No"
D_NIK = "NIK"
D_KK = "No KK"
D_NAMA = "Nama"
D_JK = "Jenis Kelamin"
D_LAHIR = "Tanggal Lahir"
D_ALAMAT = "Alamat"
D_DESA = "Desa/Kelurahan"
D_KECAMATAN = "Kecamatan"
D_ASESMEN = "Tanggal Asesmen"
D_KEJADIAN = "Kejadian Bencana"
D_TGL_KEJADIAN = "Tanggal Kejadian"
D_RENTAN = "Kelompok Rentan"
D_KETERANGAN = "Keterangan"
PERSON_HEADERS = (D_NO, D_NIK, D_KK, D_NAMA, D_JK, D_LAHIR, D_ALAMAT, D_DESA, D_KECAMATAN,
                  D_ASESMEN)
DISASTER_HEADERS = (D_KEJADIAN, D_TGL_KEJADIAN, D_RENTAN)

# status values offered by the drop-down
STATUS_CHOICES = ("-", "Butuh", "TW1", "TW2", "TW3", "TW4")
QUARTER_ROMAN = ("I", "II", "III", "IV")

# the header row is searched for within this many rows (SPEC 3)
HEADER_SEARCH_ROWS = 15


def data_headers(item_labels: list[str], disaster: bool) -> list[str]:
    """The header row of one service sheet, in template order."""
    extra = list(DISASTER_HEADERS) if disaster else []
    return [*PERSON_HEADERS, *extra, *item_labels, D_KETERANGAN]

# the stamp on every output sheet, row 2: label, value, label, value, label, value
STAMP_ROW = 2
#: output sheets whose saved figures a consolidation compares with its own, and the rows
#: read of each (every output table is short: services x items)
SAVED_SHEETS = (CAPAIAN, LAPORAN, KEBUTUHAN, DASHBOARD)
SAVED_ROWS = HEADER_SEARCH_ROWS + 400
STAMP_VERSI = "Versi Program"
STAMP_WAKTU = "Waktu Hitung"
STAMP_SIDIK = "Sidik Masukan"

#: columns right of each input table left unlocked for the admin's own use (Petunjuk says so)
OWN_COLUMNS = 20
