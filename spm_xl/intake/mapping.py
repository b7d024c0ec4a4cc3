"""Which column of a list feeds which column of a service sheet.

A list's header row is found among its first rows by header synonyms (``NOMOR NIK``,
``NAMA LENGKAP``, ``L/P``, ``TGL LAHIR`` ...). The DTKS extract layout (17 columns from
``ID DTKS`` to ``HUBUNGAN KELUARGA``) is recognised as such, also in its ``|`` text form
without a header line. ``--kolom "NIK=No Identitas"`` overrides a match. Every column the
workbook has no place for is dropped and named, so the admin sees what was left out (data
minimisation, UU 27/2022).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import labels
from ..findings import UnusableWorkbook

#: the DTKS extract's columns, in order
DTKS_COLUMNS = ("ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN",
                "ALAMAT", "DUSUN", "RT", "RW", "NOMOR KK", "NOMOR NIK", "NAMA",
                "TANGGAL LAHIR", "TEMPAT LAHIR", "JENIS KELAMIN", "NAMA IBU KANDUNG",
                "HUBUNGAN KELUARGA")
#: the DTKS address parts folded into Alamat, so the person can still be found
DTKS_ADDRESS_PARTS = ("DUSUN", "RT", "RW")

#: workbook label -> header spellings seen on lists (compared after ``header_key``)
SYNONYMS: dict[str, tuple[str, ...]] = {
    labels.D_NIK: ("NIK", "NOMOR NIK", "No. NIK", "No NIK", "Nomor Induk Kependudukan",
                   "NIK KTP", "No KTP", "Nomor KTP"),
    labels.D_KK: ("No KK", "NOMOR KK", "No. KK", "Nomor Kartu Keluarga", "NO KARTU KELUARGA",
                  "KK"),
    labels.D_NAMA: ("Nama", "NAMA LENGKAP", "Nama Penerima", "Nama PM", "Nama Anggota",
                    "Nama Lengkap Penerima"),
    labels.D_JK: ("Jenis Kelamin", "JK", "L/P", "Laki-laki/Perempuan", "Kelamin", "Sex",
                  "Gender", "J/K"),
    labels.D_LAHIR: ("Tanggal Lahir", "TGL LAHIR", "TGL. LAHIR", "Tgl Lahir", "TANGGAL LAHIR",
                     "Tanggal Lahir (dd/mm/yyyy)"),
    labels.D_ALAMAT: ("Alamat", "ALAMAT LENGKAP", "Alamat Tinggal", "Alamat Domisili"),
    labels.D_DESA: ("Desa/Kelurahan", "Desa", "Kelurahan", "DESA/KEL", "Kel/Desa",
                    "Desa / Kelurahan", "Nama Desa"),
    labels.D_KECAMATAN: ("Kecamatan", "KEC", "Nama Kecamatan"),
    labels.D_ASESMEN: ("Tanggal Asesmen", "Tgl Asesmen", "Tanggal Assessment"),
    labels.D_KEJADIAN: ("Kejadian Bencana", "Bencana", "Jenis Bencana", "Nama Kejadian"),
    labels.D_TGL_KEJADIAN: ("Tanggal Kejadian", "Tgl Kejadian", "Tanggal Bencana"),
    labels.D_RENTAN: ("Kelompok Rentan", "Rentan"),
    labels.D_KETERANGAN: ("Keterangan", "Catatan", "Ket"),
}
#: at least one of these must be matched for a row to be the header row
IDENTITY_LABELS = (labels.D_NIK, labels.D_NAMA)
SEARCH_ROWS = labels.HEADER_SEARCH_ROWS


def header_key(text: object) -> str:
    """``'No. NIK '`` -> ``'no nik'``: case, punctuation and spacing do not matter."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


_INDEX = {header_key(s): label for label, spellings in SYNONYMS.items() for s in spellings}
_DTKS_KEYS = tuple(header_key(c) for c in DTKS_COLUMNS)


@dataclass(slots=True)
class ColumnMapping:
    """The chosen mapping: header row, workbook label -> list column, and what is dropped."""
    header_row: int | None  # 0-based; None for a DTKS text file without a header line
    columns: dict[str, int]
    headers: list[str]  # the header text of every list column
    dropped: list[str] = field(default_factory=list)
    dtks: bool = False
    #: list columns folded into Alamat (DTKS: Dusun, RT, RW)
    address_parts: list[tuple[str, int]] = field(default_factory=list)

    def source(self, label: str) -> str:
        return self.headers[self.columns[label]]


