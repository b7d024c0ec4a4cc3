"""The input fingerprint stamped on every output sheet, to detect stale results.

It hashes the values the checks and the engine use (identity, settings, prices, budget,
status marks, and the person columns some rule reads), not the file's bytes: re-saving or
restyling a workbook, or editing a column no rule reads (Desa/Kelurahan, Keterangan, ...),
does not make its results stale, while any change that could alter an output does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date

from .checks import RULE_COLUMNS
from .records import WorkbookData


def fingerprint(data: WorkbookData) -> str:
    """A short hex digest of every input value the engine and the checks use."""
    return fingerprints(data)[data.identity.triwulan]


def fingerprints(data: WorkbookData) -> dict[int, str]:
    """The fingerprint for each reported quarter 1-4 (the rest of the inputs as they are).

    ``hitung --triwulan 3`` stamps the fingerprint of quarter 3; ``periksa`` finds that
    stamp among these four and says "computed for another quarter", not "stale".
    """
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(repr(parts).encode("utf-8"))
        h.update(b"\x1f")

    feed(dataclasses.replace(data.identity, triwulan=0), data.settings)
    if data.narasi.permasalahan_terisi or data.narasi.tahapan_terisi:
        feed(data.narasi)  # Laporan e-SPM parts D and E show it
    for pair in sorted(data.prices):
        p = data.prices[pair]
        feed(pair, p.standar, p.harga, p.tersedia)
    for code in sorted(data.budgets):
        feed(data.budgets[code])
    for service in sorted(data.services):
        rows = data.services[service]
        feed(service, rows.items, rows.rows)
        h.update(rows.status.tobytes())
        for label in RULE_COLUMNS:
            if label not in rows.person:
                continue
            feed(label)
            # JSON is a fast canonical text for str/int/float/None lists (pickle is not
            # canonical: it memoises shared objects); dates go in as ISO text
            values = rows.person[label]
            if any(issubclass(t, date) for t in set(map(type, values))):  # a date column
                values = [v.isoformat() if isinstance(v, date) else v for v in values]
            h.update(json.dumps(values, ensure_ascii=False, default=repr).encode("utf-8"))
    out: dict[int, str] = {}
    for q in (1, 2, 3, 4, data.identity.triwulan):
        per_quarter = h.copy()
        per_quarter.update(f"triwulan={q}".encode())
        out[q] = per_quarter.hexdigest()[:20]
    return out
