"""The thin layer: the only module that talks to Excel, through xlwings (SPEC 6).

Every xlwings call the buttons make is here, in small functions over a book and sheet
names, so everything above (reading, writing output sheets, highlights, messages) runs on
Linux against the recording double in ``tests/xlwings_double.py``. ``CALLS`` lists each
xlwings attribute used (``X.attr`` read or called, ``X.attr=`` assigned); the tests check
the double saw nothing else. What these calls do in a real Excel is not verified here (see
the README, "Excel integration (checked only on paper)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xlwings as xw

Rgb = tuple[int, int, int]
CHUNK_ROWS = 5000  # rows per COM transfer when reading a sheet

#: no ``Sheet.name=`` and no ``Sheet.delete``: the buttons never rename or delete a sheet, so
#: a formula, name or chart on the admin's own sheets pointing into an output sheet keeps working
CALLS: frozenset[str] = frozenset({
    "Book.caller", "Book.name", "Book.app", "Book.sheets", "Book.activate", "Book.close",
    "App.books", "App.alert", "App.screen_updating", "App.screen_updating=",
    "App.status_bar=",
    "Books.open",
    "Sheets.__iter__", "Sheets.__getitem__", "Sheets.active", "Sheets.add",
    "Sheet.name", "Sheet.used_range", "Sheet.range", "Sheet.copy", "Sheet.cells",
    "Sheet.clear", "Sheet.charts", "Sheet.visible=", "Sheet.activate", "Sheet.clear_contents",
    "Charts.__len__", "Charts.__iter__", "Chart.delete", "Chart.api",
    "Range.last_cell", "Range.row", "Range.column", "Range.options", "Range.value",
    "Range.value=", "Range.merge_cells", "Range.merge_area", "Range.color", "Range.color=",
    "Range.copy",
})


def caller() -> xw.Book:
    """The workbook whose button ran us (``RunPython``)."""
    return xw.Book.caller()


# --- reading -----------------------------------------------------------------------------

def book_name(book: xw.Book) -> str:
    """The workbook's file name, e.g. ``Bombana-2026.xlsm``."""
    return book.name


def sheet_names(book: xw.Book) -> list[str]:
    """Worksheet names in tab order (xlwings lists worksheets only, no chart sheets)."""
    return [s.name for s in book.sheets]


def used_extent(book: xw.Book, sheet: str) -> tuple[int, int]:
    """Last row and column (1-based) of the sheet's used range."""
    last = book.sheets[sheet].used_range.last_cell
    return last.row, last.column


def values(book: xw.Book, sheet: str, rows: int, cols: int, *,
           errors_as_text: bool = True) -> list[list[object]]:
    """The values of A1 to (rows, cols), always a list of rows.

    COM gives numbers as float, dates as datetime, an empty cell as None, an error value as
    its integer code (VT_ERROR); text stays text, so a NIK typed as text keeps all 16 digits.
    xlwings (``_xlwindows._clean_value_data_element``) turns the seven classic error codes
    into None, or with ``err_to_str`` into their text (``"#N/A"``); newer ones (``#SPILL!``,
    ``#CALC!``) stay integers either way. Large sheets are fetched in chunks of rows (one huge
    COM transfer can fail for lack of memory).
    """
    grid: list[list[object]] = book.sheets[sheet].range((1, 1), (rows, cols)).options(
        ndim=2, chunksize=CHUNK_ROWS, err_to_str=errors_as_text).value
    return grid


def merge_state(book: xw.Book, sheet: str, first: tuple[int, int],
                last: tuple[int, int]) -> bool | None:
    """``MergeCells`` of a block: True all merged, False none, None some."""
    state: bool | None = book.sheets[sheet].range(first, last).merge_cells
    return state


def merge_area(book: xw.Book, sheet: str, cell: tuple[int, int]) -> tuple[int, int, int, int]:
    """The merged area holding a cell: first row, first column, last row, last column."""
    area = book.sheets[sheet].range(cell).merge_area
    last = area.last_cell
    return area.row, area.column, last.row, last.column


