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


class UnusableWorkbook(Exception):
    """The file cannot be used at all (exit 2); the message is for the user, in Indonesian."""

    def __init__(self, pesan: str, sheet: str | None = None, sel: str | None = None) -> None:
        super().__init__(pesan)
        self.pesan = pesan
        self.sheet = sheet
        self.sel = sel
