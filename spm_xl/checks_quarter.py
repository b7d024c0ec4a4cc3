"""Checks that look at the reported quarter and at a workbook with nothing in it.

A TW II report whose data carries TW III marks, a TW III realisation or an assessment
dated in July is either reported for the wrong quarter or holds mistakes; both are worth
a warning, and when every sign points one quarter ahead a hint says to fix Identitas.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import numpy as np

from . import labels
from .findings import Finding
from .quarters import roman
from .records import WorkbookData

_QUARTER_END = ((3, 31), (6, 30), (9, 30), (12, 31))


def quarter_end(year: int, quarter: int) -> date:
    month, day = _QUARTER_END[quarter - 1]
    return date(year, month, day)


def quarter_checks(data: WorkbookData) -> list[Finding]:
    """Later-quarter marks, realisations and assessment dates; an empty workbook."""
    q = data.identity.triwulan
    if not 1 <= q <= 4:
        return []
    out = [*_marks(data, q), *_realisations(data, q), *_assessments(data, q)]
    later = [f for f in out if f.kode.endswith("_triwulan_berikut")]
    if later and q < 4:
        out.append(Finding(
            "info", "data_triwulan_berikut",
            f"Data memuat {len(later)} tanda untuk triwulan setelah Triwulan {roman(q)} "
            f"yang tercatat di {labels.IDENTITAS}. Bila laporan ini sebenarnya untuk Triwulan "
            f"{roman(q + 1)}, ubah Triwulan di sheet {labels.IDENTITAS} (atau jalankan "
            f"spm-xl hitung --triwulan {q + 1}).", labels.IDENTITAS))
    if not any(len(s.rows) for s in data.services.values()):
        out.append(Finding(
            "peringatan", "data_kosong",
            "Belum ada satu baris penerima pun di sheet layanan; templat masih kosong, "
            "hasilnya semua nol.", None))
    return out


def _marks(data: WorkbookData, q: int) -> Iterator[Finding]:
    """One finding per service sheet with status marks TW(q+1)..TW4: count and first cell."""
    for rows in data.services.values():
        later = (rows.status > q) & (rows.status <= 4)
        if not later.any():
            continue
        i, j = (int(v) for v in np.argwhere(later)[0])
        col = rows.columns.get(_item_label(rows.items[j]), "")
        n = int(later.sum())
        yield Finding(
            "peringatan", "tanda_triwulan_berikut",
            f"{n} tanda status untuk triwulan setelah Triwulan {roman(q)} (mis. "
            f"TW{int(rows.status[i, j])}); laporan ini untuk Triwulan {roman(q)} sehingga "
            "tanda itu belum dihitung. Periksa tandanya atau Triwulan di sheet "
            f"{labels.IDENTITAS}.", rows.sheet, f"{col}{rows.rows[i]}" if col else None,
            f"TW{int(rows.status[i, j])}")


def _realisations(data: WorkbookData, q: int) -> Iterator[Finding]:
    for code, budget in sorted(data.budgets.items()):
        for later in range(q + 1, 5):
            spent = budget.realisasi[later - 1]
            if spent:
                yield Finding(
                    "peringatan", "realisasi_triwulan_berikut",
                    f"Realisasi {code} Triwulan {roman(later)} diisi (Rp {spent:,}) padahal "
                    f"laporan ini untuk Triwulan {roman(q)}.".replace(",", "."),
                    labels.ANGGARAN, None, str(spent))


def _assessments(data: WorkbookData, q: int) -> Iterator[Finding]:
    """Assessment dates after the end of the reported quarter (one finding per sheet)."""
    end = quarter_end(data.identity.tahun, q)
    last = datetime.combine(end, time.max)  # a datetime on the last day is not late
    for rows in data.services.values():
        dates = rows.person.get(labels.D_ASESMEN)
        if not dates:
            continue
        late = [i for i, d in enumerate(dates) if isinstance(d, date)
                and (d > last if isinstance(d, datetime) else d > end)]
        if not late:
            continue
        first = late[0]
        col = rows.columns.get(labels.D_ASESMEN, "")
        day = _day(dates[first])  # type: ignore[arg-type]
        yield Finding(
            "peringatan", "asesmen_triwulan_berikut",
            f"{len(late)} tanggal asesmen setelah akhir Triwulan {roman(q)} "
            f"({end:%d-%m-%Y}), mis. {day:%d-%m-%Y}. Periksa tanggalnya atau Triwulan di "
            f"sheet {labels.IDENTITAS}.", rows.sheet,
            f"{col}{rows.rows[first]}" if col else None, f"{day:%d-%m-%Y}")


def _day(value: date) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _item_label(code: str) -> str:
    from .catalogue import load_catalogue

    return next((i.label for i in load_catalogue().item if i.kode == code), code)
