"""Build the blank workbook an admin starts the year with (SPEC 3), as .xlsx or .xlsm.

Built by code from the catalogue with XlsxWriter, so every template is reproducible: the same
arguments give the same bytes. Sheet names and header labels come from ``labels`` only.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import __version__, labels
from ..catalogue import Catalogue, Level, Service, load_catalogue
from . import petunjuk, styles
from .vba_project import build_vba_project
from .xlsx import new_workbook

#: last 0-based row the drop-downs cover: the whole sheet below the header, so a district of
#: any size never runs out of validated rows (a whole-column range costs nothing in the file)
LAST_ROW = 1_048_575
PLACEHOLDER = "Belum dihitung: klik Hitung Ulang atau jalankan spm-xl hitung"
MACROS = {"periksa": "PeriksaData", "hitung": "HitungUlang"}

TAB_INPUT, TAB_OUTPUT, TAB_GUIDE = styles.TAB_INPUT, styles.TAB_OUTPUT, styles.TAB_GUIDE

OUTPUT_TITLES = {
    labels.KEBUTUHAN: "Kebutuhan Pemenuhan Pelayanan Dasar",
    labels.CAPAIAN: "Capaian SPM per Triwulan",
    labels.LAPORAN: "Laporan Triwulan untuk Aplikasi e-SPM",
    labels.DASHBOARD: "Dashboard Capaian dan Kebutuhan",
    labels.PEMERIKSAAN: "Hasil Pemeriksaan Data",
}

# Sheets stay protected against accidental edits of headers, but without a password and with
# the everyday actions allowed, so an admin can still add title rows, sort and filter.
PROTECTION = {
    "insert_rows": True, "delete_rows": True, "insert_columns": True, "format_cells": True,
    "format_columns": True,
    "format_rows": True, "sort": True, "autofilter": True, "insert_hyperlinks": True,
}

WIDTHS = {
    labels.D_NO: 6, labels.D_NIK: 20, labels.D_KK: 20, labels.D_NAMA: 28, labels.D_JK: 9,
    labels.D_LAHIR: 12, labels.D_ALAMAT: 30, labels.D_DESA: 18, labels.D_KECAMATAN: 18,
    labels.D_ASESMEN: 12, labels.D_KEJADIAN: 24, labels.D_TGL_KEJADIAN: 12,
    labels.D_RENTAN: 10, labels.D_KETERANGAN: 30,
}
DATE_COLUMNS = (labels.D_LAHIR, labels.D_ASESMEN, labels.D_TGL_KEJADIAN)
TEXT_COLUMNS = (labels.D_NIK, labels.D_KK)

TemplateFormat = Literal["xlsx", "xlsm"]


@dataclass(frozen=True)
class Fill:
    """What an admin would have typed, for the demo and the benchmarks.

    ``rows`` maps a service code to its rows, each {header label: value}; values are written
    as they are (a float NIK is written as a number, as a careless admin's would be).
    ``title_rows`` puts that many title rows above each service sheet's header, as admins do.
    """
    triwulan: int = 1
    admin: str = ""
    rows: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    prices: Mapping[tuple[str, str], int] = field(default_factory=dict)
    budgets: Mapping[str, tuple[int, tuple[int, int, int, int]]] = field(default_factory=dict)
    title_rows: int = 0
    #: carried by ``spm-xl tahun-baru``: standards, stock and price sources per (service,
    #: item), and Konfigurasi values by label (the value as the old sheet held it)
    standar: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    tersedia: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    sumber: Mapping[tuple[str, str], str] = field(default_factory=dict)
    konfigurasi: Mapping[str, int | float | str] = field(default_factory=dict)


def build_template(path: Path, *, level: Level, kode: str | None, tahun: int,
                   fmt: TemplateFormat, fill: Fill | None = None,
                   item_opsional: bool = False) -> Path:
    """Write a blank template to ``path`` (atomically) and return it.

    ``kode`` None leaves Kode Wilayah for the admin to fill in. ``fmt`` must match the file
    extension: Excel refuses a macro workbook named .xlsx and the other way round. ``fill``
    pre-fills data (demo and benchmarks only; a real template is blank). ``item_opsional``
    switches the optional K1-K4 items on in Konfigurasi and adds their columns.
    """
    if path.suffix.lower() != f".{fmt}":
        raise ValueError(f"nama berkas {path.name} harus berakhiran .{fmt}")
    catalogue = load_catalogue()
    # the VBA project is built before anything is written, so a failure leaves no file behind
    vba = build_vba_project(_sheet_count(catalogue, level)) if fmt == "xlsm" else None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=".spm-xl-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        _write(Path(tmp_name), catalogue, level, kode, tahun, vba, fill or Fill(), item_opsional)
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes it private; a template is not
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def _sheet_count(catalogue: Catalogue, level: Level) -> int:
    return 7 + len(catalogue.services(level)) + len(labels.OUTPUT_SHEETS)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(path: Path, catalogue: Catalogue, level: Level, kode: str | None, tahun: int,
           vba: bytes | None, fill: Fill, optional: bool = False) -> None:
    book = new_workbook(str(path))
    _properties(book, catalogue, level, tahun)
    if vba is not None:
        book.add_vba_project(io.BytesIO(vba), is_stream=True)
    macros = vba is not None
    _petunjuk(book, catalogue, level, tahun, macros)
    _identitas(book, catalogue, level, kode, tahun, macros, fill)
    _harga(book, catalogue, level, fill, optional)
    _anggaran(book, catalogue, level, fill)
    _konfigurasi(book, catalogue, level, optional, fill)
    for service in catalogue.services(level):
        _service_sheet(book, catalogue, service, fill, optional)
    _permasalahan(book, catalogue, level)
    _tahapan(book)
    for name in labels.OUTPUT_SHEETS:
        _output_sheet(book, name)
    if vba is not None and len(book.worksheets()) != _sheet_count(catalogue, level):
        # each sheet's code name needs its document module in the VBA project
        raise RuntimeError("jumlah lembar tidak cocok dengan proyek VBA")
    book.close()


def _properties(book: Workbook, catalogue: Catalogue, level: Level, tahun: int) -> None:
    # a fixed creation date keeps rebuilds byte-identical; no author, no personal data
    book.set_properties({
        "title": f"SPM Bidang Sosial {labels.TINGKAT_TEXT[level]} {tahun}",
        "subject": "Standar Pelayanan Minimal Bidang Sosial",
        "keywords": "SPM, Bidang Sosial, e-SPM, spm-xl",
        "comments": f"Templat versi {catalogue.versi_templat}, katalog "
                    f"{catalogue.versi_katalog}, dibuat oleh spm-xl {__version__}",
        "created": datetime(tahun, 1, 1),
    })
    book.set_custom_property("SPM-XL Versi Templat", catalogue.versi_templat)
    book.set_custom_property("SPM-XL Tingkat", level)


def _page(sheet: Worksheet, *, landscape: bool, header_rows: int = 0) -> None:
    """A4, one page wide, so the PDF and the printout are readable without setup."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)


def _buttons(sheet: Worksheet, row: int, col: int) -> None:
    sheet.insert_button(row, col, {"macro": MACROS["periksa"], "caption": "Periksa Data",
                                   "width": 128, "height": 30})
    sheet.insert_button(row, col, {"macro": MACROS["hitung"], "caption": "Hitung Ulang",
                                   "width": 128, "height": 30, "x_offset": 140})


def _petunjuk(book: Workbook, catalogue: Catalogue, level: Level, tahun: int,
              macros: bool) -> None:
    sheet = book.add_worksheet(labels.PETUNJUK)
    sheet.set_tab_color(TAB_GUIDE)
    _page(sheet, landscape=False)
    sheet.hide_gridlines(2)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 95)
    f = styles.fmt
    sheet.write_string(0, 0, "SPM-XL - Buku Kerja SPM Bidang Sosial", f(book, "judul"))
    sheet.write_string(1, 0, f"Petunjuk penggunaan - {labels.TINGKAT_TEXT[level]}, tahun "
                       f"{tahun}", f(book, "subjudul"))
    sheet.write_string(2, 0, f"{labels.ID_VERSI}: {catalogue.versi_templat} (katalog "
                       f"{catalogue.versi_katalog})", f(book, "catatan"))
    if macros:
        sheet.set_row(3, 30)
        _buttons(sheet, 3, 0)
    row = 5
    for line in petunjuk.guide(catalogue, level, macros):
        if line.kind == "bagian":
            row += 1
            sheet.write_string(row, 0, line.text, f(book, "subjudul"))
        elif line.kind == "tabel":
            sheet.write_string(row, 0, line.text, f(book, "label", "wrap"))
            sheet.write_string(row, 1, line.detail, f(book, "wrap"))
        else:
            text = f"- {line.text}" if line.kind == "butir" else line.text
            sheet.merge_range(row, 0, row, 1, text, f(book, "wrap"))
            # merged cells do not grow with wrapped text: size the row from the text length
            sheet.set_row(row, 15 * (len(text) // 140 + 1))
        row += 1
    sheet.protect("", {"format_columns": True, "format_rows": True})
    sheet.activate()


def _identitas(book: Workbook, catalogue: Catalogue, level: Level, kode: str | None,
               tahun: int, macros: bool, fill: Fill) -> None:
    sheet = book.add_worksheet(labels.IDENTITAS)
    sheet.set_tab_color(TAB_INPUT)
    _page(sheet, landscape=True)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 60)
    f = styles.fmt
    nama, provinsi = _region_names(level, kode)
    isian_teks = f(book, "isian", "input", "teks")
    rows: list[tuple[str, str | int, bool, str]] = [
        (labels.ID_TINGKAT, labels.TINGKAT_TEXT[level], False, "ditetapkan oleh templat"),
        (labels.ID_KODE, kode or "", True, "kode Kemendagri sebagai teks, misalnya "
         + ("74" if level == "provinsi" else "74.06")),
        (labels.ID_NAMA, nama, True, "nama kabupaten/kota atau provinsi"),
        (labels.ID_PROVINSI, provinsi, True, "nama provinsi"),
        (labels.ID_TAHUN, tahun, True, "tahun anggaran"),
        (labels.ID_TRIWULAN, labels.QUARTER_ROMAN[fill.triwulan - 1], True,
         "triwulan yang dilaporkan: I, II, III atau IV"),
        (labels.ID_ADMIN, fill.admin, True, "nama admin SPM yang mengisi"),
        (labels.ID_VERSI, catalogue.versi_templat, False, "jangan diubah"),
    ]
    sheet.write_string(0, 0, "Identitas Buku Kerja", f(book, "judul"))
    first = 2
    for offset, (label, value, editable, note) in enumerate(rows):
        row = first + offset
        sheet.write_string(row, 0, label, f(book, "label"))
        if isinstance(value, int):
            sheet.write_number(row, 1, value, f(book, "isian", "input", "kiri"))
        elif editable:
            sheet.write_string(row, 1, value, isian_teks)
        else:
            sheet.write_string(row, 1, value, f(book, "teks"))
        sheet.write_string(row, 2, note, f(book, "catatan"))
    tahun_row = first + 4
    sheet.data_validation(tahun_row, 1, tahun_row, 1, {
        "validate": "integer", "criteria": "between", "minimum": 2018, "maximum": 2100,
        "error_type": "warning", "error_title": "Tahun",
        "error_message": "Tahun diisi empat angka, misalnya 2026."})
    triwulan_row = first + 5
    sheet.data_validation(triwulan_row, 1, triwulan_row, 1, {
        "validate": "list", "source": list(labels.QUARTER_ROMAN),
        "input_title": "Triwulan dilaporkan", "input_message": "Pilih I, II, III atau IV.",
        "error_type": "warning", "error_title": "Triwulan",
        "error_message": "Triwulan diisi I, II, III atau IV."})
    if macros:
        _buttons(sheet, first, 3)
    sheet.protect("", PROTECTION)


def _region_names(level: Level, kode: str | None) -> tuple[str, str]:
    """Nama Wilayah and Provinsi for a code; empty when unknown or the table is missing."""
    if not kode:
        return "", ""
    try:
        from ..regions import region_name
    except ImportError:  # the regions table ships separately; the admin can type the names
        return "", ""
    nama = region_name(kode) or ""
    provinsi = nama if level == "provinsi" else (region_name(kode[:2]) or "")
    return nama, provinsi


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _table_header(book: Workbook, sheet: Worksheet, headers: list[str] | tuple[str, ...],
                  row: int = 0) -> None:
    header = styles.fmt(book, "header")
    for col, label in enumerate(headers):
        sheet.write_string(row, col, label, header)
    sheet.set_row(row, 32)
    sheet.freeze_panes(row + 1, 0)
    _page(sheet, landscape=True, header_rows=row + 1)


def _harga(book: Workbook, catalogue: Catalogue, level: Level, fill: Fill,
           optional: bool = False) -> None:
    sheet = book.add_worksheet(labels.HARGA)
    sheet.set_tab_color(TAB_INPUT)
    _table_header(book, sheet, labels.HARGA_HEADERS)
    for col, width in enumerate((12, 22, 40, 12, 12, 18, 12, 30)):
        sheet.set_column(col, col, width)
    f = styles.fmt
    row = 1
    for service in catalogue.services(level):
        for item in catalogue.items(service.kode, optional):
            sheet.write_string(row, 0, service.kode)
            sheet.write_string(row, 1, item.kode)
            sheet.write_string(row, 2, item.label)
            sheet.write_string(row, 3, item.satuan)
            key = (service.kode, item.kode)
            sheet.write_number(row, 4, _number(fill.standar.get(key, item.standar[service.kode])),
                               f(book, "isian", "input"))
            sheet.write_number(row, 5, fill.prices.get(key, 0),
                               f(book, "isian", "input", "rupiah"))
            sheet.write_number(row, 6, _number(fill.tersedia.get(key, Decimal(0))),
                               f(book, "isian", "input", "angka"))
            if fill.sumber.get(key):
                sheet.write_string(row, 7, fill.sumber[key], f(book, "isian", "input"))
            else:
                sheet.write_blank(row, 7, None, f(book, "isian", "input"))
            row += 1
    sheet.autofilter(0, 0, row - 1, len(labels.HARGA_HEADERS) - 1)
    _own_columns(book, sheet, len(labels.HARGA_HEADERS))
    sheet.protect("", PROTECTION)


def _anggaran(book: Workbook, catalogue: Catalogue, level: Level, fill: Fill) -> None:
    sheet = book.add_worksheet(labels.ANGGARAN)
    sheet.set_tab_color(TAB_INPUT)
    headers = [*labels.ANGGARAN_HEADERS, "Jenis Pelayanan Dasar"]
    _table_header(book, sheet, headers)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, len(labels.ANGGARAN_HEADERS) - 1, 20)
    sheet.set_column(len(labels.ANGGARAN_HEADERS), len(labels.ANGGARAN_HEADERS), 70)
    money = styles.fmt(book, "isian", "input", "rupiah")
    for row, service in enumerate(catalogue.services(level), start=1):
        sheet.write_string(row, 0, service.kode)
        alokasi, realisasi = fill.budgets.get(service.kode, (0, (0, 0, 0, 0)))
        for col, value in enumerate((alokasi, *realisasi), start=1):
            sheet.write_number(row, col, value, money)
        sheet.write_string(row, len(labels.ANGGARAN_HEADERS), service.nama,
                           styles.fmt(book, "catatan"))
    _own_columns(book, sheet, len(labels.ANGGARAN_HEADERS) + 1)
    sheet.protect("", PROTECTION)


