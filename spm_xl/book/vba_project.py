"""Build the .xlsm's vbaProject.bin from the committed VBA source (SPEC 6).

The project is compiled from ``workbook/vba/*.bas`` at build time by pyOpenVBA (MIT, pure
Python), so no opaque binary is committed. pyOpenVBA gives a workbook its first VBA project as
Excel does (a document module for the workbook and one per sheet, named ThisWorkbook, Sheet1,
... as XlsxWriter names the sheets' code names), then the standard modules are added as source
text; Excel compiles them on first open.
"""

from __future__ import annotations

import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from xlsxwriter.workbook import Workbook

MODULES = ("SpmXl",)


class VbaBuildError(RuntimeError):
    """The VBA project could not be built; never ship an .xlsm without its macros."""


def vba_source(module: str) -> str:
    """The committed source of one module, with the CRLF line ends VBA stores."""
    text = resources.files("workbook").joinpath("vba", f"{module}.bas").read_text("ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def build_vba_project(sheet_count: int, modules: tuple[str, ...] = MODULES) -> bytes:
    """A vbaProject.bin with document modules for ``sheet_count`` sheets and ``modules``."""
    try:
        from pyopenvba import ExcelFile
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VbaBuildError(
            "Templat .xlsm memerlukan paket pyopenvba untuk menyusun makro dari kode sumber "
            "(pip install 'spm-xl[dev]'); templat .xlsx tidak memerlukannya."
        ) from exc
    sources = {name: vba_source(name) for name in modules}
    with tempfile.TemporaryDirectory(prefix="spm-xl-vba-") as tmp:
        skeleton, built = Path(tmp, "kerangka.xlsm"), Path(tmp, "makro.xlsm")
        book = Workbook(str(skeleton))
        for _ in range(sheet_count):
            book.add_worksheet()
        book.close()
        with ExcelFile(skeleton) as excel:
            project = excel.add_vba_project()
            for name, source in sources.items():
                project.add_module(name, source)
            excel.save(built)
        with ExcelFile(built) as excel:
            found = excel.vba_modules()
            problems = excel.validate()
        with zipfile.ZipFile(built) as package:
            data = package.read("xl/vbaProject.bin")
    for name, source in sources.items():
        if _normalised(found.get(name, "")) != _normalised(source):
            raise VbaBuildError(f"modul VBA {name} tidak terbaca kembali sama dengan sumbernya")
    if problems:
        raise VbaBuildError("proyek VBA tidak konsisten: " + "; ".join(problems))
    return data


def _normalised(source: str) -> str:
    return source.replace("\r\n", "\n").strip()
