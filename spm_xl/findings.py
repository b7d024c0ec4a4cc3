"""Findings (temuan): what the checks and the reader say about a workbook.

A finding names its severity, sheet and cell, and a message in Bahasa Indonesia.
Values shown to users are already masked (no full NIK ever leaves here).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["galat", "peringatan", "info"]
SEVERITY_TEXT: dict[Severity, str] = {"galat": "Galat", "peringatan": "Peringatan", "info": "Info"}
_ORDER: dict[Severity, int] = {"galat": 0, "peringatan": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    tingkat: Severity
    kode: str  # stable machine code, e.g. "nik_panjang"
    pesan: str  # message in Bahasa Indonesia
    sheet: str | None = None
    sel: str | None = None  # A1 reference, e.g. "B12"
    nilai: str | None = None  # the offending value, NIK masked

    def __post_init__(self) -> None:
        # the one gate every message passes: NIK-shaped digits masked whatever the caller did
        from .nik import mask_text

        object.__setattr__(self, "pesan", mask_text(self.pesan))
        if self.nilai is not None:
            object.__setattr__(self, "nilai", mask_text(self.nilai))

    def as_json(self) -> dict[str, str | None]:
        return {"tingkat": self.tingkat, "sheet": self.sheet, "sel": self.sel,
                "kode": self.kode, "pesan": self.pesan}


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    c = Counter(f.tingkat for f in findings)
    return {"galat": c["galat"], "peringatan": c["peringatan"], "info": c["info"]}


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.tingkat == "galat" for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then by sheet and row order as the admin reads them."""
    def key(f: Finding) -> tuple[int, str, int, str]:
        row = int("".join(ch for ch in (f.sel or "") if ch.isdigit()) or 0)
        return (_ORDER[f.tingkat], f.sheet or "", row, f.sel or "")
    return sorted(findings, key=key)


#: findings of one kind listed per sheet; past this one line counts the rest (a column of
#: 100,000 stray statuses is one problem, not 100,000 lines to write, print and read)
MAX_PER_KIND = 200
Kind = tuple[str | None, str, Severity]  # sheet, kode, tingkat


def overflow(kind: Kind, more: int) -> Finding:
    """The one line standing for ``more`` findings of a kind past ``MAX_PER_KIND``."""
    sheet, kode, tingkat = kind
    return Finding(tingkat, kode, f"Masih ada {more} sel lain dengan masalah yang sama ({kode}) "
                   "di sheet ini; perbaiki semuanya.", sheet)


def listed(counted: Counter[Kind], kind: Kind, limit: int = MAX_PER_KIND) -> bool:
    """Count one finding of ``kind``; whether it is among the first ``limit``, the only ones
    worth building (pass ``counted`` to ``capped``, which counts the rest on its line)."""
    counted[kind] += 1
    return counted[kind] <= limit


def capped(findings: Iterable[Finding], limit: int = MAX_PER_KIND,
           counted: Counter[Kind] | None = None) -> list[Finding]:
    """At most ``limit`` findings naming a cell per kind, then one line counting the rest,
    those ``listed`` did not build included."""
    seen: Counter[Kind] = Counter()
    out = []
    for f in findings:
        if f.sel is not None:
            kind = (f.sheet, f.kode, f.tingkat)
            seen[kind] += 1
            if seen[kind] > limit:
                continue
        out.append(f)
    for kind, n in (counted or {}).items():
        seen[kind] += max(n - limit, 0)
    return out + [overflow(k, n - limit) for k, n in seen.items() if n > limit]


class UnusableWorkbook(Exception):
    """The file cannot be used at all (exit 2); the message is for the user, in Indonesian."""

    def __init__(self, pesan: str, sheet: str | None = None, sel: str | None = None) -> None:
        from .nik import mask_text

        pesan = mask_text(pesan)
        super().__init__(pesan)
        self.pesan = pesan
        self.sheet = sheet
        self.sel = sel
