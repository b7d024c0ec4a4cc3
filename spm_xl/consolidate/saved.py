"""Did the district's saved output sheets match our recomputation? (SPEC 5: "say so")

A stale stamp is reported by ``checks.stale_outputs``; this catches the other way a saved
result lies: figures typed over after Hitung Ulang (the stamp still matches). Every output
sheet carrying a figure of the reported quarter is compared (Capaian, Laporan e-SPM, the
one admins copy into e-SPM, Kebutuhan and Dashboard): each table is found by its header
labels, each row by its Kode Layanan (and Kode Item). Read with python-calamine, values only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .. import labels
from ..book import outputs as o
from ..engine import ItemNeed, RegionResult, ServiceResult
from ..findings import Finding
from ..report import pct

#: an index or percentage is stored rounded to 2 decimals; anything further off was typed
TOLERANCE = 0.005

Figure = Callable[[ServiceResult], float | None]
ItemFigure = Callable[[ItemNeed], float | None]


def service_figures(quarter: int) -> dict[str, Figure]:
    """Header label -> the recomputed figure of a service row (both labelled and plain)."""
    q = quarter - 1
    tw = o.quarter_text(quarter)
    each: dict[str, Figure] = {
        o.O_SASARAN: lambda s: float(s.capaian.sasaran),
        o.O_TERLAYANI: lambda s: float(s.capaian.terlayani[q]),
        o.O_BELUM_TERLAYANI: lambda s: float(s.capaian.sasaran - s.capaian.terlayani[q]),
        o.O_PERSEN_PENERIMA: lambda s: pct(s.capaian.persen_penerima[q]),
        o.O_PERSEN_MUTU: lambda s: pct(s.capaian.persen_mutu[q]),
        o.O_INDEKS: lambda s: pct(s.capaian.indeks[q]),
    }
    out = dict(each)
    out.update({f"{label} {tw}": f for label, f in each.items() if label != o.O_SASARAN})
    out.update({
        o.O_ALOKASI: lambda s: float(s.anggaran.alokasi),
        o.O_REALISASI: lambda s: float(s.anggaran.realisasi[q]),
        o.O_SELISIH: lambda s: float(s.anggaran.alokasi - s.anggaran.realisasi[q]),
        o.O_BIAYA: lambda s: float(s.kebutuhan.biaya),
        o.O_SISA: lambda s: float(s.kebutuhan.sisa),
    })
    return out


ITEM_FIGURES: dict[str, ItemFigure] = {
    o.O_PENERIMA: lambda i: float(i.penerima),
    o.O_BIAYA: lambda i: float(i.biaya),
    o.O_SISA: lambda i: float(i.sisa),
}


def saved_output_findings(saved: Mapping[str, Sequence[Sequence[object]]],
                          result: RegionResult, quarter: int, stale: bool,
                          stamped: bool = True) -> list[Finding]:
    """Findings for saved figures (``WorkbookData.saved``) that differ from ``result``;
    none if stale.

    ``stamped`` False (the reader found no stamp on Capaian) means it was never computed,
    whatever the template's placeholder sheets hold.
    """
    if stale:
        return []  # the stale-stamp finding already says the whole sheet is outdated
    tables = saved if stamped else {}
    if labels.CAPAIAN not in tables:
        return [_not_computed()]
    out: list[Finding] = []
    for sheet in labels.SAVED_SHEETS:
        if sheet in tables:
            out += _compare_sheet(sheet, tables[sheet], result, quarter)
    return out


def _not_computed() -> Finding:
    return Finding("info", "hasil_belum_ada",
                   f"Sheet {labels.CAPAIAN} belum berisi hasil hitung; konsolidasi "
                   "menghitung ulang dari data penerima.", labels.CAPAIAN)


def _compare_sheet(sheet: str, table: Sequence[Sequence[object]], result: RegionResult,
                   quarter: int) -> list[Finding]:
    """Walk the sheet's tables: a row holding Kode Layanan starts one; its rows follow."""
    services = {s.capaian.layanan: s for s in result.layanan}
    per_service = service_figures(quarter)
    if sheet == labels.CAPAIAN and _find_header(table, (o.O_KODE_LAYANAN, o.O_SASARAN))[0] \
            is None:
        return [_not_computed()]
    out: list[Finding] = []
    cols: dict[str, int] = {}
    code_col = item_col = -1
    for r, row in enumerate(table):
        texts = {str(v).strip(): c for c, v in enumerate(row) if isinstance(v, str)}
        if o.O_KODE_LAYANAN in texts:  # a header row
            code_col = texts[o.O_KODE_LAYANAN]
            item_col = texts.get(o.O_KODE_ITEM, -1)
            figures = ITEM_FIGURES if item_col >= 0 else per_service
            cols = {label: c for label, c in texts.items() if label in figures}
            continue
        code = _cell(row, code_col) if code_col >= 0 else None
        s = services.get(code.strip()) if isinstance(code, str) else None
        if s is None or not cols:
            continue
        if item_col >= 0:
            item_code = _cell(row, item_col)
            item = next((i for i in s.kebutuhan.item if i.item == item_code), None)
            if item is None:  # a subtotal row ("Jumlah K1") has no item code
                continue
            pairs = [(label, _cell(row, c), ITEM_FIGURES[label](item)) for label, c in
                     cols.items()]
            what = f"{s.capaian.layanan} / {item.item}"
        else:
            pairs = [(label, _cell(row, c), per_service[label](s)) for label, c in cols.items()]
            what = s.capaian.layanan
        for label, saved, mine in pairs:
            if _differs(saved, mine):
                out.append(Finding(
                    "peringatan", "hasil_diubah",
                    f"{sheet} {what} '{label}' tersimpan {_show(saved)}, hasil "
                    f"hitung ulang {_show(mine)}: angka di sheet ini diubah sesudah dihitung. "
                    "Konsolidasi memakai hasil hitung ulang.",
                    sheet, f"{_letter(cols[label])}{r + 1}"))
    return out


def _find_header(table: Sequence[Sequence[object]],
                 wanted: Sequence[str]) -> tuple[int | None, dict[str, int]]:
    for r, row in enumerate(table[:labels.HEADER_SEARCH_ROWS]):
        found = {str(v).strip(): c for c, v in enumerate(row) if isinstance(v, str)}
        if all(w in found for w in wanted):
            return r, {w: found[w] for w in wanted}
    return None, {}


def _cell(row: Sequence[object], col: int) -> object:
    return row[col] if col < len(row) else None


def _differs(saved: object, mine: float | None) -> bool:
    if mine is None:
        return isinstance(saved, (int, float)) and not isinstance(saved, bool)
    if isinstance(saved, bool) or not isinstance(saved, (int, float)):
        return True
    return abs(float(saved) - mine) > TOLERANCE


def _show(value: object) -> str:
    if value is None or value == "":
        return "kosong"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".replace(".", ",")
    return str(value)


def _letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(col))
