"""``spm-xl tren``: read the sources, merge the series, write the workbook, tell the user.

Exit 0: every file used; 1: some files refused or a period given twice (the newer stamp
was used); 2: nothing usable (no output is written). Human text goes to standard error,
``--json`` prints the document described in the README on standard output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..findings import UnusableWorkbook
from ..terminal import console
from . import tables as t
from .model import Series, Snapshot, merge, period_text
from .reader import read_sources
from .writer import scope_text, write_trend

EXIT_OK, EXIT_DATA, EXIT_UNUSABLE = 0, 1, 2
KIND_TEXT = {"konsolidasi": "konsolidasi provinsi", "riwayat": "riwayat (diketik)",
             "kabkota": "buku kerja kab/kota"}


@dataclass(frozen=True, slots=True)
class Outcome:
    series: Series
    document: dict[str, Any]
    exit_code: int
    written: Path | None


def main(args: argparse.Namespace) -> int:
    """Entry from ``spm_xl.cli`` with the parsed ``tren`` arguments."""
    con = console()
    out = trend(args.inputs, Path(args.output))
    s = out.series
    for r in s.refused:
        con.print(f"Ditolak {r.source}: {r.alasan}")
    for note in s.notes:
        con.print(note)
    if out.written is not None:
        periods = s.periods()
        con.print(f"Tren {scope_text(s)}: {len(s.snapshots)} periode berisi data dari "
                  f"{period_text(periods[0])} sampai {period_text(periods[-1])}, "
                  f"{len(s.districts())} kab/kota. Hasil ditulis ke {out.written}.")
    else:
        con.print("Tidak ada berkas yang dapat dipakai untuk tren; tidak ada hasil yang ditulis.")
    if args.json:
        sys.stdout.write(json.dumps(out.document, ensure_ascii=False, indent=1) + "\n")
    return out.exit_code


def trend(inputs: Sequence[str | Path], output: Path) -> Outcome:
    """Read, merge and write; never modifies an input, prints nothing."""
    from ..book.atomic import atomic_write
    from ..pipeline import stamp

    if output.suffix.lower() != ".xlsx":
        raise UnusableWorkbook(f"Berkas keluaran '{output.name}' harus berakhiran .xlsx.")
    if not output.parent.is_dir():
        raise UnusableWorkbook(f"Folder keluaran '{output.parent}' tidak ada; buat dulu "
                               "foldernya atau pilih folder lain.")
    target = output.resolve()
    named = [p for p in inputs if Path(p).resolve() == target]
    if named:
        raise UnusableWorkbook(f"Berkas keluaran '{output.name}' adalah salah satu berkas "
                               "masukan; pilih nama keluaran lain.")
    snapshots, refused = read_sources(inputs, exclude=[output])
    series = merge(snapshots, refused)
    if not series.snapshots:
        return Outcome(series, document(series, None), EXIT_UNUSABLE, None)
    rows = source_rows(series, snapshots)
    sidik = hashlib.sha256("\x1e".join("\x1f".join(r) for r in rows).encode()).hexdigest()[:20]
    atomic_write(output, lambda tmp: write_trend(tmp, series, stamp(sidik), rows), backup=True)
    code = EXIT_DATA if series.refused or series.notes else EXIT_OK
    return Outcome(series, document(series, output), code, output)


def source_rows(series: Series, snapshots: Sequence[Snapshot]) -> list[list[str]]:
    """(berkas, jenis, periode, stempel, keterangan) for every file looked at."""
    rows: list[list[str]] = []
    refused = {r.source for r in series.refused}
    by_file: dict[str, list[Snapshot]] = {}
    for s in snapshots:
        if s.source not in refused:
            by_file.setdefault(s.source, []).append(s)
    for name, snaps in sorted(by_file.items()):
        for s in sorted(snaps, key=lambda s: s.period):
            used = series.snapshots.get(s.period) is s
            rows.append([name, KIND_TEXT.get(s.kind, s.kind), period_text(s.period),
                         s.waktu or "-", "dipakai" if used else
                         "tidak dipakai: periode yang sama ada di berkas dengan stempel lebih "
                         "baru"])
    for r in series.refused:
        rows.append([r.source, "-", "-", "-", f"Ditolak: {r.alasan}"])
    return rows


# --- JSON ----------------------------------------------------------------------------------

def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _step(s: t.Step) -> dict[str, Any]:
    return {"indeks": _num(s.indeks), "kategori": s.kategori,
            "perubahan_triwulan": _num(s.vs_quarter), "arah_triwulan": s.arah_quarter,
            "perubahan_tahun": _num(s.vs_year), "arah_tahun": s.arah_year}


def document(series: Series, written: Path | None) -> dict[str, Any]:
    """The ``tren --json`` document (see README, "Tren antarperiode")."""
    periods = series.periods()
    kabkota = []
    for kode, nama in series.districts():
        services = {c: t.service_steps(series, kode, c) for c in t.services_of(series, kode)}
        entries = []
        for i, s in enumerate(t.district_steps(series, kode)):
            status, alasan = t.status(series, kode, s.period)
            pt = series.point(kode, s.period)
            layanan = []
            for c, steps in services.items():
                sp = pt.layanan.get(c) if pt is not None else None
                layanan.append({"kode": c, "sasaran": sp.sasaran if sp else None,
                                "terlayani": sp.terlayani if sp else None, **_step(steps[i])})
            entries.append({"tahun": s.period[0], "triwulan": s.period[1], "status": status,
                            "alasan": alasan, **_step(s),
                            "keterisian": _num(pt.keterisian) if pt else None,
                            "layanan": layanan})
        kabkota.append({"kode": kode, "nama": nama, "periode": entries})
    province = None
    if series.scope == "provinsi":
        recap = t.province(series)
        steps = t.steps(series, {p.period: (p.mean, p.kategori) for p in recap})
        province = [{"tahun": p.period[0], "triwulan": p.period[1],
                     "kabkota_mengirim": p.dikirim if p.period in series.snapshots else None,
                     "sasaran": p.sasaran, "terlayani": p.terlayani,
                     "persen_penerima_gabungan": _num(p.pooled),
                     "rata_indeks_daerah": _num(p.mean), "kategori": p.kategori,
                     "perubahan_triwulan": _num(s.vs_quarter), "arah_triwulan": s.arah_quarter,
                     "perubahan_tahun": _num(s.vs_year), "arah_tahun": s.arah_year}
                    for p, s in zip(recap, steps, strict=True)]
    return {
        "cakupan": series.scope, "kode": series.kode,
        "wilayah": scope_text(series) if series.kode else None,
        "periode": [{"tahun": p[0], "triwulan": p[1], "label": period_text(p),
                     "ada_data": p in series.snapshots,
                     "sumber": series.snapshots[p].source if p in series.snapshots else None,
                     "stempel": series.snapshots[p].waktu or None
                     if p in series.snapshots else None} for p in periods],
        "provinsi": province, "kabkota": kabkota, "konflik": list(series.notes),
        "ditolak": [{"berkas": r.source, "alasan": r.alasan} for r in series.refused],
        "keluaran": str(written) if written else None,
    }
