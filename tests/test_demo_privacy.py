"""The demo end to end, and no person in what the province sends on (issue 12).

`make demo` is what a newcomer runs first, and its provincial workbooks (every quarter of the
history, the trend workbook) are the files that travel furthest: none may hold a recipient's
NIK, in any separator form, or a recipient's name. Running the whole demo here also keeps it
working: a template change once made every filled sheet fail the size check and only the
demo noticed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from spm_xl.demo import run_demo

_SEPARATORS = re.compile("(?<=\\d)[\\s.\\-/\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                         "\ufeff]+(?=\\d)")


def _people(book: Path) -> tuple[set[str], set[str]]:
    """NIKs and names typed on the service sheets of one district or province workbook."""
    niks: set[str] = set()
    names: set[str] = set()
    wb = CalamineWorkbook.from_path(str(book))
    for sheet in wb.sheet_names:
        if not re.match(r"[KP][1-5] ", sheet):
            continue
        rows = wb.get_sheet_by_name(sheet).to_python()
        head = next((i for i, r in enumerate(rows[:15]) if "NIK" in r and "Nama" in r), None)
        if head is None:
            continue
        c_nik, c_nama = rows[head].index("NIK"), rows[head].index("Nama")
        for r in rows[head + 1:]:
            nik = re.sub(r"\D", "", str(r[c_nik]))
            if len(nik) == 16:
                niks.add(nik)
            if isinstance(r[c_nama], str) and len(r[c_nama].split()) >= 2:
                names.add(r[c_nama].strip())
    return niks, names


def _parts_text(book: Path) -> str:
    with zipfile.ZipFile(book) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def _leaked_niks(book: Path, niks: set[str]) -> set[str]:
    """The NIKs of ``niks`` anywhere in the book's parts, whatever their separators."""
    runs = re.findall(r"\d{16,}", _SEPARATORS.sub("", _parts_text(book)))
    return {run[i:i + 16] for run in runs for i in range(len(run) - 15)} & niks


def _cell_strings(book: Path) -> set[str]:
    wb = CalamineWorkbook.from_path(str(book))
    return {v.strip() for s in wb.sheet_names for row in wb.get_sheet_by_name(s).to_python()
            for v in row if isinstance(v, str)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    assert run_demo(folder) in (0, 1)  # 1: the synthetic districts carry planted errors
    return folder


def test_the_demo_writes_every_promised_workbook(demo: Path) -> None:
    assert len(list((demo / "kabkota").glob("SPM-Sosial-*.xlsx"))) >= 6
    assert list(demo.glob("SPM-Sosial-Provinsi-*.xlsx"))
    assert list(demo.glob("SPM-Sosial-Tren-*.xlsx"))
    assert len(list((demo / "riwayat").glob("SPM-Sosial-Provinsi-*.xlsx"))) >= 4
    assert len(list((demo / "impor-dan-tahun-baru").glob("*.xlsx"))) == 2


def test_no_demo_provincial_or_trend_workbook_holds_a_nik_or_a_name(demo: Path) -> None:
    niks: set[str] = set()
    names: set[str] = set()
    for book in [*demo.rglob("SPM-Sosial-[0-9]*.xlsx")]:
        found = _people(book)
        niks |= found[0]
        names |= found[1]
    assert len(niks) > 10_000 and len(names) > 1_000  # the scan has something to find
    district = next((demo / "kabkota").glob("SPM-Sosial-*.xlsx"))
    assert _leaked_niks(district, niks) and _cell_strings(district) & names  # the scan works
    shared = [*demo.glob("SPM-Sosial-Provinsi-*.xlsx"), *demo.glob("SPM-Sosial-Tren-*.xlsx"),
              *(demo / "riwayat").glob("SPM-Sosial-Provinsi-*.xlsx")]
    assert len(shared) >= 7
    for book in shared:
        assert not _leaked_niks(book, niks), f"{book.name}: NIK in the workbook"
        assert not (_cell_strings(book) & names), f"{book.name}: a recipient's name"