# --- colours -----------------------------------------------------------------------------

def fill(book: xw.Book, sheet: str, cell: str) -> Rgb | None:
    """A cell's fill colour; None when it has no fill."""
    return book.sheets[sheet].range(cell).color


def set_fill(book: xw.Book, sheet: str, cell: str, rgb: Rgb | None) -> None:
    """Set (or with None remove) a cell's fill colour; nothing else of the cell changes."""
    book.sheets[sheet].range(cell).color = rgb


# --- sheets of the calling book ------------------------------------------------------------

def active_sheet(book: xw.Book) -> str:
    return book.sheets.active.name


def activate_sheet(book: xw.Book, sheet: str) -> None:
    book.sheets[sheet].activate()


def add_hidden_sheet(book: xw.Book, sheet: str, after: str) -> None:
    """A new hidden sheet after ``after`` (hidden, not very hidden: xlwings has no API for it)."""
    new = book.sheets.add(sheet, after=book.sheets[after])
    new.visible = False


def replace_values(book: xw.Book, sheet: str, rows: list[list[object]]) -> None:
    """Clear the sheet's contents, then write ``rows`` from A1 in one call."""
    target = book.sheets[sheet]
    target.clear_contents()
    if rows:
        target.range((1, 1)).value = rows


def clear_sheet(book: xw.Book, sheet: str) -> None:
    """Clear a sheet's cells (values, formats, merges); the sheet itself and its charts stay."""
    book.sheets[sheet].clear()


def chart_count(book: xw.Book, sheet: str) -> int:
    return len(book.sheets[sheet].charts)


def delete_charts(book: xw.Book, sheet: str) -> None:
    """Delete every chart on a sheet (used on the temporary rendered book only)."""
    for chart in list(book.sheets[sheet].charts):
        chart.delete()


def relink_charts(book: xw.Book, sheet: str, other: str) -> None:
    """Point the charts of ``sheet`` back into ``book``: cells copied from the book ``other``
    bring its charts along with series referring to ``'[other]Sheet'!$A$1``."""
    pattern = re.compile(r"(?<=')[^'\[]*\[" + re.escape(other) + r"\]|\[" + re.escape(other)
                         + r"\]")
    for chart in book.sheets[sheet].charts:
        com = chart.api[1]
        for i in range(1, com.SeriesCollection().Count + 1):
            series = com.SeriesCollection(i)
            series.Formula = pattern.sub("", series.Formula)


# --- other books ---------------------------------------------------------------------------

def open_book(book: xw.Book, path: Path) -> xw.Book:
    """Open a file read-only in the same Excel instance (sheets copy only within one)."""
    return book.app.books.open(str(path), read_only=True, update_links=False,
                               add_to_mru=False)


def copy_sheet(source: xw.Book, sheet: str, target: xw.Book, after: str) -> None:
    """Copy a whole sheet (cells, formats, charts, links) into ``target`` after ``after``."""
    source.sheets[sheet].copy(after=target.sheets[after])


def copy_cells(source: xw.Book, sheet: str, target: xw.Book, target_sheet: str) -> None:
    """Copy every cell of a sheet (values, formulas, formats, merges, links, column widths,
    row heights, and charts placed over them) onto another sheet, which stays itself."""
    source.sheets[sheet].cells.copy(target.sheets[target_sheet].cells)


def close_book(book: xw.Book) -> None:
    book.close()


def activate_book(book: xw.Book) -> None:
    book.activate()


# --- the application -----------------------------------------------------------------------

@contextmanager
def screen_frozen(book: xw.Book) -> Iterator[None]:
    """No screen redraw while we work (faster; no flashing of the temporary book)."""
    app = book.app
    before = app.screen_updating
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = before


def status(book: xw.Book, text: str | None) -> None:
    """Show ``text`` in Excel's status bar; None gives the status bar back to Excel."""
    book.app.status_bar = text if text is not None else False


def alert(book: xw.Book, text: str, title: str, *, critical: bool = False) -> None:
    """A message box with an OK button."""
    book.app.alert(text, title=title, mode="critical" if critical else "info")
