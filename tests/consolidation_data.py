"""Small synthetic districts for the consolidation tests (written with tests/workbooks.py)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from workbooks import item_codes, person_row, write_district_workbook

from spm_xl.regions import regions
from spm_xl.synthetic import synthetic_nik

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def nik(kabkota: str, seed: int, born: date = date(1990, 5, 17)) -> str:
    """A format-valid synthetic NIK registered in ``kabkota``."""
    return synthetic_nik(random.Random(seed), kabkota, born, female=seed % 2 == 1)


def person(kabkota: str, seed: int, name: str | None = None, **status: str) -> dict[str, object]:
    born = date(1990, 5, 17)
    return person_row(nik(kabkota, seed, born), name or f"Orang Uji {seed}", lahir=born,
                      jk="P" if seed % 2 else "L", **(status or {"sandang": "TW1"}))


def district(folder: Path, kode: str, rows: dict[str, list[dict[str, object]]] | None = None,
             *, name: str | None = None, tahun: int = 2026, triwulan: int = 2,
             file: str | None = None, price: int = 1000, **kw: object) -> Path:
    """A kab/kota workbook of ``kode`` with the given rows (default: one served person)."""
    folder.mkdir(parents=True, exist_ok=True)
    k = regions().kabkota[kode]
    path = folder / (file or f"{kode.replace('.', '')}.xlsx")
    return write_district_workbook(
        path, kode=kode, nama=k.nama, tahun=tahun, triwulan=triwulan,
        rows=rows if rows is not None else {"K1": [person(kode, 1)]}, default_price=price,
        **kw)  # type: ignore[arg-type]


def province_book(folder: Path, kode: str = "74", **kw: object) -> Path:
    """The province's own workbook (P1-P5) with one served person in P1."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"provinsi-{kode}.xlsx"
    return write_district_workbook(
        path, tingkat="provinsi", kode=kode, nama=regions().provinsi[kode],
        rows={"P1": [person_row(nik("74.71", 99), "Penghuni Panti", lahir=date(1990, 5, 17),
                                jk="P", sandang="TW1", asrama="TW2")]},
        default_price=500, **kw)  # type: ignore[arg-type]


def random_rows(rng: random.Random, kode: str, services: list[str],
                seed: int) -> dict[str, list[dict[str, object]]]:
    """A few recipients per service with random marks (for the property test)."""
    marks = ("", "", "Butuh", "TW1", "TW2", "TW3")
    out: dict[str, list[dict[str, object]]] = {}
    for s in services:
        rows = []
        for i in range(rng.randint(0, 4)):
            status = {c: m for c in item_codes(s) if (m := rng.choice(marks))}
            rows.append(person(kode, seed * 1000 + i * 10 + int(s[1]), **status)
                        if status else person(kode, seed * 1000 + i * 10 + int(s[1])))
        out[s] = rows
    return out


def files_digest(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under ``folder`` (to prove inputs were not touched)."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
