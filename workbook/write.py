"""Output sheets into the workbook open in Excel: the file path's rendering, then a sheet copy.

The sheets are rendered by the very same ``render_outputs`` (XlsxWriter) as ``spm-xl
hitung``, into a temporary .xlsx that Excel opens read-only; each rendered sheet is copied
into the admin's workbook in place of the old one (same position; a missing one goes after
the last sheet) and the temporary book is closed and deleted. Both paths therefore write
the same cells by construction. A copied sheet keeps working in its new book: the Dashboard's
charts draw from cells on the Dashboard itself and the Pemeriksaan links are locations
(``'K1 Disabilitas'!M12``) that resolve in whichever book holds the sheet. Input sheets are
never written here.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from spm_xl.book.splice import (
    Render,
    render_bytes,  # the file path's exact settings
)
from spm_xl.findings import UnusableWorkbook

from . import xl
from .highlight import BOOK_SHEET

if TYPE_CHECKING:
    import xlwings as xw

PARKED = "spm-xl lama"  # the old output sheet's name while its replacement is copied in

LOCKED = ("Sheet hasil tidak dapat ditulis ke buku kerja ini. Bila struktur buku kerja "
          "dikunci (Tinjau > Proteksi Buku Kerja), buka kuncinya lalu klik tombol lagi.")


def write_output_sheets(book: xw.Book, render: Render) -> list[str]:
    """Replace (or add) every sheet ``render`` produces; returns their names."""
    with tempfile.TemporaryDirectory(prefix="spm-xl-", ignore_cleanup_errors=True) as folder:
        # a fresh name: Excel cannot open two books of the same name at once
        path = Path(folder) / f"spm-xl-hasil-{secrets.token_hex(4)}.xlsx"
        path.write_bytes(render_bytes(render))
        rendered = xl.open_book(book, path)
        try:
            names = xl.sheet_names(rendered)
            for name in names:
                _replace(book, rendered, name)
            return names
        finally:
            xl.close_book(rendered)
            xl.activate_book(book)


def _replace(book: xw.Book, rendered: xw.Book, name: str) -> None:
    sheets = xl.sheet_names(book)
    old = next((s for s in sheets if s.casefold() == name.casefold()), None)
    if old is None:
        after = [s for s in sheets if s != BOOK_SHEET][-1]
        _copy(rendered, name, book, after)
        return
    parked = _free_name(sheets)
    try:
        xl.rename_sheet(book, old, parked)
    except Exception as exc:  # a protected workbook structure
        raise UnusableWorkbook(LOCKED, sheet=old) from exc
    try:
        _copy(rendered, name, book, parked)
    except UnusableWorkbook:
        xl.rename_sheet(book, parked, old)
        raise
    xl.delete_sheet(book, parked)


def _copy(rendered: xw.Book, name: str, book: xw.Book, after: str) -> None:
    try:
        xl.copy_sheet(rendered, name, book, after)
    except Exception as exc:  # COM refuses: a protected structure, a read-only share
        raise UnusableWorkbook(LOCKED, sheet=name) from exc


def _free_name(sheets: list[str]) -> str:
    taken = {s.casefold() for s in sheets}
    n = 1
    while f"{PARKED} {n}".casefold() in taken:
        n += 1
    return f"{PARKED} {n}"