def _konfigurasi(book: Workbook, catalogue: Catalogue, level: Level, optional: bool,
                 fill: Fill) -> None:
    sheet = book.add_worksheet(labels.KONFIGURASI)
    sheet.set_tab_color(TAB_INPUT)
    _page(sheet, landscape=True)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 70)
    f = styles.fmt
    sheet.write_string(0, 0, "Konfigurasi Perhitungan", f(book, "judul"))
    sheet.write_string(1, 0, "Nilai bawaan menurut katalog. Lembar ini dilindungi tanpa kata "
                       "sandi: ubah hanya bila daerah menetapkan nilai lain.", f(book, "catatan"))
    unchecked = f" ({catalogue.catatan_bawaan})" if catalogue.catatan_bawaan else ""
    yes_no = {True: labels.YA, False: labels.TIDAK}
    settings: list[tuple[str, int | float | str, str, list[str] | None]] = [
        (labels.K_BOBOT_PENERIMA, _number(catalogue.bobot.penerima),
         "bobot persen penerima terlayani dalam indeks (jumlah kedua bobot = 1)" + unchecked,
         None),
        (labels.K_BOBOT_MUTU, _number(catalogue.bobot.mutu),
         "bobot persen mutu barang/jasa terpenuhi dalam indeks" + unchecked, None),
        *[(labels.K_AMBANG_PREFIX + step.label, _number(step.min),
           f"indeks minimal untuk kategori {step.label}"
           + (" (Tuntas Paripurna hanya bila indeks tepat 100, tanpa pembulatan)"
              if step.min == 100 else ""), None) for step in catalogue.kategori],
        (labels.K_TANPA_SASARAN, labels.TANPA_SASARAN_TEXT[catalogue.tanpa_sasaran],
         "layanan tanpa sasaran (Y = 0): dikecualikan dari rata-rata daerah atau dihitung 100"
         + unchecked, list(labels.TANPA_SASARAN_TEXT.values())),
        (labels.K_AMBANG_BENCANA, catalogue.ambang_bencana,
         "jumlah korban per kejadian yang masih menjadi kewenangan kabupaten/kota" + unchecked,
         None),
        (labels.K_PERSEN_MUTU, labels.PERSEN_MUTU_TEXT[catalogue.persen_mutu],
         "persen mutu: gabungan seluruh pasangan penerima x item, atau rata-rata persen "
         "tiap item" + unchecked, list(labels.PERSEN_MUTU_TEXT.values())),
        (labels.K_BATAS_100, yes_no[catalogue.batas_100],
         "persen mutu tiap item paling tinggi 100" + unchecked, [labels.YA, labels.TIDAK]),
    ]
    if level == "kabkota":
        settings += [(label, yes_no[optional],
                      "item opsional K1-K4 (subkegiatan anggaran); Ya menambah kolomnya pada "
                      "templat baru (spm-xl templat --item-opsional)", [labels.YA, labels.TIDAK])
                     for label in labels.K_ITEM_OPSIONAL.values()]
    first = 3
    row = first
    for label, value, note, choices in settings:
        sheet.write_string(row, 0, label, f(book, "label"))
        value = fill.konfigurasi.get(label, value)
        if isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value)
        sheet.write_string(row, 2, note, f(book, "catatan"))
        if choices:
            sheet.data_validation(row, 1, row, 1, {
                "validate": "list", "source": choices, "error_title": label[:32],
                "error_message": "Pilih salah satu nilai dari daftar."})
        row += 1
    row += 1
    sheet.write_string(row, 0, "Aturan hari permakanan (catatan, bukan pengaturan: standar "
                       f"diisi di sheet {labels.HARGA})", f(book, "subjudul"))
    row += 1
    for service in catalogue.services(level):
        rule = catalogue.aturan_permakanan.get(service.kode)
        if rule is None:
            continue
        sheet.write_string(row, 0, labels.K_PERMAKANAN_PREFIX + service.kode, f(book, "label"))
        sheet.write_string(row, 1, f"{_number(rule.hari)} hari ({MEAL_RULE_TEXT[rule.jenis]})")
        sheet.write_string(row, 2, rule.catatan, f(book, "catatan"))
        row += 1
    sheet.protect("", PROTECTION)


