"""The two buttons' entry points, called by ``RunPython`` from ``spm_xl_excel/vba/SpmXl.bas``.

``import spm_xl_excel.buttons as b; b.periksa_data()`` / ``b.hitung_ulang()``: each works on the
calling workbook, ends with a short message box in Bahasa Indonesia and never lets a Python
traceback reach the admin (``SPM_XL_DEBUG=1`` lets it through, for developers).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from spm_xl import labels
from spm_xl.engine import round_half_up
from spm_xl.findings import Severity, UnusableWorkbook, counts
from spm_xl.nik import mask_nik

from . import run, xl
from .highlight import MAX_CELLS

if TYPE_CHECKING:
    import xlwings as xw

TITLE = "SPM-XL"


def periksa_data() -> None:
    """Button Periksa Data: check the data, colour the offending cells, list every finding."""
    _button(run.check, check_message)


def hitung_ulang() -> None:
    """Button Hitung Ulang: check, compute and write the output sheets."""
    _button(run.recompute, recompute_message)


def _button(action: Callable[[xw.Book], run.Run], message: Callable[[run.Run], str]) -> None:
    """Run ``action`` on the calling book and always tell the admin how it ended.

    Where no message box can be shown, the text goes to stderr and the process exits with
    1: the xlwings add-in then shows that log in a message box of its own.
    """
    try:
        book = xl.caller()
    except Exception as exc:  # started outside Excel, or Excel did not hand the book over
        sys.stderr.write("spm-xl: fungsi ini dijalankan oleh tombol Periksa Data / Hitung "
                         "Ulang di Excel; buku kerja pemanggilnya tidak dapat dihubungi ("
                         f"{type(exc).__name__}).\n")
        raise SystemExit(1) from None
    critical = True
    try:
        with xl.screen_frozen(book):
            result = action(book)
        text, critical = message(result), False
    except UnusableWorkbook as exc:
        text = exc.pesan
    except Exception as exc:
        if os.environ.get("SPM_XL_DEBUG"):
            raise
        text = unexpected_message(exc)
    finally:
        with contextlib.suppress(Exception):
            xl.status(book, None)
    try:
        xl.alert(book, text, TITLE, critical=critical)
    except Exception:  # Excel went away meanwhile: the add-in shows the log instead
        sys.stderr.write(text + "\n")
        raise SystemExit(1) from None


def check_message(result: run.Run) -> str:
    c = counts(result.evaluation.findings)
    if not any(c.values()):
        lines = ["Periksa Data selesai: tidak ada temuan. Data siap dihitung: klik Hitung "
                 "Ulang."]
    else:
        lines = [f"Periksa Data selesai: {_counts_text(c)}."]
    lines += _highlight_lines(result)
    if any(c.values()):
        lines.append("Daftar lengkap ada di sheet Pemeriksaan; klik alamat sel di sana untuk "
                     "melompat ke selnya.")
    return "\n".join(lines)


def recompute_message(result: run.Run) -> str:
    ev = result.evaluation
    ident = ev.data.identity
    roman = labels.QUARTER_ROMAN[ident.triwulan - 1]
    c = counts(ev.findings)
    lines = [f"Hitung Ulang selesai: {ident.nama or 'wilayah tanpa nama'}, Triwulan {roman} "
             f"tahun {ident.tahun}."]
    index = ev.result.indeks_daerah[ident.triwulan - 1]
    if index is None:
        lines.append(f"Indeks SPM Bidang Sosial TW {roman}: tidak ada sasaran.")
    else:
        lines.append(f"Indeks SPM Bidang Sosial TW {roman}: {_decimal_text(round_half_up(index))} "
                     f"({ev.result.kategori_daerah[ident.triwulan - 1]}).")
    lines.append(f"Temuan: {_counts_text(c)}.")
    lines += _highlight_lines(result)
    if c["galat"]:
        lines.append("Ada galat: perbaiki sel yang berwarna merah muda lalu klik Hitung Ulang "
                     "lagi. Angka di atas dihitung dari data sebagaimana terbaca.")
    lines.append(f"Hasil ditulis ke sheet {', '.join(result.sheets)}. Simpan buku kerja "
                 "(Ctrl+S) agar hasilnya tersimpan.")
    return "\n".join(lines)


def unexpected_message(exc: BaseException) -> str:
    """A failure we did not foresee, in one sentence, with no full NIK in it."""
    detail = " ".join(str(exc).split())[:160]
    detail = re.sub(r"\d{16}", lambda m: mask_nik(m.group(0)), detail)
    return ("Terjadi kesalahan yang tidak terduga sehingga pekerjaan dihentikan "
            f"({type(exc).__name__}{': ' + detail if detail else ''}). Simpan buku kerja, "
            "tutup Excel, buka lagi dan ulangi. Bila tetap terjadi, kirim pesan ini kepada "
            "pengelola spm-xl.")


def _highlight_lines(result: run.Run) -> list[str]:
    h = result.highlights
    lines = []
    if h.coloured:
        lines.append(f"{h.coloured} sel diwarnai: merah muda = galat, kuning = peringatan.")
    if h.capped:
        lines.append(f"Hanya {MAX_CELLS} sel pertama yang diwarnai; sisanya ada di daftar.")
    if h.cleared:
        lines.append(f"Warna sorotan sebelumnya dikembalikan pada {h.cleared} sel yang sudah "
                     "tidak bermasalah.")
    if h.failed:
        lines.append(f"{h.failed} sel tidak dapat diwarnai (sheetnya terkunci).")
    return lines


def _counts_text(c: dict[Severity, int]) -> str:
    return f"{c['galat']} galat, {c['peringatan']} peringatan, {c['info']} info"


def _decimal_text(value: Decimal) -> str:
    """85.5 -> "85,50": the decimal comma an Indonesian reader expects."""
    return f"{value:.2f}".replace(".", ",")
