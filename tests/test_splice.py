"""Splicing the output sheets into an admin's workbook leaves every other part untouched."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import xlwings
from libreoffice import recalculated_values, require_soffice, to_pdf
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from outputs_data import FORMULA_TEXT, STAMP, findings, identity, region_result
from python_calamine import CalamineWorkbook
from workbooks import person_row, write_district_workbook

from spm_xl import labels
from spm_xl.book.outputs import render_outputs
from spm_xl.book.splice import write_output_sheets
from spm_xl.catalogue import load_catalogue
from spm_xl.findings import UnusableWorkbook

QUICKSTART = Path(xlwings.__file__).parent / "quickstart.xlsm"
ALWAYS_EDITED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                 "xl/styles.xml"}


def render(wb: xlsxwriter.Workbook) -> None:
    render_outputs(wb, identity=identity(nama=FORMULA_TEXT), result=region_result(),
                   findings=findings(), stamp=STAMP, catalogue=load_catalogue())


def admin_workbook(path: Path) -> Path:
    """A district book with data, an old Dashboard (with a chart) in the middle of the tabs,
    an admin's own sheet with a chart, and a cell comment on a data sheet."""
    write_district_workbook(path, rows={"K1": [person_row("7406014101900001", "Ani",
                                                           permakanan="TW1", sandang="Butuh")]},
                            stamps={labels.DASHBOARD: ("spm-xl 0.0.9", "kemarin", "lama")},
                            extra_sheets={"Catatan Admin": [["Bulan", "Kunjungan"], ["Jan", 3],
                                                            ["Feb", 5]]})
    wb = openpyxl.load_workbook(path)
    wb.move_sheet(labels.DASHBOARD, offset=-8)  # between the input sheets
    for name, title in ((labels.DASHBOARD, "Grafik Lama"), ("Catatan Admin", "Grafik Admin")):
        chart = BarChart()
        chart.title = title
        chart.add_data(Reference(wb["Catatan Admin"], min_col=2, min_row=1, max_row=3))
        wb[name].add_chart(chart, "D4")
    wb["K1 Disabilitas"]["D2"].comment = Comment("sudah dicek", "admin")
    wb.active = 1
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("splice")
    src = admin_workbook(folder / "admin.xlsx")
    once, twice = folder / "sekali.xlsx", folder / "dua-kali.xlsx"
    write_output_sheets(src, once, render)
    write_output_sheets(once, twice, render)
    return src, once, twice


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def output_parts(path: Path) -> set[str]:
    """Parts of the output sheets and everything they reference (independent resolver)."""
    parts = members(path)
    wb_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', wb_rels)
                   + [(i, t) for t, i in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"',
                                                   wb_rels)])
    found: set[str] = set()
    for name, rid in re.findall(r'<sheet name="([^"]+)"[^>]*r:id="([^"]+)"',
                                parts["xl/workbook.xml"].decode()):
        if name in labels.OUTPUT_SHEETS:
            stack = [posixpath.normpath(posixpath.join("xl", targets[rid].lstrip("/")))
                     if not targets[rid].startswith("/") else targets[rid].lstrip("/")]
            while stack:
                part = stack.pop()
                found.add(part)
                folder, base = posixpath.split(part)
                rels = posixpath.join(folder, "_rels", base + ".rels")
                if rels in parts:
                    found.add(rels)
                    for t in re.findall(r'Target="([^"]+)"', parts[rels].decode()):
                        stack.append(posixpath.normpath(posixpath.join(folder, t)))
    return found


def raw_infos(path: Path) -> dict[str, tuple[int, int, int]]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in z.infolist()}


def test_every_other_part_is_byte_identical(runs: tuple[Path, Path, Path]) -> None:
    src, once, _ = runs
    before, after = members(src), members(once)
    allowed = ALWAYS_EDITED | output_parts(src) | output_parts(once)
    raw_before, raw_after = raw_infos(src), raw_infos(once)
    for name, data in before.items():
        if name not in allowed:
            assert after.get(name) == data, name
            assert raw_after[name] == raw_before[name], name  # raw compressed copy
    assert set(after) - set(before) <= output_parts(once)


def test_old_output_drawings_go_and_the_admins_chart_stays(
        runs: tuple[Path, Path, Path]) -> None:
    src, once, _ = runs
    after = members(once)
    assert not any(b"Grafik Lama" in data for data in after.values())
    admin_charts = [n for n, d in members(src).items() if b"Grafik Admin" in d]
    assert admin_charts and all(after[n] == members(src)[n] for n in admin_charts)


def test_second_run_changes_nothing_and_styles_do_not_grow(
        runs: tuple[Path, Path, Path]) -> None:
    _, once, twice = runs
    first, second = members(once), members(twice)
    assert second["xl/styles.xml"] == first["xl/styles.xml"]
    assert second == first


