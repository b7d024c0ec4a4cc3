"""`spm-xl impor`: recipient lists written by an outside script, appended to a service sheet.

Lists are written with the csv module and openpyxl (as another office's spreadsheet would
be); the workbook rows are read back through the public reader and compared with what the
list says, worked out by hand. Every NIK here is synthetic (serials 9000-9999).
"""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert, require_soffice
from workbooks import person_row, write_district_workbook

from spm_xl.book.reader import read_workbook
from spm_xl.book.template import Fill, build_template
from spm_xl.cli import main
from spm_xl.records import NOT_NEEDED

SITI = "7406014508509001"  # woman born 05-08-1950
BUDI = "7406011708559002"  # man born 17-08-1955
WATI = "7406015203489003"  # woman born 12-03-1948
SHEET = "K3 Lansia"


def book(tmp_path: Path, fmt: str = "xlsx", rows: list[dict[str, object]] | None = None) -> Path:
    path = tmp_path / f"buku.{fmt}"
    fill = Fill(triwulan=2, rows={"K3": rows or []})
    return build_template(path, level="kabkota", kode="74.06", tahun=2026, fmt=fmt, fill=fill)


def people(path: Path, sheet_code: str = "K3") -> list[dict[str, object]]:
    """The sheet's rows as {label: value} through the public reader, plus their status."""
    rows = read_workbook(path).services[sheet_code]
    out = []
    for i, excel_row in enumerate(rows.rows):
        row = {label: values[i] for label, values in rows.person.items()
               if values[i] is not None}
        row["_baris"] = excel_row
        row["_item"] = int((rows.status[i] != NOT_NEEDED).sum())
        out.append(row)
    return out


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["impor", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


LIST_HEADER = ["No", "NIK", "Nama Lengkap", "L/P", "Tgl Lahir", "Alamat", "Desa/Kel",
               "Nama Ibu Kandung"]
LIST_ROWS = [
    ["1", SITI, "Siti Aminah", "Perempuan", "05-08-1950", "Jl. Lauru 3", "Lauru", "Wa Ina"],
    ["2", "", "Budi Santoso", "L", "17 Agustus 1955", "Jl. Konda 1", "Konda", "Ibu B"],
    ["3", WATI, "Wati", "P", "1948-03-12", "Jl. Rumbia 9", "Rumbia", "Ibu C"],
]
EXPECTED = [
    {"No": 1, "NIK": SITI, "Nama": "Siti Aminah", "Jenis Kelamin": "P",
     "Tanggal Lahir": date(1950, 8, 5), "Alamat": "Jl. Lauru 3", "Desa/Kelurahan": "Lauru",
     "_baris": 2, "_item": 0},
    {"No": 2, "Nama": "Budi Santoso", "Jenis Kelamin": "L",
     "Tanggal Lahir": date(1955, 8, 17), "Alamat": "Jl. Konda 1", "Desa/Kelurahan": "Konda",
     "_baris": 3, "_item": 0},
    {"No": 3, "NIK": WATI, "Nama": "Wati", "Jenis Kelamin": "P",
     "Tanggal Lahir": date(1948, 3, 12), "Alamat": "Jl. Rumbia 9", "Desa/Kelurahan": "Rumbia",
     "_baris": 4, "_item": 0},
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_csv_in_each_delimiter_lands_in_the_sheet_as_candidates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str) -> None:
    src = book(tmp_path)
    listed = write_csv(tmp_path / "daftar.csv",
                       [["Daftar calon penerima K3"], [], LIST_HEADER, *LIST_ROWS], delimiter)
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(src),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 0
    assert people(tmp_path / "hasil.xlsx") == EXPECTED
    assert doc["ditambahkan"] == 3 and doc["baris_judul"] == 3
    assert doc["kolom_dibuang"] == ["No", "Nama Ibu Kandung"]
    assert doc["pemetaan"]["NIK"] == "NIK" and doc["pemetaan"]["Jenis Kelamin"] == "L/P"
    assert people(src) == []  # the input book is untouched


def test_xlsx_list_with_a_title_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = tmp_path / "daftar.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DAFTAR PENERIMA BANTUAN LANSIA KECAMATAN LAURU"])
    ws.append(["NOMOR NIK", "NAMA", "JENIS KELAMIN", "TANGGAL LAHIR", "ALAMAT", "KECAMATAN",
               "HP"])
    ws.append([SITI, "Siti Aminah", "PEREMPUAN", datetime(1950, 8, 5), "Jl. Lauru 3", "Lauru",
               "0812"])
    ws.append([BUDI, "Budi", "LAKI-LAKI", "17/08/1955", None, "Lauru", None])
    for row in ws.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "@"
    wb.save(listed)
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 0 and doc["baris_judul"] == 2 and doc["kolom_dibuang"] == ["HP"]
    assert people(tmp_path / "hasil.xlsx") == [
        {"No": 1, "NIK": SITI, "Nama": "Siti Aminah", "Jenis Kelamin": "P",
         "Tanggal Lahir": date(1950, 8, 5), "Alamat": "Jl. Lauru 3", "Kecamatan": "Lauru",
         "_baris": 2, "_item": 0},
        {"No": 2, "NIK": BUDI, "Nama": "Budi", "Jenis Kelamin": "L",
         "Tanggal Lahir": date(1955, 8, 17), "Kecamatan": "Lauru", "_baris": 3, "_item": 0},
    ]


