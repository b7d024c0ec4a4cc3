"""The summary sheets: Ringkasan, Rekap Kab-Kota, Rekap Layanan, Kebutuhan, Dashboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .. import labels
from ..book import outputs as o
from ..catalogue import load_catalogue
from ..engine import category, rupiah
from ..quarters import BELUM
from ..records import Settings
from ..regions import regions
from .model import FileReport, is_empty
from .neutral import file_label
from .previous import previous_columns, previous_values, ringkasan_section
from .sheets import (
    DASHBOARD,
    HEAD,
    KEBUTUHAN,
    KETERISIAN,
    REKAP_KABKOTA,
    REKAP_LAYANAN,
    RINGKASAN,
    Book,
    accepted,
    begin,
    keterisian_of,
    quarter,
    region,
    service_name,
    share_or,
    short,
)
from .status import DIPAKAI, KOSONG, status_board
from .summary import (
    ItemRecap,
    ServiceRecap,
    item_recap,
    ladder_differs,
    province_settings,
    province_text,
    ranking,
    result_of,
    service_recap,
    totals,
)

# --- Ringkasan -----------------------------------------------------------------------------

def ringkasan(wb: xlsxwriter.Workbook, book: Book) -> None:
    g = book.gate
    q = quarter(book)
    ws = begin(wb, RINGKASAN, "Ringkasan Konsolidasi SPM Bidang Sosial", book,
               [58, 18, 18, 18, 18, 18, 20, 20])
    label = o.named_format(wb, "stempel_label")
    bold = wb.add_format({"bold": True})
    text = o.cell_format(wb, "teks")
    count = o.cell_format(wb, "bilangan")
    all_kabkota = len(regions().kabkota_of(g.province.kode)) if g.province else 0
    facts: list[tuple[str, str | int]] = [
        ("Provinsi", province_text(g.province)),
        ("Dasar pemilihan provinsi", g.province.alasan if g.province else "-"),
        ("Tahun", g.period[0] if g.period else "-"),
        ("Triwulan dilaporkan", labels.QUARTER_ROMAN[q - 1] if g.period else "-"),
        ("Berkas diperiksa", len(book.sources)),
        ("Kab/kota dikonsolidasikan", f"{len(g.districts)} dari {all_kabkota}"),
        ("Buku kerja provinsi sendiri (P1-P5)", file_label(g.own) if g.own else "tidak ada"),
        ("Berkas ditolak", len(g.rejected)),
        ("Kab/kota dengan berkas ganda (konflik, tidak dipakai)", len(g.conflicts)),
        ("Kab/kota belum mengirim", len(g.missing)),
        ("Orang terdaftar di lebih dari satu kab/kota (layanan sama)", book.duplicate_persons),
        ("ID pseudonim", "HMAC-SHA256 dengan kunci provinsi; " + book.key_note),
        ("Data pribadi di buku kerja ini", "YA: nama dan NIK pada sheet Duplikat"
         if book.personal else "tidak ada (tanpa nama dan NIK)"),
    ]
    row = o.write_section(ws, wb, HEAD, "Konsolidasi")
    for name, value in facts:
        ws.write_string(row, 0, name, bold)
        if isinstance(value, int):  # a year without a thousands separator
            ws.write_number(row, 1, value, text if name == "Tahun" else count)
        else:
            ws.write_string(row, 1, value, text)
        row += 1
    row = o.write_section(ws, wb, row + 1, f"Total Triwulan {labels.QUARTER_ROMAN[q - 1]}")
    cols = (o.Column("Uraian", "teks"), o.Column("Sasaran (Y)", "bilangan"),
            o.Column("Terlayani (X)", "bilangan"),
            o.Column("% Penerima Gabungan (ΣX/ΣY)", "persen"),
            o.Column("Rata-rata Indeks SPM Bidang Sosial", "indeks"), o.Column("Kategori", "teks"),
            o.Column("Kebutuhan Biaya (Rp)", "rupiah"), o.Column("Sisa (Rp)", "rupiah"))
    row = o.write_header(ws, wb, row, cols)
    ladder = province_settings(g.own)
    t = totals(g.districts, q, ladder)
    row = o.write_row(ws, wb, row, cols, [
        f"Kab/kota (K1-K5), {t.kabkota} daerah", t.sasaran, t.terlayani,
        share_or(t.persen_gabungan), share_or(t.rata_indeks), t.kategori or "-",
        t.biaya, t.sisa])
    if g.own is not None:
        own = result_of(g.own)
        y = sum(s.capaian.sasaran for s in own.layanan)
        x = sum(s.capaian.terlayani[q - 1] for s in own.layanan)
        row = o.write_row(ws, wb, row, cols, [
            "Provinsi sendiri (P1-P5, dalam panti)", y, x, share_or(o.share(x, y)),
            share_or(own.indeks_daerah[q - 1]), own.kategori_daerah[q - 1] or "-",
            own.biaya, own.sisa])
        row = o.write_row(ws, wb, row, cols, [
            "Jumlah kab/kota + provinsi", t.sasaran + y, t.terlayani + x,
            share_or(o.share(t.terlayani + x, t.sasaran + y)), None, None, t.biaya + own.biaya,
            t.sisa + own.sisa], total=True)
    notes = (
        "% Penerima Gabungan = jumlah terlayani seluruh daerah dibagi jumlah sasaran seluruh "
        "daerah (ΣX/ΣY).",
        "Rata-rata Indeks SPM Bidang Sosial = rata-rata sederhana Indeks SPM Bidang Sosial "
        "kab/kota (setiap kab/kota berbobot sama).",
        ladder_note(g.districts, g.own),
        "Semua angka dihitung ulang dari baris penerima; angka yang tersimpan di buku kerja "
        "kab/kota tidak dipakai.",
    )
    row += 1
    for line in notes:
        ws.write_string(row, 0, line, label)
        row += 1
    if book.sebelumnya is not None:
        ringkasan_section(wb, ws, row, book.sebelumnya, g.period,
                          g.province.kode if g.province else None,
                          (t.persen_gabungan, t.rata_indeks))


def ladder_text(report: FileReport, province: Settings) -> str:
    """Which category ladder a region's own figures were judged on (SPEC 10)."""
    if report.settings is None or not ladder_differs(report, province):
        return "sama dengan tangga provinsi"
    return f"Konfigurasi sendiri: {report.settings.ladder_text()}"


