"""Worksheet functions (xlwings UDFs): thin wrappers giving the library's own answers."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import xlwings as xw
from xlwings.conversion import accessors

from spm_xl_excel import functions
from spm_xl_excel.functions import SPM_INDEKS, SPM_KATEGORI, SPM_NIK_INFO, SPM_NIK_VALID

NIK_P = "7406015508950002"  # Bombana, 15-08-1995, woman (day + 40)


def test_a_well_formed_nik_is_valid_whatever_its_separators() -> None:
    assert SPM_NIK_VALID(NIK_P) is True
    assert SPM_NIK_VALID("74.0601.550895.0002") is True


@pytest.mark.parametrize("nik", ["740601550895", "7406015513950002", "9906015508950002",
                                 "7406015508950000", 7406015508950002.0, None, ""])
def test_a_short_impossible_or_numeric_nik_is_not_valid(nik: object) -> None:
    assert SPM_NIK_VALID(nik) is False


def test_nik_info_reads_region_birth_date_and_sex() -> None:
    assert SPM_NIK_INFO(NIK_P) == "Sulawesi Tenggara; Kabupaten Bombana; 15-08-1995; Perempuan"
    assert SPM_NIK_INFO(NIK_P, "lahir") == date(1995, 8, 15)
    assert SPM_NIK_INFO(NIK_P, "JK") == "Perempuan"
    assert SPM_NIK_INFO(NIK_P, "kab/kota") == "Kabupaten Bombana"
    assert SPM_NIK_INFO(NIK_P, "provinsi") == "Sulawesi Tenggara"


def test_nik_info_explains_an_invalid_nik_without_repeating_it() -> None:
    text = SPM_NIK_INFO("7406011513950002")
    assert text.startswith("NIK tidak valid: Bulan lahir") and "7406011513950002" not in text
    assert SPM_NIK_INFO(None) is None
    assert SPM_NIK_INFO(NIK_P, "umur").startswith("Bagian 'umur' tidak dikenal")


def test_the_index_uses_the_default_weights_and_rounds_half_up() -> None:
    assert SPM_INDEKS(62.5, 37.5) == 57.5  # 0.8 x 62.5 + 0.2 x 37.5
    assert SPM_INDEKS(0.00625, 0) == 0.01  # exactly 0.005: half-up, not half-even
    assert SPM_INDEKS("85,5", 100) == 88.4
    assert SPM_INDEKS(None, 50) is None


def test_the_index_refuses_what_is_not_a_percentage() -> None:
    assert SPM_INDEKS(101, 50) == "Persen penerima harus antara 0 dan 100, bukan 101."
    assert SPM_INDEKS(50, "banyak").startswith("Persen mutu: Nilai 'banyak' bukan angka")


@pytest.mark.parametrize(("index", "expected"), [
    (100, "Tuntas Paripurna"), (99.999, "Tuntas Utama"), (89.995, "Tuntas Utama"),
    (89.994, "Tuntas Madya"), (60, "Tuntas Muda"), (0, "Belum Tuntas")])
def test_paripurna_needs_exactly_100_other_rungs_use_the_index_rounded_to_two_decimals(
        index: float, expected: str) -> None:
    assert SPM_KATEGORI(index) == expected


@pytest.fixture
def as_on_windows(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    """``spm_xl_excel.functions`` decorated by xlwings' Windows UDF code, and that code.

    On Linux ``@xw.func`` records nothing, so the Windows module ``xlwings.udfs`` is loaded
    over stand-ins for pywin32 (none of it runs) and the functions module is loaded again
    under it.
    """
    stub = ModuleType("pythoncom")
    stub.CoInitialize = lambda: None  # type: ignore[attr-defined]
    client = ModuleType("win32com.client")
    client.Dispatch = None  # type: ignore[attr-defined]
    for name, module in (("pythoncom", stub), ("pywintypes", ModuleType("pywintypes")),
                         ("win32com", ModuleType("win32com")), ("win32com.client", client)):
        monkeypatch.setitem(sys.modules, name, module)
    udfs = _load("xlwings._udfs_on_windows", Path(xw.__file__).with_name("udfs.py"))
    monkeypatch.setattr(xw, "func", udfs.xlfunc)
    monkeypatch.setattr(xw, "arg", udfs.xlarg)
    return _load("_functions_on_windows", Path(functions.__file__)), udfs


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_function_registers_with_converters_xlwings_has(
        as_on_windows: tuple[ModuleType, ModuleType]) -> None:
    """A union type hint would have no converter and fail only inside Excel."""
    module, _ = as_on_windows
    udfs = [getattr(module, n) for n in dir(module) if n.startswith("SPM_")]
    assert len(udfs) == 4
    for f in udfs:
        meta: dict[str, Any] = f.__xlfunc__
        assert meta["category"] == "SPM-XL" and meta["ret"]["doc"]
        for option in [meta["ret"]["options"], *(a["options"] for a in meta["args"])]:
            assert option.get("convert") in accessors


def test_import_functions_declares_them_as_excel_would_see_them(
        as_on_windows: tuple[ModuleType, ModuleType]) -> None:
    module, udfs = as_on_windows
    vba = io.StringIO()
    udfs.generate_vba_wrapper("spm_xl_excel.functions", module, vba, SimpleNamespace(Name="a.xlsm"))
    declared = re.findall(r"^Function (.*)$", vba.getvalue(), re.MULTILINE)
    assert declared == ["SPM_INDEKS(persen_penerima, persen_mutu)", "SPM_KATEGORI(indeks)",
                        "SPM_NIK_INFO(nik, Optional bagian)", "SPM_NIK_VALID(nik)"]
    assert 'XLPy.CallUDF("spm_xl_excel.functions", "SPM_NIK_VALID"' in vba.getvalue()


def test_the_template_carries_the_wrappers_import_functions_would_write_late_bound(
        as_on_windows: tuple[ModuleType, ModuleType]) -> None:
    """Same names, parameters and CallUDF arguments as xlwings' own wrappers, but reaching
    the add-in through Application.Run: no VBA reference that breaks the buttons elsewhere."""
    module, udfs = as_on_windows
    vba = io.StringIO()
    udfs.generate_vba_wrapper("spm_xl_excel.functions", module, vba, SimpleNamespace(Name="a"))
    theirs = dict(re.findall(r"^Function (\w+)\((.*)\)$", vba.getvalue(), re.MULTILINE))
    calls = dict(re.findall(r'CallUDF\("spm_xl_excel\.functions", "(\w+)", (Array\([^)]*\)), '
                            r"ThisWorkbook, Application\.Caller\)", vba.getvalue()))
    source = (Path(functions.__file__).parent / "vba" / "SpmXl.bas").read_text("ascii")
    ours = {name: re.sub(r" As Variant", "", params) for name, params in re.findall(
        r"^Public Function (SPM_\w+)\((.*)\) As Variant$", source, re.MULTILINE)}
    assert ours == theirs and len(ours) == 4
    for name in ours:
        assert f'{name} = FungsiPython("{name}", {calls[name]})' in source
    assert 'UDF_MODULE As String = "spm_xl_excel.functions"' in source
    assert "server.CallUDF(UDF_MODULE, nama, argumen, ThisWorkbook, Application.Caller)" in source
    assert "Application.Run(\"'\" & ADDIN_NAME & \"'!XLPy\")" in source
