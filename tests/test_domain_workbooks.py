"""Second-release rules on real workbooks (SPEC 10): template 1.1 options and sheets, the
optional items, Laporan e-SPM parts D and E, and a template 1.0 workbook that still computes
the same figures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from spm_xl import labels
from spm_xl.book.reader import read_workbook
from spm_xl.book.template import build_template
from spm_xl.catalogue import load_catalogue
from spm_xl.pipeline import compute_file, evaluate
from spm_xl.report import region_json
from spm_xl.synthetic import synthetic_nik

OLD_TEMPLATE = Path(__file__).parent / "fixtures" / "templat-1.0-kabkota.xlsx"
OPTIONAL_LABELS = ["Layanan Kedaruratan", "Layanan Data dan Pengaduan"]


def _nik(seed: int) -> str:
    import random

    return synthetic_nik(random.Random(seed), "74.06", date(1980, 1, 2), female=False)


ROWS = {
    "K1": [{labels.D_NIK: _nik(1), labels.D_NAMA: "Orang Satu", "Permakanan": "TW1",
            "Sandang": "TW2"},
           {labels.D_NIK: _nik(2), labels.D_NAMA: "Orang Dua", "Permakanan": "Butuh",
            "Sandang": "TW1", "Alat Bantu": "TW1"}],
    "K3": [{labels.D_NIK: _nik(3), labels.D_NAMA: "Orang Tiga", "Sandang": "TW1"}],
}


def _put(book: openpyxl.Workbook, sheet: str, rows: list[dict[str, object]]) -> None:
    """Type rows under the header labels of row 1, as an admin would."""
    ws = book[sheet]
    cols = {c.value: c.column for c in ws[1] if c.value is not None}
    for r, values in enumerate(rows, start=2):
        for label, value in values.items():
            ws.cell(row=r, column=cols[label], value=value)


def _set(book: openpyxl.Workbook, sheet: str, label: str, value: object) -> None:
    """The value beside a label in column A (Identitas, Konfigurasi, Tahapan)."""
    ws = book[sheet]
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            ws.cell(row=row[0].row, column=2, value=value)
            return
    raise KeyError(label)


def _filled(template: Path, target: Path, rows: dict[str, list[dict[str, object]]],
            **konfigurasi: object) -> Path:
    book = openpyxl.load_workbook(template)
    _set(book, labels.IDENTITAS, labels.ID_KODE, "74.06")
    _set(book, labels.IDENTITAS, labels.ID_NAMA, "Kabupaten Bombana")
    _set(book, labels.IDENTITAS, labels.ID_TRIWULAN, "II")
    for label, value in konfigurasi.items():
        _set(book, labels.KONFIGURASI, label, value)
    cat = load_catalogue()
    for code, service_rows in rows.items():
        _put(book, cat.service(code).sheet, service_rows)
    book.save(target)
    return target


def _new_template(tmp_path: Path, optional: bool = False) -> Path:
    return build_template(tmp_path / f"baru-{optional}.xlsx", level="kabkota", kode=None,
                          tahun=2026, fmt="xlsx", item_opsional=optional)


# --- template 1.0 -------------------------------------------------------------------------

def test_a_template_1_0_workbook_computes_the_same_figures_with_an_info_finding(
        tmp_path: Path) -> None:
    old = _filled(OLD_TEMPLATE, tmp_path / "lama.xlsx", ROWS)
    new = _filled(_new_template(tmp_path), tmp_path / "baru.xlsx", ROWS)
    old_ev, new_ev = evaluate(read_workbook(old)), evaluate(read_workbook(new))
    assert old_ev.data.identity.versi_templat == "1.0"
    assert new_ev.data.identity.versi_templat == load_catalogue().versi_templat
    assert old_ev.result == new_ev.result
    # hand-worked K1 at TW II: both served (A = 100); pairs 4 of 5 delivered (B = 80)
    k1 = old_ev.result.layanan[0].capaian
    assert k1.terlayani[1] == 1 and k1.pasangan_terpenuhi[1] == 4
    assert k1.indeks[1] == pytest.approx(0.8 * 50 + 0.2 * 80)
    old_codes = [(f.tingkat, f.kode) for f in old_ev.findings]
    new_codes = [(f.tingkat, f.kode) for f in new_ev.findings]
    assert ("info", "templat_lama") in old_codes
    assert ("info", "templat_lama") not in new_codes
    assert sorted(set(old_codes) - {("info", "templat_lama")}) == sorted(set(new_codes))
    assert not old_ev.data.narasi.ada_permasalahan and not old_ev.data.narasi.ada_tahapan


def test_a_template_1_0_laporan_says_parts_d_and_e_need_the_new_template(
        tmp_path: Path) -> None:
    old = _filled(OLD_TEMPLATE, tmp_path / "lama.xlsx", ROWS)
    compute_file(old)
    text = _texts(old, labels.LAPORAN)
    assert "D. Permasalahan dan Solusi" in text and "E. Tahapan Penerapan SPM" in text
    assert any(t.startswith(f"Sheet {labels.PERMASALAHAN} tidak ada") for t in text)
    doc = region_json(*_json_args(old))
    assert doc["laporan"] == {"permasalahan": None, "tahapan": None}


# --- Konfigurasi options ---------------------------------------------------------------------

def test_new_template_konfigurasi_reads_back_as_the_defaults(tmp_path: Path) -> None:
    data = read_workbook(_new_template(tmp_path))
    s = data.settings
    assert (s.persen_mutu, s.batas_100, s.item_opsional) == ("gabungan", True, ())
    book = openpyxl.load_workbook(_new_template(tmp_path))
    notes = [str(r[2].value) for r in book[labels.KONFIGURASI].iter_rows(min_row=4)
             if r[0].value in (labels.K_PERSEN_MUTU, labels.K_BATAS_100,
                               labels.K_AMBANG_BENCANA)]
    assert len(notes) == 3
    assert all("belum diperiksa terhadap lampiran Permendagri 59/2021" in n for n in notes)
    meal = {r[0].value: r[1].value for r in book[labels.KONFIGURASI].iter_rows()
            if str(r[0].value).startswith(labels.K_PERMAKANAN_PREFIX)}
    assert meal["Hari Permakanan K4"] == "7 hari (paling lama)"
    assert meal["Hari Permakanan K5"] == "7 hari (paling sedikit)"
    assert meal["Hari Permakanan K1"] == "7 hari (pilihan daerah)"


def test_mean_of_item_shares_and_no_cap_are_read_from_konfigurasi(tmp_path: Path) -> None:
    path = _filled(_new_template(tmp_path), tmp_path / "rata.xlsx", ROWS,
                   **{labels.K_PERSEN_MUTU: "Rata-rata persen per item",
                      labels.K_BATAS_100: "Tidak"})
    ev = evaluate(read_workbook(path))
    assert (ev.data.settings.persen_mutu, ev.data.settings.batas_100) == ("rata_item", False)
    # K1 at TW II: permakanan 1 of 2, sandang 2 of 2, alat bantu 1 of 1 -> (50+100+100)/3
    k1 = ev.result.layanan[0].capaian
    assert float(k1.persen_mutu[1]) == pytest.approx(250 / 3)


def test_a_bad_quality_mode_is_an_error_naming_the_cell_and_uses_the_default(
        tmp_path: Path) -> None:
    path = _filled(_new_template(tmp_path), tmp_path / "salah.xlsx", ROWS,
                   **{labels.K_PERSEN_MUTU: "sesuka hati"})
    data = read_workbook(path)
    bad = [f for f in data.findings if f.kode == "konfigurasi_tidak_valid"]
    assert bad and bad[0].sheet == labels.KONFIGURASI and bad[0].sel
    assert data.settings.persen_mutu == "gabungan"


# --- meal days -------------------------------------------------------------------------------

def _with_standard(tmp_path: Path, service: str, days: int) -> Path:
    path = _filled(_new_template(tmp_path), tmp_path / f"{service}-{days}.xlsx", ROWS)
    book = openpyxl.load_workbook(path)
    ws = book[labels.HARGA]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == service and row[1].value == "permakanan":
            row[4].value = days
    book.save(path)
    return path


@pytest.mark.parametrize(("service", "days", "kode"), [
    ("K4", 10, "permakanan_melebihi_maksimum"),
    ("K5", 5, "permakanan_kurang_dari_minimum"),
])
def test_meal_days_on_the_wrong_side_of_the_rule_warn(tmp_path: Path, service: str, days: int,
                                                      kode: str) -> None:
    ev = evaluate(read_workbook(_with_standard(tmp_path, service, days)))
    warned = [f for f in ev.findings if f.kode == kode]
    assert len(warned) == 1 and warned[0].tingkat == "peringatan"
    assert warned[0].sheet == labels.HARGA and service in warned[0].pesan


@pytest.mark.parametrize(("service", "days"), [("K4", 5), ("K5", 10), ("K1", 30), ("K4", 7)])
def test_meal_days_within_the_rule_or_a_regional_choice_do_not_warn(
        tmp_path: Path, service: str, days: int) -> None:
    ev = evaluate(read_workbook(_with_standard(tmp_path, service, days)))
    assert not [f for f in ev.findings if f.kode.startswith("permakanan_")]


# --- optional items --------------------------------------------------------------------------

def test_optional_items_are_off_by_default(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_new_template(tmp_path))
    for code in ("K1", "K4"):
        header = [c.value for c in book[load_catalogue().service(code).sheet][1]]
        assert not set(OPTIONAL_LABELS) & set(header)
    data = read_workbook(_new_template(tmp_path))
    assert "layanan_kedaruratan" not in data.services["K1"].items


def test_switched_on_optional_items_add_columns_to_k1_to_k4_only(tmp_path: Path) -> None:
    path = _new_template(tmp_path, optional=True)
    book = openpyxl.load_workbook(path)
    cat = load_catalogue()
    for code in ("K1", "K2", "K3", "K4"):
        header = [c.value for c in book[cat.service(code).sheet][1]]
        assert header[-3:] == [*OPTIONAL_LABELS, labels.D_KETERANGAN]
    assert not set(OPTIONAL_LABELS) & {c.value for c in book[cat.service("K5").sheet][1]}
    data = read_workbook(path)
    assert data.settings.item_opsional == ("layanan_kedaruratan", "layanan_data_pengaduan")
    assert data.services["K1"].items[-2:] == ["layanan_kedaruratan", "layanan_data_pengaduan"]
    assert ("K2", "layanan_data_pengaduan") in data.prices


def test_optional_item_marks_count_in_the_figures(tmp_path: Path) -> None:
    rows = {"K1": [{labels.D_NIK: _nik(1), labels.D_NAMA: "Orang Satu", "Sandang": "TW1",
                    "Layanan Kedaruratan": "Butuh"}]}
    on = _filled(_new_template(tmp_path, optional=True), tmp_path / "on.xlsx", rows)
    a = evaluate(read_workbook(on)).result.layanan[0].capaian
    assert a.pasangan_butuh == 2 and a.terlayani[1] == 0  # the emergency service is owed


def test_switched_on_in_konfigurasi_without_columns_warns(tmp_path: Path) -> None:
    path = _filled(_new_template(tmp_path), tmp_path / "tanpa-kolom.xlsx", ROWS,
                   **{labels.K_ITEM_OPSIONAL["layanan_kedaruratan"]: "Ya"})
    data = read_workbook(path)
    missing = [f for f in data.findings if f.kode == "kolom_hilang"]
    assert {f.sheet for f in missing} == {"K1 Disabilitas", "K2 Anak", "K3 Lansia",
                                          "K4 Gepeng"}
    assert all(f.tingkat == "peringatan" for f in missing)
    assert "layanan_kedaruratan" not in data.services["K1"].items


# --- Permasalahan, Tahapan, Laporan D and E ----------------------------------------------------

def _with_narrative(tmp_path: Path) -> Path:
    path = _filled(_new_template(tmp_path), tmp_path / "narasi.xlsx", ROWS)
    book = openpyxl.load_workbook(path)
    ws = book[labels.PERMASALAHAN]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "K3":
            row[1].value = "Data lansia belum lengkap"
            row[2].value = "Verifikasi ke desa"
            row[3].value = "Pendamping dari provinsi"
    ws = book[labels.TAHAPAN]
    ws.cell(row=2, column=2, value="Selesai")
    ws.cell(row=2, column=3, value=datetime(2026, 3, 31))
    ws.cell(row=3, column=2, value="proses")
    _set(book, labels.TAHAPAN, labels.T_PERKADA, "Ya")
    book.save(path)
    return path


def test_permasalahan_and_tahapan_are_read(tmp_path: Path) -> None:
    narasi = read_workbook(_with_narrative(tmp_path)).narasi
    assert narasi.ada_permasalahan and narasi.ada_tahapan
    k3 = [p for p in narasi.permasalahan if p.layanan == "K3"][0]
    assert (k3.permasalahan, k3.solusi, k3.dukungan) == (
        "Data lansia belum lengkap", "Verifikasi ke desa", "Pendamping dari provinsi")
    assert [s.tahap for s in narasi.tahapan] == list(labels.TAHAP_NAMES)
    assert [s.status for s in narasi.tahapan] == ["Selesai", "Proses", None, None]
    assert narasi.tahapan[0].tanggal == date(2026, 3, 31)
    assert narasi.perkada_rencana_aksi is True
    assert narasi.permasalahan_terisi and narasi.tahapan_terisi


def test_an_empty_new_template_has_the_sheets_but_nothing_filled(tmp_path: Path) -> None:
    narasi = read_workbook(_new_template(tmp_path)).narasi
    assert narasi.ada_permasalahan and narasi.ada_tahapan
    assert not narasi.permasalahan_terisi and not narasi.tahapan_terisi


def test_a_bad_stage_status_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = _with_narrative(tmp_path)
    book = openpyxl.load_workbook(path)
    book[labels.TAHAPAN].cell(row=4, column=2, value="hampir")
    book.save(path)
    bad = [f for f in read_workbook(path).findings if f.kode == "isian_tidak_valid"]
    assert [(f.sheet, f.sel) for f in bad] == [(labels.TAHAPAN, "B4")]


def test_laporan_has_parts_d_and_e_laid_out_to_copy(tmp_path: Path) -> None:
    path = _with_narrative(tmp_path)
    compute_file(path)
    book = openpyxl.load_workbook(path)
    rows = [tuple(r) for r in book[labels.LAPORAN].iter_rows(values_only=True)]
    texts = [str(v) for r in rows for v in r if v is not None]
    assert "D. Permasalahan dan Solusi" in texts and "E. Tahapan Penerapan SPM" in texts
    k3 = next(r for r in rows if r[0] == "K3" and r[2] == "Data lansia belum lengkap")
    assert k3[3:5] == ("Verifikasi ke desa", "Pendamping dari provinsi")
    first = next(r for r in rows if r[0] == labels.TAHAP_NAMES[0])
    assert first[1] == "Selesai" and first[2] == datetime(2026, 3, 31)
    perkada = next(r for r in rows if r[0] == labels.T_PERKADA)
    assert perkada[1] == "Ya"
    # the input sheets are untouched by the computation
    assert book[labels.PERMASALAHAN].cell(row=2, column=1).value == "K1"


def test_json_carries_parts_d_and_e_and_the_new_index_name(tmp_path: Path) -> None:
    path = _with_narrative(tmp_path)
    doc = region_json(*_json_args(path))
    k3 = [p for p in doc["laporan"]["permasalahan"] if p["kode"] == "K3"][0]
    assert k3["solusi"] == "Verifikasi ke desa"
    tahapan = doc["laporan"]["tahapan"]
    assert tahapan["tahap"][0] == {"tahap": labels.TAHAP_NAMES[0], "status": "Selesai",
                                   "tanggal": "2026-03-31"}
    assert tahapan["perkada_rencana_aksi"] is True
    assert doc["indeks_spm_bidang_sosial"] == doc["indeks_daerah"]
    assert doc["kategori_spm_bidang_sosial"] == doc["kategori_daerah"]
    filled = region_json(*_json_args(path), narasi_lengkap=False)["laporan"]
    assert filled == {"permasalahan_terisi": True, "tahapan_terisi": True}


def _json_args(path: Path) -> tuple:  # type: ignore[type-arg]
    ev = evaluate(read_workbook(path))
    return ev.data.identity, ev.result, ev.findings, None, ev.data.narasi


def _texts(path: Path, sheet: str) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [str(v) for r in book[sheet].iter_rows(values_only=True) for v in r
                if v is not None]
    finally:
        book.close()


def test_old_template_fixture_is_the_first_release_template() -> None:
    book = openpyxl.load_workbook(OLD_TEMPLATE, read_only=True)
    try:
        assert labels.PERMASALAHAN not in book.sheetnames
        assert labels.TAHAPAN not in book.sheetnames
    finally:
        book.close()


# --- stale results ---------------------------------------------------------------------------

def test_a_new_option_or_report_text_changes_the_fingerprint(tmp_path: Path) -> None:
    import dataclasses

    from spm_xl.fingerprint import fingerprint

    data = read_workbook(_new_template(tmp_path))
    before = fingerprint(data)
    data.settings = dataclasses.replace(data.settings, persen_mutu="rata_item")
    assert fingerprint(data) != before
    narrated = read_workbook(_with_narrative(tmp_path))
    text = fingerprint(narrated)
    narrated.narasi = dataclasses.replace(narrated.narasi, perkada_rencana_aksi=False)
    assert fingerprint(narrated) != text


def test_templat_command_switches_the_optional_items_on(tmp_path: Path) -> None:
    from spm_xl.cli import main as cli

    out = tmp_path / "opsional.xlsx"
    assert cli(["templat", "--tingkat", "kabkota", "--tahun", "2026", "--item-opsional",
                "-o", str(out)]) == 0
    data = read_workbook(out)
    assert data.settings.item_opsional == ("layanan_kedaruratan", "layanan_data_pengaduan")
    assert "layanan_data_pengaduan" in data.services["K4"].items


def test_petunjuk_cites_permensos_9_2018_and_warns_about_9_2025(tmp_path: Path) -> None:
    texts = _texts(_new_template(tmp_path), labels.PETUNJUK)
    joined = "\n".join(texts)
    assert "Permensos 9/2018" in joined and "Tahun 2018 Nomor 868" in joined
    assert "Permensos 9/2025" in joined and "Karang Taruna" in joined
    assert labels.PERMASALAHAN in texts and labels.TAHAPAN in texts
