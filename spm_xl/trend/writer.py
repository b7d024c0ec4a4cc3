"""The trend workbook: series per kab/kota and service, the province, compliance, keterisian.

Sheets: Ringkasan Tren, Indeks Kab-Kota (matrix, line chart, changes), Layanan Kab-Kota,
Provinsi (pooled and mean, line chart; a province's trend only), Kepatuhan (status matrix
as a heat map, counts per year), Keterisian. A period without data is an empty column and
a blank cell, never a zero. Every string is written as text (``book.xlsx.new_workbook``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..book import outputs as o
from ..book.xlsx import new_workbook
from ..catalogue import load_catalogue
from ..keterisian import DEFINITION_LINES
from ..records import Stamp
from ..regions import regions
from . import datasheet as d
from . import tables as t
from .model import Period, Series, period_text

RINGKASAN = "Ringkasan Tren"
INDEKS = "Indeks Kab-Kota"
LAYANAN = "Layanan Kab-Kota"
PROVINSI = "Provinsi"
KEPATUHAN = "Kepatuhan"
KETERISIAN = "Keterisian"
HEAD = o.FIRST_TABLE_ROW
NO_DATA = "tidak ada data"
#: heat-map fills of the compliance table, by the status a cell begins with
STATUS_FILL = {d.DIKIRIM: "#C6EFCE", d.DITOLAK: "#FFC7CE", d.KONFLIK: "#F8CBAD",
               d.BELUM: "#FFEB9C", NO_DATA: "#E7E6E6"}


def write_trend(path: Path, series: Series, stamp: Stamp, sources: Sequence[Sequence[str]]) -> None:
    """``sources``: rows of (berkas, jenis, periode, stempel, keterangan) for Ringkasan Tren."""
    wb = new_workbook(str(path))
    wb.set_properties({"title": f"Tren SPM Bidang Sosial {scope_text(series)}",
                       "comments": "Dibuat oleh spm-xl tren; hanya angka agregat."})
    try:
        _ringkasan(wb, series, stamp, sources)
        _indeks(wb, series, stamp)
        _layanan(wb, series, stamp)
        if series.scope == "provinsi":
            _provinsi(wb, series, stamp)
        _kepatuhan(wb, series, stamp)
        _keterisian(wb, series, stamp)
    finally:
        wb.close()


def scope_text(series: Series) -> str:
    if series.scope == "provinsi":
        return f"Provinsi {regions().provinsi.get(series.kode, series.kode)} ({series.kode})"
    k = regions().kabkota.get(series.kode)
    return f"{k.nama if k else series.kode} ({series.kode})"


def _begin(wb: xlsxwriter.Workbook, name: str, heading: str, series: Series, stamp: Stamp,
           widths: Sequence[float]) -> Worksheet:
    periods = series.periods()
    span = f"{period_text(periods[0])} – {period_text(periods[-1])}" if periods else "-"
    return o.begin_sheet(wb, name, f"{heading} — {scope_text(series)} — {span}", stamp, widths)


def _note(wb: xlsxwriter.Workbook, ws: Worksheet, row: int, lines: Sequence[str]) -> int:
    f = o.named_format(wb, "stempel_label")
    for line in lines:
        ws.write_string(row, 0, line, f)
        row += 1
    return row


def _period_columns(series: Series, kind: o.Kind, width: float = 11) -> list[o.Column]:
    return [o.Column(period_text(p), kind, width) for p in series.periods()]


# --- Ringkasan Tren ------------------------------------------------------------------------

def _ringkasan(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp,
               sources: Sequence[Sequence[str]]) -> None:
    ws = _begin(wb, RINGKASAN, "Tren SPM Bidang Sosial", series, stamp, [34, 14, 22, 28, 70])
    periods = series.periods()
    gaps = [period_text(p) for p in periods if p not in series.snapshots]
    row = o.write_section(ws, wb, HEAD, "Cakupan")
    bold = wb.add_format({"bold": True})
    text = o.cell_format(wb, "teks")
    facts = [("Wilayah", scope_text(series)),
             ("Jenis tren", "provinsi (per kab/kota)" if series.scope == "provinsi"
              else "kab/kota sendiri (per layanan)"),
             ("Periode", f"{period_text(periods[0])} – {period_text(periods[-1])}"
              if periods else "-"),
             ("Periode berisi data", str(len(series.snapshots))),
             ("Periode tanpa data (celah, bukan nol)", ", ".join(gaps) or "tidak ada"),
             ("Berkas ditolak", str(len(series.refused)))]
    for label, value in facts:
        ws.write_string(row, 0, label, bold)
        ws.write_string(row, 1, value, text)
        row += 1
    row = o.write_section(ws, wb, row + 1, "Sumber")
    cols = (o.Column("Berkas", "teks"), o.Column("Jenis", "teks"), o.Column("Periode", "teks"),
            o.Column("Stempel", "teks"), o.Column("Keterangan", "teks"))
    row = o.write_table(ws, wb, row, cols, [list(s) for s in sources]) if sources else row
    if series.notes:
        row = o.write_section(ws, wb, row + 1, "Periode ganda (konflik)")
        row = _note(wb, ws, row, series.notes)
    row = o.write_section(ws, wb, row + 1, "Cara membaca")
    _note(wb, ws, row, [
        "Perubahan dalam poin indeks (selisih dua indeks): terhadap triwulan sebelumnya dan "
        "terhadap triwulan yang sama tahun sebelumnya; naik / turun / tetap.",
        "Sel kosong = tidak ada data untuk periode itu (celah), bukan nol.",
        "Provinsi: % Penerima Gabungan = ΣX/ΣY seluruh kab/kota yang mengirim; Rata-rata "
        "Indeks SPM Bidang Sosial = rata-rata sederhana indeks kab/kota (setiap kab/kota "
        "berbobot sama).",
        *DEFINITION_LINES,
    ])


# --- Indeks Kab-Kota -----------------------------------------------------------------------

_CHANGE_COLUMNS = (o.Column("Δ Triwulan Sebelumnya (poin)", "desimal", 13),
                   o.Column("Arah (TW sebelumnya)", "teks", 10),
                   o.Column("Δ Triwulan Sama Tahun Lalu (poin)", "desimal", 13),
                   o.Column("Arah (tahun lalu)", "teks", 10))


def _step_values(s: t.Step, reported: bool) -> list[o.CellValue]:
    """Index, category and changes; a period that reported no index has no target."""
    return [s.indeks, s.kategori or (o.TIDAK_ADA_SASARAN if reported else None),
            s.vs_quarter, s.arah_quarter, s.vs_year, s.arah_year]


def _matrix(wb: xlsxwriter.Workbook, ws: Worksheet, row: int, series: Series,
            labels: Sequence[tuple[str, str]], values: Sequence[Sequence[Decimal | None]],
            chart_title: str, first_label: str) -> int:
    """A row per series and a column per period, with a line chart (gaps stay gaps)."""
    name = ws.get_name()
    cols = [o.Column("Kode", "teks", 10), o.Column(first_label, "teks", 26),
            *_period_columns(series, "indeks")]
    row = o.write_header(ws, wb, row, cols)
    first = row
    for (code, label), vals in zip(labels, values, strict=True):
        row = o.write_row(ws, wb, row, cols, [code, label, *vals])
    n = len(series.periods())
    if labels and n:
        chart = wb.add_chart({"type": "line"})
        for r in range(first, row):
            chart.add_series({"name": [name, r, 1], "categories": [name, first - 1, 2,
                                                                   first - 1, n + 1],
                              "values": [name, r, 2, r, n + 1], "marker": {"type": "circle"}})
        chart.set_title({"name": chart_title})
        chart.set_y_axis({"min": 0, "max": 100, "num_format": o.INDEX_FORMAT, "name": "Indeks"})
        chart.show_blanks_as("gap")
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        ws.insert_chart(row + 1, 1, chart)
        row += 20
    return row


def _indeks(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp) -> None:
    ws = _begin(wb, INDEKS, "Indeks SPM Bidang Sosial per Kab/Kota per Periode", series, stamp,
                [10, 26, *([11] * max(len(series.periods()), 8))])
    districts = series.districts()
    row = o.write_section(ws, wb, HEAD, "Indeks SPM Bidang Sosial (sel kosong = tidak ada data)")
    all_steps = {k: t.district_steps(series, k) for k, _ in districts}
    row = _matrix(wb, ws, row, series, districts,
                  [[s.indeks for s in all_steps[k]] for k, _ in districts],
                  "Indeks SPM Bidang Sosial per Kab/Kota", "Kab/Kota")
    row = o.write_section(ws, wb, row + 1, "Perubahan dan Kategori per Periode")
    cols = (o.Column("Kode", "teks", 10), o.Column("Kab/Kota", "teks", 26),
            o.Column("Periode", "teks", 11), o.Column("Indeks SPM Bidang Sosial", "indeks", 11),
            o.Column("Kategori Daerah", "teks", 16), *_CHANGE_COLUMNS)
    rows = [[k, nama, period_text(s.period), *_step_values(s, _reported(series, k, s.period))]
            for k, nama in districts for s in all_steps[k]]
    o.write_table(ws, wb, row, cols, rows)


def _reported(series: Series, kode: str, p: Period) -> bool:
    pt = series.point(kode, p)
    return pt is not None and pt.status == d.DIKIRIM


# --- Layanan Kab-Kota ----------------------------------------------------------------------

def _service_name(code: str) -> str:
    try:
        return load_catalogue().service(code).sheet
    except KeyError:
        return code


def _layanan(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp) -> None:
    ws = _begin(wb, LAYANAN, "Indeks per Kab/Kota dan Layanan per Periode", series, stamp,
                [10, 26, 9, 16, 11, 11, 11, 11, 16, 13, 10, 13, 10])
    row = HEAD
    if series.scope == "kabkota":  # a district's own series: the per-service chart
        codes = t.services_of(series, series.kode)
        row = o.write_section(ws, wb, row, "Indeks per Layanan (sel kosong = tidak ada data)")
        row = _matrix(wb, ws, row, series, [(c, _service_name(c)) for c in codes],
                      [[s.indeks for s in t.service_steps(series, series.kode, c)]
                       for c in codes], "Indeks per Layanan", "Layanan")
        row += 1
    cols = (o.Column("Kode", "teks"), o.Column("Kab/Kota", "teks"),
            o.Column(o.O_KODE_LAYANAN, "teks"), o.Column(o.O_LAYANAN, "teks"),
            o.Column("Periode", "teks"), o.Column("Sasaran (Y)", "bilangan"),
            o.Column("Terlayani (X)", "bilangan"), o.Column(o.O_INDEKS, "indeks"),
            o.Column(o.O_KATEGORI, "teks"), *_CHANGE_COLUMNS)
    rows = []
    for k, nama in series.districts():
        for c in t.services_of(series, k):
            for s in t.service_steps(series, k, c):
                pt = series.point(k, s.period)
                sp = pt.layanan.get(c) if pt is not None and pt.status == d.DIKIRIM else None
                rows.append([k, nama, c, _service_name(c), period_text(s.period),
                             sp.sasaran if sp else None, sp.terlayani if sp else None,
                             *_step_values(s, sp is not None)])
    row = o.write_section(ws, wb, row, "Per Kab/Kota, Layanan dan Periode")
    end = o.write_table(ws, wb, row, cols, rows)
    if rows:
        ws.autofilter(row, 0, end - 1, len(cols) - 1)
        ws.freeze_panes(row + 1, 2)


# --- Provinsi ------------------------------------------------------------------------------

def _provinsi(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp) -> None:
    ws = _begin(wb, PROVINSI, "Tren Provinsi", series, stamp,
                [12, 12, 12, 14, 14, 16, 16, 16, 13, 10, 13, 10])
    recap = t.province(series)
    mean_steps = t.steps(series, {p.period: (p.mean, p.kategori) for p in recap})
    cols = (o.Column("Periode", "teks"), o.Column("Kab/Kota Mengirim", "bilangan"),
            o.Column("Kab/Kota Tercatat", "bilangan"), o.Column("Sasaran (ΣY)", "bilangan"),
            o.Column("Terlayani (ΣX)", "bilangan"),
            o.Column("% Penerima Gabungan (ΣX/ΣY)", "persen"),
            o.Column("Rata-rata Indeks SPM Bidang Sosial (rata-rata sederhana)", "indeks"),
            o.Column("Kategori dari Rata-rata", "teks"), *_CHANGE_COLUMNS)
    row = o.write_section(ws, wb, HEAD, "Per Periode (sel kosong = tidak ada data)")
    head = row
    rows = []
    for p, s in zip(recap, mean_steps, strict=True):
        known = p.period in series.snapshots
        rows.append([period_text(p.period), p.dikirim if known else None,
                     p.total if known else None, p.sasaran, p.terlayani, p.pooled, p.mean,
                     p.kategori, s.vs_quarter, s.arah_quarter, s.vs_year, s.arah_year])
    row = o.write_table(ws, wb, row, cols, rows)
    row = _note(wb, ws, row + 1, [
        "% Penerima Gabungan = jumlah terlayani seluruh kab/kota yang mengirim dibagi jumlah "
        "sasarannya (ΣX/ΣY); kab/kota besar berbobot lebih besar.",
        "Rata-rata Indeks SPM Bidang Sosial = rata-rata sederhana indeks kab/kota yang mengirim; "
        "perubahan (poin) dihitung dari rata-rata ini."])
    if rows:
        chart = wb.add_chart({"type": "line"})
        for col, label in ((5, "% Penerima Gabungan (ΣX/ΣY)"),
                           (6, "Rata-rata Indeks SPM Bidang Sosial")):
            chart.add_series({"name": label,
                              "categories": [PROVINSI, head + 1, 0, head + len(rows), 0],
                              "values": [PROVINSI, head + 1, col, head + len(rows), col],
                              "marker": {"type": "circle"}})
        chart.set_title({"name": "Tren Provinsi"})
        chart.set_y_axis({"min": 0, "max": 100, "num_format": o.INDEX_FORMAT})
        chart.show_blanks_as("gap")
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        ws.insert_chart(row + 1, 0, chart)


# --- Kepatuhan -----------------------------------------------------------------------------

def _kepatuhan(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp) -> None:
    periods = series.periods()
    years = sorted({p[0] for p in periods})
    ws = _begin(wb, KEPATUHAN, "Kepatuhan Pelaporan per Kab/Kota", series, stamp,
                [10, 26, *([16] * len(periods)), *([10] * (2 * len(years)))])
    cols = [o.Column("Kode", "teks"), o.Column("Kab/Kota", "teks"),
            *_period_columns(series, "teks", 16)]
    for y in years:
        cols += [o.Column(f"Dikirim {y}", "bilangan"), o.Column(f"Periode {y}", "bilangan")]
    row = o.write_section(ws, wb, HEAD, "Status Laporan per Periode")
    row = o.write_header(ws, wb, row, cols)
    first = row
    for k, nama in series.districts():
        texts: list[o.CellValue] = [t.status_text(*t.status(series, k, p)) for p in periods]
        counts = t.yearly_counts(series, k)
        per_year: list[o.CellValue] = []
        for y in years:
            c = counts.get(y)
            per_year += [c[d.DIKIRIM] if c else 0, sum(c.values()) if c else 0]
        row = o.write_row(ws, wb, row, cols, [k, nama, *texts, *per_year])
    if row > first and periods:
        area = (first, 2, row - 1, 1 + len(periods))
        for status, color in STATUS_FILL.items():
            ws.conditional_format(*area, {
                "type": "text", "criteria": "begins with", "value": status,
                "format": wb.add_format({"bg_color": color})})
    _note(wb, ws, row + 1, [
        "dikirim = berkas dipakai dalam konsolidasi; ditolak = berkas dikirim tetapi tidak "
        "dipakai (alasannya menyertai); konflik = lebih dari satu berkas untuk kab/kota itu; "
        "belum mengirim = tidak ada berkas; tidak ada data = periode itu tidak ada di berkas "
        "masukan tren.",
        "Dikirim {tahun} = jumlah periode berstatus dikirim; Periode {tahun} = jumlah periode "
        "tahun itu dalam rentang tren."])


# --- Keterisian ----------------------------------------------------------------------------

def _keterisian(wb: xlsxwriter.Workbook, series: Series, stamp: Stamp) -> None:
    periods = series.periods()
    ws = _begin(wb, KETERISIAN, "Keterisian Laporan per Kab/Kota", series, stamp,
                [10, 26, *([11] * len(periods))])
    cols = [o.Column("Kode", "teks"), o.Column("Kab/Kota", "teks"),
            *_period_columns(series, "indeks")]
    row = o.write_section(ws, wb, HEAD, "Skor Keterisian 0-100 (sel kosong = tidak ada data)")
    row = o.write_header(ws, wb, row, cols)
    first = row
    for k, nama in series.districts():
        vals: list[o.CellValue] = []
        for p in periods:
            pt = series.point(k, p)
            vals.append(pt.keterisian if pt is not None else None)
        row = o.write_row(ws, wb, row, cols, [k, nama, *vals])
    if row > first and periods:
        ws.conditional_format(first, 2, row - 1, 1 + len(periods), {
            "type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num",
            "mid_value": 50, "max_type": "num", "max_value": 100,
            "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    _note(wb, ws, row + 1, [*DEFINITION_LINES,
                            "Riwayat yang diketik dari laporan lama tidak punya skor "
                            "keterisian (sel kosong)."])

