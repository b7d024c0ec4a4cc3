"""A workbook filled by an outside script, computed by `spm-xl hitung` (SPEC 2.4-2.6, 4).

The workbook is written with openpyxl through the public labels only (tests/workbooks.py does
not import spm_xl), with status variants, title rows above the header and a reordered,
extended header; the expected figures are worked out by hand below.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from workbooks import person_row, service_headers, write_district_workbook

from spm_xl.cli import main

A, B, C = "7406011508950001", "7406015203800002", "7406010101700003"  # synthetic


def district(path: Path) -> Path:
    head = service_headers("K1")
    head = ["Catatan Admin", *reversed(head)]  # moved columns plus one of the admin's own
    rows = [
        person_row(A, "Andi", lahir=date(1995, 8, 15), jk="L",
                   permakanan="tw 1", sandang="Triwulan II"),
        person_row(B, "Sari", lahir=date(1980, 3, 12), jk="P",
                   permakanan="Butuh", alat_bantu="II"),
        None,  # a blank row in the middle
        person_row(C, "Budi", lahir=date(1970, 1, 1), jk="L", sandang="3"),
    ]
    return write_district_workbook(
        path, triwulan=2, title_rows=2, rows={"K1": rows}, headers={"K1": head},
        prices={("K1", "permakanan"): "Rp 15.000", ("K1", "sandang"): 250000,
                ("K1", "alat_bantu"): "1.500.000"},
        budgets={"K1": [3_000_000, 500_000, 700_000, 0, 0]})


@pytest.fixture
def computed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, Path]:
    path = district(tmp_path / "bombana.xlsx")
    code = main(["hitung", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out), path


def test_achievement_matches_the_hand_worked_figures(computed: tuple[int, dict, Path]) -> None:
    code, doc, _ = computed
    assert code == 0
    k1 = doc["layanan"][0]
    # a TW II report: TW III and IV are not results yet (null), Budi's TW3 mark not counted
    assert (k1["kode"], k1["sasaran"], k1["terlayani"]) == ("K1", 3, [0, 1, None, None])
    # pairs: 5 needed; delivered 1, 3 by TW I, TW II
    assert k1["persen_mutu"] == [20.0, 60.0, None, None]
    assert k1["persen_penerima"] == [0.0, 33.33, None, None]
    # TW2: 0.8 * 33.33.. + 0.2 * 60 = 38.67
    assert k1["indeks"] == [4.0, 38.67, None, None]
    assert k1["kategori"] == ["Belum Tuntas", "Belum Tuntas", None, None]


def test_services_without_target_are_null_and_left_out(computed: tuple[int, dict, Path]) -> None:
    _, doc, _ = computed
    for s in doc["layanan"][1:]:
        assert s["sasaran"] == 0 and s["indeks"] == [None] * 4 and s["kategori"] == [None] * 4
    assert doc["indeks_daerah"] == [4.0, 38.67, None, None]
    assert doc["kategori_daerah"] == ["Belum Tuntas", "Belum Tuntas", None, None]
    assert (doc["wilayah"], doc["tahun"], doc["triwulan"]) == (
        {"kode": "74.06", "nama": "Kabupaten Bombana", "tingkat": "kabkota"}, 2026, 2)


def test_needs_and_budget_match_the_hand_worked_figures(computed: tuple[int, dict, Path]) -> None:
    _, doc, _ = computed
    k1 = doc["layanan"][0]
    items = {i["kode"]: i for i in k1["kebutuhan"]["item"]}
    assert items["permakanan"] == {"kode": "permakanan", "penerima": 2, "volume": 14,
                                   "tersedia": 0, "kekurangan": 14, "harga_satuan": 15000,
                                   "biaya_rp": 210000, "sisa_rp": 105000}
    assert items["sandang"]["biaya_rp"] == 500000 and items["alat_bantu"]["biaya_rp"] == 1500000
    assert items["rujukan"]["penerima"] == 0
    assert (k1["kebutuhan"]["biaya_rp"], k1["kebutuhan"]["sisa_rp"]) == (2_210_000, 105_000)
    assert k1["anggaran"] == {"alokasi_rp": 3_000_000,
                              "realisasi_rp": [500_000, 1_200_000, None, None]}
    # Budi's TW3 mark in a TW II report: a warning and the hint that Identitas may be behind
    assert doc["temuan"] == {"galat": 0, "peringatan": 1, "info": 1}


def test_only_output_sheets_change(computed: tuple[int, dict, Path], tmp_path: Path) -> None:
    _, _, path = computed
    before = district(tmp_path / "again.xlsx")
    with zipfile.ZipFile(before) as old, zipfile.ZipFile(path) as new:
        for name in old.namelist():
            if name.startswith("xl/worksheets/sheet") and name in new.namelist():
                sheet_xml = old.read(name)
                # output sheets did not exist before; every input sheet is the same bytes
                assert new.read(name) == sheet_xml, name


def test_periksa_lists_findings_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_district_workbook(tmp_path / "x.xlsx", rows={"K1": [
        person_row(7406011508950001.0, "Andi", permakanan="TW1"),
        person_row(A, "Budi", permakanan="Sudah")]})
    assert main(["periksa", str(path), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["perintah"], doc["berkas"], doc["tahun"], doc["triwulan"]) == (
        "periksa", "x.xlsx", 2026, 2)
    found = doc["daftar_temuan"]
    assert doc["temuan"]["galat"] == sum(f["tingkat"] == "galat" for f in found)
    assert {f["kode"] for f in found} >= {"nik_angka", "status_tidak_dikenal"}
    assert all(set(f) == {"tingkat", "sheet", "sel", "kode", "pesan"} for f in found)
    nik_finding = next(f for f in found if f["kode"] == "nik_angka")
    assert (nik_finding["sheet"], nik_finding["sel"]) == ("K1 Disabilitas", "B2")


def test_hitung_reports_data_errors_with_exit_1(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write_district_workbook(tmp_path / "x.xlsx", rows={"K1": [
        person_row(A, "Andi", permakanan="TW1"), person_row(A, "Andi", permakanan="TW1")]})
    assert main(["hitung", str(path)]) == 1
    assert "NIK 740601********01 sudah dipakai" in capsys.readouterr().err


def test_stale_result_is_reported_after_an_input_changes(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    path = district(tmp_path / "d.xlsx")
    assert main(["hitung", str(path)]) == 0
    assert main(["periksa", str(path), "--json"]) == 0
    assert "hasil_usang" not in capsys.readouterr().out
    book = openpyxl.load_workbook(path)  # the admin edits one mark after computing
    sheet = book["K1 Disabilitas"]
    header = [c.value for c in sheet[3]]
    sheet.cell(row=4, column=header.index("Rujukan") + 1, value="Butuh")
    book.save(path)
    assert main(["periksa", str(path), "--json"]) == 0
    assert "hasil_usang" in capsys.readouterr().out


def test_templat_writes_a_template_that_checks_clean(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["templat", "--tingkat", "kabkota", "--kode", "74.06", "--tahun", "2026",
                 "-o", str(out)]) == 0
    assert main(["periksa", str(out), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["daftar_temuan"]
    assert [(f["tingkat"], f["kode"]) for f in found] == [("peringatan", "data_kosong")]
