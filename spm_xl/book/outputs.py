"""The output sheets (SPEC 3): Kebutuhan, Capaian, Laporan e-SPM, Dashboard, Pemeriksaan.

Rendered with XlsxWriter into any workbook (``book.splice`` transplants them into an
admin's file; the provincial consolidation writes its own book with the same helpers).

Conventions, shared with every writer that reuses these helpers:

* a percentage or an index is stored as the 0-100 figure rounded half-up to 2 decimals
  (``45.67``, not ``0.4567``) with the format ``0.00" %"`` (``styles`` "persen100"; indices
  ``0.00``): the cell holds exactly the number the JSON output and the e-SPM application
  show, so a reader comparing a saved output with a recomputation needs no scaling and no
  float fuzz;
* rupiah are integers formatted ``"Rp" #,##0`` (Excel draws the separators per locale);
* every string goes out through ``write_string``: a name like ``=HYPERLINK(...)`` stays text;
* totals are ``=SUM(...)`` formulas carrying the Python-computed value as cached result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal
from weakref import WeakKeyDictionary

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from .. import labels
from ..catalogue import Catalogue
from ..engine import RegionResult, round_half_up
from ..finding_kinds import group_findings
from ..findings import SEVERITY_TEXT, Finding, counts, sort_findings
from ..quarters import BELUM, reported_only
from ..records import Identity, Narrative, Stamp
from . import styles

Kind = Literal["teks", "bilangan", "desimal", "rupiah", "persen", "indeks", "tautan", "nomor"]

PERCENT_FORMAT = str(styles.PROPS["persen100"]["num_format"])  # 0.00" %"
INDEX_FORMAT = str(styles.PROPS["desimal"]["num_format"])  # 0.00
RUPIAH_FORMAT = str(styles.PROPS["rupiah"]["num_format"])  # "Rp" #,##0

TIDAK_ADA_SASARAN = "Tidak ada sasaran"
TIDAK_ADA = "-"  # a share whose denominator is zero (no allocation, no need)
DILAPORKAN = "dilaporkan"

# header labels of the output tables: readers find them by label, like the input sheets
O_KODE_LAYANAN = "Kode Layanan"
O_LAYANAN = "Layanan"
O_KODE_ITEM = "Kode Item"
O_ITEM = "Item"
O_SATUAN = "Satuan"
O_PENERIMA = "Penerima"
O_STANDAR = "Standar per Penerima"
O_VOLUME = "Volume"
O_TERSEDIA = "Tersedia"
O_KEKURANGAN = "Kekurangan"
O_HARGA = "Harga Satuan (Rp)"
O_BIAYA = "Biaya (Rp)"
O_SISA = "Sisa (Rp)"
O_SASARAN = "Sasaran"
O_TERLAYANI = "Terlayani"
O_BELUM_TERLAYANI = "Belum Terlayani"
O_PERSEN_PENERIMA = "% Penerima"
O_PERSEN_MUTU = "% Mutu"
O_INDEKS = "Indeks"
O_KATEGORI = "Kategori"
O_DIBUTUHKAN = "Dibutuhkan"
O_TERPENUHI = "Terpenuhi"
O_BELUM_TERPENUHI = "Belum Terpenuhi"
O_PERSEN_TERPENUHI = "% Terpenuhi"
O_ALOKASI = "Alokasi (Rp)"
O_REALISASI = "Realisasi Kumulatif (Rp)"
O_SELISIH = "Selisih (Rp)"
O_SERAPAN = "% Serapan"
O_ALOKASI_KEBUTUHAN = "% Alokasi terhadap Kebutuhan"
O_TINGKAT = "Tingkat"
O_SHEET = "Sheet"
O_SEL = "Sel"
O_NILAI = "Nilai"
O_PESAN = "Pesan"
O_KODE = "Kode"

FIRST_TABLE_ROW = 3  # 0-based: row 4, below title, stamp and a blank row
#: the ``styles`` names behind each cell kind
_KIND_STYLES: dict[Kind, tuple[str, ...]] = {
    "teks": ("wrap",), "bilangan": ("angka",), "desimal": ("desimal",), "rupiah": ("rupiah",),
    "persen": ("persen100",), "indeks": ("desimal",), "tautan": ("tautan",), "nomor": ("nomor",),
}
#: widest a text column grows to; longer text wraps inside the cell
TEXT_WIDTH_CAP = 48.0
#: per sheet: the width each column was given and the width its content needs
_GIVEN: WeakKeyDictionary[Worksheet, dict[int, float]] = WeakKeyDictionary()
_NEEDED: WeakKeyDictionary[Worksheet, dict[int, float]] = WeakKeyDictionary()
#: per sheet: whether a header row is already repeated on every printed page
_PRINT_TITLES: WeakKeyDictionary[Worksheet, bool] = WeakKeyDictionary()
#: plain named looks used by the helpers below
_NAMED: dict[str, tuple[str, ...]] = {
    "judul": ("judul",), "bagian": ("subjudul",), "kepala": ("header",),
    "kepala_sorot": ("header", "sorot_kepala"), "stempel_label": ("catatan", "stempel"),
    "stempel": ("stempel",),
}
def named_format(workbook: xlsxwriter.Workbook, name: str) -> Format:
    """A plain named look: judul, bagian, kepala, kepala_sorot, stempel_label, stempel."""
    return styles.fmt(workbook, *_NAMED[name])


def cell_format(workbook: xlsxwriter.Workbook, kind: Kind, *, total: bool = False,
                highlight: bool = False) -> Format:
    """The format of a table cell of one kind, optionally a total row and/or highlighted."""
    extra = (("sorot_total",) if total else ("sorot",)) if highlight else (
        ("total",) if total else ())
    return styles.fmt(workbook, "sel", *_KIND_STYLES[kind], *extra)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind
    width: float = 12.0


@dataclass(frozen=True, slots=True)
class Sum:
    """A total cell: ``=SUM(ref)`` with ``value`` as cached result (a plain number if no ref)."""
    ref: str | None
    value: int


CellValue = str | int | Decimal | Fraction | Sum | None


def quarter_text(q: int) -> str:
    return f"TW {labels.QUARTER_ROMAN[q - 1]}"


def title_text(heading: str, identity: Identity) -> str:
    """Row 1 of every output sheet: what, where, when."""
    return (f"{heading} — {identity.nama} — Tahun {identity.tahun}, "
            f"Triwulan {labels.QUARTER_ROMAN[identity.triwulan - 1]}")


def shown(value: Fraction | Decimal | int) -> float:
    """A percentage or index as stored in a cell: 0-100, rounded half-up to 2 decimals."""
    return float(round_half_up(value))


def begin_sheet(workbook: xlsxwriter.Workbook, name: str, title: str, stamp: Stamp,
                widths: Sequence[float] = ()) -> Worksheet:
    """A new sheet with the title in row 1 and the stamp in ``labels.STAMP_ROW``."""
    ws = workbook.add_worksheet(name)
    ws.set_tab_color(styles.TAB_OUTPUT)
    ws.set_paper(9)  # A4, landscape, one page wide: how the template sets its output sheets
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&8&A&R&8Halaman &P dari &N")
    ws.write_string(0, 0, title, named_format(workbook, "judul"))
    write_stamp(ws, workbook, stamp)
    _GIVEN[ws] = dict(enumerate(widths))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    return ws


def need_width(ws: Worksheet, col: int, width: float) -> None:
    """Record that a cell of ``col`` needs ``width`` characters (see ``fit_widths``)."""
    needed = _NEEDED.setdefault(ws, {})
    if width > needed.get(col, 0.0):
        needed[col] = width


def value_width(value: CellValue, kind: Kind) -> float:
    """Characters a value needs as shown by its kind's number format (plus padding)."""
    if value is None:
        return 0.0
    if isinstance(value, str):  # long text wraps: its longest word must fit
        longest = max((len(w) for w in value.split()), default=0) * 1.1 + 2.0
        return max(min(len(value) * 1.05 + 2.0, TEXT_WIDTH_CAP), longest)
    number = value.value if isinstance(value, Sum) else value
    if kind in ("persen", "indeks", "desimal"):
        text = f"{float(round_half_up(number)):,.2f}" + (" %" if kind == "persen" else "")
    elif kind == "nomor":
        text = str(int(number))
    else:
        text = ("Rp " if kind == "rupiah" else "") + f"{int(round_half_up(number, 0)):,}"
    return len(text) * 1.1 + 2.0


