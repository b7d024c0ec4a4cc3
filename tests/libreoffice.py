"""LibreOffice Calc headless for the tests: open, convert, recalculate, export to PDF (SPEC 7).

Every run gets its own throw-away user profile, so runs never share state, never touch a
developer's own LibreOffice settings and never wait on another instance's lock. Recalculation
is forced through that profile: LibreOffice normally trusts the values cached in an .xlsx and
recalculates nothing on load, so the profile sets "recalculate on load: always" for OOXML and
ODF files before the file is opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

TIMEOUT_S = 180
# --convert-to target per output format; the filter names pin the exact export filter
FILTERS = {
    "xlsx": "xlsx:Calc Office Open XML",
    "xlsm": "xlsm:Calc MS Excel 2007 VBA XML",
    "ods": "ods",
    "pdf": "pdf:calc_pdf_Export",
    "csv": "csv",
}
# org.openoffice.Office.Calc/Formula/Load: 0 = always recalculate, 1 = never, 2 = ask
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

CellValue = str | int | float | bool | datetime | None


class LibreOfficeError(RuntimeError):
    """LibreOffice failed, timed out, or wrote no output."""


def soffice_path() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/lib/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).is_file():
            return candidate
    return None


def require_soffice() -> str:
    """soffice's path; without it, skip the test locally but fail it under CI (SPEC 7)."""
    found = soffice_path()
    if found is None:
        message = "LibreOffice (soffice) tidak ditemukan: pasang libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(message + " (wajib di CI)", pytrace=False)
        pytest.skip(message)
    return found


@contextmanager
def _profile(recalc: bool) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="spm-xl-lo-") as tmp:
        if recalc:
            user = Path(tmp, "user")
            user.mkdir()
            (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, "utf-8")
        yield Path(tmp).as_uri()


def convert(path: Path, fmt: str, outdir: Path, *, recalc: bool = False,
            timeout: float = TIMEOUT_S) -> Path:
    """Convert ``path`` with LibreOffice into ``outdir`` and return the file it wrote.

    ``recalc`` recalculates every formula on load, so an output .xlsx carries LibreOffice's
    own values rather than the cached ones. No macro runs: headless conversion never
    executes document macros.
    """
    if outdir.resolve() == path.resolve().parent:
        raise ValueError("outdir must differ from the source folder: LibreOffice would "
                         "overwrite a file of the same name")
    soffice = soffice_path()
    if soffice is None:
        raise LibreOfficeError("soffice tidak ditemukan")
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{path.stem}.{fmt}"
    target.unlink(missing_ok=True)
    with _profile(recalc) as profile:
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", FILTERS.get(fmt, fmt),
                   "--outdir", str(outdir), str(path)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"LibreOffice tidak selesai dalam {timeout} detik") from exc
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        raise LibreOfficeError(
            f"konversi {path.name} -> {fmt} gagal (kode {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}")
    return target


def to_pdf(path: Path, outdir: Path | None = None) -> Path:
    """Export the whole workbook to PDF (next to it in a ``pdf`` folder by default)."""
    return convert(path, "pdf", outdir or path.parent / "pdf", recalc=True)


def recalculated_values(path: Path) -> dict[str, dict[str, CellValue]]:
    """Every non-empty cell's value per sheet after LibreOffice recalculated all formulas.

    The workbook goes through LibreOffice once with recalculation forced and comes back as
    .xlsx, whose cached values are then LibreOffice's own results.
    """
    with tempfile.TemporaryDirectory(prefix="spm-xl-recalc-") as tmp:
        result = convert(path, "xlsx", Path(tmp), recalc=True)
        book = openpyxl.load_workbook(result, data_only=True, read_only=True)
        try:
            values: dict[str, dict[str, CellValue]] = {}
            for sheet in book.worksheets:
                cells: dict[str, CellValue] = {}
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.value is not None and hasattr(cell, "coordinate"):
                            cells[cell.coordinate] = cell.value
                values[sheet.title] = cells
            return values
        finally:
            book.close()
