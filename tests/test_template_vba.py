"""The .xlsm template: VBA built from the committed source, buttons bound to its macros."""

from __future__ import annotations

import posixpath
import re
import sys
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import olefile
import pytest
from libreoffice import convert, require_soffice
from oletools.olevba import VBA_Parser, decompress_stream

from spm_xl import labels
from spm_xl.book.template import build_template
from spm_xl.book.vba_project import VbaBuildError
from spm_xl.catalogue import load_catalogue

SOURCE = Path(__file__).resolve().parent.parent / "spm_xl_excel" / "vba" / "SpmXl.bas"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BUTTON_SHEETS = [labels.PETUNJUK, labels.IDENTITAS]


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("xlsm") / "kabkota.xlsm", level="kabkota",
                          kode=None, tahun=2026, fmt="xlsm")


def normalised(code: str) -> str:
    return code.replace("\r\n", "\n").strip()


def modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name: normalised(code) for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def relationships(package: zipfile.ZipFile, rels_name: str) -> dict[str, str]:
    """Relationship id -> target of one .rels part."""
    root = ElementTree.fromstring(package.read(rels_name))
    return {r.attrib["Id"]: r.attrib["Target"] for r in root}


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part, from workbook.xml and its relationships."""
    targets = relationships(package, "xl/_rels/workbook.xml.rels")
    root = ElementTree.fromstring(package.read("xl/workbook.xml"))
    return {s.attrib["name"]: "xl/" + targets[s.attrib[f"{{{REL_NS}}}id"]].removeprefix("/xl/")
            for s in root.iter(f"{{{MAIN_NS}}}sheet")}


def button_macros(package: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Caption -> macro of the form buttons drawn on one sheet part."""
    path = PurePosixPath(part)
    rels_name = f"{path.parent}/_rels/{path.name}.rels"
    if rels_name not in package.namelist():
        return {}
    found: dict[str, str] = {}
    for target in relationships(package, rels_name).values():
        if not target.endswith(".vml"):
            continue
        vml = package.read(posixpath.normpath(posixpath.join(path.parent, target))).decode()
        for shape in re.findall(r"<v:shape .*?</v:shape>", vml, re.S):
            if 'ObjectType="Button"' not in shape:
                continue
            textbox = re.search(r"<v:textbox.*?</v:textbox>", shape, re.S)
            macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape)
            assert textbox and macro, shape
            found[re.sub(r"<[^>]+>", "", textbox.group()).strip()] = macro.group(1)
    return found


def test_vba_module_is_the_committed_source(xlsm: Path) -> None:
    assert modules(xlsm)["SpmXl.bas"] == normalised(SOURCE.read_text("ascii"))


def test_vba_source_calls_the_python_entry_points() -> None:
    source = SOURCE.read_text("ascii")
    assert re.search(r"Public Sub PeriksaData\(\)", source)
    assert re.search(r"Public Sub HitungUlang\(\)", source)
    assert "import spm_xl_excel.buttons as b; b.periksa_data()" in source
    assert "import spm_xl_excel.buttons as b; b.hitung_ulang()" in source
    assert "RunPython" in source


def test_vba_project_has_a_document_module_per_sheet(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as package:
        sheets = len(sheet_parts(package))
        code_names = re.findall(r'<(?:workbookPr|sheetPr)\b[^>]*codeName="([^"]+)"', "".join(
            package.read(n).decode() for n in package.namelist()
            if n.startswith("xl/worksheets/sheet") or n == "xl/workbook.xml"))
        ole = olefile.OleFileIO(package.read("xl/vbaProject.bin"))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    documents = re.findall(r"^Document=(\w+)/", project, re.M)
    assert documents == ["ThisWorkbook", *[f"Sheet{i}" for i in range(1, sheets + 1)]]
    assert sorted(code_names) == sorted(documents)
    assert re.findall(r"^Module=(\w+)", project, re.M) == ["SpmXl"]


def test_buttons_call_their_macros_on_the_guide_and_identity_sheets_only(xlsm: Path) -> None:
    services = {s.sheet for s in load_catalogue().services("kabkota")}
    with zipfile.ZipFile(xlsm) as package:
        parts = sheet_parts(package)
        for name, part in parts.items():
            buttons = button_macros(package, part)
            if name in BUTTON_SHEETS:
                assert buttons == {"Periksa Data": "[0]!PeriksaData",
                                   "Hitung Ulang": "[0]!HitungUlang"}, name
            else:
                assert buttons == {}, name
        assert services <= set(parts)


def test_xlsx_template_carries_no_macros_or_buttons(tmp_path: Path) -> None:
    path = build_template(tmp_path / "t.xlsx", level="provinsi", kode=None, tahun=2026,
                          fmt="xlsx")
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
    assert "xl/vbaProject.bin" not in names
    assert not [n for n in names if n.endswith(".vml")]


def test_xlsm_build_fails_loudly_without_the_vba_library(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyopenvba", None)  # import now raises ImportError
    with pytest.raises(VbaBuildError, match="pyopenvba"):
        build_template(tmp_path / "t.xlsm", level="kabkota", kode=None, tahun=2026, fmt="xlsm")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_vba_when_resaving(xlsm: Path, tmp_path: Path) -> None:
    require_soffice()
    resaved = convert(xlsm, "xlsm", tmp_path / "lo")  # opens it; no macro is executed
    assert modules(resaved)["SpmXl.bas"] == normalised(SOURCE.read_text("ascii"))
    with zipfile.ZipFile(resaved) as package:
        buttons = button_macros(package, sheet_parts(package)[labels.PETUNJUK])
    # LibreOffice resolved each button against the module it imported: SpmXl.PeriksaData
    assert sorted(m.rsplit(".", 1)[-1].rsplit("!", 1)[-1] for m in buttons.values()) == [
        "HitungUlang", "PeriksaData"]


def test_the_vba_project_is_written_without_performance_caches(xlsm: Path) -> None:
    """MS-OVBA 2.3.4.1: ``_VBA_PROJECT`` is CC61 FFFF 00 + Reserved3 and nothing more (0xFFFF:
    Office compiles from source), and each module stream is its compressed source alone."""
    sources = {PurePosixPath(name).stem: code for name, code in modules(xlsm).items()}
    assert {"SpmXl", "ThisWorkbook", "Sheet1"} <= set(sources)
    with zipfile.ZipFile(xlsm) as package:
        ole = olefile.OleFileIO(package.read("xl/vbaProject.bin"))
    try:
        head = ole.openstream("VBA/_VBA_PROJECT").read()
        assert len(head) == 7 and head[:5] == bytes.fromhex("CC61FFFF00")
        for name, code in sources.items():
            # olevba reads from MODULEOFFSET; from byte 0 the same source must come out
            raw = decompress_stream(bytearray(ole.openstream(f"VBA/{name}").read()))
            assert normalised(raw.decode("cp1252")) == code, name
    finally:
        ole.close()