def fit_widths(workbook: xlsxwriter.Workbook) -> None:
    """Widen every column of the sheets begun here to what its cells need: no ``###``."""
    for ws in workbook.worksheets():
        given = _GIVEN.get(ws, {})
        for col, width in sorted(_NEEDED.get(ws, {}).items()):
            if width > given.get(col, 8.43):
                ws.set_column(col, col, round(width, 1))


def repeat_header(ws: Worksheet, first: int, last: int | None = None) -> None:
    """Print the (first) table header on every page, once per sheet."""
    if not _PRINT_TITLES.get(ws):
        ws.repeat_rows(first, first if last is None else last)
        _PRINT_TITLES[ws] = True


def write_stamp(ws: Worksheet, workbook: xlsxwriter.Workbook, stamp: Stamp) -> None:
    """Label/value pairs the reader finds by label (stale-result detection)."""
    label_fmt = named_format(workbook, "stempel_label")
    value_fmt = named_format(workbook, "stempel")
    pairs = ((labels.STAMP_VERSI, stamp.versi), (labels.STAMP_WAKTU, stamp.waktu),
             (labels.STAMP_SIDIK, stamp.sidik))
    for i, (label, value) in enumerate(pairs):
        ws.write_string(labels.STAMP_ROW - 1, 2 * i, label, label_fmt)
        ws.write_string(labels.STAMP_ROW - 1, 2 * i + 1, value, value_fmt)
        need_width(ws, 2 * i, len(label) * 0.9 + 1)  # a 9-point font
        need_width(ws, 2 * i + 1, len(value) * 0.9 + 1)


