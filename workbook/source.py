"""The reader's ``SheetSource`` over a workbook open in Excel (xlwings).

Cells are normalised to what python-calamine gives for the same saved file, so the button
and ``spm-xl hitung`` read identical records, findings and input fingerprint: numbers
float, empty and error cells ``""``, midnight datetimes ``date``, time-only values ``time``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from spm_xl.book.source import Grid, Merge

from . import xl

if TYPE_CHECKING:
    import xlwings as xw

#: COM's day zero: a time of day alone arrives as this date plus the time
_DAY_ZERO = date(1899, 12, 30)
_PLAIN = frozenset({str, float, bool, date})
Box = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


class XlwingsSource:
    """Sheet reads from the live workbook: unsaved edits included, nothing written."""

    def __init__(self, book: xw.Book) -> None:
        self._book = book

    @property
    def file_name(self) -> str:
        return xl.book_name(self._book)

    def sheet_names(self) -> list[str]:
        return xl.sheet_names(self._book)

    def rows(self, name: str, nrows: int | None = None) -> Grid:
        last_row, last_col = xl.used_extent(self._book, name)
        if nrows is not None:
            last_row = min(last_row, nrows)
        return [[v if v.__class__ in _PLAIN else normalise(v) for v in row]
                for row in xl.values(self._book, name, last_row, last_col)]

    def merged_ranges(self, name: str) -> list[Merge]:
        """Merged areas by halving the used range and cutting around each area found.

        A few calls into Excel per merged area, not one per cell.
        """
        last_row, last_col = xl.used_extent(self._book, name)
        found: list[Box] = []
        self._scan(name, (1, 1, last_row, last_col), found)
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
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return float(value)  # Decimal: a Currency-formatted cell
    return value
