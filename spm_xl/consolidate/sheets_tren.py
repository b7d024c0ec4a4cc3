"""The Data Tren sheet of the provincial workbook (read back by ``spm-xl tren``)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import xlsxwriter

from ..book import outputs as o
from ..regions import regions
from ..trend import datasheet as d
from .model import FileReport
from .sheets import Book, Value, long_table, quarter, region


def data_tren(wb: xlsxwriter.Workbook, book: Book) -> None:
    kinds: dict[str, o.Kind] = {d.C_TAHUN: "teks", d.C_TRIWULAN: "bilangan",
                                d.C_SASARAN: "bilangan", d.C_TERLAYANI: "bilangan",
                                d.C_INDEKS: "indeks", d.C_INDEKS_DAERAH: "indeks",
                                d.C_KETERISIAN: "indeks"}
    cols = [o.Column(c, kinds.get(c, "teks"), 14) for c in d.COLUMNS]
    long_table(wb, book, d.DATA_TREN, "Data Tren (untuk spm-xl tren; jangan diubah)", cols,
               _rows(book), preamble=[(
                   "Satu baris per kab/kota dan layanan yang dikonsolidasikan; satu baris tanpa "
                   "kode layanan per kab/kota yang ditolak, konflik atau belum mengirim. "
                   "Hanya angka agregat.", False)])


def _rows(book: Book) -> Iterator[list[Value]]:
    g = book.gate
    if g.period is None or g.province is None:
        return
    q = quarter(book)
    head: list[Value] = [g.period[0], q, g.province.kode]
    waktu = book.stamp.waktu
    for r in g.districts:
        assert r.identity is not None and r.result is not None
        res = r.result
        score = r.keterisian.skor if r.keterisian else None
        for s in res.layanan:
            a = s.capaian
            yield [*head, r.identity.kode, region(r), a.layanan, a.sasaran, a.terlayani[q - 1],
                   _index(a.indeks[q - 1]), a.kategori[q - 1] or o.TIDAK_ADA_SASARAN,
                   _index(res.indeks_daerah[q - 1]),
                   res.kategori_daerah[q - 1] or o.TIDAK_ADA_SASARAN, d.DIKIRIM, None,
                   _index(score), waktu]
    for kode, (status, alasan) in sorted(_not_sent(book).items()):
        yield [*head, kode, regions().kabkota[kode].nama if kode in regions().kabkota else kode,
               None, None, None, None, None, None, None, status, alasan, None, waktu]


def _index(value: object) -> Value:
    return o.shown(value) if isinstance(value, Fraction) else None


def _not_sent(book: Book) -> dict[str, tuple[str, str | None]]:
    """Status and reason code of every kab/kota of the province that has no used file."""
    g = book.gate
    out: dict[str, tuple[str, str | None]] = {k.kode: (d.BELUM, None) for k in g.missing}
    for c in g.conflicts:
        out[c.kode] = (d.KONFLIK, "konflik")
    used = {r.identity.kode for r in g.districts if r.identity is not None}
    for x in g.rejected:
        kode = _kabkota_of(x.report)
        if kode is not None and kode in out and out[kode][0] == d.BELUM and kode not in used:
            out[kode] = (d.DITOLAK, d.reason_code(x.kode))
    return out


def _kabkota_of(r: FileReport) -> str | None:
    return r.identity.kode if r.identity is not None else None

