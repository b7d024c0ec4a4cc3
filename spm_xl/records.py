"""Records: what the reader hands to the checks and the engine (workbook -> records).

Small tables (identity, prices, budget, settings) are plain frozen dataclasses; recipient
rows are columnar (lists per label plus one int8 status matrix per service) because a
district has tens of thousands of them and a province a million.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from .catalogue import Level, QualityMode, ZeroTargetRule
from .findings import Finding

# status codes in the status matrix
NOT_NEEDED = 0  # empty or "-"
# 1..4: delivered in TW1..TW4
BUTUH = 9  # needed, not yet delivered

StatusMatrix = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class Identity:
    tingkat: Level
    kode: str  # Kemendagri code as text: "74" or "74.06"
    nama: str
    provinsi: str
    tahun: int
    triwulan: int  # 1..4, the reported quarter
    admin: str
    versi_templat: str


@dataclass(frozen=True, slots=True)
class Settings:
    """The Konfigurasi sheet (defaults from the catalogue)."""
    bobot_penerima: Decimal
    bobot_mutu: Decimal
    #: (threshold, label), descending thresholds, last threshold 0
    kategori: tuple[tuple[Decimal, str], ...]
    tanpa_sasaran: ZeroTargetRule
    ambang_bencana: int
    #: quality share B: pooled over all pairs (default) or the mean of per-item shares
    persen_mutu: QualityMode = "gabungan"
    #: a per-item share counts at most 100 (delivered counted up to what is needed)
    batas_100: bool = True
    #: codes of the optional items switched on (layanan_kedaruratan, ...), catalogue order
    item_opsional: tuple[str, ...] = ()

    def ladder_text(self) -> str:
        """The category ladder as one line, to say which ladder applied."""
        return "; ".join(f"{label} >= {threshold}" for threshold, label in self.kategori)


@dataclass(frozen=True, slots=True)
class Problem:
    """One Permasalahan row: what went wrong in a service and what is done about it."""
    layanan: str
    permasalahan: str
    solusi: str
    dukungan: str

    @property
    def filled(self) -> bool:
        return bool(self.permasalahan or self.solusi or self.dukungan)


@dataclass(frozen=True, slots=True)
class Stage:
    """One of the four stages of applying the SPM: Belum / Proses / Selesai, and a date."""
    tahap: str
    status: str | None
    tanggal: date | None


@dataclass(frozen=True, slots=True)
class Narrative:
    """The quarterly report's text part (sheets Permasalahan and Tahapan; SPEC 10).

    Free text an admin typed: it may name people, so it never travels into provincial
    output unless personal data was asked for; the province sees only whether it was filled.
    """
    permasalahan: tuple[Problem, ...] = ()
    tahapan: tuple[Stage, ...] = ()
    perkada_rencana_aksi: bool | None = None
    #: whether the sheets exist at all (a template 1.0 workbook has neither)
    ada_permasalahan: bool = False
    ada_tahapan: bool = False

    @property
    def permasalahan_terisi(self) -> bool:
        return any(p.filled for p in self.permasalahan)

    @property
    def tahapan_terisi(self) -> bool:
        return (any(s.status or s.tanggal for s in self.tahapan)
                or self.perkada_rencana_aksi is not None)


@dataclass(frozen=True, slots=True)
class Price:
    """One Harga Satuan row: service x item."""
    layanan: str
    item: str
    standar: Decimal
    harga: int  # Rp per unit, whole rupiah
    tersedia: Decimal
    sumber: str = ""
    sel_harga: str | None = None  # where the price sits, for findings


@dataclass(frozen=True, slots=True)
class Budget:
    layanan: str
    alokasi: int
    realisasi: tuple[int, int, int, int]  # per quarter, not cumulative


@dataclass(slots=True)
class ServiceRows:
    """The non-empty rows of one service sheet."""
    kode: str
    sheet: str
    items: list[str]  # item codes, one per status column, catalogue order
    status: StatusMatrix  # shape (len(rows), len(items))
    rows: list[int]  # Excel row number (1-based) of each row
    #: column letter of each label found (identity labels and item labels)
    columns: dict[str, str] = field(default_factory=dict)
    #: identity columns by label (labels.D_*), raw cell values as read, None for empty
    person: dict[str, list[object]] = field(default_factory=dict)

    @property
    def recipients(self) -> npt.NDArray[np.bool_]:
        """A row is a recipient when at least one item is marked."""
        return np.asarray((self.status != NOT_NEEDED).any(axis=1))


@dataclass(frozen=True, slots=True)
class Stamp:
    """The stamp an output sheet carries: who computed it, when, from which inputs."""
    versi: str
    waktu: str
    sidik: str  # fingerprint of the inputs


@dataclass(slots=True)
class WorkbookData:
    identity: Identity
    settings: Settings
    prices: dict[tuple[str, str], Price]
    budgets: dict[str, Budget]
    services: dict[str, ServiceRows]
    #: findings raised while reading (bad cells, unknown status values, ...)
    findings: list[Finding] = field(default_factory=list)
    #: stamps found on existing output sheets, by sheet name
    stamps: dict[str, Stamp] = field(default_factory=dict)
    #: sheets Permasalahan and Tahapan (empty for a template 1.0 workbook)
    narasi: Narrative = field(default_factory=Narrative)
    #: the first ``labels.SAVED_ROWS`` rows of each saved output sheet of
    #: ``labels.SAVED_SHEETS``, read with the stamps: what a consolidation compares
    saved: Mapping[str, Sequence[Sequence[object]]] = field(default_factory=dict)


def default_settings() -> Settings:
    """Settings from the shipped catalogue, used when Konfigurasi is absent or blank."""
    from .catalogue import load_catalogue

    cat = load_catalogue()
    return Settings(cat.bobot.penerima, cat.bobot.mutu,
                    tuple((s.min, s.label) for s in cat.kategori), cat.tanpa_sasaran,
                    cat.ambang_bencana, cat.persen_mutu, cat.batas_100)
