"""``spm-xl tren``: a series from real consolidations whose figures are known by construction.

Six quarters of Sulawesi Tenggara, each consolidated by ``spm-xl konsolidasi`` from small
district workbooks in which kab/kota 74.01 has 4 recipients of K1 and 74.02 has 2, each
needing only Sandang; ``x`` of them are served, so the K1 index (and the district's index,
the only service with a target) is exactly 100 * x / Y:

=========  =========  ==============================================================
period     74.01 (x)  74.02
=========  =========  ==============================================================
2025 TW I      1      no file (belum mengirim: it reports late, from TW II)
2025 TW II     2      x = 1; 74.05 sends a 2024 file (ditolak: periode berbeda)
2025 TW III    -      no consolidation at all (a gap in the series)
2025 TW IV     3      two files (konflik)
2026 TW I      2      x = 2
2026 TW II     4      x = 1; consolidated twice: the older run (74.01 x = 0) loses
=========  =========  ==============================================================
"""

from __future__ import annotations

import json
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from consolidation_data import district, nik, person

from spm_xl.cli import main
from spm_xl.consolidate.run import consolidate
from spm_xl.trend import datasheet as d
from spm_xl.trend.run import trend

Y1, Y2 = 4, 2  # recipients of K1 in 74.01 and 74.02
#: period -> (x of 74.01, x of 74.02 or a status)
PLAN: dict[tuple[int, int], tuple[int, int | str]] = {
    (2025, 1): (1, d.BELUM), (2025, 2): (2, 1), (2025, 4): (3, d.KONFLIK),
    (2026, 1): (2, 2), (2026, 2): (4, 1)}
SEEDS = {"74.01": 100, "74.02": 200}


def k1(kode: str, y: int, x: int, q: int) -> dict[str, list[dict[str, object]]]:
    """``y`` recipients of K1 needing Sandang, the first ``x`` served in quarter ``q``."""
    return {"K1": [person(kode, SEEDS[kode] + i, sandang=f"TW{q}" if i < x else "Butuh")
                   for i in range(y)]}


def consolidate_period(base: Path, year: int, q: int, x1: int, x2: int | str,
                       name: str = "") -> Path:
    folder = base / f"in-{year}-{q}{name}"
    district(folder, "74.01", k1("74.01", Y1, x1, q), tahun=year, triwulan=q,
             budgets={"K1": [1000, 10, 10, 10, 10]})
    if isinstance(x2, int):
        district(folder, "74.02", k1("74.02", Y2, x2, q), tahun=year, triwulan=q)
    elif x2 == d.KONFLIK:
        district(folder, "74.02", k1("74.02", Y2, 1, q), tahun=year, triwulan=q, file="a.xlsx")
        district(folder, "74.02", k1("74.02", Y2, 2, q), tahun=year, triwulan=q, file="b.xlsx")
    if (year, q) == (2025, 2):  # a file of the wrong year: rejected
        district(folder, "74.05", tahun=2024, triwulan=q)
    out = base / f"provinsi-{year}-TW{q}{name}.xlsx"
    consolidate([folder], out, jobs=1)
    return out


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("tren")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPM_XL_KUNCI", "kunci-uji")
        mp.setenv("XDG_CONFIG_HOME", str(base / "config"))
        older = consolidate_period(base, 2026, 2, 0, 1, name="-awal")
        time.sleep(1.1)  # stamps have whole seconds: the rerun must be newer
        return [older, *(consolidate_period(base, y, q, x1, x2)
                         for (y, q), (x1, x2) in PLAN.items())]


@pytest.fixture(scope="module")
def result(history: list[Path]) -> tuple[dict[str, object], Path, int]:
    out = history[0].parent / "tren.xlsx"
    outcome = trend(history, out)
    return outcome.document, out, outcome.exit_code


def index(x: int, y: int) -> float:
    return float(Decimal(100 * x) / Decimal(y))


def periods_of(doc: dict[str, object], kode: str) -> dict[tuple[int, int], dict[str, object]]:
    kab = next(k for k in doc["kabkota"] if k["kode"] == kode)  # type: ignore[attr-defined]
    return {(p["tahun"], p["triwulan"]): p for p in kab["periode"]}


