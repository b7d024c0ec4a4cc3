"""The five output sheets (SPEC 3), rendered into a plain XlsxWriter book and read back."""

from __future__ import annotations

import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.workbook.workbook import Workbook as OpenpyxlBook
from outputs_data import FORMULA_TEXT, STAMP, findings, identity, region_result, service_rows
from python_calamine import CalamineWorkbook

from spm_xl import labels
from spm_xl.book.outputs import PERCENT_FORMAT, RUPIAH_FORMAT, TIDAK_ADA_SASARAN, render_outputs
from spm_xl.catalogue import load_catalogue
from spm_xl.engine import needs, round_half_up
from spm_xl.records import Identity


def _render(path: Path, ident: Identity | None = None) -> Path:
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    render_outputs(wb, identity=ident or identity(), result=region_result(),
                   findings=findings(), stamp=STAMP, catalogue=load_catalogue())
    wb.close()
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("keluaran") / "keluaran.xlsx")


@pytest.fixture(scope="module")
def values(book: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(book))
    return {n: [list(r) for r in wb.get_sheet_by_name(n).to_python()] for n in wb.sheet_names}


@pytest.fixture(scope="module")
def formulas(book: Path) -> OpenpyxlBook:
    return openpyxl.load_workbook(book)


def _row(rows: list[list[object]], first: object, col: int = 0) -> list[object]:
    return next(r for r in rows if r[col] == first)


def test_five_sheets_in_contract_order(values: dict[str, list[list[object]]]) -> None:
    assert tuple(values) == labels.OUTPUT_SHEETS


def test_every_sheet_has_title_and_stamp_by_label(values: dict[str, list[list[object]]]) -> None:
    for rows in values.values():
        title = str(rows[0][0])
        assert "Kabupaten Bombana" in title and "2026" in title and "Triwulan II" in title
        stamp = rows[labels.STAMP_ROW - 1][:6]
        assert stamp == [labels.STAMP_VERSI, STAMP.versi, labels.STAMP_WAKTU, STAMP.waktu,
                         labels.STAMP_SIDIK, STAMP.sidik]


def test_kebutuhan_totals_are_sum_formulas_caching_python_values(
        values: dict[str, list[list[object]]], formulas: OpenpyxlBook) -> None:
    result = region_result()
    rows = values[labels.KEBUTUHAN]
    k1 = _row(rows, "Jumlah K1", 3)
    assert k1[11:13] == [result.layanan[0].kebutuhan.biaya, result.layanan[0].kebutuhan.sisa]
    total = _row(rows, "Total Kabupaten Bombana", 1)
    assert total[11:13] == [result.biaya, result.sisa]
    ws = formulas[labels.KEBUTUHAN]
    total_row = next(r for r in range(1, ws.max_row + 1)
                     if ws.cell(r, 2).value == "Total Kabupaten Bombana")
    assert str(ws.cell(total_row, 12).value).startswith("=SUM(")
    assert ws.cell(total_row, 12).number_format == RUPIAH_FORMAT


def test_kebutuhan_item_row_carries_need_figures(values: dict[str, list[list[object]]]) -> None:
    meals = next(r for r in values[labels.KEBUTUHAN] if r[0] == "K1" and r[2] == "permakanan")
    # 3 recipients x 7 orang-hari, nothing available, Rp 15.000; one still Butuh
    assert meals[3:13] == ["Permakanan", "orang-hari", 3, 7, 21, 0, 21, 15_000, 315_000,
                           105_000]


def test_capaian_percentages_are_rounded_0_to_100_numbers(
        values: dict[str, list[list[object]]], formulas: OpenpyxlBook) -> None:
    k1 = _row(values[labels.CAPAIAN], "K1")
    # TW II: X = 1 of 3 -> 33.33 %, mutu 3 of 5 -> 60 %, indeks 0.8*33.33.. + 0.2*60 = 38.67
    assert k1[8:13] == [1, 33.33, 60, 38.67, "Belum Tuntas"]
    ws = formulas[labels.CAPAIAN]
    assert ws.cell(6, 10).number_format == PERCENT_FORMAT