DTKS_HEADER = ["ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN",
               "ALAMAT", "DUSUN", "RT", "RW", "NOMOR KK", "NOMOR NIK", "NAMA",
               "TANGGAL LAHIR", "TEMPAT LAHIR", "JENIS KELAMIN", "NAMA IBU KANDUNG",
               "HUBUNGAN KELUARGA"]
KK = "7406010101209001"
DTKS_ROWS = [
    ["DT-001", "SULAWESI TENGGARA", "BOMBANA", "RUMBIA", "LAURU", "JL. LAURU", "I", "001",
     "002", KK, SITI, "SITI AMINAH", "05-08-1950", "BOMBANA", "PEREMPUAN", "WA INA",
     "KEPALA KELUARGA"],
    ["DT-002", "SULAWESI TENGGARA", "BOMBANA", "RUMBIA", "LAURU", "JL. LAURU", "I", "001",
     "002", KK, BUDI, "BUDI", "17-08-1955", "BOMBANA", "LAKI-LAKI", "WA ODE", "SUAMI"],
]
DTKS_EXPECTED = [
    {"No": 1, "NIK": SITI, "No KK": KK, "Nama": "SITI AMINAH", "Jenis Kelamin": "P",
     "Tanggal Lahir": date(1950, 8, 5), "Alamat": "JL. LAURU, DUSUN I, RT 001, RW 002",
     "Desa/Kelurahan": "LAURU", "Kecamatan": "RUMBIA", "_baris": 2, "_item": 0},
    {"No": 2, "NIK": BUDI, "No KK": KK, "Nama": "BUDI", "Jenis Kelamin": "L",
     "Tanggal Lahir": date(1955, 8, 17), "Alamat": "JL. LAURU, DUSUN I, RT 001, RW 002",
     "Desa/Kelurahan": "LAURU", "Kecamatan": "RUMBIA", "_baris": 3, "_item": 0},
]
DTKS_DROPPED = ["ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "TEMPAT LAHIR", "NAMA IBU KANDUNG",
                "HUBUNGAN KELUARGA"]


@pytest.mark.parametrize("with_header", [True, False])
def test_dtks_extract_layout_is_recognised_and_minimised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], with_header: bool) -> None:
    lines = [DTKS_HEADER, *DTKS_ROWS] if with_header else DTKS_ROWS
    listed = write_csv(tmp_path / "dtks.txt", lines, "|")
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 0 and doc["format_dtks"] is True
    assert doc["kolom_dibuang"] == DTKS_DROPPED
    assert doc["digabung_ke_alamat"] == ["DUSUN", "RT", "RW"]
    assert people(tmp_path / "hasil.xlsx") == DTKS_EXPECTED
    with zipfile.ZipFile(tmp_path / "hasil.xlsx") as z:
        every = b"".join(z.read(n) for n in z.namelist())
    assert b"WA INA" not in every and b"KEPALA KELUARGA" not in every


def test_nik_stored_as_a_number_in_xlsx_is_reported_like_periksa(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = tmp_path / "angka.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Tanggal Lahir"])
    ws.append([int(SITI), "Siti Aminah", datetime(1950, 8, 5)])
    ws.append([BUDI, "Budi", datetime(1955, 8, 17)])
    wb.save(listed)
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 1
    rows = doc["baris"]
    assert rows[0]["hasil"] == "dilewati" and rows[0]["baris"] == 2
    assert rows[0]["alasan"].startswith("Sel A2: NIK/No KK tersimpan sebagai angka")
    assert SITI not in json.dumps(doc) and SITI[:6] in rows[0]["nik"]
    assert [p.get("NIK") for p in people(tmp_path / "hasil.xlsx")] == [BUDI]


