"""Worksheet functions for Excel (xlwings UDFs): ``UDF Modules = spm_xl_excel.functions``.

Thin wrappers over the library's own functions, so a cell gives the same answer as the
checks and the engine. Each wrapper's parameters and result are annotated ``Any`` on
purpose: xlwings turns a UDF's type hints into value converters, and a union such as
``float | str`` has none (the call would fail inside Excel). The typed logic is in the
private helpers below, tested on Linux; ``@xw.func`` only records metadata there.

- ``SPM_NIK_VALID(nik)``: TRUE when the NIK passes the format checks (no *galat*).
- ``SPM_NIK_INFO(nik; [bagian])``: one text "provinsi; kab/kota; dd-mm-yyyy; jenis kelamin"
  (works in every Excel without array formulas), or one part when ``bagian`` is
  "provinsi", "kabkota", "lahir" (a real date) or "jk"; an invalid NIK gives the reason.
- ``SPM_INDEKS(persen_penerima; persen_mutu)``: the index with the catalogue's default
  weights (0.8 / 0.2), rounded half-up to 2 decimals; percentages as 0-100.
- ``SPM_KATEGORI(indeks)``: the category of an index (0-100) on the default ladder.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import xlwings as xw

from spm_xl.book.cells import parse_decimal
from spm_xl.engine import category, combined_index, round_half_up
from spm_xl.nik import NikInfo, check_nik
from spm_xl.records import default_settings
from spm_xl.regions import regions

CATEGORY = "SPM-XL"
PARTS = ("provinsi", "kabkota", "lahir", "jk")
SEX_TEXT = {"L": "Laki-laki", "P": "Perempuan"}


@xw.func(category=CATEGORY)
@xw.arg("nik", doc="NIK 16 digit, sebaiknya dari sel berformat Teks.")
def SPM_NIK_VALID(nik: Any) -> Any:  # noqa: N802 - the name Excel shows
    """TRUE bila NIK lolos pemeriksaan format (16 digit, provinsi, tanggal lahir, nomor urut)."""
    return _nik(nik)[0] is not None


@xw.func(category=CATEGORY)
@xw.arg("nik", doc="NIK 16 digit, sebaiknya dari sel berformat Teks.")
@xw.arg("bagian", doc='Kosong untuk semua, atau "provinsi", "kabkota", "lahir", "jk".')
def SPM_NIK_INFO(nik: Any, bagian: Any = None) -> Any:  # noqa: N802
    """Provinsi, kab/kota, tanggal lahir dan jenis kelamin menurut NIK."""
    return nik_info(nik, bagian)


@xw.func(category=CATEGORY)
@xw.arg("persen_penerima", doc="Persen penerima terlayani, 0-100.")
@xw.arg("persen_mutu", doc="Persen mutu terpenuhi, 0-100.")
def SPM_INDEKS(persen_penerima: Any, persen_mutu: Any) -> Any:  # noqa: N802
    """Indeks pencapaian SPM dengan bobot bawaan (0,8 penerima + 0,2 mutu)."""
    return index(persen_penerima, persen_mutu)


@xw.func(category=CATEGORY)
@xw.arg("indeks", doc="Indeks pencapaian, 0-100.")
def SPM_KATEGORI(indeks: Any) -> Any:  # noqa: N802
    """Kategori capaian (Tuntas Paripurna ... Belum Tuntas) dari sebuah indeks."""
    return index_category(indeks)


# --- the typed logic -------------------------------------------------------------------------

def nik_info(nik: object, part: object = None) -> str | date | None:
    info, reason = _nik(nik)
    if info is None:
        return None if reason is None else f"NIK tidak valid: {reason}"
    key = str(part or "").strip().casefold().replace("/", "").replace(" ", "")
    table = regions()
    province = table.provinsi.get(info.provinsi, info.provinsi)
    kab = table.kabkota.get(info.kabkota)
    kabkota = kab.nama if kab else f"kode {info.kabkota} (tidak ada di daftar terkini)"
    born = info.lahir.strftime("%d-%m-%Y")
    sex = SEX_TEXT[info.jenis_kelamin]
    if key == "":
        return f"{province}; {kabkota}; {born}; {sex}"
    answers: dict[str, str | date] = {"provinsi": province, "kabkota": kabkota,
                                      "lahir": info.lahir, "jk": sex}
    if key not in answers:
        return f"Bagian '{part}' tidak dikenal; pilih {', '.join(PARTS)} atau kosongkan."
    return answers[key]


def index(pct_recipients: object, pct_quality: object) -> float | str | None:
    a, error_a = _percent(pct_recipients, "Persen penerima")
    b, error_b = _percent(pct_quality, "Persen mutu")
    if error_a or error_b:
        return error_a or error_b
    if a is None or b is None:
        return None
    value = combined_index(Fraction(a), Fraction(b), default_settings())
    return float(round_half_up(value))


def index_category(value: object) -> str | None:
    idx, error = _percent(value, "Indeks")
    if error:
        return error
    return None if idx is None else category(Fraction(idx), default_settings())


def _nik(raw: object) -> tuple[NikInfo | None, str | None]:
    """The parsed NIK, or the first error's message (None for an empty cell)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    info, problems = check_nik(raw, date.today().year)
    if info is not None:
        return info, None
    return None, next((p[2] for p in problems if p[0] == "galat"), "format tidak dikenal.")


def _percent(raw: object, what: str) -> tuple[Decimal | None, str | None]:
    value, error = parse_decimal(raw)
    if error is not None:
        return None, f"{what}: {error}"
    if value is not None and value > 100:
        return None, f"{what} harus antara 0 dan 100, bukan {value}."
    return value, None