def test_capaian_service_without_target_says_so(values: dict[str, list[list[object]]]) -> None:
    k3 = _row(values[labels.CAPAIAN], "K3")
    assert k3[2] == 0
    assert k3[4:8] == [TIDAK_ADA_SASARAN] * 4


def test_capaian_highlights_reported_quarter(formulas: OpenpyxlBook) -> None:
    ws = formulas[labels.CAPAIAN]
    assert ws.cell(4, 9).value == "Triwulan II (dilaporkan)"
    k1 = 6
    reported = ws.cell(k1, 10).fill.fgColor.rgb
    other = ws.cell(k1, 5).fill.fgColor.rgb
    assert reported != other


def test_capaian_region_row_has_index_and_category(
        values: dict[str, list[list[object]]]) -> None:
    region = _row(values[labels.CAPAIAN], "Indeks SPM Bidang Sosial Kabupaten Bombana", 1)
    # mean of K1, K2, K4, K5 at TW II: (38.67.. + 100 + 0 + 10) / 4 = 37.1666..
    assert region[11:13] == [37.17, "Belum Tuntas"]


def test_laporan_reports_the_reported_quarter(values: dict[str, list[list[object]]]) -> None:
    rows = values[labels.LAPORAN]
    a = _row(rows, "K1")
    assert a[2:9] == [3, 1, 2, 33.33, 60, 38.67, "Belum Tuntas"]
    meals = next(r for r in rows if r[0] == "K1" and r[2] == "Permakanan")
    # 3 recipients need 3 x 7 = 21 orang-hari; by TW II only the TW1 mark is delivered
    assert meals[3:9] == [3, 21, "orang-hari", 1, 2, 33.33]
    subtotal = _row(rows, "Jumlah K1", 2)
    assert subtotal[3:9] == [5, "", "", 3, 2, 60]  # volumes of other units are not summed
    budget = [r for r in rows if r[0] == "K1"][-1]
    vs_need = float(round_half_up(Fraction(100 * 10_000_000, 345_000)))  # 2898.55 %
    assert budget[2:8] == [10_000_000, 3_500_000, 6_500_000, 35, 345_000, vs_need]


def test_laporan_totals_are_sum_formulas(formulas: OpenpyxlBook) -> None:
    ws = formulas[labels.LAPORAN]
    budget_total = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Jumlah")
    assert str(ws.cell(budget_total, 3).value).startswith("=SUM(C")


def test_item_needs_count_deliveries_per_quarter() -> None:
    rows = service_rows(load_catalogue(), "K1", [[1, 2], [9, 1], [3]])
    meals, clothes = needs(rows, {}).item[:2]
    assert meals.terpenuhi == (1, 1, 2, 2)
    assert clothes.terpenuhi == (1, 2, 2, 2)


def test_dashboard_has_two_charts_fed_from_its_own_cells(book: Path) -> None:
    with zipfile.ZipFile(book) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        for name in charts:
            assert "'Dashboard'!" in z.read(name).decode() or "Dashboard!" in z.read(
                name).decode()


def test_pemeriksaan_lists_errors_first_with_links(
        values: dict[str, list[list[object]]], formulas: OpenpyxlBook) -> None:
    rows = values[labels.PEMERIKSAAN]
    body = rows[4:]
    assert [r[0] for r in body] == ["Galat", "Peringatan", "Info", "Info"]
    ws = formulas[labels.PEMERIKSAAN]
    link = ws.cell(5, 3).hyperlink
    assert link is not None and link.location == "'K1 Disabilitas'!M12"
    no_cell = next(r for r in range(5, 9) if ws.cell(r, 5).value == "Catatan tanpa sel.")
    assert ws.cell(no_cell, 3).hyperlink is None


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    book = _render(tmp_path / "teks.xlsx", identity(nama=FORMULA_TEXT))
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
    value = wb[labels.PEMERIKSAAN].cell(5, 4)
    assert value.value == FORMULA_TEXT and value.data_type == "s"


def test_quarter_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        _render(tmp_path / "x.xlsx", identity(triwulan=5))
