"""Checks: every rule of SPEC 2.3 and 2.7 that turns records into findings.

The reader already reported cells it could not parse; these rules look at what was read:
identity, prices, budget, recipients (NIK, No KK, ages, duplicates) and stale outputs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from typing import cast

import numpy as np
import numpy.typing as npt

from . import labels
from .catalogue import load_catalogue
from .checks_quarter import quarter_checks
from .findings import MAX_PER_KIND, Finding, Kind, capped, listed
from .nik import Problem, check_kks, check_niks, mask_nik
from .records import NOT_NEEDED, ServiceRows, WorkbookData
from .regions import KABKOTA_CODE, PROVINCE_CODE, region_name
from .rules import domain_findings

#: services whose recipients must be 60 or older / younger than 18 at the start of the year
ELDERLY = {"K3", "P3"}
CHILDREN = {"K2", "P2"}
#: identity columns whose content makes a row "a person" even with no item marked
_IDENTITY_COLUMNS = (labels.D_NIK, labels.D_KK, labels.D_NAMA, labels.D_LAHIR, labels.D_ALAMAT)
#: every person column some rule here reads: what the input fingerprint must cover
RULE_COLUMNS = (*_IDENTITY_COLUMNS, labels.D_JK, labels.D_KEJADIAN, labels.D_ASESMEN)
#: what an admin may type in Jenis Kelamin and what it means (anything else is flagged)
SEX_TEXT = {"L": "L", "P": "P", "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKI": "L", "PRIA": "L",
            "PEREMPUAN": "P", "WANITA": "P"}
#: fingerprints of the inputs per reported quarter (``fingerprint.fingerprints``)
Fingerprints = Mapping[int, str]


def check_workbook(data: WorkbookData,
                   fingerprint: str | Fingerprints | None = None) -> list[Finding]:
    """All findings about one workbook, the reader's own first."""
    findings = list(data.findings)
    findings += _identity(data)
    findings += quarter_checks(data)
    findings += _prices(data)
    findings += _budget(data)
    findings += domain_findings(data)
    seen: dict[str, list[str]] = defaultdict(list)  # NIK -> services holding it
    counted: Counter[Kind] = Counter()  # row findings per kind, built up to the cap
    for rows in data.services.values():
        findings += _recipients(rows, data.identity.tahun, seen, data.settings.ambang_bencana,
                                counted)
    for nik, services in seen.items():
        if len(services) > 1:
            findings.append(Finding(
                "info", "nik_lintas_layanan",
                f"NIK {mask_nik(nik)} terdaftar di beberapa layanan ({', '.join(services)}); "
                "wajar bila orang yang sama membutuhkan beberapa layanan.",
                nilai=mask_nik(nik)))
    if fingerprint is not None:
        findings += stale_outputs(data, fingerprint)
    return capped(findings, counted=counted)