def test_people_already_in_the_sheet_are_not_added_twice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = [
        {"No": 1, "NIK": SITI, "Nama": "Siti Aminah", "Tanggal Lahir": date(1950, 8, 5),
         "Permakanan": "Butuh"},
        {"No": 2, "Nama": "Budi Santoso", "Tanggal Lahir": date(1955, 8, 17),
         "Sandang": "TW1"},
    ]
    src = book(tmp_path, rows=existing)
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS, LIST_ROWS[2]], ";")
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(src),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 0
    assert [(r["baris"], r["hasil"], r["baris_buku"]) for r in doc["baris"]] == [
        (2, "sudah_ada", 2), (3, "sudah_ada", 3), (4, "ditambahkan", 4), (5, "sudah_ada", None)]
    assert "sheet K3 Lansia baris 2" in doc["baris"][0]["alasan"]
    assert "baris 4 daftar ini" in doc["baris"][3]["alasan"]
    got = people(tmp_path / "hasil.xlsx")
    assert [(p.get("NIK"), p["Nama"], p["_item"]) for p in got] == [
        (SITI, "Siti Aminah", 1), (None, "Budi Santoso", 1), (WATI, "Wati", 0)]
    assert got[2]["No"] == 3


def test_a_row_without_identity_is_listed_not_dropped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, LIST_ROWS[0],
                                                 ["9", "", "Tanpa Tanggal", "L", "", "", "",
                                                  ""]], ",")
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 1
    assert (doc["ditambahkan"], doc["sudah_ada"], doc["dilewati"]) == (1, 0, 1)
    assert doc["baris"][1]["baris"] == 3
    assert doc["baris"][1]["alasan"].startswith("Tanpa identitas yang dapat dipakai")
    assert [p["Nama"] for p in people(tmp_path / "hasil.xlsx")] == ["Siti Aminah"]


def test_reimport_of_the_same_list_adds_nobody(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = book(tmp_path)
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ";")
    assert run(capsys, str(listed), "--layanan", "K3", "--ke", str(src))[0] == 0
    assert (tmp_path / "buku.bak.xlsx").exists()  # in place: the previous version is kept
    once = src.read_bytes()
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(src))
    assert code == 0 and doc["ditambahkan"] == 0 and doc["sudah_ada"] == 3
    assert doc["keluaran"] is None
    assert src.read_bytes() == once
    assert people(src) == EXPECTED


def _members(path: Path) -> dict[str, tuple[int, bytes]]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: (i.CRC, z.read(i)) for i in z.infolist()}


@pytest.mark.parametrize("fmt", ["xlsx", "xlsm"])
def test_only_the_target_sheet_part_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            fmt: str) -> None:
    src = book(tmp_path, fmt)
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    out = tmp_path / f"hasil.{fmt}"
    assert run(capsys, str(listed), "--layanan", "K3", "--ke", str(src), "-o", str(out))[0] == 0
    before, after = _members(src), _members(out)
    assert before.keys() == after.keys()
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/worksheets/sheet8.xml"}  # Petunjuk .. Konfigurasi, K1, K2, K3
    if fmt == "xlsm":
        assert before["xl/vbaProject.bin"] == after["xl/vbaProject.bin"]
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:  # raw compressed bytes too
        for info in a.infolist():
            if info.filename not in changed:
                assert b.getinfo(info.filename).compress_size == info.compress_size


def test_written_rows_keep_text_nik_drop_downs_protection_and_frozen_header(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = book(tmp_path)
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    out = tmp_path / "hasil.xlsx"
    run(capsys, str(listed), "--layanan", "K3", "--ke", str(src), "-o", str(out))
    old, new = openpyxl.load_workbook(src)[SHEET], openpyxl.load_workbook(out)[SHEET]
    nik = new["B2"]
    assert nik.value == SITI and nik.data_type == "s" and nik.number_format == "@"
    assert isinstance(new["F2"].value, datetime) and new["F2"].number_format == "dd/mm/yyyy"
    assert new.freeze_panes == old.freeze_panes and new.protection.sheet
    assert ([(d.sqref, d.formula1) for d in new.data_validations.dataValidation]
            == [(d.sqref, d.formula1) for d in old.data_validations.dataValidation])


def test_formula_looking_text_stays_text(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    nasty = '=HYPERLINK("http://contoh.invalid","klik")'
    listed = write_csv(tmp_path / "daftar.csv",
                       [["NIK", "Nama", "Alamat"], [SITI, nasty, "+cmd|' /C calc'!A0"],
                        [BUDI, "<r>x</r> & _x0041_", "a"]], ",")
    out = tmp_path / "hasil.xlsx"
    run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)), "-o", str(out))
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws["D2"].value == nasty and ws["D2"].data_type == "s"
    assert ws["G2"].value == "+cmd|' /C calc'!A0"
    # _x0041_ would read as "A" in Excel: the written text escapes it (openpyxl does not
    # decode escapes in inline strings, so the public reader checks it)
    assert people(out)[1]["Nama"] == "<r>x</r> & _x0041_"
    with zipfile.ZipFile(out) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet8.xml")


