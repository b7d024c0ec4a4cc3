"""``spm-xl demo``: a synthetic province, computed and consolidated end to end.

Sulawesi Tenggara (74) with several district workbooks of realistic size and realistic mess
(NIKs typed as numbers, duplicates, people without items, prices left at 0, title rows above
the header), each computed like an admin would, then consolidated like the province would.
Every NIK is synthetic (``spm_xl.synthetic``).
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping, Sequence
from pathlib import Path

from .book.template import Fill, build_template
from .catalogue import Level, load_catalogue
from .synthetic import Mess, recipients

Row = Mapping[str, object]
PROVINCE = "74"
YEAR = 2026
QUARTER = 2
#: (kab/kota code, recipients per service K1..K5, title rows the admin added)
DISTRICTS = (
    ("74.01", (900, 1200, 1500, 150, 600), 0),
    ("74.02", (1400, 1800, 2200, 300, 900), 2),
    ("74.05", (700, 900, 1300, 120, 400), 0),
    ("74.06", (500, 800, 900, 80, 1200), 1),
    ("74.71", (1100, 1500, 1600, 600, 300), 0),
    ("74.72", (300, 400, 500, 200, 100), 3),
)
#: typical unit prices in Rp (a region's own standard price list would be used in reality)
PRICES = {"permakanan": 15_000, "sandang": 250_000, "alat_bantu": 1_500_000,
          "perbekalan_kesehatan": 350_000, "bimbingan_fmss": 200_000,
          "bimbingan_keluarga": 150_000, "dokumen_kependudukan": 50_000,
          "akses_layanan": 100_000, "penelusuran_keluarga": 300_000,
          "reunifikasi": 750_000, "rujukan": 200_000, "penampungan": 60_000,
          "kelompok_rentan": 400_000, "psikososial": 250_000, "pengasuhan": 300_000,
          "asrama": 40_000, "bimbingan_keterampilan": 200_000, "pemulangan": 1_000_000,
          "pemulasaraan": 2_500_000}


#: the province's own workbook: recipients per service P1..P5 (inside institutions)
PROVINCE_SIZES = (240, 320, 280, 120, 90)


def district_fill(kode: str, sizes: tuple[int, ...], title_rows: int, seed: int,
                  level: Level = "kabkota", movers: Sequence[Row] = (), *, year: int = YEAR,
                  quarter: int = QUARTER) -> Fill:
    """One region's synthetic data with a little of every kind of everyday mess.

    ``movers`` are elders another district registered too (added to K3/P3), which the
    consolidation must find as cross-district duplicates.
    """
    rng = random.Random(seed)
    services = load_catalogue().services(level)
    zero = {rng.choice(("alat_bantu", "rujukan", "psikososial"))} if seed % 2 else set()
    rows = {}
    for svc, n in zip(services, sizes, strict=True):
        mess = Mess(numeric_nik=rng.randint(0, 3), duplicate_nik=rng.randint(0, 2),
                    missing_nik=rng.randint(0, n // 50 + 1), no_items=rng.randint(0, 2))
        # a province registers people born anywhere in it; its own capital stands in here
        home = kode if level == "kabkota" else f"{kode}.71"
        rows[svc.kode] = recipients(svc.kode, n, kabkota=home, year=year, quarter=quarter,
                                    seed=seed, mess=mess)
        if svc.kode[1] == "3":
            rows[svc.kode] += [dict(r) for r in movers]
    prices = {(s.kode, item.kode): (0 if item.kode in zero else PRICES[item.kode])
              for s in services for item in load_catalogue().items(s.kode)}
    budgets = {}
    for s, n in zip(services, sizes, strict=True):
        alloc = n * rng.randint(400, 900) * 1000
        spent = [alloc * rng.randint(10, 30) // 100 for _ in range(quarter)] + [0] * (4 - quarter)
        budgets[s.kode] = (alloc, (spent[0], spent[1], spent[2], spent[3]))
    return Fill(triwulan=quarter, rows=rows, prices=prices, budgets=budgets,
                title_rows=title_rows, admin="Admin SPM (demo)")


def run_demo(folder: Path) -> int:
    """Write, compute and consolidate the demo province; print where to look."""
    from rich.console import Console

    from .consolidate.pseudonym import KEY_ENV
    from .consolidate.run import consolidate_paths
    from .pipeline import compute_file

    con = Console(stderr=True, highlight=False, soft_wrap=True)
    # a throw-away key: the demo must not create the real province 74's pseudonym key file
    os.environ[KEY_ENV] = "kunci-demo-spm-xl-bukan-rahasia"
    districts = folder / "kabkota"
    districts.mkdir(parents=True, exist_ok=True)
    con.print(f"Membuat {len(DISTRICTS)} buku kerja kab/kota sintetis di {districts} …")
    moved: Sequence[Row] = ()
    for i, (kode, sizes, title_rows) in enumerate(DISTRICTS):
        path = districts / f"SPM-Sosial-{kode.replace('.', '')}-{YEAR}.xlsx"
        fill = district_fill(kode, sizes, title_rows, seed=i + 1, movers=moved)
        moved = list(fill.rows["K3"])[10:13]  # three elders the next district registers too
        build_template(path, level="kabkota", kode=kode, tahun=YEAR, fmt="xlsx", fill=fill)
        ev, _ = compute_file(path)
        idx = ev.result.indeks_daerah[QUARTER - 1]
        shown = f"{float(idx):.2f}" if idx is not None else "-"
        con.print(f"  {kode} {ev.data.identity.nama}: {sum(sizes)} penerima, indeks TW"
                  f"{QUARTER} {shown}, {sum(f.tingkat == 'galat' for f in ev.findings)} galat")
    own = folder / f"SPM-Sosial-{PROVINCE}-{YEAR}.xlsx"
    build_template(own, level="provinsi", kode=PROVINCE, tahun=YEAR, fmt="xlsx",
                   fill=district_fill(PROVINCE, PROVINCE_SIZES, 0, seed=99, level="provinsi"))
    compute_file(own)
    con.print(f"  {PROVINCE} buku kerja provinsi sendiri (P1-P5): {sum(PROVINCE_SIZES)} penerima")
    out = folder / f"SPM-Sosial-Provinsi-{PROVINCE}-{YEAR}-TW{QUARTER}.xlsx"
    from .demo_history import earlier_quarters, write_trend

    con.print("Membuat dan mengonsolidasikan lima triwulan sebelumnya (kab/kota kecil) …")
    history = earlier_quarters(folder, con)
    con.print("Mengonsolidasikan …")
    code = consolidate_paths([districts], out, provinsi=own, sebelumnya=history[-1])
    tren = write_trend(folder, [*history, out], con)
    from .demo_intake import import_and_roll_over

    first = DISTRICTS[0][0]
    import_and_roll_over(folder, districts / f"SPM-Sosial-{first.replace('.', '')}-{YEAR}.xlsx",
                         first, YEAR, con)
    con.print(f"\nSelesai. Lihat:\n  buku kerja kab/kota (sheet Capaian, Kebutuhan, Pemeriksaan): "
              f"{districts}\n  buku kerja provinsi sendiri: {own}\n  hasil konsolidasi "
              f"(Ringkasan, Rekap Kab-Kota, Duplikat, Dashboard): {out}\n  tren antarperiode "
              f"(Indeks Kab-Kota, Provinsi, Kepatuhan, Keterisian): {tren}")
    return 0 if code in (0, 1) else code
