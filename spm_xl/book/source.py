"""Where the reader gets cells from: a file on disk or a workbook open in Excel (SPEC 6).

The reader (``book.reader``) never touches a workbook library itself; it asks a
``SheetSource`` for sheet names, cell grids and merged areas, so the CLI (python-calamine
over the file) and the Excel buttons (xlwings over the live workbook, ``spm_xl_excel.source``)
run exactly the same reading, checks and engine.

Cell values follow python-calamine's conventions, which every implementation must match
for the two paths to agree (including the input fingerprint): ``""`` for an empty cell (and
for an error value such as ``#N/A``), ``float`` for every number, ``str``, ``bool``,
``date`` for a date at midnight, ``datetime`` for a date with a time, ``time`` for a time of
day alone. Grids start at A1.
"""

from __future__ import annotations

from typing import Protocol

from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

Grid = list[list[object]]
#: a merged area, 0-based and inclusive: ((first row, first col), (last row, last col))
Merge = tuple[tuple[int, int], tuple[int, int]]


class SheetSource(Protocol):
    """The reads the workbook reader needs, and nothing else."""

    @property
    def file_name(self) -> str:
        """The workbook's file name, for messages."""
        ...

    def sheet_names(self) -> list[str]:
        """Worksheet names in tab order (no chart sheets)."""
        ...

    def rows(self, name: str, nrows: int | None = None) -> Grid:
        """The sheet's cells from A1 (only the first ``nrows`` rows when given)."""
        ...

    def merged_ranges(self, name: str) -> list[Merge]:
        """The sheet's merged areas."""
        ...


class CalamineSource:
    """A workbook file read with python-calamine (values only; no macro, no formula runs).

    Keeps the sheet last asked for, because the reader asks for its rows and then its merged
    areas, and each ``get_sheet_by_name`` parses the whole sheet again.
    """

    def __init__(self, wb: CalamineWorkbook, file_name: str) -> None:
        self._wb = wb
        self._file_name = file_name
        self._last: tuple[str, CalamineSheet] | None = None

    @property
    def file_name(self) -> str:
        return self._file_name

    def sheet_names(self) -> list[str]:
        return [m.name for m in self._wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]

    def rows(self, name: str, nrows: int | None = None) -> Grid:
        if nrows is not None:  # a peek (stamps): not worth keeping the sheet for
            head: Grid = self._wb.get_sheet_by_name(name).to_python(  # type: ignore[assignment]
                skip_empty_area=False, nrows=nrows)
            return head
        grid: Grid = self._sheet(name).to_python(  # type: ignore[assignment]
            skip_empty_area=False)
        return grid

    def merged_ranges(self, name: str) -> list[Merge]:
        return list(self._sheet(name).merged_cell_ranges or [])

    def _sheet(self, name: str) -> CalamineSheet:
        if self._last is None or self._last[0] != name:
            self._last = (name, self._wb.get_sheet_by_name(name))
        return self._last[1]
