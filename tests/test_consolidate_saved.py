"""The district's saved results versus the recomputation (SPEC 5: "say so")."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from consolidation_data import district, person

from spm_xl.consolidate.worker import process_file
from spm_xl.pipeline import compute_file


@pytest.fixture
def computed(tmp_path: Path) -> Path:
    """A district computed by ``spm-xl hitung`` (Capaian saved and stamped)."""
    path = district(tmp_path, "74.06", {"K1": [person("74.06", 1),
                                               person("74.06", 2, sandang="Butuh")]})
    compute_file(path)
    return path


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def codes(path: Path) -> list[tuple[str, str | None, str | None]]:
    report = process_file(str(path))
    return [(f.kode, f.sheet, f.sel) for f in report.findings
            if f.kode.startswith("hasil_")]


def test_freshly_computed_district_has_nothing_to_say(computed: Path) -> None:
    assert codes(computed) == []


def test_typed_over_sasaran_is_reported_with_its_cell(computed: Path) -> None:
    edit(computed, "Capaian", "C6", 99)  # K1 Sasaran: the engine says 2
    assert codes(computed) == [("hasil_diubah", "Capaian", "C6")]


def test_inputs_changed_after_computing_are_reported_as_stale(computed: Path) -> None:
    edit(computed, "K1 Disabilitas", "L3", "TW2")  # the Butuh becomes delivered
    found = codes(computed)
    assert ("hasil_usang", "Capaian", "A2") in found
    assert not [c for c in found if c[0] == "hasil_diubah"]


def test_never_computed_district_is_an_info(tmp_path: Path) -> None:
    assert codes(district(tmp_path, "74.06")) == [("hasil_belum_ada", "Capaian", None)]


@pytest.mark.parametrize("sheet,label,value", [
    ("Laporan e-SPM", "Terlayani", 7),  # section A: what the admin copies into e-SPM
    ("Laporan e-SPM", "Realisasi Kumulatif (Rp)", 123),  # section C
    ("Kebutuhan", "Biaya (Rp)", 5),
    ("Dashboard", "Indeks TW II", 55.5),
])
def test_typed_over_figures_are_found_on_every_output_sheet(
        computed: Path, sheet: str, label: str, value: object) -> None:
    book = openpyxl.load_workbook(computed)
    ws = book[sheet]
    head = next(r for r in range(1, ws.max_row + 1) if label in [c.value for c in ws[r]]
                and "Kode Layanan" in [c.value for c in ws[r]])
    col = [c.value for c in ws[head]].index(label) + 1
    ws.cell(head + 1, col, value)  # the first data row: K1 (or its first item)
    book.save(computed)
    cell = f"{openpyxl.utils.get_column_letter(col)}{head + 1}"
    assert codes(computed) == [("hasil_diubah", sheet, cell)]