MEAL_RULE_TEXT = {"maksimum": "paling lama", "minimum": "paling sedikit",
                  "pilihan_daerah": "pilihan daerah", "belum_diverifikasi": "belum diverifikasi"}


def _permasalahan(book: Workbook, catalogue: Catalogue, level: Level) -> None:
    """Per service: problems, solutions and support needed (e-SPM report part D)."""
    sheet = book.add_worksheet(labels.PERMASALAHAN)
    sheet.set_tab_color(TAB_INPUT)
    headers = [*labels.PERMASALAHAN_HEADERS, "Jenis Pelayanan Dasar"]
    _table_header(book, sheet, headers)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 3, 45, styles.fmt(book, "input", "wrap"))
    sheet.set_column(4, 4, 60)
    for row, service in enumerate(catalogue.services(level), start=1):
        sheet.write_string(row, 0, service.kode)
        sheet.write_string(row, 4, service.nama, styles.fmt(book, "catatan"))
    _own_columns(book, sheet, len(headers))
    sheet.protect("", PROTECTION)


def _tahapan(book: Workbook) -> None:
    """The four stages with status and date, and the Perkada rencana aksi (part E)."""
    sheet = book.add_worksheet(labels.TAHAPAN)
    sheet.set_tab_color(TAB_INPUT)
    _table_header(book, sheet, labels.TAHAPAN_HEADERS)
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, 1, 14, styles.fmt(book, "input"))
    sheet.set_column(2, 2, 14, styles.fmt(book, "input", "tanggal"))
    last = len(labels.TAHAP_NAMES)
    for row, name in enumerate(labels.TAHAP_NAMES, start=1):
        sheet.write_string(row, 0, name, styles.fmt(book, "label"))
    sheet.data_validation(1, 1, last, 1, {
        "validate": "list", "source": list(labels.TAHAP_STATUS),
        "input_title": labels.T_STATUS, "input_message": "Pilih Belum, Proses atau Selesai.",
        "error_type": "warning", "error_title": labels.T_STATUS,
        "error_message": "Nilai yang dianjurkan: Belum, Proses, Selesai."})
    sheet.data_validation(1, 2, last, 2, {
        "validate": "date", "criteria": "between", "minimum": datetime(2018, 1, 1),
        "maximum": datetime(2100, 12, 31), "error_type": "warning",
        "error_title": labels.T_TANGGAL, "input_title": labels.T_TANGGAL,
        "input_message": "Tanggal status terakhir, misalnya 31/03/2026.",
        "error_message": "Bukan tanggal yang dikenali. Ketik hari/bulan/tahun."})
    perkada = last + 2
    sheet.write_string(perkada, 0, labels.T_PERKADA, styles.fmt(book, "label"))
    sheet.write_blank(perkada, 1, None, styles.fmt(book, "isian", "input"))
    sheet.data_validation(perkada, 1, perkada, 1, {
        "validate": "list", "source": [labels.YA, labels.TIDAK],
        "input_title": "Perkada rencana aksi",
        "input_message": "Ya bila Peraturan Kepala Daerah tentang rencana aksi SPM sudah ada.",
        "error_type": "warning", "error_title": "Perkada rencana aksi",
        "error_message": "Pilih Ya atau Tidak."})
    _own_columns(book, sheet, len(labels.TAHAPAN_HEADERS))
    sheet.protect("", PROTECTION)


