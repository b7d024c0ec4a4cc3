"""The text of the Petunjuk sheet: what an admin reads before touching the workbook.

Kept apart from the sheet layout so the wording can be reviewed (and translated back for
developers) without reading XlsxWriter calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import labels
from ..catalogue import Catalogue, Level

Kind = Literal["bagian", "teks", "butir", "tabel"]


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the guide: a section title, a paragraph, a bullet, or a two-column row."""
    kind: Kind
    text: str
    detail: str = ""


def guide(catalogue: Catalogue, level: Level, macros: bool) -> list[Line]:
    """The guide for one level; ``macros`` says whether the buttons exist in this file."""
    services = catalogue.services(level)
    service_sheets = ", ".join(s.sheet for s in services)
    # without buttons the admin runs the command (or the add-in): say so wherever we say "run"
    check, compute = (("Periksa Data", "Hitung Ulang") if macros else
                      ("spm-xl periksa (Periksa Data di add-in xlwings)",
                       "spm-xl hitung (Hitung Ulang di add-in xlwings)"))
    lines = [
        Line("bagian", "Tentang buku kerja ini"),
        Line("teks", "Buku kerja ini dipakai untuk menerapkan Standar Pelayanan Minimal (SPM) "
             "Bidang Sosial: mencatat penerima layanan dasar, menghitung kebutuhan pemenuhan "
             "pelayanan dasar, menyusun rencana anggaran, dan melaporkan capaian setiap "
             "triwulan melalui aplikasi e-SPM."),
        Line("teks", "Lembar bertab kuning adalah lembar isian. Lembar bertab hijau adalah lembar "
             "hasil yang diisi oleh program; jangan mengetik di lembar hasil karena isinya "
             "ditimpa setiap kali dihitung ulang."),
        Line("bagian", "Langkah kerja (empat tahap penerapan SPM)"),
        Line("butir", "Tahap 1 - Pengumpulan data: isi lembar Identitas (kode wilayah, tahun, "
             "triwulan yang dilaporkan, nama admin). Lalu isi satu baris per penerima pada "
             f"lembar layanan ({service_sheets}) dengan identitas lengkap sesuai hasil asesmen."),
        Line("butir", "Tahap 2 - Penghitungan kebutuhan: pada lembar layanan, tandai barang/jasa "
             "yang dibutuhkan setiap penerima menurut asesmennya (tidak harus semuanya). Isi "
             "harga satuan dan jumlah yang sudah tersedia pada lembar Harga Satuan."),
        Line("butir", "Tahap 3 - Penyusunan rencana: isi alokasi anggaran per layanan pada lembar "
             "Anggaran. Lembar Kebutuhan menunjukkan biaya yang dibutuhkan sebagai acuan."),
        Line("butir", "Tahap 4 - Pelaksanaan: setiap kali barang/jasa diterima, ganti tanda Butuh "
             "dengan triwulan penerimaannya (TW1 sampai TW4) dan isi realisasi anggaran per "
             "triwulan. Pilih triwulan yang dilaporkan pada lembar Identitas, jalankan "
             f"{compute}, lalu salin angka dari lembar Laporan e-SPM ke aplikasi e-SPM."),
        Line("butir", f"Laporan triwulan: isi lembar {labels.PERMASALAHAN} (permasalahan, "
             f"solusi/tindak lanjut dan dukungan yang dibutuhkan per layanan) dan lembar "
             f"{labels.TAHAPAN} (status Belum/Proses/Selesai dan tanggal setiap tahap, serta "
             "ada tidaknya Perkada rencana aksi). Isinya tampil pada bagian D dan E lembar "
             "Laporan e-SPM. Isian teks ini tidak ikut ke buku kerja konsolidasi provinsi; "
             "provinsi hanya melihat apakah lembar itu sudah diisi."),
        Line("butir", f"{labels.INDEKS_BIDANG_SOSIAL} adalah rata-rata indeks layanan bidang "
             "sosial saja; indeks e-SPM daerah mencakup enam bidang. Kategori Tuntas Paripurna "
             "hanya diberikan bila indeks tepat 100; kategori lain dinilai dari indeks yang "
             "dibulatkan dua desimal."),
        Line("bagian", "Cara menandai status barang/jasa (satu sel per penerima dan barang/jasa)"),
        Line("tabel", "Nilai", "Arti"),
        Line("tabel", "kosong atau -", "tidak dibutuhkan oleh penerima ini"),
        Line("tabel", "Butuh", "dibutuhkan, belum diterima"),
        Line("tabel", "TW1, TW2, TW3, TW4",
             "sudah diterima pada triwulan itu (berarti juga dibutuhkan)"),
        Line("teks", "Pilih nilai dari daftar pada sel. Ketikan seperti 'TW 1', 'Triwulan I', "
             "'I' sampai 'IV' atau '1' sampai '4' (huruf besar atau kecil) juga diterima. "
             "Nilai lain dilaporkan sebagai galat pada lembar Pemeriksaan, lengkap dengan "
             "alamat selnya."),
        Line("teks", "Baris yang berisi identitas tetapi tanpa satu pun barang/jasa yang ditandai "
             "belum dihitung sebagai penerima (peringatan 'penerima tanpa kebutuhan'). Baris yang "
             "kosong seluruhnya diabaikan."),
        Line("bagian", "Impor daftar penerima dan buku kerja tahun berikutnya"),
        Line("butir", "Daftar yang sudah ada (ekstrak DTKS/DTSEN, hasil asesmen, daftar dari "
             "instansi lain, .xlsx atau .csv) dapat dimasukkan ke satu lembar layanan dengan "
             "spm-xl impor DAFTAR --layanan K3 --ke BUKU. Orang yang sudah ada di lembar (NIK "
             "sama, atau nama dan tanggal lahir sama bila tanpa NIK) tidak ditambahkan lagi; "
             "kolom yang tidak dibutuhkan SPM (misalnya nama ibu kandung) tidak dibawa."),
        Line("butir", "Orang yang diimpor belum ditandai barang/jasa apa pun: mereka calon "
             "penerima sampai asesmen menandai kebutuhannya, karena terdaftar di DTKS/DTSEN "
             "belum berarti berhak. Setelah asesmen, tandai Butuh pada barang/jasa yang "
             "dibutuhkan."),
        Line("butir", "Awal tahun: spm-xl tahun-baru BUKU --tahun TAHUN -o BARU membuat buku "
             "kerja tahun berikutnya dari templat terkini. Harga satuan, standar, persediaan dan "
             "Konfigurasi dibawa; anggaran diisi baru. Penerima yang masih memiliki tanda Butuh "
             "dibawa dengan tanda Butuh itu saja; penerima yang sudah terlayani penuh tidak "
             "dibawa."),
        Line("bagian", "NIK dan Nomor KK"),
        Line("teks", "Kolom NIK dan No KK berformat Teks. Jangan mengubahnya menjadi Angka: Excel "
             "hanya menyimpan 15 digit angka, sehingga digit terakhir NIK hilang dan tidak dapat "
             "dipulihkan. Saat menempel data dari berkas lain, gunakan Tempel Spesial > Nilai "
             "(Paste Special > Values) agar format Teks tetap."),
        Line("teks", "NIK boleh dikosongkan bila penerima belum memiliki NIK (misalnya gelandangan "
             "atau korban bencana); fasilitasi dokumen kependudukan termasuk layanan yang dapat "
             "diberikan kepadanya."),
        Line("bagian", "Periksa Data dan Hitung Ulang" if macros else
             "Memeriksa dan menghitung (spm-xl periksa dan spm-xl hitung)"),
        Line("butir", f"{check} memeriksa seluruh isian (NIK, tanggal, status, harga, data "
             "ganda) dan melaporkan temuannya: Galat, Peringatan atau Info, dengan lembar dan "
             "selnya" + (". Temuan ditulis ke lembar Pemeriksaan dengan tautan yang langsung "
                         "menuju sel bermasalah; sel bermasalah juga diberi warna, dan warna "
                         "itu dihapus pada pemeriksaan berikutnya." if macros else
                         "; spm-xl hitung juga menulisnya ke lembar Pemeriksaan dengan tautan "
                         "yang langsung menuju sel bermasalah.")),
        Line("butir", f"{compute} memeriksa data, lalu menghitung kebutuhan, capaian, anggaran "
             "dan laporan triwulan ke lembar Kebutuhan, Capaian, Laporan e-SPM dan Dashboard. "
             "Lembar isian tidak pernah diubah oleh perhitungan."),
        Line("butir", "Setiap lembar hasil mencantumkan versi program, waktu hitung dan sidik "
             "masukan. Bila data diubah sesudah dihitung, hasil dinyatakan kedaluwarsa sampai "
             f"{compute} dijalankan lagi."),
    ]
    if macros:
        lines += [
            Line("butir", "Tombol Periksa Data dan Hitung Ulang ada di lembar ini dan di lembar "
                 "Identitas. Tombol memerlukan Python, paket spm-xl dan add-in xlwings yang "
                 "sudah terpasang di komputer ini (lihat README)."),
            Line("butir", "Bila Excel menampilkan peringatan keamanan makro, klik Aktifkan Konten "
                 "(Enable Content) hanya untuk templat yang diperoleh dari sumber resmi."),
        ]
    else:
        lines += [
            Line("butir", "Berkas .xlsx ini tidak berisi makro. Jalankan pemeriksaan dan "
                 "perhitungan dari terminal: spm-xl periksa NAMA_BERKAS.xlsx dan spm-xl hitung "
                 "NAMA_BERKAS.xlsx, atau melalui add-in xlwings. Gunakan templat .xlsm bila "
                 "menginginkan tombol di dalam buku kerja."),
        ]
    lines += [
        Line("bagian", "Aturan lembar"),
        Line("butir", "Jangan mengganti nama lembar atau judul kolom: program mencari tabel "
             "berdasarkan judul kolomnya. Menambah baris judul di atas tabel, atau kolom milik "
             "sendiri di sebelah kanan tabel, tetap diperbolehkan."),
        Line("butir", "Lembar isian dilindungi tanpa kata sandi agar judul kolom tidak terhapus "
             "tanpa sengaja. Menyisipkan dan menghapus baris, menyisipkan kolom, mengatur "
             "format, mengurutkan dan menyaring tetap dapat dilakukan."),
        Line("butir", "Kolom milik sendiri: ketik judul dan isinya langsung di kolom kosong di "
             f"sebelah kanan tabel; {labels.OWN_COLUMNS} kolom pertama di kanan tabel tidak "
             "dikunci (perlu lebih: buka proteksi lembar seperti di bawah)."),
        Line("butir", "Baris judul di atas tabel: klik kanan nomor baris judul kolom > Sisipkan "
             "(Insert). Sel baris baru ikut terkunci seperti judul kolom, jadi buka dulu "
             "proteksinya (Tinjau > Buka Proteksi Lembar / Review > Unprotect Sheet, tanpa "
             "kata sandi), ketik judulnya, lalu lindungi lagi (Tinjau > Proteksi Lembar)."),
        Line("butir", "Lembar Konfigurasi berisi bobot, ambang kategori dan aturan lain dengan "
             "nilai bawaan. Ubah hanya bila daerah menetapkan nilai lain: Tinjau > Buka "
             "Proteksi Lembar (Review > Unprotect Sheet)."),
    ]
    if level == "kabkota":
        lines.append(Line(
            "butir", f"Kejadian bencana dengan korban lebih dari {catalogue.ambang_bencana} "
            "orang menjadi kewenangan provinsi; program memberi peringatan agar "
            "dikoordinasikan dengan provinsi."))
    lines += [
        Line("bagian", "Pelindungan data pribadi"),
        Line("teks", "Buku kerja ini memuat data pribadi yang bersifat spesifik (NIK anak, "
             "penyandang disabilitas dan korban bencana) menurut UU 27/2022 tentang Pelindungan "
             "Data Pribadi. Simpan di komputer kantor, jangan diunggah ke layanan publik, dan "
             "kirimkan ke provinsi hanya melalui saluran resmi. Program ini tidak mengirim data "
             "ke mana pun."),
        Line("bagian", "Daftar lembar"),
        Line("tabel", labels.PETUNJUK, "petunjuk ini"),
        Line("tabel", labels.IDENTITAS, "wilayah, tahun, triwulan yang dilaporkan, admin"),
        Line("tabel", labels.HARGA, "harga satuan, standar per penerima, jumlah tersedia"),
        Line("tabel", labels.ANGGARAN, "alokasi dan realisasi anggaran per triwulan"),
        Line("tabel", labels.KONFIGURASI, "bobot, ambang kategori, aturan sasaran nol, cara "
             "hitung persen mutu, item opsional, catatan hari permakanan"),
        *[Line("tabel", s.sheet, s.nama) for s in services],
        Line("tabel", labels.PERMASALAHAN, "per layanan: permasalahan, solusi/tindak lanjut, "
             "dukungan yang dibutuhkan (bagian D Laporan e-SPM)"),
        Line("tabel", labels.TAHAPAN, "status empat tahap penerapan SPM dan Perkada rencana "
             "aksi (bagian E Laporan e-SPM)"),
        Line("tabel", labels.KEBUTUHAN, "hasil: kebutuhan dan biaya per layanan dan barang/jasa"),
        Line("tabel", labels.CAPAIAN, "hasil: capaian dan indeks per triwulan"),
        Line("tabel", labels.LAPORAN, "hasil: angka untuk aplikasi e-SPM"),
        Line("tabel", labels.DASHBOARD, "hasil: grafik"),
        Line("tabel", labels.PEMERIKSAAN, "hasil: temuan pemeriksaan data"),
        Line("bagian", "Dasar hukum"),
        *[Line("butir", law) for law in catalogue.dasar_hukum],
        *[Line("teks", f"Catatan: {note}") for note in catalogue.catatan_hukum],
    ]
    return lines
