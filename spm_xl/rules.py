"""Domain rules beyond the data checks: the meal-day standards and the template version.

The meal-day (permakanan) rule of each service is catalogue data (``aturan_permakanan``):
for K4 the sources give 7 days as a maximum, for K5/P5 7 days as a minimum; K1-K3 are the
region's choice and P1-P4's 180 days is unverified, so those two only carry a note.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import labels
from .catalogue import Catalogue, load_catalogue
from .findings import Finding
from .records import WorkbookData

MEAL_ITEM = "permakanan"


def domain_findings(data: WorkbookData) -> list[Finding]:
    cat = load_catalogue()
    return [*template_version(data, cat), *meal_days(data, cat)]


def template_version(data: WorkbookData, cat: Catalogue) -> Iterator[Finding]:
    """An older template still reads and computes the same; say what it lacks."""
    mine = _version(data.identity.versi_templat)
    current = _version(cat.versi_templat)
    if mine is None or current is None or mine >= current:
        return
    yield Finding(
        "info", "templat_lama",
        f"Buku kerja ini memakai templat versi {data.identity.versi_templat}; versi terbaru "
        f"{cat.versi_templat}. Angka tetap dihitung sama. Templat terbaru menambah sheet "
        f"{labels.PERMASALAHAN} dan {labels.TAHAPAN} (bagian D dan E Laporan e-SPM) dan "
        f"pilihan baru di {labels.KONFIGURASI}; buat dengan spm-xl templat bila diperlukan.",
        labels.IDENTITAS)


def meal_days(data: WorkbookData, cat: Catalogue) -> Iterator[Finding]:
    """A configured meal-day standard on the wrong side of a rule the sources give."""
    for code in data.services:
        rule = cat.aturan_permakanan.get(code)
        price = data.prices.get((code, MEAL_ITEM))
        if rule is None or price is None:
            continue
        days = price.standar
        sel = price.sel_harga
        if rule.jenis == "maksimum" and days > rule.hari:
            yield Finding(
                "peringatan", "permakanan_melebihi_maksimum",
                f"Standar permakanan {code} {_num(days)} hari melebihi batas paling lama "
                f"{_num(rule.hari)} hari ({rule.catatan}). Periksa Standar per Penerima.",
                labels.HARGA, _standard_cell(sel), _num(days))
        elif rule.jenis == "minimum" and days < rule.hari:
            yield Finding(
                "peringatan", "permakanan_kurang_dari_minimum",
                f"Standar permakanan {code} {_num(days)} hari kurang dari batas paling "
                f"sedikit {_num(rule.hari)} hari ({rule.catatan}). Periksa Standar per "
                "Penerima.", labels.HARGA, _standard_cell(sel), _num(days))


def _standard_cell(price_cell: str | None) -> str | None:
    """The row of the price cell: the standard sits in the same row (Harga Satuan)."""
    if not price_cell:
        return None
    digits = price_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f"A{digits}" if digits else None


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in text.strip().split("."))
    except ValueError:
        return None


def _num(value: object) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text
