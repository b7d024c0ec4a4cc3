"""``spm-xl tahun-baru``: next year's workbook from this year's, with the people still owed.

The new book is built from the current template (so a roll-over also upgrades an old
template), never by copying the old file: Identitas gets the new year and Triwulan I;
unit prices, standards, stock (Tersedia), price sources and Konfigurasi are carried; the
budget is not (it is a new year's allocation). In each service sheet the people with an
item still ``Butuh`` are carried with exactly those items ``Butuh`` and every delivered
item cleared; people fully served stay behind and are listed (sheet, row, masked NIK), as
are rows with no item marked. The old workbook is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import labels
from .book.atomic import atomic_write
from .book.cells import parse_text
from .book.reader import read_workbook
from .book.safe import calamine_guard
from .book.template import Fill, build_template
from .catalogue import load_catalogue
from .findings import UnusableWorkbook
from .nik import mask_nik
from .records import BUTUH, NOT_NEEDED, ServiceRows

#: rows listed by number on the terminal per service; all are in --json
SHOWN_ROWS = 20


@dataclass(slots=True)
class ServiceRollover:
    kode: str
    sheet: str
    dibawa: int = 0  # people carried
    item_butuh: int = 0  # person x item marks carried as Butuh
    #: fully served people left behind: (row in the old sheet, masked NIK)
    terlayani: list[tuple[int, str]] = field(default_factory=list)
    #: rows with identity but no item marked (candidates never assessed), not carried
    tanpa_item: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"kode": self.kode, "sheet": self.sheet, "dibawa": self.dibawa,
                "item_butuh": self.item_butuh,
                "tidak_dibawa_terlayani": [{"baris": r, "nik": n} for r, n in self.terlayani],
                "tidak_dibawa_tanpa_item": self.tanpa_item}


@dataclass(slots=True)
class RolloverResult:
    buku: Path
    keluaran: Path
    tahun_lama: int
    tahun: int
    layanan: list[ServiceRollover]

    def as_json(self) -> dict[str, object]:
        return {"buku": str(self.buku), "keluaran": str(self.keluaran),
                "tahun_lama": self.tahun_lama, "tahun": self.tahun, "triwulan": 1,
                "dibawa": sum(s.dibawa for s in self.layanan),
                "layanan": [s.as_json() for s in self.layanan]}


def roll_over(src: Path, out: Path, tahun: int) -> RolloverResult:
    """Write next year's workbook for ``src`` to ``out`` (.xlsx or .xlsm)."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "xlsm"):
        raise UnusableWorkbook(f"Berkas keluaran {out.name} harus berakhiran .xlsx atau .xlsm.")
    if out.exists() and out.resolve() == src.resolve():
        raise UnusableWorkbook("Buku kerja tahun baru harus berkas lain; buku lama tidak "
                               "diubah.")
    data = read_workbook(src)
    old_year = data.identity.tahun
    if not old_year < tahun <= 2100:
        raise UnusableWorkbook(f"Tahun baru {tahun} harus sesudah tahun buku lama ({old_year}, "
                               f"sheet {labels.IDENTITAS}) dan paling lambat 2100.",
                               sheet=labels.IDENTITAS)
    rows: dict[str, list[dict[str, object]]] = {}
    summary = []
    cat = load_catalogue()
    for code, service in data.services.items():
        item_labels = [i.label for i in cat.items(code)]
        rows[code], result = _carry(service, item_labels)
        summary.append(result)
    prices = data.prices.items()
    fill = Fill(triwulan=1, admin=data.identity.admin, rows=rows,
                prices={key: p.harga for key, p in prices},
                standar={key: p.standar for key, p in prices},
                tersedia={key: p.tersedia for key, p in prices},
                sumber={key: p.sumber for key, p in prices if p.sumber},
                konfigurasi=_konfigurasi(src))
    level = data.identity.tingkat

    def produce(tmp: Path) -> None:
        build_template(tmp, level=level, kode=data.identity.kode or None, tahun=tahun,
                       fmt="xlsm" if fmt == "xlsm" else "xlsx", fill=fill)

    atomic_write(out, produce, backup=out.exists())
    return RolloverResult(src, out, old_year, tahun, summary)