def ladder_note(districts: list[FileReport], own: FileReport | None) -> str:
    """The Ringkasan note: which ladder the province-wide category and each district used."""
    source = "Konfigurasi buku kerja provinsi" if own is not None and own.settings else \
        "tangga kategori bawaan"
    differ = [region(r) for r in districts if ladder_differs(r, province_settings(own))]
    text = (f"Kategori angka seluruh provinsi memakai {source}; kategori tiap kab/kota memakai "
            "tangga di Konfigurasi kab/kota itu sendiri.")
    if differ:
        text += (f" Tangga berbeda dari provinsi ({len(differ)} kab/kota): "
                 f"{', '.join(differ)}; lihat kolom Tangga Kategori di {REKAP_KABKOTA}.")
    return text


# --- Rekap Kab/Kota ------------------------------------------------------------------------

def rekap_kabkota(wb: xlsxwriter.Workbook, book: Book) -> None:
    """One ranked row per district (with its size), its services beneath, then the rest.

    Only the district row carries the rank: a district is ranked once, by its region index,
    and the Sasaran column beside the rank shows how many people that index rests on.
    """
    q = quarter(book)
    tw = o.quarter_text(q)
    cols = (o.Column("Peringkat", "bilangan", 10), o.Column("Kode Wilayah", "teks", 10),
            o.Column("Kab/Kota", "teks", 26), o.Column(o.O_KODE_LAYANAN, "teks", 8),
            o.Column(o.O_LAYANAN, "teks", 16), o.Column("Sasaran (Y)", "bilangan", 11),
            o.Column(f"Terlayani (X) {tw}", "bilangan", 11),
            o.Column(f"{o.O_PERSEN_PENERIMA} {tw}", "persen", 11),
            o.Column(f"{o.O_INDEKS} {tw}", "indeks", 9),
            o.Column(f"{o.O_KATEGORI} {tw}", "teks", 16),
            o.Column("Kebutuhan Biaya (Rp)", "rupiah", 17),
            o.Column(f"Indeks SPM Bidang Sosial {tw}", "indeks", 10),
            o.Column(f"Kategori Daerah {tw}", "teks", 16), o.Column("Berkas", "teks", 30),
            o.Column(KETERISIAN, "indeks", 11), *previous_columns(book),
            o.Column("Tangga Kategori", "teks", 30))
    ws = begin(wb, REKAP_KABKOTA, "Rekap Capaian per Kab/Kota dan Layanan", book,
               [c.width for c in cols])
    row = o.write_header(ws, wb, HEAD, cols)
    ws.freeze_panes(row, 3)
    province = province_settings(book.gate.own)
    entries: list[tuple[int | str, FileReport]] = [
        (r.peringkat if r.peringkat else "-", r.report)
        for r in ranking(book.gate.districts, q)]
    if book.gate.own is not None:
        entries.append(("Provinsi", book.gate.own))
    for rank, report in entries:
        ident, result = report.identity, result_of(report)
        assert ident is not None
        y = sum(s.capaian.sasaran for s in result.layanan)
        x = sum(s.capaian.terlayani[q - 1] for s in result.layanan)
        row = o.write_row(ws, wb, row, cols, [
            rank, ident.kode, region(report), None, "Seluruh layanan", y, x,
            share_or(o.share(x, y)), None, KOSONG if is_empty(report) else None,
            result.biaya, share_or(result.indeks_daerah[q - 1]),
            result.kategori_daerah[q - 1] or o.TIDAK_ADA_SASARAN, file_label(report),
            keterisian_of(report), *previous_values(book, report, q),
            ladder_text(report, province)], total=True)
        for s in result.layanan:
            a = s.capaian
            row = o.write_row(ws, wb, row, cols, [
                None, ident.kode, region(report), a.layanan, short(a.layanan), a.sasaran,
                a.terlayani[q - 1], share_or(a.persen_penerima[q - 1]),
                share_or(a.indeks[q - 1]), a.kategori[q - 1] or o.TIDAK_ADA_SASARAN,
                s.kebutuhan.biaya, share_or(result.indeks_daerah[q - 1]),
                result.kategori_daerah[q - 1] or o.TIDAK_ADA_SASARAN, None, None,
                *[None] * len(previous_columns(book)), None])
    for st in status_board(book.gate):  # who is not in the ranking, and why
        if st.status != DIPAKAI and st.status != KOSONG:
            row = o.write_row(ws, wb, row, cols, [
                "-", st.kode, st.nama, None, st.status, None, None, None, None, None, None,
                None, None, ", ".join(st.berkas) or None, None,
                *[None] * len(previous_columns(book)), None])
    if row > HEAD + 1:
        ws.autofilter(HEAD, 0, row - 1, len(cols) - 1)
    else:
        ws.write_string(row, 0, "Tidak ada kab/kota yang dapat dikonsolidasikan.",
                        o.cell_format(wb, "teks"))


