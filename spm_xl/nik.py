"""NIK and No KK: normalising, checking and masking (SPEC 2.7).

A NIK is ``PP KK CC DDMMYY SSSS``: province, kab/kota and kecamatan of first registration
(not the current address), birth date with 40 added to the day for women, serial. The region
part is never used to decide where a person belongs. Checks return problem tuples so the
caller can attach sheet and cell; messages never hold the full number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import compress
from typing import Literal, TypeGuard, cast

import numpy as np
import numpy.typing as npt

from .regions import regions

Sex = Literal["L", "P"]
Problem = tuple[Literal["galat", "peringatan", "info"], str, str]  # severity, code, message

_SEPARATORS = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE]\+?\d+\s*$")


def sixteen_digits(value: object) -> TypeGuard[str]:
    """A plain 16-digit ASCII text: the already-clean NIK/No KK nearly every row holds."""
    return type(value) is str and len(value) == 16 and value.isascii() and value.isdigit()


def plain_mask(values: Iterable[object]) -> list[bool]:
    """``sixteen_digits`` of every value of a column, without a call per cell (hot path)."""
    return [type(v) is str and len(v) == 16 and v.isascii() and v.isdigit()
            for v in values]


#: a NIK-shaped digit sequence whatever its separators (space, dot, dash, slash, zero-width
#: and bidi marks): 9+ digits in one run, or 12+ digits split by separators
_NIK_SHAPED = re.compile(
    "\\d{9,}|\\d(?:[\\s.\\-/\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*\\d){11,}")


def mask_text(text: str) -> str:
    """Any text with every NIK-shaped digit sequence in it masked (first 6 and last 2)."""
    if sum(map(text.count, "0123456789")) < 9:  # most messages: ten scans in C, no regex
        return text
    return _NIK_SHAPED.sub(lambda m: mask_nik("".join(c for c in m.group() if c.isdigit())),
                           text)


def mask_nik(value: object) -> str:
    """Keep the first 6 and last 2 digits, star the rest (logs and messages only)."""
    if isinstance(value, float) and value.is_integer():  # a NIK typed as a number
        value = int(value)  # "7406051508950000", not "7406051508950000.0"
    text = "" if value is None else str(value).strip()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 8) + text[-2:]


@dataclass(frozen=True, slots=True)
class NikInfo:
    nik: str
    provinsi: str  # "74"
    kabkota: str  # "74.06"
    kecamatan: str  # "74.06.01"
    lahir: date
    jenis_kelamin: Sex


def clean(raw: object) -> tuple[str | None, Problem | None]:
    """The NIK/KK as a digit string, or a problem when it was stored as a number.

    Excel keeps 15 significant digits, so a 16-digit number typed into a General cell has
    already lost its last digit: it cannot be repaired, only re-typed as Text.
    """
    if raw is None:
        return None, None
    if sixteen_digits(raw):
        return raw, None  # the common case, without the regular expressions
    if isinstance(raw, bool):
        return None, ("galat", "nik_bukan_teks", "NIK/No KK berisi nilai logika, bukan teks.")
    if isinstance(raw, (int, float)):
        return None, ("galat", "nik_angka",
                      "NIK/No KK tersimpan sebagai angka sehingga digit terakhirnya sudah hilang "
                      "(Excel hanya menyimpan 15 digit). Format kolom sebagai Teks lalu ketik "
                      "ulang nomornya.")
    text = str(raw).strip()
    if not text or text == "-":
        return None, None
    if _SCIENTIFIC.match(text):
        return None, ("galat", "nik_notasi_ilmiah",
                      "NIK/No KK tertulis dalam notasi ilmiah (mis. 3.27E+15); digitnya sudah "
                      "hilang. Format kolom sebagai Teks lalu ketik ulang nomornya.")
    return _SEPARATORS.sub("", text), None


def check_nik(raw: object, ref_year: int) -> tuple[NikInfo | None, list[Problem]]:
    """Parse one NIK cell; ``ref_year`` (the report year) fixes the birth century."""
    text, problem = clean(raw)
    if problem:
        return None, [problem]
    if text is None:
        return None, [("info", "nik_kosong",
                       "NIK kosong; baris dicocokkan dengan nama dan tanggal lahir. "
                       "Fasilitasi dokumen kependudukan dapat dicatat sebagai kebutuhan.")]
    if not sixteen_digits(text):
        return None, [("galat", "nik_panjang",
                       f"NIK harus 16 digit angka; yang tertulis {len(text)} karakter.")]
    prov = text[:2]
    table = regions()
    if prov not in table.provinsi:
        return None, [("galat", "nik_provinsi",
                       f"Kode provinsi {prov} pada NIK bukan salah satu dari 38 provinsi.")]
    born = _birth(text[6:12], ref_year)
    if isinstance(born, str):
        return None, [("galat", "nik_tanggal", born)]
    if text[12:] == "0000":
        return None, [("galat", "nik_urut", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")]
    kab = f"{prov}.{text[2:4]}"
    problems: list[Problem] = []
    k = table.kabkota.get(kab)
    if k is None:
        problems.append(("peringatan", "nik_kabkota",
                         f"Kode kab/kota {kab} pada NIK tidak ada dalam daftar wilayah terkini "
                         "(kode lama tetap berlaku pada NIK lama)."))
    elif text[4:6] not in k.kecamatan:
        problems.append(("peringatan", "nik_kecamatan",
                         f"Kode kecamatan {kab}.{text[4:6]} pada NIK tidak ada dalam daftar "
                         "wilayah terkini (kode lama tetap berlaku pada NIK lama)."))
    day, sex = born
    return NikInfo(text, prov, kab, f"{kab}.{text[4:6]}", day, sex), problems


def check_kk(raw: object) -> list[Problem]:
    """No KK: 16 digits when present (a warning otherwise)."""
    text, problem = clean(raw)
    if problem:
        return [("peringatan", problem[1].replace("nik", "kk"), problem[2])]
    if text is None or sixteen_digits(text):
        return []
    return [("peringatan", "kk_panjang",
             f"No KK harus 16 digit angka; tertulis {len(text)} karakter.")]


@lru_cache(maxsize=65536)
def _birth(ddmmyy: str, ref_year: int) -> tuple[date, Sex] | str:
    dd, mm, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    if not 1 <= mm <= 12:
        return f"Bulan lahir pada NIK ({mm:02d}) harus 01-12."
    if 1 <= dd <= 31:
        sex: Sex = "L"
    elif 41 <= dd <= 71:
        sex, dd = "P", dd - 40
    else:
        return f"Tanggal lahir pada NIK ({dd:02d}) harus 01-31 (laki-laki) atau 41-71 (perempuan)."
    century = 2000 if 2000 + yy <= ref_year else 1900
    try:
        return date(century + yy, mm, dd), sex
    except ValueError:
        return f"Tanggal lahir pada NIK ({dd:02d}-{mm:02d}-{yy:02d}) bukan tanggal kalender."


@dataclass(frozen=True, slots=True)
class NikBatch:
    """``check_nik`` over a whole column: arrays for the rules that follow, problems by index."""
    valid: npt.NDArray[np.bool_]  # a usable NIK (possibly with warnings)
    nik: list[str | None]  # the normalised NIK where valid
    lahir: npt.NDArray[np.datetime64]  # birth date implied by the NIK (NaT where invalid)
    perempuan: npt.NDArray[np.bool_]
    problems: dict[int, list[Problem]]


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@lru_cache(maxsize=1)
def _known_codes() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Province (PP), kab/kota (PPKK) and kecamatan (PPKKCC) codes as sorted integers."""
    table = regions()
    prov = np.array(sorted(int(p) for p in table.provinsi), dtype=np.int64)
    kab = np.array(sorted(int(k.replace(".", "")) for k in table.kabkota), dtype=np.int64)
    kec = np.array(sorted(int(k.replace(".", "")) * 100 + int(c)
                          for k, v in table.kabkota.items() for c in v.kecamatan), dtype=np.int64)
    return prov, kab, kec


