"""Build the .xlsm's vbaProject.bin from the committed VBA source (SPEC 6).

The project is compiled from ``spm_xl_excel/vba/*.bas`` at build time by pyOpenVBA (MIT, pure
Python), so no opaque binary is committed. pyOpenVBA gives a workbook its first VBA project as
Excel does (a document module for the workbook and one per sheet, named ThisWorkbook, Sheet1,
... as XlsxWriter names the sheets' code names), then the standard modules are added as source
text; Excel compiles them on first open.

The project is then written as MS-OVBA 2.3.4.1 asks of a writer: the ``_VBA_PROJECT`` stream
is its seven-byte header with version 0xFFFF and no performance cache, and every module
stream holds only its compressed source (MODULEOFFSET 0), without the compiled p-code the
blank project's document modules carry. Version 0xFFFF tells Office that no cache in the file
is its own, so it compiles from the source ([MS-OVBA] 1.6).
"""

from __future__ import annotations

import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from xlsxwriter.workbook import Workbook

MODULES = ("SpmXl",)
#: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001 (MS-OVBA 3.1.1)
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")


class VbaBuildError(RuntimeError):
    """The VBA project could not be built; never ship an .xlsm without its macros."""


def vba_source(module: str) -> str:
    """The committed source of one module, with the CRLF line ends VBA stores."""
    text = resources.files("spm_xl_excel").joinpath("vba", f"{module}.bas").read_text("ascii")
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
            data = interoperable(package.read("xl/vbaProject.bin"))
    if problems:
        raise VbaBuildError("proyek VBA tidak konsisten: " + "; ".join(problems))
    for name, source in sources.items():
        if _normalised(found.get(name, "")) != _normalised(source):
            raise VbaBuildError(f"modul VBA {name} tidak terbaca kembali sama dengan sumbernya")
    return data


def interoperable(data: bytes) -> bytes:
    """``vbaProject.bin`` rewritten per MS-OVBA's write rules: no performance caches.

    Every module is read back from the result and must equal what went in.
    """
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import (
        compress,
        parse_vba_project,
        serialize_dir_stream,
        write_back_modules,
    )
    cfb = CFB.from_bytes(data)
    project = parse_vba_project(cfb)
    before = {m.name: m.source for m in project.modules}
    for module in project.modules:
        module.dirty = True  # rewritten from source alone, MODULEOFFSET 0
    write_back_modules(cfb, project)
    cfb.write_stream_in_storage("VBA", "dir", compress(serialize_dir_stream(project)))
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    out: bytes = cfb.to_bytes()
    again = parse_vba_project(CFB.from_bytes(out))
    if {m.name: m.source for m in again.modules} != before or any(
            m.text_offset for m in again.modules):
        raise VbaBuildError("proyek VBA tidak terbaca kembali utuh setelah cache dibuang")
    return out


def _normalised(source: str) -> str:
    return source.replace("\r\n", "\n").strip()
