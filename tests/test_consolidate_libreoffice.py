"""The provincial workbook opens in LibreOffice Calc and exports to PDF (SPEC 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from consolidation_data import district, person, province_book
from libreoffice import recalculated_values, to_pdf

from spm_xl.consolidate.run import consolidate


@pytest.fixture(scope="module")
def provincial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lo-konsolidasi")
    shared = person("74.06", 3)
    district(folder / "in", "74.06", {"K1": [shared, person("74.06", 1)]})
    district(folder / "in", "74.01", {"K1": [shared], "K5": [person("74.01", 2,
                                                                    penampungan="Butuh")]})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPM_XL_KUNCI", "kunci-uji")
        consolidate([folder / "in"], folder / "provinsi.xlsx",
                    provinsi=province_book(folder / "prov"), jobs=1)
    return folder / "provinsi.xlsx"


@pytest.mark.libreoffice
def test_provincial_workbook_exports_to_pdf(provincial: Path) -> None:
    pdf = to_pdf(provincial)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.libreoffice
def test_totals_recalculate_to_the_values_python_wrote(provincial: Path) -> None:
    import openpyxl

    cached = openpyxl.load_workbook(provincial, data_only=True)
    formulas = openpyxl.load_workbook(provincial)
    recalculated = recalculated_values(provincial)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                    assert recalculated[ws.title][cell.coordinate] == \
                        cached[ws.title][cell.coordinate].value
                    checked += 1
    assert checked > 0
