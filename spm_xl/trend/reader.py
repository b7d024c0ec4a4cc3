"""Read the sources of a trend: provincial workbooks, the history sheet, district workbooks.

Each file becomes snapshots (one per period it covers) or a refusal with its reason:

* a provincial consolidation: its ``Data Tren`` sheet, found and read by its header labels;
  a workbook of the first release (no Data Tren) is read from ``Rekap Kab-Kota`` instead
  (reported districts only: that release did not record reasons or completeness);
* the history sheet (``Riwayat``, from ``spm-xl templat --riwayat``), typed from old e-SPM
  reports: Tahun, Triwulan, Kode Kab/Kota, Kode Layanan, Sasaran, Terlayani, Indeks;
* a kab/kota workbook of spm-xl: read and recomputed like ``spm-xl hitung`` (a district's
  own series), one snapshot per quarter up to its reported one.

Only aggregates leave this module: a district workbook's recipient rows die here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from .. import labels
from ..book.cells import display_value, parse_decimal, parse_int, parse_quarter
from ..book.safe import ErrorCells
from ..catalogue import load_catalogue
from ..engine import category, mean_present, round_half_up
from ..findings import UnusableWorkbook
from ..records import default_settings
from ..regions import regions
from . import datasheet as d
from .model import DistrictPoint, Period, Refused, ServicePoint, Snapshot

RIWAYAT = "Riwayat"
#: the history sheet's columns (its public labels); Nama Kab/Kota and Kategori are optional
R_TAHUN, R_TRIWULAN, R_KODE, R_NAMA = d.C_TAHUN, d.C_TRIWULAN, d.C_KODE, d.C_NAMA
R_LAYANAN, R_SASARAN, R_TERLAYANI, R_INDEKS = d.C_LAYANAN, d.C_SASARAN, d.C_TERLAYANI, d.C_INDEKS
RIWAYAT_COLUMNS = (R_TAHUN, R_TRIWULAN, R_KODE, R_NAMA, R_LAYANAN, R_SASARAN, R_TERLAYANI,
                   R_INDEKS)
_RIWAYAT_REQUIRED = (R_TAHUN, R_TRIWULAN, R_KODE, R_LAYANAN, R_SASARAN, R_TERLAYANI, R_INDEKS)
#: rows searched for a header
_HEADER_SEARCH = 15


class Refusal(Exception):
    """A file that cannot be part of the trend; ``alasan`` says why, in Indonesian."""

    def __init__(self, alasan: str) -> None:
        super().__init__(alasan)
        self.alasan = alasan


def read_sources(inputs: Sequence[str | Path], exclude: Sequence[Path] = ()) -> tuple[
        list[Snapshot], list[Refused]]:
    """Every snapshot of every file named or found in the folders, and every refusal."""
    from ..consolidate.inputs import discover

    files, problems = discover(inputs, exclude=exclude)
    refused = [Refused(p.source.name, p.error or "Berkas tidak dapat dibaca.") for p in problems]
    snapshots: list[Snapshot] = []
    for path in files:
        try:
            snapshots += read_file(path)
        except Refusal as e:
            refused.append(Refused(path.name, e.alasan))
        except UnusableWorkbook as e:
            refused.append(Refused(path.name, e.pesan))
    return snapshots, refused


def read_file(path: Path) -> list[Snapshot]:
    """The snapshots of one file; raises ``Refusal`` for a file that is none of the kinds.

    One container check and one open serve every kind; a district workbook is then read
    like ``hitung`` reads it, on that same check.
    """
    from python_calamine import CalamineWorkbook

    from ..book.reader import parses
    from ..book.safe import calamine_guard, check_container

    errors = check_container(path, lambda sheet: sheet in _OWN_SHEETS or parses(sheet))
    try:
        with calamine_guard():
            wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:
        raise Refusal("Berkas tidak dapat dibaca sebagai buku kerja Excel "
                      f"({type(e).__name__}).") from e
    with wb:
        names = list(wb.sheet_names)
        sheet = next((n for n in _OWN_SHEETS if n in names), None)
        if sheet == "Rekap Kab-Kota" and "Ringkasan" not in names:
            sheet = None
        if sheet is not None:
            with calamine_guard():
                grid: list[list[object]] = wb.get_sheet_by_name(sheet).to_python(  # type: ignore[assignment]
                    skip_empty_area=False)
    if sheet == d.DATA_TREN:
        return _data_tren(path, grid)
    if sheet == RIWAYAT:
        return _riwayat(path, grid)
    if sheet is not None:
        return _first_release(path, grid)
    if labels.IDENTITAS in names:
        return _district(path, errors)
    raise Refusal(
        "Bukan buku kerja konsolidasi provinsi spm-xl (tidak ada sheet Data Tren atau Rekap "
        f"Kab-Kota), bukan sheet {RIWAYAT} (spm-xl templat --riwayat), dan bukan buku kerja "
        "kab/kota spm-xl (tidak ada sheet Identitas).")


#: the sheets a trend source is read from, in the order they are looked for
_OWN_SHEETS = (d.DATA_TREN, RIWAYAT, "Rekap Kab-Kota")


def _header(grid: list[list[object]], sheet: str, required: Sequence[str]) -> tuple[
        int, dict[str, int]]:
    """The header row (0-based) holding every required label, and each label's column."""
    for r, row in enumerate(grid[:_HEADER_SEARCH]):
        cols = {str(v).strip(): c for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
        if all(label in cols for label in required):
            return r, cols
    raise Refusal(f"Sheet {sheet}: baris judul kolom tidak ditemukan; kolom yang dibutuhkan: "
                  f"{', '.join(required)}.")


def _cell(row: list[object], col: int | None) -> object:
    if col is None or col >= len(row):
        return None
    v = row[col]
    return None if v == "" else v


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() or None


def _decimal(v: object) -> Decimal | None:
    if v is None:
        return None
    value, _ = parse_decimal(v)
    return None if value is None else round_half_up(value)


def _int(v: object) -> int | None:
    value, _ = parse_int(v) if v is not None else (None, None)
    return value


# --- Data Tren -----------------------------------------------------------------------------

def _data_tren(path: Path, grid: list[list[object]]) -> list[Snapshot]:
    required = [c for c in d.COLUMNS if c != d.C_KETERISIAN]
    head, cols = _header(grid, d.DATA_TREN, required)
    snaps: dict[Period, Snapshot] = {}
    for row in grid[head + 1:]:
        tahun, tw = _int(_cell(row, cols[d.C_TAHUN])), _int(_cell(row, cols[d.C_TRIWULAN]))
        kode = _text(_cell(row, cols[d.C_KODE]))
        if tahun is None or tw is None or kode is None or not 1 <= tw <= 4:
            continue
        period = (tahun, tw)
        snap = snaps.get(period)
        if snap is None:
            snap = snaps[period] = Snapshot(
                period, _text(_cell(row, cols[d.C_PROVINSI])) or kode[:2], path.name,
                "konsolidasi", _text(_cell(row, cols[d.C_WAKTU])) or "")
        status = _text(_cell(row, cols[d.C_STATUS])) or d.BELUM
        point = snap.districts.get(kode)
        if point is None:
            point = snap.districts[kode] = DistrictPoint(
                kode, _text(_cell(row, cols[d.C_NAMA])) or kode,
                status if status in d.STATUSES else d.BELUM,
                _text(_cell(row, cols[d.C_ALASAN])),
                _decimal(_cell(row, cols[d.C_INDEKS_DAERAH])),
                _category(_text(_cell(row, cols[d.C_KATEGORI_DAERAH]))),
                _decimal(_cell(row, cols.get(d.C_KETERISIAN))))
        layanan = _text(_cell(row, cols[d.C_LAYANAN]))
        if layanan is not None:
            point.layanan[layanan] = ServicePoint(
                layanan, _int(_cell(row, cols[d.C_SASARAN])),
                _int(_cell(row, cols[d.C_TERLAYANI])), _decimal(_cell(row, cols[d.C_INDEKS])),
                _category(_text(_cell(row, cols[d.C_KATEGORI]))))
    if not snaps:
        raise Refusal(f"Sheet {d.DATA_TREN} tidak berisi satu baris pun; konsolidasikan ulang "
                      "periode ini.")
    return list(snaps.values())


def _category(text: str | None) -> str | None:
    """A category label; 'Tidak ada sasaran' is no category (a gap in the index too)."""
    from ..book.outputs import TIDAK_ADA_SASARAN

    return None if text in (None, TIDAK_ADA_SASARAN) else text


# --- first release: Rekap Kab-Kota ----------------------------------------------------------

_TITLE_PERIOD = re.compile(r"Provinsi .*\((\d{2})\).*Tahun (\d{4}), Triwulan (I|II|III|IV)\b")
_TW_SUFFIX = re.compile(r" TW (I|II|III|IV)$")


def _first_release(path: Path, grid: list[list[object]]) -> list[Snapshot]:
    """A provincial workbook written before Data Tren existed: reported districts only."""
    title = str(grid[0][0]) if grid and grid[0] else ""
    m = _TITLE_PERIOD.search(title)
    if m is None:
        raise Refusal("Sheet Rekap Kab-Kota: judul di A1 tidak menyebut provinsi, tahun dan "
                      "triwulan; ini bukan buku kerja konsolidasi provinsi spm-xl.")
    province, tahun, tw = m.group(1), int(m.group(2)), labels.QUARTER_ROMAN.index(m.group(3)) + 1
    head, cols = _header(grid, "Rekap Kab-Kota", ("Kode Wilayah", "Kode Layanan"))
    by_stem = {_TW_SUFFIX.sub("", label): c for label, c in cols.items()}
    waktu = ""
    if len(grid) > 1:
        stamp = grid[labels.STAMP_ROW - 1]
        for c, v in enumerate(stamp[:-1]):
            if v == labels.STAMP_WAKTU:
                waktu = _text(stamp[c + 1]) or ""
    snap = Snapshot((tahun, tw), province, path.name, "konsolidasi", waktu)
    for row in grid[head + 1:]:
        kode = _text(_cell(row, cols["Kode Wilayah"]))
        layanan = _text(_cell(row, cols["Kode Layanan"]))
        if kode is None or layanan is None or "." not in kode:
            continue
        point = snap.districts.get(kode)
        if point is None:
            point = snap.districts[kode] = DistrictPoint(
                kode, _text(_cell(row, by_stem.get("Kab/Kota"))) or kode, d.DIKIRIM,
                indeks=_decimal(_cell(row, by_stem.get(
                    "Indeks SPM Bidang Sosial", by_stem.get("Indeks Daerah")))),
                kategori=_category(_text(_cell(row, by_stem.get("Kategori Daerah")))))
        point.layanan[layanan] = ServicePoint(
            layanan, _int(_cell(row, by_stem.get("Sasaran (Y)"))),
            _int(_cell(row, by_stem.get("Terlayani (X)"))),
            _decimal(_cell(row, by_stem.get("Indeks"))),
            _category(_text(_cell(row, by_stem.get("Kategori")))))
    return [snap]


# --- the history sheet ---------------------------------------------------------------------

def _riwayat(path: Path, grid: list[list[object]]) -> list[Snapshot]:
    """Rows typed from old e-SPM reports; every bad cell refuses the file, naming the cell."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    head, cols = _header(grid, RIWAYAT, _RIWAYAT_REQUIRED)
    known = regions().kabkota
    services = {s.kode for s in load_catalogue().services("kabkota")}
    snaps: dict[Period, Snapshot] = {}

    def bad(r: int, label: str, why: str) -> Refusal:
        return Refusal(f"Sheet {RIWAYAT} sel {xl_rowcol_to_cell(r, cols[label])}: {why}")

    for r, row in enumerate(grid[head + 1:], start=head + 1):
        values = {label: _cell(row, cols.get(label)) for label in RIWAYAT_COLUMNS}
        if all(v is None for v in values.values()):
            continue
        tahun = _int(values[R_TAHUN])
        if tahun is None or not 2000 <= tahun <= 2100:
            raise bad(r, R_TAHUN, f"Tahun '{display_value(values[R_TAHUN])}' tidak dikenal.")
        tw, why = parse_quarter(values[R_TRIWULAN])
        if tw is None:
            raise bad(r, R_TRIWULAN, why or "")
        kode = _text(values[R_KODE]) or ""
        if kode not in known:
            raise bad(r, R_KODE, f"'{kode}' bukan kode kabupaten/kota Kemendagri yang dikenal "
                                 "(mis. 74.06).")
        layanan = (_text(values[R_LAYANAN]) or "").upper()
        if layanan not in services:
            raise bad(r, R_LAYANAN, f"'{layanan}' bukan kode layanan kab/kota (K1-K5).")
        figures: dict[str, int | None] = {}
        for label in (R_SASARAN, R_TERLAYANI):
            n = _int(values[label])
            if values[label] is not None and (n is None or n < 0):
                raise bad(r, label, f"'{display_value(values[label])}' harus bilangan bulat "
                                    "0 atau lebih.")
            figures[label] = n
        indeks = _decimal(values[R_INDEKS])
        if values[R_INDEKS] is not None and (indeks is None or not 0 <= indeks <= 100):
            raise bad(r, R_INDEKS, f"'{display_value(values[R_INDEKS])}' harus angka 0-100.")
        period = (tahun, tw)
        snap = snaps.setdefault(period, Snapshot(period, kode[:2], path.name, "riwayat", ""))
        point = snap.districts.setdefault(kode, DistrictPoint(
            kode, _text(values[R_NAMA]) or known[kode].nama, d.DIKIRIM))
        if layanan in point.layanan:
            raise bad(r, R_LAYANAN, f"{layanan} untuk {kode} periode {tahun} triwulan {tw} "
                                    "sudah ada di baris sebelumnya.")
        point.layanan[layanan] = ServicePoint(layanan, figures[R_SASARAN],
                                              figures[R_TERLAYANI], indeks, _label(indeks))
    if not snaps:
        raise Refusal(f"Sheet {RIWAYAT} belum berisi satu baris data pun.")
    for snap in snaps.values():
        for point in snap.districts.values():
            mean = mean_present([Fraction(s.indeks) if s.indeks is not None else None
                                 for s in point.layanan.values()])
            point.indeks = round_half_up(mean) if mean is not None else None
            point.kategori = _label(point.indeks)
    return list(snaps.values())


def _label(indeks: Decimal | None) -> str | None:
    return category(Fraction(indeks), default_settings()) if indeks is not None else None


# --- a district's own workbook -------------------------------------------------------------

def _district(path: Path, errors: ErrorCells) -> list[Snapshot]:
    """A kab/kota workbook recomputed: one snapshot per quarter up to the reported one."""
    from ..book.reader import read_checked
    from ..keterisian import keterisian
    from ..pipeline import evaluate

    data = read_checked(path, errors)
    ident = data.identity
    if ident.tingkat != "kabkota" or ident.kode not in regions().kabkota:
        raise Refusal("Buku kerja ini bukan buku kerja kab/kota dengan kode Kemendagri yang "
                      f"dikenal ({ident.kode}); tren per daerah membaca buku kerja kab/kota.")
    ev = evaluate(data)
    score = keterisian(data, ev.result, ev.findings).skor
    stamp = data.stamps.get(labels.CAPAIAN)
    waktu = stamp.waktu if stamp else _modified(path)
    out = []
    for q in range(1, ident.triwulan + 1):
        res = ev.result
        point = DistrictPoint(ident.kode, ident.nama, d.DIKIRIM, None,
                              _round(res.indeks_daerah[q - 1]), res.kategori_daerah[q - 1],
                              round_half_up(score) if q == ident.triwulan else None)
        for s in res.layanan:
            a = s.capaian
            point.layanan[a.layanan] = ServicePoint(a.layanan, a.sasaran, a.terlayani[q - 1],
                                                    _round(a.indeks[q - 1]), a.kategori[q - 1])
        out.append(Snapshot((ident.tahun, q), ident.kode, path.name, "kabkota", waktu,
                            {ident.kode: point}))
    return out


def _round(value: Fraction | None) -> Decimal | None:
    return round_half_up(value) if value is not None else None


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(
        timespec="seconds")



