"""Excel error values (#N/A, #REF!): python-calamine reads them as empty, the sheet XML tells."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from corpus import district, person

from spm_xl.book import safe
from spm_xl.book.reader import read_workbook
from spm_xl.book.safe import MAX_ERROR_CELLS, check_container, error_cells

K1 = "K1 Disabilitas"


def test_every_error_cell_is_found_once_across_chunk_boundaries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = district(tmp_path / "besar.xlsx", rows={"K1": [person(i) for i in range(1, 4)]})
    wb = openpyxl.load_workbook(path)
    ws = wb[K1]
    for r in range(5, 2_005):
        ws.cell(row=r, column=7, value=f"Jalan Uji nomor {r} RT 00{r % 9} RW 00{r % 7}")
        if r % 7 == 0:
            ws.cell(row=r, column=11, value="#N/A")
    wb.save(path)
    monkeypatch.setattr(safe, "CHUNK", 997)  # hundreds of chunk boundaries, cells cut by them
    expected = [f"K{r}" for r in range(5, 2_005) if r % 7 == 0]
    cells, total = error_cells(check_container(path), [K1])[K1]
    assert total == len(expected)
    assert [ref for ref, _ in cells] == expected[:MAX_ERROR_CELLS]
    assert {value for _, value in cells} == {"#N/A"}


def test_many_error_cells_are_listed_up_to_a_cap_then_summarised(tmp_path: Path) -> None:
    path = district(tmp_path / "galat.xlsx")
    wb = openpyxl.load_workbook(path)
    for r in range(10, 10 + MAX_ERROR_CELLS + 50):
        wb[K1].cell(row=r, column=12, value="#REF!")
    wb.save(path)
    found = [f for f in read_workbook(path).findings if f.kode == "nilai_galat_excel"]
    assert len(found) == MAX_ERROR_CELLS + 1
    assert found[0].sel == "L10" and found[0].sheet == K1 and "#REF!" in found[0].pesan
    assert found[-1].sel is None and "50 sel lain" in found[-1].pesan


def test_an_error_in_a_sheet_that_is_not_read_is_not_reported(tmp_path: Path) -> None:
    path = district(tmp_path / "catatan.xlsx",
                    extra_sheets={"Catatan Admin": [["Rekap"], ["#N/A"]]})
    assert not [f for f in read_workbook(path).findings if f.kode == "nilai_galat_excel"]
