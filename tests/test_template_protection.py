"""The template's protection allows what its Petunjuk allows (issue 14).

Petunjuk says own columns to the right of a table and a title row above it are fine; so the
columns right of every input table are unlocked, inserting rows and columns is allowed, and
the .xlsx guide speaks of the spm-xl commands rather than buttons it does not have.
"""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from spm_xl import labels
from spm_xl.book.template import build_template


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    folder = tmp_path_factory.mktemp("proteksi")
    out = {}
    for fmt in ("xlsx", "xlsm"):
        path = folder / f"t.{fmt}"
        build_template(path, level="kabkota", kode="74.06", tahun=2026, fmt=fmt)
        out[fmt] = openpyxl.load_workbook(path, keep_vba=fmt == "xlsm")
    return out


def _first_free_column(ws: openpyxl.worksheet.worksheet.Worksheet) -> int:
    header = [c.value for c in ws[1]]
    return max(i for i, v in enumerate(header, start=1) if v is not None) + 1


@pytest.mark.parametrize("sheet", ["K1 Disabilitas", labels.HARGA, labels.ANGGARAN])
def test_columns_right_of_the_table_are_unlocked(books: dict[str, openpyxl.Workbook],
                                                 sheet: str) -> None:
    ws = books["xlsx"][sheet]
    assert ws.protection.sheet
    assert not ws.protection.insertColumns and not ws.protection.insertRows  # allowed
    col = _first_free_column(ws)
    dims = [d for d in ws.column_dimensions.values() if d.min and d.min <= col + 1 <= d.max]
    assert dims and not dims[0].protection.locked, get_column_letter(col + 1)
    header_cell = ws.cell(1, 1)
    assert header_cell.protection.locked  # the header itself stays protected


def test_xlsx_guide_names_the_commands_and_xlsm_the_buttons(
        books: dict[str, openpyxl.Workbook]) -> None:
    def text(fmt: str) -> str:
        ws = books[fmt][labels.PETUNJUK]
        return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)

    xlsx, xlsm = text("xlsx"), text("xlsm")
    assert "spm-xl hitung" in xlsx and "spm-xl periksa" in xlsx
    assert "Tombol Periksa Data" in xlsm and "Tombol" not in xlsx
    for guide in (xlsx, xlsm):
        assert "Kolom milik sendiri" in guide and "Buka Proteksi Lembar" in guide


def test_unlocked_own_columns_keep_a_filled_sheet_within_the_size_check(tmp_path) -> None:
    """The unlocked band is bounded: a band out to XFD made every filled sheet past ~1,220
    rows look like 20 million cells to the reader's size check, so `spm-xl demo` failed."""
    from spm_xl.book.reader import read_workbook
    from spm_xl.demo import district_fill

    fill = district_fill("74.06", (1600, 10, 10, 10, 10), title_rows=0, seed=2)
    path = build_template(tmp_path / "isi.xlsx", level="kabkota", kode="74.06", tahun=2026,
                          fmt="xlsx", fill=fill)
    data = read_workbook(path)  # raises UnusableWorkbook when the size check refuses
    assert len(data.services["K1"].rows) >= 1600
