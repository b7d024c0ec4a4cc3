"""Every output sheet prints readably through LibreOffice (issue 14).

The district's five output sheets and the provincial workbook are exported to PDF and the
text read back with pdftotext: no ``###`` (a number wider than its column) and every word
of every table header and stamp label whole (a header cut at the column edge loses its
tail, e.g. "Versi Progra"). Figures are large on purpose: Rp 12.345.678.901 and more.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from consolidation_data import district, person
from libreoffice import require_soffice, to_pdf
from workbooks import person_row, write_district_workbook

from spm_xl import labels
from spm_xl.book import outputs as o
from spm_xl.book.reader import read_workbook
from spm_xl.book.xlsx import new_workbook
from spm_xl.catalogue import load_catalogue
from spm_xl.consolidate.run import consolidate
from spm_xl.pipeline import evaluate, stamp

pytestmark = pytest.mark.libreoffice

BIG = 12_345_678_901  # Rp 12,3 miliar: a realistic provincial allocation


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext tidak ditemukan: pasang poppler-utils")
    done = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout


def words_of(texts: list[str]) -> set[str]:
    return {w for t in texts for w in re.split(r"\s+", t) if len(w) > 2}


def header_words() -> set[str]:
    tables = [o.KEBUTUHAN_COLUMNS, o.capaian_columns(), o.LAPORAN_A_COLUMNS,
              o.LAPORAN_B_COLUMNS, o.LAPORAN_C_COLUMNS, o.DASHBOARD_INDEX_COLUMNS,
              o.DASHBOARD_COST_COLUMNS, o.PEMERIKSAAN_COLUMNS]
    return words_of([c.header for cols in tables for c in cols]
                    + [labels.STAMP_VERSI, labels.STAMP_WAKTU, labels.STAMP_SIDIK])


def missing_words(text: str, wanted: set[str]) -> set[str]:
    tokens = set(re.split(r"\s+", text))
    return {w for w in wanted if w not in tokens}


@pytest.fixture(scope="module")
def district_pdf(tmp_path_factory: pytest.TempPathFactory) -> str:
    require_soffice()
    folder = tmp_path_factory.mktemp("cetak")
    rows = [person_row(f"74060115089500{n:02d}", f"Penerima Dengan Nama Panjang {n}",
                       permakanan="TW1", sandang="TW2", alat_bantu="Butuh")
            for n in range(1, 13)]
    source = write_district_workbook(
        folder / "d.xlsx", rows={"K1": rows}, default_price=987_654_321,
        budgets={code: [BIG, BIG // 3, BIG // 4, 0, 0] for code in ("K1", "K2", "K3")})
    ev = evaluate(read_workbook(source))
    out = folder / "hasil.xlsx"
    wb = new_workbook(str(out))
    o.render_outputs(wb, identity=ev.data.identity, result=ev.result, findings=ev.findings,
                     stamp=stamp(ev.sidik, "74.06"), catalogue=load_catalogue())
    wb.close()
    return pdf_text(to_pdf(out))


def test_district_outputs_print_without_hashes(district_pdf: str) -> None:
    assert "###" not in district_pdf
    assert "Rp 12,345,678,901" in district_pdf or "Rp 12.345.678.901" in district_pdf


def test_district_headers_and_stamp_print_whole(district_pdf: str) -> None:
    assert missing_words(district_pdf, header_words()) == set()
    assert "WITA" in district_pdf  # Bombana's stamp in its own time zone


@pytest.fixture(scope="module")
def provincial_pdf(tmp_path_factory: pytest.TempPathFactory) -> str:
    require_soffice()
    folder = tmp_path_factory.mktemp("cetak-prov")
    district(folder / "in", "74.06", {"K1": [person("74.06", n) for n in range(1, 9)]},
             price=987_654_321, budgets={"K1": [BIG, BIG // 2, 0, 0, 0]})
    district(folder / "in", "74.01", {"K1": [person("74.01", 1)]})
    district(folder / "in", "74.05", {})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPM_XL_KUNCI", "kunci-uji")
        consolidate([folder / "in"], folder / "provinsi.xlsx", jobs=1)
    return pdf_text(to_pdf(folder / "provinsi.xlsx"))


def test_provincial_workbook_prints_without_hashes(provincial_pdf: str) -> None:
    assert "###" not in provincial_pdf
    assert "Kosong" in provincial_pdf and "Belum mengirim" in provincial_pdf


def test_provincial_stamp_labels_print_whole(provincial_pdf: str) -> None:
    wanted = words_of([labels.STAMP_VERSI, labels.STAMP_WAKTU, labels.STAMP_SIDIK])
    assert missing_words(provincial_pdf, wanted) == set()


def test_a_wrapped_service_name_gets_a_row_tall_enough_for_its_lines() -> None:
    """LibreOffice and Excel keep a cached row's height: a two-line service name in a
    one-line row printed over the row below it (Laporan e-SPM parts A and B)."""
    name = load_catalogue().services("kabkota")[4].nama  # K5, the longest
    assert o.wrapped_lines("K1", 12) == 1
    assert o.wrapped_lines(name, 12) >= -(-len(name) // int(o.TEXT_WIDTH_CAP))
    assert o.wrapped_lines(name, 200) == 1  # a column wide enough keeps one line
