"""A recording double of exactly the xlwings calls ``spm_xl_excel/xl.py`` makes, over openpyxl.

Only what the thin layer uses exists here, so any other call fails loudly; every public
attribute read or call is logged as ``Class.attr`` and every assignment as ``Class.attr=``,
so a test can check the log holds nothing ``spm_xl_excel.xl.CALLS`` does not declare. Cell values
are a real workbook's, loaded with openpyxl. The Excel behaviour imitated:

- values as COM hands them to xlwings (numbers float, dates datetime with a time alone on
  day zero 1899-12-30, text as text, empty None, an error value its VT_ERROR code
  0x800A0000 + CVErr number), then cleaned by xlwings' own Windows code
  (``_xlwindows._clean_value_data_element``, taken from the installed xlwings' source): the
  seven classic error codes become None, or their text with ``err_to_str=True``; newer
  ones (``#SPILL!``) stay integers;
- ``Sheet.clear`` empties values, formats and merges and keeps the sheet's charts;
  ``Range.copy`` of a sheet's ``cells`` onto another sheet's copies values, number formats,
  fills, merges, links and column widths, and the charts over them: into another book their
  series then refer to the source book (``'[book.xlsx]Dashboard'!$C$5``), as Excel keeps a
  copied chart's links; ``Sheet.copy`` re-points the copy's charts at the copy;
- a book opened through ``App.books.open`` shows formulas as their cached results, as Excel
  shows them once calculated (charts are not loaded: openpyxl drops them);
- ``Sheet.copy`` into another book copies values, number formats, fills and merged areas;
  a name already taken becomes "Name (2)"; the copy becomes the active sheet;
- ``Sheets.add`` activates the new sheet; hiding the active sheet activates the next visible
  one; the last visible sheet can be neither hidden nor deleted; a renamed sheet must keep
  a unique name;
- ``locked`` sheets refuse a fill colour, as a protected sheet without "format cells" does,
  and refuse to be cleared.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import xlwings
from openpyxl.styles import PatternFill
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

_DAY_ZERO = date(1899, 12, 30)
#: Excel's XlCVError numbers (Microsoft's VBA reference); COM hands 0x800A0000 + number
XL_CVERR = {"#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023, "#NAME?": 2029,
            "#NUM!": 2036, "#N/A": 2042, "#GETTING_DATA": 2043, "#SPILL!": 2045,
            "#CONNECT!": 2046, "#BLOCKED!": 2047, "#UNKNOWN!": 2048, "#FIELD!": 2049,
            "#CALC!": 2050}


def com_error_code(text: str) -> int:
    return -0x7FF60000 + XL_CVERR[text]  # the signed HRESULT 0x800A0000 + number


def _xlwings_cleaning() -> Callable[..., object]:
    """xlwings' per-cell cleaning of COM values, from the installed xlwings' Windows source.

    ``xlwings._xlwindows`` imports pywin32 and cannot load here, so its ``cell_errors`` table,
    ``_clean_value_data_element`` and ``_com_time_to_datetime`` are lifted out of the source
    and run as they are (``pywintypes.TimeType`` is a ``datetime`` subclass).
    """
    path = Path(xlwings.__file__).with_name("_xlwindows.py")
    wanted = {"cell_errors", "_clean_value_data_element", "_com_time_to_datetime"}
    nodes = [n for n in ast.parse(path.read_text("utf-8")).body
             if (isinstance(n, ast.FunctionDef) and n.name in wanted)
             or (isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id in wanted
                                                   for t in n.targets))]
    assert len(nodes) == len(wanted), "xlwings' Windows source changed shape"
    namespace: dict[str, Any] = {"time_types": (date, datetime)}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(path), "exec"), namespace)
    clean: Callable[..., object] = namespace["_clean_value_data_element"]
    return clean


_CLEAN = _xlwings_cleaning()
_SHEET_REF = re.compile(r"('?)([^'!,()=]+)\1!")


@dataclass
class ChartData:
    """A chart as the double keeps it: where it sits and its series formulas."""
    anchor: tuple[int, int]  # 1-based row, column of its top-left cell
    series: list[str] = field(default_factory=list)


def _charts_of(ws: Worksheet) -> list[ChartData]:
    if not hasattr(ws, "double_charts"):
        found = []
        for chart in getattr(ws, "_charts", []):
            formulas = []
            for i, s in enumerate(chart.series):
                cat = s.cat.strRef or s.cat.numRef if s.cat else None
                parts = [s.tx.strRef.f if s.tx and s.tx.strRef else "",
                         cat.f if cat else "", s.val.numRef.f, str(i + 1)]
                formulas.append(f"=SERIES({','.join(parts)})")
            anchor = chart.anchor._from
            found.append(ChartData((anchor.row + 1, anchor.col + 1), formulas))
        ws.double_charts = found
    charts: list[ChartData] = ws.double_charts
    return charts


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
        self._status: list[str | bool] = []

    @property
    def books(self) -> Books:
        return self._books

    @property
    def screen_updating(self) -> bool:
        return self._screen

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen = value

    @property
    def status_bar(self) -> str | bool:
        return self._status[-1] if self._status else False

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self._status.append(value)

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
        _copy_cells(self._ws, new)
        new.double_charts = [ChartData(c.anchor, [_rename_sheet(f, self._ws.title, title)
                                                  for f in c.series])
                             for c in _charts_of(self._ws)]
        target.active = new
        return Sheet(self._rec, after._book, new)

    @property
    def cells(self) -> Range:
        return Range(self._rec, self, 1, 1, 1_048_576, 16_384)

    def clear(self) -> None:
        if self._ws.title in self._rec.locked:
            raise RuntimeError("the sheet is protected")
        ws = self._ws
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        for row in ws.iter_rows():
            for cell in row:
                cell.value = None
                cell.style = "Normal"
                cell.hyperlink = None

    @property
    def charts(self) -> Charts:
        return Charts(self._rec, self)

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
        self._err_to_str = False

    def options(self, ndim: int | None = None, chunksize: int | None = None,
                err_to_str: bool = False) -> Range:
        out = Range(self._rec, self._sheet, *self._box, ndim=ndim)
        out._err_to_str = err_to_str
        return out

    @property
    def value(self) -> Any:
        r0, c0, r1, c1 = self._box
        ws = self._sheet._ws
        as_text = self._err_to_str
        grid = [[_CLEAN(_com(ws.cell(r, c)), datetime, None, None, as_text)
                 for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
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

    def copy(self, destination: Range | None = None) -> None:
        assert destination is not None, "only copy(destination) is emulated"
        assert self._box == (1, 1, 1_048_576, 16_384) == destination._box, "whole sheets only"
        src, dst = self._sheet, destination._sheet
        _copy_cells(src._ws, dst._ws)
        other = src._book is not dst._book
        _charts_of(dst._ws).extend(
            ChartData(c.anchor, [_other_book(f, src._book.name) if other else f
                                 for f in c.series]) for c in _charts_of(src._ws))

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


class Charts(_Recorded):
    _kind = "Charts"

    def __init__(self, rec: Recorder, sheet: Sheet) -> None:
        self._rec = rec
        self._sheet = sheet

    def __len__(self) -> int:
        self._log("__len__")
        return len(_charts_of(self._sheet._ws))

    def __iter__(self) -> Iterator[Chart]:
        self._log("__iter__")
        return iter([Chart(self._rec, self._sheet, c) for c in _charts_of(self._sheet._ws)])


class Chart(_Recorded):
    """``api`` gives (ChartObject, Chart) as xlwings does; only ``SeriesCollection`` and a
    series' ``Formula`` exist on the COM side."""
    _kind = "Chart"

    def __init__(self, rec: Recorder, sheet: Sheet, data: ChartData) -> None:
        self._rec = rec
        self._sheet = sheet
        self._data = data

    def delete(self) -> None:
        _charts_of(self._sheet._ws).remove(self._data)

    @property
    def api(self) -> tuple[None, _ComChart]:
        return None, _ComChart(self._data)