def write_section(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, text: str) -> int:
    ws.write_string(row, 0, text, named_format(workbook, "bagian"))
    return row + 1


def write_header(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int,
                 columns: Sequence[Column], highlight: frozenset[int] = frozenset()) -> int:
    """One header row (labels unique within the table); returns the next row."""
    repeat_header(ws, row)
    for col, c in enumerate(columns):
        name = "kepala_sorot" if col in highlight else "kepala"
        ws.write_string(row, col, c.header, named_format(workbook, name))
        need_width(ws, col, max((len(w) for w in c.header.split()), default=0) * 1.15 + 2)
    # wrapped labels need a taller row: no spreadsheet program grows it for cached files
    lines = max((-(-len(c.header) // max(int(c.width) - 1, 1)) for c in columns), default=1)
    ws.set_row(row, 15 * min(max(lines, 1), 4))
    return row + 1


def write_row(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int,
              columns: Sequence[Column], values: Sequence[CellValue], *, total: bool = False,
              highlight: frozenset[int] = frozenset()) -> int:
    """One table row, each value written by its column's kind; returns the next row."""
    lines = 1
    for col, (c, value) in enumerate(zip(columns, values, strict=True)):
        write_value(ws, workbook, row, col, value, c.kind, total=total,
                    highlight=col in highlight)
        if c.kind == "teks" and isinstance(value, str):
            lines = max(lines, wrapped_lines(value, c.width))
    if lines > 1:  # like the header: no spreadsheet program grows a cached row by itself
        ws.set_row(row, 15 * min(lines, 6))
    return row + 1


def wrapped_lines(text: str, given: float) -> int:
    """Lines a wrapped text takes in its column, whose width ``fit_widths`` will set to at
    least what the text needs up to ``TEXT_WIDTH_CAP`` (see ``value_width``)."""
    width = max(given, value_width(text, "teks")) - 2.0
    return max(1, -(-round(len(text) * 1.05) // max(int(width), 1)))


def write_table(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int,
                columns: Sequence[Column], rows: Sequence[Sequence[CellValue]], *,
                total: Sequence[CellValue] | None = None,
                highlight: frozenset[int] = frozenset()) -> int:
    """Header, rows and an optional total row; returns the next free row.

    A ``Sum(None, value)`` in ``total`` becomes ``=SUM`` over the rows of its column.
    """
    row = write_header(ws, workbook, row, columns, highlight)
    first = row
    for values in rows:
        row = write_row(ws, workbook, row, columns, values, highlight=highlight)
    if total is not None:
        cells = [Sum(column_range(col, first, row - 1), v.value)
                 if isinstance(v, Sum) and v.ref is None and row > first else v
                 for col, v in enumerate(total)]
        row = write_row(ws, workbook, row, columns, cells, total=True, highlight=highlight)
    return row


def write_value(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, col: int,
                value: CellValue, kind: Kind, *, total: bool = False,
                highlight: bool = False) -> None:
    """Write by type, never through ``Worksheet.write`` (no string is ever a formula)."""
    if isinstance(value, Decimal) and kind == "desimal" and value == value.to_integral_value():
        kind = "bilangan"
    f = cell_format(workbook, kind, total=total, highlight=highlight)
    need_width(ws, col, value_width(value, kind))
    if value is None:
        ws.write_blank(row, col, None, f)
    elif isinstance(value, str):
        ws.write_string(row, col, value, f)
    elif isinstance(value, Sum):
        if value.ref is None:
            ws.write_number(row, col, value.value, f)
        else:
            ws.write_formula(row, col, f"=SUM({value.ref})", f, value.value)
    elif kind in ("persen", "indeks"):
        ws.write_number(row, col, shown(value), f)
    elif isinstance(value, int):
        ws.write_number(row, col, value, f)
    else:
        ws.write_number(row, col, float(value), f)


def column_range(col: int, first_row: int, last_row: int) -> str:
    """A1 range of one column between two 0-based rows, inclusive (for ``Sum``)."""
    return f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(last_row, col)}"


def cell_list(col: int, rows: Sequence[int]) -> str | None:
    """Comma-separated A1 cells of one column (a total of subtotals); None if empty."""
    return ",".join(xl_rowcol_to_cell(r, col) for r in rows) if rows else None


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(100 * part, whole) if whole else None


def _pct_or(value: Fraction | None, missing: str) -> Fraction | str:
    return missing if value is None else value


# --- Kebutuhan -----------------------------------------------------------------------------

KEBUTUHAN_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks", 8), Column(O_LAYANAN, "teks", 30),
    Column(O_KODE_ITEM, "teks", 14), Column(O_ITEM, "teks", 34), Column(O_SATUAN, "teks", 11),
    Column(O_PENERIMA, "bilangan", 11), Column(O_STANDAR, "desimal", 11),
    Column(O_VOLUME, "desimal", 12), Column(O_TERSEDIA, "desimal", 12),
    Column(O_KEKURANGAN, "desimal", 12), Column(O_HARGA, "rupiah", 14),
    Column(O_BIAYA, "rupiah", 17), Column(O_SISA, "rupiah", 17),
)
_K_BIAYA = 11
_K_SISA = 12


def render_kebutuhan(workbook: xlsxwriter.Workbook, identity: Identity, result: RegionResult,
                     stamp: Stamp, catalogue: Catalogue) -> Worksheet:
    """SPEC 2.5 per service x item, with SUM subtotals per service and a region total."""
    cols = KEBUTUHAN_COLUMNS
    ws = begin_sheet(workbook, labels.KEBUTUHAN,
                     title_text("Kebutuhan Pemenuhan Pelayanan Dasar SPM Bidang Sosial",
                                identity), stamp, [c.width for c in cols])
    row = write_header(ws, workbook, FIRST_TABLE_ROW, cols)
    ws.freeze_panes(row, 0)
    subtotal_rows: list[int] = []
    for s in result.layanan:
        need = s.kebutuhan
        name = _service_name(catalogue, need.layanan)
        first = row
        for i in need.item:
            item = _item(catalogue, i.item)
            row = write_row(ws, workbook, row, cols, [
                need.layanan, name, i.item, item[0], item[1], i.penerima, i.standar, i.volume,
                i.tersedia, i.kekurangan, i.harga_satuan, i.biaya, i.sisa])
        has_items = row > first
        biaya = Sum(column_range(_K_BIAYA, first, row - 1) if has_items else None, need.biaya)
        sisa = Sum(column_range(_K_SISA, first, row - 1) if has_items else None, need.sisa)
        subtotal_rows.append(row)
        row = write_row(ws, workbook, row, cols, [
            need.layanan, name, None, f"Jumlah {need.layanan}", None, None, None, None, None,
            None, None, biaya, sisa], total=True)
    write_row(ws, workbook, row, cols, [
        None, f"Total {identity.nama}", None, None, None, None, None, None, None, None, None,
        Sum(cell_list(_K_BIAYA, subtotal_rows), result.biaya),
        Sum(cell_list(_K_SISA, subtotal_rows), result.sisa)], total=True)
    return ws


# --- Capaian -------------------------------------------------------------------------------

def capaian_columns() -> list[Column]:
    cols = [Column(O_KODE_LAYANAN, "teks", 8), Column(O_LAYANAN, "teks", 30),
            Column(O_SASARAN, "bilangan", 10)]
    for q in (1, 2, 3, 4):
        tw = quarter_text(q)
        cols += [Column(f"{O_TERLAYANI} {tw}", "bilangan", 10),
                 Column(f"{O_PERSEN_PENERIMA} {tw}", "persen", 11),
                 Column(f"{O_PERSEN_MUTU} {tw}", "persen", 11),
                 Column(f"{O_INDEKS} {tw}", "indeks", 9),
                 Column(f"{O_KATEGORI} {tw}", "teks", 17)]
    return cols


_C_BLOCK = 5  # columns per quarter
_C_FIRST = 3  # first quarter column


def render_capaian(workbook: xlsxwriter.Workbook, identity: Identity, result: RegionResult,
                   stamp: Stamp, catalogue: Catalogue) -> Worksheet:
    """SPEC 2.4 per service and quarter; the reported quarter's block highlighted."""
    cols = capaian_columns()
    ws = begin_sheet(workbook, labels.CAPAIAN,
                     title_text("Capaian Indeks Pencapaian SPM Bidang Sosial", identity), stamp,
                     [c.width for c in cols])
    q_rep = identity.triwulan
    first = _C_FIRST + _C_BLOCK * (q_rep - 1)
    hl = frozenset(range(first, first + _C_BLOCK))
    group = FIRST_TABLE_ROW
    for q in (1, 2, 3, 4):
        c0 = _C_FIRST + _C_BLOCK * (q - 1)
        text = f"Triwulan {labels.QUARTER_ROMAN[q - 1]}" + (
            f" ({DILAPORKAN})" if q == q_rep else "")
        ws.merge_range(group, c0, group, c0 + _C_BLOCK - 1, "",
                       named_format(workbook, "kepala_sorot" if q == q_rep else "kepala"))
        ws.write_string(group, c0, text,
                        named_format(workbook, "kepala_sorot" if q == q_rep else "kepala"))
    repeat_header(ws, group, group + 1)
    row = write_header(ws, workbook, group + 1, cols, hl)
    ws.freeze_panes(row, 3)
    # 23 columns do not fit one A4 width legibly: two pages wide, service names repeated
    ws.fit_to_pages(2, 0)
    ws.repeat_columns(0, 2)
    for s in result.layanan:
        a = s.capaian
        values: list[CellValue] = [a.layanan, _service_name(catalogue, a.layanan), a.sasaran]
        for q in range(4):
            missing = TIDAK_ADA_SASARAN
            values += [a.terlayani[q], _pct_or(a.persen_penerima[q], missing),
                       _pct_or(a.persen_mutu[q], missing), _pct_or(a.indeks[q], missing),
                       a.kategori[q] or missing] if q < q_rep else [BELUM] * _C_BLOCK
        row = write_row(ws, workbook, row, cols, values, highlight=hl)
    region: list[CellValue] = [None, f"{labels.INDEKS_BIDANG_SOSIAL} {identity.nama}", None]
    for q in range(4):
        region += [None, None, None, _pct_or(result.indeks_daerah[q], TIDAK_ADA_SASARAN),
                   result.kategori_daerah[q] or TIDAK_ADA_SASARAN] if q < q_rep else [
                       None, None, None, BELUM, BELUM]
    write_row(ws, workbook, row, cols, region, total=True, highlight=hl)
    return ws


# --- Laporan e-SPM -------------------------------------------------------------------------

LAPORAN_A_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks", 8), Column(O_LAYANAN, "teks", 30),
    Column(O_SASARAN, "bilangan", 14), Column(O_TERLAYANI, "bilangan", 14),
    Column(O_BELUM_TERLAYANI, "bilangan", 14), Column(O_PERSEN_PENERIMA, "persen", 14),
    Column(O_PERSEN_MUTU, "persen", 14), Column(O_INDEKS, "indeks", 14),
    Column(O_KATEGORI, "teks", 17),
)
#: part B counts recipients (orang); the volume keeps its own unit in its own column
O_PENERIMA_DIBUTUHKAN = "Penerima Dibutuhkan (orang)"
O_PENERIMA_TERPENUHI = "Penerima Terpenuhi (orang)"
O_PENERIMA_BELUM = "Penerima Belum Terpenuhi (orang)"
LAPORAN_B_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks"), Column(O_LAYANAN, "teks"), Column(O_ITEM, "teks"),
    Column(O_PENERIMA_DIBUTUHKAN, "bilangan"), Column(O_VOLUME, "desimal"),
    Column(O_SATUAN, "teks"), Column(O_PENERIMA_TERPENUHI, "bilangan"),
    Column(O_PENERIMA_BELUM, "bilangan"), Column(O_PERSEN_TERPENUHI, "persen"),
)
LAPORAN_C_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks"), Column(O_LAYANAN, "teks"), Column(O_ALOKASI, "rupiah"),
    Column(O_REALISASI, "rupiah"), Column(O_SELISIH, "rupiah"), Column(O_SERAPAN, "persen"),
    Column(O_BIAYA, "rupiah"), Column(O_ALOKASI_KEBUTUHAN, "persen"),
)


