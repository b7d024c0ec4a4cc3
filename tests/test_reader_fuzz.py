"""Fuzzing the reader: any cell content ends in findings or UnusableWorkbook, nothing else.

Hypothesis fills the data sheets, Identitas, Harga Satuan, Anggaran and Konfigurasi with
random values (text with unicode and control characters, formula-looking and error-looking
text, numbers of every size, dates, times, booleans, huge strings, and numbers under
date/time/duration formats), writes the workbook with openpyxl and runs ``read_workbook`` +
``evaluate`` (and, for the input sheets, writes the outputs): the only exception allowed is
``UnusableWorkbook``. Example counts stay modest so the file runs in seconds.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from corpus import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbooks import (
    ANGGARAN_HEADERS,
    HARGA_HEADERS,
    KONFIGURASI_DEFAULTS,
    SERVICES,
    service_headers,
    services_of,
    write_district_workbook,
)

from spm_xl.book.reader import read_workbook
from spm_xl.findings import UnusableWorkbook
from spm_xl.pipeline import compute_file, evaluate

#: SPM_XL_FUZZ_EXAMPLES=2000 for a long local campaign
FUZZ = settings(max_examples=int(os.environ.get("SPM_XL_FUZZ_EXAMPLES", "30")), deadline=None,
                print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: characters XML 1.0 cannot hold; Excel stores them as _xHHHH_, so do we
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: sheets of label/value rows: fuzzed from row 1
LABEL_SHEETS = ("Identitas", "Konfigurasi")


def _excel_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


class Styled:
    """A number written under a number format (a date, time or duration look)."""

    def __init__(self, value: float, number_format: str) -> None:
        self.value, self.number_format = value, number_format

    def __repr__(self) -> str:
        return f"Styled({self.value!r}, {self.number_format!r})"


TEXTS = st.text(max_size=30).map(_excel_text)
LOOKALIKES = st.sampled_from([
    '=HYPERLINK("http://evil","klik")', "+cmd|' /C calc'!A0", "@SUM(1)", "=1/0", "=A1",
    "-2+3", "#N/A", "#REF!", "#DIV/0!", "TW1", "tw 2", "Triwulan III", "IV", "Butuh", "-",
    "L", "P", "Ya", "Tidak", "1.250.000", "Rp 45.000", "Rp 2.500.000,-", "45,5", "(1.000)",
    "09/01/2024", "9 Januari 2024", "31/02/2024", "2024-13-01", "7406011508950001",
    "7.40601E+15", "74.06", "Kabupaten/Kota", "Provinsi", "2026", "_x0000_", " ", "\u00a0",
    "[/bold]", "[red]x[/red]", "[link=http://evil]klik[/link]", ":smile:",
    "_x001B_[2K_x000D_0 galat",  # calamine decodes _xHHHH_: an ANSI escape reaching the terminal
])
NUMBERS = st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
                    st.sampled_from([0, 1, 4, 60, 1900, 45300, 2958465, 2958466, -1, 1e308,
                                     7406011508950000.0, -7406011508950001]))
STYLED = st.builds(Styled, st.one_of(st.floats(-1e12, 1e12), st.integers(-(10**6), 10**7)),
                   st.sampled_from(["dd/mm/yyyy", "hh:mm", "[h]:mm:ss", "@", "0.00E+00"]))
HUGE = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "9", " ", "\u00e9", "\u4e2d"]),
                 st.integers(20_000, 32_767))
VALUES = st.one_of(st.none(), TEXTS, LOOKALIKES, NUMBERS, st.booleans(), STYLED,
                   st.dates(min_value=date(1900, 3, 1)),
                   st.datetimes(min_value=datetime(1900, 3, 1)), st.times(), HUGE)


def _put(ws: openpyxl.worksheet.worksheet.Worksheet, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Styled):
        cell.value = value.value
        cell.number_format = value.number_format
    else:
        cell.value = value


def _book(path: Path, tingkat: str, data: Mapping[str, list[dict[int, object]]],
          inputs: Mapping[str, list[dict[int, object]]]) -> Path:
    """A sound workbook, then the fuzzed cells written over it.

    Rows are given from row 2 (below the header), or from row 1 in the label sheets.
    """
    write_district_workbook(path, tingkat=tingkat, kode="74.06" if tingkat == "kabkota"
                            else "74")
    wb = openpyxl.load_workbook(path)
    for sheet, rows in {**data, **inputs}.items():
        ws = wb[sheet]
        for r, cells in enumerate(rows, start=1 if sheet in LABEL_SHEETS else 2):
            for c, value in cells.items():
                _put(ws, r, c, value)
    wb.save(path)
    return path


def _must_not_raise(path: Path, *, write: bool = False) -> None:
    """Read and evaluate (and with ``write``, compute into another file as hitung -o does)."""
    try:
        data = read_workbook(path)
    except UnusableWorkbook as e:
        assert e.pesan and "Traceback" not in e.pesan
        return
    ev = evaluate(data)
    for f in ev.findings:
        assert f.pesan and f.tingkat in ("galat", "peringatan", "info")
    code, _, err, _ = run_cli(["periksa", str(path)])  # the findings printed on a terminal
    assert code in (0, 1) and "Galat tak terduga" not in err, err
    assert "\x1b" not in err  # no terminal escape sequence from a cell
    if write:
        compute_file(path, path.with_name("hasil.xlsx"))


def _rows(width: int, max_rows: int) -> st.SearchStrategy[list[dict[int, object]]]:
    return st.lists(st.dictionaries(st.integers(1, width + 1), VALUES, max_size=8),
                    max_size=max_rows)


@st.composite
def _data_sheets(draw: st.DrawFn) -> tuple[str, dict[str, list[dict[int, object]]]]:
    tingkat = draw(st.sampled_from(["kabkota", "provinsi"]))
    sheets = {SERVICES[code][0]: draw(_rows(len(service_headers(code)), 3))
              for code in services_of(tingkat)}
    return tingkat, sheets


@given(_data_sheets())
@FUZZ
def test_random_cells_in_every_data_sheet_never_crash_the_reader(
        case: tuple[str, dict[str, list[dict[int, object]]]]) -> None:
    tingkat, sheets = case
    with tempfile.TemporaryDirectory() as tmp:
        _must_not_raise(_book(Path(tmp, "acak.xlsx"), tingkat, sheets, {}))


@st.composite
def _input_sheets(draw: st.DrawFn) -> dict[str, list[dict[int, object]]]:
    """Identitas and Konfigurasi values (column B of each label row), Harga and Anggaran."""
    def values(rows: int) -> list[dict[int, object]]:
        return [{2: draw(VALUES)} if draw(st.booleans()) else {} for _ in range(rows)]

    tingkat = [{2: draw(VALUES)}] if draw(st.integers(0, 4)) == 0 else [{}]
    return {"Identitas": [*tingkat, *values(7)],  # Tingkat garbage only now and then
            "Konfigurasi": [{}, *values(len(KONFIGURASI_DEFAULTS))],  # row 1: a title
            "Harga Satuan": draw(_rows(len(HARGA_HEADERS), 6)),
            "Anggaran": draw(_rows(len(ANGGARAN_HEADERS), 4))}


@given(_input_sheets())
@FUZZ
def test_random_values_in_identitas_harga_anggaran_and_konfigurasi_never_crash(
        inputs: dict[str, list[dict[int, object]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _must_not_raise(_book(Path(tmp, "acak.xlsx"), "kabkota", {}, inputs), write=True)


@pytest.mark.parametrize("value,number_format", [
    (-7406011508950001, "dd/mm/yyyy"),  # a Rust panic inside python-calamine
    (-1e300, "hh:mm"),
    (7406011508950000.0, "[h]:mm:ss"),  # OverflowError building a timedelta
])
def test_a_number_no_date_can_hold_is_unusable_naming_the_sheet(
        tmp_path: Path, value: float, number_format: str) -> None:
    path = _book(tmp_path / "tanggal.xlsx", "kabkota",
                 {"K1 Disabilitas": [{6: Styled(value, number_format), 4: "Budi"}]}, {})
    with pytest.raises(UnusableWorkbook) as info:
        read_workbook(path)
    assert info.value.sheet == "K1 Disabilitas" and "sangat besar" in info.value.pesan
