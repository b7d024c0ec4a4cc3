"""The workbook reader: one .xlsx/.xlsm -> ``WorkbookData`` (SPEC 3).

Cells come through a ``SheetSource`` (``book.source``): for a file, python-calamine reads
cell values only (cached formula results; no macro ever runs, no formula is evaluated) at
Rust speed; the Excel buttons pass an xlwings source over the open workbook instead.
Tables are found by their header labels within the first ``labels.HEADER_SEARCH_ROWS`` rows
and columns by label, so title rows, moved columns and the admin's own extra columns do not
matter. A bad cell becomes a ``Finding``; only a file that cannot be read at all raises
``UnusableWorkbook``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

import numpy as np
from python_calamine import CalamineWorkbook

from .. import labels
from ..catalogue import (
    Catalogue,
    Item,
    Level,
    QualityMode,
    Service,
    ZeroTargetRule,
    load_catalogue,
)
from ..findings import (
    MAX_PER_KIND,
    Finding,
    Kind,
    Severity,
    UnusableWorkbook,
    listed,
    overflow,
)
from ..nik import mask_text
from ..records import (
    BUTUH,
    Budget,
    Identity,
    Narrative,
    Price,
    Problem,
    ServiceRows,
    Settings,
    Stage,
    Stamp,
    StatusMatrix,
    WorkbookData,
    default_settings,
)
from .cells import (
    STATUS_EXACT,
    display_value,
    parse_date,
    parse_decimal,
    parse_int,
    parse_quarter,
    parse_rupiah,
    parse_status,
    parse_text,
    status_key,
)
from .safe import ErrorCells, ReaderPanic, calamine_guard, check_container, error_cells
from .source import CalamineSource, Grid, Merge, SheetSource

T = TypeVar("T")

#: person columns kept exactly as the cell holds them (the checks must see a numeric NIK)
RAW_COLUMNS = (labels.D_NO, labels.D_NIK, labels.D_KK)
DATE_COLUMNS = (labels.D_LAHIR, labels.D_ASESMEN, labels.D_TGL_KEJADIAN)
#: a missing column of these is a warning, any other missing column an error
OPTIONAL_COLUMNS = (labels.D_NO, labels.D_KETERANGAN)
SERVICE_KEYS = (labels.D_NIK, labels.D_NAMA)
HARGA_KEYS = (labels.H_LAYANAN, labels.H_ITEM_KODE, labels.H_HARGA)
ANGGARAN_KEYS = (labels.A_LAYANAN, labels.A_ALOKASI)

_LEVELS: dict[str, Level] = {
    **dict.fromkeys(("kabupaten/kota", "kab/kota", "kab./kota", "kabkota", "kabupaten",
                     "kota", "kab"), "kabkota"),
    **dict.fromkeys(("provinsi", "propinsi", "prov", "prov."), "provinsi"),
}


@dataclass(slots=True)
class _Sheet:
    name: str
    grid: Grid
    merged: list[Merge] = field(default_factory=list)


@dataclass(slots=True)
class _Header:
    row: int  # 0-based index in the grid
    columns: dict[str, int]  # label -> 0-based column


@dataclass(slots=True)
class _Ctx:
    """One read of one workbook: its cells and the findings collected so far."""
    source: SheetSource
    berkas: str
    names: list[str]
    findings: list[Finding] = field(default_factory=list)
    #: raw text -> status; only str keys, so True never meets the key 1
    status_cache: dict[object, int] = field(
        default_factory=lambda: {k: v for k, v in STATUS_EXACT.items()})
    status_errors: dict[str, str] = field(default_factory=dict)
    #: findings noted per (sheet, code, severity), to cap the listed ones
    kinds: Counter[Kind] = field(default_factory=Counter)


def read_workbook(path: Path) -> WorkbookData:
    """Read one workbook's inputs; raises ``UnusableWorkbook`` when that is impossible."""
    return read_checked(path, check_container(path, parses))


def read_checked(path: Path, errors: ErrorCells) -> WorkbookData:
    """``read_workbook`` for a caller that has run ``check_container`` itself, over at least
    the sheets ``parses`` names (``errors`` is what it returned)."""
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types, never for a good file
        raise UnusableWorkbook(f"Berkas '{path.name}' tidak dapat dibaca sebagai buku kerja "
                               f"Excel ({_detail(exc)}).") from exc
    with wb:
        data = read_source(CalamineSource(wb, path.name))
    data.findings += error_value_findings(error_cells(errors, error_value_sheets(data)))
    return data


def parses(sheet: str) -> bool:
    """Whether ``_read`` may parse a sheet of this name: the template's input sheets (as
    ``_find_sheet`` matches them) and the output sheets it reads stamps from. Petunjuk and
    the admin's own sheets are never parsed."""
    return _norm(sheet) in _parsed_names()


@cache
def _parsed_names() -> frozenset[str]:
    return frozenset(_norm(n) for n in (*_input_sheets(), labels.PERMASALAHAN, labels.TAHAPAN,
                                         *labels.OUTPUT_SHEETS))


def _input_sheets() -> tuple[str, ...]:
    """The template's sheets the figures are read from."""
    return (labels.IDENTITAS, labels.HARGA, labels.ANGGARAN, labels.KONFIGURASI,
            *(s.sheet for s in load_catalogue().layanan))


def read_source(source: SheetSource) -> WorkbookData:
    """Read the inputs from any source of cells (a file, or a workbook open in Excel)."""
    return _read(_Ctx(source, source.file_name, source.sheet_names()))