def test_kolom_override_picks_the_column(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "daftar.csv",
                       [["No Identitas", "NIK Lama", "Nama"], [SITI, "123", "Siti"]], ",")
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                    "-o", str(tmp_path / "hasil.xlsx"), "--kolom", "NIK=No Identitas")
    assert code == 0 and doc["pemetaan"]["NIK"] == "No Identitas"
    assert doc["kolom_dibuang"] == ["NIK Lama"]
    assert [p["NIK"] for p in people(tmp_path / "hasil.xlsx")] == [SITI]


def test_mapping_is_printed_before_the_summary(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    assert main(["import", str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)),
                 "-o", str(tmp_path / "hasil.xlsx")]) == 0
    err = capsys.readouterr().err
    assert err.index("Pemetaan kolom ke sheet K3 Lansia") < err.index("Ringkasan: 3 ditambahkan")
    assert "calon penerima sampai asesmen" in err and SITI not in err


def test_unknown_list_layout_and_wrong_service_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "daftar.csv", [["a", "b"], ["1", "2"]], ",")
    src = book(tmp_path)
    assert main(["impor", str(listed), "--layanan", "K3", "--ke", str(src)]) == 2
    assert "Baris judul kolom daftar" in capsys.readouterr().err
    assert main(["impor", str(listed), "--layanan", "P3", "--ke", str(src)]) == 2
    assert "Layanan P3 tidak ada" in capsys.readouterr().err


def test_import_into_a_workbook_saved_by_another_program(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_district_workbook(tmp_path / "lain.xlsx", title_rows=2, rows={"K3": [
        person_row(WATI, "Wati", lahir=date(1948, 3, 12), jk="P", permakanan="Butuh")]})
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], "\t")
    code, doc = run(capsys, str(listed), "--layanan", "K3", "--ke", str(src),
                    "-o", str(tmp_path / "hasil.xlsx"))
    assert code == 0 and (doc["ditambahkan"], doc["sudah_ada"]) == (2, 1)
    got = people(tmp_path / "hasil.xlsx")
    assert [(p["_baris"], p["Nama"], p.get("NIK")) for p in got] == [
        (4, "Wati", WATI), (5, "Siti Aminah", SITI), (6, "Budi Santoso", None)]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_imported_workbook(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    require_soffice()
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    out = tmp_path / "hasil.xlsx"
    run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)), "-o", str(out))
    resaved = convert(out, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(resaved)[SHEET]
    assert ws["B2"].value == SITI and ws["D4"].value == "Wati"
    assert people(resaved)[0]["NIK"] == SITI


def test_disaster_list_fills_the_event_columns(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "korban.csv", [
        ["NIK", "Nama", "Jenis Bencana", "Tgl Kejadian", "Kelompok Rentan", "Kondisi Rumah"],
        [SITI, "Siti Aminah", "Banjir Lauru", "01/02/2026", "Ya", "rusak berat"]], ";")
    out = tmp_path / "hasil.xlsx"
    code, doc = run(capsys, str(listed), "--layanan", "k5", "--ke", str(book(tmp_path)),
                    "-o", str(out))
    assert code == 0 and doc["sheet"] == "K5 Bencana" and doc["kolom_dibuang"] == ["Kondisi Rumah"]
    got = people(out, "K5")
    assert got == [{"No": 1, "NIK": SITI, "Nama": "Siti Aminah",
                    "Kejadian Bencana": "Banjir Lauru", "Tanggal Kejadian": date(2026, 2, 1),
                    "Kelompok Rentan": "Ya", "_baris": 2, "_item": 0}]


def test_a_broken_text_list_is_a_clear_message(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    listed = tmp_path / "rusak.csv"
    listed.write_text("NIK;Nama\n" + SITI + ";" + "x" * 200_000 + "\n", encoding="utf-8")
    assert main(["impor", str(listed), "--layanan", "K3", "--ke", str(book(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "tidak dapat dibaca sebagai teks berpemisah" in err and "Traceback" not in err


def test_imported_candidates_are_warnings_in_periksa_not_recipients(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    out = tmp_path / "hasil.xlsx"
    run(capsys, str(listed), "--layanan", "K3", "--ke", str(book(tmp_path)), "-o", str(out))
    assert main(["periksa", str(out), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["daftar_temuan"]
    assert [(f["kode"], f["sheet"], f["sel"]) for f in found if f["tingkat"] != "info"] == [
        ("penerima_tanpa_kebutuhan", SHEET, f"A{r}") for r in (2, 3, 4)]


def test_a_book_being_written_by_another_run_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from spm_xl.book.atomic import file_lock

    src = book(tmp_path)
    before = src.read_bytes()
    listed = write_csv(tmp_path / "daftar.csv", [LIST_HEADER, *LIST_ROWS], ",")
    with file_lock(src):
        assert main(["impor", str(listed), "--layanan", "K3", "--ke", str(src)]) == 2
    assert "sedang ditulis oleh proses spm-xl lain" in capsys.readouterr().err
    assert src.read_bytes() == before
