"""The reader's ``SheetSource`` over a workbook open in Excel (xlwings).

Cells are normalised to what python-calamine gives for the same saved file, so the button
and ``spm-xl hitung`` read identical records, findings and input fingerprint: numbers
float, empty and error cells ``""``, midnight datetimes ``date``, time-only values ``time``.
Error values are remembered per sheet and reported through the reader's own
``error_value_findings``, as the file path reports the ``t="e"`` cells of the saved file;
the file path's size limit (``safe.check_sheet_size``) is applied to every sheet before
anything is read, with the same message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from xlsxwriter.utility import xl_rowcol_to_cell

from spm_xl.book.reader import error_value_findings, error_value_sheets, read_source
from spm_xl.book.safe import MAX_ERROR_CELLS, check_sheet_size, sheet_key
from spm_xl.book.source import Grid, Merge
from spm_xl.findings import UnusableWorkbook
from spm_xl.records import WorkbookData

from . import xl

if TYPE_CHECKING:
    import xlwings as xw

T = TypeVar("T")
#: COM's day zero: a time of day alone arrives as this date plus the time
_DAY_ZERO = date(1899, 12, 30)
_PLAIN = frozenset({str, float, bool, date})
Box = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)
#: an error value arrives as the HRESULT 0x800A0000 + Excel's CVErr number
_VT_ERROR_BASE = -2146828288
#: Excel's CVErr numbers (XlCVError) and their text, as a saved file stores it
CVERR = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?",
         2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!",
         2046: "#CONNECT!", 2047: "#BLOCKED!", 2048: "#UNKNOWN!", 2049: "#FIELD!",
         2050: "#CALC!"}
#: the texts ``err_to_str`` gives (xlwings maps these seven codes; a typed text can match too)
ERROR_TEXTS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
#: COM failures with a cause worth naming (HRESULT -> what to tell the admin)
_BUSY = ("Excel sedang sibuk: ada sel yang sedang disunting atau kotak dialog yang terbuka. "
         "Tekan Enter atau Esc, tutup kotak dialognya, lalu klik tombol lagi.")
_MEMORY = ("Excel kehabisan memori untuk sheet sebesar ini. Tutup buku kerja lain lalu klik "
           "tombol lagi, atau simpan dan jalankan spm-xl hitung di Command Prompt.")
_GONE = ("Excel tertutup atau berhenti merespons selama pembacaan. Buka lagi buku kerjanya "
         "lalu klik tombol lagi.")
COM_CAUSES = {-2147418111: _BUSY, -2147417846: _BUSY, -2147024882: _MEMORY,
              -2147024888: _MEMORY, -2147417848: _GONE, -2147023174: _GONE,
              -2147023170: _GONE}
Progress = Callable[[str], None]


def read_book(book: xw.Book, progress: Progress = lambda _: None) -> WorkbookData:
    """The open workbook's inputs, as ``read_workbook`` reads the saved file."""
    source = XlwingsSource(book, progress)
    source.check_size()
    data = read_source(source)
    data.findings += error_value_findings(source.error_cells(error_value_sheets(data)))
    return data


