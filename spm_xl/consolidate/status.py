"""The province's status board: one line per kab/kota of the province, whatever it sent.

A coordinator needs to know who to chase and why: belum mengirim, ditolak (with the
reason), konflik (two different files; which one is newer and how many rows each has),
kosong (an unfilled template: sent, but nothing to count) or dipakai.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from ..regions import regions
from ..waktu import indonesian_time
from .inputs import Gate
from .model import FileReport, is_empty
from .neutral import file_label
from .neutral import reason as unquoted_reason

DIPAKAI = "Dipakai"
KOSONG = "Kosong"
KONFLIK = "Konflik"
DITOLAK = "Ditolak"
BELUM = "Belum mengirim"


@dataclass(frozen=True, slots=True)
class DistrictStatus:
    kode: str
    nama: str
    status: str  # one of the words above
    berkas: tuple[str, ...]  # file names behind the status (none for "belum mengirim")
    keterangan: str  # the reason, in Indonesian; "" when nothing to add


def status_board(g: Gate) -> list[DistrictStatus]:
    """Every kab/kota of the province, in code order (empty when the province is unknown)."""
    if g.province is None:
        return []
    used = {r.identity.kode: r for r in g.districts if r.identity is not None}
    copies = {original.source.path: copy for copy, original in g.copies}
    conflicts = {c.kode: c.reports for c in g.conflicts}
    rejected: dict[str, list[tuple[FileReport, str]]] = {}
    for x in g.rejected:
        if x.report.identity is not None:
            rejected.setdefault(x.report.identity.kode, []).append(
                (x.report, unquoted_reason(str(x.alasan), x.report)))
    board = []
    for k in regions().kabkota_of(g.province.kode):
        if k.kode in used:
            r = used[k.kode]
            copy = copies.get(r.source.path)
            note = (f"{file_label(copy)} adalah salinan identik (SHA-256 sama); dihitung sekali."
                    if copy else "")
            if is_empty(r):
                board.append(DistrictStatus(
                    k.kode, k.nama, KOSONG, (file_label(r),),
                    "Templat terkirim tanpa satu baris penerima pun; tidak diperingkat. "
                    + note))
            else:
                board.append(DistrictStatus(k.kode, k.nama, DIPAKAI, (file_label(r),), note))
        elif k.kode in conflicts:
            files = conflicts[k.kode]
            board.append(DistrictStatus(k.kode, k.nama, KONFLIK,
                                        tuple(file_label(r) for r in files),
                                        conflict_note(files)))
        elif k.kode in rejected:
            why = rejected[k.kode]
            board.append(DistrictStatus(k.kode, k.nama, DITOLAK,
                                        tuple(file_label(r) for r, _ in why),
                                        " | ".join(reason for _, reason in why)))
        else:
            board.append(DistrictStatus(k.kode, k.nama, BELUM, (), ""))
    return board


def conflict_note(files: tuple[FileReport, ...]) -> str:
    """Which file is newer (by the time it was saved) and how many rows each holds."""
    saved = {r.source.path: _mtime(r.source.path) for r in files}
    newest = max(files, key=lambda r: saved[r.source.path] or 0.0)
    kode = files[0].identity.kode if files[0].identity else ""
    parts = []
    for r in files:
        when = saved[r.source.path]
        shown = (indonesian_time(datetime.fromtimestamp(when, UTC), kode) if when
                 else "waktu tidak diketahui")
        parts.append(f"{file_label(r)}: {sum(r.rows.values())} baris, disimpan {shown}")
    return (f"Isi berkas berbeda; tidak ada yang dipakai. {'; '.join(parts)}. Yang terbaru: "
            f"{file_label(newest)}. Kirim ulang satu berkas saja.")


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