def _read(ctx: _Ctx) -> WorkbookData:
    cat = load_catalogue()
    ours = {_norm(n) for n in (labels.PETUNJUK, *_input_sheets())}
    if not any(_norm(n) in ours for n in ctx.names):
        if any(_norm(n) == _norm("Rekap Kab-Kota") for n in ctx.names):
            raise UnusableWorkbook(
                f"Hasil konsolidasi provinsi sebelumnya ('{ctx.berkas}', ada sheet Rekap "
                "Kab-Kota), bukan buku kerja kab/kota; tidak dibaca sebagai masukan.")
        raise UnusableWorkbook(
            f"Berkas '{ctx.berkas}' bukan buku kerja SPM: tidak ada satu pun sheet templat "
            f"({labels.IDENTITAS}, {labels.HARGA}, K1 Disabilitas, ...). Sheet yang ada: "
            f"{', '.join(repr(n) for n in ctx.names) or '-'}. Isi data pada templat dari "
            "spm-xl templat.")
    ident_name = _require_sheet(ctx, labels.IDENTITAS)
    identity = _identity(ctx, _load(ctx, ident_name))
    level = cat.services(identity.tingkat)
    sheets = {s.kode: _require_sheet(ctx, s.sheet, s.kode) for s in level}
    settings = _settings(ctx, _optional_sheet(ctx, labels.KONFIGURASI))
    prices = _prices(ctx, _optional_sheet(ctx, labels.HARGA), cat)
    budgets = _budgets(ctx, _optional_sheet(ctx, labels.ANGGARAN), cat)
    services = {s.kode: _service(ctx, _load(ctx, sheets[s.kode]), s, cat.items(s.kode),
                                 cat.optional_items(s.kode), settings.item_opsional)
                for s in level}
    narasi = _narrative(ctx, [s.kode for s in level])
    stamps, saved = _saved_outputs(ctx)
    return WorkbookData(identity, settings, prices, budgets, services,
                        [*ctx.findings, *_overflow(ctx)], stamps, narasi, saved)


def error_value_sheets(data: WorkbookData) -> list[str]:
    """The sheets whose Excel error values are findings: those the checks and engine read."""
    return [labels.IDENTITAS, labels.KONFIGURASI, labels.HARGA, labels.ANGGARAN,
            *(s.sheet for s in data.services.values())]


def error_value_findings(found: dict[str, tuple[list[tuple[str, str]], int]]
                         ) -> list[Finding]:
    """Excel error values (#N/A, #REF!), read as empty cells, as findings: sheet -> (up to
    ``safe.MAX_ERROR_CELLS`` of (cell, error text), how many there are); both the file and
    the Excel buttons report them through here."""
    out = []
    for sheet, (cells, total) in found.items():
        for ref, value in cells:
            shown = display_value(value)
            out.append(Finding("galat", "nilai_galat_excel",
                               f"Sel {ref} berisi nilai galat Excel {shown} (rumus yang gagal "
                               "atau salinan yang rusak) sehingga terbaca kosong. Perbaiki "
                               "rumusnya atau ketik nilainya.", sheet, ref, shown))
        if total > len(cells):
            out.append(Finding("galat", "nilai_galat_excel",
                               f"Masih ada {total - len(cells)} sel lain berisi nilai galat "
                               "Excel di sheet ini; perbaiki semuanya.", sheet))
    return out


# --- sheets -----------------------------------------------------------------------------

def _find_sheet(ctx: _Ctx, wanted: str) -> str | None:
    if wanted in ctx.names:
        return wanted
    key = _norm(wanted)
    for name in ctx.names:
        if _norm(name) == key:
            _note(ctx, "peringatan", "nama_sheet_berbeda",
                  f"Sheet '{name}' dibaca sebagai '{wanted}'; kembalikan namanya persis "
                  f"'{wanted}' seperti di templat.", name)
            return name
    return None


def _require_sheet(ctx: _Ctx, wanted: str, code: str | None = None) -> str:
    found = _find_sheet(ctx, wanted)
    if found is not None:
        return found
    msg = f"Sheet '{wanted}' tidak ada di berkas '{ctx.berkas}'."
    guess = _renamed_guess(ctx, wanted, code)
    if guess:
        msg += (f" Sheet '{guess}' tampaknya sheet tersebut yang diganti namanya; "
                f"kembalikan namanya menjadi '{wanted}'.")
    else:
        msg += f" Sheet yang ada: {', '.join(repr(n) for n in ctx.names) or '-'}."
    raise UnusableWorkbook(msg, sheet=wanted)


def _renamed_guess(ctx: _Ctx, wanted: str, code: str | None) -> str | None:
    known = {_norm(n) for n in (labels.PETUNJUK, *_input_sheets(), *labels.OUTPUT_SHEETS)}
    others = [n for n in ctx.names if _norm(n) not in known]
    if code:
        prefixed = [n for n in others if re.match(rf"{code.lower()}(?![0-9])", _norm(n))]
        if prefixed:
            return prefixed[0]
    close = difflib.get_close_matches(_norm(wanted), [_norm(n) for n in others], 1, 0.6)
    return next((n for n in others if close and _norm(n) == close[0]), None)


def _optional_sheet(ctx: _Ctx, wanted: str) -> _Sheet | None:
    found = _find_sheet(ctx, wanted)
    return _load(ctx, found) if found is not None else None