def check_niks(values: list[object], ref_year: int) -> NikBatch:
    """Check a column of NIK cells at once; same results as ``check_nik`` on each.

    Plain 16-digit texts with valid, known fields (nearly all of them) are settled with numpy
    arithmetic; only the rest go through ``check_nik`` for their exact messages. This is what
    keeps a province's million rows within the consolidation's time budget.
    """
    n = len(values)
    plain = plain_mask(values)
    idx = np.flatnonzero(np.array(plain, dtype=np.bool_))
    valid = np.zeros(n, dtype=np.bool_)
    lahir = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    perempuan = np.zeros(n, dtype=np.bool_)
    nik: list[str | None] = [None] * n
    if len(idx):
        texts = cast(list[str], list(compress(values, plain)))
        d = (np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(-1, 16)
             .astype(np.int64) - 48)
        pair = d[:, 0::2] * 10 + d[:, 1::2]  # PP KK CC DD MM YY SS SS
        prov, kab, kec, dd, mm, yy = (pair[:, k] for k in range(6))
        serial = pair[:, 6] * 100 + pair[:, 7]
        female = dd > 40
        day = np.where(female, dd - 40, dd)
        year = np.where(2000 + yy <= ref_year, 2000 + yy, 1900 + yy)
        month_ok = (mm >= 1) & (mm <= 12)
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        dim = _DAYS_IN_MONTH[np.clip(mm, 0, 12)] + ((mm == 2) & leap)
        known_prov, known_kab, known_kec = _known_codes()
        code4 = prov * 100 + kab
        clean = (month_ok & (((dd >= 1) & (dd <= 31)) | ((dd >= 41) & (dd <= 71)))
                 & (day >= 1) & (day <= dim) & (serial > 0)
                 & np.isin(prov, known_prov) & np.isin(code4, known_kab)
                 & np.isin(code4 * 100 + kec, known_kec))
        ok = idx[clean]
        valid[ok] = True
        perempuan[ok] = female[clean]
        births = ((year[clean] - 1970).astype("datetime64[Y]")
                  + (mm[clean] - 1).astype("timedelta64[M]")).astype("datetime64[D]") \
            + (day[clean] - 1).astype("timedelta64[D]")
        lahir[ok] = births
        for i in ok.tolist():
            nik[i] = str(values[i])
    problems: dict[int, list[Problem]] = {}
    for i in np.flatnonzero(~valid).tolist():  # the rest, one by one, for exact messages
        info, found = check_nik(values[i], ref_year)
        if found:
            problems[i] = found
        if info is not None:
            valid[i] = True
            nik[i] = info.nik
            lahir[i] = np.datetime64(info.lahir, "D")
            perempuan[i] = info.jenis_kelamin == "P"
    return NikBatch(valid, nik, lahir, perempuan, problems)


def check_kks(values: list[object]) -> dict[int, list[Problem]]:
    """``check_kk`` over a column; plain 16-digit texts and empty cells pass without work."""
    out: dict[int, list[Problem]] = {}
    plain = plain_mask(values)
    for i in [i for i, v in enumerate(values) if v is not None and not plain[i]]:
        found = check_kk(values[i])
        if found:
            out[i] = found
    return out
