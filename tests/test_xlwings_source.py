"""Reading the open workbook through xlwings gives exactly what reading the file gives."""

from __future__ import annotations

import ast
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from python_calamine import CalamineWorkbook
from workbooks import person_row, write_district_workbook
from xlwings_double import open_book, recorder

from spm_xl.book.reader import read_source, read_workbook
from spm_xl.pipeline import evaluate
from spm_xl_excel.source import XlwingsSource, normalise

NIK_A = "7406011508950001"


def source(path: Path) -> XlwingsSource:
    return XlwingsSource(cast(Any, open_book(path)))


def test_cells_come_out_as_python_calamine_gives_them() -> None:
    assert normalise(None) == ""
    assert normalise(2026.0) == 2026.0 and isinstance(normalise(2026.0), float)
    assert normalise(Decimal("15000")) == 15000.0
    assert normalise(datetime(1995, 8, 15)) == date(1995, 8, 15)
    assert normalise(datetime(2026, 1, 2, 3, 4)) == datetime(2026, 1, 2, 3, 4)
    assert normalise(datetime(1899, 12, 30, 7, 30)) == time(7, 30)
    assert normalise(True) is True and normalise("7406011508950001") == "7406011508950001"


def test_the_open_workbook_reads_to_the_same_records_as_the_file(tmp_path: Path) -> None:
    rows = [person_row(NIK_A, "Budi", lahir=date(1995, 8, 15), jk="L", permakanan="TW1"),
            person_row(7406011508950003, "Ani", sandang="tw 5"),
            person_row("12345", "Cici", lahir="31/02/1990", sandang="Butuh")]
    path = write_district_workbook(tmp_path / "kab.xlsx", rows={"K1": rows}, title_rows=2,
                                   merges={"K2 Anak": ["M4:N5"]},
                                   prices={("K1", "permakanan"): 15000})
    from_file = evaluate(read_workbook(path))
    from_excel = evaluate(read_source(source(path)))
    assert from_excel.sidik == from_file.sidik
    assert from_excel.findings == from_file.findings
    assert from_excel.result == from_file.result
    assert {f.kode for f in from_file.findings} >= {"nik_angka", "status_tidak_dikenal",
                                                    "sel_digabung", "tanggal_tidak_valid"}


def test_merged_areas_are_found_with_a_few_calls_not_one_per_cell(tmp_path: Path) -> None:
    path = write_district_workbook(
        tmp_path / "kab.xlsx", rows={"K1": [person_row(NIK_A, "Budi", sandang="TW1")] * 300},
        merges={"K1 Disabilitas": ["A1:C1", "M40:N41", "P200:P260"]})
    book = open_book(path)
    found = XlwingsSource(cast(Any, book)).merged_ranges("K1 Disabilitas")
    wb = CalamineWorkbook.from_path(str(path))
    assert found == sorted(wb.get_sheet_by_name("K1 Disabilitas").merged_cell_ranges or [])
    assert recorder(book).calls.count("Range.merge_cells") < 100  # the sheet has 301 x 24 cells


def test_only_the_thin_layer_calls_xlwings_at_run_time() -> None:
    """Other modules import xlwings for type hints only; functions.py for ``@xw.func``."""
    folder = Path(__file__).parents[1] / "spm_xl_excel"
    for module in folder.glob("*.py"):
        if module.name in ("xl.py", "functions.py"):
            continue
        tree = ast.parse(module.read_text("utf-8"))
        for node in tree.body:  # top level only: `if TYPE_CHECKING:` blocks are not imports
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "xlwings" for n in names), module.name
