"""Read a recipient list (xlsx/xlsm, or csv/txt with , ; | or tab) as a grid of raw cells.

Lists come from DTKS/DTSEN extracts, assessment records and other offices' spreadsheets.
Text files are read as text, so a 16-digit NIK keeps every digit; spreadsheets go through
the same safe open as a workbook and python-calamine, so a NIK stored as a number arrives
as a float and is reported, never silently rounded into somebody else's NIK.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..book.safe import calamine_guard, check_container
from ..findings import UnusableWorkbook

DELIMITERS = (",", ";", "|", "\t")
DELIMITER_TEXT = {",": "koma", ";": "titik koma", "|": "garis tegak (|)", "\t": "tab"}
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
#: a list bigger than this is not a district's recipients (the import reads it whole)
MAX_TEXT_BYTES = 256 << 20
_SNIFF_LINES = 30
_SNIFF_CHARS = 64 << 10


@dataclass(slots=True)
class ListGrid:
    """A list's cells, row by row, and how it was read (for the printed summary)."""
    rows: list[list[object]]
    kind: str  # "xlsx" or "csv"
    detail: str  # e.g. "sheet 'Data'" or "pemisah titik koma"
    delimiter: str | None = None


def read_list(path: Path) -> ListGrid:
    """The cells of a list file; raises ``UnusableWorkbook`` when it cannot be read."""
    if not path.is_file():
        raise UnusableWorkbook(f"Daftar '{path.name}' tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_spreadsheet(path)
    if suffix == ".xls":
        raise UnusableWorkbook(f"Daftar '{path.name}' berformat Excel lama (.xls); buka di "
                               "Excel lalu simpan sebagai .xlsx atau .csv.")
    return _read_text(path)


def _read_spreadsheet(path: Path) -> ListGrid:
    check_container(path)
    try:
        with calamine_guard():
            wb = CalamineWorkbook.from_path(str(path))
            with wb:
                names = wb.sheet_names
                best: tuple[int, str, list[list[object]]] | None = None
                for name in names:
                    grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    filled = sum(1 for row in grid if any(v != "" for v in row))
                    if best is None or filled > best[0]:
                        best = (filled, name, [list(r) for r in grid])
    except UnusableWorkbook:
        raise
    except Exception as exc:  # calamine's own errors, a broken part
        raise UnusableWorkbook(f"Daftar '{path.name}' tidak dapat dibaca sebagai buku kerja "
                               f"Excel ({type(exc).__name__}).") from exc
    if best is None:
        raise UnusableWorkbook(f"Daftar '{path.name}' tidak berisi sheet.")
    return ListGrid(best[2], "xlsx", f"sheet '{best[1]}'")


def _read_text(path: Path) -> ListGrid:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise UnusableWorkbook(f"Daftar '{path.name}' terlalu besar untuk diimpor.")
    data = path.read_bytes()
    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnusableWorkbook(f"Daftar '{path.name}' tampaknya buku kerja Excel, bukan teks; "
                               "beri akhiran .xlsx.")
    text = _decode(data)
    delimiter = sniff_delimiter(text)
    try:
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text),
                                                                 delimiter=delimiter)]
    except csv.Error as exc:  # a field longer than csv's limit, a broken quote at the end
        raise UnusableWorkbook(f"Daftar '{path.name}' tidak dapat dibaca sebagai teks "
                               f"berpemisah ({exc}). Simpan ulang sebagai CSV.") from exc
    return ListGrid(rows, "csv", f"pemisah {DELIMITER_TEXT[delimiter]}", delimiter)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as Excel writes it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one common width."""
    head = "\n".join(text[:_SNIFF_CHARS].splitlines()[:_SNIFF_LINES])
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        widths = [len(r) for r in csv.reader(io.StringIO(head), delimiter=d) if any(r)]
        common = Counter(w for w in widths if w > 1).most_common(1)
        if not common:
            continue
        width, count = common[0]
        score = (count, width)
        if score > best_score:
            best, best_score = d, score
    return best
