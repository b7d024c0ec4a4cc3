"""Every ``--json`` document validates against the schema shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from consolidation_data import district, person
from workbooks import person_row, write_district_workbook

from spm_xl.cli import main

NIK = "7406011508950001"  # synthetic


def schema() -> dict[str, Any]:
    text = resources.files("spm_xl").joinpath("data/json-schema.json").read_text("utf-8")
    return dict(json.loads(text))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, schema())
    return code, doc


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_district_workbook(tmp_path / "d.xlsx", rows={"K1": [
        person_row(NIK, "Andi", permakanan="TW1"), person_row(NIK, "Andi", sandang="TW3")]})


def test_the_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_periksa_and_hitung_documents_validate(workbook: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run(capsys, "periksa", str(workbook))
    assert code == 1 and doc["temuan"]["galat"] == 1  # the NIK listed twice
    assert doc["berkas"] == "d.xlsx" and doc["versi"].startswith("spm-xl ")
    code, doc = run(capsys, "hitung", str(workbook))
    assert code == 1 and doc["berkas_hasil"] == str(workbook)
    assert {f["kode"] for f in doc["daftar_temuan"]} >= {"nik_ganda", "tanda_triwulan_berikut"}


def test_konsolidasi_document_validates_with_codes(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-uji")
    d = tmp_path / "in"
    district(d, "74.06", {"K1": [person("74.06", 1)]})
    district(d, "74.01", tahun=2025)
    district(d, "74.02", tahun=2025, file="7402.xlsx")
    district(d, "74.03")
    out = tmp_path / "prov.xlsx"
    code, doc = run(capsys, "konsolidasi", str(d), "-o", str(out), "--kode-provinsi", "74")
    assert code == 1
    assert (doc["wilayah_provinsi"]["kode"], doc["tahun"], doc["triwulan"]) == ("74", 2026, 2)
    assert doc["berkas_hasil"] == str(out)
    assert {(x["kode_wilayah"], x["kode"]) for x in doc["ditolak"]} == {
        ("74.01", "periode_beda"), ("74.02", "periode_beda")}


@pytest.mark.parametrize("argv", [["periksa", "tidak-ada.xlsx"], ["hitung", "tidak-ada.xlsx"]])
def test_unusable_file_documents_validate(argv: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run(capsys, *argv)
    assert code == 2 and doc["galat"]["kode"] == "berkas_tidak_dapat_dipakai"
