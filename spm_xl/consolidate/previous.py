"""``konsolidasi --sebelumnya FILE``: the change against the previous provincial workbook.

The previous workbook is read like ``spm-xl tren`` reads it (its Data Tren sheet, or the
Rekap Kab-Kota of a first-release workbook), so only aggregates are involved. Rekap
Kab-Kota gains the previous district index and the change in points, Ringkasan a short
comparison of the province (pooled ΣX/ΣY and mean of district indices).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..book import outputs as o
from ..engine import round_half_up
from ..findings import UnusableWorkbook
from ..trend import datasheet as d
from ..trend.model import DistrictPoint, Snapshot, period_text

if TYPE_CHECKING:
    from .model import FileReport
    from .sheets import Book

Period = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Previous:
    source: str
    period: Period
    province: str
    districts: dict[str, DistrictPoint]

    def index(self, kode: str) -> Decimal | None:
        pt = self.districts.get(kode)
        return pt.indeks if pt is not None and pt.status == d.DIKIRIM else None


def read_previous(path: Path) -> Previous:
    """The previous consolidation; refuses (UnusableWorkbook) anything else, saying why."""
    from ..trend.reader import Refusal, read_file

    if not path.is_file():
        raise UnusableWorkbook(f"Berkas --sebelumnya '{path}' tidak ditemukan.")
    try:
        snaps = read_file(path)
    except Refusal as e:
        raise UnusableWorkbook(f"Berkas --sebelumnya '{path.name}' tidak dapat dipakai: "
                               f"{e.alasan}") from e
    chosen: list[Snapshot] = [s for s in snaps if s.kind == "konsolidasi"]
    if not chosen:
        raise UnusableWorkbook(f"Berkas --sebelumnya '{path.name}' bukan buku kerja "
                               "konsolidasi provinsi spm-xl.")
    last = max(chosen, key=lambda s: s.period)
    return Previous(path.name, last.period, last.province, last.districts)


def previous_columns(book: Book) -> list[o.Column]:
    """Rekap Kab-Kota's comparison columns (none without --sebelumnya)."""
    prev = book.sebelumnya
    if prev is None:
        return []
    return [o.Column(f"Indeks SPM Bidang Sosial {period_text(prev.period)}", "indeks", 11),
            o.Column("Perubahan Indeks SPM Bidang Sosial (poin)", "desimal", 11),
            o.Column("Arah", "teks", 8)]


def previous_values(book: Book, report: FileReport, q: int) -> list[o.CellValue]:
    prev = book.sebelumnya
    if prev is None or report.identity is None or report.result is None:
        return []
    before = prev.index(report.identity.kode)
    delta = change(report.result.indeks_daerah[q - 1], before)
    return [before, delta, _arah(delta)]


def change(current: Fraction | None, before: Decimal | None) -> Decimal | None:
    """Points between the index as shown now and the index the previous workbook shows."""
    return None if current is None or before is None else round_half_up(current) - before


def problem(prev: Previous, period: Period | None, province: str | None) -> str | None:
    """Why the comparison is questionable (shown in Ringkasan), or None."""
    if province is not None and prev.province != province:
        return (f"Berkas pembanding milik provinsi {prev.province}, bukan {province}; "
                "perbandingan tidak bermakna.")
    if period is not None and prev.period >= period:
        return (f"Periode pembanding ({period_text(prev.period)}) tidak lebih awal dari "
                f"periode ini ({period_text(period)}).")
    return None


def ringkasan_section(wb: xlsxwriter.Workbook, ws: Worksheet, row: int, prev: Previous,
                      period: Period | None, province: str | None,
                      now: tuple[Fraction | None, Fraction | None]) -> int:
    """Comparison rows under Ringkasan; ``now`` = (pooled ΣX/ΣY, mean of district indices)."""
    row = o.write_section(ws, wb, row + 1, f"Dibandingkan dengan {period_text(prev.period)} "
                                           f"({prev.source})")
    sent = [pt for pt in prev.districts.values() if pt.status == d.DIKIRIM]
    figures = [s for pt in sent for s in pt.layanan.values()]
    y = sum(s.sasaran or 0 for s in figures)
    x = sum(s.terlayani or 0 for s in figures)
    before_pooled = round_half_up(Fraction(100 * x, y)) if y else None
    means = [pt.indeks for pt in sent if pt.indeks is not None]
    before_mean = round_half_up(Fraction(sum(means, Decimal(0))) / len(means)) if means else None
    cols = (o.Column("Uraian", "teks"), o.Column("Sebelumnya", "indeks"),
            o.Column("Sekarang", "indeks"), o.Column("Perubahan (poin)", "desimal"),
            o.Column("Arah", "teks"))
    rows: list[list[o.CellValue]] = []
    for label, before, current in (("% Penerima Gabungan (ΣX/ΣY)", before_pooled, now[0]),
                                   ("Rata-rata Indeks SPM Bidang Sosial", before_mean, now[1])):
        delta = change(current, before)
        rows.append([label, before, current, delta, _arah(delta)])
    row = o.write_table(ws, wb, row, cols, rows)
    note = problem(prev, period, province)
    if note:
        ws.write_string(row, 0, note, wb.add_format({"bold": True, "font_color": "#C00000"}))
        row += 1
    return row


def _arah(delta: Decimal | None) -> str | None:
    from ..trend.model import direction

    return direction(delta)