def _load(ctx: _Ctx, name: str) -> _Sheet:
    try:
        with calamine_guard():
            grid = ctx.source.rows(name)
            merged = ctx.source.merged_ranges(name)
    except UnusableWorkbook:  # the source's own message (Excel failing to deliver cells)
        raise
    except (OverflowError, ReaderPanic) as exc:  # a number no date or duration can hold
        raise UnusableWorkbook(f"Sheet '{name}' di berkas '{ctx.berkas}' berisi angka yang "
                               "sangat besar atau negatif di sel berformat tanggal, waktu atau "
                               "durasi (misalnya NIK yang diketik di kolom tanggal), sehingga "
                               "tidak dapat dibaca. Perbaiki sel itu atau ubah formatnya, "
                               f"simpan, lalu coba lagi ({_detail(exc)}).", sheet=name) from exc
    except Exception as exc:  # a broken part inside a zip that is otherwise sound
        raise UnusableWorkbook(f"Sheet '{name}' di berkas '{ctx.berkas}' rusak dan tidak "
                               "dapat dibaca. Minta kiriman ulang atau buka di Excel dan "
                               f"simpan ulang ({_detail(exc)}).", sheet=name) from exc
    width = max(map(len, grid), default=0)
    if min(map(len, grid), default=0) < width:  # calamine's grids are rectangular already
        for r in grid:
            if len(r) < width:
                r.extend([""] * (width - len(r)))
    return _Sheet(name, grid, list(merged))


def _note(ctx: _Ctx, tingkat: Severity, kode: str, pesan: str, sheet: str | None = None,
          sel: str | None = None, nilai: object = None) -> None:
    if not listed(ctx.kinds, (sheet, kode, tingkat)):  # counted, not built
        return
    shown = None if nilai is None else display_value(nilai)
    ctx.findings.append(Finding(tingkat, kode, pesan, sheet, sel, shown))


def _overflow(ctx: _Ctx) -> list[Finding]:
    """One line per kind of finding noted past ``MAX_PER_KIND`` times in a sheet."""
    return [overflow(kind, n - MAX_PER_KIND) for kind, n in ctx.kinds.items()
            if n > MAX_PER_KIND]


# --- Identitas ----------------------------------------------------------------------------

def _identity(ctx: _Ctx, sheet: _Sheet) -> Identity:
    values = _label_values(sheet.grid, labels.IDENTITAS_LABELS)
    name = sheet.name

    def raw(label: str) -> object:
        return values[label][0] if label in values else None

    def cell(label: str) -> str | None:
        return f"B{values[label][1] + 1}" if label in values else None

    tingkat = _LEVELS.get(status_key(parse_text(raw(labels.ID_TINGKAT)) or ""))
    if tingkat is None:
        shown = display_value(raw(labels.ID_TINGKAT))
        raise UnusableWorkbook(
            f"Tingkat di sheet {name} berkas '{ctx.berkas}' "
            f"{'kosong' if not shown else repr(shown) + ' tidak dikenal'}; isi "
            "'Kabupaten/Kota' atau 'Provinsi'.", sheet=name, sel=cell(labels.ID_TINGKAT))
    tahun, error = parse_int(raw(labels.ID_TAHUN))
    if tahun is not None and not 1900 <= tahun <= 9999:  # no calendar year; 2018-2100 checks
        tahun, error = None, f"{tahun} bukan tahun"
    if tahun is None:
        raise UnusableWorkbook(
            f"Tahun di sheet {name} berkas '{ctx.berkas}' kosong atau tidak terbaca"
            f"{'' if error is None else ' (' + error + ')'}; isi tahun, misalnya 2026.",
            sheet=name, sel=cell(labels.ID_TAHUN))
    triwulan, error = parse_quarter(raw(labels.ID_TRIWULAN))
    if triwulan is None:
        _note(ctx, "galat", "triwulan_tidak_valid",
              f"{error} Sementara dihitung sebagai Triwulan I.", name,
              cell(labels.ID_TRIWULAN), raw(labels.ID_TRIWULAN))
        triwulan = 1
    kode = _region_code(ctx, raw(labels.ID_KODE), name, cell(labels.ID_KODE))
    versi = raw(labels.ID_VERSI)

    def text(label: str) -> str:  # typed names reach titles and messages: never a full NIK
        return mask_text(parse_text(raw(label)) or "")
    return Identity(
        tingkat, kode, text(labels.ID_NAMA), text(labels.ID_PROVINSI), tahun, triwulan,
        text(labels.ID_ADMIN),
        repr(versi) if isinstance(versi, float) else mask_text(parse_text(versi) or ""))


def _region_code(ctx: _Ctx, raw: object, sheet: str, sel: str | None) -> str:
    """Kode Wilayah as text; a number is converted only when no digit can have been lost."""
    if not isinstance(raw, (int, float)) or isinstance(raw, bool):
        return parse_text(raw) or ""
    if float(raw).is_integer():
        return str(int(raw))
    text = repr(float(raw))
    if not re.fullmatch(r"\d{2}\.\d{2}", text):
        _note(ctx, "galat", "kode_wilayah_angka",
              f"Kode Wilayah tersimpan sebagai angka {text}, sehingga nol di belakang "
              "bisa hilang (74.1 bisa berarti 74.10). Format sel sebagai Teks lalu "
              "ketik ulang kodenya, misalnya 74.06.", sheet, sel, text)
    return text


# --- Konfigurasi --------------------------------------------------------------------------

