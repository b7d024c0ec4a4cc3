"""`spm-xl tahun-baru`: next year's workbook with the people still owed, worked out by hand.

The old workbook is written by an outside script (openpyxl, public labels only). Who is
carried, and which of their items stay Butuh, is decided below row by row; the new book is
read back through the public reader, checked by `spm-xl periksa` and opened by LibreOffice.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert, require_soffice
from workbooks import ITEMS, item_codes, person_row, services_of, write_district_workbook

from spm_xl.book.reader import read_workbook
from spm_xl.cli import main
from spm_xl.records import BUTUH, NOT_NEEDED

A, B, E = "7406011508709001", "7406015203809002", "7406010101909003"  # synthetic


def old_book(path: Path) -> Path:
    harga = []
    for c in services_of("kabkota"):
        for item in item_codes(c):
            standar = 10 if (c, item) == ("K1", "permakanan") else (
                7 if item in ("permakanan", "penampungan") else 1)
            harga.append([c, item, ITEMS[item][0], ITEMS[item][1], standar,
                          15000 if item == "permakanan" else 250000,
                          5 if (c, item) == ("K1", "sandang") else 0,
                          "SSH 2026" if c == "K1" else None])
    k1 = [
        # A: permakanan still owed, sandang delivered -> carried, permakanan Butuh only
        {**person_row(A, "Andi", lahir=date(1970, 8, 15), jk="L", permakanan="Butuh",
                      sandang="TW1"), "Alamat": "Jl. Lauru 1", "Keterangan": "kursi roda"},
        # B: everything delivered -> fully served, not carried
        person_row(B, "Sari", lahir=date(1980, 3, 12), jk="P", permakanan="TW1",
                   sandang="TW2"),
        # C: no NIK; alat bantu and rujukan owed (one typed "butuh"), sandang delivered
        person_row(None, "Citra", lahir=date(1975, 5, 5), jk="P", alat_bantu="Butuh",
                   rujukan="butuh", sandang="TW3"),
        # D: identity only, never assessed -> not carried
        person_row(None, "Dewi", lahir=date(1960, 1, 1), jk="P"),
    ]
    k5 = [{**person_row(E, "Eka", lahir=date(1990, 1, 1), jk="L", penampungan="Butuh",
                        psikososial="TW2"),
           "Kejadian Bencana": "Banjir Lauru", "Tanggal Kejadian": date(2026, 2, 1),
           "Kelompok Rentan": "Tidak"}]
    return write_district_workbook(
        path, triwulan=3, rows={"K1": k1, "K5": k5}, harga_rows=harga,
        budgets={"K1": [9_000_000, 1_000_000, 2_000_000, 3_000_000, 0]},
        konfigurasi={"Bobot Persen Penerima": 0.7, "Bobot Persen Mutu": 0.3,
                     "Batas Korban Bencana Kab/Kota": 40})


def roll(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str = "xlsx"
         ) -> tuple[Path, Path, dict[str, object]]:
    old = old_book(tmp_path / "lama.xlsx")
    new = tmp_path / f"baru.{fmt}"
    assert main(["tahun-baru", str(old), "--tahun", "2027", "-o", str(new), "--json"]) == 0
    return old, new, json.loads(capsys.readouterr().out)


def marks(path: Path, code: str) -> list[tuple[str, dict[str, int]]]:
    rows = read_workbook(path).services[code]
    out = []
    for i in range(len(rows.rows)):
        name = rows.person["Nama"][i]
        assert isinstance(name, str)
        out.append((name, {item: int(rows.status[i, j]) for j, item in enumerate(rows.items)
                           if rows.status[i, j] != NOT_NEEDED}))
    return out


def test_people_still_owed_are_carried_with_only_their_butuh_items(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, new, doc = roll(tmp_path, capsys)
    assert marks(new, "K1") == [("Andi", {"permakanan": BUTUH}),
                                ("Citra", {"alat_bantu": BUTUH, "rujukan": BUTUH})]
    assert marks(new, "K5") == [("Eka", {"penampungan": BUTUH})]
    assert marks(new, "K2") == []
    k1 = read_workbook(new).services["K1"]
    assert k1.rows == [2, 3]
    assert k1.person["NIK"] == [A, None]
    assert k1.person["No"] == [1, 2]
    assert k1.person["Tanggal Lahir"] == [date(1970, 8, 15), date(1975, 5, 5)]
    assert k1.person["Alamat"] == ["Jl. Lauru 1", None]
    assert k1.person["Keterangan"] == ["kursi roda", None]
    k5 = read_workbook(new).services["K5"]
    assert k5.person["Kejadian Bencana"] == ["Banjir Lauru"]
    assert k5.person["Tanggal Kejadian"] == [date(2026, 2, 1)]
    layanan = {s["kode"]: s for s in doc["layanan"]}  # type: ignore[union-attr]
    assert layanan["K1"] == {"kode": "K1", "sheet": "K1 Disabilitas", "dibawa": 2,
                             "item_butuh": 3,
                             "tidak_dibawa_terlayani": [{"baris": 3, "nik": "740601********02"}],
                             "tidak_dibawa_tanpa_item": [5]}
    assert doc["dibawa"] == 3 and B not in json.dumps(doc)


def test_identity_prices_standards_stock_and_settings_carried_budget_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, new, _ = roll(tmp_path, capsys)
    data = read_workbook(new)
    ident = data.identity
    assert (ident.tahun, ident.triwulan, ident.kode, ident.tingkat) == (2027, 1, "74.06",
                                                                       "kabkota")
    assert ident.admin == "Admin Uji"
    permakanan = data.prices[("K1", "permakanan")]
    assert (permakanan.harga, permakanan.standar, permakanan.sumber) == (15000, 10, "SSH 2026")
    assert data.prices[("K1", "sandang")].tersedia == 5
    assert data.prices[("K2", "sandang")].harga == 250000
    assert data.prices[("K2", "sandang")].sumber == ""
    assert all(b.alokasi == 0 and b.realisasi == (0, 0, 0, 0) for b in data.budgets.values())
    assert (data.settings.bobot_penerima, data.settings.bobot_mutu) == (Decimal("0.7"),
                                                                        Decimal("0.3"))
    assert data.settings.ambang_bencana == 40


def test_the_old_workbook_is_not_modified(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    old = old_book(tmp_path / "lama.xlsx")
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    assert main(["new-year", str(old), "--tahun", "2027", "-o", str(tmp_path / "b.xlsx")]) == 0
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert not (tmp_path / "lama.bak.xlsx").exists()
    err = capsys.readouterr().err
    assert "sheet K1 Disabilitas baris 3, NIK 740601********02" in err and B not in err


def test_the_new_workbook_passes_periksa(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, new, _ = roll(tmp_path, capsys)
    assert main(["periksa", str(new), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["daftar_temuan"]
    assert not [f for f in found if f["tingkat"] == "galat"]


def test_macro_workbook_rolls_over_with_its_buttons(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _, new, _ = roll(tmp_path, capsys, "xlsm")
    with zipfile.ZipFile(new) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert marks(new, "K1")[0] == ("Andi", {"permakanan": BUTUH})


def test_same_file_or_an_earlier_year_is_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old = old_book(tmp_path / "lama.xlsx")
    assert main(["tahun-baru", str(old), "--tahun", "2027", "-o", str(old)]) == 2
    assert main(["tahun-baru", str(old), "--tahun", "2026", "-o",
                 str(tmp_path / "b.xlsx")]) == 2
    assert "harus sesudah tahun buku lama (2026" in capsys.readouterr().err


@pytest.mark.libreoffice
def test_libreoffice_opens_the_new_workbook(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    require_soffice()
    _, new, _ = roll(tmp_path, capsys)
    resaved = convert(new, "xlsx", tmp_path / "lo")
    book = openpyxl.load_workbook(resaved)
    k1 = book["K1 Disabilitas"]
    assert k1["B2"].value == A and k1["D3"].value == "Citra"
    assert marks(resaved, "K1") == marks(new, "K1")
