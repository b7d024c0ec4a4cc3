"""Synthetic recipients for the demo, the benchmarks and the tests.

Every NIK made here passes the format checks (real region codes, a real birth date, the
sex offset) but is generated, never taken from a person: serials are drawn from 9000-9999,
a range we reserve for synthetic data, and names are random pairs of common given names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import labels
from .catalogue import load_catalogue
from .regions import regions

_GIVEN = ("Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko",
          "Kartini", "Lestari", "Made", "Nur", "Oki", "Putri", "Rahmat", "Sari", "Tono", "Umar",
          "Wati", "Yusuf", "Zainab", "Asri", "Bayu", "Dian", "Fitri", "Hasan", "Ilham", "Lina",
          "Maya", "Nanda", "Rina", "Siti", "Teguh", "Wahyu", "Yanti", "La Ode", "Wa Ode", "Agus")
_VILLAGES = ("Lauru", "Poleang", "Rumbia", "Kasipute", "Tinanggea", "Andoolo", "Lainea",
             "Moramo", "Kolono", "Palangga", "Konda", "Ranomeeto", "Landono", "Mowila")
_EVENTS = ("Banjir {}", "Tanah longsor {}", "Angin puting beliung {}", "Kebakaran {}")
#: (min_age, max_age) at the start of the year, per service kind
_AGES = {"1": (5, 70), "2": (1, 17), "3": (60, 90), "4": (18, 65), "5": (0, 80)}


@dataclass
class Mess:
    """How much realistic disorder to put into a district workbook."""
    numeric_nik: int = 0  # NIKs typed as numbers (lose their last digit)
    duplicate_nik: int = 0  # a person entered twice in one sheet
    missing_nik: int = 0  # street people and disaster victims often have none
    no_items: int = 0  # identity typed, nothing marked
    status_variants: bool = True  # "tw 2", "Triwulan III", "butuh", "I" ...
    title_rows: int = 0  # rows the admin inserted above the header
    zero_prices: set[str] = field(default_factory=set)  # item codes left at price 0


def synthetic_nik(rng: random.Random, kabkota: str, born: date, female: bool) -> str:
    """A format-valid NIK registered in ``kabkota`` (e.g. "74.06")."""
    kec = sorted(regions().kabkota[kabkota].kecamatan)
    day = born.day + (40 if female else 0)
    return (f"{kabkota.replace('.', '')}{rng.choice(kec)}{day:02d}{born:%m%y}"
            f"{rng.randint(9000, 9999):04d}")


def _status(rng: random.Random, quarter: int, variants: bool) -> str:
    roll = rng.random()
    if roll < 0.6:
        return ""
    if roll < 0.68:
        return rng.choice(("Butuh", "butuh")) if variants else "Butuh"
    q = rng.randint(1, quarter)
    if not variants or rng.random() < 0.85:
        return f"TW{q}"
    return rng.choice((f"tw {q}", f"Triwulan {labels.QUARTER_ROMAN[q - 1]}",
                       labels.QUARTER_ROMAN[q - 1], str(q)))


def recipients(service: str, n: int, *, kabkota: str, year: int, quarter: int, seed: int,
               mess: Mess | None = None) -> list[dict[str, object]]:
    """``n`` recipient rows of one service sheet, as {header label: value}."""
    rng = random.Random(f"{seed}-{service}-{kabkota}")
    mess = mess or Mess()
    items = [i.label for i in load_catalogue().items(service)]
    disaster = service.endswith("5")
    lo, hi = _AGES[service[1]]
    start = date(year, 1, 1)
    events = [rng.choice(_EVENTS).format(rng.choice(_VILLAGES)) for _ in range(max(1, n // 40))]
    rows: list[dict[str, object]] = []
    for i in range(n):
        female = rng.random() < 0.5
        born = start - timedelta(days=rng.randint(lo * 366 + 1, hi * 365 + 300))
        nik = synthetic_nik(rng, kabkota, born, female)
        row: dict[str, object] = {
            labels.D_NO: i + 1,
            labels.D_NIK: nik,
            labels.D_KK: f"{str(nik)[:6]}{rng.randint(10**9, 10**10 - 1)}",
            labels.D_NAMA: f"{rng.choice(_GIVEN)} {rng.choice(_GIVEN)}",
            labels.D_JK: "P" if female else "L",
            labels.D_LAHIR: born,
            labels.D_ALAMAT: f"Jl. {rng.choice(_VILLAGES)} No. {rng.randint(1, 120)}",
            labels.D_DESA: rng.choice(_VILLAGES),
            labels.D_KECAMATAN: rng.choice(_VILLAGES),
            labels.D_ASESMEN: start + timedelta(days=rng.randint(0, 80)),
        }
        if disaster:
            row[labels.D_KEJADIAN] = rng.choice(events)
            row[labels.D_TGL_KEJADIAN] = start + timedelta(days=rng.randint(0, 60))
            row[labels.D_RENTAN] = rng.choice(("Ya", "Tidak", "Tidak"))
        marked = False
        for label in items:
            s = _status(rng, quarter, mess.status_variants)
            if s:
                row[label], marked = s, True
        if not marked:
            row[items[0]] = "Butuh"
        rows.append(row)
    _make_mess(rng, rows, items, mess)
    return rows


def _make_mess(rng: random.Random, rows: list[dict[str, object]], items: list[str],
               mess: Mess) -> None:
    if not rows:
        return
    picks = rng.sample(range(len(rows)), min(len(rows), mess.numeric_nik + mess.missing_nik
                                             + mess.no_items))
    for k, idx in enumerate(picks):
        row = rows[idx]
        if k < mess.numeric_nik:
            row[labels.D_NIK] = float(str(row[labels.D_NIK]))  # what Excel does to it
        elif k < mess.numeric_nik + mess.missing_nik:
            row[labels.D_NIK] = None
        else:
            for label in items:
                row.pop(label, None)
    for _ in range(mess.duplicate_nik):
        twin = dict(rng.choice(rows))
        twin[labels.D_NO] = len(rows) + 1
        rows.append(twin)