def _settings(ctx: _Ctx, sheet: _Sheet | None) -> Settings:
    base = default_settings()
    if sheet is None:
        _note(ctx, "info", "konfigurasi_default",
              f"Sheet {labels.KONFIGURASI} tidak ada; dipakai pengaturan bawaan.")
        return base
    ladder_labels = [f"{labels.K_AMBANG_PREFIX}{label}" for _, label in base.kategori]
    wanted = (labels.K_BOBOT_PENERIMA, labels.K_BOBOT_MUTU, labels.K_TANPA_SASARAN,
              labels.K_AMBANG_BENCANA, labels.K_PERSEN_MUTU, labels.K_BATAS_100,
              *labels.K_ITEM_OPSIONAL.values(), *ladder_labels)
    values = _label_values(sheet.grid, wanted)

    def get(label: str, parse: Callable[[object], tuple[T | None, str | None]],
            valid: Callable[[T], bool], hint: str) -> T | None:
        if label not in values:
            return None
        raw, row = values[label]
        value, error = parse(raw)
        if error is None and value is not None and not valid(value):
            error = f"Nilai '{display_value(raw)}' {hint}."
        if error is not None:
            _note(ctx, "galat", "konfigurasi_tidak_valid",
                  f"{label}: {error} Dipakai nilai bawaan.", sheet.name, f"B{row + 1}",
                  raw)
            return None
        return value

    def in_unit(d: Decimal) -> bool:
        return 0 <= d <= 1

    w_a = get(labels.K_BOBOT_PENERIMA, _parse_weight, in_unit, "harus antara 0 dan 1")
    w_b = get(labels.K_BOBOT_MUTU, _parse_weight, in_unit, "harus antara 0 dan 1")
    w_a = w_a if w_a is not None else (1 - w_b if w_b is not None else base.bobot_penerima)
    w_b = w_b if w_b is not None else 1 - w_a
    if w_a + w_b != 1:
        _note(ctx, "galat", "konfigurasi_tidak_valid",
              f"{labels.K_BOBOT_PENERIMA} + {labels.K_BOBOT_MUTU} = {w_a + w_b}, "
              "harus 1. Dipakai bobot bawaan.", sheet.name)
        w_a, w_b = base.bobot_penerima, base.bobot_mutu

    ladder = []
    for (default, label), row_label in zip(base.kategori, ladder_labels, strict=True):
        value = get(row_label, parse_decimal, lambda d: 0 <= d <= 100,
                    "harus antara 0 dan 100")
        ladder.append((default if value is None else value, label))
    steps = [t for t, _ in ladder]
    if any(a <= b for a, b in zip(steps, steps[1:], strict=False)) or steps[-1] != 0:
        _note(ctx, "galat", "konfigurasi_tidak_valid",
              "Ambang kategori harus menurun dari atas ke bawah dan ambang terakhir 0. "
              "Dipakai ambang bawaan.", sheet.name)
        ladder = list(base.kategori)

    rule: ZeroTargetRule | None = get(labels.K_TANPA_SASARAN, _parse_zero_rule,
                                      _always, "")
    limit = get(labels.K_AMBANG_BENCANA, parse_int, lambda n: n > 0, "harus lebih dari 0")
    # template 1.1 options: a 1.0 workbook has none of these rows and gets the defaults
    mode: QualityMode | None = get(labels.K_PERSEN_MUTU, _parse_quality_mode, _always, "")
    cap = get(labels.K_BATAS_100, _parse_yes_no, _always, "")
    optional = tuple(code for code, label in labels.K_ITEM_OPSIONAL.items()
                     if get(label, _parse_yes_no, _always, ""))
    return Settings(w_a, w_b, tuple(ladder), rule or base.tanpa_sasaran,
                    limit or base.ambang_bencana, mode or base.persen_mutu,
                    base.batas_100 if cap is None else cap, optional)


# --- Permasalahan and Tahapan (template 1.1) ------------------------------------------------

def _narrative(ctx: _Ctx, codes: list[str]) -> Narrative:
    """The report's text part; a workbook without these sheets (template 1.0) reads empty."""
    problems_sheet = _optional_sheet(ctx, labels.PERMASALAHAN)
    stages_sheet = _optional_sheet(ctx, labels.TAHAPAN)
    problems = _problems(ctx, problems_sheet, codes) if problems_sheet else ()
    stages, perkada = _stages(ctx, stages_sheet) if stages_sheet else ((), None)
    return Narrative(problems, stages, perkada, problems_sheet is not None,
                     stages_sheet is not None)


def _soft_header(ctx: _Ctx, sheet: _Sheet, wanted: Sequence[str],
                 keys: Sequence[str]) -> _Header | None:
    """A table header in a sheet the figures do not depend on: missing is a finding only."""
    try:
        return _header(ctx, sheet, wanted, keys)
    except UnusableWorkbook as exc:
        _note(ctx, "galat", "judul_tidak_ditemukan", exc.pesan + " Isi sheet ini tidak "
              "dibaca.", sheet.name)
        return None


def _problems(ctx: _Ctx, sheet: _Sheet, codes: list[str]) -> tuple[Problem, ...]:
    head = _soft_header(ctx, sheet, labels.PERMASALAHAN_HEADERS,
                        (labels.M_LAYANAN, labels.M_PERMASALAHAN))
    if head is None:
        return ()
    cols = head.columns

    def text(row: list[object], label: str) -> str:
        c = cols.get(label)
        return (parse_text(row[c]) or "") if c is not None else ""

    out: dict[str, Problem] = {}
    for r in range(head.row + 1, len(sheet.grid)):
        row = sheet.grid[r]
        code = text(row, labels.M_LAYANAN).upper()
        if not code:
            continue
        if not _new_service_row(ctx, sheet, r, code, codes, out, "permasalahan", "peringatan"):
            continue
        out[code] = Problem(code, text(row, labels.M_PERMASALAHAN),
                            text(row, labels.M_SOLUSI), text(row, labels.M_DUKUNGAN))
    return tuple(out[c] for c in codes if c in out)