def stale_outputs(data: WorkbookData, fingerprint: str | Fingerprints) -> list[Finding]:
    """Output sheets whose stamp was made from other inputs are stale: one finding for all.

    A stamp made for another quarter (``hitung --triwulan``) from the same data is not stale;
    it is said once as info, so the admin knows the sheets do not show Identitas' quarter.
    """
    own = data.identity.triwulan
    sidik = {own: fingerprint} if isinstance(fingerprint, str) else dict(fingerprint)
    stale: list[str] = []
    other: dict[int, list[str]] = defaultdict(list)
    for sheet, stamp in sorted(data.stamps.items()):
        if not stamp.sidik or stamp.sidik == sidik.get(own):
            continue
        q = next((q for q, s in sidik.items() if s == stamp.sidik), None)
        if q is None:
            stale.append(sheet)
        else:
            other[q].append(sheet)
    out = []
    if stale:
        when = data.stamps[stale[0]].waktu
        out.append(Finding(
            "peringatan", "hasil_usang",
            f"Sheet {', '.join(stale)} dihitung pada {when} dari data yang sudah berubah; "
            "klik Hitung Ulang atau jalankan spm-xl hitung.",
            sheet=stale[0], sel=f"A{labels.STAMP_ROW}"))
    for q, sheets in sorted(other.items()):
        out.append(Finding(
            "info", "hasil_triwulan_lain",
            f"Sheet {', '.join(sheets)} dihitung untuk Triwulan {labels.QUARTER_ROMAN[q - 1]} "
            f"(spm-xl hitung --triwulan {q}), sedangkan {labels.IDENTITAS} menyebut Triwulan "
            f"{labels.QUARTER_ROMAN[own - 1] if 1 <= own <= 4 else own}.",
            sheet=sheets[0], sel=f"A{labels.STAMP_ROW}"))
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
                disaster_limit: int, counted: Counter[Kind]) -> Iterator[Finding]:
    """Row-level rules for one service sheet, column-wise so a million rows stay fast."""
    sheet, person, cols, kode = rows.sheet, rows.person, rows.columns, rows.kode
    recipient = rows.recipients
    empty: list[object] = [None] * len(rows.rows)
    for i in np.flatnonzero(~recipient).tolist():
        if any(person.get(c, empty)[i] is not None for c in _IDENTITY_COLUMNS):
            row = rows.rows[i]
            yield Finding("peringatan", "penerima_tanpa_kebutuhan",
                          f"Baris {row} berisi data orang tetapi tidak ada item yang ditandai; "
                          "baris ini tidak dihitung sebagai penerima.", sheet, f"A{row}")
    idx = np.flatnonzero(recipient).tolist()
    excel_rows = [rows.rows[i] for i in idx]

    def column(label: str) -> list[object]:
        values = person.get(label, empty)
        if len(idx) == len(values):  # every row is a recipient, as usual
            return list(values)
        return [values[i] for i in idx]

    niks, kks, names = column(labels.D_NIK), column(labels.D_KK), column(labels.D_NAMA)
    nik_col, kk_col = cols.get(labels.D_NIK, "B"), cols.get(labels.D_KK, "C")
    batch = check_niks(niks, year)
    for j, problems in batch.problems.items():
        yield from _cell_findings(problems, sheet, f"{nik_col}{excel_rows[j]}", niks[j],
                                  counted)
    for j, problems in check_kks(kks).items():
        yield from _cell_findings(problems, sheet, f"{kk_col}{excel_rows[j]}", kks[j],
                                  counted)
    valid_at = np.flatnonzero(batch.valid).tolist()
    valid_niks = cast(list[str], [batch.nik[j] for j in valid_at])  # valid: never None
    if len(set(valid_niks)) < len(valid_niks):  # some NIK is listed twice in this sheet
        first_row_of: dict[str, int] = {}
        for j, key in zip(valid_at, valid_niks, strict=True):
            if key in first_row_of:
                yield Finding("galat", "nik_ganda",
                              f"NIK {mask_nik(key)} sudah dipakai di baris {first_row_of[key]} "
                              "sheet ini.", sheet, f"{nik_col}{excel_rows[j]}", mask_nik(key))
            else:
                first_row_of[key] = excel_rows[j]
    for key in dict.fromkeys(valid_niks):  # each NIK once, in row order
        seen[key].append(kode)
    typed = _date_array(column(labels.D_LAHIR))
    nik_birth = batch.lahir
    differs = batch.valid & ~np.isnat(typed) & (typed != nik_birth)
    for j in _first(differs, counted, (sheet, "nik_tanggal_beda", "peringatan")):
        yield Finding("peringatan", "nik_tanggal_beda",
                      f"Tanggal lahir {_dmy(typed[j])} berbeda dengan tanggal lahir yang "
                      "tersirat di NIK (digit ke-7 sampai ke-12; untuk perempuan tanggalnya "
                      "ditambah 40). Periksa salah satunya.", sheet,
                      _cell(cols, labels.D_LAHIR, excel_rows[j]))
    sexes = column(labels.D_JK)
    spellings: dict[object, str] = {}  # a column holds a handful of distinct spellings
    typed_sex = np.array([spellings[s] if s in spellings else spellings.setdefault(s, _sex(s))
                          for s in sexes])
    for j in _first(typed_sex == "?", counted, (sheet, "jk_tidak_dikenal", "peringatan")):
        yield Finding("peringatan", "jk_tidak_dikenal",
                      f"Jenis kelamin '{sexes[j]}' tidak dikenal; isi L atau P.", sheet,
                      _cell(cols, labels.D_JK, excel_rows[j]), str(sexes[j])[:20])
    wrong_sex = batch.valid & (((typed_sex == "L") & batch.perempuan)
                               | ((typed_sex == "P") & ~batch.perempuan))
    for j in _first(wrong_sex, counted, (sheet, "nik_jk_beda", "peringatan")):
        implied = "P" if batch.perempuan[j] else "L"
        yield Finding("peringatan", "nik_jk_beda",
                      f"Jenis kelamin '{sexes[j]}' berbeda dengan yang tersirat di NIK "
                      f"({implied}).", sheet, _cell(cols, labels.D_JK, excel_rows[j]))
    by_name: dict[tuple[str, object], int] = {}
    for j in [j for j, raw in enumerate(niks) if raw is None]:
        name = names[j]
        if isinstance(name, str) and not np.isnat(typed[j]):
            who = (" ".join(name.lower().split()), typed[j])
            if who in by_name:
                yield Finding("peringatan", "nama_lahir_ganda",
                              f"Tanpa NIK, nama dan tanggal lahir sama dengan baris "
                              f"{by_name[who]}; periksa apakah orang yang sama tercatat dua kali.",
                              sheet, _cell(cols, labels.D_NAMA, excel_rows[j]))
            else:
                by_name[who] = excel_rows[j]
    if kode in ELDERLY or kode in CHILDREN:
        birth = np.where(np.isnat(typed), nik_birth, typed)
        known = ~np.isnat(birth)
        born_year = birth.astype("datetime64[Y]")
        # age at 1 January: a birthday later in the year has not come yet
        age = (year - 1970 - born_year.astype(np.int64)
               - (birth > born_year.astype("datetime64[D]")))
        young, old = known & (age < 60), known & (age >= 18)
        code = "usia_lansia" if kode in ELDERLY else "usia_anak"
        for j in _first(young if kode in ELDERLY else old, counted, (sheet, code, "peringatan")):
            cell = _cell(cols, labels.D_LAHIR, excel_rows[j])
            if kode in ELDERLY:
                yield Finding("peringatan", "usia_lansia",
                              f"Umur {age[j]} tahun pada awal tahun {year}; layanan lanjut usia "
                              "untuk umur 60 tahun ke atas.", sheet, cell)
            else:
                yield Finding("peringatan", "usia_anak",
                              f"Umur {age[j]} tahun pada awal tahun {year}; layanan anak untuk "
                              "umur di bawah 18 tahun.", sheet, cell)
    yield from _disaster_events(rows, disaster_limit)


