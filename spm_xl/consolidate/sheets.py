"""What every sheet of the provincial workbook shares: names, the Book, table helpers.

Sheets are written in constant-memory mode, so rows go out strictly top to bottom;
long detail tables continue on a numbered sheet rather than pass Excel's row limit,
and every string goes through ``write_string`` (never a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import labels
from ..book import outputs as o
from ..book import styles
from ..book.xlsx import Cell, FastRowWorksheet
from ..catalogue import load_catalogue
from ..records import Stamp
from ..regions import region_name
from ..trend.datasheet import DATA_TREN  # the sheet ``spm-xl tren`` reads
from .duplicates import DuplicateGroup
from .inputs import Gate
from .model import FileReport
from .previous import Previous
from .summary import province_text

RINGKASAN = "Ringkasan"
#: SPEC 5 says "Rekap Kab/Kota", but Excel forbids / \\ ? * [ ] : in sheet names
REKAP_KABKOTA = "Rekap Kab-Kota"
REKAP_LAYANAN = "Rekap Layanan"
KEBUTUHAN = "Kebutuhan"
BELUM_MENGIRIM = "Belum Mengirim"
DUPLIKAT = "Duplikat"
PEMERIKSAAN = "Pemeriksaan"
SUMBER = "Sumber"
DASHBOARD = "Dashboard"
SHEETS = (RINGKASAN, REKAP_KABKOTA, REKAP_LAYANAN, KEBUTUHAN, BELUM_MENGIRIM, DUPLIKAT,
          PEMERIKSAAN, SUMBER, DASHBOARD, DATA_TREN)

#: Excel's rows per sheet; tests lower it to exercise the split
ROW_LIMIT = 1_048_576
HEAD = o.FIRST_TABLE_ROW  # 0-based header row of every table

Value = str | int | float | Fraction | date | None


@dataclass(frozen=True, slots=True)
class Book:
    """Everything the writer needs, decided before the first byte is written."""
    gate: Gate
    duplicates: list[DuplicateGroup]
    duplicate_persons: int
    pseudonyms: dict[bytes, str]
    personal: bool
    sources: list[FileReport]  # every file looked at, in input order
    stamp: Stamp
    key_note: str  # where the pseudonym key came from (never the key itself)
    #: the previous quarter's provincial workbook (``konsolidasi --sebelumnya``)
    sebelumnya: Previous | None = None


def quarter(book: Book) -> int:
    """The reported quarter (1-4) every recap shows."""
    return book.gate.period[1] if book.gate.period else 1


def where(book: Book) -> str:
    g = book.gate
    when = (f"Tahun {g.period[0]}, Triwulan {labels.QUARTER_ROMAN[g.period[1] - 1]}"
            if g.period else "periode tidak diketahui")
    return f"Provinsi {province_text(g.province)} — {when}"


def begin(wb: xlsxwriter.Workbook, name: str, heading: str, book: Book,
          widths: Sequence[float]) -> Worksheet:
    """A sheet titled with what, which province and which period, stamped like hitung's."""
    return o.begin_sheet(wb, name, f"{heading} — {where(book)}", book.stamp, widths)


def accepted(book: Book) -> list[FileReport]:
    return [*book.gate.districts, *([book.gate.own] if book.gate.own else [])]


def region(r: FileReport) -> str:
    """The region's name from the Kemendagri list (a fixed text if the code is unknown: what
    a district typed never reaches the province's workbook)."""
    assert r.identity is not None
    return region_name(r.identity.kode) or "(wilayah tidak dikenal)"


#: the completeness score column (``spm_xl.keterisian``) of Rekap Kab-Kota and Sumber
KETERISIAN = "Keterisian (0-100)"


def keterisian_of(r: FileReport) -> Fraction | None:
    return r.keterisian.skor if r.keterisian is not None else None


def service_name(code: str) -> str:
    try:
        return load_catalogue().service(code).nama
    except KeyError:
        return code


def short(code: str) -> str:
    try:
        return load_catalogue().service(code).sheet
    except KeyError:
        return code


def share_or(value: Fraction | None, missing: str = o.TIDAK_ADA_SASARAN) -> Fraction | str:
    return missing if value is None else value


class Rows:
    """A fast row writer for long tables: formats resolved once per column kind."""

    def __init__(self, wb: xlsxwriter.Workbook, kinds: Sequence[o.Kind]) -> None:
        self.formats: list[Format] = [o.cell_format(wb, k) for k in kinds]
        self.date_format = styles.fmt(wb, "tanggal")

    def write(self, ws: Worksheet, row: int, values: Sequence[Value]) -> None:
        if isinstance(ws, FastRowWorksheet):
            cells: list[Cell] = []
            for col, v in enumerate(values):
                if v is None or v == "":
                    continue
                if isinstance(v, date):
                    break  # a date cell: the ordinary path below
                cells.append((col, o.shown(v) if isinstance(v, Fraction) else v,
                              self.formats[col]))
            else:
                ws.write_plain_row(row, cells)
                return
        for col, value in enumerate(values):
            f = self.formats[col]
            if value is None or value == "":
                continue
            if isinstance(value, str):
                ws.write_string(row, col, value, f)
            elif isinstance(value, date):
                ws.write_datetime(row, col, value, self.date_format)
            elif isinstance(value, Fraction):
                ws.write_number(row, col, o.shown(value), f)
            else:
                ws.write_number(row, col, value, f)


def long_table(wb: xlsxwriter.Workbook, book: Book, name: str, heading: str,
               columns: Sequence[o.Column], rows: Iterable[Sequence[Value]],
               preamble: Sequence[tuple[str, bool]] = (), empty: str = "Tidak ada.") -> list[str]:
    """A header and rows, continued on 'Name (2)', 'Name (3)' ... past Excel's row limit."""
    writer = Rows(wb, [c.kind for c in columns])
    widths = [c.width for c in columns]
    names = [name]
    ws = begin(wb, name, heading, book, widths)
    first = write_preamble(wb, ws, preamble)
    row = o.write_header(ws, wb, first, columns)
    ws.freeze_panes(row, 0)
    start = row
    for values in rows:
        if row >= ROW_LIMIT:
            ws.autofilter(first, 0, row - 1, len(columns) - 1)
            names.append(f"{name} ({len(names) + 1})")
            ws = begin(wb, names[-1], f"{heading} (lanjutan)", book, widths)
            first = HEAD
            row = o.write_header(ws, wb, first, columns)
            ws.freeze_panes(row, 0)
            start = row
        writer.write(ws, row, values)
        row += 1
    if row == start:
        ws.write_string(row, 0, empty, o.cell_format(wb, "teks"))
    else:
        ws.autofilter(first, 0, row - 1, len(columns) - 1)
    return names


def write_preamble(wb: xlsxwriter.Workbook, ws: Worksheet,
                   lines: Sequence[tuple[str, bool]]) -> int:
    """Notes (text, is_warning) between the stamp and the table; returns the header row."""
    row = HEAD
    for text, is_warning in lines:
        f = (wb.add_format({"bold": True, "font_color": "#C00000"}) if is_warning
             else o.named_format(wb, "stempel"))
        ws.write_string(row, 0, text, f)
        row += 1
    return row + (1 if lines else 0)
