"""LibreOffice Calc headless: the harness itself, and the templates opened by a real program."""

from __future__ import annotations

import re
from pathlib import Path

import libreoffice
import openpyxl
import pytest
import xlsxwriter
from libreoffice import convert, recalculated_values, require_soffice, to_pdf

from spm_xl import labels
from spm_xl.book.template import build_template
from spm_xl.catalogue import Level


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[Level, Path]:
    folder = tmp_path_factory.mktemp("lo-templat")
    return {level: build_template(folder / f"{level}.xlsx", level=level, kode="74.06"
                                  if level == "kabkota" else "74", tahun=2026, fmt="xlsx")
            for level in ("kabkota", "provinsi")}


def contents(path: Path) -> dict[str, list[object]]:
    """Sheet name -> its first row and its number of data validations."""
    book = openpyxl.load_workbook(path)
    return {s.title: [[c.value for c in s[1]], len(s.data_validations.dataValidation)]
            for s in book.worksheets}


def test_missing_libreoffice_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_soffice()


def test_missing_libreoffice_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_soffice()


def test_convert_refuses_to_overwrite_beside_the_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        convert(tmp_path / "a.xlsx", "xlsx", tmp_path)


@pytest.mark.libreoffice
def test_recalculation_replaces_wrong_cached_results(tmp_path: Path) -> None:
    require_soffice()
    path = tmp_path / "salah.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Uji")
    sheet.write_number("A1", 5)
    sheet.write_formula("A2", "=A1*2", None, 999)  # deliberately wrong cached values
    sheet.write_formula("A3", "=SUM(A1:A2)", None, 999)
    book.close()
    assert recalculated_values(path)["Uji"] == {"A1": 5, "A2": 10, "A3": 15}


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template_without_losing_content(
        templates: dict[Level, Path], tmp_path: Path) -> None:
    require_soffice()
    resaved = convert(templates["kabkota"], "xlsx", tmp_path)
    assert contents(resaved) == contents(templates["kabkota"])
    identitas = openpyxl.load_workbook(resaved)[labels.IDENTITAS]
    assert [r[1].value for r in identitas.iter_rows() if r[0].value == labels.ID_KODE] == ["74.06"]


@pytest.mark.libreoffice
def test_libreoffice_exports_the_template_to_pdf(templates: dict[Level, Path],
                                                 tmp_path: Path) -> None:
    require_soffice()
    pdf = to_pdf(templates["provinsi"], tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?!s)", data)
    assert len(pages) >= len(openpyxl.load_workbook(templates["provinsi"]).sheetnames)
