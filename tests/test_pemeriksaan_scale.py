"""The district's Pemeriksaan stays readable and fast with a finding on every row."""

from __future__ import annotations

import time
from pathlib import Path

import xlsxwriter
from outputs_data import STAMP, identity
from python_calamine import CalamineWorkbook

from spm_xl import labels
from spm_xl.book.outputs import DETAIL_LIMIT, render_pemeriksaan
from spm_xl.findings import Finding


def rows_of(findings: list[Finding], path: Path) -> list[list[object]]:
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    render_pemeriksaan(wb, identity(), findings, STAMP)
    wb.close()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(labels.PEMERIKSAAN)
    return [list(r) for r in sheet.to_python()]


def test_many_findings_of_one_kind_get_a_summary_row_and_bounded_detail(tmp_path: Path) -> None:
    blank = [Finding("info", "nik_kosong", f"NIK kosong (B{r}).", "K1 Disabilitas", f"B{r}")
             for r in range(8, 50_008)]
    short = [Finding("galat", "nik_panjang", "NIK harus 16 digit.", "K1 Disabilitas", f"B{r}",
                     "740600****00") for r in (9, 11)]
    t = time.process_time()
    rows = rows_of([*blank, *short], tmp_path / "p.xlsx")
    assert time.process_time() - t < 5  # it took 10 s of CPU when every finding was a row
    head = next(i for i, r in enumerate(rows) if r[0] == "Tingkat")
    table = rows[head + 1:]
    assert [r[2] for r in table[:2]] == ["B9", "B11"]  # few errors: listed as before
    summary = table[2]
    assert summary[2] == "B8:B50007" and summary[4].startswith("50.000 sel: NIK kosong")
    assert len(table) == 2 + 1 + DETAIL_LIMIT
    assert table[3][2] == "B8" and table[-1][2] == f"B{8 + DETAIL_LIMIT - 1}"
    assert rows[2][:6] == ["Galat", 2, "Peringatan", 0, "Info", 50_000]  # counts stay whole
