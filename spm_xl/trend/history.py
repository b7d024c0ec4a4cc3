"""``spm-xl templat --riwayat``: the history sheet for years before spm-xl was used.

One sheet, ``Riwayat``, whose header labels are the public contract ``spm-xl tren`` reads
(``reader.RIWAYAT_COLUMNS``): anyone may fill it by hand or by script, in any row order.
"""

from __future__ import annotations

from pathlib import Path

from ..book import styles
from ..book.xlsx import new_workbook
from ..catalogue import load_catalogue
from .reader import (
    R_INDEKS,
    R_KODE,
    R_LAYANAN,
    R_NAMA,
    R_SASARAN,
    R_TAHUN,
    R_TERLAYANI,
    R_TRIWULAN,
    RIWAYAT,
    RIWAYAT_COLUMNS,
)

HEADER_ROW = 4  # 0-based: row 5, below the title and the notes
ROWS = 2000  # rows prepared with validation and formats
WIDTHS = {R_TAHUN: 8, R_TRIWULAN: 10, R_KODE: 14, R_NAMA: 28, R_LAYANAN: 13, R_SASARAN: 12,
          R_TERLAYANI: 12, R_INDEKS: 10}


def write_history_template(path: Path) -> None:
    wb = new_workbook(str(path))
    try:
        ws = wb.add_worksheet(RIWAYAT)
        ws.set_tab_color(styles.TAB_INPUT)
        ws.write_string(0, 0, "Riwayat Capaian SPM Bidang Sosial (diketik dari laporan e-SPM "
                              "lama)", styles.fmt(wb, "judul"))
        notes = (
            "Satu baris per kab/kota, layanan dan periode. Triwulan: I, II, III atau IV. Kode "
            "Kab/Kota: kode Kemendagri, mis. 74.06. Kode Layanan: K1-K5.",
            "Indeks 0-100 seperti di laporan lama (boleh kosong bila tidak ada); sel kosong "
            "dibaca sebagai tidak ada data, bukan nol. Jangan mengubah judul kolom.",
            "Pakai: spm-xl tren riwayat.xlsx konsolidasi-*.xlsx -o tren.xlsx",
        )
        for i, line in enumerate(notes, start=1):
            ws.write_string(i, 0, line, styles.fmt(wb, "catatan"))
        header = styles.fmt(wb, "header")
        text = styles.fmt(wb, "teks", "input")
        plain = styles.fmt(wb, "input")
        for col, label in enumerate(RIWAYAT_COLUMNS):
            ws.write_string(HEADER_ROW, col, label, header)
            is_text = label in (R_KODE, R_NAMA, R_LAYANAN, R_TRIWULAN)
            ws.set_column(col, col, WIDTHS[label], text if is_text else plain)
        first, last = HEADER_ROW + 1, HEADER_ROW + ROWS
        at = RIWAYAT_COLUMNS.index
        ws.data_validation(first, at(R_TRIWULAN), last, at(R_TRIWULAN),
                           {"validate": "list", "source": ["I", "II", "III", "IV"]})
        codes = [s.kode for s in load_catalogue().services("kabkota")]
        ws.data_validation(first, at(R_LAYANAN), last, at(R_LAYANAN),
                           {"validate": "list", "source": codes})
        ws.data_validation(first, at(R_INDEKS), last, at(R_INDEKS),
                           {"validate": "decimal", "criteria": "between", "minimum": 0,
                            "maximum": 100, "error_message": "Indeks harus 0-100."})
        ws.freeze_panes(HEADER_ROW + 1, 0)
    finally:
        wb.close()
