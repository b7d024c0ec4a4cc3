"""The demo's data-collection and new-year steps: one DTKS-style import, one roll-over.

The extract is synthetic (``spm_xl.synthetic``): new elders, two people the district already
has (so the summary shows "sudah ada"), and one row without any usable identity. Both steps
write new files beside the district workbooks, so the consolidation is not affected.
"""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console

from . import labels
from .intake.mapping import DTKS_COLUMNS
from .intake.run import ADDED, PRESENT, SKIPPED, import_list
from .newyear import roll_over
from .records import ServiceRows
from .synthetic import recipients


def write_dtks_extract(path: Path, kabkota: str, year: int, existing: ServiceRows,
                       n: int = 60) -> Path:
    """A `|`-delimited DTKS extract: ``n`` new people, two already in ``existing``, one blank."""
    rows = recipients("K3", n, kabkota=kabkota, year=year, quarter=1, seed=2027)
    lines: list[list[str]] = [list(DTKS_COLUMNS)]
    for i, r in enumerate(rows):
        born = r[labels.D_LAHIR]
        lines.append([f"DTKS-{i + 1:06d}", "SULAWESI TENGGARA", "DEMO", str(r[labels.D_KECAMATAN]),
                      str(r[labels.D_DESA]), str(r[labels.D_ALAMAT]), "I", f"{i % 9 + 1:03d}",
                      "002", str(r[labels.D_KK]), str(r[labels.D_NIK]),
                      str(r[labels.D_NAMA]).upper(), f"{born:%d-%m-%Y}", "DEMO",
                      "PEREMPUAN" if r[labels.D_JK] == "P" else "LAKI-LAKI", "IBU KANDUNG",
                      "KEPALA KELUARGA"])
    for i in range(2):  # two people the sheet already has
        nik = existing.person[labels.D_NIK][i]
        lines.append(["DTKS-LAMA", "", "", "", "", "", "", "", "", "", str(nik or ""),
                      str(existing.person[labels.D_NAMA][i]), "", "", "", "", ""])
    lines.append(["DTKS-KOSONG", "", "", "", "", "", "", "", "", "", "", "TANPA IDENTITAS",
                  "", "", "", "", ""])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter="|").writerows(lines)
    return path


def import_and_roll_over(folder: Path, district: Path, kabkota: str, year: int,
                         con: Console) -> None:
    """Import a synthetic DTKS extract into a copy of ``district`` and roll it over."""
    from .book.reader import read_workbook

    out = folder / "impor-dan-tahun-baru"
    out.mkdir(parents=True, exist_ok=True)
    existing = read_workbook(district).services["K3"]
    extract = write_dtks_extract(out / f"ekstrak-DTKS-{kabkota.replace('.', '')}.txt",
                                 kabkota, year, existing)
    imported = out / f"{district.stem}-impor.xlsx"
    result = import_list(district, extract, "K3", imported)
    con.print(f"Impor ekstrak DTKS sintetis ke K3 Lansia ({district.name}): "
              f"{result.count(ADDED)} ditambahkan, {result.count(PRESENT)} sudah ada, "
              f"{result.count(SKIPPED)} dilewati; kolom tidak dibawa: "
              f"{', '.join(result.mapping.dropped)}. Hasil: {imported}")
    rolled = roll_over(imported, out / f"{district.stem.replace(str(year), str(year + 1))}"
                       f".xlsx", year + 1)
    carried = sum(s.dibawa for s in rolled.layanan)
    served = sum(len(s.terlayani) for s in rolled.layanan)
    con.print(f"Tahun baru {year + 1}: {carried} penerima yang masih Butuh dibawa, {served} "
              f"yang sudah terlayani penuh tidak dibawa. Hasil: {rolled.keluaran}")
