"""The workbook reader: workbook -> records, by labels not positions (SPEC 3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from workbooks import item_labels, person_row, service_headers, write_district_workbook

from spm_xl.book.reader import read_workbook
from spm_xl.findings import Finding, UnusableWorkbook
from spm_xl.records import BUTUH, NOT_NEEDED, Stamp, WorkbookData

NIK_A = "7406011508950001"
NIK_B = "7406015508950002"


def read(tmp_path: Path, **options: object) -> WorkbookData:
    return read_workbook(write_district_workbook(tmp_path / "kab.xlsx", **options))  # type: ignore[arg-type]


def found(data: WorkbookData, kode: str) -> list[Finding]:
    return [f for f in data.findings if f.kode == kode]


def unusable(tmp_path: Path, **options: object) -> str:
    with pytest.raises(UnusableWorkbook) as info:
        read(tmp_path, **options)
    return info.value.pesan


def test_a_plain_workbook_reads_identity_services_prices_and_budget(tmp_path: Path) -> None:
    data = read(tmp_path, rows={"K1": [person_row(NIK_A, "Budi", permakanan="TW1")]},
                prices={("K1", "permakanan"): 15000}, budgets={"K1": [900000, 100, 200, 0, 0]})
    ident = data.identity
    assert (ident.tingkat, ident.kode, ident.tahun, ident.triwulan) == ("kabkota", "74.06",
                                                                         2026, 2)
    assert ident.nama == "Kabupaten Bombana" and ident.versi_templat == "1.1"
    assert list(data.services) == ["K1", "K2", "K3", "K4", "K5"]
    assert data.services["K2"].status.shape == (0, 11)
    price = data.prices[("K1", "permakanan")]
    assert (price.harga, price.standar, price.tersedia) == (15000, Decimal(7), Decimal(0))
    assert price.sel_harga == "F2"
    assert data.budgets["K1"].alokasi == 900000
    assert data.budgets["K1"].realisasi == (100, 200, 0, 0)
    assert data.findings == []


def test_title_rows_above_the_header_keep_excel_row_numbers(tmp_path: Path) -> None:
    rows = [person_row(NIK_A, "Budi", sandang="Butuh"), person_row(NIK_B, "Ani", sandang="TW2")]
    data = read(tmp_path, rows={"K1": rows}, title_rows=3, budgets={"K1": [5, 0, 0, 0, 0]})
    k1 = data.services["K1"]
    assert k1.rows == [5, 6]
    assert k1.status[:, 1].tolist() == [BUTUH, 2]
    assert data.budgets["K1"].alokasi == 5


def test_moved_and_extra_columns_are_found_by_label(tmp_path: Path) -> None:
    headers = ["Petugas", *reversed(service_headers("K1")), "Catatan Admin"]
    row = {**person_row(NIK_A, "Budi", rujukan="TW3"), "Petugas": "X", "Catatan Admin": "Y"}
    k1 = read(tmp_path, rows={"K1": [row]}, headers={"K1": headers}).services["K1"]
    assert k1.status[0].tolist() == [0] * 10 + [3]
    assert k1.person["NIK"] == [NIK_A] and k1.person["Nama"] == ["Budi"]
    assert k1.columns["Keterangan"] == "B" and k1.columns["NIK"] == "V"


def test_headers_match_regardless_of_case_and_spacing(tmp_path: Path) -> None:
    headers = [h.upper().replace(" ", "  ") for h in service_headers("K1")]
    row = {h: v for h, v in zip(headers, ["1", NIK_A, None, "Budi"], strict=False)}
    row[headers[10]] = "TW1"
    k1 = read(tmp_path, rows={"K1": [row]}, headers={"K1": headers}).services["K1"]
    assert k1.person["Nama"] == ["Budi"] and k1.status[0, 0] == 1


def test_a_unit_note_after_a_header_label_is_ignored(tmp_path: Path) -> None:
    headers = [f"{h} (orang-hari)" if h == "Permakanan" else h for h in service_headers("K1")]
    row = {**person_row(NIK_A, "Budi"), "Permakanan (orang-hari)": "TW2"}
    data = read(tmp_path, rows={"K1": [row]}, headers={"K1": headers})
    assert data.services["K1"].status[0, 0] == 2 and data.findings == []


def test_status_variants_become_codes(tmp_path: Path) -> None:
    marks = ["Butuh", "tw 1", "Triwulan II", "III", 4, "-", "", "TW4", "butuh", "2", None]
    row = {**person_row(NIK_A, "Budi"), **dict(zip(item_labels("K1"), marks, strict=True))}
    k1 = read(tmp_path, rows={"K1": [row]}).services["K1"]
    assert k1.status.dtype == np.int8
    assert k1.status[0].tolist() == [BUTUH, 1, 2, 3, 4, NOT_NEEDED, NOT_NEEDED, 4, BUTUH, 2,
                                     NOT_NEEDED]


def test_unknown_status_is_an_error_on_that_cell_and_counts_as_needed(tmp_path: Path) -> None:
    rows = [person_row(NIK_A, "Budi", permakanan="Ya"), person_row(NIK_B, "Ani", sandang="Ya")]
    data = read(tmp_path, rows={"K1": rows})
    errors = found(data, "status_tidak_dikenal")
    assert [(f.tingkat, f.sheet, f.sel) for f in errors] == [
        ("galat", "K1 Disabilitas", "K2"), ("galat", "K1 Disabilitas", "L3")]
    assert "K2" in errors[0].pesan and "TW1" in errors[0].pesan and "Butuh" in errors[0].pesan
    assert data.services["K1"].status[:, :2].tolist() == [[BUTUH, 0], [0, BUTUH]]


def test_nik_and_kk_are_kept_exactly_as_the_cell_holds_them(tmp_path: Path) -> None:
    rows = [person_row(7406011508950001, "Budi", sandang="Butuh"),
            {**person_row(" 7406 0115 0895 0002", "Ani", sandang="Butuh"), "No KK": 7.4e15}]
    person = read(tmp_path, rows={"K1": rows}).services["K1"].person
    assert person["NIK"] == [7406011508950001.0, " 7406 0115 0895 0002"]
    assert isinstance(person["NIK"][0], float)
    assert person["No KK"] == [None, 7.4e15]


def test_empty_rows_and_rows_with_only_a_running_number_are_skipped(tmp_path: Path) -> None:
    rows = [None, person_row(NIK_A, "Budi", sandang="TW1"), {"No": 2}, {"Nama": "  "}, None,
            person_row(None, "Tanpa NIK")]
    k1 = read(tmp_path, rows={"K1": rows}).services["K1"]
    assert k1.rows == [3, 7]
    assert k1.person["Nama"] == ["Budi", "Tanpa NIK"] and k1.person["NIK"] == [NIK_A, None]
    assert k1.recipients.tolist() == [True, False]


def test_dates_as_date_cells_serials_and_text(tmp_path: Path) -> None:
    births = [date(1950, 3, 1), 45300, "09/01/2024", "9 Januari 2024", "2024-01-09", "kemarin"]
    rows = [person_row(NIK_A, f"Orang {i}", lahir=b, sandang="Butuh")
            for i, b in enumerate(births)]
    data = read(tmp_path, rows={"K3": rows})
    assert data.services["K3"].person["Tanggal Lahir"] == [
        date(1950, 3, 1), date(2024, 1, 9), date(2024, 1, 9), date(2024, 1, 9),
        date(2024, 1, 9), None]
    [bad] = found(data, "tanggal_tidak_valid")
    assert (bad.sheet, bad.sel, bad.tingkat) == ("K3 Lansia", "F7", "galat")
    assert "kemarin" in bad.pesan and "09/01/2024" in bad.pesan


def test_text_columns_are_stripped_and_disaster_columns_read(tmp_path: Path) -> None:
    row = {**person_row(NIK_A, "  Budi  ", jk=" L ", penampungan="TW1"),
           "Kejadian Bencana": " Banjir Kolaka ", "Tanggal Kejadian": "02/02/2026",
           "Kelompok Rentan": "Ya"}
    k5 = read(tmp_path, rows={"K5": [row]}).services["K5"]
    assert k5.person["Nama"] == ["Budi"] and k5.person["Jenis Kelamin"] == ["L"]
    assert k5.person["Kejadian Bencana"] == ["Banjir Kolaka"]
    assert k5.person["Tanggal Kejadian"] == [date(2026, 2, 2)]
    assert k5.person["Kelompok Rentan"] == ["Ya"]
    assert k5.items == ["permakanan", "sandang", "penampungan", "kelompok_rentan", "psikososial"]


def test_rupiah_text_in_prices_and_budget(tmp_path: Path) -> None:
    prices = {("K1", "permakanan"): "Rp 15.000", ("K1", "sandang"): "1.250.000",
              ("K1", "alat_bantu"): "lima ribu"}
    data = read(tmp_path, prices=prices, budgets={"K2": ["Rp 1.250.000,00", "Rp45.000", 0, 0,
                                                         "-3"]})
    assert data.prices[("K1", "permakanan")].harga == 15000
    assert data.prices[("K1", "sandang")].harga == 1250000
    assert data.prices[("K1", "alat_bantu")].harga == 0
    assert data.budgets["K2"].alokasi == 1250000 and data.budgets["K2"].realisasi[0] == 45000
    errors = found(data, "angka_tidak_valid")
    assert [(f.sheet, f.sel) for f in errors] == [("Harga Satuan", "F4"), ("Anggaran", "F3")]
    assert "lima ribu" in errors[0].pesan


def test_duplicate_and_unknown_price_rows(tmp_path: Path) -> None:
    body = [["K1", "permakanan", "Permakanan", "orang-hari", 7, 10000, 0, ""],
            ["K1", "Permakanan", "Permakanan", "orang-hari", 7, 99999, 0, ""],
            ["K1", "asrama", "Asrama", "orang-hari", 180, 5, 0, ""],
            ["K1", "sandang", "Sandang", "paket", "", "", "", ""]]
    data = read(tmp_path, harga_rows=body)
    assert data.prices[("K1", "permakanan")].harga == 10000
    assert data.prices[("K1", "sandang")].standar == Decimal(1)  # blank: catalogue default
    assert ("K1", "asrama") not in data.prices
    assert [f.sel for f in found(data, "harga_ganda")] == ["A3"]
    assert [f.sel for f in found(data, "kode_tidak_dikenal")] == ["A4"]


def test_missing_service_sheet_is_unusable_and_named(tmp_path: Path) -> None:
    message = unusable(tmp_path, omit_sheets=["K3 Lansia"])
    assert "'K3 Lansia'" in message and "tidak ada" in message


def test_a_renamed_service_sheet_is_pointed_out(tmp_path: Path) -> None:
    message = unusable(tmp_path, rename_sheets={"K3 Lansia": "K3 Lanjut Usia"})
    assert "'K3 Lansia'" in message and "'K3 Lanjut Usia'" in message


def test_a_sheet_name_differing_only_in_case_is_read_with_a_warning(tmp_path: Path) -> None:
    data = read(tmp_path, rename_sheets={"K2 Anak": "k2  anak"})
    assert data.services["K2"].sheet == "k2  anak"
    assert [f.tingkat for f in found(data, "nama_sheet_berbeda")] == ["peringatan"]


def test_header_not_found_in_the_first_rows_is_unusable(tmp_path: Path) -> None:
    message = unusable(tmp_path, title_rows=15, rows={"K1": [person_row(NIK_A, "Budi")]})
    assert "'Harga Satuan'" in message or "'K1 Disabilitas'" in message
    assert "15 baris" in message


def test_header_without_its_key_labels_names_them(tmp_path: Path) -> None:
    headers = [h for h in service_headers("K4") if h not in ("NIK", "Nama")]
    message = unusable(tmp_path, headers={"K4": headers})
    assert "'K4 Gepeng'" in message and "'NIK'" in message and "'Nama'" in message


def test_missing_item_column_is_an_error_and_reads_as_not_needed(tmp_path: Path) -> None:
    headers = [h for h in service_headers("K1") if h not in ("Rujukan", "Keterangan")]
    data = read(tmp_path, headers={"K1": headers},
                rows={"K1": [person_row(NIK_A, "Budi", sandang="TW1")]})
    missing = {f.pesan.split("'")[1]: f.tingkat for f in found(data, "kolom_hilang")}
    assert missing == {"Rujukan": "galat", "Keterangan": "peringatan"}
    k1 = data.services["K1"]
    assert k1.status.shape == (1, 11) and k1.status[0, -1] == NOT_NEEDED


def test_merged_cells_across_data_rows_are_an_error(tmp_path: Path) -> None:
    rows = [person_row(NIK_A, "Budi", permakanan="TW1"), person_row(NIK_B, "Ani")]
    data = read(tmp_path, rows={"K1": rows}, title_rows=2,
                merges={"K1 Disabilitas": ["A1:F1", "K4:K5"]})
    [merged] = found(data, "sel_digabung")
    assert (merged.tingkat, merged.sheet, merged.sel) == ("galat", "K1 Disabilitas", "K4")
    assert "K4:K5" in merged.pesan


def test_region_code_typed_as_a_number(tmp_path: Path) -> None:
    assert read(tmp_path, kode=74.06).identity.kode == "74.06"
    data = read(tmp_path, kode=74.1)
    assert data.identity.kode == "74.1"
    [finding] = found(data, "kode_wilayah_angka")
    assert finding.sheet == "Identitas" and finding.sel == "B2" and "Teks" in finding.pesan


def test_quarter_spellings_and_a_bad_quarter(tmp_path: Path) -> None:
    assert read(tmp_path, triwulan="Triwulan III").identity.triwulan == 3
    assert read(tmp_path, triwulan=4).identity.triwulan == 4
    data = read(tmp_path, triwulan="Semester 1")
    assert data.identity.triwulan == 1
    assert [f.tingkat for f in found(data, "triwulan_tidak_valid")] == ["galat"]


def test_unreadable_level_or_year_or_missing_identity_is_unusable(tmp_path: Path) -> None:
    assert "Tingkat" in unusable(tmp_path, identitas={"Tingkat": "Kecamatan"})
    assert "Tahun" in unusable(tmp_path, tahun="tahun ini")
    assert "Tahun" in unusable(tmp_path, identitas={"Tahun": None})
    assert "'Identitas'" in unusable(tmp_path, omit_sheets=["Identitas"])


def test_province_workbook_reads_the_province_services(tmp_path: Path) -> None:
    data = read(tmp_path, tingkat="provinsi", kode="74",
                rows={"P5": [person_row(NIK_A, "Budi", psikososial="TW2")]})
    assert data.identity.tingkat == "provinsi" and data.identity.kode == "74"
    assert list(data.services) == ["P1", "P2", "P3", "P4", "P5"]
    assert data.services["P5"].status[0, -1] == 2


def test_configuration_thresholds_and_weights(tmp_path: Path) -> None:
    data = read(tmp_path, konfigurasi={"Ambang Tuntas Utama": 85, "Ambang Tuntas Muda": None,
                                       "Bobot Persen Penerima": "70%", "Bobot Persen Mutu": None,
                                       "Layanan Tanpa Sasaran": "Dihitung 100",
                                       "Batas Korban Bencana Kab/Kota": 40})
    settings = data.settings
    assert [t for t, _ in settings.kategori] == [100, 85, 80, 70, 60, 0]
    assert (settings.bobot_penerima, settings.bobot_mutu) == (Decimal("0.7"), Decimal("0.3"))
    assert (settings.tanpa_sasaran, settings.ambang_bencana) == ("hitung_100", 40)
    assert data.findings == []


def test_bad_configuration_falls_back_to_defaults_with_an_error(tmp_path: Path) -> None:
    data = read(tmp_path, konfigurasi={"Ambang Tuntas Madya": 95, "Bobot Persen Mutu": "abc"})
    assert [t for t, _ in data.settings.kategori] == [100, 90, 80, 70, 60, 0]
    assert data.settings.bobot_mutu == Decimal("0.2")
    assert len(found(data, "konfigurasi_tidak_valid")) == 2


def test_missing_configuration_sheet_uses_defaults(tmp_path: Path) -> None:
    data = read(tmp_path, omit_sheets=["Konfigurasi"])
    assert data.settings.ambang_bencana == 50
    assert [f.tingkat for f in found(data, "konfigurasi_default")] == ["info"]


def test_stamps_of_existing_output_sheets(tmp_path: Path) -> None:
    data = read(tmp_path, stamps={"Capaian": ("spm-xl 0.1.0", "2026-04-01T10:00:00+08:00",
                                              "abc123"),
                                  "Kebutuhan": ("spm-xl 0.1.0", "2026-04-01T10:00:00+08:00",
                                                "abc123")})
    assert data.stamps["Capaian"] == Stamp("spm-xl 0.1.0", "2026-04-01T10:00:00+08:00", "abc123")
    assert set(data.stamps) == {"Capaian", "Kebutuhan"}


def test_findings_never_show_a_full_nik(tmp_path: Path) -> None:
    row = person_row(NIK_A, "Budi", permakanan=NIK_A, sandang=float(NIK_A))
    data = read(tmp_path, rows={"K1": [row]})
    assert len(data.findings) == 2
    assert all(NIK_A not in f.pesan and NIK_A not in (f.nilai or "") for f in data.findings)
