"""The province's status board (issue 14), hand-worked.

Folder: 74.06 with two served people (dipakai); 74.05 sent twice as byte-identical copies
(one submission: dipakai); 74.04 sent twice with different content, the second saved later
(konflik, newer file named, rows counted 1 and 2); 74.03 for another year (ditolak, with the
reason); 74.01 an unfilled template (kosong, not ranked); 74.02 and the rest sent nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from consolidation_data import district, person

from spm_xl.cli import main as cli
from spm_xl.regions import regions


@pytest.fixture(autouse=True)
def private_key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SPM_XL_KUNCI", raising=False)


@pytest.fixture
def board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], Path]:
    d = tmp_path / "masuk"
    district(d, "74.06", {"K1": [person("74.06", 1), person("74.06", 2)]})
    first = district(d, "74.05")
    shutil.copyfile(first, d / "7405 (1).xlsx")
    old = district(d, "74.04", file="7404-lama.xlsx")
    new = district(d, "74.04", {"K1": [person("74.04", 1), person("74.04", 2)]},
                   file="7404-baru.xlsx")
    os.utime(old, (1_780_000_000, 1_780_000_000))
    os.utime(new, (1_780_086_400, 1_780_086_400))  # one day later
    district(d, "74.03", tahun=2025)
    district(d, "74.01", {})
    out = tmp_path / "prov.xlsx"
    assert cli(["konsolidasi", str(d), "-o", str(out), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    return {s["kode"]: s for s in doc["status_kabkota"]} | {"_doc": doc}, out


def test_every_kabkota_of_the_province_has_one_status(board: tuple[dict[str, Any], Path]
                                                      ) -> None:
    status, _ = board
    expected = {k.kode for k in regions().kabkota_of("74")}
    assert set(status) - {"_doc"} == expected
    assert {k: status[k]["status"] for k in ("74.01", "74.02", "74.03", "74.04", "74.05",
                                             "74.06")} == {
        "74.01": "Kosong", "74.02": "Belum mengirim", "74.03": "Ditolak",
        "74.04": "Konflik", "74.05": "Dipakai", "74.06": "Dipakai"}


def _label(folder: Path, name: str) -> str:
    """How the provincial outputs name a file: its fingerprint (issue 12), never its name."""
    import hashlib

    path = next(folder.rglob(name))
    return f"berkas-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}.xlsx"


def test_identical_copies_are_one_submission(board: tuple[dict[str, Any], Path]) -> None:
    status, out = board
    (used,) = status["74.05"]["berkas"]
    assert used == _label(out.parent, "7405.xlsx") == _label(out.parent, "7405 (1).xlsx")
    assert f"{used} adalah salinan identik" in status["74.05"]["keterangan"]
    assert status["_doc"]["konflik"] == [
        {"kode": "74.04", "berkas": [_label(out.parent, "7404-baru.xlsx"),
                                     _label(out.parent, "7404-lama.xlsx")]}]


def test_a_real_conflict_names_the_newer_file_and_the_rows(board: tuple[dict[str, Any], Path]
                                                           ) -> None:
    note = board[0]["74.04"]["keterangan"]
    old, new = (_label(board[1].parent, n) for n in ("7404-lama.xlsx", "7404-baru.xlsx"))
    assert f"{old}: 1 baris" in note and f"{new}: 2 baris" in note
    assert f"Yang terbaru: {new}" in note


def test_rejection_and_empty_carry_their_reason(board: tuple[dict[str, Any], Path]) -> None:
    status, _ = board
    assert "tahun 2025" in status["74.03"]["keterangan"]
    assert "tidak diperingkat" in status["74.01"]["keterangan"]


def test_the_sheet_lists_the_board_and_the_empty_district_is_not_ranked(
        board: tuple[dict[str, Any], Path]) -> None:
    _, out = board
    book = openpyxl.load_workbook(out, read_only=True)
    rows = [r for r in book["Belum Mengirim"].iter_rows(values_only=True)]
    assert ("74.01", regions().kabkota["74.01"].nama, "Kosong") in [r[:3] for r in rows]
    rekap = [r for r in book["Rekap Kab-Kota"].iter_rows(values_only=True)]
    ranked = [r for r in rekap if "74.01" in r]
    assert ranked and all(r[0] in ("-", None) for r in ranked)


def test_ranking_has_one_ranked_row_per_district_with_its_size(
        board: tuple[dict[str, Any], Path]) -> None:
    _, out = board
    rows = list(openpyxl.load_workbook(out, read_only=True)["Rekap Kab-Kota"].iter_rows(
        values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Peringkat")
    body = rows[head + 1:]
    ranked = [r for r in body if isinstance(r[0], int | float)]
    # 74.06 (2 recipients) and 74.05 (1): each ranked once, on its "Seluruh layanan" row
    assert sorted((r[1], r[4], r[5]) for r in ranked) == [
        ("74.05", "Seluruh layanan", 1), ("74.06", "Seluruh layanan", 2)]
    services = [r for r in body if r[1] == "74.06" and r[3]]
    assert len(services) == 5 and all(r[0] is None for r in services)
    # districts outside the ranking are listed with their status
    assert ("-", "74.02", regions().kabkota["74.02"].nama, None, "Belum mengirim") in [
        r[:5] for r in body]
    assert ("74.04", "Konflik") in [(r[1], r[4]) for r in body]
