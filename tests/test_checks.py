"""Workbook checks (SPEC 2.3, 2.7) on records built in memory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np

from spm_xl import labels
from spm_xl.checks import check_workbook
from spm_xl.records import (
    BUTUH,
    Budget,
    Identity,
    Price,
    ServiceRows,
    Stamp,
    WorkbookData,
    default_settings,
)

NIK = "7406011508950001"  # synthetic, male, born 15-08-1995


def sheet(code: str, people: list[dict[str, object]], status: list[list[int]]) -> ServiceRows:
    person: dict[str, list[object]] = {
        label: [p.get(label) for p in people]
        for label in (labels.D_NIK, labels.D_KK, labels.D_NAMA, labels.D_JK, labels.D_LAHIR,
                      labels.D_ALAMAT, labels.D_KEJADIAN)}
    cols = {labels.D_NIK: "B", labels.D_KK: "C", labels.D_NAMA: "D", labels.D_JK: "E",
            labels.D_LAHIR: "F"}
    return ServiceRows(code, f"{code} Sheet", ["sandang"],
                       np.array(status, dtype=np.int8).reshape(len(status), 1),
                       list(range(2, 2 + len(people))), cols, person)


def book(*services: ServiceRows, **kw: object) -> WorkbookData:
    ident = Identity("kabkota", str(kw.get("kode", "74.06")), "Kabupaten Bombana",
                     "Sulawesi Tenggara", 2026, 2, "Admin", "1.1")
    prices = {(s.kode, "sandang"): Price(s.kode, "sandang", Decimal(1), int(kw.get("harga", 1)),  # type: ignore[call-overload]
                                         Decimal(0), sel_harga="F3") for s in services}
    return WorkbookData(ident, default_settings(), prices, {}, {s.kode: s for s in services})


def found(data: WorkbookData, fingerprint: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(f.tingkat, f.kode, f.sel) for f in check_workbook(data, fingerprint)]


def test_clean_workbook_has_no_findings() -> None:
    assert found(book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]))) == []


def test_duplicate_nik_in_one_sheet_is_an_error_naming_the_cell() -> None:
    s = sheet("K1", [{labels.D_NIK: NIK}, {labels.D_NIK: NIK}], [[1], [BUTUH]])
    assert ("galat", "nik_ganda", "B3") in found(book(s))


def test_same_nik_in_two_services_is_info() -> None:
    f = found(book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]),
                   sheet("K3", [{labels.D_NIK: NIK, labels.D_LAHIR: date(1995, 8, 15)}],
                         [[1]])))
    assert ("info", "nik_lintas_layanan", None) in f


def test_person_without_items_is_a_warning_and_empty_rows_are_ignored() -> None:
    s = sheet("K1", [{labels.D_NAMA: "Budi"}, {}], [[0], [0]])
    assert found(book(s)) == [("peringatan", "penerima_tanpa_kebutuhan", "A2")]


def test_nik_typed_as_number_is_an_error_with_masked_value() -> None:
    data = book(sheet("K1", [{labels.D_NIK: float(NIK)}], [[1]]))
    (f,) = check_workbook(data)
    assert (f.tingkat, f.kode, f.sel) == ("galat", "nik_angka", "B2")
    assert NIK[:12] not in (f.nilai or "") + f.pesan


def test_age_checks_for_elders_and_children() -> None:
    young = {labels.D_NIK: NIK, labels.D_LAHIR: date(1995, 8, 15)}
    assert ("peringatan", "usia_lansia", "F2") in found(book(sheet("K3", [young], [[1]])))
    assert ("peringatan", "usia_anak", "F2") in found(book(sheet("K2", [young], [[1]])))


def test_birth_date_and_sex_differing_from_the_nik_are_warnings() -> None:
    p = {labels.D_NIK: NIK, labels.D_LAHIR: date(1995, 8, 16), labels.D_JK: "P"}
    f = found(book(sheet("K1", [p], [[1]])))
    assert ("peringatan", "nik_tanggal_beda", "F2") in f
    assert ("peringatan", "nik_jk_beda", "E2") in f


def test_rows_without_nik_are_matched_by_name_and_birth_date() -> None:
    p = {labels.D_NAMA: "Wa Ode  Sari", labels.D_LAHIR: date(1990, 1, 1)}
    q = {labels.D_NAMA: "wa ode sari", labels.D_LAHIR: date(1990, 1, 1)}
    assert ("peringatan", "nama_lahir_ganda", "D3") in found(book(sheet("K4", [p, q], [[1], [1]])))


def test_needed_item_with_price_zero_is_a_warning() -> None:
    f = found(book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]), harga=0))
    assert ("peringatan", "harga_nol", "F3") in f


def test_disaster_event_above_the_threshold_suggests_the_province() -> None:
    people = [{labels.D_KEJADIAN: "Banjir Rumbia"}] * 51
    f = found(book(sheet("K5", people, [[1]] * 51)))
    assert ("peringatan", "bencana_melebihi_ambang", None) in f


def test_realisation_above_allocation_is_a_warning() -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]))
    data.budgets["K1"] = Budget("K1", 100, (60, 50, 0, 0))
    assert ("peringatan", "realisasi_lebih", None) in found(data)


def test_unknown_region_code_is_an_error() -> None:
    assert ("galat", "kode_wilayah_tidak_dikenal", None) in found(
        book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]), kode="74.99"))


def test_stale_output_sheet_is_reported() -> None:
    data = book(sheet("K1", [{labels.D_NIK: NIK}], [[1]]))
    data.stamps[labels.CAPAIAN] = Stamp("spm-xl 0.1.0", "2026-01-01T00:00", "old")
    assert ("peringatan", "hasil_usang", "A2") in found(data, "new")
    assert found(data, "old") == []


def test_a_column_of_bad_niks_lists_the_first_200_and_counts_the_rest() -> None:
    people: list[dict[str, object]] = [{labels.D_NIK: "12345", labels.D_NAMA: f"Orang {i}"}
                                       for i in range(450)]
    findings = check_workbook(book(sheet("K1", people, [[1]] * 450)))
    listed = [f for f in findings if f.kode == "nik_panjang" and f.sel is not None]
    [rest] = [f for f in findings if f.kode == "nik_panjang" and f.sel is None]
    assert [f.sel for f in listed] == [f"B{r}" for r in range(2, 202)]
    assert "Masih ada 250 sel lain" in rest.pesan and rest.sheet == "K1 Sheet"


def test_a_column_of_unknown_sexes_lists_the_first_200_and_counts_the_rest() -> None:
    people: list[dict[str, object]] = [{labels.D_NIK: NIK if i == 0 else None,
                                        labels.D_JK: "Pria?"} for i in range(300)]
    findings = check_workbook(book(sheet("K1", people, [[1]] * 300)))
    listed = [f for f in findings if f.kode == "jk_tidak_dikenal" and f.sel is not None]
    [rest] = [f for f in findings if f.kode == "jk_tidak_dikenal" and f.sel is None]
    assert len(listed) == 200 and listed[0].sel == "E2" and listed[-1].sel == "E201"
    assert "Masih ada 100 sel lain" in rest.pesan