def _service_sheet(book: Workbook, catalogue: Catalogue, service: Service, fill: Fill,
                   optional: bool = False) -> None:
    sheet = book.add_worksheet(service.sheet)
    sheet.set_tab_color(TAB_INPUT)
    items = catalogue.items(service.kode, optional)
    headers = labels.data_headers([i.label for i in items], service.bencana)
    top = fill.title_rows
    for row in range(top):
        sheet.write_string(row, 0, f"Data penerima {service.sheet} (baris judul tambahan admin)")
    _table_header(book, sheet, headers, top)
    sheet.set_row(top, 60)
    # header row and the identity columns up to Nama stay in view while scrolling
    sheet.freeze_panes(top + 1, headers.index(labels.D_NAMA) + 1)
    _fill_rows(book, sheet, headers, top + 1, fill.rows.get(service.kode, ()))
    f = styles.fmt
    first_item = len(headers) - len(items) - 1
    for col, label in enumerate(headers):
        if label in TEXT_COLUMNS:
            # Text format keeps all 16 digits: a number would lose the last one (SPEC 2.7)
            sheet.set_column(col, col, WIDTHS[label], f(book, "input", "teks"))
            sheet.data_validation(1, col, LAST_ROW, col, {
                "validate": "any", "input_title": label,
                "input_message": "Ketik 16 digit sebagai teks. Kosongkan bila belum ada."})
        elif label in DATE_COLUMNS:
            sheet.set_column(col, col, WIDTHS[label], f(book, "input", "tanggal"))
            sheet.data_validation(1, col, LAST_ROW, col, {
                "validate": "date", "criteria": "between", "minimum": datetime(1900, 1, 1),
                "maximum": datetime(2100, 12, 31), "error_type": "warning",
                "error_title": label, "input_title": label,
                "input_message": "Tanggal hari/bulan/tahun, misalnya 17/08/1975.",
                "error_message": "Bukan tanggal yang dikenali. Ketik hari/bulan/tahun."})
        elif label == labels.D_JK:
            sheet.set_column(col, col, WIDTHS[label], f(book, "input"))
            _choices(sheet, col, label, ["L", "P"], "L = laki-laki, P = perempuan.")
        elif label == labels.D_RENTAN:
            sheet.set_column(col, col, WIDTHS[label], f(book, "input"))
            _choices(sheet, col, label, ["Ya", "Tidak"],
                     "Ya bila termasuk kelompok rentan (anak, lansia, disabilitas, ibu hamil).")
        elif col >= first_item and label != labels.D_KETERANGAN:
            item = items[col - first_item]
            sheet.set_column(col, col, 14, f(book, "input"))
            _status_choices(sheet, col, item.label, item.satuan,
                            _number(item.standar[service.kode]))
        else:
            sheet.set_column(col, col, WIDTHS.get(label, 14), f(book, "input"))
    # a filter over the header row; Excel extends it to the rows typed below when used
    sheet.autofilter(0, 0, 0, len(headers) - 1)
    _own_columns(book, sheet, len(headers))
    sheet.protect("", PROTECTION)