def _stages(ctx: _Ctx, sheet: _Sheet) -> tuple[tuple[Stage, ...], bool | None]:
    perkada_raw = _label_values(sheet.grid, (labels.T_PERKADA,)).get(labels.T_PERKADA)
    perkada: bool | None = None
    if perkada_raw is not None:
        perkada, error = _parse_yes_no(perkada_raw[0])
        if error is not None:
            _note(ctx, "galat", "isian_tidak_valid", f"{labels.T_PERKADA}: {error}",
                  sheet.name, f"B{perkada_raw[1] + 1}", perkada_raw[0])
    head = _soft_header(ctx, sheet, labels.TAHAPAN_HEADERS, (labels.T_TAHAP, labels.T_STATUS))
    if head is None:
        return (), perkada
    cols = head.columns
    statuses = {s.casefold(): s for s in labels.TAHAP_STATUS}
    stages: list[Stage] = []
    for r in range(head.row + 1, len(sheet.grid)):
        row = sheet.grid[r]
        name = parse_text(row[cols[labels.T_TAHAP]])
        if name is None or _label_key(name) == _label_key(labels.T_PERKADA):
            continue
        raw_status = parse_text(row[cols[labels.T_STATUS]])
        status = statuses.get(raw_status.casefold()) if raw_status else None
        if raw_status and status is None:
            ref = f"{_col(cols[labels.T_STATUS])}{r + 1}"
            _note(ctx, "galat", "isian_tidak_valid",
                  f"Sel {ref}: status '{raw_status}' tidak dikenal; pilih "
                  f"{', '.join(labels.TAHAP_STATUS)}.", sheet.name, ref, raw_status)
        when: date | None = None
        c = cols.get(labels.T_TANGGAL)
        if c is not None and row[c] != "":
            parsed, error = parse_date(row[c])
            if error is not None:
                ref = f"{_col(c)}{r + 1}"
                _note(ctx, "galat", "tanggal_tidak_valid", f"Sel {ref}: {error}", sheet.name,
                      ref, row[c])
            when = parsed
        stages.append(Stage(name, status, when))
    return tuple(stages), perkada


# --- Harga Satuan and Anggaran -------------------------------------------------------------

def _prices(ctx: _Ctx, sheet: _Sheet | None, cat: Catalogue) -> dict[tuple[str, str], Price]:
    if sheet is None:
        _note(ctx, "galat", "sheet_hilang", f"Sheet {labels.HARGA} tidak ada; biaya "
              "kebutuhan tidak dapat dihitung.", labels.HARGA)
        return {}
    head = _header(ctx, sheet, labels.HARGA_HEADERS, HARGA_KEYS)
    _missing_columns(ctx, sheet, head, (labels.H_STANDAR, labels.H_TERSEDIA))
    cols = head.columns
    by_label = {_label_key(i.label): i for i in cat.item}
    by_code = {i.kode: i for i in cat.item}
    out: dict[tuple[str, str], Price] = {}
    for r in range(head.row + 1, len(sheet.grid)):
        row = sheet.grid[r]
        layanan = parse_text(row[cols[labels.H_LAYANAN]])
        item_text = parse_text(row[cols[labels.H_ITEM_KODE]])
        if layanan is None and item_text is None:
            continue
        item = by_code.get(item_text or "") or by_label.get(_label_key(item_text or ""))
        code = (layanan or "").upper()
        excel_row = r + 1
        if item is None or code not in item.standar:
            _note(ctx, "peringatan", "kode_tidak_dikenal",
                  f"Baris {excel_row}: layanan '{layanan or ''}' / item "
                  f"'{item_text or ''}' tidak ada di katalog; baris diabaikan.",
                  sheet.name, f"A{excel_row}")
            continue
        if (code, item.kode) in out:
            _note(ctx, "galat", "harga_ganda",
                  f"Baris {excel_row}: harga {code} / {item.label} sudah ada di baris "
                  "sebelumnya; yang dipakai baris pertama.", sheet.name, f"A{excel_row}")
            continue
        standar = _number(ctx, sheet, row, r, cols.get(labels.H_STANDAR), parse_decimal)
        harga = _number(ctx, sheet, row, r, cols[labels.H_HARGA], parse_rupiah)
        tersedia = _number(ctx, sheet, row, r, cols.get(labels.H_TERSEDIA), parse_decimal)
        sumber = cols.get(labels.H_SUMBER)
        out[(code, item.kode)] = Price(
            code, item.kode, item.standar[code] if standar is None else standar,
            harga or 0, tersedia or Decimal(0),
            (parse_text(row[sumber]) or "") if sumber is not None else "",
            f"{_col(cols[labels.H_HARGA])}{excel_row}")
    return out