def _carry(service: ServiceRows, item_labels: list[str]
           ) -> tuple[list[dict[str, object]], ServiceRollover]:
    result = ServiceRollover(service.kode, service.sheet)
    status = service.status
    owed = (status == BUTUH).any(axis=1) if len(status) else np.zeros(0, dtype=bool)
    marked = (status != NOT_NEEDED).any(axis=1) if len(status) else np.zeros(0, dtype=bool)
    empty: list[object] = [None] * len(service.rows)
    niks = service.person.get(labels.D_NIK, empty)
    carried_labels = [label for label in service.person if label != labels.D_NO]
    out: list[dict[str, object]] = []
    for i, excel_row in enumerate(service.rows):
        if not owed[i]:
            if marked[i]:
                result.terlayani.append((excel_row, mask_nik(parse_text(niks[i]) or "")))
            elif any(service.person[label][i] is not None for label in carried_labels):
                result.tanpa_item.append(excel_row)
            continue
        row: dict[str, object] = {labels.D_NO: len(out) + 1}
        for label in carried_labels:
            value = service.person[label][i]
            if value is not None:
                row[label] = value
        for j, label in enumerate(item_labels):
            if status[i, j] == BUTUH:
                row[label] = "Butuh"
                result.item_butuh += 1
        out.append(row)
    result.dibawa = len(out)
    return out, result


def _konfigurasi(src: Path) -> dict[str, int | float | str]:
    """Konfigurasi as the admin left it: label in column A, value in column B."""
    from python_calamine import CalamineWorkbook

    out: dict[str, int | float | str] = {}
    try:
        with calamine_guard():
            wb = CalamineWorkbook.from_path(str(src))
            with wb:
                if labels.KONFIGURASI not in wb.sheet_names:
                    return out
                grid = wb.get_sheet_by_name(labels.KONFIGURASI).to_python()
    except Exception:  # the reader has already read this book; keep the defaults
        return out
    for row in grid:
        if len(row) < 2 or not isinstance(row[0], str) or not row[0].strip():
            continue
        value = row[1]
        if isinstance(value, bool) or value == "":
            continue
        if isinstance(value, (int, float, str)):
            out.setdefault(" ".join(row[0].split()), value)
    return out


def print_rollover(result: RolloverResult) -> None:
    from .terminal import console

    con = console()
    for s in result.layanan:
        con.print(f"{s.sheet}: {s.dibawa} orang dibawa ({s.item_butuh} item masih Butuh), "
                  f"{len(s.terlayani)} sudah terlayani penuh tidak dibawa, "
                  f"{len(s.tanpa_item)} tanpa item ditandai tidak dibawa.")
        for r, nik in s.terlayani[:SHOWN_ROWS]:
            con.print(f"  tidak dibawa (terlayani penuh): sheet {s.sheet} baris {r}"
                      + (f", NIK {nik}" if nik else ""))
        if len(s.terlayani) > SHOWN_ROWS:
            con.print(f"  … dan {len(s.terlayani) - SHOWN_ROWS} lainnya (lihat --json).")
        if s.tanpa_item:
            shown = ", ".join(map(str, s.tanpa_item[:SHOWN_ROWS]))
            more = " …" if len(s.tanpa_item) > SHOWN_ROWS else ""
            con.print(f"  tidak dibawa (tanpa item, calon yang belum diasesmen): sheet "
                      f"{s.sheet} baris {shown}{more}")
    con.print(f"Buku kerja tahun {result.tahun} (Triwulan I) ditulis ke {result.keluaran}. "
              "Harga satuan, standar, persediaan dan Konfigurasi dibawa; anggaran diisi "
              f"baru. Buku kerja {result.buku.name} tidak diubah.")
