"""Quarter awareness (issue 14): later quarters blank, later marks warned, --triwulan stamped.

Hand-worked: a TW II workbook with one TW1 mark, one TW3 mark, a TW III realisation and an
assessment dated 15 July gives three warnings (one per kind) and one hint; its JSON keeps
four-element arrays with TW III and IV null; its Capaian shows "belum" there.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from test_checks import NIK, book, sheet
from workbooks import person_row, write_district_workbook

from spm_xl import labels
from spm_xl.checks import check_workbook
from spm_xl.cli import main
from spm_xl.quarters import quarter_argument, reported_only
from spm_xl.records import Budget
from spm_xl.waktu import indonesian_time, zone_of

B = "7406015203800002"  # synthetic, female


def codes(data: object) -> list[tuple[str, str, str | None]]:
    return [(f.tingkat, f.kode, f.sel) for f in check_workbook(data)]  # type: ignore[arg-type]


def test_later_quarter_figures_are_none() -> None:
    assert reported_only([1, 2, 3, 4], 2) == [1, 2, None, None]
    assert reported_only([1, 2, 3, 4], 4) == [1, 2, 3, 4]


@pytest.mark.parametrize("text,q", [("1", 1), ("II", 2), ("iii", 3), ("TW4", 4),
                                    ("Triwulan II", 2)])
def test_triwulan_option_accepts_numbers_and_roman(text: str, q: int) -> None:
    assert quarter_argument(text) == q


@pytest.mark.parametrize("text", ["5", "0", "V", "dua"])
def test_triwulan_option_refuses_other_words(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        quarter_argument(text)


def test_a_later_mark_is_a_warning_with_its_cell_and_a_hint() -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK}, {labels.D_NIK: B}], [[1], [3]]))
    found = codes(data)
    assert ("peringatan", "tanda_triwulan_berikut", None) in found or any(
        k == "tanda_triwulan_berikut" for _, k, _ in found)
    assert ("info", "data_triwulan_berikut", None) in found


def test_marks_up_to_the_reported_quarter_are_quiet() -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK}, {labels.D_NIK: B}], [[1], [2]]))
    assert not any("triwulan" in k for _, k, _ in codes(data))


def test_a_later_realisation_is_a_warning() -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]))
    data.budgets["K1"] = Budget("K1", 1000, (100, 100, 50, 0))
    assert ("peringatan", "realisasi_triwulan_berikut", None) in codes(data)


def test_an_assessment_after_the_quarter_end_is_a_warning() -> None:
    rows = sheet("K1", [{labels.D_NIK: NIK}, {labels.D_NIK: B}], [[1], [2]])
    rows.person[labels.D_ASESMEN] = [date(2026, 6, 30), date(2026, 7, 15)]
    rows.columns[labels.D_ASESMEN] = "J"
    found = check_workbook(book(rows))
    (late,) = [f for f in found if f.kode == "asesmen_triwulan_berikut"]
    assert (late.sel, late.nilai) == ("J3", "15-07-2026")  # 30 June is still TW II


@pytest.mark.parametrize("typed,expected", [("Laki-laki", []), ("PEREMPUAN", ["nik_jk_beda"]),
                                            ("X", ["jk_tidak_dikenal"]), ("L", [])])
def test_sex_words_are_read_as_l_and_p_and_others_flagged(typed: str,
                                                          expected: list[str]) -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK, labels.D_JK: typed}], [[1]]))  # NIK: male
    assert [k for _, k, _ in codes(data) if k.startswith(("nik_jk", "jk_"))] == expected


def test_an_empty_workbook_says_so() -> None:
    data = book()
    assert ("peringatan", "data_kosong", None) in codes(data)


def test_zone_follows_the_province_code() -> None:
    assert [zone_of(k) for k in ("74.06", "31.71", "94", "61.01", "64", "82.01")] == [
        "WITA", "WIB", "WIT", "WIB", "WITA", "WIT"]
    moment = datetime(2026, 7, 1, 2, 5, tzinfo=UTC)
    assert indonesian_time(moment, "74.06") == "1 Juli 2026 10.05 WITA"
    assert indonesian_time(moment, "91") == "1 Juli 2026 11.05 WIT"


def tw2_workbook(path: Path) -> Path:
    return write_district_workbook(path, triwulan=2, rows={"K1": [
        person_row(NIK, "Andi", permakanan="TW1"), person_row(B, "Sari", sandang="TW3")]},
        budgets={"K1": [1_000_000, 100_000, 0, 50_000, 0]})


def test_hitung_json_and_capaian_leave_later_quarters_blank(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tw2_workbook(tmp_path / "d.xlsx")
    assert main(["hitung", str(path), "--json"]) == 0
    k1 = json.loads(capsys.readouterr().out)["layanan"][0]
    assert k1["terlayani"] == [1, 1, None, None]
    assert k1["anggaran"]["realisasi_rp"] == [100_000, 100_000, None, None]
    ws = openpyxl.load_workbook(path)[labels.CAPAIAN]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "K1")
    assert row[3] == 1 and row[8] == 1  # Terlayani TW I, TW II
    assert row[13:23] == ("belum",) * 10  # TW III and TW IV blocks


def test_triwulan_override_is_said_and_not_called_stale(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tw2_workbook(tmp_path / "d.xlsx")
    assert main(["hitung", str(path), "--triwulan", "III", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["triwulan"] == 3 and doc["layanan"][0]["terlayani"] == [1, 1, 2, None]
    assert main(["periksa", str(path), "--json"]) == 0
    found = [f["kode"] for f in json.loads(capsys.readouterr().out)["daftar_temuan"]]
    assert "hasil_usang" not in found
    assert found.count("hasil_triwulan_lain") == 1  # once, not once per sheet


def test_stale_outputs_are_one_finding(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tw2_workbook(tmp_path / "d.xlsx")
    assert main(["hitung", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    wb[labels.ANGGARAN]["B2"] = 2_000_000
    wb.save(path)
    capsys.readouterr()
    assert main(["periksa", str(path), "--json"]) == 0
    stale = [f for f in json.loads(capsys.readouterr().out)["daftar_temuan"]
             if f["kode"] == "hasil_usang"]
    assert len(stale) == 1 and "Capaian" in stale[0]["pesan"]


def test_triwulan_v_is_refused_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["hitung", "x.xlsx", "--triwulan", "V"])
    assert exit_.value.code == 2
    assert "triwulan 'V' tidak dikenal" in capsys.readouterr().err