def _budgets(ctx: _Ctx, sheet: _Sheet | None, cat: Catalogue) -> dict[str, Budget]:
    if sheet is None:
        _note(ctx, "galat", "sheet_hilang", f"Sheet {labels.ANGGARAN} tidak ada; anggaran "
              "dianggap 0.", labels.ANGGARAN)
        return {}
    head = _header(ctx, sheet, labels.ANGGARAN_HEADERS, ANGGARAN_KEYS)
    _missing_columns(ctx, sheet, head, labels.A_REALISASI)
    cols = head.columns
    codes = {s.kode for s in cat.layanan}
    out: dict[str, Budget] = {}
    for r in range(head.row + 1, len(sheet.grid)):
        row = sheet.grid[r]
        code = (parse_text(row[cols[labels.A_LAYANAN]]) or "").upper()
        if not code:
            continue
        if not _new_service_row(ctx, sheet, r, code, codes, out, "anggaran", "galat"):
            continue
        alokasi = _number(ctx, sheet, row, r, cols[labels.A_ALOKASI], parse_rupiah) or 0
        real = [_number(ctx, sheet, row, r, cols.get(label), parse_rupiah) or 0
                for label in labels.A_REALISASI]
        out[code] = Budget(code, alokasi, (real[0], real[1], real[2], real[3]))
    return out


def _new_service_row(ctx: _Ctx, sheet: _Sheet, r: int, code: str, codes: Collection[str],
                     seen: Collection[str], what: str, repeated: Severity) -> bool:
    """A row keyed by service code: an unknown or repeated code is reported and skipped."""
    if code not in codes:
        _note(ctx, "peringatan", "kode_tidak_dikenal",
              f"Baris {r + 1}: kode layanan '{code}' tidak dikenal; baris diabaikan.",
              sheet.name, f"A{r + 1}")
        return False
    if code in seen:
        _note(ctx, repeated, f"{what}_ganda",
              f"Baris {r + 1}: {what} {code} sudah ada di baris sebelumnya; yang "
              "dipakai baris pertama.", sheet.name, f"A{r + 1}")
        return False
    return True


def _number(ctx: _Ctx, sheet: _Sheet, row: list[object], r: int, c: int | None,
            parse: Callable[[object], tuple[T | None, str | None]]) -> T | None:
    """One numeric cell; a bad value is a finding and reads as empty."""
    if c is None:
        return None
    raw = row[c]
    value, error = parse(None if raw == "" else raw)
    if error is not None:
        ref = f"{_col(c)}{r + 1}"
        _note(ctx, "galat", "angka_tidak_valid", f"Sel {ref}: {error}", sheet.name, ref, raw)
    return value


# --- tables ---------------------------------------------------------------------------------