def test_every_period_and_district_has_the_index_built_into_it(result: tuple) -> None:
    doc, _, _ = result
    kolaka, konawe = periods_of(doc, "74.01"), periods_of(doc, "74.02")
    for period, (x1, x2) in PLAN.items():
        assert kolaka[period]["indeks"] == index(x1, Y1)
        assert kolaka[period]["layanan"][0]["sasaran"] == Y1
        assert kolaka[period]["layanan"][0]["terlayani"] == x1
        assert konawe[period]["indeks"] == (index(x2, Y2) if isinstance(x2, int) else None)


def test_the_province_is_pooled_and_averaged_per_period(result: tuple) -> None:
    doc, _, _ = result
    province = {(p["tahun"], p["triwulan"]): p for p in doc["provinsi"]}
    for period, (x1, x2) in PLAN.items():
        x, y = x1 + (x2 if isinstance(x2, int) else 0), Y1 + (Y2 if isinstance(x2, int) else 0)
        assert province[period]["persen_penerima_gabungan"] == round(100 * x / y, 2)
        means = [index(x1, Y1), *([index(x2, Y2)] if isinstance(x2, int) else [])]
        assert province[period]["rata_indeks_daerah"] == round(sum(means) / len(means), 2)
    # 2026 TW II: pooled 5/6 and mean of 100 and 50 differ, both labelled
    assert province[(2026, 2)]["persen_penerima_gabungan"] == 83.33
    assert province[(2026, 2)]["rata_indeks_daerah"] == 75.0


def test_changes_against_the_previous_quarter_and_last_year(result: tuple) -> None:
    kolaka = periods_of(result[0], "74.01")
    assert (kolaka[(2025, 2)]["perubahan_triwulan"], kolaka[(2025, 2)]["arah_triwulan"]) == (
        25.0, "naik")
    assert kolaka[(2025, 4)]["perubahan_triwulan"] is None  # TW III 2025 is a gap
    assert (kolaka[(2026, 1)]["perubahan_triwulan"], kolaka[(2026, 1)]["arah_triwulan"]) == (
        -25.0, "turun")
    assert (kolaka[(2026, 1)]["perubahan_tahun"], kolaka[(2026, 1)]["arah_tahun"]) == (
        25.0, "naik")
    assert (kolaka[(2026, 2)]["perubahan_tahun"], kolaka[(2026, 2)]["arah_tahun"]) == (
        50.0, "naik")
    assert kolaka[(2026, 2)]["kategori"] is not None


def test_a_missing_period_is_a_gap_never_zero(result: tuple) -> None:
    doc, out, _ = result
    gap = next(p for p in doc["periode"] if (p["tahun"], p["triwulan"]) == (2025, 3))
    assert gap["ada_data"] is False
    assert periods_of(doc, "74.01")[(2025, 3)]["indeks"] is None
    ws = openpyxl.load_workbook(out)["Indeks Kab-Kota"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Kode")
    col = next(c.column for c in header if c.value == "TW III 2025")
    kolaka = next(r for r in ws.iter_rows() if r[0].value == "74.01")
    assert kolaka[col - 1].value is None
    assert kolaka[col].value == index(3, Y1)


def test_compliance_shows_late_rejected_and_conflicting_districts(result: tuple) -> None:
    doc, out, _ = result
    konawe = periods_of(doc, "74.02")
    assert konawe[(2025, 1)]["status"] == d.BELUM
    assert konawe[(2025, 2)]["status"] == d.DIKIRIM
    assert konawe[(2025, 4)]["status"] == d.KONFLIK
    selatan = periods_of(doc, "74.05")
    assert (selatan[(2025, 2)]["status"], selatan[(2025, 2)]["alasan"]) == (
        d.DITOLAK, "periode_berbeda")
    assert selatan[(2025, 3)]["status"] is None  # no data that quarter
    ws = openpyxl.load_workbook(out)["Kepatuhan"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows() if r[0].value}
    header = rows["Kode"]
    assert rows["74.05"][header.index("TW II 2025")] == "ditolak: periode laporan berbeda"
    assert rows["74.02"][header.index("TW I 2025")] == d.BELUM
    assert rows["74.02"][header.index("Dikirim 2025")] == 1
    assert rows["74.01"][header.index("Dikirim 2026")] == 2
    assert ws.conditional_formatting  # the heat map


def test_a_period_consolidated_twice_uses_the_newer_stamp_and_says_so(result: tuple) -> None:
    doc, out, code = result
    assert code == 1
    assert len(doc["konflik"]) == 1
    assert "provinsi-2026-TW2.xlsx" in doc["konflik"][0]
    assert "provinsi-2026-TW2-awal.xlsx" in doc["konflik"][0]
    assert periods_of(doc, "74.01")[(2026, 2)]["indeks"] == 100.0
    ws = openpyxl.load_workbook(out)["Ringkasan Tren"]
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t.startswith("tidak dipakai") for t in texts)