def render_laporan(workbook: xlsxwriter.Workbook, identity: Identity, result: RegionResult,
                   stamp: Stamp, catalogue: Catalogue,
                   narasi: Narrative | None = None) -> Worksheet:
    """The reported quarter as the quarterly e-SPM report: A. penerima, B. mutu, C. anggaran,
    D. permasalahan dan solusi, E. tahapan."""
    ws = begin_sheet(workbook, labels.LAPORAN,
                     title_text("Laporan Penerapan SPM Bidang Sosial (e-SPM)", identity), stamp,
                     [8, 30, 30, 12, 14, 14, 14, 14, 17])  # widest of the three tables
    q = identity.triwulan - 1
    row = write_section(ws, workbook, FIRST_TABLE_ROW, "A. Penerima Layanan Dasar")
    row = _laporan_a(ws, workbook, row, q, identity, result, catalogue)
    row = write_section(ws, workbook, row + 1, "B. Mutu Barang/Jasa yang Diterima Penerima")
    row = _laporan_b(ws, workbook, row, q, result, catalogue)
    row = write_section(ws, workbook, row + 1, "C. Anggaran")
    row = _laporan_c(ws, workbook, row, q, result, catalogue)
    _laporan_d_e(ws, workbook, row + 1, result, catalogue, narasi or Narrative())
    return ws


