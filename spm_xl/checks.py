"""Checks: every rule of SPEC 2.3 and 2.7 that turns records into findings.

The reader already reported cells it could not parse; these rules look at what was read:
identity, prices, budget, recipients (NIK, No KK, ages, duplicates) and stale outputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import numpy as np

from . import labels
from .catalogue import load_catalogue
from .findings import Finding
from .nik import Problem, check_kk, check_nik, mask_nik
from .records import NOT_NEEDED, ServiceRows, WorkbookData
from .regions import KABKOTA_CODE, PROVINCE_CODE, region_name

#: services whose recipients must be 60 or older / younger than 18 at the start of the year
ELDERLY = {"K3", "P3"}
CHILDREN = {"K2", "P2"}
#: identity columns whose content makes a row "a person" even with no item marked
_IDENTITY_COLUMNS = (labels.D_NIK, labels.D_KK, labels.D_NAMA, labels.D_LAHIR, labels.D_ALAMAT)


def check_workbook(data: WorkbookData, fingerprint: str | None = None) -> list[Finding]:
    """All findings about one workbook, the reader's own first."""
    findings = list(data.findings)
    findings += _identity(data)
    findings += _prices(data)
    findings += _budget(data)
    seen: dict[str, list[str]] = defaultdict(list)  # NIK -> services holding it
    for rows in data.services.values():
        findings += _recipients(rows, data.identity.tahun, seen, data.settings.ambang_bencana)
    for nik, services in seen.items():
        if len(services) > 1:
            findings.append(Finding(
                "info", "nik_lintas_layanan",
                f"NIK {mask_nik(nik)} terdaftar di beberapa layanan ({', '.join(services)}); "
                "wajar bila orang yang sama membutuhkan beberapa layanan.",
                nilai=mask_nik(nik)))
    if fingerprint is not None:
        findings += stale_outputs(data, fingerprint)
    return findings


def stale_outputs(data: WorkbookData, fingerprint: str) -> list[Finding]:
    """An output sheet whose stamp was made from other inputs is stale."""
    out = []
    for sheet, stamp in sorted(data.stamps.items()):
        if stamp.sidik and stamp.sidik != fingerprint:
            out.append(Finding(
                "peringatan", "hasil_usang",
                f"Sheet {sheet} dihitung pada {stamp.waktu} dari data yang sudah berubah; "
                "klik Hitung Ulang atau jalankan spm-xl hitung.",
                sheet=sheet, sel=f"A{labels.STAMP_ROW}"))
    return out


def _identity(data: WorkbookData) -> Iterator[Finding]:
    ident = data.identity
    sheet = labels.IDENTITAS
    pattern = KABKOTA_CODE if ident.tingkat == "kabkota" else PROVINCE_CODE
    if not pattern.match(ident.kode):
        example = "74.06" if ident.tingkat == "kabkota" else "74"
        yield Finding("galat", "kode_wilayah_format",
                      f"Kode Wilayah '{ident.kode}' tidak sesuai tingkat "
                      f"{labels.TINGKAT_TEXT[ident.tingkat]} (contoh: {example}).", sheet)
    elif region_name(ident.kode) is None:
        yield Finding("galat", "kode_wilayah_tidak_dikenal",
                      f"Kode Wilayah '{ident.kode}' tidak ada dalam daftar wilayah Kemendagri.",
                      sheet)
    if not 2018 <= ident.tahun <= 2100:
        yield Finding("galat", "tahun", f"Tahun {ident.tahun} di luar rentang 2018-2100.", sheet)


def _prices(data: WorkbookData) -> Iterator[Finding]:
    needed: dict[tuple[str, str], int] = {}
    for rows in data.services.values():
        counts = (rows.status != NOT_NEEDED).sum(axis=0)
        for j, item in enumerate(rows.items):
            needed[(rows.kode, item)] = int(counts[j])
    cat = load_catalogue()
    for (service, item), n in needed.items():
        price = data.prices.get((service, item))
        label = next(i.label for i in cat.item if i.kode == item)
        if price is None:
            if n:
                yield Finding("galat", "harga_tidak_ada",
                              f"Baris harga {service} / {label} tidak ada di sheet "
                              f"{labels.HARGA}; biayanya tidak dapat dihitung.", labels.HARGA)
            continue
        if n and price.harga == 0:
            yield Finding("peringatan", "harga_nol",
                          f"{service} / {label} dibutuhkan {n} penerima tetapi harga satuannya "
                          "0; biaya kebutuhan dihitung Rp 0.", labels.HARGA, price.sel_harga,
                          "0")
        if price.standar <= 0 and n:
            yield Finding("peringatan", "standar_nol",
                          f"Standar per penerima untuk {service} / {label} adalah "
                          f"{price.standar}; volume kebutuhan menjadi 0.", labels.HARGA)


def _budget(data: WorkbookData) -> Iterator[Finding]:
    for code, entry in sorted(data.budgets.items()):
        spent = sum(entry.realisasi)
        if spent > entry.alokasi:
            yield Finding("peringatan", "realisasi_lebih",
                          f"Realisasi {code} (Rp {spent:,}) melebihi alokasi "
                          f"(Rp {entry.alokasi:,}).".replace(",", "."), labels.ANGGARAN)