# --- Rekap Layanan -------------------------------------------------------------------------

def rekap_layanan(wb: xlsxwriter.Workbook, book: Book) -> None:
    q = quarter(book)
    tw = o.quarter_text(q)
    cols = (o.Column(o.O_KODE_LAYANAN, "teks", 8), o.Column(o.O_LAYANAN, "teks", 40),
            o.Column("Daerah dengan Sasaran", "bilangan", 11),
            o.Column("Sasaran (ΣY)", "bilangan", 12),
            o.Column(f"Terlayani (ΣX) {tw}", "bilangan", 12),
            o.Column(f"% Penerima Gabungan (ΣX/ΣY) {tw}", "persen", 16),
            o.Column(f"Rata-rata Indeks SPM Bidang Sosial (rata-rata sederhana) {tw}", "indeks",
                     18),
            o.Column("Kategori dari Rata-rata Indeks", "teks", 16),
            o.Column("Kebutuhan Biaya (Rp)", "rupiah", 21), o.Column("Sisa (Rp)", "rupiah", 21))
    ws = begin(wb, REKAP_LAYANAN, "Rekap per Jenis Pelayanan Dasar", book,
               [c.width for c in cols])
    recap = service_recap(accepted(book))
    row = o.write_header(ws, wb, HEAD, cols)
    first = row
    for s in recap:
        mean = s.rata_indeks[q - 1]
        row = o.write_row(ws, wb, row, cols, [
            s.kode, service_name(s.kode), s.daerah, s.sasaran, s.terlayani[q - 1],
            share_or(s.persen_gabungan[q - 1]), share_or(mean),
            category(mean, province_settings(book.gate.own)) or o.TIDAK_ADA_SASARAN, s.biaya,
            s.sisa])
    if recap:
        last = row - 1
        row = o.write_row(ws, wb, row, cols, [
            None, "Jumlah", None,
            o.Sum(o.column_range(3, first, last), sum(s.sasaran for s in recap)),
            o.Sum(o.column_range(4, first, last), sum(s.terlayani[q - 1] for s in recap)),
            None, None, None,
            o.Sum(o.column_range(8, first, last), sum(s.biaya for s in recap)),
            o.Sum(o.column_range(9, first, last), sum(s.sisa for s in recap))], total=True)
    row = _per_quarter(wb, ws, row + 1, recap, q)
    notes = (
        "% Penerima Gabungan: seluruh penerima semua daerah dijumlahkan lebih dulu "
        "(ΣX/ΣY); daerah besar berbobot lebih besar.",
        "Rata-rata Indeks SPM Bidang Sosial: rata-rata sederhana indeks layanan tiap daerah yang "
        "punya sasaran; setiap daerah berbobot sama. Keduanya sengaja ditampilkan terpisah.",
    )
    label = o.named_format(wb, "stempel_label")
    for line in notes:
        ws.write_string(row + 1, 0, line, label)
        row += 1