def _laporan_a(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, q: int,
               identity: Identity, result: RegionResult, catalogue: Catalogue) -> int:
    rows: list[list[CellValue]] = []
    for s in result.layanan:
        a = s.capaian
        rows.append([
            a.layanan, _service_name(catalogue, a.layanan), a.sasaran, a.terlayani[q],
            a.sasaran - a.terlayani[q], _pct_or(a.persen_penerima[q], TIDAK_ADA_SASARAN),
            _pct_or(a.persen_mutu[q], TIDAK_ADA_SASARAN),
            _pct_or(a.indeks[q], TIDAK_ADA_SASARAN), a.kategori[q] or TIDAK_ADA_SASARAN])
    y = sum(s.capaian.sasaran for s in result.layanan)
    x = sum(s.capaian.terlayani[q] for s in result.layanan)
    return write_table(ws, workbook, row, LAPORAN_A_COLUMNS, rows, total=[
        None, f"Jumlah / {labels.INDEKS_BIDANG_SOSIAL} {identity.nama}", Sum(None, y),
        Sum(None, x),
        Sum(None, y - x), None, None, _pct_or(result.indeks_daerah[q], TIDAK_ADA_SASARAN),
        result.kategori_daerah[q] or TIDAK_ADA_SASARAN])


def _laporan_b(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, q: int,
               result: RegionResult, catalogue: Catalogue) -> int:
    cols = LAPORAN_B_COLUMNS
    row = write_header(ws, workbook, row, cols)
    for s in result.layanan:
        a, need = s.capaian, s.kebutuhan
        name = _service_name(catalogue, a.layanan)
        first = row
        for i in need.item:
            label, unit = _item(catalogue, i.item)
            done = i.terpenuhi[q]
            row = write_row(ws, workbook, row, cols, [
                a.layanan, name, label, i.penerima, i.volume, unit, done, i.penerima - done,
                _pct_or(share(done, i.penerima), TIDAK_ADA)])
        has = row > first
        done_all = a.pasangan_terpenuhi[q]
        row = write_row(ws, workbook, row, cols, [  # volumes of different units: no sum
            a.layanan, name, f"Jumlah {a.layanan}",
            Sum(column_range(3, first, row - 1) if has else None, a.pasangan_butuh), None, None,
            Sum(column_range(6, first, row - 1) if has else None, done_all),
            Sum(column_range(7, first, row - 1) if has else None, a.pasangan_butuh - done_all),
            _pct_or(share(done_all, a.pasangan_butuh), TIDAK_ADA)], total=True)
    return row


