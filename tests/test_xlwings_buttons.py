"""The buttons against a recording double of xlwings: same output sheets as the file path,
input cells untouched apart from highlight colours, highlights taken off when fixed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
from openpyxl.styles import PatternFill
from python_calamine import CalamineWorkbook
from workbooks import person_row, write_district_workbook
from xlwings_double import (
    Book,
    chart_series,
    fill_of,
    open_book,
    opened_books,
    recorder,
    workbook_of,
)

from spm_xl import labels
from spm_xl.book.reader import read_workbook
from spm_xl.book.template import build_template
from spm_xl.demo import district_fill
from spm_xl.pipeline import compute_file, evaluate
from spm_xl_excel import buttons, xl
from spm_xl_excel.highlight import BOOK_SHEET, COLOURS

NIK_A = "7406011508950001"
NIK_B = "7406015508950002"
BLUE = (221, 235, 247)  # the admin's own fill on one of the bad cells
INPUT_SHEETS = ("Petunjuk", "Identitas", "Harga Satuan", "Anggaran", "Konfigurasi",
                "K1 Disabilitas", "K2 Anak", "K3 Lansia", "K4 Gepeng", "K5 Bencana")
Excel = Callable[[Path], Book]


def district(tmp_path: Path) -> Path:
    """A district book with errors (NIK too short, NIK as number, unknown mark, merged cell)
    and warnings (an elder under 60, unit prices of 0); K1 L4 carries the admin's own fill."""
    k1 = [person_row(NIK_A, "Budi", lahir=date(1995, 8, 15), jk="L", permakanan="TW1",
                     sandang="TW2"),
          person_row("74060115089500", "Ani", permakanan="Butuh"),
          person_row(NIK_B, "Cici", lahir=date(1995, 8, 15), jk="P", sandang="TW5"),
          person_row(7406011508950003, "Dedi", sandang="TW1")]
    k3 = [person_row("7406010101900004", "Eko", lahir=date(1990, 1, 1), jk="L",
                     permakanan="TW1")]
    path = write_district_workbook(
        tmp_path / "kab.xlsx", rows={"K1": k1, "K3": k3}, merges={"K2 Anak": ["M3:M4"]},
        prices={("K1", "permakanan"): 15000}, budgets={"K1": [1_000_000, 250_000, 0, 0, 0]})
    wb = openpyxl.load_workbook(path)
    wb["K1 Disabilitas"]["L4"].fill = PatternFill("solid", fgColor="FFDDEBF7")
    wb.save(path)
    return path


@pytest.fixture
def excel(monkeypatch: pytest.MonkeyPatch) -> Excel:
    """Open a file in the double and make it the workbook whose button was clicked."""
    def start(path: Path) -> Book:
        book = open_book(path)

        def caller(cls: type) -> Book:
            recorder(book).calls.append("Book.caller")
            return book

        monkeypatch.setattr(xw.Book, "caller", classmethod(caller))
        return book
    return start


def saved(book: Book, path: Path) -> Path:
    workbook_of(book).save(path)
    return path


def grid(path: Path, sheet: str) -> list[list[object]]:
    """A sheet's values as python-calamine reads them, trailing blanks trimmed, the stamp's
    time blanked (the one cell that differs between two runs)."""
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    rows: list[list[object]] = [list(r) for r in values]
    if len(rows) >= labels.STAMP_ROW:
        rows[labels.STAMP_ROW - 1][3] = ""
    while rows and not any(v != "" for v in rows[-1]):
        rows.pop()
    width = max((i + 1 for r in rows for i, v in enumerate(r) if v != ""), default=0)
    return [r[:width] + [""] * (width - len(r)) for r in rows]


def finding_cells(path: Path) -> dict[tuple[str, str], tuple[int, int, int]]:
    """The input cells errors and warnings point at, with their colour (errors first)."""
    out: dict[tuple[str, str], tuple[int, int, int]] = {}
    for f in evaluate(read_workbook(path), report_stale=False).findings:
        m = re.match(r"[A-Z]+[0-9]+", f.sel or "")
        if f.tingkat in COLOURS and f.sheet in INPUT_SHEETS and m:
            out.setdefault((f.sheet, m.group(0)), COLOURS[f.tingkat])
    return out


def cells(wb: openpyxl.Workbook, sheet: str) -> dict[str, tuple[object, object]]:
    ws = wb[sheet]
    return {c.coordinate: (c.value, fill_of(c)) for row in ws.iter_rows() for c in row}


