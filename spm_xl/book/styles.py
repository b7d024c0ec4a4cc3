"""Shared XlsxWriter cell formats, so every sheet spm-xl writes looks and reads the same.

Formats are named property dicts combined left to right: ``fmt(wb, "rupiah", "input")`` is an
unlocked Rupiah cell. XlsxWriter adds every ``add_format`` call to the file, so the combined
formats are cached per workbook and each combination is created once.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

FONT = "Calibri"
#: tab colours: input sheets, output sheets, the guide
TAB_INPUT = "#FFD966"
TAB_OUTPUT = "#A9D08E"
TAB_GUIDE = "#2F5597"

# Number formats are stored locale-neutral; Excel on an Indonesian PC shows the separators of
# the PC's locale (1.250.000 and 87,50%).
PROPS: dict[str, dict[str, Any]] = {
    "rupiah": {"num_format": '"Rp" #,##0'},
    "angka": {"num_format": "#,##0"},
    # a row or group number: no thousands separator ("2206", not "2,206")
    "nomor": {"num_format": "0"},
    "desimal": {"num_format": "0.00"},
    # a fraction shown as a percentage: 0.875 -> 87.50%
    "persen": {"num_format": "0.00%"},
    # a number already in percent units (the engine's 0-100 scale): 87.5 -> 87.50 %
    "persen100": {"num_format": '0.00" %"'},
    "tanggal": {"num_format": "dd/mm/yyyy"},
    "teks": {"num_format": "@"},
    "judul": {"bold": True, "font_size": 14, "font_color": "#1F3864"},
    "subjudul": {"bold": True, "font_size": 12, "font_color": "#1F3864"},
    "header": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
               "border": 1, "border_color": "#8EA9DB"},
    "label": {"bold": True},
    "wrap": {"text_wrap": True, "valign": "top"},
    "kiri": {"align": "left"},
    "catatan": {"italic": True, "font_color": "#595959"},
    "input": {"locked": False},
    # the pale fill that marks a cell to fill in on the small forms (Identitas, Harga Satuan)
    "isian": {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"},
    "terkunci": {"locked": True},
    # output tables (Kebutuhan, Capaian, Laporan e-SPM, Pemeriksaan)
    "sel": {"border": 1, "border_color": "#BFBFBF", "valign": "top"},
    "total": {"bold": True, "bg_color": "#F2F2F2"},
    "sorot": {"bg_color": "#FFF2CC"},
    "sorot_total": {"bold": True, "bg_color": "#FFE699"},
    "sorot_kepala": {"bg_color": "#FFD966"},
    "tautan": {"font_color": "#0563C1", "underline": 1},
    "stempel": {"font_size": 9, "font_color": "#595959"},
}

_cache: WeakKeyDictionary[Workbook, dict[tuple[str, ...], Format]] = WeakKeyDictionary()


def fmt(workbook: Workbook, *names: str) -> Format:
    """The format combining the named property sets (later names win), once per workbook."""
    per_book = _cache.setdefault(workbook, {})
    found = per_book.get(names)
    if found is None:
        props: dict[str, Any] = {"font_name": FONT}
        for name in names:
            props.update(PROPS[name])
        found = workbook.add_format(props)
        per_book[names] = found
    return found
