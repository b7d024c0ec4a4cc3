"""The button path is the CLI path: the hostile corpus through the file and through Excel (the
recording double, which hands over cells as COM and xlwings' own Windows code do) gives the
same findings, or the same refusal; failures always reach the admin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import openpyxl
import pytest
import xlwings as xw
from corpus import find_case
from workbooks import person_row, write_district_workbook
from xlwings_double import (
    Book,
    com_error_code,
    open_book,
    recorder,
    status_texts,
)

from spm_xl.book.reader import read_workbook
from spm_xl.findings import Finding, UnusableWorkbook
from spm_xl.pipeline import evaluate
from spm_xl_excel import buttons, xl
from spm_xl_excel.source import read_book

NIK_A = "7406011508950001"


def by_file(path: Path) -> list[Finding] | str:
    try:
        return evaluate(read_workbook(path)).findings
    except UnusableWorkbook as exc:
        return exc.pesan


def by_excel(path: Path) -> list[Finding] | str:
    try:
        return evaluate(read_book(cast(Any, open_book(path)))).findings
    except UnusableWorkbook as exc:
        return exc.pesan


@pytest.mark.parametrize(("case", "expected"), [
    ("nilai_galat_excel", "nilai_galat_excel"), ("nik_angka", "nik_angka"),
    ("sel_digabung", "sel_digabung"), ("batas_baris", "baris 1048576"),
    ("batas_baris_sempit", "baris 1048576")])
def test_a_hostile_case_gives_the_same_findings_through_excel_as_through_the_file(
        tmp_path: Path, case: str, expected: str) -> None:
    """Findings equal in order, code, sheet, cell, value and message; a refusal word for
    word (``expected``: a finding code the case must give, or a part of the refusal)."""
    path = find_case(case).build(tmp_path)
    from_file, from_excel = by_file(path), by_excel(path)
    assert from_excel == from_file
    if isinstance(from_file, str):
        assert expected in from_file
    else:
        assert expected in {f.kode for f in from_file}


def errors_and_lookalike(tmp_path: Path, spill: bool = False) -> Path:
    """#N/A, #REF!, a text that merely reads "#DIV/0!" and, with ``spill``, a #SPILL! (a
    newer error: COM's code is one xlwings does not map, and python-calamine refuses it)."""
    path = write_district_workbook(
        tmp_path / "galat.xlsx",
        rows={"K1": [person_row(NIK_A, "Budi", sandang="TW1"), person_row(NIK_A, "Ani")]})
    wb = openpyxl.load_workbook(path)
    ws = wb["K1 Disabilitas"]
    ws["C2"] = "#N/A"  # openpyxl stores a known error text as an error value
    ws["L3"] = "#REF!"
    ws["M3"] = "#DIV/0!"
    ws["M3"].data_type = "s"  # typed text (an apostrophe in Excel), not an error
    if spill:
        ws["N3"] = "#SPILL!"
        ws["N3"].data_type = "e"
    wb.save(path)
    return path


def test_error_values_are_errors_and_a_lookalike_text_is_text_on_both_paths(
        tmp_path: Path) -> None:
    path = errors_and_lookalike(tmp_path)
    from_file, from_excel = by_file(path), by_excel(path)
    assert from_excel == from_file
    assert not isinstance(from_file, str)
    errors = {(f.sel, f.nilai) for f in from_file if f.kode == "nilai_galat_excel"}
    assert errors == {("C2", "#N/A"), ("L3", "#REF!")}
    assert any(f.sel == "M3" and f.kode == "status_tidak_dikenal" for f in from_file)


def test_a_newer_error_value_is_an_error_not_a_number(tmp_path: Path) -> None:
    """COM's #SPILL! reaches us as the integer -2146826243 even with ``err_to_str``."""
    found = by_excel(errors_and_lookalike(tmp_path, spill=True))
    assert not isinstance(found, str)
    assert ("N3", "#SPILL!") in {(f.sel, f.nilai) for f in found
                                 if f.kode == "nilai_galat_excel"}


def test_the_double_hands_over_error_values_as_xlwings_does_on_windows(
        tmp_path: Path) -> None:
    book = open_book(errors_and_lookalike(tmp_path, spill=True))
    k1 = book.sheets["K1 Disabilitas"]
    assert k1.range("C2").options(err_to_str=True).value == "#N/A"
    assert k1.range("C2").value is None  # the default: a classic error reads as empty
    assert k1.range("N3").options(err_to_str=True).value == com_error_code("#SPILL!")
    assert com_error_code("#SPILL!") == -2146826243
    assert k1.range("M3").value == "#DIV/0!"


Excel = Callable[[Path], Book]


@pytest.fixture
def excel(monkeypatch: pytest.MonkeyPatch) -> Excel:
    def start(path: Path) -> Book:
        book = open_book(path)
        monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
        return book
    return start


def test_the_row_limit_bomb_is_refused_before_a_cell_is_read(tmp_path: Path,
                                                             excel: Excel) -> None:
    path = find_case("batas_baris").build(tmp_path)
    book = excel(path)
    buttons.periksa_data()
    text, _, mode = recorder(book).alerts[-1]
    assert mode == "critical" and text == by_file(path)
    assert "Range.value" not in recorder(book).calls


def test_excel_refusing_a_range_is_named_as_excel_busy_not_a_broken_file(
        tmp_path: Path, excel: Excel, monkeypatch: pytest.MonkeyPatch) -> None:
    book = excel(write_district_workbook(tmp_path / "kab.xlsx"))

    def rejected(*_: object, **__: object) -> None:
        raise OSError(-2147418111, "Call was rejected by callee.", None, None)

    monkeypatch.setattr(xl, "values", rejected)
    buttons.hitung_ulang()
    text, _, mode = recorder(book).alerts[-1]
    assert mode == "critical" and text.startswith("Excel tidak menyerahkan isi sheet '")
    assert "sedang disunting" in text and "rusak" not in text


def test_started_outside_excel_it_exits_non_zero_so_the_add_in_shows_the_log(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        buttons.periksa_data()
    assert stop.value.code == 1
    assert "tombol Periksa Data / Hitung Ulang" in capsys.readouterr().err


def test_a_message_box_that_fails_goes_to_the_log_with_a_non_zero_exit(
        tmp_path: Path, excel: Excel, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    excel(write_district_workbook(tmp_path / "kab.xlsx", omit_sheets=["K3 Lansia"]))

    def gone(*_: object, **__: object) -> None:
        raise OSError(-2147417848, "The object invoked has disconnected from its clients.")

    monkeypatch.setattr(xl, "alert", gone)
    with pytest.raises(SystemExit) as stop:
        buttons.hitung_ulang()
    assert stop.value.code == 1
    assert capsys.readouterr().err.startswith("Sheet 'K3 Lansia' tidak ada")


def test_progress_shows_in_the_status_bar_and_is_given_back(tmp_path: Path,
                                                            excel: Excel) -> None:
    book = excel(write_district_workbook(tmp_path / "kab.xlsx"))
    buttons.hitung_ulang()
    texts = status_texts(book)
    assert "SPM-XL: membaca sheet K1 Disabilitas..." in texts
    assert "SPM-XL: menulis sheet Dashboard..." in texts
    assert texts[-1] is False  # Excel has its status bar back