def template(tmp_path: Path) -> Path:
    """The real template with messy synthetic data: output sheets already in place."""
    path = tmp_path / "templat.xlsx"
    build_template(path, level="kabkota", kode="74.06", tahun=2026, fmt="xlsx",
                   fill=district_fill("74.06", (30,) * 5, 2, seed=3))
    return path


@pytest.mark.parametrize("make", [district, template], ids=["outputs-added", "outputs-replaced"])
def test_hitung_ulang_writes_the_same_output_sheets_as_spm_xl_hitung(
        tmp_path: Path, excel: Excel, make: Callable[[Path], Path]) -> None:
    src = make(tmp_path)
    by_file = tmp_path / "file.xlsx"
    compute_file(src, by_file)
    book = excel(src)
    buttons.hitung_ulang()
    by_excel = saved(book, tmp_path / "excel.xlsx")
    for sheet in labels.OUTPUT_SHEETS:
        assert grid(by_excel, sheet) == grid(by_file, sheet), sheet
    visible = [ws.title for ws in workbook_of(book).worksheets if ws.sheet_state == "visible"]
    assert visible == [m.name for m in CalamineWorkbook.from_path(str(by_file)).sheets_metadata]
    assert all(b._closed for b in opened_books(book))  # the temporary book was closed


def test_hitung_ulang_changes_inputs_only_by_the_fill_of_finding_cells(
        tmp_path: Path, excel: Excel) -> None:
    src = district(tmp_path)
    before = openpyxl.load_workbook(src)
    book = excel(src)
    buttons.hitung_ulang()
    after = workbook_of(book)
    wanted = finding_cells(src)
    assert ("K1 Disabilitas", "B3") in wanted and ("K3 Lansia", "F2") in wanted
    for sheet in INPUT_SHEETS:
        old, new = cells(before, sheet), cells(after, sheet)
        assert {k: v for k, (v, _) in new.items() if v is not None} == {
            k: v for k, (v, _) in old.items() if v is not None}, sheet
        changed = {k: new[k][1] for k in new if new[k][1] != old.get(k, (None, None))[1]}
        assert changed == {cell: rgb for (s, cell), rgb in wanted.items() if s == sheet}
    assert after[BOOK_SHEET].sheet_state == "hidden"
    assert workbook_of(book).active.title == "Petunjuk"  # where the admin clicked


def test_a_second_run_takes_off_the_highlights_that_no_longer_apply(
        tmp_path: Path, excel: Excel) -> None:
    src = district(tmp_path)
    book = excel(src)
    buttons.hitung_ulang()
    k1 = workbook_of(book)["K1 Disabilitas"]
    assert fill_of(k1["B3"]) == COLOURS["galat"] and fill_of(k1["L4"]) == COLOURS["galat"]
    k1["B3"] = "7406011508950005"  # the admin fixes the short NIK ...
    k1["L4"] = "TW2"  # ... and the unknown mark, in a cell that had their own blue fill
    buttons.hitung_ulang()
    assert fill_of(k1["B3"]) is None
    assert fill_of(k1["L4"]) == BLUE
    assert fill_of(k1["B5"]) == COLOURS["galat"]  # the NIK stored as a number is still wrong
    kept = {(r[0], r[1]) for r in workbook_of(book)[BOOK_SHEET].iter_rows(min_row=3,
                                                                         values_only=True)}
    assert ("'K1 Disabilitas", "B3") not in kept and ("'K1 Disabilitas", "B5") in kept
    assert "2 sel yang sudah tidak bermasalah" in recorder(book).alerts[-1][0]


def test_the_buttons_make_only_the_xlwings_calls_the_thin_layer_declares(
        tmp_path: Path, excel: Excel) -> None:
    book = excel(district(tmp_path))
    buttons.periksa_data()
    buttons.hitung_ulang()
    buttons.hitung_ulang()
    calls = set(recorder(book).calls)
    assert calls <= xl.CALLS, calls - xl.CALLS
    assert {"Book.caller", "Sheet.copy", "Range.color=", "App.alert"} <= calls


def test_the_message_box_gives_the_counts_and_the_regions_index(
        tmp_path: Path, excel: Excel) -> None:
    book = excel(district(tmp_path))
    buttons.hitung_ulang()
    text, title, mode = recorder(book).alerts[-1]
    assert (title, mode) == ("SPM-XL", "info")
    assert text.startswith("Hitung Ulang selesai: Kabupaten Bombana, Triwulan II tahun 2026.")
    assert re.search(r"Indeks SPM Bidang Sosial TW II: \d+,\d\d \(", text)
    assert re.search(r"Temuan: \d+ galat, \d+ peringatan, \d+ info\.", text)
    assert "Traceback" not in text