def _laporan_c(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, q: int,
               result: RegionResult, catalogue: Catalogue) -> int:
    rows: list[list[CellValue]] = []
    for s in result.layanan:
        b = s.anggaran
        rows.append([
            b.layanan, _service_name(catalogue, b.layanan), b.alokasi, b.realisasi[q],
            b.alokasi - b.realisasi[q], _pct_or(b.persen_serapan[q], TIDAK_ADA),
            s.kebutuhan.biaya, _pct_or(b.persen_kebutuhan, TIDAK_ADA)])
    alloc = sum(s.anggaran.alokasi for s in result.layanan)
    spent = sum(s.anggaran.realisasi[q] for s in result.layanan)
    return write_table(ws, workbook, row, LAPORAN_C_COLUMNS, rows, total=[
        None, "Jumlah", Sum(None, alloc), Sum(None, spent), Sum(None, alloc - spent),
        _pct_or(share(spent, alloc), TIDAK_ADA), Sum(None, result.biaya),
        _pct_or(share(alloc, result.biaya), TIDAK_ADA)])


LAPORAN_D_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks"), Column(O_LAYANAN, "teks"),
    Column(labels.M_PERMASALAHAN, "teks"), Column(labels.M_SOLUSI, "teks"),
    Column(labels.M_DUKUNGAN, "teks"),
)
LAPORAN_E_COLUMNS = (Column(labels.T_TAHAP, "teks"), Column(labels.T_STATUS, "teks"),
                     Column(labels.T_TANGGAL, "teks"))
BELUM_DIISI = "Belum diisi"


def _laporan_d_e(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, result: RegionResult,
                 catalogue: Catalogue, narasi: Narrative) -> int:
    """D. permasalahan dan solusi, E. tahapan: the report's text, laid out to copy."""
    row = write_section(ws, workbook, row, "D. Permasalahan dan Solusi")
    if not narasi.ada_permasalahan:
        row = _absent_sheet(ws, workbook, row, labels.PERMASALAHAN)
    else:
        by_code = {p.layanan: p for p in narasi.permasalahan}
        rows: list[list[CellValue]] = []
        for s in result.layanan:
            code = s.capaian.layanan
            p = by_code.get(code)
            rows.append([code, _service_name(catalogue, code),
                         *((p.permasalahan or TIDAK_ADA, p.solusi or TIDAK_ADA,
                            p.dukungan or TIDAK_ADA) if p else (TIDAK_ADA,) * 3)])
        row = write_table(ws, workbook, row, LAPORAN_D_COLUMNS, rows)
    row = write_section(ws, workbook, row + 1, "E. Tahapan Penerapan SPM")
    if not narasi.ada_tahapan:
        return _absent_sheet(ws, workbook, row, labels.TAHAPAN)
    row = write_header(ws, workbook, row, LAPORAN_E_COLUMNS)
    text = cell_format(workbook, "teks")
    when = styles.fmt(workbook, "sel", "tanggal")
    for stage in narasi.tahapan:
        ws.write_string(row, 0, stage.tahap, text)
        ws.write_string(row, 1, stage.status or BELUM_DIISI, text)
        if stage.tanggal is None:
            ws.write_blank(row, 2, None, text)
        else:
            ws.write_datetime(row, 2, datetime(stage.tanggal.year, stage.tanggal.month,
                                               stage.tanggal.day), when)
        row += 1
    perkada = narasi.perkada_rencana_aksi
    ws.write_string(row, 0, labels.T_PERKADA, text)
    ws.write_string(row, 1, BELUM_DIISI if perkada is None
                    else labels.YA if perkada else labels.TIDAK, text)
    return row + 1