class _ComChart:
    def __init__(self, data: ChartData) -> None:
        self._data = data

    def SeriesCollection(self, index: int | None = None) -> Any:  # noqa: N802 - COM's name
        if index is None:
            return type("Series", (), {"Count": len(self._data.series)})()
        return _ComSeries(self._data, index - 1)


class _ComSeries:
    def __init__(self, data: ChartData, i: int) -> None:
        self._data = data
        self._i = i

    @property
    def Formula(self) -> str:  # noqa: N802
        return self._data.series[self._i]

    @Formula.setter
    def Formula(self, value: str) -> None:  # noqa: N802
        self._data.series[self._i] = value


def _copy_cells(src: Worksheet, dst: Worksheet) -> None:
    for row in src.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style and cell.hyperlink is None:
                continue
            out = dst.cell(cell.row, cell.column)
            out.value = cell.value
            out.number_format = cell.number_format
            out.fill = copy.copy(cell.fill)
            if cell.hyperlink is not None:
                out.hyperlink = copy.copy(cell.hyperlink)
    for merged in src.merged_cells.ranges:
        dst.merge_cells(str(merged))
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key].width = dim.width


def _other_book(formula: str, book: str) -> str:
    """A chart series formula as Excel shows it once the chart sits in another book."""
    return _SHEET_REF.sub(lambda m: f"'[{book}]{m.group(2)}'!", formula)


def _rename_sheet(formula: str, old: str, new: str) -> str:
    return _SHEET_REF.sub(lambda m: f"'{new}'!" if m.group(2) == old else m.group(0), formula)


def chart_series(book: Book, sheet: str) -> list[list[str]]:
    """The series formulas of each chart on a sheet (no call is recorded)."""
    ws = book._wb[sheet]
    return [list(c.series) for c in _charts_of(ws)]


def status_texts(book: Book) -> list[str | bool]:
    return book._app._status


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
    if cell.data_type == "e":
        return com_error_code(str(v))
    if v is None or v == "":
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