_EPOCH = date(1970, 1, 1).toordinal()


def _first(rows: npt.NDArray[np.bool_], counted: Counter[Kind], kind: Kind) -> list[int]:
    """The rows of ``rows`` still listed for ``kind``, all of them counted (``listed`` for a
    whole column at once)."""
    at = np.flatnonzero(rows)
    room = max(MAX_PER_KIND - counted[kind], 0)
    counted[kind] += len(at)
    return [int(j) for j in at[:room]]


def _sex(value: object) -> str:
    """L, P, "" for empty, "?" for anything else (Laki-laki/Perempuan read as L/P)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not isinstance(value, str):
        return "?"
    return SEX_TEXT.get(" ".join(value.strip().upper().split()), "?")


def _date_array(values: list[object]) -> npt.NDArray[np.datetime64]:
    """Dates (or datetimes) as datetime64[D], NaT elsewhere; via ordinals, which is fast."""
    nat = np.iinfo(np.int64).min
    days = np.array([v.toordinal() - _EPOCH if isinstance(v, date) else nat for v in values],
                    dtype=np.int64)
    return days.astype("datetime64[D]")  # int64 min is NaT


def _dmy(day: np.datetime64) -> str:
    return f"{day.astype(date):%d-%m-%Y}"


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


def _cell_findings(problems: list[Problem], sheet: str, cell: str, raw: object,
                   counted: Counter[Kind]) -> Iterator[Finding]:
    """A cell's findings; past the cap of their kind only counted (a column of 50,000 blank
    NIKs builds 200 findings, not 50,000)."""
    for severity, code, message in problems:
        if listed(counted, (sheet, code, severity)):
            yield Finding(severity, code, message, sheet, cell, mask_nik(raw))
