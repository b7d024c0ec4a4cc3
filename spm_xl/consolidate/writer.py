"""The provincial workbook (SPEC 5), written with XlsxWriter in constant-memory mode.

Sheets, in order: Ringkasan, Rekap Kab-Kota (SPEC's "Rekap Kab/Kota": Excel forbids "/" in a
sheet name), Rekap Layanan, Kebutuhan, Belum Mengirim, Duplikat, Pemeriksaan, Sumber,
Dashboard. Formula and URL conversion are off, so a district that named someone
``=HYPERLINK(...)`` gets text back.
"""

from __future__ import annotations

from pathlib import Path

from ..book.outputs import fit_widths
from ..book.xlsx import new_workbook
from . import sheets_detail as detail
from . import sheets_summary as summary
from .sheets import REKAP_KABKOTA, SHEETS, Book, where
from .sheets_tren import data_tren

__all__ = ["REKAP_KABKOTA", "SHEETS", "Book", "write_book"]


def write_book(path: Path, book: Book) -> None:
    wb = new_workbook(str(path), constant_memory=True, default_date_format="dd/mm/yyyy")
    wb.set_properties({"title": f"Konsolidasi SPM Bidang Sosial {where(book)}",
                       "comments": "Dibuat oleh spm-xl; tanpa nama dan NIK kecuali diminta."})
    try:
        summary.ringkasan(wb, book)
        summary.rekap_kabkota(wb, book)
        summary.rekap_layanan(wb, book)
        summary.kebutuhan(wb, book)
        detail.belum_mengirim(wb, book)
        detail.duplikat(wb, book)
        detail.pemeriksaan(wb, book)
        detail.sumber(wb, book)
        summary.dashboard(wb, book)
        data_tren(wb, book)
        fit_widths(wb)
    finally:
        wb.close()