def _header(ctx: _Ctx, sheet: _Sheet, wanted: Sequence[str], keys: Sequence[str]) -> _Header:
    """The header row: the one with the most known labels that has all key labels."""
    by_key = _label_index(wanted)
    best: _Header | None = None
    closest: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    for r, row in enumerate(sheet.grid[:labels.HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        dups: list[tuple[str, int, int]] = []
        for c, value in enumerate(row):
            label = _match_label(value, by_key) if isinstance(value, str) else None
            if label is None:
                continue
            if label in cols:
                dups.append((label, r, c))
            else:
                cols[label] = c
        if len(cols) > len(closest):
            closest = cols
        if all(k in cols for k in keys) and (best is None or len(cols) > len(best.columns)):
            best, duplicates = _Header(r, cols), dups
    if best is None:
        missing = ", ".join(f"'{k}'" for k in keys if k not in closest)
        raise UnusableWorkbook(
            f"Baris judul kolom di sheet '{sheet.name}' berkas '{ctx.berkas}' tidak "
            f"ditemukan dalam {labels.HEADER_SEARCH_ROWS} baris pertama: label {missing} "
            "tidak ada. Pastikan judul kolom sama dengan templat.", sheet=sheet.name)
    for label, r, c in duplicates:
        _note(ctx, "peringatan", "kolom_ganda",
              f"Judul kolom '{label}' muncul lagi di {_col(c)}{r + 1}; yang dibaca "
              f"kolom {_col(best.columns[label])}.", sheet.name, f"{_col(c)}{r + 1}")
    _merged(ctx, sheet, best.row)
    return best


def _missing_columns(ctx: _Ctx, sheet: _Sheet, head: _Header, wanted: Sequence[str]) -> None:
    for label in wanted:
        if label not in head.columns:
            severity: Severity = "peringatan" if label in OPTIONAL_COLUMNS else "galat"
            _note(ctx, severity, "kolom_hilang",
                  f"Kolom '{label}' tidak ditemukan di baris judul (baris "
                  f"{head.row + 1}); tambahkan kembali kolom itu seperti di templat.",
                  sheet.name, f"A{head.row + 1}")


def _merged(ctx: _Ctx, sheet: _Sheet, header_row: int) -> None:
    """Merged cells reaching below the header: only their top-left cell holds a value."""
    for (r0, c0), (r1, c1) in sheet.merged:
        if r1 <= header_row:
            continue
        ref = f"{_col(c0)}{r0 + 1}:{_col(c1)}{r1 + 1}"
        _note(ctx, "galat", "sel_digabung",
              f"Sel {ref} digabung (merge). Di area data hanya sel kiri atas yang berisi "
              "nilai, sehingga baris/kolom lain terbaca kosong. Pisahkan gabungan sel "
              "(Unmerge) lalu isi setiap sel.", sheet.name, f"{_col(c0)}{r0 + 1}")


# --- service sheets -------------------------------------------------------------------------

def _service(ctx: _Ctx, sheet: _Sheet, service: Service, items: list[Item],
             optional: Sequence[Item] = (), switched_on: Sequence[str] = ()) -> ServiceRows:
    """One service sheet; an optional item is read when its column is there (SPEC 10)."""
    wanted = labels.data_headers([i.label for i in items], service.bencana)
    head = _header(ctx, sheet, [*wanted, *(i.label for i in optional)], SERVICE_KEYS)
    _missing_columns(ctx, sheet, head, wanted)
    for item in optional:
        if item.kode in switched_on and item.label not in head.columns:
            _note(ctx, "peringatan", "kolom_hilang",
                  f"Item {item.label} diaktifkan di sheet {labels.KONFIGURASI}, tetapi kolom "
                  f"'{item.label}' tidak ada di baris judul (baris {head.row + 1}); item ini "
                  "tidak dihitung. Buat templat baru dengan item opsional atau tambahkan "
                  "kolomnya sebelum kolom Keterangan.", sheet.name, f"A{head.row + 1}")
    items = [*items, *(i for i in optional if i.label in head.columns)]
    item_labels = [i.label for i in items]
    wanted = labels.data_headers(item_labels, service.bencana)
    cols = head.columns
    body, rows = _data_rows(sheet.grid, head.row, cols.get(labels.D_NO, -1),
                            cols[labels.D_NAMA])
    status = _status_matrix(ctx, sheet.name, body, rows,
                            [cols.get(label) for label in item_labels])
    person_labels = [label for label in wanted if label in cols
                     and label not in item_labels]
    columns = _columns(body, [cols[label] for label in person_labels])
    person = {label: _person_column(ctx, sheet.name, label, values, rows, cols[label])
              for label, values in zip(person_labels, columns, strict=True)}
    letters = {label: _col(c) for label, c in cols.items()}
    return ServiceRows(service.kode, sheet.name, [i.kode for i in items], status, rows,
                       letters, person)


def _status_matrix(ctx: _Ctx, sheet: str, body: Grid, rows: list[int],
                   columns: list[int | None]) -> StatusMatrix:
    """The int8 status matrix: one dict lookup per cell, in C; unseen spellings parsed once."""
    status = np.zeros((len(body), len(columns)), dtype=np.int8)
    present = [(j, c) for j, c in enumerate(columns) if c is not None]
    if not body or not present:
        return status
    pick = _picker([c for _, c in present])
    k = len(present)
    codes = np.fromiter(map(ctx.status_cache.get, chain.from_iterable(map(pick, body)),
                            repeat(-1)), dtype=np.int8, count=len(body) * k)
    codes = codes.reshape(len(body), k)
    for i, jj in np.argwhere(codes < 0).tolist():
        c = present[jj][1]
        codes[i, jj] = _status_slow(ctx, sheet, body[i][c], f"{_col(c)}{rows[i]}")
    status[:, [j for j, _ in present]] = codes
    return status


def _status_slow(ctx: _Ctx, sheet: str, raw: object, ref: str) -> int:
    """An unusual spelling: parse it once per distinct text; a bad mark counts as Butuh.

    Something was written in the cell, so the person most likely needs the item; reading
    it as needed-not-delivered claims no delivery the admin did not record.
    """
    error = ctx.status_errors.get(raw) if isinstance(raw, str) else None
    if error is None:
        code, error = parse_status(raw)
        if code is not None:
            if isinstance(raw, str):
                ctx.status_cache[raw] = code
            return code
        if isinstance(raw, str):
            ctx.status_errors[raw] = error or ""
    _note(ctx, "galat", "status_tidak_dikenal", f"Sel {ref}: {error} Sementara dihitung "
          "sebagai Butuh.", sheet, ref, raw)
    return BUTUH


def _person_column(ctx: _Ctx, sheet: str, label: str, values: list[object], rows: list[int],
                   c: int) -> list[object]:
    """Raw for No/NIK/No KK, parsed dates, stripped text; empty cells become None."""
    if label in RAW_COLUMNS:
        return [None if v == "" else v for v in values]
    if label not in DATE_COLUMNS:
        if set(map(type, values)) <= {str}:
            return [s or None for s in map(str.strip, values)]  # type: ignore[arg-type]
        return [parse_text(None if v == "" else v) for v in values]
    out: list[object] = [None if v == "" else v for v in values]
    for i in [i for i, v in enumerate(values) if v.__class__ is not date and v != ""]:
        parsed, error = parse_date(values[i])  # text, a serial number, a date with a time
        if error is not None:
            ref = f"{_col(c)}{rows[i]}"
            _note(ctx, "galat", "tanggal_tidak_valid", f"Sel {ref} ({label}): {error}",
                  sheet, ref, values[i])
        out[i] = parsed
    return out


# --- stamps ---------------------------------------------------------------------------------

def _saved_outputs(ctx: _Ctx) -> tuple[dict[str, Stamp], dict[str, Grid]]:
    """The stamps of output sheets already in the book (to detect stale results), and the
    top rows of those whose saved figures a consolidation compares (read once, here)."""
    wanted = {_label_key(labels.STAMP_VERSI): 0, _label_key(labels.STAMP_WAKTU): 1,
              _label_key(labels.STAMP_SIDIK): 2}
    out: dict[str, Stamp] = {}
    saved: dict[str, Grid] = {}
    for name in labels.OUTPUT_SHEETS:
        if name not in ctx.names:
            continue
        kept = name in labels.SAVED_SHEETS
        try:
            with calamine_guard():
                grid = ctx.source.rows(name, labels.SAVED_ROWS if kept else labels.STAMP_ROW)
        except Exception:  # an output sheet we cannot read is simply not stamped
            continue
        if kept:
            saved[name] = grid
        if len(grid) < labels.STAMP_ROW:
            continue
        row = grid[labels.STAMP_ROW - 1]
        found = ["", "", ""]
        for label, value in zip(row, row[1:], strict=False):
            slot = wanted.get(_label_key(label)) if isinstance(label, str) else None
            if slot is not None:
                found[slot] = _stamp_text(value)
        if any(found):
            out[name] = Stamp(*found)
    return out, saved


def _always(_: object) -> bool:
    return True


def _parse_weight(raw: object) -> tuple[Decimal | None, str | None]:
    """A weight as a fraction: 0,8, 0.8, 80% or 80 all mean 0.8."""
    percent = isinstance(raw, str) and raw.strip().endswith("%")
    value, error = parse_decimal(raw.strip().rstrip("%") if isinstance(raw, str) else raw)
    if value is None or error is not None:
        return None, error
    return (value / 100 if percent or value > 1 else value), None


def _parse_zero_rule(raw: object) -> tuple[ZeroTargetRule | None, str | None]:
    return _parse_choice(raw, labels.TANPA_SASARAN_TEXT)  # type: ignore[return-value]


def _parse_quality_mode(raw: object) -> tuple[QualityMode | None, str | None]:
    return _parse_choice(raw, labels.PERSEN_MUTU_TEXT)  # type: ignore[return-value]


_YES_NO = {"ya": labels.YA, "tidak": labels.TIDAK}


def _parse_yes_no(raw: object) -> tuple[bool | None, str | None]:
    if isinstance(raw, bool):
        return raw, None
    value, error = _parse_choice(raw, _YES_NO)
    return (None if value is None else value == "ya"), error


def _parse_choice(raw: object, choices: dict[str, str]) -> tuple[str | None, str | None]:
    """One of a fixed set of values, by its code or its shown text, any case."""
    text = parse_text(raw)
    if text is None:
        return None, None
    key = _label_key(text)
    for code, shown in choices.items():
        if key in (_label_key(code), _label_key(shown)):
            return code, None
    listed = " atau ".join(f"'{t}'" for t in choices.values())
    return None, f"Nilai '{display_value(raw)}' tidak dikenal; pilih {listed}."


def _label_values(grid: Grid, wanted: Sequence[str]) -> dict[str, tuple[object, int]]:
    """Label in column A, value in column B: label -> (value or None, 0-based row)."""
    by_key = _label_index(wanted)
    out: dict[str, tuple[object, int]] = {}
    for r, row in enumerate(grid):
        if not row or not isinstance(row[0], str):
            continue
        label = _match_label(row[0], by_key)
        if label is not None and label not in out:
            value = row[1] if len(row) > 1 else ""
            out[label] = (None if value == "" else value, r)
    return out


_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)$")


def _label_key(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(" *:")


def _label_index(wanted: Sequence[str]) -> dict[str, str]:
    """Normalised label -> label; a label's unit note is optional ("Alokasi" = "Alokasi (Rp)")."""
    index = {_label_key(label): label for label in wanted}
    for label in wanted:
        index.setdefault(_PAREN_SUFFIX.sub("", _label_key(label)), label)
    return index


def _match_label(text: str, by_key: dict[str, str]) -> str | None:
    """A header cell's label: exact up to case and spacing, or with a unit note appended."""
    key = _label_key(text)
    label = by_key.get(key)
    if label is None and key.endswith(")"):
        label = by_key.get(_PAREN_SUFFIX.sub("", key))
    return label


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _data_rows(grid: Grid, header: int, no_col: int, name_col: int) -> tuple[Grid, list[int]]:
    """The rows below the header that hold anything, with their Excel row numbers.

    Only a row whose name is blank can be skipped, so the other cells are looked at for
    those rows alone; usually there are none and the body is one slice.
    """
    width = len(grid[0]) if grid else 0
    below = grid[header + 1:]
    skip = {i for i, name in enumerate([row[name_col] for row in below])
            if isinstance(name, str) and not name.strip()
            and (below[i].count("") == width or _is_blank(below[i], no_col))}
    if not skip:
        return below, list(range(header + 2, len(grid) + 1))
    keep = [i for i in range(len(below)) if i not in skip]
    return [below[i] for i in keep], [i + header + 2 for i in keep]


def _picker(columns: list[int]) -> Callable[[list[object]], tuple[object, ...]]:
    """itemgetter that always returns a tuple, even for one column."""
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    return itemgetter(*columns)


def _columns(body: Grid, columns: list[int]) -> list[list[object]]:
    """Several columns of the body in one pass over its rows (row lists are touched once)."""
    if not columns:
        return []
    flat = list(chain.from_iterable(map(_picker(columns), body)))
    k = len(columns)
    return [flat[j::k] for j in range(k)]


def _is_blank(values: list[object], no_col: int) -> bool:
    """Only whitespace, apart from a running number in the No column: not a data row."""
    for c, v in enumerate(values):
        if c != no_col and (not isinstance(v, str) or v.strip()):
            return False
    return True


def _stamp_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return parse_text(value) or ""


_LETTERS: list[str] = []


def _col(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    while len(_LETTERS) <= index:
        n, letters = len(_LETTERS) + 1, ""
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        _LETTERS.append(letters)
    return _LETTERS[index]


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"rincian teknis: {type(exc).__name__}{': ' + text if text else ''}"
