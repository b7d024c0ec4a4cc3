"""Cell values as admins type them: status marks, rupiah, quantities, dates, text (SPEC 2.3, 7)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from spm_xl.book.cells import (
    display_value,
    parse_date,
    parse_decimal,
    parse_quarter,
    parse_rupiah,
    parse_status,
    parse_text,
)
from spm_xl.records import BUTUH, NOT_NEEDED


@pytest.mark.parametrize(("raw", "code"), [
    (None, NOT_NEEDED), ("", NOT_NEEDED), ("  ", NOT_NEEDED), ("-", NOT_NEEDED),
    ("Butuh", BUTUH), ("butuh", BUTUH), (" BUTUH ", BUTUH),
    ("TW1", 1), ("tw2", 2), ("TW 3", 3), ("Tw  4", 4),
    ("Triwulan I", 1), ("triwulan ii", 2), ("TRIWULAN III", 3), ("Triwulan IV", 4),
    ("Triwulan 2", 2), ("TW IV", 4),
    ("I", 1), ("ii", 2), ("III", 3), ("IV", 4),
    ("1", 1), ("4", 4), (1, 1), (3.0, 3), (4, 4),
])
def test_status_variants_are_normalised(raw: object, code: int) -> None:
    assert parse_status(raw) == (code, None)


@pytest.mark.parametrize("raw", ["Ya", "x", "TW5", "V", "0", 0, 5, 2.5, True, "Sudah",
                                 date(2026, 1, 9)])
def test_unknown_status_is_an_error_listing_the_accepted_values(raw: object) -> None:
    code, error = parse_status(raw)
    assert code is None and error is not None
    for accepted in ("Butuh", "TW1", "TW4", "-"):
        assert accepted in error


def test_a_nik_typed_into_a_status_cell_is_masked_in_the_message() -> None:
    _, error = parse_status(7406011508950001.0)
    assert error is not None and "7406011508950001" not in error and "740601" in error


@pytest.mark.parametrize(("raw", "quarter"), [("II", 2), (3, 3), ("TW4", 4), ("Triwulan I", 1)])
def test_quarter_accepts_roman_and_digits(raw: object, quarter: int) -> None:
    assert parse_quarter(raw) == (quarter, None)


@pytest.mark.parametrize("raw", [None, "", "Butuh", "V", 0])
def test_quarter_rejects_anything_else(raw: object) -> None:
    assert parse_quarter(raw)[0] is None and parse_quarter(raw)[1]


@pytest.mark.parametrize(("raw", "rupiah"), [
    (1250000, 1250000), (1250000.0, 1250000), ("1250000", 1250000),
    ("1.250.000", 1250000), ("Rp 1.250.000", 1250000), ("Rp45.000", 45000),
    ("rp. 45.000", 45000), ("1.250.000,00", 1250000), ("Rp 45.000,-", 45000),
    ("1,250,000", 1250000), ("1.250", 1250), (0, 0), ("0", 0),
    (1375000.0000000002, 1375000),  # float noise from a formula
])
def test_rupiah_from_numbers_and_indonesian_text(raw: object, rupiah: int) -> None:
    assert parse_rupiah(raw) == (rupiah, None)


@pytest.mark.parametrize(("raw", "word"), [
    (1250.5, "pecahan"), ("1.250,50", "pecahan"), ("1,5", "pecahan"),
    (-45000, "negatif"), ("-45.000", "negatif"), ("Rp (45.000)", "negatif"),
    ("empat puluh ribu", "bukan"), ("Rp", "bukan"), ("45rb", "bukan"), (True, "bukan"),
])
def test_bad_rupiah_is_an_error(raw: object, word: str) -> None:
    value, error = parse_rupiah(raw)
    assert value is None and error is not None and word in error


def test_empty_rupiah_is_empty_not_an_error() -> None:
    assert parse_rupiah(None) == (None, None)
    assert parse_rupiah("  ") == (None, None)


@pytest.mark.parametrize(("raw", "value"), [
    ("45,5", Decimal("45.5")), (45.5, Decimal("45.5")), (7, Decimal(7)), ("180", Decimal(180)),
    ("1.250", Decimal(1250)),  # a dot before three digits groups thousands
    ("1.5", Decimal("1.5")), ("0.250", Decimal("0.25")), ("1.250,5", Decimal("1250.5")),
    ("1,250.5", Decimal("1250.5")), (0.19999999999999996, Decimal("0.2")),
])
def test_quantities_use_the_indonesian_decimal_comma(raw: object, value: Decimal) -> None:
    assert parse_decimal(raw) == (value, None)


@pytest.mark.parametrize("raw", ["tujuh", "-2", "1.25.000", float("nan")])
def test_bad_quantities_are_errors(raw: object) -> None:
    assert parse_decimal(raw)[0] is None and parse_decimal(raw)[1]


@pytest.mark.parametrize(("raw", "value"), [
    (date(2024, 1, 9), date(2024, 1, 9)), (datetime(2024, 1, 9, 13, 5), date(2024, 1, 9)),
    (45300, date(2024, 1, 9)), (45300.75, date(2024, 1, 9)), ("45300", date(2024, 1, 9)),
    ("09/01/2024", date(2024, 1, 9)), ("9-1-2024", date(2024, 1, 9)),
    ("09.01.2024", date(2024, 1, 9)), ("2024-01-09", date(2024, 1, 9)),
    ("2024-01-09 00:00:00", date(2024, 1, 9)), ("9 Januari 2024", date(2024, 1, 9)),
    ("9 Jan 2024", date(2024, 1, 9)), ("09-Jan-2024", date(2024, 1, 9)),
    ("17 Agustus 1945", date(1945, 8, 17)), ("1 Nopember 1960", date(1960, 11, 1)),
    ("Selasa, 9 Januari 2024", date(2024, 1, 9)), ("1 mei 1950", date(1950, 5, 1)),
])
def test_dates_from_cells_serials_and_text(raw: object, value: date) -> None:
    assert parse_date(raw) == (value, None)


@pytest.mark.parametrize(("raw", "word"), [
    ("31/02/2024", "kalender"), ("09/01/24", "empat digit"), ("1990", "tahun"),
    (1990, "tahun"), ("kemarin", "bukan tanggal"), ("13 Brumaire 2024", "bukan tanggal"),
    (-5, "bukan tanggal"), (True, "bukan tanggal"), (60, "kalender"),
])
def test_bad_dates_are_errors(raw: object, word: str) -> None:
    value, error = parse_date(raw)
    assert value is None and error is not None and word in error


def test_excel_serials_follow_the_1900_date_system() -> None:
    assert parse_date(1) == (date(1900, 1, 1), None)
    assert parse_date(59) == (date(1900, 2, 28), None)
    assert parse_date(61) == (date(1900, 3, 1), None)


def test_text_is_stripped_and_empty_is_none() -> None:
    assert parse_text("  Budi  ") == "Budi"
    assert parse_text("   ") is None and parse_text(None) is None
    assert parse_text(12.0) == "12" and parse_text(1.5) == "1.5"


def test_display_value_masks_nik_like_numbers_and_stays_short() -> None:
    assert display_value("NIK 7406011508950001") == "NIK 740601********01"
    assert len(display_value("x" * 500)) == 40
