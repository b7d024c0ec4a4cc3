"""NIK and No KK: normalising, checking and masking (SPEC 2.7).

A NIK is ``PP KK CC DDMMYY SSSS``: province, kab/kota and kecamatan of first registration
(not the current address), birth date with 40 added to the day for women, serial. The region
part is never used to decide where a person belongs. Checks return problem tuples so the
caller can attach sheet and cell; messages never hold the full number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from .regions import regions

Sex = Literal["L", "P"]
Problem = tuple[Literal["galat", "peringatan", "info"], str, str]  # severity, code, message

_SEPARATORS = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE]\+?\d+\s*$")


def mask_nik(value: object) -> str:
    """Keep the first 6 and last 2 digits, star the rest (logs and messages only)."""
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
    if type(raw) is str and len(raw) == 16 and raw.isascii() and raw.isdigit():
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
    if not (len(text) == 16 and text.isascii() and text.isdigit()):
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
    if text is None or (len(text) == 16 and text.isascii() and text.isdigit()):
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
