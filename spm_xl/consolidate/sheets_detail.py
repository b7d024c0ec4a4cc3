"""The detail sheets: Belum Mengirim, Duplikat, Pemeriksaan, Sumber (long tables)."""

from __future__ import annotations

from collections.abc import Iterator

import xlsxwriter

from .. import labels
from ..book import outputs as o
from ..catalogue import load_catalogue
from ..finding_kinds import group_findings
from ..findings import SEVERITY_TEXT
from .model import FileReport, is_empty
from .neutral import code_label, file_label, reason, sheet_label, version_label
from .sheets import (
    BELUM_MENGIRIM,
    DUPLIKAT,
    KETERISIAN,
    PEMERIKSAAN,
    SUMBER,
    Book,
    Value,
    accepted,
    keterisian_of,
    long_table,
    region,
)
from .status import status_board

# --- Belum Mengirim ------------------------------------------------------------------------

def belum_mengirim(wb: xlsxwriter.Workbook, book: Book) -> None:
    """The status board: every kab/kota of the province and what became of its file."""
    cols = (o.Column("Kode Wilayah", "teks", 12), o.Column("Kab/Kota", "teks", 30),
            o.Column("Status", "teks", 16), o.Column("Berkas", "teks", 34),
            o.Column("Keterangan", "teks", 80))
    rows = ([s.kode, s.nama, s.status, ", ".join(s.berkas), s.keterangan]
            for s in status_board(book.gate))
    preamble = ([] if book.gate.province else
                [("Provinsi tidak dapat ditentukan; daftar kab/kota tidak tersedia.", True)])
    long_table(wb, book, BELUM_MENGIRIM, "Status Pengiriman Kab/Kota (Belum Mengirim, Ditolak, "
               "Konflik, Kosong, Dipakai)", cols, rows, preamble,
               empty="Daftar kab/kota provinsi ini tidak tersedia.")


# --- Duplikat ------------------------------------------------------------------------------

def duplikat(wb: xlsxwriter.Workbook, book: Book) -> None:
    cols = [o.Column("Grup", "nomor", 7), o.Column("ID Pseudonim", "teks", 22),
            o.Column(o.O_KODE_LAYANAN, "teks", 8), o.Column("Jumlah Kab/Kota", "bilangan", 10),
            o.Column("Kode Wilayah", "teks", 10), o.Column("Kab/Kota", "teks", 26),
            o.Column("Berkas", "teks", 30), o.Column(o.O_SHEET, "teks", 16),
            o.Column("Baris", "nomor", 8)]
    if book.personal:
        cols += [o.Column("NIK", "teks", 20), o.Column("Nama", "teks", 28),
                 o.Column("Tanggal Lahir", "teks", 12)]
    preamble = [
        ("Orang yang sama (NIK sama, atau nama dan tanggal lahir sama bila tanpa NIK) pada "
         "layanan yang sama di lebih dari satu kab/kota.", False),
        ("ID pseudonim dibuat dari NIK dengan kunci provinsi (HMAC-SHA256): tetap sama antar "
         "konsolidasi, tidak dapat dibalik menjadi NIK. Berkas, sheet dan baris menunjuk "
         "orangnya di buku kerja kab/kota.", False),
    ]
    if book.personal:
        preamble.insert(0, ("PERINGATAN: sheet ini berisi data pribadi (nama dan NIK, UU "
                            "27/2022). Jangan dibagikan; hapus bila tidak diperlukan lagi.",
                            True))
    long_table(wb, book, DUPLIKAT, "Penerima Terdaftar di Lebih dari Satu Kab/Kota", cols,
               _duplicate_rows(book), preamble,
               empty="Tidak ada penerima yang terdaftar di lebih dari satu kab/kota.")


def _duplicate_rows(book: Book) -> Iterator[list[Value]]:
    districts = book.gate.districts
    for n, group in enumerate(book.duplicates, start=1):
        pid = book.pseudonyms[group.digest]
        count = len(group.districts)
        for m in group.members:
            report = districts[m.district]
            ident = report.identity
            assert ident is not None
            values: list[Value] = [n, pid, group.layanan, count, ident.kode, region(report),
                                   file_label(report), sheet_label(m.keys.sheet), m.row]
            if book.personal:
                k = m.keys
                values += [k.nik[m.position] if k.nik else None,
                           k.nama[m.position] if k.nama else None,
                           k.lahir[m.position] if k.lahir else None]
            yield values


# --- Pemeriksaan ---------------------------------------------------------------------------

def pemeriksaan(wb: xlsxwriter.Workbook, book: Book) -> None:
    """One row per district, sheet and kind of finding, with a count and the cell ranges.

    The district's own Pemeriksaan lists every cell with its message; the province needs to
    know what to send back, and 20,000 "NIK kosong" rows would only bury it. The text is the
    kind's generic sentence, never what a district typed.
    """
    cols = (o.Column("Kode Wilayah", "teks", 10), o.Column("Daerah", "teks", 24),
            o.Column("Berkas", "teks", 28), o.Column(o.O_TINGKAT, "teks", 11),
            o.Column(o.O_SHEET, "teks", 16), o.Column(o.O_KODE, "teks", 22),
            o.Column("Jumlah", "bilangan", 9), o.Column(o.O_SEL, "teks", 30),
            o.Column("Keterangan", "teks", 80))
    preamble = [("Satu baris per kab/kota, sheet dan jenis temuan. Rincian per sel ada di sheet "
                 "Pemeriksaan buku kerja kab/kota masing-masing.", False)]
    long_table(wb, book, PEMERIKSAAN, "Pemeriksaan Data Seluruh Berkas", cols,
               _finding_rows(book), preamble, empty="Tidak ada temuan.")


