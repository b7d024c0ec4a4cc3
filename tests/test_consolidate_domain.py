"""The consolidation and the second-release rules (SPEC 10): each district's own category
ladder, the province's ladder for province-wide figures, and Permasalahan/Tahapan reduced
to whether they were filled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from consolidation_data import district, person, province_book

from spm_xl import labels
from spm_xl.cli import main as cli


def _label(path: Path) -> str:
    """How the provincial outputs name a file (issue 12): its fingerprint."""
    import hashlib

    return f"berkas-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}{path.suffix.lower()}"

SECRET = "Keluarga Pak Rahasia menolak didata"
PROVINCE_LADDER = {"Ambang Tuntas Pratama": 76}


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], Path]:
    d = tmp_path / "masuk"
    # 74.06: one served person, index 100, the province's ladder, D and E filled
    district(d, "74.06", konfigurasi=PROVINCE_LADDER, extra_sheets={
        labels.PERMASALAHAN: [list(labels.PERMASALAHAN_HEADERS), ["K1", SECRET, "", ""]],
        labels.TAHAPAN: [list(labels.TAHAPAN_HEADERS), [labels.TAHAP_NAMES[0], "Selesai"]]})
    # 74.01: A = 50, B = 50, index 50; its own ladder puts Tuntas Muda at 40
    district(d, "74.01", {"K1": [person("74.01", 1), person("74.01", 2, sandang="Butuh")]},
             konfigurasi={**PROVINCE_LADDER, "Ambang Tuntas Muda": 40})
    own = province_book(tmp_path / "prov", konfigurasi=PROVINCE_LADDER)
    out = tmp_path / "prov.xlsx"
    code = cli(["konsolidasi", str(d), "--provinsi", str(own), "-o", str(out), "--json"])
    assert code in (0, 1)
    first = json.loads(capsys.readouterr().out)
    # a second run reads every file from the cache: the ladder and the filled flags survive
    code = cli(["konsolidasi", str(d), "--provinsi", str(own), "-o", str(out), "--json"])
    again = json.loads(capsys.readouterr().out)
    for doc in (first, again):
        for k in doc["kabkota"]:
            k.pop("berkas_hasil", None)
    assert [(k["tangga_kategori"], k["laporan"], k["kategori_spm_bidang_sosial"])
            for k in again["kabkota"]] == [
        (k["tangga_kategori"], k["laporan"], k["kategori_spm_bidang_sosial"])
        for k in first["kabkota"]]
    return again, out


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def test_each_district_keeps_the_category_of_its_own_ladder(
        run: tuple[dict[str, Any], Path]) -> None:
    doc, _ = run
    by_code = {k["wilayah"]["kode"]: k for k in doc["kabkota"]}
    assert by_code["74.01"]["indeks_spm_bidang_sosial"][1] == 50.0
    assert by_code["74.01"]["kategori_spm_bidang_sosial"][1] == "Tuntas Muda"  # own ladder
    assert by_code["74.01"]["tangga_kategori"] == "sendiri"
    assert by_code["74.06"]["tangga_kategori"] == "provinsi"


def test_province_wide_category_uses_the_province_ladder_and_says_which_differ(
        run: tuple[dict[str, Any], Path]) -> None:
    _, out = run
    rows = _rows(out, "Ringkasan")
    total = next(r for r in rows if str(r[0]).startswith("Kab/kota (K1-K5)"))
    # mean of 100 and 50 = 75: Tuntas Pratama on the default ladder, below 76 on the province's
    assert total[4] == 75 and total[5] == "Tuntas Muda"
    note = next(str(r[0]) for r in rows if str(r[0]).startswith("Kategori angka seluruh"))
    assert "Konfigurasi buku kerja provinsi" in note
    assert "(1 kab/kota)" in note and "Kabupaten Kolaka" in note and "Bombana" not in note
    rekap = _rows(out, "Rekap Kab-Kota")
    header = next(r for r in rekap if "Tangga Kategori" in r)
    col = header.index("Tangga Kategori")
    ladders = {r[1]: r[col] for r in rekap[rekap.index(header) + 1:] if r[1] and r[col]}
    assert ladders["74.06"] == "sama dengan tangga provinsi"
    assert str(ladders["74.01"]).startswith("Konfigurasi sendiri:")
    assert "Tuntas Muda >= 40" in str(ladders["74.01"])


def test_province_sees_only_whether_permasalahan_and_tahapan_were_filled(
        run: tuple[dict[str, Any], Path]) -> None:
    doc, out = run
    by_code = {k["wilayah"]["kode"]: k for k in doc["kabkota"]}
    assert by_code["74.06"]["laporan"] == {"permasalahan_terisi": True, "tahapan_terisi": True}
    assert by_code["74.01"]["laporan"] == {"permasalahan_terisi": None,
                                           "tahapan_terisi": None}
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        text = [str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
                for v in r if v is not None]
    finally:
        book.close()
    assert SECRET not in "\n".join(text) and SECRET not in json.dumps(doc)
    sumber = _rows(out, "Sumber")
    header = next(r for r in sumber if "Permasalahan Diisi" in r)
    p, t = header.index("Permasalahan Diisi"), header.index("Tahapan Diisi")
    filled = {r[0]: (r[p], r[t]) for r in sumber[sumber.index(header) + 1:] if r[0]}
    labels_of = {_label(f): f.name for f in out.parent.rglob("*.xlsx") if f != out}
    named = {labels_of.get(k, k): v for k, v in filled.items()}  # Sumber shows labels
    assert named["7406.xlsx"] == ("Ya", "Ya")
    assert named["7401.xlsx"] == ("sheet tidak ada", "sheet tidak ada")