def _per_quarter(wb: xlsxwriter.Workbook, ws: Worksheet, row: int,
                 recap: list[ServiceRecap], reported: int = 4) -> int:
    row = o.write_section(ws, wb, row, "Per Triwulan (kumulatif)")
    cols = [o.Column(o.O_KODE_LAYANAN, "teks"), o.Column(o.O_LAYANAN, "teks")]
    for q in (1, 2, 3, 4):
        cols += [o.Column(f"Terlayani (ΣX) {o.quarter_text(q)}", "bilangan"),
                 o.Column(f"% Penerima Gabungan {o.quarter_text(q)}", "persen")]
    row = o.write_header(ws, wb, row, cols)
    for s in recap:
        values: list[o.CellValue] = [s.kode, short(s.kode)]
        for q in range(4):  # a quarter after the reported one is not a result yet
            values += ([s.terlayani[q], share_or(s.persen_gabungan[q])] if q < reported
                       else [BELUM, BELUM])
        row = o.write_row(ws, wb, row, cols, values)
    return row


# --- Kebutuhan -----------------------------------------------------------------------------

def kebutuhan(wb: xlsxwriter.Workbook, book: Book) -> None:
    cat = load_catalogue()
    items = {i.kode: i for i in cat.item}
    cols = (o.Column(o.O_KODE_LAYANAN, "teks", 8), o.Column(o.O_LAYANAN, "teks", 16),
            o.Column(o.O_KODE_ITEM, "teks", 14), o.Column(o.O_ITEM, "teks", 34),
            o.Column(o.O_SATUAN, "teks", 11), o.Column(o.O_PENERIMA, "bilangan", 11),
            o.Column(o.O_VOLUME, "desimal", 12), o.Column(o.O_TERSEDIA, "desimal", 12),
            o.Column(o.O_KEKURANGAN, "desimal", 12),
            o.Column("Harga Rata-rata Tertimbang (Rp)", "rupiah", 15),
            o.Column(o.O_BIAYA, "rupiah", 17), o.Column(o.O_SISA, "rupiah", 17))
    ws = begin(wb, KEBUTUHAN, "Kebutuhan Pemenuhan Pelayanan Dasar (jumlah seluruh daerah)",
               book, [c.width for c in cols])
    row = o.write_header(ws, wb, HEAD, cols)
    ws.freeze_panes(row, 0)
    recap = item_recap(accepted(book))
    subtotals: list[int] = []
    by_service: dict[str, list[ItemRecap]] = {}
    for r in recap:
        by_service.setdefault(r.layanan, []).append(r)
    total_biaya = total_sisa = 0
    for code, parts in by_service.items():
        first = row
        biaya = sisa = 0
        for part in parts:
            item = items.get(part.item)
            avg = rupiah(Fraction(part.biaya) / Fraction(part.kekurangan)) \
                if part.kekurangan else None
            row = o.write_row(ws, wb, row, cols, [
                code, short(code), part.item, item.label if item else part.item,
                item.satuan if item else "", part.penerima, part.volume, part.tersedia,
                part.kekurangan, avg, part.biaya, part.sisa])
            biaya += part.biaya
            sisa += part.sisa
        subtotals.append(row)
        row = o.write_row(ws, wb, row, cols, [
            code, short(code), None, f"Jumlah {code}", None, None, None, None, None, None,
            o.Sum(o.column_range(10, first, row - 1), biaya),
            o.Sum(o.column_range(11, first, row - 1), sisa)], total=True)
        total_biaya += biaya
        total_sisa += sisa
    o.write_row(ws, wb, row, cols, [
        None, "Total", None, None, None, None, None, None, None, None,
        o.Sum(o.cell_list(10, subtotals), total_biaya),
        o.Sum(o.cell_list(11, subtotals), total_sisa)], total=True)


