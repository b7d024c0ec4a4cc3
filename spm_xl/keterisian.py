"""Keterisian (completeness): how much of what its report needs a region's workbook filled.

Bangda evaluates regions on *tingkat keterisian* of their quarterly e-SPM reports; this is
a documented, reproducible reading of that for an spm-xl workbook. Five parts, each a
share between 0 and 1, weigh the same; the score is their mean times 100 (0-100):

1. ``identitas``: Identitas complete (code, region name, province, year, quarter, admin);
2. ``harga``: every item some recipient needs has a unit price above 0 (share of those items);
3. ``anggaran``: every service with recipients has an allocation and a realisation in the
   reported quarter (share of those services; a service without recipients is not counted);
4. ``layanan``: every service either has recipients, or is declared without target: its sheet
   holds no rows at all and its Anggaran row allocates nothing (share of the services);
5. ``tanpa_galat``: no galat left in the checks (1 or 0).

Pure functions over what the reader and the engine already produce: no I/O here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .engine import RegionResult
from .findings import Finding
from .records import WorkbookData

PARTS = ("identitas", "harga", "anggaran", "layanan", "tanpa_galat")
#: what each part means, in Indonesian (the README, the trend workbook and the JSON say it)
PART_TEXT = {
    "identitas": "Identitas lengkap (kode, nama wilayah, provinsi, tahun, triwulan, admin)",
    "harga": "Harga satuan di atas 0 untuk setiap item yang dibutuhkan penerima",
    "anggaran": "Alokasi dan realisasi triwulan dilaporkan untuk setiap layanan yang punya "
                "penerima",
    "layanan": "Setiap layanan punya penerima, atau dinyatakan tanpa sasaran (sheet layanan "
               "kosong dan alokasi anggaran 0)",
    "tanpa_galat": "Tidak ada galat tersisa pada pemeriksaan",
}
#: the definition, one short line a part: one long row would shrink a printed page to its width
DEFINITION_LINES = ("Keterisian (0-100) = rata-rata lima bagian yang berbobot sama, masing-masing "
                    "0-1:",
                    *(f"  {i + 1}) {PART_TEXT[p]}" for i, p in enumerate(PARTS)),
                    "Bagian tanpa apa pun untuk dinilai bernilai 1.")


@dataclass(frozen=True, slots=True)
class Keterisian:
    """The score and its parts (each 0-1, exact)."""
    skor: Fraction  # 0-100
    bagian: tuple[tuple[str, Fraction], ...]  # (part, 0-1) in PARTS order

    def as_json(self) -> dict[str, object]:
        return {"skor": round(float(self.skor), 2),
                "bagian": {k: round(float(v), 4) for k, v in self.bagian}}


def keterisian(data: WorkbookData, result: RegionResult,
               findings: Sequence[Finding]) -> Keterisian:
    """The completeness score of one evaluated workbook (see the module docstring)."""
    parts = {"identitas": _identity(data), "harga": _prices(data, result),
             "anggaran": _budgets(data, result), "layanan": _services(data, result),
             "tanpa_galat": Fraction(0 if any(f.tingkat == "galat" for f in findings) else 1)}
    score = sum(parts.values(), Fraction(0)) * 100 / len(PARTS)
    return Keterisian(score, tuple((p, parts[p]) for p in PARTS))


def _share(good: int, total: int) -> Fraction:
    return Fraction(good, total) if total else Fraction(1)


def _identity(data: WorkbookData) -> Fraction:
    i = data.identity
    filled = [bool(i.kode.strip()), bool(i.nama.strip()), bool(i.provinsi.strip()),
              i.tahun > 0, 1 <= i.triwulan <= 4, bool(i.admin.strip())]
    return _share(sum(filled), len(filled))


def _prices(data: WorkbookData, result: RegionResult) -> Fraction:
    needed = [(s.kebutuhan.layanan, item.item) for s in result.layanan
              for item in s.kebutuhan.item if item.penerima > 0]
    priced = [k for k in needed if (p := data.prices.get(k)) is not None and p.harga > 0]
    return _share(len(priced), len(needed))


def _budgets(data: WorkbookData, result: RegionResult) -> Fraction:
    q = data.identity.triwulan
    served = [s.capaian.layanan for s in result.layanan if s.capaian.sasaran > 0]
    done = [c for c in served if (b := data.budgets.get(c)) is not None and b.alokasi > 0
            and 1 <= q <= 4 and b.realisasi[q - 1] > 0]
    return _share(len(done), len(served))


def _services(data: WorkbookData, result: RegionResult) -> Fraction:
    ok = 0
    for s in result.layanan:
        code = s.capaian.layanan
        rows = data.services.get(code)
        budget = data.budgets.get(code)
        declared = (rows is not None and not rows.rows
                    and (budget is None or budget.alokasi == 0))
        ok += s.capaian.sasaran > 0 or declared
    return _share(ok, len(result.layanan))
