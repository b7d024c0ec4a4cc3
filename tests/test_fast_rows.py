"""The provincial workbook's one-join row writer writes exactly what XlsxWriter would."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl

from spm_xl.book.xlsx import new_workbook

TRICKY: list[str | int | float] = [
    "plain", "a & b < c > d \"q\"", " leading space", "trailing space ", "line\nbreak",
    "ctrl\x01char", "_x0041_ literal escape", "<r><t>rich?</t></r>", "Nusa Tenggara Timur",
    "x" * 40_000, 0, 7, -3, 1.5, 2 / 3, 1e20, 10**15 + 1, math.nan, True,
]


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def _write(path: Path, fast: bool) -> None:
    wb = new_workbook(str(path), constant_memory=True, nan_inf_to_errors=True)
    ws = wb.add_worksheet("T")
    f = wb.add_format({"num_format": "0.00"})
    g = wb.add_format({"bold": True})
    ws.write_string(0, 0, "Header", g)
    for i, value in enumerate(TRICKY, start=1):
        cells = [(0, i, f), (2, value, g), (5, "tail", f)]
        if fast:
            ws.write_plain_row(i, cells)
        else:
            for col, v, fmt in cells:
                if isinstance(v, str):
                    ws.write_string(i, col, v, fmt)
                else:
                    ws.write_number(i, col, v, fmt)
    ws.write_string(len(TRICKY) + 2, 1, "after", g)
    wb.close()


def test_fast_rows_write_the_same_sheet_xml_as_cell_by_cell(tmp_path: Path) -> None:
    _write(tmp_path / "fast.xlsx", fast=True)
    _write(tmp_path / "slow.xlsx", fast=False)
    assert _sheet_xml(tmp_path / "fast.xlsx") == _sheet_xml(tmp_path / "slow.xlsx")


def test_fast_rows_keep_text_as_text_and_read_back(tmp_path: Path) -> None:
    _write(tmp_path / "fast.xlsx", fast=True)
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx", read_only=True)["T"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][2] == "a & b < c > d \"q\""
    assert rows[3][2] == " leading space"
    assert rows[8][2] == " <r><t>rich?</t></r>"  # never raw rich-text XML
    assert rows[1][0] == 1 and rows[14][2] == 1.5 and rows[1][5] == "tail"


def test_plain_rows_skip_the_cell_table_and_odd_rows_take_xlsxwriters_path(
        tmp_path: Path) -> None:
    wb = new_workbook(str(tmp_path / "t.xlsx"), constant_memory=True)
    ws = wb.add_worksheet("T")
    f = wb.add_format({"bold": True})
    ws.write_plain_row(1, [(0, "a", f), (1, 2.5, f)])
    assert not ws.table  # written straight to the sheet's XML
    ws.write_plain_row(2, [(0, "x" * 40_000, f)])
    assert ws.table  # too long: XlsxWriter truncates it, the fast path does not try
    wb.close()