class XlwingsSource:
    """Sheet reads from the live workbook: unsaved edits included, nothing written."""

    def __init__(self, book: xw.Book, progress: Progress = lambda _: None) -> None:
        self._book = book
        self._progress = progress
        self._errors: dict[str, list[tuple[str, str]]] = {}

    @property
    def file_name(self) -> str:
        return xl.book_name(self._book)

    def sheet_names(self) -> list[str]:
        return xl.sheet_names(self._book)

    def check_size(self) -> None:
        """Refuse, as the file path does, a sheet used far beyond any table."""
        for name in self.sheet_names():
            check_sheet_size(name, self.file_name, *self._extent(name))

    def rows(self, name: str, nrows: int | None = None) -> Grid:
        last_row, last_col = self._extent(name)
        if nrows is not None:
            last_row = min(last_row, nrows)
        else:
            self._progress(f"membaca sheet {name}")
        grid = _deliver(name, lambda: xl.values(self._book, name, last_row, last_col))
        if not any(v.__class__ is int or (v.__class__ is str and v in ERROR_TEXTS)
                   for row in grid for v in row):
            if nrows is None:
                self._errors[name] = []
            return [[v if v.__class__ in _PLAIN else normalise(v) for v in row]
                    for row in grid]
        plain = _deliver(name, lambda: xl.values(self._book, name, last_row, last_col,
                                                 errors_as_text=False))
        errors: list[tuple[str, str]] = []
        out: Grid = []
        for r, (row, bare) in enumerate(zip(grid, plain, strict=True)):
            cells: list[object] = []
            for c, (v, b) in enumerate(zip(row, bare, strict=True)):
                text = error_text(v, b)
                if text is None:
                    cells.append(v if v.__class__ in _PLAIN else normalise(v))
                else:
                    cells.append("")
                    errors.append((xl_rowcol_to_cell(r, c), text))
            out.append(cells)
        if nrows is None:
            self._errors[name] = errors
        return out

    def error_cells(self, sheets: list[str]) -> dict[str, tuple[list[tuple[str, str]], int]]:
        """Error cells of the named sheets read so far, as ``safe.error_cells`` gives
        them for a file: sheet -> (the first ``MAX_ERROR_CELLS`` cells, how many)."""
        wanted = {sheet_key(n) for n in sheets}
        return {name: (found[:MAX_ERROR_CELLS], len(found))
                for name in self.sheet_names()
                if sheet_key(name) in wanted and (found := self._errors.get(name))}

    def _extent(self, name: str) -> tuple[int, int]:
        return _deliver(name, lambda: xl.used_extent(self._book, name))

    def merged_ranges(self, name: str) -> list[Merge]:
        """Merged areas by halving the used range and cutting around each area found.

        A few calls into Excel per merged area, not one per cell.
        """
        last_row, last_col = self._extent(name)
        found: list[Box] = []
        _deliver(name, lambda: self._scan(name, (1, 1, last_row, last_col), found))
        return sorted(((r0 - 1, c0 - 1), (r1 - 1, c1 - 1)) for r0, c0, r1, c1 in found)

    def _scan(self, name: str, box: Box, found: list[Box]) -> None:
        """Find the merged areas in ``box`` (1-based, inclusive), appending to ``found``."""
        known = next((a for a in found if _overlap(a, box)), None)
        if known is not None:  # only the rest of the box can hold other areas
            for part in _around(box, known):
                self._scan(name, part, found)
            return
        r0, c0, r1, c1 = box
        state = xl.merge_state(self._book, name, (r0, c0), (r1, c1))
        if state is False:
            return
        if state is True or (r0 == r1 and c0 == c1):
            found.append(xl.merge_area(self._book, name, (r0, c0)))
            self._scan(name, box, found)
        elif r1 - r0 >= c1 - c0:
            mid = (r0 + r1) // 2
            self._scan(name, (r0, c0, mid, c1), found)
            self._scan(name, (mid + 1, c0, r1, c1), found)
        else:
            mid = (c0 + c1) // 2
            self._scan(name, (r0, c0, r1, mid), found)
            self._scan(name, (r0, mid + 1, r1, c1), found)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _around(box: Box, area: Box) -> list[Box]:
    """``box`` minus ``area`` as up to four boxes: above, below, left, right."""
    r0, c0, r1, c1 = box
    a0, b0, a1, b1 = area
    top, bottom = max(r0, a0), min(r1, a1)
    parts = [(r0, c0, a0 - 1, c1), (a1 + 1, c0, r1, c1),
             (top, c0, bottom, b0 - 1), (top, b1 + 1, bottom, c1)]
    return [p for p in parts if p[0] <= p[2] and p[1] <= p[3]]


def error_text(value: object, bare: object) -> str | None:
    """The error a cell holds, from its value read with ``err_to_str`` and without; None
    when it holds none (a text that merely reads "#N/A" is text: without the option it
    stays text, an error becomes None)."""
    if isinstance(value, int) and not isinstance(value, bool):
        # an error code xlwings does not know (#SPILL!, #CALC!): it passes through as is
        return CVERR.get(value - _VT_ERROR_BASE, "#?")
    if value.__class__ is str and value in ERROR_TEXTS and bare is None:
        return str(value)
    return None


def excel_failed(sheet: str, exc: BaseException) -> str:
    """What to tell the admin when Excel does not hand over a sheet's cells."""
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    cause = COM_CAUSES.get(code) if code is not None else None
    detail = " ".join(str(exc).split())[:120]
    return (f"Excel tidak menyerahkan isi sheet '{sheet}' ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}). " + (cause or (
                "Simpan buku kerja lalu klik tombol lagi; bila tetap gagal, jalankan spm-xl "
                "hitung pada berkas yang tersimpan di Command Prompt.")))


def _deliver(sheet: str, read: Callable[[], T]) -> T:
    """``read()``, with a failure inside Excel (COM) named as such, not as a broken file."""
    try:
        return read()
    except UnusableWorkbook:
        raise
    except Exception as exc:
        raise UnusableWorkbook(excel_failed(sheet, exc), sheet=sheet) from exc


def normalise(value: object) -> object:
    """One COM cell value as python-calamine would give it from the saved file."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.date() == _DAY_ZERO:
            return value.time()
        if value.time() == time(0) and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, Decimal):
        return float(value)  # a Currency-formatted cell (VT_CY)
    return value