def _finding_rows(book: Book) -> Iterator[list[Value]]:
    g = book.gate
    for x in g.rejected:
        yield _file_row(x.report, "berkas_ditolak",
                        f"Berkas tidak dipakai: {reason(str(x.alasan), x.report)}")
    for c in g.conflicts:
        names = ", ".join(file_label(r) for r in c.reports)
        for r in c.reports:
            yield _file_row(r, "konflik_kabkota",
                            f"Kab/kota {c.kode} dikirim dalam lebih dari satu berkas ({names}); "
                            "tidak ada yang dipakai sampai hanya satu yang dikirim.")
    for r in accepted(book):
        for grp in group_findings(r.findings):
            yield [*_where(r), SEVERITY_TEXT[grp.tingkat], sheet_label(grp.sheet), grp.kode,
                   grp.jumlah,
                   grp.sel or None, grp.keterangan]


def _file_row(r: FileReport, kode: str, why: str) -> list[Value]:
    return [*_where(r), SEVERITY_TEXT["galat"], None, kode, 1, None, why]


def _where(r: FileReport) -> list[Value]:
    ident = r.identity
    # names as the province may show them: never what a district typed (issue 12)
    return [code_label(ident.kode) if ident else None, region(r) if ident else None,
            file_label(r)]


# --- Sumber --------------------------------------------------------------------------------

def sumber(wb: xlsxwriter.Workbook, book: Book) -> None:
    codes = [s.kode for s in load_catalogue().layanan
             if any(s.kode in r.rows for r in book.sources)]
    cols = [o.Column("Berkas", "teks", 30), o.Column("SHA-256", "teks", 66),
            o.Column("Ukuran (byte)", "bilangan", 12), o.Column("Versi Templat", "teks", 9),
            o.Column("Tingkat", "teks", 14), o.Column("Kode Wilayah", "teks", 10),
            o.Column("Nama Wilayah", "teks", 26), o.Column("Tahun", "teks", 7),
            o.Column("Triwulan", "teks", 8),
            *(o.Column(f"Baris {c}", "bilangan", 8) for c in codes),
            o.Column("Status", "teks", 70), o.Column(KETERISIAN, "indeks", 11),
            o.Column("Permasalahan Diisi", "teks", 12), o.Column("Tahapan Diisi", "teks", 12)]
    status = _statuses(book)

    def rows() -> Iterator[list[Value]]:
        for r in book.sources:
            ident = r.identity
            yield [file_label(r), r.source.sha256, r.source.size,
                   version_label(ident.versi_templat) if ident else None,
                   labels.TINGKAT_TEXT.get(ident.tingkat) if ident else None,
                   code_label(ident.kode) if ident else None,
                   region(r) if ident else None,
                   ident.tahun if ident else None,
                   labels.QUARTER_ROMAN[ident.triwulan - 1]
                   if ident and 1 <= ident.triwulan <= 4 else None,
                   *(r.rows.get(c) for c in codes), status.get(r.source.path, ""),
                   keterisian_of(r), *filled_text(r)]

    long_table(wb, book, SUMBER, "Sumber Data: Berkas yang Diperiksa", cols, rows(),
               empty="Tidak ada berkas.")


def filled_text(r: FileReport) -> tuple[str | None, str | None]:
    """Only whether Permasalahan/Tahapan were filled: their free text stays in the district."""
    if r.narasi is None:
        return None, None
    return _filled(r.narasi.permasalahan), _filled(r.narasi.tahapan)


def _filled(value: bool | None) -> str:
    return "sheet tidak ada" if value is None else "Ya" if value else "Tidak"


def _statuses(book: Book) -> dict[str, str]:
    g = book.gate
    out = {r.source.path: reason(r.error, r) for r in book.sources
           if r.error and r.error.startswith("Dilewati")}
    out.update({r.source.path: "Dipakai" for r in g.districts})
    if g.own is not None:
        out[g.own.source.path] = "Dipakai (buku kerja provinsi, P1-P5)"
    for x in g.rejected:
        out[x.report.source.path] = f"Ditolak: {reason(x.alasan, x.report)}"
    for c in g.conflicts:
        for r in c.reports:
            others = ", ".join(file_label(x) for x in c.reports if x is not r)
            out[r.source.path] = (f"Konflik: kab/kota {c.kode} juga dikirim dalam {others}; "
                                  "tidak dipakai")
    for r in g.districts:
        if is_empty(r):
            out[r.source.path] = "Kosong: tidak ada baris penerima; tidak diperingkat"
    for copy, original in g.copies:
        out[copy.source.path] = (f"Salinan identik dari {file_label(original)} (SHA-256 sama); "
                                 "dihitung sekali")
    return out
