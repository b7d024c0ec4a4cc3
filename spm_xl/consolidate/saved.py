"""Did the district's saved Capaian sheet match our recomputation? (SPEC 5: "say so")

A stale stamp is reported by ``checks.stale_outputs``; this catches the other way a saved
result lies: figures typed over after Hitung Ulang (the stamp still matches). Only the
reported quarter's sasaran, terlayani and indeks are compared: they are what a district
copies into e-SPM. The sheet is read by label with python-calamine, values only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import labels
from ..book import outputs as o
from ..engine import RegionResult
from ..findings import Finding
from ..report import pct

#: an index or percentage is stored rounded to 2 decimals; anything further off was typed
TOLERANCE = 0.005


def saved_output_findings(path: Path, result: RegionResult, quarter: int, stale: bool,
                          stamped: bool = True) -> list[Finding]:
    """Findings for saved Capaian figures that differ from ``result``; none if stale.

    ``stamped`` False (the reader found no stamp on Capaian) means it was never computed:
    the workbook is not opened a second time just to find the template's placeholder.
    """
    if stale:
        return []  # the stale-stamp finding already says the whole sheet is outdated
    table = _read_capaian(path) if stamped else None
    if table is None:
        return [Finding("info", "hasil_belum_ada",
                        f"Sheet {labels.CAPAIAN} belum berisi hasil hitung; konsolidasi "
                        "menghitung ulang dari data penerima.", labels.CAPAIAN)]
    return _compare(table, result, quarter)


def _read_capaian(path: Path) -> Sequence[Sequence[object]] | None:
    import python_calamine

    from ..book.safe import calamine_guard

    try:
        with calamine_guard(), python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
            if labels.CAPAIAN not in wb.sheet_names:
                return None
            rows: Sequence[Sequence[object]] = wb.get_sheet_by_name(labels.CAPAIAN).to_python(
                skip_empty_area=False, nrows=labels.HEADER_SEARCH_ROWS + 40)
    except Exception:  # a broken output sheet is not worth rejecting the district over
        return None
    return rows


def _compare(table: Sequence[Sequence[object]], result: RegionResult,
             quarter: int) -> list[Finding]:
    tw = o.quarter_text(quarter)
    wanted = (o.O_KODE_LAYANAN, o.O_SASARAN, f"{o.O_TERLAYANI} {tw}", f"{o.O_INDEKS} {tw}")
    header_at, cols = _find_header(table, wanted)
    if header_at is None:
        return [Finding("info", "hasil_belum_ada",
                        f"Sheet {labels.CAPAIAN} belum berisi hasil hitung; konsolidasi "
                        "menghitung ulang dari data penerima.", labels.CAPAIAN)]
    expected = {s.capaian.layanan: s.capaian for s in result.layanan}
    out: list[Finding] = []
    for r in range(header_at + 1, len(table)):
        row = table[r]
        code = _cell(row, cols[o.O_KODE_LAYANAN])
        a = expected.get(str(code).strip()) if isinstance(code, str) else None
        if a is None:
            continue
        checks = (
            (o.O_SASARAN, _cell(row, cols[wanted[1]]), float(a.sasaran)),
            (wanted[2], _cell(row, cols[wanted[2]]), float(a.terlayani[quarter - 1])),
            (wanted[3], _cell(row, cols[wanted[3]]), pct(a.indeks[quarter - 1])),
        )
        for label, saved, mine in checks:
            if _differs(saved, mine):
                out.append(Finding(
                    "peringatan", "hasil_diubah",
                    f"{labels.CAPAIAN} {a.layanan} '{label}' tersimpan {_show(saved)}, hasil "
                    f"hitung ulang {_show(mine)}: angka di sheet ini diubah sesudah dihitung. "
                    "Konsolidasi memakai hasil hitung ulang.",
                    labels.CAPAIAN, f"{_letter(cols[label])}{r + 1}"))
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
