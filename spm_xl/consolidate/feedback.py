"""``konsolidasi --umpan-balik DIR``: one small workbook per district file, to send back.

Each holds only that district's own matters: its status and rejection reason, its findings,
and its people found in another kab/kota too (its own sheet and row beside the pseudonym,
the other kab/kota by name only). No other district's rows, no names, no NIKs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.workbook import Workbook

from ..book import outputs as o
from ..book.atomic import atomic_write
from ..book.xlsx import new_workbook
from ..findings import SEVERITY_TEXT, counts, sort_findings
from ..records import Identity, Stamp
from .duplicates import DuplicateGroup
from .inputs import Gate
from .model import FileReport
from .pseudonym import pseudonym
from .status import status_board

RINGKASAN = "Ringkasan"
PEMERIKSAAN = "Pemeriksaan"
DUPLIKAT = "Duplikat"


def write_feedback(folder: Path, gate: Gate, groups: Sequence[DuplicateGroup],
                   key: bytes | None, stamp: Stamp) -> list[Path]:
    """One workbook per district file looked at (used, rejected, in conflict, copies)."""
    folder.mkdir(parents=True, exist_ok=True)
    board = {s.kode: s for s in status_board(gate)}
    reasons = {x.report.source.path: str(x.alasan) for x in gate.rejected}
    conflicted = {r.source.path for c in gate.conflicts for r in c.reports}
    copies = {c.source.path: orig.source.name for c, orig in gate.copies}
    index = {id(r): i for i, r in enumerate(gate.districts)}
    files = [*gate.districts, *(x.report for x in gate.rejected),
             *(r for c in gate.conflicts for r in c.reports), *(c for c, _ in gate.copies)]
    written = []
    for r in files:
        if r.identity is None or r.identity.tingkat != "kabkota":
            continue
        kode = r.identity.kode
        st = board.get(kode)
        path = r.source.path
        if path in reasons:
            status, why = "Ditolak", reasons[path]
        elif path in conflicted:
            status, why = "Konflik", st.keterangan if st else ""
        elif path in copies:
            status, why = "Salinan identik", f"Sama persis dengan {copies[path]}; dihitung sekali."
        else:
            status, why = (st.status, st.keterangan) if st else ("Dipakai", "")
        mine = [g for g in groups if index.get(id(r)) in g.districts] if id(r) in index else []
        stem = _safe(Path(r.source.name).stem)
        target = folder / f"Umpan-Balik-{kode.replace('.', '')}-{stem}.xlsx"
        me = index.get(id(r), -1)

        def produce(tmp: Path, r: FileReport = r, status: str = status, why: str = why,
                    mine: list[DuplicateGroup] = mine, me: int = me) -> None:
            _write(tmp, r, status, why, mine, gate, me, key, stamp)

        atomic_write(target, produce, backup=False)
        written.append(target)
    return written


def _write(tmp: Path, r: FileReport, status: str, why: str, groups: list[DuplicateGroup],
           gate: Gate, me: int, key: bytes | None, stamp: Stamp) -> None:
    ident = r.identity
    assert ident is not None
    wb = new_workbook(str(tmp))
    try:
        _ringkasan(wb, ident, r, status, why, stamp)
        _pemeriksaan(wb, ident, r, stamp)
        _duplikat(wb, ident, groups, gate, me, key, stamp)
        o.fit_widths(wb)
    finally:
        wb.close()


def _ringkasan(wb: Workbook, ident: Identity, r: FileReport, status: str,
               why: str, stamp: Stamp) -> None:
    cols = (o.Column("Hal", "teks", 22), o.Column("Isi", "teks", 90))
    ws = o.begin_sheet(wb, RINGKASAN, o.title_text("Umpan Balik Konsolidasi Provinsi", ident),
                       stamp, [c.width for c in cols])
    rows: list[list[o.CellValue]] = [
        ["Kab/Kota", f"{ident.nama} ({ident.kode})"], ["Berkas", r.source.name],
        ["SHA-256", r.source.sha256 or ""], ["Status", status], ["Alasan / keterangan", why],
        ["Temuan", ", ".join(f"{n} {SEVERITY_TEXT[k].lower()}"
                             for k, n in counts(r.findings).items())],
    ]
    o.write_table(ws, wb, o.FIRST_TABLE_ROW, cols, rows)


def _pemeriksaan(wb: Workbook, ident: Identity, r: FileReport,
                 stamp: Stamp) -> None:
    cols = (o.Column(o.O_TINGKAT, "teks", 11), o.Column(o.O_SHEET, "teks", 16),
            o.Column(o.O_SEL, "teks", 8), o.Column(o.O_NILAI, "teks", 22),
            o.Column(o.O_PESAN, "teks", 80), o.Column(o.O_KODE, "teks", 22))
    ws = o.begin_sheet(wb, PEMERIKSAAN, o.title_text("Temuan pada Berkas Ini", ident), stamp,
                       [c.width for c in cols])
    rows: list[list[o.CellValue]] = [
        [SEVERITY_TEXT[f.tingkat], f.sheet, f.sel, f.nilai, f.pesan, f.kode]
        for f in sort_findings(r.findings)]
    o.write_table(ws, wb, o.FIRST_TABLE_ROW, cols, rows or [["-", None, None, None,
                                                            "Tidak ada temuan.", None]])


def _duplikat(wb: Workbook, ident: Identity, groups: list[DuplicateGroup],
              gate: Gate, me: int, key: bytes | None, stamp: Stamp) -> None:
    cols = (o.Column("ID Pseudonim", "teks", 22), o.Column(o.O_KODE_LAYANAN, "teks", 8),
            o.Column(o.O_SHEET, "teks", 16), o.Column("Baris", "nomor", 8),
            o.Column("Juga Terdaftar di Kab/Kota", "teks", 50))
    ws = o.begin_sheet(wb, DUPLIKAT, o.title_text("Penerima yang Juga Terdaftar di Kab/Kota "
                                                  "Lain", ident), stamp, [c.width for c in cols])
    rows: list[list[o.CellValue]] = []
    for g in groups:
        others = sorted({_name(gate.districts[m.district]) for m in g.members
                         if m.district != me})
        pid = pseudonym(key, g.digest) if key else "-"
        for m in g.members:
            if m.district == me:
                rows.append([pid, g.layanan, m.keys.sheet, m.row, ", ".join(others)])
    o.write_table(ws, wb, o.FIRST_TABLE_ROW, cols,
                  rows or [["-", None, None, None, "Tidak ada penerima ganda lintas kab/kota."]])


def _name(r: FileReport) -> str:
    return f"{r.identity.nama} ({r.identity.kode})" if r.identity else r.source.name


def _safe(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", stem)[:40] or "berkas"

