"""A recording double of exactly the xlwings calls ``workbook/xl.py`` makes, over openpyxl.

Only what the thin layer uses exists here, so any other call fails loudly; every public
attribute read or call is logged as ``Class.attr`` and every assignment as ``Class.attr=``,
so a test can check the log holds nothing ``workbook.xl.CALLS`` does not declare. Cell values
are a real workbook's, loaded with openpyxl. The Excel behaviour imitated:

- values as COM returns them: numbers float, dates datetime (a time alone on day zero,
  1899-12-30), empty cells and error values None, text as text;
- a book opened through ``App.books.open`` shows formulas as their cached results, as Excel
  shows them once calculated (charts are not loaded: openpyxl drops them);
- ``Sheet.copy`` into another book copies values, number formats, fills and merged areas;
  a name already taken becomes "Name (2)"; the copy becomes the active sheet;
- ``Sheets.add`` activates the new sheet; hiding the active sheet activates the next visible
  one; the last visible sheet can be neither hidden nor deleted; a renamed sheet must keep
  a unique name;
- ``locked`` sheets refuse a fill colour, as a protected sheet without "format cells" does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

_DAY_ZERO = date(1899, 12, 30)


class Recorder:
    def __init__(self, locked: frozenset[str] = frozenset()) -> None:
        self.calls: list[str] = []
        self.locked = locked
        self.alerts: list[tuple[str, str | None, str | None]] = []


class _Recorded:
    """Logs every public attribute read and assignment of its subclasses."""
    _kind = ""
    _rec: Recorder

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            kind = type(self)._kind
            object.__getattribute__(self, "_rec").calls.append(f"{kind}.{name}")
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            self._rec.calls.append(f"{type(self)._kind}.{name}=")
        object.__setattr__(self, name, value)

    def _log(self, name: str) -> None:
        self._rec.calls.append(f"{type(self)._kind}.{name}")


class App(_Recorded):
    _kind = "App"

    def __init__(self, rec: Recorder) -> None:
        self._rec = rec
        self._screen = True
        self._books = Books(rec, self)

    @property
    def books(self) -> Books:
        return self._books

    @property
    def screen_updating(self) -> bool:
        return self._screen

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen = value

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None) -> str:
        self._rec.alerts.append((prompt, title, mode))
        return "ok"


class Books(_Recorded):
    _kind = "Books"

    def __init__(self, rec: Recorder, app: App) -> None:
        self._rec = rec
        self._app = app
        self._opened: list[Book] = []

    def open(self, fullname: str, **_: Any) -> Book:
        wb = openpyxl.load_workbook(fullname, data_only=True)
        book = Book(self._rec, wb, Path(fullname).name, self._app)
        self._opened.append(book)
        return book


class Book(_Recorded):
    _kind = "Book"

    def __init__(self, rec: Recorder, wb: openpyxl.Workbook, name: str, app: App) -> None:
        self._rec = rec
        self._wb = wb
        self._name = name
        self._app = app
        self._closed = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def app(self) -> App:
        return self._app

    @property
    def sheets(self) -> Sheets:
        self._alive()
        return Sheets(self._rec, self)

    def activate(self) -> None:
        self._alive()

    def close(self) -> None:
        self._closed = True

    def _alive(self) -> None:
        if self._closed:
            raise RuntimeError("the book is closed")


class Sheets(_Recorded):
    _kind = "Sheets"

    def __init__(self, rec: Recorder, book: Book) -> None:
        self._rec = rec
        self._book = book

    def __iter__(self) -> Iterator[Sheet]:
        self._log("__iter__")
        return iter([Sheet(self._rec, self._book, ws) for ws in self._book._wb.worksheets])

    def __getitem__(self, key: int | str) -> Sheet:
        self._log("__getitem__")
        sheets = self._book._wb.worksheets
        if isinstance(key, int):
            return Sheet(self._rec, self._book, sheets[key])
        for ws in sheets:
            if ws.title.casefold() == key.casefold():
                return Sheet(self._rec, self._book, ws)
        raise KeyError(key)

    @property
    def active(self) -> Sheet:
        return Sheet(self._rec, self._book, self._book._wb.active)

    def add(self, name: str | None = None, before: Sheet | None = None,
            after: Sheet | None = None) -> Sheet:
        wb = self._book._wb
        index = len(wb.worksheets)
        if after is not None:
            index = wb.worksheets.index(after._ws) + 1
        elif before is not None:
            index = wb.worksheets.index(before._ws)
        ws = wb.create_sheet(name, index)
        wb.active = ws
        return Sheet(self._rec, self._book, ws)


class Sheet(_Recorded):
    _kind = "Sheet"

    def __init__(self, rec: Recorder, book: Book, ws: Worksheet) -> None:
        self._rec = rec
        self._book = book
        self._ws = ws

    @property
    def name(self) -> str:
        return str(self._ws.title)

    @name.setter
    def name(self, value: str) -> None:
        if any(ws is not self._ws and ws.title.casefold() == value.casefold()
               for ws in self._book._wb.worksheets):
            raise ValueError(f"sheet name {value!r} is taken")
        self._ws.title = value

    @property
    def used_range(self) -> Range:
        ws = self._ws
        return Range(self._rec, self, ws.min_row, ws.min_column, ws.max_row, ws.max_column)

    def range(self, first: str | tuple[int, int], last: tuple[int, int] | None = None) -> Range:
        if isinstance(first, str):
            c0, r0, c1, r1 = range_boundaries(first.replace("$", ""))
            return Range(self._rec, self, r0 or 1, c0 or 1, r1 or 1, c1 or 1)
        end = last or first
        return Range(self._rec, self, first[0], first[1], end[0], end[1])

    def copy(self, before: Sheet | None = None, after: Sheet | None = None,
             name: str | None = None) -> Sheet:
        assert after is not None and before is None and name is None, "only copy(after=)"
        target = after._book._wb
        title, n = self._ws.title, 2
        while any(ws.title.casefold() == title.casefold() for ws in target.worksheets):
            title, n = f"{self._ws.title} ({n})", n + 1
        new = target.create_sheet(title, target.worksheets.index(after._ws) + 1)
        for row in self._ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                out = new.cell(cell.row, cell.column)
                out.value = cell.value
                out.number_format = cell.number_format
                out.fill = copy.copy(cell.fill)
        for merged in self._ws.merged_cells.ranges:
            new.merge_cells(str(merged))
        target.active = new
        return Sheet(self._rec, after._book, new)

    def delete(self) -> None:
        wb = self._book._wb
        if self._visible_others() == 0:
            raise RuntimeError("Excel keeps at least one visible sheet")
        was_active = wb.active is self._ws
        wb.remove(self._ws)
        if was_active or wb.active is None or wb.active.sheet_state != "visible":
            wb.active = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")

    @property
    def visible(self) -> bool:
        return bool(self._ws.sheet_state == "visible")

    @visible.setter
    def visible(self, value: bool) -> None:
        wb = self._book._wb
        if not value and self._visible_others() == 0:
            raise RuntimeError("Excel keeps at least one visible sheet")
        self._ws.sheet_state = "visible" if value else "hidden"
        if not value and wb.active is self._ws:
            wb.active = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")

    def activate(self) -> None:
        if self._ws.sheet_state != "visible":
            raise RuntimeError("a hidden sheet cannot be activated")
        self._book._wb.active = self._ws

    def clear_contents(self) -> None:
        for row in self._ws.iter_rows():
            for cell in row:
                cell.value = None

    def _visible_others(self) -> int:
        return sum(ws.sheet_state == "visible" for ws in self._book._wb.worksheets
                   if ws is not self._ws)


class Range(_Recorded):
    _kind = "Range"

    def __init__(self, rec: Recorder, sheet: Sheet, r0: int, c0: int, r1: int, c1: int,
                 ndim: int | None = None) -> None:
        self._rec = rec
        self._sheet = sheet
        self._box = (r0, c0, r1, c1)
        self._ndim = ndim

    def options(self, ndim: int | None = None, chunksize: int | None = None) -> Range:
        return Range(self._rec, self._sheet, *self._box, ndim=ndim)

    @property
    def value(self) -> Any:
        r0, c0, r1, c1 = self._box
        ws = self._sheet._ws
        grid = [[_com(ws.cell(r, c)) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        if self._ndim == 2:
            return grid
        if r0 == r1 and c0 == c1:
            return grid[0][0]
        raise NotImplementedError("only ndim=2 reads of several cells are emulated")

    @value.setter
    def value(self, rows: Any) -> None:
        r0, c0 = self._box[:2]
        grid = rows if isinstance(rows, list) else [[rows]]
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                self._sheet._ws.cell(r0 + i, c0 + j).value = v

    @property
    def last_cell(self) -> Range:
        r1, c1 = self._box[2:]
        return Range(self._rec, self._sheet, r1, c1, r1, c1)

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def column(self) -> int:
        return self._box[1]

    @property
    def merge_cells(self) -> bool | None:
        r0, c0, r1, c1 = self._box
        covered = 0
        for m in self._sheet._ws.merged_cells.ranges:
            rows = min(r1, m.max_row) - max(r0, m.min_row) + 1
            cols = min(c1, m.max_col) - max(c0, m.min_col) + 1
            covered += max(rows, 0) * max(cols, 0)
        if covered == 0:
            return False
        return True if covered == (r1 - r0 + 1) * (c1 - c0 + 1) else None

    @property
    def merge_area(self) -> Range:
        r0, c0 = self._box[:2]
        for m in self._sheet._ws.merged_cells.ranges:
            if m.min_row <= r0 <= m.max_row and m.min_col <= c0 <= m.max_col:
                return Range(self._rec, self._sheet, m.min_row, m.min_col, m.max_row, m.max_col)
        return Range(self._rec, self._sheet, r0, c0, r0, c0)

    @property
    def color(self) -> tuple[int, int, int] | None:
        r0, c0 = self._box[:2]
        return fill_of(self._sheet._ws.cell(r0, c0))

    @color.setter
    def color(self, rgb: tuple[int, int, int] | None) -> None:
        if self._sheet._ws.title in self._rec.locked:
            raise RuntimeError("the sheet is protected")
        fill = (PatternFill(fill_type=None) if rgb is None else
                PatternFill("solid", fgColor="FF{:02X}{:02X}{:02X}".format(*rgb)))
        r0, c0, r1, c1 = self._box
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self._sheet._ws.cell(r, c).fill = fill


def fill_of(cell: Any) -> tuple[int, int, int] | None:
    """A cell's solid fill as (r, g, b), None without one (xlwings' ``Range.color``)."""
    fill = cell.fill
    if fill is None or fill.fill_type != "solid" or fill.fgColor.type != "rgb":
        return None
    rgb = fill.fgColor.rgb[-6:]
    return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)


def _com(cell: Any) -> object:
    """A cell value as COM hands it to xlwings."""
    v = cell.value
    if cell.data_type == "e" or v is None or v == "":
        return None
    if cell.data_type == "f":
        raise NotImplementedError("formulas in the caller's book are not emulated")
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, time):
        return datetime.combine(_DAY_ZERO, v)
    return v


def open_book(path: Path, rec: Recorder | None = None) -> Book:
    """The double of a workbook open in Excel, loaded from ``path``."""
    rec = rec or Recorder()
    return Book(rec, openpyxl.load_workbook(path), path.name, App(rec))


def recorder(book: Book) -> Recorder:
    return book._rec


def workbook_of(book: Book) -> openpyxl.Workbook:
    """The openpyxl workbook behind the double (no call is recorded)."""
    return book._wb


def opened_books(book: Book) -> list[Book]:
    return book._app._books._opened