def _recipients(rows: ServiceRows, year: int, seen: dict[str, list[str]],
                disaster_limit: int) -> Iterator[Finding]:
    """Row-level rules for one service sheet."""
    sheet, person, cols = rows.sheet, rows.person, rows.columns
    recipient = rows.recipients
    empty: list[object] = [None] * len(rows.rows)
    niks, kks = person.get(labels.D_NIK, empty), person.get(labels.D_KK, empty)
    names, births = person.get(labels.D_NAMA, empty), person.get(labels.D_LAHIR, empty)
    sexes = person.get(labels.D_JK, empty)
    nik_col, kk_col = cols.get(labels.D_NIK, "B"), cols.get(labels.D_KK, "C")
    first_row_of: dict[str, int] = {}
    by_name: dict[tuple[str, date], int] = {}
    start = date(year, 1, 1)
    for i, row in enumerate(rows.rows):
        if not recipient[i]:
            if any(person.get(c, empty)[i] is not None for c in _IDENTITY_COLUMNS):
                yield Finding("peringatan", "penerima_tanpa_kebutuhan",
                              f"Baris {row} berisi data orang tetapi tidak ada item yang ditandai; "
                              "baris ini tidak dihitung sebagai penerima.", sheet, f"A{row}")
            continue
        info, problems = check_nik(niks[i], year)
        yield from _cell_findings(problems, sheet, f"{nik_col}{row}", niks[i])
        yield from _cell_findings(check_kk(kks[i]), sheet, f"{kk_col}{row}", kks[i])
        raw_birth = births[i]
        birth: date | None = raw_birth if isinstance(raw_birth, date) else None
        if info is not None:
            if info.nik in first_row_of:
                yield Finding("galat", "nik_ganda",
                              f"NIK {mask_nik(info.nik)} sudah dipakai di baris "
                              f"{first_row_of[info.nik]} sheet ini.", sheet,
                              f"{nik_col}{row}", mask_nik(info.nik))
            else:
                first_row_of[info.nik] = row
                seen[info.nik].append(rows.kode)
            if birth is not None and birth != info.lahir:
                yield Finding("peringatan", "nik_tanggal_beda",
                              f"Tanggal lahir {birth:%d-%m-%Y} berbeda dengan yang tersirat di NIK "
                              f"({info.lahir:%d-%m-%Y}).", sheet, _cell(cols, labels.D_LAHIR, row))
            sex = sexes[i]
            if isinstance(sex, str) and sex.strip().upper() in ("L", "P") \
                    and sex.strip().upper() != info.jenis_kelamin:
                yield Finding("peringatan", "nik_jk_beda",
                              f"Jenis kelamin '{sex}' berbeda dengan yang tersirat di NIK "
                              f"({info.jenis_kelamin}).", sheet, _cell(cols, labels.D_JK, row))
            birth = birth or info.lahir
        elif niks[i] is None and isinstance(name := names[i], str) and birth is not None:
            key = (" ".join(name.lower().split()), birth)
            if key in by_name:
                yield Finding("peringatan", "nama_lahir_ganda",
                              f"Tanpa NIK, nama dan tanggal lahir sama dengan baris {by_name[key]};"
                              " periksa apakah orang yang sama tercatat dua kali.", sheet,
                              _cell(cols, labels.D_NAMA, row))
            else:
                by_name[key] = row
        if birth is not None:
            age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
            if rows.kode in ELDERLY and age < 60:
                yield Finding("peringatan", "usia_lansia",
                              f"Umur {age} tahun pada awal tahun {year}; layanan lanjut usia untuk "
                              "umur 60 tahun ke atas.", sheet, _cell(cols, labels.D_LAHIR, row))
            if rows.kode in CHILDREN and age >= 18:
                yield Finding("peringatan", "usia_anak",
                              f"Umur {age} tahun pada awal tahun {year}; layanan anak untuk umur "
                              "di bawah 18 tahun.", sheet, _cell(cols, labels.D_LAHIR, row))
    yield from _disaster_events(rows, disaster_limit)


def _disaster_events(rows: ServiceRows, limit: int) -> Iterator[Finding]:
    """K5 events with more victims than the kab/kota threshold belong with the province."""
    events = rows.person.get(labels.D_KEJADIAN)
    if not rows.kode.startswith("K") or events is None:
        return
    recipient = rows.recipients
    names = np.array([" ".join(str(e).split()) if e is not None else "" for e in events],
                     dtype=object)
    for name in sorted(set(names[recipient]) - {""}):
        n = int(((names == name) & recipient).sum())
        if n > limit:
            yield Finding("peringatan", "bencana_melebihi_ambang",
                          f"Kejadian bencana '{name}' memiliki {n} korban (> {limit}); "
                          "koordinasikan penanganannya dengan provinsi.", rows.sheet)


def _cell(columns: dict[str, str], label: str, row: int) -> str | None:
    col = columns.get(label)
    return f"{col}{row}" if col else None


def _cell_findings(problems: list[Problem], sheet: str, cell: str,
                   raw: object) -> Iterator[Finding]:
    for severity, code, message in problems:
        yield Finding(severity, code, message, sheet, cell, mask_nik(raw))