def _own_columns(book: Workbook, sheet: Worksheet, first: int) -> None:
    """Columns right of a table are the admin's own (Petunjuk says so): left unlocked.

    A bounded band: a column format widens the sheet's ``<dimension>`` in XlsxWriter's output,
    and a band out to XFD makes a filled sheet look like millions of cells to safe.py's check.
    """
    sheet.set_column(first, first + labels.OWN_COLUMNS - 1, None, styles.fmt(book, "input"))


def _fill_rows(book: Workbook, sheet: Worksheet, headers: list[str], first: int,
               rows: Sequence[Mapping[str, object]]) -> None:
    """Write pre-filled rows by header label, each value with the cell type it has."""
    columns = {label: col for col, label in enumerate(headers)}
    dates = styles.fmt(book, "input", "tanggal")
    for r, values in enumerate(rows, start=first):
        for label, value in values.items():
            col = columns[label]
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), dates)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))


def _choices(sheet: Worksheet, col: int, title: str, values: list[str], message: str) -> None:
    sheet.data_validation(1, col, LAST_ROW, col, {
        "validate": "list", "source": values, "input_title": title[:32],
        "input_message": message, "error_type": "warning", "error_title": title[:32],
        "error_message": f"Nilai yang dianjurkan: {', '.join(values)}."})