def test_sheet_order_kept_and_new_outputs_appended(runs: tuple[Path, Path, Path]) -> None:
    src, once, _ = runs
    before = openpyxl.load_workbook(src, read_only=True).sheetnames
    after = CalamineWorkbook.from_path(str(once)).sheet_names
    new = [s for s in labels.OUTPUT_SHEETS if s not in before]
    assert after == before + new


def test_outputs_read_back_with_expected_values(runs: tuple[Path, Path, Path]) -> None:
    book = CalamineWorkbook.from_path(str(runs[2]))
    result = region_result()
    rows = book.get_sheet_by_name(labels.KEBUTUHAN).to_python()
    total = next(r for r in rows if str(r[1]).startswith("Total "))
    assert total[11:13] == [result.biaya, result.sisa]
    dashboard = book.get_sheet_by_name(labels.DASHBOARD).to_python()
    assert dashboard[labels.STAMP_ROW - 1][1] == STAMP.versi  # the old stamp is gone
    assert book.get_sheet_by_name(labels.IDENTITAS).to_python()[2][1] == "Kabupaten Bombana"


def test_formula_looking_text_stays_text(runs: tuple[Path, Path, Path]) -> None:
    parts = members(runs[1])
    for name in output_parts(runs[1]):
        formulas = re.findall(rb"<f>(.*?)</f>", parts[name])
        assert all(f.startswith(b"SUM(") for f in formulas), name
    title = CalamineWorkbook.from_path(str(runs[1])).get_sheet_by_name(
        labels.PEMERIKSAAN).to_python()[0][0]
    assert FORMULA_TEXT in str(title)


def test_only_the_active_tab_is_selected(runs: tuple[Path, Path, Path]) -> None:
    parts = members(runs[1])
    for name in output_parts(runs[1]):
        assert b'tabSelected="1"' not in parts[name], name


def test_xlsm_keeps_its_macros_and_shared_strings(tmp_path: Path) -> None:
    src = shutil.copy(QUICKSTART, tmp_path / "makro.xlsm")
    out = tmp_path / "hasil.xlsm"
    write_output_sheets(Path(src), out, render)
    before, after = members(Path(src)), members(out)
    for name in ("xl/vbaProject.bin", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
        assert after[name] == before[name]
    assert b"macroEnabled.main+xml" in after["[Content_Types].xml"]
    assert CalamineWorkbook.from_path(str(out)).sheet_names[-5:] == list(labels.OUTPUT_SHEETS)


def test_replaced_sheet_keeps_its_vba_code_name(tmp_path: Path) -> None:
    src = tmp_path / "makro.xlsm"
    with zipfile.ZipFile(QUICKSTART) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":  # the sheet with code name Sheet1
                data = data.replace(b'name="Sheet1"', f'name="{labels.KEBUTUHAN}"'.encode())
            zo.writestr(info, data)
    write_output_sheets(src, tmp_path / "hasil.xlsm", render)
    sheet = members(tmp_path / "hasil.xlsm")["xl/worksheets/sheet1.xml"]
    assert b'<sheetPr codeName="Sheet1">' in sheet and b"Kode Layanan" in sheet


def _with_calc_chain(src: Path, dst: Path, sheet_ids: list[int]) -> Path:
    """A copy of ``src`` with a calcChain.xml naming cells on the given sheet ids."""
    chain = "".join(f'<c r="A1" i="{i}"/>' for i in sheet_ids)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.spreadsheetml.calcChain+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http'
                                    b'://schemas.openxmlformats.org/officeDocument/2006/relati'
                                    b'onships/calcChain" Target="calcChain.xml"/>'
                                    b"</Relationships>")
            zout.writestr(info, data)
        zout.writestr("xl/calcChain.xml", '<calcChain xmlns="http://schemas.openxmlformats.org/'
                      f'spreadsheetml/2006/main">{chain}</calcChain>')
    return dst


def test_calc_chain_dropped_only_when_it_names_an_output_sheet(
        runs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    once = runs[1]
    ids = dict(re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"',
                          members(once)["xl/workbook.xml"].decode()))
    inputs_only = _with_calc_chain(once, tmp_path / "a.xlsx", [int(ids["Identitas"])])
    naming_output = _with_calc_chain(once, tmp_path / "b.xlsx", [int(ids["Identitas"]),
                                                                 int(ids[labels.KEBUTUHAN])])
    write_output_sheets(inputs_only, tmp_path / "a2.xlsx", render)
    write_output_sheets(naming_output, tmp_path / "b2.xlsx", render)
    kept, dropped = members(tmp_path / "a2.xlsx"), members(tmp_path / "b2.xlsx")
    assert kept["xl/calcChain.xml"] == members(inputs_only)["xl/calcChain.xml"]
    assert "xl/calcChain.xml" not in dropped
    assert b"calcChain" not in dropped["[Content_Types].xml"]
    assert b"calcChain" not in dropped["xl/_rels/workbook.xml.rels"]


