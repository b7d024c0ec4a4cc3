"""Text an admin typed stays text in every workbook we write (formula- and XML-looking)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from workbooks import person_row, write_district_workbook

from spm_xl.book.xlsx import new_workbook, plain_text
from spm_xl.cli import main

RICH = "<r><t>a & b</t></r>"  # XlsxWriter's marker for ready-made rich-text XML


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}])
def test_rich_text_markup_is_written_as_plain_text(tmp_path: Path,
                                                   options: dict[str, bool]) -> None:
    path = tmp_path / "t.xlsx"
    wb = new_workbook(str(path), **options)
    ws = wb.add_worksheet("S")
    ws.write_string(0, 0, RICH)
    ws.write(1, 0, "=HYPERLINK(\"http://x\")")
    wb.close()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    assert rows[0][0] == plain_text(RICH) == " " + RICH
    assert rows[1][0] == "=HYPERLINK(\"http://x\")"
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/work"))


def test_markup_in_a_status_cell_survives_hitung_and_konsolidasi(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    book = write_district_workbook(src / "kab.xlsx", rows={"K1": [
        person_row("7406011508950001", "Andi", permakanan=RICH)]})
    computed = tmp_path / "kab-hasil.xlsx"
    assert main(["hitung", str(book), "-o", str(computed)]) == 1  # unknown status: galat
    values = CalamineWorkbook.from_path(str(computed)).get_sheet_by_name("Pemeriksaan")
    assert any(" " + RICH in str(v) for row in values.to_python() for v in row)
    out = tmp_path / "prov.xlsx"
    assert main(["konsolidasi", str(src), "-o", str(out), "--kode-provinsi", "74"]) == 1
    # the provincial book quotes no typed text (issue 12): the kind of problem, not the cell
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Pemeriksaan")
    cells = [str(v) for row in sheet.to_python() for v in row]
    assert "status_tidak_dikenal" in cells  # the province sees the kind and the cell ...
    assert not any(RICH in v for v in cells)  # ... never what the district typed