def test_keterisian_per_district_and_period(result: tuple) -> None:
    kolaka = periods_of(result[0], "74.01")
    konawe = periods_of(result[0], "74.02")
    assert kolaka[(2025, 1)]["keterisian"] == 100.0  # prices, budget, identity, no galat
    assert konawe[(2025, 2)]["keterisian"] == 80.0  # no budget for its served K1


def test_no_name_or_nik_anywhere_in_the_trend_workbook(result: tuple, history: list[Path]
                                                      ) -> None:
    _, out, _ = result
    with zipfile.ZipFile(out) as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for kode, seed in SEEDS.items():
        for i in range(Y1):
            assert nik(kode, seed + i) not in text
            assert f"Orang Uji {seed + i}" not in text
    assert "Orang Uji" not in text


def test_a_file_that_is_no_consolidation_is_refused_with_a_reason(
        history: list[Path], tmp_path: Path) -> None:
    other = tmp_path / "catatan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.save(other)
    outcome = trend([history[1], other], tmp_path / "t.xlsx")
    assert outcome.exit_code == 1
    [refused] = outcome.document["ditolak"]
    assert refused["berkas"] == "catatan.xlsx"
    assert "Bukan buku kerja konsolidasi provinsi" in refused["alasan"]


def test_nothing_usable_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    code = main(["tren", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "t.xlsx"), "--json"])
    assert code == 2
    assert not (tmp_path / "t.xlsx").exists()
    assert json.loads(capsys.readouterr().out)["ditolak"][0]["berkas"] == "x.xlsx"


# --- the history sheet, typed by an outside script -------------------------------------------

