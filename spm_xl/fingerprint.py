"""The input fingerprint stamped on every output sheet, to detect stale results.

It hashes what was *read* (identity, settings, prices, budget, recipient rows), not the
file's bytes, so re-saving or restyling a workbook does not make its results stale while
any changed value does.
"""

from __future__ import annotations

import hashlib
import pickle
from datetime import date

from .records import WorkbookData


def fingerprint(data: WorkbookData) -> str:
    """A short hex digest of every input value the engine and the checks use."""
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(repr(parts).encode("utf-8"))
        h.update(b"\x1f")

    feed(data.identity, data.settings)
    for pair in sorted(data.prices):
        p = data.prices[pair]
        feed(pair, p.standar, p.harga, p.tersedia)
    for code in sorted(data.budgets):
        feed(data.budgets[code])
    for service in sorted(data.services):
        rows = data.services[service]
        feed(service, rows.items, rows.rows)
        h.update(rows.status.tobytes())
        for label in sorted(rows.person):
            feed(label)
            # pickle is a fast, deterministic encoding of str/int/float/None lists; dates go
            # in as ISO text first because pickling date objects is slow
            values = [v.isoformat() if isinstance(v, date) else v for v in rows.person[label]]
            h.update(pickle.dumps(values, protocol=5))
    return h.hexdigest()[:20]
