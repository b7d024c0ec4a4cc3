"""Benchmark: ``spm-xl konsolidasi`` of 38 districts x 30,000 recipients vs the naive pipeline.

Builds its own data (cached in ``benchmarks/out/``): 38 kab/kota workbooks laid out by the
public labels of SPEC 3, ~6,000 recipients per service sheet, 10 identity columns, one
status column per item filled sparsely (most people need a few items), a few percent
without NIK and some people listed in two districts. Files are written with XlsxWriter in
parallel.

Then, in one run, it times:
* ours: ``python -m spm_xl.cli konsolidasi`` in a subprocess; peak memory is the largest
  sum of RSS over that process and its children, sampled from /proc (Linux);
* naive: ``pandas.read_excel(engine="openpyxl")`` of every sheet, groupby sums, and
  writing the combined rows plus the summary with openpyxl, on a subset of the files,
  scaled linearly to all of them (and says so).

Usage: ``python benchmarks/bench_konsolidasi.py [--districts 38] [--rows 6000]
[--naive-files 3] [--no-naive]``. Goal (SPEC 7): <= 15 s (aim 10 s) on 2 cores, >= 15x
faster than naive, peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spm_xl import labels  # noqa: E402
from spm_xl.catalogue import load_catalogue  # noqa: E402
from spm_xl.regions import regions  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
PROVINCE = "35"  # Jawa Timur: 38 kab/kota
YEAR, QUARTER = 2026, 2
DATA_VERSION = "1"  # bump when the generated layout changes, to rebuild the cache
GIVEN = ("Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko",
         "Kartini", "Lestari", "Made", "Nur", "Oki", "Putri", "Rahmat", "Sari", "Tono", "Umar",
         "Wati", "Yusuf", "Zainab", "Asri", "Bayu", "Dian", "Fitri", "Hasan", "Ilham", "Lina")
VILLAGES = ("Sukamaju", "Sidomulyo", "Karangrejo", "Tegalsari", "Sumberejo", "Wonorejo",
            "Kedungdowo", "Purwosari", "Sukorejo", "Mojosari", "Ngadirejo", "Banjarsari")
AGES = {"1": (5, 70), "2": (1, 17), "3": (60, 90), "4": (18, 65), "5": (0, 80)}
#: share of rows that are a person also listed by the next district (same service)
SHARED = 0.004
NO_NIK = 0.02


# --- data ----------------------------------------------------------------------------------

def district_codes(n: int, province: str = PROVINCE) -> list[str]:
    codes = [k.kode for k in regions().kabkota_of(province)]
    if n > len(codes):
        raise SystemExit(f"provinsi {province} hanya punya {len(codes)} kab/kota")
    return codes[:n]


def person(rng: random.Random, kabkota: str, service: str, start: date) -> list[object]:
    lo, hi = AGES[service[1]]
    born = start - timedelta(days=rng.randint(lo * 365 + 1, hi * 365 + 300))
    female = rng.random() < 0.5
    kec = KECAMATAN[kabkota]
    nik = (f"{kabkota.replace('.', '')}{rng.choice(kec)}{born.day + (40 if female else 0):02d}"
           f"{born:%m%y}{rng.randint(9000, 9999):04d}")
    name = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
    village = rng.choice(VILLAGES)
    return [nik if rng.random() >= NO_NIK else None, f"{nik[:6]}{rng.randint(10**9, 10**10 - 1)}",
            name, "P" if female else "L", born, f"Jl. {village} No. {rng.randint(1, 200)}",
            village, rng.choice(VILLAGES), start + timedelta(days=rng.randint(0, 80))]


KECAMATAN: dict[str, list[str]] = {}


def statuses(rng: random.Random, n_items: int) -> list[str | None]:
    """A few items per person: most delivered in TW I or II, some still needed."""
    out: list[str | None] = [None] * n_items
    for j in rng.sample(range(n_items), rng.randint(1, min(4, n_items))):
        roll = rng.random()
        out[j] = "Butuh" if roll < 0.2 else ("TW1" if roll < 0.6 else "TW2")
    return out


def write_district(args: tuple[Path, str, str, int, int]) -> str:
    """One district workbook (XlsxWriter); returns its path."""
    import xlsxwriter

    path, kode, next_kode, rows, seed = args
    for k in (kode, next_kode):
        KECAMATAN.setdefault(k, sorted(regions().kabkota[k].kecamatan))
    cat = load_catalogue()
    rng = random.Random(seed)
    start = date(YEAR, 1, 1)
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    wb.add_worksheet(labels.PETUNJUK).write_string(0, 0, "Petunjuk (data benchmark sintetis)")
    ws = wb.add_worksheet(labels.IDENTITAS)
    ident = [(labels.ID_TINGKAT, "Kabupaten/Kota"), (labels.ID_KODE, kode),
             (labels.ID_NAMA, regions().kabkota[kode].nama),
             (labels.ID_PROVINSI, regions().provinsi[kode[:2]]), (labels.ID_TAHUN, YEAR),
             (labels.ID_TRIWULAN, labels.QUARTER_ROMAN[QUARTER - 1]),
             (labels.ID_ADMIN, "Admin Benchmark"), (labels.ID_VERSI, cat.versi_templat)]
    for r, (label, value) in enumerate(ident):
        ws.write_string(r, 0, label)
        if isinstance(value, int):
            ws.write_number(r, 1, value)
        else:
            ws.write_string(r, 1, value)
    services = cat.services("kabkota")
    ws = wb.add_worksheet(labels.HARGA)
    for c, h in enumerate(labels.HARGA_HEADERS):
        ws.write_string(0, c, h)
    r = 1
    for s in services:
        for item in cat.items(s.kode):
            ws.write_row(r, 0, [s.kode, item.kode, item.label, item.satuan,
                                float(item.standar[s.kode]), rng.randint(5, 500) * 1000, 0,
                                "SSH benchmark"])
            r += 1
    ws = wb.add_worksheet(labels.ANGGARAN)
    ws.write_row(0, 0, list(labels.ANGGARAN_HEADERS))
    for r, s in enumerate(services, start=1):
        ws.write_row(r, 0, [s.kode, 10**9, 10**8, 10**8, 0, 0])
    ws = wb.add_worksheet(labels.KONFIGURASI)
    ws.write_row(0, 0, [labels.K_BOBOT_PENERIMA, 0.8])
    ws.write_row(1, 0, [labels.K_BOBOT_MUTU, 0.2])
    for s in services:
        items = cat.items(s.kode)
        headers = labels.data_headers([i.label for i in items], s.bencana)
        ws = wb.add_worksheet(s.sheet)
        ws.write_row(0, 0, headers)
        ws.set_column(1, 2, 20, text_fmt)
        first_item = len(headers) - len(items) - 1
        # people shared with the next district: drawn from a generator both districts seed
        # alike, so the same NIKs come out in both files
        theirs = random.Random(f"shared-{next_kode}-{s.kode}")
        shared = [person(theirs, next_kode, s.kode, start) for _ in range(int(rows * SHARED))]
        mine = random.Random(f"shared-{kode}-{s.kode}")
        shared += [person(mine, kode, s.kode, start) for _ in range(int(rows * SHARED))]
        for i in range(rows):
            values = shared[i] if i < len(shared) else person(rng, kode, s.kode, start)
            row = i + 1
            ws.write_number(row, 0, row)
            for c, v in enumerate(values, start=1):
                if v is None:
                    continue
                if isinstance(v, date):
                    ws.write_datetime(row, c, v, date_fmt)
                else:
                    ws.write_string(row, c, v)
            if s.bencana:
                ws.write_string(row, 10, f"Banjir {rng.choice(VILLAGES)}")
                ws.write_datetime(row, 11, start + timedelta(days=rng.randint(0, 60)), date_fmt)
                ws.write_string(row, 12, "Tidak")
            for j, mark in enumerate(statuses(rng, len(items))):
                if mark is not None:
                    ws.write_string(row, first_item + j, mark)
    wb.close()
    os.replace(tmp, path)
    return str(path)


def build_data(n: int, rows: int, province: str = PROVINCE) -> list[Path]:
    where = "" if province == PROVINCE else f"p{province}-"
    folder = OUT / f"kabkota-{where}{n}x{rows}-v{DATA_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    codes = district_codes(n, province)
    jobs = []
    paths = []
    for i, kode in enumerate(codes):
        path = folder / f"SPM-Sosial-{kode.replace('.', '')}-{YEAR}.xlsx"
        paths.append(path)
        if not path.exists():
            jobs.append((path, kode, codes[(i + 1) % n], rows, i))
    if jobs:
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(write_district, jobs))
        print(f"data: {len(jobs)} berkas ditulis dalam {time.perf_counter() - t:.1f} s "
              f"({folder})", file=sys.stderr)
    return paths


def compute_one(path: str) -> str:
    """``spm-xl hitung`` on one district, as an admin does before sending it."""
    from spm_xl.pipeline import compute_file

    compute_file(Path(path))
    return path


def computed_copy(paths: list[Path]) -> list[Path]:
    """The same districts after ``hitung`` (output sheets saved and stamped), cached."""
    import shutil

    folder = paths[0].parent.with_name(paths[0].parent.name + "-dihitung")
    folder.mkdir(exist_ok=True)
    todo, out = [], []
    for p in paths:
        target = folder / p.name
        out.append(target)
        if not target.exists():
            tmp = folder / f".{p.name}"
            shutil.copyfile(p, tmp)
            todo.append(str(tmp))
    if todo:
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            for done in pool.map(compute_one, todo):
                os.replace(done, folder / Path(done).name[1:])
        for leftover in folder.iterdir():  # hitung's backups of the temporary names
            if leftover.name.startswith("."):
                leftover.unlink()
        print(f"data: {len(todo)} berkas dihitung dalam {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
    return out


# --- ours ----------------------------------------------------------------------------------

def tree_rss(pid: int) -> int:
    """Sum of RSS (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the process tree
    peak: int  # largest sum of RSS over the tree, bytes
    code: int
    err: str

    def line(self, label: str, note: str = "") -> str:
        return (f"{label:<34} {self.wall:6.2f} s wall  {self.cpu:6.2f} s CPU  "
                f"{self.peak / 2**20:6.0f} MiB  {note}")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall, CPU and peak tree memory of one command in a subprocess (Linux /proc).

    CPU time is printed too: on a shared machine the wall time depends on the neighbours,
    the CPU time much less.
    """
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env or dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(elapsed, cpu, peak, proc.returncode, err)


def run_ours(folder: Path, out: Path, cache: Path | None, province: str = PROVINCE) -> Run:
    """The real command; ``cache`` is its cache folder, None for ``--tanpa-cache``."""
    cmd = [sys.executable, "-m", "spm_xl.cli", "konsolidasi", str(folder), "-o", str(out),
           "--kode-provinsi", province, *([] if cache else ["--tanpa-cache"])]
    env = {**os.environ, "SPM_XL_KUNCI": "kunci-benchmark-sintetis-bukan-rahasia",
           "SPM_XL_TIMING": "1", "SPM_XL_CACHE": str(cache or out.parent / "tanpa-cache")}
    run = measure(cmd, env)
    if run.code not in (0, 1):
        print(run.err, file=sys.stderr)
    return run


def phases(run: Run) -> None:
    for line in run.err.splitlines():
        if line.startswith("waktu:"):
            print("       " + line)


def with_one_changed(paths: list[Path], into: Path) -> Path:
    """A folder of links to the districts in which one file has other contents (same name)."""
    variant_dir = paths[0].parent.with_name(paths[0].parent.name + "-ubah")
    variant_dir.mkdir(exist_ok=True)
    changed = variant_dir / paths[-1].name
    if not changed.exists():
        codes = district_codes(len(paths), paths[-1].name[11:13])
        rows = int(paths[0].parent.name.split("x")[-1].split("-")[0])
        write_district((changed, codes[-1], codes[0], rows, 10_000 + len(paths)))
    into.mkdir()
    for p in paths:
        (into / p.name).symlink_to(changed if p == paths[-1] else p)
    return into


# --- floors: raw calamine parse, and an analyst's polars pipeline -----------------------------

def _sheets() -> list[str]:
    return [s.sheet for s in load_catalogue().services("kabkota")]


def floor_one(path: str) -> int:
    """calamine parse of the five service sheets to Python values, nothing else."""
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(path) as wb:
        return sum(len(wb.get_sheet_by_name(s).to_python()) for s in _sheets())


def analyst_one(path: str) -> int:
    """What a competent analyst would write: polars read_excel (calamine engine), no checks."""
    import polars as pl

    frames = pl.read_excel(path, sheet_name=_sheets(), engine="calamine")
    return sum(f.height for f in frames.values())


def pool_mode(mode: str, folder: Path) -> None:
    """``--mode floor|analyst``: the whole folder on 2 processes (run as a subprocess)."""
    paths = sorted(str(p) for p in folder.glob("*.xlsx"))
    fn = floor_one if mode == "floor" else analyst_one
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(sum(pool.map(fn, paths)))


def run_pool(mode: str, folder: Path) -> Run:
    return measure([sys.executable, str(Path(__file__).resolve()), "--mode", mode,
                    str(folder)])


# --- naive ---------------------------------------------------------------------------------

def run_naive(paths: list[Path], out: Path) -> float:
    """pandas + openpyxl: read every sheet, groupby sums, write rows and summary."""
    import pandas as pd

    cat = load_catalogue()
    t = time.perf_counter()
    frames = []
    for p in paths:
        book = pd.read_excel(p, sheet_name=None, engine="openpyxl")
        for s in cat.services("kabkota"):
            df = book[s.sheet]
            items = [i.label for i in cat.items(s.kode)]
            marked = df[items].notna()
            df = df.assign(layanan=s.kode, berkas=p.name, penerima=marked.any(axis=1),
                           butuh=marked.sum(axis=1))
            frames.append(df)
    rows = pd.concat(frames, ignore_index=True)
    summary = rows.groupby(["berkas", "layanan"])[["penerima", "butuh"]].sum().reset_index()
    with pd.ExcelWriter(out, engine="openpyxl") as xw:
        summary.to_excel(xw, sheet_name="Rekap", index=False)
        rows.drop(columns=[c for c in rows.columns if rows[c].isna().all()]).to_excel(
            xw, sheet_name="Data", index=False)
    return time.perf_counter() - t


def main() -> None:
    # as on an admin's PC, where pip compiled the bytecode at install: a shell that forbids
    # writing it would time recompiling every module in each process instead
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=38)
    ap.add_argument("--rows", type=int, default=6000, help="recipients per service sheet")
    ap.add_argument("--naive-files", type=int, default=3)
    ap.add_argument("--no-naive", action="store_true")
    ap.add_argument("--quick", action="store_true",
                    help="small run while optimising: 8 districts x 1,000 rows per sheet")
    ap.add_argument("--dihitung", action="store_true",
                    help="districts as sent after spm-xl hitung (output sheets saved)")
    ap.add_argument("--nasional", action="store_true",
                    help="every province in turn (514 kab/kota), cold, as coordinators would")
    ap.add_argument("--provinsi-maks", type=int, default=0,
                    help="with --nasional: only the first N provinces (0 = all)")
    ap.add_argument("--mode", choices=["floor", "analyst"], help=argparse.SUPPRESS)
    ap.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        pool_mode(args.mode, args.folder)
        return
    if args.quick:
        args.districts, args.rows, args.naive_files = 8, 1000, 1
    if args.nasional:
        national(args.rows, args.provinsi_maks)
        return
    paths = build_data(args.districts, args.rows)
    if args.dihitung:
        paths = computed_copy(paths)
    folder = paths[0].parent
    recipients = args.districts * args.rows * 5
    print(f"{args.districts} berkas kab/kota x {args.rows * 5:,} penerima = {recipients:,} "
          "penerima; 2 proses. Mesin bersama: bandingkan rasio dan detik CPU dalam satu run.")
    with tempfile.TemporaryDirectory(prefix="spm-xl-bench-") as tmp:
        t = Path(tmp)
        cold = run_ours(folder, t / "a.xlsx", t / "cache")
        print(cold.line("ours, cold (cache kosong)", f"exit {cold.code}"))
        phases(cold)
        warm = run_ours(with_one_changed(paths, t / "ubah"), t / "b.xlsx", t / "cache")
        print(warm.line("ours, warm (1 berkas berubah)", f"exit {warm.code}"))
        phases(warm)
        floor = run_pool("floor", folder)
        print(floor.line("lantai: calamine parse K1-K5"))
        try:
            import polars  # noqa: F401

            analyst = run_pool("analyst", folder)
            print(analyst.line("analis: polars read_excel calamine"))
        except ImportError:
            analyst = None
            print("analis: polars tidak terpasang (pip install -e '.[bench]'), dilewati")
        print(f"rasio: cold / lantai {cold.wall / floor.wall:.2f}x wall, "
              f"{cold.cpu / floor.cpu:.2f}x CPU (target <= 1.3x)")
        if analyst:
            print(f"rasio: cold / analis {cold.wall / analyst.wall:.2f}x wall, "
                  f"{cold.cpu / analyst.cpu:.2f}x CPU (target < 1)")
        reached = "tercapai" if warm.wall <= 1.5 else "belum tercapai"
        print(f"target: warm <= 1.5 s ({reached}: {warm.wall:.2f} s), puncak cold < 600 MiB "
              f"({cold.peak / 2**20:.0f} MiB)")
        if args.no_naive:
            return
        subset = paths[:args.naive_files]
        naive_part = run_naive(subset, t / "naive.xlsx")
        naive = naive_part * len(paths) / len(subset)
        print(f"naive: {naive:6.1f} s   diukur pada {len(subset)} berkas ({naive_part:.1f} s) "
              f"lalu diskalakan linear ke {len(paths)} berkas; {naive / cold.wall:.1f}x "
              "lebih lambat dari cold")


def national(rows: int, limit: int) -> None:
    """Every province consolidated cold in turn (national scale, province by province)."""
    provinces = sorted(regions().provinsi)
    if limit:
        provinces = provinces[:limit]
    total_wall = total_cpu = 0.0
    peak = files = 0
    for prov in provinces:
        n = len(regions().kabkota_of(prov))
        if not n:
            continue
        paths = build_data(n, rows, prov)
        with tempfile.TemporaryDirectory(prefix="spm-xl-bench-") as tmp:
            run = run_ours(paths[0].parent, Path(tmp) / "p.xlsx", Path(tmp) / "cache", prov)
        print(run.line(f"provinsi {prov} ({n} kab/kota)", f"exit {run.code}"))
        total_wall += run.wall
        total_cpu += run.cpu
        peak = max(peak, run.peak)
        files += n
    print(f"nasional: {len(provinces)} provinsi, {files} kab/kota x {rows * 5:,} penerima: "
          f"{total_wall:.1f} s wall, {total_cpu:.1f} s CPU, puncak {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