def _absent_sheet(ws: Worksheet, workbook: xlsxwriter.Workbook, row: int, sheet: str) -> int:
    ws.write_string(row, 0, f"Sheet {sheet} tidak ada di buku kerja ini (templat versi lama); "
                    "buat templat terbaru dengan spm-xl templat untuk mengisinya.",
                    named_format(workbook, "stempel_label"))
    return row + 1


# --- Dashboard -----------------------------------------------------------------------------

DASHBOARD_INDEX_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks", 8), Column(O_LAYANAN, "teks", 18),
    *(Column(f"{O_INDEKS} {quarter_text(q)}", "indeks", 12) for q in (1, 2, 3, 4)),
)
DASHBOARD_COST_COLUMNS = (
    Column(O_KODE_LAYANAN, "teks"), Column(O_LAYANAN, "teks"), Column(O_BIAYA, "rupiah"),
    Column(O_SISA, "rupiah"),
)


def render_dashboard(workbook: xlsxwriter.Workbook, identity: Identity, result: RegionResult,
                     stamp: Stamp, catalogue: Catalogue) -> Worksheet:
    """Two charts whose data sit in cells of this sheet (so they survive any copy)."""
    name = labels.DASHBOARD
    ws = begin_sheet(workbook, name, title_text("Dashboard SPM Bidang Sosial", identity), stamp,
                     [8, 18, 14, 14, 12, 12])
    row = write_section(ws, workbook, FIRST_TABLE_ROW, "Indeks per Layanan per Triwulan")
    row = write_header(ws, workbook, row, DASHBOARD_INDEX_COLUMNS)
    first = row
    for s in result.layanan:
        a = s.capaian
        row = write_row(ws, workbook, row, DASHBOARD_INDEX_COLUMNS,
                        [a.layanan, _service_short(catalogue, a.layanan),
                         *reported_only(a.indeks, identity.triwulan)])
    row = write_row(ws, workbook, row, DASHBOARD_INDEX_COLUMNS,
                    [None, labels.INDEKS_BIDANG_SOSIAL, *reported_only(
                        result.indeks_daerah, identity.triwulan)], total=True)
    index_chart = workbook.add_chart({"type": "column"})
    for q in (1, 2, 3, 4):
        index_chart.add_series({
            "name": [name, first - 1, 1 + q],
            "categories": [name, first, 1, row - 1, 1],
            "values": [name, first, 1 + q, row - 1, 1 + q],
        })
    index_chart.set_title({"name": "Indeks Pencapaian SPM per Layanan per Triwulan"})
    index_chart.set_y_axis({"min": 0, "max": 100, "num_format": INDEX_FORMAT,
                            "name": "Indeks"})
    index_chart.set_legend({"position": "bottom"})
    index_chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(FIRST_TABLE_ROW, 7, index_chart)

    row = write_section(ws, workbook, row + 1, "Kebutuhan Biaya per Layanan")
    row = write_header(ws, workbook, row, DASHBOARD_COST_COLUMNS)
    cost_first = row
    for s in result.layanan:
        code = s.kebutuhan.layanan
        row = write_row(ws, workbook, row, DASHBOARD_COST_COLUMNS,
                        [code, _service_short(catalogue, code), s.kebutuhan.biaya,
                         s.kebutuhan.sisa])
    cost_chart = workbook.add_chart({"type": "column"})
    for col in (2, 3):
        cost_chart.add_series({
            "name": [name, cost_first - 1, col],
            "categories": [name, cost_first, 1, max(cost_first, row - 1), 1],
            "values": [name, cost_first, col, max(cost_first, row - 1), col],
        })
    cost_chart.set_title({"name": "Kebutuhan Biaya per Layanan (Rp)"})
    cost_chart.set_y_axis({"min": 0, "num_format": RUPIAH_FORMAT})
    cost_chart.set_legend({"position": "bottom"})
    cost_chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(FIRST_TABLE_ROW + 17, 7, cost_chart)
    return ws


# --- Pemeriksaan ---------------------------------------------------------------------------

PEMERIKSAAN_COLUMNS = (
    Column(O_TINGKAT, "teks", 11), Column(O_SHEET, "teks", 16), Column(O_SEL, "tautan", 8),
    Column(O_NILAI, "teks", 22), Column(O_PESAN, "teks", 90), Column(O_KODE, "teks", 22),
)
_A1 = re.compile(r"\$?[A-Z]{1,3}\$?[0-9]{1,7}(:\$?[A-Z]{1,3}\$?[0-9]{1,7})?")
_MAX_LINKS = 65_530  # Excel's limit of hyperlinks per worksheet


def cell_link(sheet: str, cell: str) -> str:
    """An XlsxWriter internal link to a cell: ``internal:'K1 Disabilitas'!M12``."""
    return "internal:'" + sheet.replace("'", "''") + "'!" + cell


