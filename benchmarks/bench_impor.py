"""Benchmark: `spm-xl impor` of a 50,000-row DTKS-style extract vs openpyxl load+append+save.

Run: .venv/bin/python benchmarks/bench_impor.py [--rows N]

Builds its own data (cached in benchmarks/out/): a district workbook from the template with a
few hundred people per service, and a `|`-delimited DTKS extract of N synthetic people.
Then times in one run:
- ours: the `spm-xl impor EXTRACT --layanan K3 --ke BOOK -o OUT` command in a fresh process
  (reading the book, matching, dedup, splicing the rows into the sheet part, writing);
- naive: openpyxl loads the whole workbook, appends the same rows (NIK as text) to the sheet
  and saves the whole workbook (what SPEC 7 rules out for an admin's file anyway: openpyxl
  drops what it does not understand), without any matching or dedup.
Prints both times and their ratio. The goal (issue 10) is <= 5 s for ours on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

from spm_xl import labels  # noqa: E402
from spm_xl.book.template import build_template  # noqa: E402
from spm_xl.demo import district_fill  # noqa: E402
from spm_xl.intake.mapping import DTKS_COLUMNS  # noqa: E402
from spm_xl.synthetic import recipients  # noqa: E402


def workbook() -> Path:
    path = OUT / "impor-buku.xlsx"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        build_template(path, level="kabkota", kode="74.06", tahun=2026, fmt="xlsx",
                       fill=district_fill("74.06", (300,) * 5, 0, seed=3))
    return path


def extract(n: int) -> Path:
    path = OUT / f"impor-dtks-{n}.txt"
    if not path.exists():
        t = time.perf_counter()
        rows = recipients("K3", n, kabkota="74.06", year=2026, quarter=1, seed=11)
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter="|")
            w.writerow(DTKS_COLUMNS)
            for i, r in enumerate(rows):
                w.writerow([f"DTKS-{i:07d}", "SULAWESI TENGGARA", "BOMBANA",
                            r[labels.D_KECAMATAN], r[labels.D_DESA], r[labels.D_ALAMAT], "I",
                            f"{i % 20 + 1:03d}", "001", r[labels.D_KK], r[labels.D_NIK],
                            r[labels.D_NAMA], f"{r[labels.D_LAHIR]:%d-%m-%Y}", "BOMBANA",
                            "PEREMPUAN" if r[labels.D_JK] == "P" else "LAKI-LAKI", "IBU",
                            "KEPALA KELUARGA"])
        print(f"data: wrote {path.name} ({n} rows) in {time.perf_counter() - t:.1f} s")
    return path


def ours(book: Path, listed: Path) -> float:
    exe = Path(sys.executable).with_name("spm-xl")
    out = OUT / "impor-ours.xlsx"
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.run([str(exe), "impor", str(listed), "--layanan", "K3", "--ke", str(book),
                           "-o", str(out), "--json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"spm-xl impor failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def naive(book: Path, listed: Path) -> float:
    t = time.perf_counter()
    wb = openpyxl.load_workbook(book)
    ws = wb["K3 Lansia"]
    with listed.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="|")
        next(reader)
        for r in reader:
            ws.append([None, r[10], r[9], r[11], r[14][:1], r[12], r[5], r[4], r[3]])
    wb.save(OUT / "impor-naive.xlsx")
    return time.perf_counter() - t


def main() -> None:
    # as on an admin's PC, where pip compiled the bytecode at install: a shell that forbids
    # writing it would time recompiling every module in each process instead
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=50_000)
    args = p.parse_args()
    book, listed = workbook(), extract(args.rows)
    ours_s = ours(book, listed)
    print(f"ours  (spm-xl impor, {args.rows} rows, fresh process): {ours_s:.2f} s")
    naive_s = naive(book, listed)
    print(f"naive (openpyxl load + append + save):                {naive_s:.2f} s")
    print(f"ratio naive/ours: {naive_s / ours_s:.1f}x  (goal: ours <= 5 s)")


if __name__ == "__main__":
    main()