# --- Dashboard -----------------------------------------------------------------------------

def dashboard(wb: xlsxwriter.Workbook, book: Book) -> None:
    q = quarter(book)
    tw = o.quarter_text(q)
    ws = begin(wb, DASHBOARD, "Dashboard Konsolidasi", book, [28, 18, 21, 21])
    name = DASHBOARD
    cat = load_catalogue()
    # 1. index per kab/kota, ranked
    row = o.write_section(ws, wb, HEAD, f"Indeks SPM Bidang Sosial per Kab/Kota {tw}")
    cols: Sequence[o.Column] = (o.Column("Kab/Kota", "teks"),
                                o.Column(f"Indeks SPM Bidang Sosial {tw}", "indeks"))
    row = o.write_header(ws, wb, row, cols)
    first = row
    ranked = ranking(book.gate.districts, q)
    for r in ranked:
        ident = r.report.identity
        assert ident is not None
        row = o.write_row(ws, wb, row, cols, [
            region(r.report), share_or(result_of(r.report).indeks_daerah[q - 1], "-")])
    chart_row = HEAD
    if ranked:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": f"Indeks SPM Bidang Sosial {tw}",
                          "categories": [name, first, 0, row - 1, 0],
                          "values": [name, first, 1, row - 1, 1],
                          "data_labels": {"value": True, "num_format": o.INDEX_FORMAT}})
        chart.set_title({"name": f"Indeks Pencapaian SPM per Kab/Kota ({tw})"})
        chart.set_x_axis({"min": 0, "max": 100, "num_format": o.INDEX_FORMAT})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": max(320, 24 * len(ranked) + 80)})
        ws.insert_chart(chart_row, 7, chart)
        chart_row += max(17, (24 * len(ranked) + 80) // 20 + 2)
    # 2. districts per category
    row = o.write_section(ws, wb, row + 1, f"Jumlah Kab/Kota per Kategori {tw}")
    cols = (o.Column(o.O_KATEGORI, "teks"), o.Column("Jumlah Kab/Kota", "bilangan"))
    row = o.write_header(ws, wb, row, cols)
    tally = Counter(result_of(r).kategori_daerah[q - 1] or o.TIDAK_ADA_SASARAN
                    for r in book.gate.districts)
    ladder = [s.label for s in cat.kategori] + [o.TIDAK_ADA_SASARAN]
    first = row
    for label in ladder:
        row = o.write_row(ws, wb, row, cols, [label, tally.get(label, 0)])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Jumlah Kab/Kota", "categories": [name, first, 0, row - 1, 0],
                      "values": [name, first, 1, row - 1, 1],
                      "data_labels": {"value": True}})
    chart.set_title({"name": f"Kab/Kota per Kategori ({tw})"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(chart_row, 7, chart)
    chart_row += 17
    # 3. need per service
    row = o.write_section(ws, wb, row + 1, "Kebutuhan Biaya per Layanan")
    cols = (o.Column(o.O_KODE_LAYANAN, "teks"), o.Column(o.O_LAYANAN, "teks"),
            o.Column(o.O_BIAYA, "rupiah"), o.Column(o.O_SISA, "rupiah"))
    row = o.write_header(ws, wb, row, cols)
    first = row
    recap = service_recap(accepted(book))
    for s in recap:
        row = o.write_row(ws, wb, row, cols, [s.kode, short(s.kode), s.biaya, s.sisa])
    if recap:
        chart = wb.add_chart({"type": "column"})
        for col in (2, 3):
            chart.add_series({"name": [name, first - 1, col],
                              "categories": [name, first, 1, row - 1, 1],
                              "values": [name, first, col, row - 1, col]})
        chart.set_title({"name": "Kebutuhan Biaya per Layanan (Rp)"})
        chart.set_y_axis({"min": 0, "num_format": o.RUPIAH_FORMAT})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 320})
        ws.insert_chart(chart_row, 7, chart)