def test_sheet_named_in_other_case_is_replaced_and_renamed(tmp_path: Path) -> None:
    src = write_district_workbook(tmp_path / "kecil.xlsx",
                                  extra_sheets={"kebutuhan": [["hasil lama"]]})
    write_output_sheets(src, tmp_path / "hasil.xlsx", render)
    names = CalamineWorkbook.from_path(str(tmp_path / "hasil.xlsx")).sheet_names
    assert labels.KEBUTUHAN in names and "kebutuhan" not in names
    assert names.count(labels.KEBUTUHAN) == 1


def test_old_chartsheet_output_becomes_a_worksheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    data.append(["a", 1])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=1))
    wb.create_chartsheet(labels.DASHBOARD).add_chart(chart)
    wb.save(tmp_path / "grafik.xlsx")
    write_output_sheets(tmp_path / "grafik.xlsx", tmp_path / "hasil.xlsx", render)
    parts = members(tmp_path / "hasil.xlsx")
    assert not any(n.startswith("xl/chartsheets/") for n in parts)
    assert b"chartsheet" not in parts["[Content_Types].xml"]
    book = openpyxl.load_workbook(tmp_path / "hasil.xlsx")
    assert book.sheetnames[:2] == ["Data", labels.DASHBOARD]
    assert book[labels.DASHBOARD]["A5"].value == "Kode Layanan"


def test_workbook_without_styles_gets_the_rendered_ones(tmp_path: Path) -> None:
    src = write_district_workbook(tmp_path / "polos.xlsx")
    bare = tmp_path / "tanpa-gaya.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "xl/styles.xml":
                continue
            data = re.sub(rb'<(Override|Relationship)[^>]*styles[^>]*/>', b"", zin.read(info))
            zout.writestr(info, data)
    write_output_sheets(bare, tmp_path / "hasil.xlsx", render)
    assert "xl/styles.xml" in members(tmp_path / "hasil.xlsx")
    book = openpyxl.load_workbook(tmp_path / "hasil.xlsx")
    assert book[labels.CAPAIAN]["A1"].font.b


def test_zip_with_leading_bytes_still_spliced_intact(runs: tuple[Path, Path, Path],
                                                     tmp_path: Path) -> None:
    src = tmp_path / "awalan.xlsx"
    src.write_bytes(b"\0" * 64 + runs[0].read_bytes())  # zipfile reads it; raw copy cannot
    out = tmp_path / "hasil.xlsx"
    write_output_sheets(src, out, render)
    assert members(out)["xl/worksheets/sheet2.xml"] == members(runs[0])[
        "xl/worksheets/sheet2.xml"]


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_entity_attack_is_refused(runs: tuple[Path, Path, Path], tmp_path: Path,
                                  part: str) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    src = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(runs[0]) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = bomb + re.sub(rb"^<\?xml[^>]*>", b"", data)
            zout.writestr(info, data)
    with pytest.raises(UnusableWorkbook):
        write_output_sheets(src, tmp_path / "hasil.xlsx", render)


def test_not_a_workbook_is_unusable(tmp_path: Path) -> None:
    bogus = tmp_path / "bukan.xlsx"
    bogus.write_text("ini bukan zip")
    with pytest.raises(UnusableWorkbook, match="bukan buku kerja"):
        write_output_sheets(bogus, tmp_path / "x.xlsx", render)


@pytest.mark.libreoffice
def test_libreoffice_opens_recalculates_and_exports(runs: tuple[Path, Path, Path],
                                                     tmp_path: Path) -> None:
    require_soffice()
    book = Path(shutil.copy(runs[2], tmp_path / "hasil.xlsx"))
    recalculated = recalculated_values(book)
    with_formulas = openpyxl.load_workbook(book)
    cached = openpyxl.load_workbook(book, data_only=True)
    checked = 0
    for name in labels.OUTPUT_SHEETS:
        for row in with_formulas[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    expected = cached[name][cell.coordinate].value
                    assert recalculated[name][cell.coordinate] == expected, (name, cell)
                    checked += 1
    assert checked >= 10
    total = next(r for r in cached[labels.KEBUTUHAN].iter_rows(values_only=True)
                 if str(r[1]).startswith("Total "))
    assert total[11:13] == (region_result().biaya, region_result().sisa)
    assert to_pdf(book).stat().st_size > 0
