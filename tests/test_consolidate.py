"""``spm-xl konsolidasi`` end to end on small generated districts (SPEC 5)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from consolidation_data import OLE2_MAGIC, district, files_digest, nik, person

from spm_xl.cli import main as cli
from spm_xl.consolidate import sheets

SHEETS = ["Ringkasan", "Rekap Kab-Kota", "Rekap Layanan", "Kebutuhan", "Belum Mengirim",
          "Duplikat", "Pemeriksaan", "Sumber", "Dashboard", "Data Tren"]


@pytest.fixture(autouse=True)
def private_key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Key files go to a throw-away config dir, never the developer's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SPM_XL_KUNCI", raising=False)
    return tmp_path / "config"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, Any, str]:
    """(exit code, JSON document, standard error) of one konsolidasi run."""
    code = cli(["konsolidasi", *map(str, args), "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def cells(path: Path) -> list[str]:
    """Every cell value of every sheet, as text."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                for v in row if v is not None]
    finally:
        book.close()


@pytest.fixture
def province(tmp_path: Path) -> Path:
    """A folder with every kind of input the gate must sort out."""
    d = tmp_path / "masuk"
    shared = person("74.06", 7, "Orang Pindahan")
    district(d, "74.06", {"K1": [shared, person("74.06", 1)]})
    district(d, "74.01", {"K1": [shared], "K3": [person("74.01", 2, sandang="Butuh")]})
    district(d, "74.05", file="7405-a.xlsx")
    district(d, "74.05", {"K1": [person("74.05", 4)]}, file="7405-b.xlsx")  # other content
    district(d, "73.01", {"K1": [person("73.01", 3)]})
    (d / "rusak.xlsx").write_bytes(b"PK\x03\x04 terpotong")
    (d / "lama.xls").write_bytes(OLE2_MAGIC + bytes(504))
    return d


def label(path: Path) -> str:
    """How the provincial outputs name a file: its fingerprint, never a district's name."""
    import hashlib

    return f"berkas-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}{path.suffix.lower()}"


