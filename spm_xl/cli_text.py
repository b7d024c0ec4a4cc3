"""argparse's own words in Bahasa Indonesia, and the examples shown by ``--help``.

argparse takes every message it prints (usage, headings, errors) through its module-level
``_`` (gettext); no Indonesian catalogue ships with Python, so ``install`` points that name
at this table. Any text not listed passes through unchanged.
"""

from __future__ import annotations

import argparse

ARGPARSE_ID: dict[str, str] = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "optional arguments": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak sah: %(value)r (pilih salah satu: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan sedikitnya satu nilai",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "unexpected option string: %s": "opsi tak terduga: %s",
}


def indonesian(text: str) -> str:
    return ARGPARSE_ID.get(text, text)


def install() -> None:
    """Make argparse speak Indonesian (before any parser is built: -h's help is set then)."""
    argparse._ = indonesian  # type: ignore[attr-defined]


EXAMPLES = """\
contoh:
  spm-xl templat --tingkat kabkota --kode 74.06 --tahun 2026
  spm-xl periksa SPM-Sosial-kabkota-7406-2026.xlsx
  spm-xl hitung SPM-Sosial-kabkota-7406-2026.xlsx --triwulan II
  spm-xl konsolidasi kiriman/ -o Konsolidasi-74-2026-TW2.xlsx --kode-provinsi 74
  spm-xl demo contoh-spm

kode keluar: 0 bersih atau hanya peringatan, 1 ada galat data (atau berkas ditolak),
2 berkas tidak dapat dipakai. Bantuan per perintah: spm-xl PERINTAH --help
"""