def parse_overrides(specs: Sequence[str], wanted: Sequence[str]) -> dict[str, str]:
    """``["NIK=No Identitas"]`` -> {workbook label: list header}; bad specs raise."""
    by_key = {header_key(w): w for w in wanted}
    for label, spellings in SYNONYMS.items():
        if label in wanted:
            for s in spellings:
                by_key.setdefault(header_key(s), label)
    out: dict[str, str] = {}
    for spec in specs:
        target, sep, source = spec.partition("=")
        found = by_key.get(header_key(target))
        if not sep or not source.strip() or found is None:
            raise UnusableWorkbook(
                f"--kolom '{spec}' tidak dapat dipakai: tulis KOLOM_BUKU=JUDUL_DAFTAR, misalnya "
                f"--kolom \"NIK=No Identitas\". Kolom buku: {', '.join(wanted)}.")
        out[found] = source.strip()
    return out


def choose_mapping(rows: list[list[object]], wanted: Sequence[str], name: str,
                   overrides: dict[str, str] | None = None,
                   delimiter: str | None = None) -> ColumnMapping:
    """Find the header row and match its columns to ``wanted`` workbook labels."""
    overrides = overrides or {}
    override_keys = {header_key(v): k for k, v in overrides.items()}
    best: tuple[int, int, dict[str, int]] | None = None
    for r, row in enumerate(rows[:SEARCH_ROWS]):
        cols = _match(row, wanted, override_keys)
        if not any(k in cols for k in IDENTITY_LABELS):
            continue
        if best is None or len(cols) > len(best[2]):
            best = (r, len(cols), cols)
    if best is None:
        if delimiter == "|" and rows and len(rows[0]) == len(DTKS_COLUMNS):
            return _dtks_by_position(wanted)
        raise UnusableWorkbook(
            f"Baris judul kolom daftar '{name}' tidak ditemukan dalam {SEARCH_ROWS} baris "
            "pertama: tidak ada kolom NIK atau Nama yang dikenali. Pakai --kolom, misalnya "
            "--kolom \"NIK=No Identitas\" --kolom \"Nama=Nama Penerima\".")
    r, _, cols = best
    headers = [" ".join(str(v).split()) for v in rows[r]]
    present = {header_key(h) for h in headers}
    missing = [label for label, source in overrides.items() if header_key(source) not in present]
    if missing:
        raise UnusableWorkbook(
            f"--kolom: judul '{overrides[missing[0]]}' tidak ada di baris judul daftar "
            f"'{name}' (baris {r + 1}). Judul yang ada: "
            f"{', '.join(repr(h) for h in headers if h)}.")
    dtks = tuple(header_key(v) for v in rows[r][:len(DTKS_COLUMNS)]) == _DTKS_KEYS
    return _finish(ColumnMapping(r, cols, headers, dtks=dtks))


def _match(row: list[object], wanted: Sequence[str],
           override_keys: dict[str, str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    taken: set[str] = set()
    for c, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        key = header_key(value)
        label = override_keys.get(key) or _INDEX.get(key)
        if label is None or label not in wanted or label in taken:
            continue
        cols[label] = c
        taken.add(label)
    # an override wins over a synonym match of the same label
    for key, label in override_keys.items():
        for c, value in enumerate(row):
            if isinstance(value, str) and header_key(value) == key:
                cols[label] = c
    return cols


def _dtks_by_position(wanted: Sequence[str]) -> ColumnMapping:
    headers = list(DTKS_COLUMNS)
    cols = {}
    for c, h in enumerate(headers):
        label = _INDEX.get(header_key(h))
        if label is not None and label in wanted and label not in cols:
            cols[label] = c
    return _finish(ColumnMapping(None, cols, headers, dtks=True))


def _finish(m: ColumnMapping) -> ColumnMapping:
    used = set(m.columns.values())
    if m.dtks and labels.D_ALAMAT in m.columns:
        keys = [header_key(h) for h in m.headers]
        for part in DTKS_ADDRESS_PARTS:
            k = header_key(part)
            if k in keys:
                m.address_parts.append((part, keys.index(k)))
                used.add(keys.index(k))
    m.dropped = [h for c, h in enumerate(m.headers) if c not in used and h]
    return m