#: findings of one kind on one sheet listed cell by cell; past this, one summary row (count
#: and cell ranges) comes first and only the first ones follow in detail, so 50,000 blank NIKs
#: cost a few hundred rows, not seconds
DETAIL_LIMIT = 200


def render_pemeriksaan(workbook: xlsxwriter.Workbook, identity: Identity,
                       findings: list[Finding], stamp: Stamp) -> Worksheet:
    """Every finding, errors first; the cell is a link that jumps to the offending cell."""
    cols = PEMERIKSAAN_COLUMNS
    ws = begin_sheet(workbook, labels.PEMERIKSAAN,
                     title_text("Pemeriksaan Data", identity), stamp, [c.width for c in cols])
    c = counts(findings)
    summary: list[CellValue] = [SEVERITY_TEXT["galat"], c["galat"],
                                SEVERITY_TEXT["peringatan"], c["peringatan"],
                                SEVERITY_TEXT["info"], c["info"]]
    write_row(ws, workbook, FIRST_TABLE_ROW - 1, [Column("", "teks")] * 6, summary)
    row = write_header(ws, workbook, FIRST_TABLE_ROW, cols)
    ws.freeze_panes(row, 0)
    if not findings:
        ws.write_string(row, 0, "Tidak ada temuan.", cell_format(workbook, "teks"))
        return ws
    links = 0
    text_fmt = cell_format(workbook, "teks")
    link_fmt = cell_format(workbook, "tautan")
    big = {(g.tingkat, g.sheet, g.kode): g for g in group_findings(findings)
           if g.jumlah > DETAIL_LIMIT}
    shown: dict[tuple[str, str | None, str], int] = {}
    for f in sort_findings(findings):
        kind = (f.tingkat, f.sheet, f.kode)
        if kind in big:
            n = shown[kind] = shown.get(kind, 0) + 1
            if n > DETAIL_LIMIT:
                continue
            if n == 1:  # one row for the whole kind first, then its first cells in detail
                g = big[kind]
                ws.write_string(row, 0, SEVERITY_TEXT[f.tingkat], text_fmt)
                _text(ws, row, 1, f.sheet, text_fmt)
                _text(ws, row, 2, g.sel, text_fmt)
                ws.write_blank(row, 3, None, text_fmt)
                ws.write_string(row, 4, f"{g.jumlah:,} sel: {g.keterangan} Baris berikut "
                                f"merinci {DETAIL_LIMIT} yang pertama.".replace(",", "."),
                                text_fmt)
                ws.write_string(row, 5, f.kode, text_fmt)
                row += 1
        ws.write_string(row, 0, SEVERITY_TEXT[f.tingkat], text_fmt)
        _text(ws, row, 1, f.sheet, text_fmt)
        if f.sheet and f.sel and _A1.fullmatch(f.sel) and links < _MAX_LINKS:
            ws.write_url(row, 2, cell_link(f.sheet, f.sel), link_fmt, f.sel)
            links += 1
        else:
            _text(ws, row, 2, f.sel, text_fmt)
        _text(ws, row, 3, f.nilai, text_fmt)
        ws.write_string(row, 4, f.pesan, text_fmt)
        ws.write_string(row, 5, f.kode, text_fmt)
        row += 1
    return ws


def _text(ws: Worksheet, row: int, col: int, value: str | None, f: Format) -> None:
    if value is None:
        ws.write_blank(row, col, None, f)
    else:
        ws.write_string(row, col, value, f)


# --- all five ------------------------------------------------------------------------------

def render_outputs(workbook: xlsxwriter.Workbook, *, identity: Identity, result: RegionResult,
                   findings: list[Finding], stamp: Stamp, catalogue: Catalogue,
                   narasi: Narrative | None = None) -> None:
    """Add the five output sheets, in ``labels.OUTPUT_SHEETS`` order (``narasi``: sheets
    Permasalahan and Tahapan, for Laporan e-SPM parts D and E)."""
    if identity.triwulan not in (1, 2, 3, 4):
        raise ValueError(f"triwulan harus 1-4, bukan {identity.triwulan}")
    render_kebutuhan(workbook, identity, result, stamp, catalogue)
    render_capaian(workbook, identity, result, stamp, catalogue)
    render_laporan(workbook, identity, result, stamp, catalogue, narasi)
    render_dashboard(workbook, identity, result, stamp, catalogue)
    render_pemeriksaan(workbook, identity, findings, stamp)
    fit_widths(workbook)


def _service_name(catalogue: Catalogue, code: str) -> str:
    try:
        return catalogue.service(code).nama
    except KeyError:
        return code


def _service_short(catalogue: Catalogue, code: str) -> str:
    try:
        return catalogue.service(code).sheet
    except KeyError:
        return code


def _item(catalogue: Catalogue, code: str) -> tuple[str, str]:
    """(label, satuan) of an item code; the code itself if the catalogue lacks it."""
    for item in catalogue.item:
        if item.kode == code:
            return item.label, item.satuan
    return code, ""

