"""What a worker hands back for one file: small summaries, never a workbook object model.

A district of 30,000 recipients becomes its engine results, its findings and 16 bytes plus
a row number per recipient (for cross-district duplicates), so 38 of them fit easily in
the main process while the full records die with the worker's task. The 16 bytes are the
NIK's value where the row has a 16-digit NIK, else the identity digest: the same person
gets the same 16 bytes in every district either way, and only a duplicate's NIK is ever
digested (``pseudonym.nik_digest``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from ..engine import RegionResult
from ..findings import Finding
from ..keterisian import Keterisian
from ..records import Identity, Narrative, Settings


@dataclass(frozen=True, slots=True)
class Source:
    """Facts about the file itself, known even when it cannot be read."""
    path: str
    name: str
    sha256: str | None = None
    size: int | None = None


@dataclass(slots=True)
class PersonKeys:
    """Recipients of one service sheet reduced to what duplicate detection needs."""
    kode: str
    sheet: str
    #: (n, DIGEST_BYTES) uint8 match key of each recipient that can be identified: first
    #: the ``by_nik`` rows with a NIK (its value as a native uint64, then 8 zero bytes), then
    #: the rest (identity digests); each part in row order
    match: npt.NDArray[np.uint8]
    rows: npt.NDArray[np.int32]  # Excel row of each match key
    by_nik: int = 0
    #: match keys are ``pseudonym.sealed_digest``s (the result cache's form), by_nik is 0
    sealed: bool = False
    #: only with --sertakan-data-pribadi: raw NIK (cleaned), name and birth date per key
    nik: list[str | None] | None = None
    nama: list[str | None] | None = None
    lahir: list[date | None] | None = None


@dataclass(frozen=True, slots=True)
class NarrativeFilled:
    """Whether sheets Permasalahan and Tahapan were filled: all the province sees of them
    (their free text may name people). None: the sheet is absent (template 1.0)."""
    permasalahan: bool | None
    tahapan: bool | None

    @classmethod
    def of(cls, narasi: Narrative) -> NarrativeFilled:
        return cls(narasi.permasalahan_terisi if narasi.ada_permasalahan else None,
                   narasi.tahapan_terisi if narasi.ada_tahapan else None)


@dataclass(slots=True)
class FileReport:
    source: Source
    identity: Identity | None = None
    result: RegionResult | None = None
    findings: list[Finding] = field(default_factory=list)
    #: non-empty data rows read per service code
    rows: dict[str, int] = field(default_factory=dict)
    keys: list[PersonKeys] = field(default_factory=list)
    #: why the file cannot be used at all (UnusableWorkbook's message), in Indonesian
    error: str | None = None
    #: the file's own Konfigurasi: its categories were judged on its own ladder
    settings: Settings | None = None
    narasi: NarrativeFilled | None = None
    #: completeness of what the workbook filled (``spm_xl.keterisian``)
    keterisian: Keterisian | None = None

    @property
    def usable(self) -> bool:
        return self.error is None and self.identity is not None and self.result is not None


def is_empty(r: FileReport) -> bool:
    """A usable workbook without a single data row: an unfilled template, not a report.

    It counts as "kosong" at the province: listed with that status and never ranked.
    """
    return r.usable and not any(r.rows.values())
