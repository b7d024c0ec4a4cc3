"""``konsolidasi --umpan-balik DIR``: a small workbook per district file (issue 14).

Hand-worked: 74.06 lists the shared person at its own row 3 (rows start at 2; the shared
person is its second row) and 74.01 at row 2, each naming the other kab/kota; 74.03, sent
for 2025, gets its rejection; nobody's NIK or name appears in any of them.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from consolidation_data import district, person

from spm_xl.cli import main as cli


@pytest.fixture
def feedback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple]]:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-uji")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    d = tmp_path / "in"
    shared = person("74.06", 7, "Orang Pindahan")
    district(d, "74.06", {"K1": [person("74.06", 1), shared]})
    district(d, "74.01", {"K1": [shared]})
    district(d, "74.03", tahun=2025)
    out = tmp_path / "umpan"
    assert cli(["konsolidasi", str(d), "-o", str(tmp_path / "p.xlsx"), "--umpan-balik",
                str(out)]) == 1
    books = {}
    for path in sorted(out.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, read_only=True)
        books[path.name] = [(ws.title, *row) for ws in wb.worksheets
                            for row in ws.iter_rows(values_only=True)]
        wb.close()
    return books


def test_one_workbook_per_district_file(feedback: dict[str, list[tuple]]) -> None:
    assert sorted(feedback) == ["Umpan-Balik-7401-7401.xlsx", "Umpan-Balik-7403-7403.xlsx",
                                "Umpan-Balik-7406-7406.xlsx"]


def test_duplicates_point_at_the_own_row_beside_the_pseudonym(
        feedback: dict[str, list[tuple]]) -> None:
    mine = [r for r in feedback["Umpan-Balik-7406-7406.xlsx"]
            if r[0] == "Duplikat" and str(r[1]).startswith("ID-")]
    (row,) = mine
    assert row[2:6] == ("K1", "K1 Disabilitas", 3, "Kabupaten Kolaka (74.01)")
    theirs = [r for r in feedback["Umpan-Balik-7401-7401.xlsx"]
              if r[0] == "Duplikat" and str(r[1]).startswith("ID-")]
    assert theirs[0][1] == row[1] and theirs[0][4] == 2  # the same pseudonym, their row


def test_rejected_file_gets_its_reason(feedback: dict[str, list[tuple]]) -> None:
    rows = {r[1]: r[2] for r in feedback["Umpan-Balik-7403-7403.xlsx"] if r[0] == "Ringkasan"}
    assert rows["Status"] == "Ditolak" and "tahun 2025" in rows["Alasan / keterangan"]


def test_no_name_and_no_nik_leaves(feedback: dict[str, list[tuple]]) -> None:
    text = " ".join(str(v) for rows in feedback.values() for r in rows for v in r)
    assert "Orang" not in text and "74060" not in text.replace("74.06", "")
