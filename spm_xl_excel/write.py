"""Output sheets into the workbook open in Excel: the file path's rendering, then a copy.

The sheets are rendered by the very same ``render_outputs`` (XlsxWriter) as ``spm-xl
hitung``, into a temporary .xlsx that Excel opens read-only, so both paths write the same
cells by construction. An output sheet the admin's book already has is **rewritten in
place**: cleared, then every cell of the rendered sheet copied onto it. It is never renamed
or deleted, so a formula such as ``=Capaian!E6``, a defined name or a chart on the admin's
own sheets keeps pointing at it (Excel rewrites such references when a sheet is renamed and
turns them into ``#REF!`` when it is deleted). Charts: when the sheet already has charts they
stay (their series point at cells of the same sheet, which now hold the new figures) and the
rendered ones are dropped before the copy; otherwise the rendered ones come along with the
cells and their series are pointed back into the admin's book. A missing output sheet is
copied in whole after the last sheet (Excel points a copied sheet's charts at the copy).
Input sheets are never written here.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
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

LOCKED = ("Sheet hasil tidak dapat ditulis ke buku kerja ini. Bila struktur buku kerja "
          "dikunci (Tinjau > Proteksi Buku Kerja), buka kuncinya lalu klik tombol lagi.")
PROTECTED = ("Sheet '{sheet}' tidak dapat ditulis ulang karena sheetnya dikunci. Buka "
             "kuncinya (Tinjau > Buka Proteksi Lembar) lalu klik tombol lagi.")
Progress = Callable[[str], None]


def write_output_sheets(book: xw.Book, render: Render,
                        progress: Progress = lambda _: None) -> list[str]:
    """Rewrite (or add) every sheet ``render`` produces; returns their names."""
    with tempfile.TemporaryDirectory(prefix="spm-xl-", ignore_cleanup_errors=True) as folder:
        # a fresh name: Excel cannot open two books of the same name at once
        path = Path(folder) / f"spm-xl-hasil-{secrets.token_hex(4)}.xlsx"
        path.write_bytes(render_bytes(render))
        rendered = xl.open_book(book, path)
        try:
            names = xl.sheet_names(rendered)
            for name in names:
                progress(f"menulis sheet {name}")
                _write(book, rendered, path.name, name)
            return names
        finally:
            xl.close_book(rendered)
            xl.activate_book(book)


def _write(book: xw.Book, rendered: xw.Book, rendered_name: str, name: str) -> None:
    sheets = xl.sheet_names(book)
    old = next((s for s in sheets if s.casefold() == name.casefold()), None)
    if old is None:
        after = [s for s in sheets if s != BOOK_SHEET][-1]
        try:
            xl.copy_sheet(rendered, name, book, after)
        except Exception as exc:  # COM refuses: a protected structure, a read-only share
            raise UnusableWorkbook(LOCKED, sheet=name) from exc
        return
    keep_charts = xl.chart_count(book, old) > 0
    if keep_charts:
        xl.delete_charts(rendered, name)
    try:
        xl.clear_sheet(book, old)
        xl.copy_cells(rendered, name, book, old)
    except Exception as exc:  # a protected sheet
        raise UnusableWorkbook(PROTECTED.format(sheet=old), sheet=old) from exc
    if not keep_charts:
        xl.relink_charts(book, old, rendered_name)