def _status_choices(sheet: Worksheet, col: int, label: str, satuan: str,
                    standar: int | float) -> None:
    # Error type "warning", not "stop": SPEC 2.3 accepts typed variants ("TW 1", "Triwulan I",
    # "I"-"IV", "1"-"4") that a strict list would refuse. Excel asks once and keeps the value;
    # the checks normalise it or report the cell.
    sheet.data_validation(1, col, LAST_ROW, col, {
        "validate": "list", "source": list(labels.STATUS_CHOICES),
        "input_title": label[:32],
        "input_message": (f"Satuan {satuan}, standar {standar} per penerima. Pilih: - (tidak "
                          "butuh), Butuh (belum diterima), TW1-TW4 (diterima pada triwulan "
                          "itu)."),
        "error_type": "warning", "error_title": "Status barang/jasa",
        "error_message": ("Nilai yang dianjurkan: -, Butuh, TW1, TW2, TW3, TW4. Ketikan seperti "
                          "'TW 1', 'Triwulan I', 'I'-'IV' atau '1'-'4' juga diterima. Simpan "
                          "nilai ini?")})


def _output_sheet(book: Workbook, name: str) -> None:
    # No buttons here: the headless path replaces output sheet parts wholesale, so a button
    # drawn on one would vanish after the first `spm-xl hitung`; Petunjuk and Identitas are
    # input sheets, never rewritten, and keep theirs.
    sheet = book.add_worksheet(name)
    sheet.set_tab_color(TAB_OUTPUT)
    _page(sheet, landscape=True)
    sheet.set_column(0, 0, 14)
    sheet.write_string(0, 0, OUTPUT_TITLES[name], styles.fmt(book, "judul"))
    # rows 2-3 stay empty: row labels.STAMP_ROW holds the stamp once the book is computed
    sheet.write_string(3, 0, PLACEHOLDER, styles.fmt(book, "catatan"))
