"""The demo's history: earlier quarters of the synthetic province, then the trend.

Five earlier quarters (2025 TW I to 2026 TW I) with small districts (a few dozen recipients
per service, so ``make demo`` stays quick), each consolidated like the province would have
done at the time, with the everyday irregularities a series must show: Kota Baubau starts
reporting late, Kabupaten Bombana skips a quarter. The demo's main consolidation (2026
TW II, compared with TW I through ``--sebelumnya``) ends the series, and ``spm-xl tren``
turns them all into the trend workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .book.template import build_template
from .demo import DISTRICTS, PROVINCE, district_fill

#: earlier quarters, and the kab/kota that did not send a file that quarter
HISTORY: tuple[tuple[int, int, tuple[str, ...]], ...] = (
    (2025, 1, ("74.72",)), (2025, 2, ("74.72",)), (2025, 3, ("74.06",)), (2025, 4, ()),
    (2026, 1, ()))
#: recipients per service K1..K5 in the history's small districts
SMALL = (24, 30, 36, 12, 18)


def earlier_quarters(folder: Path, con: Any) -> list[Path]:
    """Write and consolidate every earlier quarter; the provincial workbooks, oldest first."""
    from .consolidate.run import consolidate

    out: list[Path] = []
    for year, quarter, absent in HISTORY:
        districts = folder / "riwayat" / f"{year}-TW{quarter}"
        districts.mkdir(parents=True, exist_ok=True)
        for i, (kode, _, _) in enumerate(DISTRICTS):
            if kode in absent:
                continue
            fill = district_fill(kode, SMALL, 0, seed=100 * year + 10 * quarter + i,
                                 year=year, quarter=quarter)
            build_template(districts / f"SPM-Sosial-{kode.replace('.', '')}-{year}.xlsx",
                           level="kabkota", kode=kode, tahun=year, fmt="xlsx", fill=fill)
        target = folder / "riwayat" / f"SPM-Sosial-Provinsi-{PROVINCE}-{year}-TW{quarter}.xlsx"
        previous = out[-1] if out else None
        consolidate([districts], target, jobs=1, sebelumnya=previous)
        late = f" (belum mengirim: {', '.join(absent)})" if absent else ""
        con.print(f"  {year} TW{quarter}: {len(DISTRICTS) - len(absent)} kab/kota "
                  f"dikonsolidasikan{late}")
        out.append(target)
    return out


def write_trend(folder: Path, books: list[Path], con: Any) -> Path:
    """The trend over the earlier quarters and the latest consolidation."""
    from .trend.run import trend

    target = folder / f"SPM-Sosial-Tren-{PROVINCE}.xlsx"
    outcome = trend(books, target)
    con.print(f"Tren {len(outcome.series.snapshots)} triwulan ditulis ke {target}.")
    return target