def test_every_kind_of_bad_input_gets_its_entry_and_the_rest_is_consolidated(
        province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, _ = run(capsys, province, "-o", tmp_path / "prov.xlsx")
    assert code == 1
    rejected = {r["berkas"]: r["alasan"] for r in doc["ditolak"]}
    rusak, lama, other = (label(province / n) for n in ("rusak.xlsx", "lama.xls", "7301.xlsx"))
    assert set(rejected) == {rusak, lama, other}
    assert "rusak" in rejected[rusak]
    assert ".xls" in rejected[lama]
    assert "bukan Provinsi Sulawesi Tenggara" in rejected[other]
    assert doc["konflik"] == [{"kode": "74.05", "berkas": [label(province / "7405-a.xlsx"),
                                                           label(province / "7405-b.xlsx")]}]
    assert [k["wilayah"]["kode"] for k in doc["kabkota"]] == ["74.01", "74.06"]
    missing = {m["kode"] for m in doc["belum_mengirim"]}
    assert "74.02" in missing and not missing & {"74.01", "74.05", "74.06"}
    assert doc["duplikat"] == 1


def test_output_has_exactly_the_nine_sheets(province: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, province, "-o", tmp_path / "prov.xlsx")
    assert openpyxl.load_workbook(tmp_path / "prov.xlsx", read_only=True).sheetnames == SHEETS


def test_province_is_the_one_most_files_name_and_the_output_says_so(
        province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, province, "-o", tmp_path / "prov.xlsx")
    assert "Sulawesi Tenggara (74)" in err and "paling banyak" in err
    assert any("paling banyak" in c for c in cells(tmp_path / "prov.xlsx"))


def test_kode_provinsi_overrides_the_majority(province: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, doc, _ = run(capsys, province, "-o", tmp_path / "prov.xlsx", "--kode-provinsi", "73")
    assert [k["wilayah"]["kode"] for k in doc["kabkota"]] == ["73.01"]


def test_inputs_are_byte_identical_afterwards(province: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = files_digest(province)
    run(capsys, province, "-o", tmp_path / "prov.xlsx")
    assert files_digest(province) == before


def test_no_nik_and_no_name_in_workbook_or_json_by_default(
        province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, doc, err = run(capsys, province, "-o", tmp_path / "prov.xlsx")
    text = "\n".join([*cells(tmp_path / "prov.xlsx"), json.dumps(doc), err])
    for secret in ("Orang Pindahan", "Orang Uji", nik("74.06", 7), nik("74.06", 1),
                   nik("74.01", 2)):
        assert secret not in text


def test_personal_option_warns_and_adds_names(province: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, doc, err = run(capsys, province, "-o", tmp_path / "prov.xlsx",
                      "--sertakan-data-pribadi")
    assert "PERINGATAN" in err and "data pribadi" in err
    assert {"Orang Pindahan", nik("74.06", 7)} <= set(cells(tmp_path / "prov.xlsx"))
    assert nik("74.06", 7) not in json.dumps(doc)


def test_formula_looking_name_is_written_as_text(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    evil = '=HYPERLINK("http://contoh.invalid","klik")'
    shared = person("74.06", 5, "Nama Sementara")
    for kode in ("74.06", "74.01"):
        path = district(tmp_path / "in", kode, {"K1": [shared]})
        book = openpyxl.load_workbook(path)
        cell = book["K1 Disabilitas"]["D2"]
        cell.value, cell.data_type = evil, "s"  # text typed as '=HYPERLINK..., not a formula
        book.save(path)
    run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx", "--sertakan-data-pribadi")
    with zipfile.ZipFile(tmp_path / "prov.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    assert "<f>" not in xml.replace("<f>SUM(", "")
    assert f">{evil}</t>" in xml


def test_clean_districts_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06")
    code, doc, _ = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert code == 0 and doc["ditolak"] == [] and doc["duplikat"] == 0


def test_district_with_data_errors_exits_1(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06", {"K1": [{"NIK": "123", "Nama": "X", "Sandang": "TW1"}]})
    code, doc, _ = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert code == 1 and doc["kabkota"][0]["temuan"]["galat"] >= 1


def test_nothing_usable_exits_2_and_writes_nothing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "lama.xls").write_bytes(OLE2_MAGIC + bytes(504))
    code, doc, _ = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert code == 2 and doc["ditolak"][0]["berkas"].endswith(".xls")
    assert not (tmp_path / "prov.xlsx").exists()


def test_output_that_is_an_input_is_refused(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = district(tmp_path / "in", "74.06")
    before = path.read_bytes()
    assert cli(["konsolidasi", str(path), "-o", str(path)]) == 2
    assert path.read_bytes() == before


def test_previous_output_in_the_input_folder_is_not_read_as_a_district(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06")
    out = tmp_path / "in" / "prov.xlsx"
    run(capsys, tmp_path / "in", "-o", out)
    code, doc, _ = run(capsys, tmp_path / "in", "-o", out)
    assert code == 0 and doc["ditolak"] == []


def test_province_workbook_is_computed_beside_the_districts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from consolidation_data import province_book

    district(tmp_path / "in", "74.06")
    own = province_book(tmp_path / "prov")
    code, doc, err = run(capsys, tmp_path / "in", "-o", tmp_path / "out.xlsx", "--provinsi", own)
    assert doc["provinsi"]["wilayah"]["kode"] == "74" and "--provinsi" in err
    assert [s["kode"] for s in doc["rekap_layanan"]][-5:] == ["P1", "P2", "P3", "P4", "P5"]
    assert "Provinsi" in cells(tmp_path / "out.xlsx")


def test_different_quarter_than_the_majority_is_rejected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06")
    district(tmp_path / "in", "74.01")
    district(tmp_path / "in", "74.02", triwulan=3)
    _, doc, _ = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert [r["berkas"] for r in doc["ditolak"]] == [label(next(tmp_path.rglob("7402.xlsx")))]
    assert "triwulan III" in doc["ditolak"][0]["alasan"]


def test_long_detail_tables_continue_on_a_numbered_sheet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    people = [person("74.06", i) for i in range(6)]
    district(tmp_path / "in", "74.06", {"K1": people})
    district(tmp_path / "in", "74.01", {"K1": people})
    monkeypatch.setattr(sheets, "ROW_LIMIT", 10)  # header at row 7 on the first sheet
    run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    names = openpyxl.load_workbook(tmp_path / "prov.xlsx", read_only=True).sheetnames
    assert {"Duplikat", "Duplikat (2)", "Duplikat (3)"} <= set(names)
    ids = [c for c in cells(tmp_path / "prov.xlsx") if c.startswith("ID-")]
    assert len(ids) == 12


def test_reading_in_two_spawned_processes_gives_the_same_result(tmp_path: Path) -> None:
    from spm_xl.consolidate.run import consolidate

    district(tmp_path / "in", "74.06", {"K1": [person("74.06", 1)]})
    district(tmp_path / "in", "74.01", {"K3": [person("74.01", 2)]})
    one = consolidate([tmp_path / "in"], tmp_path / "a.xlsx", jobs=1)
    two = consolidate([tmp_path / "in"], tmp_path / "b.xlsx", jobs=2)
    assert one.document == two.document and two.exit_code == 0


def test_output_must_be_xlsx_in_an_existing_folder(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06")
    assert cli(["konsolidasi", str(tmp_path / "in"), "-o", str(tmp_path / "prov.xls")]) == 2
    assert cli(["konsolidasi", str(tmp_path / "in"), "-o",
                str(tmp_path / "tidak-ada" / "prov.xlsx")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district(tmp_path / "in", "74.06")
    _, _, err = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert "Membaca berkas" not in err and "━" not in err


def test_pseudonym_key_is_created_privately_and_never_written_into_the_workbook(
        province: Path, tmp_path: Path, private_key_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, province, "-o", tmp_path / "prov.xlsx")
    key = (private_key_dir / "spm-xl" / "kunci-74").read_text().strip()
    assert "Kunci pseudonim provinsi baru dibuat" in err
    with zipfile.ZipFile(tmp_path / "prov.xlsx") as z:
        assert not any(key.encode() in z.read(n) for n in z.namelist())


def test_a_reader_panic_rejects_that_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from spm_xl.book import reader

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    real = reader.read_workbook

    def flaky(path: Path) -> object:
        if path.name == "7401.xlsx":
            raise PanicException("calamine panicked")
        return real(path)

    monkeypatch.setattr(reader, "read_workbook", flaky)
    district(tmp_path / "in", "74.06")
    district(tmp_path / "in", "74.01")
    code, doc, _ = run(capsys, tmp_path / "in", "-o", tmp_path / "prov.xlsx")
    assert code == 1 and [k["wilayah"]["kode"] for k in doc["kabkota"]] == ["74.06"]
    assert "PanicException" in doc["ditolak"][0]["alasan"]
