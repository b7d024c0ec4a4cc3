"""NIK and No KK rules (SPEC 2.7)."""

from __future__ import annotations

from datetime import date

import pytest

from spm_xl.nik import check_kk, check_nik, mask_nik

# synthetic: Kab. Bombana (74.06), kecamatan 01, born 15-08-1995, serial 0001
MALE = "7406011508950001"
FEMALE = "7406015508950002"  # day 55 = 15 + 40


def codes(raw: object, year: int = 2026) -> list[str]:
    return [p[1] for p in check_nik(raw, year)[1]]


def test_valid_nik_gives_region_birth_date_and_sex() -> None:
    info, problems = check_nik(MALE, 2026)
    assert problems == [] and info is not None
    assert (info.provinsi, info.kabkota, info.kecamatan) == ("74", "74.06", "74.06.01")
    assert (info.lahir, info.jenis_kelamin) == (date(1995, 8, 15), "L")


def test_women_have_forty_added_to_the_day() -> None:
    info, _ = check_nik(FEMALE, 2026)
    assert info is not None and info.jenis_kelamin == "P" and info.lahir.day == 15


def test_spaces_dots_and_dashes_are_stripped() -> None:
    assert check_nik("74.0601 150895-0001", 2026)[1] == []


def test_birth_century_follows_the_report_year() -> None:
    info, _ = check_nik("7406011508200001", 2026)
    assert info is not None and info.lahir.year == 2020
    info, _ = check_nik("7406011508300001", 2026)
    assert info is not None and info.lahir.year == 1930


@pytest.mark.parametrize(("raw", "code"), [
    ("740601150895001", "nik_panjang"),
    ("74060115089500011", "nik_panjang"),
    ("740601150895000A", "nik_panjang"),
    ("9906011508950001", "nik_provinsi"),
    ("7406011513950001", "nik_tanggal"),  # month 13
    ("7406013208950001", "nik_tanggal"),  # day 32
    ("7406017208950001", "nik_tanggal"),  # day 72
    ("7406013102950001", "nik_tanggal"),  # 31 February
    ("7406011508950000", "nik_urut"),
    (7406011508950001.0, "nik_angka"),
    (7406011508950001, "nik_angka"),
    ("7.40601E+15", "nik_notasi_ilmiah"),
])
def test_errors(raw: object, code: str) -> None:
    assert codes(raw) == [code]
    assert check_nik(raw, 2026)[1][0][0] == "galat"


def test_unknown_kabkota_or_kecamatan_is_only_a_warning() -> None:
    info, problems = check_nik("7499011508950001", 2026)
    assert info is not None and [(p[0], p[1]) for p in problems] == [("peringatan", "nik_kabkota")]
    info, problems = check_nik("7406991508950001", 2026)
    assert [(p[0], p[1]) for p in problems] == [("peringatan", "nik_kecamatan")]


def test_missing_nik_is_info() -> None:
    assert check_nik(None, 2026)[1][0][:2] == ("info", "nik_kosong")
    assert check_nik("  ", 2026)[1][0][:2] == ("info", "nik_kosong")


def test_no_kk_sixteen_digits_or_a_warning() -> None:
    assert check_kk("7406010101200001") == [] and check_kk(None) == []
    assert [p[:2] for p in check_kk("12345")] == [("peringatan", "kk_panjang")]
    assert [p[:2] for p in check_kk(7406010101200001.0)] == [("peringatan", "kk_angka")]


def test_mask_keeps_first_six_and_last_two() -> None:
    assert mask_nik(MALE) == "740601********01"
    assert MALE not in " ".join(p[2] for p in check_nik(MALE, 2026)[1] + check_nik(
        "7406011508950000", 2026)[1])


def test_column_check_agrees_with_the_single_check() -> None:
    from spm_xl.nik import check_niks
    from spm_xl.synthetic import Mess, recipients

    rows = recipients("K1", 400, kabkota="74.06", year=2026, quarter=2, seed=3,
                      mess=Mess(numeric_nik=5, missing_nik=5))
    values = [r["NIK"] for r in rows] + [
        "7406011513950001", "7406013102950001", "7499011508950001", "7406991508950001",
        "7406011508950000", "74.0601 150895-0001", "7406012902960001", "7406012902970001",
        "9906011508950001", "", True, 12]
    batch = check_niks(values, 2026)
    for i, value in enumerate(values):
        info, problems = check_nik(value, 2026)
        assert batch.problems.get(i, []) == problems, value
        assert batch.valid[i] == (info is not None), value
        if info is not None:
            assert batch.nik[i] == info.nik and batch.lahir[i] == info.lahir
            assert batch.perempuan[i] == (info.jenis_kelamin == "P")