def typed_history(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "riwayat.xlsx"
    assert main(["templat", "--riwayat", "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Riwayat"]
    header = next(r for r in ws.iter_rows() if any(c.value == "Kode Kab/Kota" for c in r))
    cols = {c.value: c.column for c in header if c.value}
    row = header[0].row + 1
    for values in rows:
        for label, value in values.items():
            ws.cell(row, cols[label], value)
        row += 1
    wb.save(path)
    return path


def test_history_typed_by_a_script_extends_the_series(history: list[Path],
                                                      tmp_path: Path) -> None:
    typed = typed_history(tmp_path, [
        {"Tahun": 2024, "Triwulan": "IV", "Kode Kab/Kota": "74.01", "Kode Layanan": "K1",
         "Sasaran": 10, "Terlayani": 5, "Indeks": 50},
        {"Tahun": 2024, "Triwulan": "IV", "Kode Kab/Kota": "74.01", "Kode Layanan": "K2",
         "Sasaran": 20, "Terlayani": 14, "Indeks": 70},
        {"Tahun": 2025, "Triwulan": 1, "Kode Kab/Kota": "74.02", "Kode Layanan": "K1",
         "Sasaran": 8, "Terlayani": 2, "Indeks": 25.5}])
    outcome = trend([typed, *history], tmp_path / "t.xlsx")
    kolaka = periods_of(outcome.document, "74.01")
    assert kolaka[(2024, 4)]["indeks"] == 60.0  # mean of the typed service indices
    assert kolaka[(2025, 1)]["perubahan_triwulan"] == 25.0 - 60.0
    # 2025 TW I is in the history and in a consolidation: the stamped consolidation wins
    assert periods_of(outcome.document, "74.02")[(2025, 1)]["status"] == d.BELUM
    assert any("riwayat.xlsx" in n and "TW I 2025" in n for n in outcome.document["konflik"])


def test_a_bad_history_cell_refuses_the_file_naming_the_cell(tmp_path: Path) -> None:
    typed = typed_history(tmp_path, [
        {"Tahun": 2024, "Triwulan": "V", "Kode Kab/Kota": "74.01", "Kode Layanan": "K1",
         "Sasaran": 10, "Terlayani": 5, "Indeks": 50}])
    outcome = trend([typed], tmp_path / "t.xlsx")
    assert outcome.exit_code == 2
    [refused] = outcome.document["ditolak"]
    assert "Riwayat sel B6" in refused["alasan"]


# --- a district's own series ---------------------------------------------------------------

def test_a_districts_own_workbooks_give_its_series_per_service(tmp_path: Path) -> None:
    marks25 = ["TW1", "TW3", "Butuh", "Butuh"]  # indices 25, 25, 50, 50
    marks26 = ["TW2", "TW2", "TW1", "Butuh"]  # indices 25, 75
    for year, q, marks in ((2025, 4, marks25), (2026, 2, marks26)):
        district(tmp_path / "own", "74.01", {"K1": [person("74.01", 300 + i, sandang=m)
                                                    for i, m in enumerate(marks)]},
                 tahun=year, triwulan=q, file=f"kolaka-{year}.xlsx")
    out = tmp_path / "tren-kolaka.xlsx"
    outcome = trend([tmp_path / "own"], out)
    assert outcome.document["cakupan"] == "kabkota"
    kolaka = periods_of(outcome.document, "74.01")
    assert [kolaka[p]["indeks"] for p in sorted(kolaka)] == [25.0, 25.0, 50.0, 50.0, 25.0, 75.0]
    assert kolaka[(2026, 2)]["perubahan_tahun"] == 50.0
    assert kolaka[(2026, 1)]["arah_tahun"] == "tetap"
    wb = openpyxl.load_workbook(out)
    assert "Provinsi" not in wb.sheetnames
    assert wb["Layanan Kab-Kota"]._charts  # the per-service line chart


# --- konsolidasi --sebelumnya and the keterisian column --------------------------------------

def test_konsolidasi_sebelumnya_shows_the_change(history: list[Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-uji")
    folder = tmp_path / "in"
    district(folder, "74.01", k1("74.01", Y1, 3, 3), tahun=2025, triwulan=3)
    out = tmp_path / "tw3.xlsx"
    previous = history[0].parent / "provinsi-2025-TW2.xlsx"
    consolidate([folder], out, jobs=1, sebelumnya=previous)
    wb = openpyxl.load_workbook(out)
    rekap = [[c.value for c in r] for r in wb["Rekap Kab-Kota"].iter_rows()]
    header = next(r for r in rekap if r[1] == "Kode Wilayah")
    kolaka = next(r for r in rekap if r[1] == "74.01")
    assert kolaka[header.index("Indeks SPM Bidang Sosial TW II 2025")] == 50
    assert kolaka[header.index("Perubahan Indeks SPM Bidang Sosial (poin)")] == 25
    assert kolaka[header.index("Arah")] == "naik"
    assert kolaka[header.index("Keterisian (0-100)")] == 80  # no budget given
    texts = [c.value for r in wb["Ringkasan"].iter_rows() for c in r]
    assert "Dibandingkan dengan TW II 2025 (provinsi-2025-TW2.xlsx)" in texts
    sumber = [[c.value for c in r] for r in wb["Sumber"].iter_rows()]
    assert "Keterisian (0-100)" in next(r for r in sumber if r[0] == "Berkas")


def test_konsolidasi_sebelumnya_refuses_a_file_that_is_no_consolidation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-uji")
    district(tmp_path / "in", "74.01")
    other = district(tmp_path, "74.02")
    code = main(["konsolidasi", str(tmp_path / "in"), "-o", str(tmp_path / "p.xlsx"),
                 "--sebelumnya", str(other)])
    assert code == 2
    assert "--sebelumnya" in capsys.readouterr().err
    assert not (tmp_path / "p.xlsx").exists()


@pytest.mark.libreoffice
def test_libreoffice_opens_the_trend_workbook_and_exports_it_to_pdf(result: tuple) -> None:
    from libreoffice import to_pdf

    _, out, _ = result
    pdf = to_pdf(out)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000  # six sheets with tables and charts, not a blank page


def test_a_first_release_workbook_is_read_from_rekap_kab_kota(history: list[Path],
                                                             tmp_path: Path) -> None:
    old = tmp_path / "rilis-pertama.xlsx"
    wb = openpyxl.load_workbook(history[2])  # 2025 TW II
    del wb[d.DATA_TREN]
    wb.save(old)
    outcome = trend([old], tmp_path / "t.xlsx")
    assert outcome.exit_code == 0
    kolaka, konawe = periods_of(outcome.document, "74.01"), periods_of(outcome.document, "74.02")
    assert kolaka[(2025, 2)]["indeks"] == index(2, Y1)
    assert konawe[(2025, 2)]["layanan"][0]["terlayani"] == 1