def test_periksa_data_rewrites_only_the_pemeriksaan_sheet(tmp_path: Path,
                                                          excel: Excel) -> None:
    src = district(tmp_path)
    book = excel(src)
    buttons.periksa_data()
    wb = workbook_of(book)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"][-1] == "Pemeriksaan"
    assert not any(name in wb.sheetnames for name in labels.OUTPUT_SHEETS[:4])
    assert recorder(book).alerts[-1][0].startswith("Periksa Data selesai: ")


def test_an_unusable_workbook_shows_its_own_message_and_changes_nothing(
        tmp_path: Path, excel: Excel) -> None:
    src = write_district_workbook(tmp_path / "kab.xlsx", omit_sheets=["K3 Lansia"])
    book = excel(src)
    buttons.hitung_ulang()
    text, _, mode = recorder(book).alerts[-1]
    assert mode == "critical" and text.startswith("Sheet 'K3 Lansia' tidak ada")
    assert workbook_of(book).sheetnames == openpyxl.load_workbook(src).sheetnames


def test_an_unexpected_failure_is_one_sentence_without_a_traceback_or_a_nik(
        tmp_path: Path, excel: Excel, monkeypatch: pytest.MonkeyPatch) -> None:
    book = excel(district(tmp_path))

    def broken(*_: object) -> None:
        raise KeyError("NIK 7406011508950001 rusak")

    monkeypatch.setattr("spm_xl_excel.run.write_output_sheets", broken)
    monkeypatch.delenv("SPM_XL_DEBUG", raising=False)
    buttons.hitung_ulang()
    text, _, mode = recorder(book).alerts[-1]
    assert mode == "critical" and "kesalahan yang tidak terduga" in text
    assert "7406011508950001" not in text and "740601********01" in text


def test_a_locked_sheet_is_left_uncoloured_and_counted(tmp_path: Path, excel: Excel) -> None:
    src = district(tmp_path)
    book = excel(src)
    recorder(book).locked = frozenset({"K3 Lansia"})
    buttons.hitung_ulang()
    assert fill_of(workbook_of(book)["K3 Lansia"]["F2"]) is None
    assert "tidak dapat diwarnai (sheetnya terkunci)" in recorder(book).alerts[-1][0]


def test_hitung_ulang_rewrites_existing_output_sheets_in_place_never_renaming_or_deleting(
        tmp_path: Path, excel: Excel) -> None:
    """Excel rewrites ``=Capaian!E6`` on the admin's own sheet when Capaian is renamed and
    turns it into #REF! when it is deleted: the very sheet objects must stay."""
    book = excel(template(tmp_path))
    wb = workbook_of(book)
    wb.create_sheet("Catatan Saya")["A1"] = "=Capaian!E6"
    before = {name: wb[name] for name in labels.OUTPUT_SHEETS}
    order = list(wb.sheetnames)
    buttons.hitung_ulang()
    buttons.hitung_ulang()
    assert all(wb[name] is ws for name, ws in before.items())
    assert [n for n in wb.sheetnames if n != BOOK_SHEET] == order
    calls = recorder(book).calls
    assert "Sheet.name=" not in calls and "Sheet.delete" not in calls
    assert wb["Catatan Saya"]["A1"].value == "=Capaian!E6"
    charts = chart_series(book, "Dashboard")
    assert len(charts) == 2  # brought in by the first run, kept (not doubled) by the second
    for series in charts:
        refs = [r for f in series for r in re.findall(r"([^,(]+)!\$", f)]
        assert refs and set(refs) <= {"Dashboard", "'Dashboard'"}, series  # no other book


def test_a_protected_output_sheet_is_named_and_left_as_it_was(tmp_path: Path,
                                                              excel: Excel) -> None:
    book = excel(template(tmp_path))
    recorder(book).locked = frozenset({"Kebutuhan"})
    before = cells(workbook_of(book), "Kebutuhan")
    buttons.hitung_ulang()
    text, _, mode = recorder(book).alerts[-1]
    assert mode == "critical"
    assert text.startswith("Sheet 'Kebutuhan' tidak dapat ditulis ulang karena sheetnya dikunci")
    assert cells(workbook_of(book), "Kebutuhan") == before
