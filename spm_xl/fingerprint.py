"""The input fingerprint stamped on every output sheet, to detect stale results.

It hashes the values the checks and the engine use (identity, settings, prices, budget,
status marks, and the person columns some rule reads), not the file's bytes: re-saving or
restyling a workbook, or editing a column no rule reads (Desa/Kelurahan, Keterangan, ...),
does not make its results stale, while any change that could alter an output does.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from .checks import RULE_COLUMNS
from .records import Settings, WorkbookData


def fingerprint(data: WorkbookData) -> str:
    """A short hex digest of every input value the engine and the checks use."""
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(repr(parts).encode("utf-8"))
        h.update(b"\x1f")

    feed(data.identity, _settings_key(data.settings))
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
            values = [v.isoformat() if isinstance(v, date) else v for v in rows.person[label]]
            h.update(json.dumps(values, ensure_ascii=False, default=repr).encode("utf-8"))
    return h.hexdigest()[:20]


class _Shown(str):
    """Text that hashes as written (repr without quotes)."""

    def __repr__(self) -> str:
        return str(self)


def _settings_key(s: Settings) -> object:
    """The settings as the first release hashed them, plus each newer option only when it
    is away from its default: upgrading the program alone does not make a workbook's
    computed results stale (its figures are the same)."""
    first = _Shown(f"Settings(bobot_penerima={s.bobot_penerima!r}, bobot_mutu="
                   f"{s.bobot_mutu!r}, kategori={s.kategori!r}, tanpa_sasaran="
                   f"{s.tanpa_sasaran!r}, ambang_bencana={s.ambang_bencana!r})")
    newer = {name: getattr(s, name) for name in ("persen_mutu", "batas_100", "item_opsional")
             if getattr(s, name) != getattr(_DEFAULTS, name)}
    return (first, newer) if newer else first


_DEFAULTS = Settings(Decimal(0), Decimal(0), (), "kecualikan", 1)
