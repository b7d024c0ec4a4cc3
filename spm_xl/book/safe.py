"""Safe open: refuse a file that is not a sound .xlsx/.xlsm before any parser sees it.

Admins send whatever they have: old .xls files, password-protected books, half-copied
e-mail attachments, and a province collects them from 38 districts, so a hostile or broken
file must end in one clear message (``UnusableWorkbook``, exit 2), never a traceback, a crash
or unbounded memory. In order:

1. the file exists, is not empty, is not an OLE2 container (old .xls, or an OOXML book
   encrypted with a password) and is a zip;
2. the zip's central directory declares sane sizes (zip bomb) - nothing is inflated yet.
   The zip reader behind python-calamine refuses a part that inflates past its declared
   size, so the declared sizes really bound what gets inflated;
3. no XML part has a DTD (the only place entities can be declared: billion laughs, XXE);
   only each part's prolog is read, since a DTD must come before the root element;
4. ``xl/workbook.xml`` and its relationships parse (through defusedxml);
5. no worksheet spans more cells than we will hold in memory. python-calamine allocates
   the whole rectangle up to the farthest cell, so one stray value in XFD1048576 would ask
   for hundreds of GB and abort the process. Every worksheet part is inflated and scanned,
   streaming: a small part reference by reference; a large one (a real district sheet) by
   counting rows and cells, bare ones (without ``r``, each the next row or column) included,
   and searching for references past column AZ or row 99,999; its ``<dimension>`` can only
   make the extent larger. The shared-string bytes copied into cells are summed too. A
   sheet reaching past ``MAX_SHEET_ROWS`` is refused however narrow: a value in Excel's
   last row is a stray, never data.

The extent scan inflates every worksheet anyway, so it also notes the cells stored with
``t="e"``: python-calamine returns an error value (``#N/A``, ``#REF!``) as an empty cell,
and ``check_container`` hands them to the reader, which reports them as findings. Every
sheet is inflated once here and once by the reader, never a third time.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import defusedxml.ElementTree as SafeET
import numpy as np
import numpy.typing as npt
from defusedxml import DefusedXmlException

from ..findings import UnusableWorkbook

#: total declared uncompressed size of all parts
MAX_TOTAL_BYTES = 1 << 30
#: compression ratio allowed for parts bigger than RATIO_FLOOR_BYTES
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 8 << 20
MAX_ENTRIES = 20_000
#: cells of one worksheet's rectangle from A1 to its farthest cell; the reader holds about
#: 40 bytes per cell of the rectangle, so this bounds one sheet near 200 MB
MAX_SHEET_CELLS = 5_000_000
#: cells of every worksheet's rectangle together (a book of nine tall sheets)
MAX_BOOK_CELLS = 6_000_000
#: one shared string (<si>): Excel holds at most 32,767 characters in a cell
MAX_SHARED_STRING_BYTES = 256 << 10
#: shared-string bytes copied into cells, all sheets together
MAX_STRING_COPY_BYTES = 128 << 20
#: copies of strings this short are bounded rather than summed (no index is parsed)
SHORT_STRING_BYTES = 200
#: at most this many longer strings are looked for by index (a template's Petunjuk holds
#: about 25); a book with more sums every copy
MAX_LONG_STRINGS = 64
SHARED_STRINGS = "xl/sharedstrings.xml"
#: rows of one worksheet: a value in Excel's last row (1,048,576) is a stray, not data, and
#: even a two-column sheet that tall costs ~350 MB and seconds to read
MAX_SHEET_ROWS = 500_000
#: worksheet parts up to this compressed size are scanned in full rather than trusting
#: their <dimension>; a tiny part claiming a far-away cell is the cheap memory attack
FULL_SCAN_BYTES = 64 << 10
#: bytes a block's scan may carry into the next: a cell is counted whole unless longer; a
#: tag longer than this (Excel's are a few dozen bytes) is refused
MAX_CARRY = 64 << 10
#: a legitimate prolog (declaration, maybe a comment) is a few hundred bytes
PROLOG_BYTES = 64 << 10
#: XML we parse ourselves (workbook.xml, its rels) is small; refuse an oversized one
MAX_OWN_XML_BYTES = 16 << 20
CHUNK = 1 << 20

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_UTF16_NAMES = {name: name.encode("utf-16-le") for name in
                ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book")}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_REF = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d{1,7})?$")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d{1,7})"')
#: references past column AZ or row 99,999: rare in a sound sheet, so cheap to search for
_FAR_CELL = re.compile(rb'r="(?=[B-Z][A-Z]|[A-Z]{3}|[A-Z]{1,2}\d{6})([A-Z]{1,3})(\d{1,7})"')
_STRING_CELL = re.compile(rb't="s"[^>]*>\s*<(?:\w+:)?v>(\d{1,9})<')
#: a string cell's type and value as Excel and XlsxWriter write them (the type last)
_PLAIN_STRING = b't="s"><v>'
_PLAIN_STRING_CELL = re.compile(re.escape(_PLAIN_STRING) + rb"(\d{1,9})<")
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s/>]")
_BARE_CELL = re.compile(rb'<(?:\w+:)?c(?:>|/>|\s(?![^>]*\br=")[^>]*>)')
_FAR_ROW = re.compile(rb'row r="(\d{1,7})"')
#: a namespace-prefixed row or cell (``<x:row``, ``<x:c>``): the reader matches local names
_PREFIXED = re.compile(rb":(?:row|c)[\s>/]")


#: sheet name -> {cell: error text} of the Excel error values the container check saw
ErrorCells = dict[str, dict[str, str]]


def check_container(path: Path, parsed: Callable[[str], bool] | None = None) -> ErrorCells:
    """Raise ``UnusableWorkbook`` unless ``path`` is a sound, non-hostile .xlsx/.xlsm.

    Returns the Excel error values of every worksheet (only sheets holding one), found on
    the way; ``error_cells`` picks the sheets a reader wants.

    ``parsed``: which sheets (by name) the caller will parse; only those are held to the
    sheet and book extents, since a sheet nobody parses allocates nothing. An admin's own
    sheet of 600,000 rows then no longer refuses the workbook, and is not inflated here.
    Every part is still subject to the zip and XML checks. None: every sheet.
    """
    name = path.name
    if not path.exists():
        raise UnusableWorkbook(f"Berkas '{name}' tidak ditemukan.")
    if not path.is_file():
        raise UnusableWorkbook(f"'{name}' bukan berkas (mungkin folder).")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UnusableWorkbook(f"Berkas '{name}' tidak dapat dibuka: {exc.strerror}.") from exc
    if size == 0:
        raise UnusableWorkbook(f"Berkas '{name}' kosong (0 byte).")
    if head == OLE2_MAGIC:
        raise UnusableWorkbook(_ole2_message(path))
    if not head.startswith(b"PK"):
        raise UnusableWorkbook(f"Berkas '{name}' bukan buku kerja Excel (.xlsx/.xlsm); "
                               "buka di Excel lalu simpan sebagai Excel Workbook (.xlsx).")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableWorkbook(_broken(name)) from exc
    with zf:
        _check_directory(zf, name)
        for info in zf.infolist():
            if info.filename.lower().endswith(_XML_SUFFIXES):
                _check_prolog(zf, info, name)
        return _check_book(zf, name, parsed)


def excel_lock_present(path: Path) -> bool:
    """Whether Excel's owner file ``~$name`` sits beside the workbook (it is open in Excel).

    Excel deletes the file on close; after a crash it can linger, so callers should say
    "probably open" rather than refuse outright.
    """
    return (path.parent / f"~${path.name}").is_file()


class ReaderPanic(Exception):
    """python-calamine panicked on a cell value it cannot convert (message: the panic's)."""


@contextlib.contextmanager
def calamine_guard() -> Iterator[None]:
    """Re-raise a Rust panic inside python-calamine as ``ReaderPanic``, an ordinary Exception.

    pyo3's ``PanicException`` derives from ``BaseException``, so ``except Exception`` misses
    it; a crafted cell (a huge negative number in a date-formatted cell) raises one.
    """
    try:
        yield
    except Exception:
        raise
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise ReaderPanic(" ".join(str(exc).split())[:160]) from exc


def parse_xml(data: bytes, part: str, name: str) -> Any:
    """Parse one XML part through defusedxml: DTDs, entities and external references refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise UnusableWorkbook(_dtd_message(name, part)) from exc
    except SafeET.ParseError as exc:
        raise UnusableWorkbook(f"Berkas '{name}' rusak: bagian {part} bukan XML yang sah.") \
            from exc


# --- OLE2 ------------------------------------------------------------------------------------

def _ole2_message(path: Path) -> str:
    name = path.name
    found = _scan_ole2_names(path)
    if found & {"EncryptionInfo", "EncryptedPackage"}:
        return (f"Buku kerja '{name}' dilindungi kata sandi (terenkripsi) sehingga tidak dapat "
                "dibaca. Buka di Excel, hapus kata sandinya (File > Info > Protect Workbook > "
                "Encrypt with Password, kosongkan), simpan, lalu coba lagi.")
    if found & {"Workbook", "Book"}:
        return (f"Berkas '{name}' memakai format lama Excel 97-2003 (.xls). Buka di Excel lalu "
                "simpan sebagai Excel Workbook (.xlsx) dan coba lagi.")
    return (f"Berkas '{name}' adalah dokumen Office format lama, bukan buku kerja .xlsx. "
            "Simpan sebagai Excel Workbook (.xlsx) lalu coba lagi.")


def _scan_ole2_names(path: Path) -> set[str]:
    """Stream names found anywhere in an OLE2 file (its directory stores them as UTF-16)."""
    found: set[str] = set()
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            block = tail + chunk
            found.update(n for n, raw in _UTF16_NAMES.items() if raw in block)
            tail = block[-64:]
    return found


# --- zip directory ----------------------------------------------------------------------------

def _check_directory(zf: zipfile.ZipFile, name: str) -> None:
    """Zip bomb and format checks on the central directory alone: nothing is inflated yet."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnusableWorkbook(f"Berkas '{name}' berisi {len(infos)} bagian; terlalu banyak "
                               "untuk sebuah buku kerja, ditolak demi keamanan.")
    total = 0
    for info in infos:
        total += info.file_size
        big = info.file_size > RATIO_FLOOR_BYTES
        if total > MAX_TOTAL_BYTES or (big and info.file_size > MAX_RATIO
                                       * max(info.compress_size, 1)):
            raise UnusableWorkbook(
                f"Berkas '{name}' ditolak demi keamanan: isinya mengembang menjadi "
                f"{_mib(total)} MiB atau lebih saat dibuka (bom zip?). Buku kerja yang wajar "
                "jauh lebih kecil.")
        if info.flag_bits & 0x1:
            raise UnusableWorkbook(f"Berkas '{name}' terenkripsi (zip dengan kata sandi); "
                                   "simpan ulang tanpa kata sandi.")
    names = set(zf.namelist())
    if WORKBOOK_PART in names:
        return
    if "xl/workbook.bin" in names:
        raise UnusableWorkbook(f"Berkas '{name}' berformat Excel Binary (.xlsb); simpan sebagai "
                               "Excel Workbook (.xlsx) lalu coba lagi.")
    if "mimetype" in names or "content.xml" in names:
        raise UnusableWorkbook(f"Berkas '{name}' berformat OpenDocument (.ods); simpan sebagai "
                               "Excel Workbook (.xlsx) lalu coba lagi.")
    raise UnusableWorkbook(f"Berkas '{name}' adalah arsip zip tetapi bukan buku kerja Excel "
                           f"(bagian {WORKBOOK_PART} tidak ada).")


# --- XML prologs -------------------------------------------------------------------------------

def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """No DTD before the root element; a prolog too long to be Excel's is refused too."""
    head = _read_head(zf, info, name)
    state = _prolog_state(head)
    if state == "dtd" or (state == "open" and len(head) >= PROLOG_BYTES):
        raise UnusableWorkbook(_dtd_message(name, info.filename))


def _read_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
               size: int = PROLOG_BYTES) -> bytes:
    try:
        with zf.open(info) as part:
            return part.read(size)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnusableWorkbook(_broken(name)) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown method, encrypted part
        raise UnusableWorkbook(f"Berkas '{name}' memakai kompresi atau enkripsi zip yang tidak "
                               "didukung; simpan ulang dari Excel sebagai .xlsx.") from exc


def _prolog_state(head: bytes) -> Literal["root", "dtd", "open"]:
    """Walk declaration, processing instructions and comments up to the root element."""
    text = _decode(head)
    pos = 0
    while True:
        i = text.find("<", pos)
        if i < 0 or i + 4 > len(text):
            return "open"
        if text.startswith("<?", i):
            end, skip = text.find("?>", i + 2), 2
        elif text.startswith("<!--", i):
            end, skip = text.find("-->", i + 4), 3
        elif text.startswith("<!", i):
            return "dtd"
        else:
            return "root"
        if end < 0:
            return "open"
        pos = end + skip


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return head.decode("utf-16-le", errors="replace")
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return head.decode("utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


# --- workbook structure and sheet extents --------------------------------------------------------

def _own_xml(zf: zipfile.ZipFile, part: str, name: str) -> Any:
    info = zf.getinfo(part)
    if info.file_size > MAX_OWN_XML_BYTES:
        raise UnusableWorkbook(f"Berkas '{name}' ditolak: bagian {part} terlalu besar.")
    return parse_xml(_read_head(zf, info, name, MAX_OWN_XML_BYTES), part, name)


def _worksheet_parts(zf: zipfile.ZipFile, name: str) -> Iterator[tuple[str, zipfile.ZipInfo]]:
    """(sheet name, zip entry) of every worksheet, from workbook.xml and its relationships."""
    book = _own_xml(zf, WORKBOOK_PART, name)
    if WORKBOOK_RELS not in zf.namelist():
        return
    rels = _own_xml(zf, WORKBOOK_RELS, name)
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        if str(rel.get("Type", "")).endswith("/worksheet"):
            target = str(rel.get("Target", ""))
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            targets[str(rel.get("Id", ""))] = part
    members = {i.filename: i for i in zf.infolist()}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        part = targets.get(str(sheet.get(f"{_NS_REL}id", "")), "")
        if part in members:
            yield str(sheet.get("name", part)), members[part]


@dataclass(slots=True)
class _Budget:
    """What the reader will allocate for the whole book, summed over its worksheets."""
    lengths: npt.NDArray[np.int64]  # bytes of each shared string, in order
    longest: int  # the longest of them, 0 without any
    #: cells copying one of the few strings longer than SHORT_STRING_BYTES, or None
    long_cells: re.Pattern[bytes] | None = None
    exact: bool = False  # sum every copy (else a bound where it is cheaper)
    bounded: bool = False  # string_bytes holds a bound somewhere, not only exact sums
    cells: int = 0  # rectangle cells, every sheet
    string_bytes: int = 0  # shared-string bytes copied into the cells using them


def _budget(lengths: npt.NDArray[np.int64], longest: int, exact: bool = False) -> _Budget:
    long = np.flatnonzero(lengths > SHORT_STRING_BYTES)
    pattern = None
    if 0 < len(long) <= MAX_LONG_STRINGS:  # Petunjuk's paragraphs in a template-made book
        pattern = re.compile(re.escape(_PLAIN_STRING) + b"(" + b"|".join(b"%d" % i for i in long)
                             + rb")<")
    return _Budget(lengths, longest, pattern, exact)


def _check_book(zf: zipfile.ZipFile, name: str, parsed: Callable[[str], bool] | None
                ) -> ErrorCells:
    """Every parsed worksheet's rectangle, their total and the shared strings they copy,
    bounded; returns the error cells seen on the way."""
    lengths, longest = _shared_string_lengths(zf, name)
    budget = _budget(lengths, longest)
    errors = _check_sheets(zf, name, parsed, budget)
    if budget.string_bytes > MAX_STRING_COPY_BYTES and budget.bounded:
        budget = _budget(lengths, longest, exact=True)  # a bound is no reason to refuse
        errors = _check_sheets(zf, name, parsed, budget)
    if budget.cells > MAX_BOOK_CELLS:
        raise UnusableWorkbook(
            f"Berkas '{name}' ditolak: seluruh sheet-nya memakai {_count(budget.cells)} sel, "
            f"lebih dari {_count(MAX_BOOK_CELLS)} sel yang dapat dibaca dengan aman. Hapus "
            "baris dan kolom kosong di luar tabel (atau sheet yang tidak dipakai), simpan, lalu "
            "coba lagi.")
    if budget.string_bytes > MAX_STRING_COPY_BYTES:
        raise UnusableWorkbook(
            f"Berkas '{name}' ditolak: teks bersamanya disalin ke sel-sel hingga "
            f"{_count(budget.string_bytes)} byte, terlalu besar untuk dibaca dengan aman. Hapus "
            "teks yang sangat panjang atau sel yang tidak dipakai, simpan, lalu coba lagi.")
    return errors


def _check_sheets(zf: zipfile.ZipFile, name: str, parsed: Callable[[str], bool] | None,
                  budget: _Budget) -> ErrorCells:
    errors: ErrorCells = {}
    for sheet, part in _worksheet_parts(zf, name):
        if parsed is not None and not parsed(sheet):
            continue
        found = _check_extent(zf, part, sheet, name, budget)
        if found:
            errors[sheet] = found
    return errors


def _check_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, name: str,
                  budget: _Budget) -> dict[str, str]:
    """Refuse a sheet whose A1-to-farthest-cell rectangle will not fit in memory; returns
    its Excel error cells.

    The rectangle is counted the way the reader will build it: a row without ``r`` follows
    the previous one and a cell without ``r`` the previous cell, so counting the ``r``
    attributes alone would miss 100,000 bare ``<row>`` elements before one far cell.
    """
    scan = _scan_extent(zf, info, name, budget)
    rows, cols = scan.rows, scan.cols
    if info.compress_size > FULL_SCAN_BYTES:  # the fast scan saw no far refs: trust <dimension>
        m = _DIMENSION.search(_read_head(zf, info, name))
        extent = _parse_ref(m.group(1).decode("ascii", "replace")) if m else None
        if extent is not None:
            rows, cols = max(rows, extent[0]), max(cols, extent[1])
    budget.cells += rows * cols
    budget.string_bytes += scan.string_bytes
    check_sheet_size(sheet, name, rows, cols)
    return scan.errors


def check_sheet_size(sheet: str, name: str, rows: int, cols: int) -> None:
    """Refuse a sheet used up to ``rows`` x ``cols``: the file's limit, shared by the Excel
    buttons (a stray value in row 1,048,576 is millions of cells through COM too)."""
    if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
        raise UnusableWorkbook(
            f"Sheet '{sheet}' di berkas '{name}' memakai sel sampai baris {rows} kolom "
            f"{column_letters(cols)} ({_count(rows * cols)} sel), terlalu besar untuk dibaca. "
            "Biasanya ada isi yang tidak sengaja diketik jauh di luar tabel: hapus baris dan "
            "kolom kosong di bawah dan di kanan tabel, simpan, lalu coba lagi.", sheet=sheet)


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """The bottom-right corner of a ``<dimension ref>`` as (rows, columns) counted from A1."""
    corner = ref.split(":")[-1].strip()
    m = _REF.match(corner)
    if not corner or m is None or m.group(1) is None or m.group(2) is None:
        return None
    return int(m.group(2)), column_number(m.group(1).upper())


@dataclass(slots=True)
class _Extent:
    rows: int = 1  # farthest numbered row or cell
    cols: int = 1  # farthest numbered column
    last_row: int = 0
    bare_rows: int = 0  # <row> without r: each takes the next row number
    row_bare_cells: int = 0  # cells without r in the current row, each the next column
    widest_bare: int = 0  # most cells without r in one row
    string_bytes: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # cell -> Excel error text


def _scan_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                 budget: _Budget) -> _Extent:
    """The rectangle the reader will allocate for one worksheet part, streaming.

    A small part is read with regular expressions over every reference. A large one (a real
    district sheet, tens of MB inflated) is only counted with ``bytes.count``, plus a search
    for references past column AZ or row 99,999, which a sound sheet rarely holds: cheap
    enough to run on every file, and it still sees what the reader will allocate.
    """
    out = _Extent()
    full = info.compress_size <= FULL_SCAN_BYTES
    tail = etail = b""
    try:
        with zf.open(info) as part:
            while chunk := part.read(CHUNK):
                block = tail + chunk
                cut = _cut(block, info.filename, name)
                _scan_block(block[:cut], out, full, budget)
                tail = block[cut:]
                # error cells get a longer overlap: a formula can sit between tag and value
                if b't="e"' in block:
                    _error_cells(etail + chunk, out.errors)
                etail = (etail + chunk)[-_ERROR_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnusableWorkbook(_broken(name)) from exc
    _scan_block(tail, out, full, budget)
    out.widest_bare = max(out.widest_bare, out.row_bare_cells)
    # a bare row follows the previous row, a bare cell the previous cell: add their counts
    out.rows = max(out.rows, out.last_row) + out.bare_rows
    out.cols += out.widest_bare
    return out


def _cut(block: bytes, part: str, name: str) -> int:
    """Where a block's scan stops; the rest is carried into the next block.

    Before the last cell or row that starts within ``MAX_CARRY`` of the end, so a cell (its
    type and string index, its reference) is always counted whole; past a longer cell, in
    its text. A tag is never cut: one still open ``MAX_CARRY`` before the end is longer than
    anything Excel writes, and refused.
    """
    start = max(block.rfind(b"<c "), block.rfind(b"<row"))
    if start > 0 and start >= len(block) - MAX_CARRY:
        return start
    last = block.rfind(b"<")
    if last < 0 or block.find(b">", last) >= 0:  # in text: any byte will do
        return len(block)
    if last < len(block) - MAX_CARRY:
        raise UnusableWorkbook(f"Berkas '{name}' ditolak demi keamanan: bagian {part} memuat "
                               "tag XML yang sangat panjang, yang tidak pernah dibuat Excel. "
                               "Simpan ulang buku kerja dari Excel.")
    return last


def _scan_block(head: bytes, out: _Extent, full: bool, budget: _Budget) -> None:
    strings = head.count(b't="s"')
    if strings and budget.longest:
        out.string_bytes += _string_copies(head, strings, budget)
    rows_r = head.count(b'<row r="')
    cells_r = head.count(b'<c r="')
    refs = _CELL_REF.findall(head) if full else _FAR_CELL.findall(head)
    for letters, digits in refs:
        out.rows = max(out.rows, int(digits))
        out.cols = max(out.cols, column_number(letters.decode("ascii")))
    if not full and _plain(head, rows_r, cells_r):
        # a bare row further on follows the last row before it: this block's last one
        if rows_r:
            out.widest_bare = max(out.widest_bare, out.row_bare_cells)
            out.row_bare_cells = 0
            at = head.rfind(b'<row r="') + 8
            last = head[at:head.find(b'"', at)]  # blocks never cut a tag: the quote is there
            out.last_row = max(out.last_row, int(last) if last.isdigit() else MAX_SHEET_ROWS)
        return
    _count_bare(head, out, rows_r, cells_r)
    numbered = (_ROW_REF if full else _FAR_ROW).findall(head)
    if numbered:
        out.last_row = max(out.last_row, max(map(int, numbered)))


def _plain(head: bytes, rows_r: int, cells_r: int) -> bool:
    """Every row and cell in ``head`` carries its reference first, as Excel and every
    library write them, and no tag is namespace-prefixed: nothing bare to count. Other tags
    starting "<c" are the column widths (``<cols>``, ``<col>``) of the first block."""
    cells = head.count(b"<c")
    return (head.count(b"<row") == rows_r
            and (cells == cells_r or cells - head.count(b"<col") == cells_r)
            and _PREFIXED.search(head) is None)


def _count_bare(head: bytes, out: _Extent, rows_r: int, cells_r: int) -> None:
    """Rows and cells without ``r``, prefixed tags (``<x:row``) included, onto ``out``."""
    rows_all = head.count(b"<row") - head.count(b"<rowBreaks") + _prefixed(head, b":row")
    out.bare_rows += rows_all - rows_r - _prefixed(head, b':row r="')
    # only a gate for the exact count per row below, so "<x:c" may also count "<x:col"
    bare = (head.count(b"<c ") + head.count(b"<c>") + head.count(b"<c/") - cells_r
            + _prefixed(head, b":c") - _prefixed(head, b':c r="'))
    if bare <= 0:
        if rows_all:
            out.widest_bare = max(out.widest_bare, out.row_bare_cells)
            out.row_bare_cells = 0
        return
    pieces = _ROW_START.split(head)
    out.row_bare_cells += _bare_cells(pieces[0])
    for piece in pieces[1:]:
        out.widest_bare = max(out.widest_bare, out.row_bare_cells)
        out.row_bare_cells = _bare_cells(piece)


def _bare_cells(piece: bytes) -> int:
    return len(_BARE_CELL.findall(piece))


def _prefixed(block: bytes, tag: bytes) -> int:
    """Occurrences of a namespace-prefixed tag (``<x:row``), rare: only counted when present."""
    return len(re.findall(rb"<\w+" + re.escape(tag), block)) if tag in block else 0


def _string_copies(head: bytes, strings: int, budget: _Budget) -> int:
    """Bytes the ``strings`` string cells of ``head`` copy, or a bound on them where that is
    cheaper: every cell copying the longest string when none is long; else every cell
    copying ``SHORT_STRING_BYTES`` plus the rest of each long string a cell really copies,
    when all string cells are in Excel's own form. A book whose bounds pass the limit is
    counted again exactly, so a bound never refuses a book."""
    if not budget.exact:
        if budget.longest <= SHORT_STRING_BYTES:
            budget.bounded = True
            return strings * budget.longest
        if budget.long_cells is not None and head.count(_PLAIN_STRING) == strings:
            budget.bounded = True
            longer = [int(budget.lengths[int(i)]) - SHORT_STRING_BYTES
                      for i in budget.long_cells.findall(head)]
            return strings * SHORT_STRING_BYTES + sum(longer)
    return _copied_bytes(head, budget.lengths, strings)


def _copied_bytes(head: bytes, lengths: npt.NDArray[np.int64], strings: int) -> int:
    """Bytes the ``strings`` string cells of ``head`` copy, each its own shared string.

    Cells as Excel and XlsxWriter write them (``t="s"><v>N<``, the type last) are found by a
    literal search; when that form does not account for every ``t="s"`` of the block, the
    general expression reads them all.
    """
    found = _PLAIN_STRING_CELL.findall(head)
    if len(found) != strings:
        found = _STRING_CELL.findall(head)
    if not found:
        return 0
    index = np.array(found, dtype="S9").astype(np.int64)
    return int(lengths[index[index < len(lengths)]].sum())


def _shared_string_lengths(zf: zipfile.ZipFile, name: str
                           ) -> tuple[npt.NDArray[np.int64], int]:
    """Bytes of every ``<si>`` of the shared strings and the longest (one streaming pass).

    The reader copies a shared string into every cell using it, so a 7 MB string used by
    300 cells costs gigabytes; the sheet scan sums the copies from these lengths. Excel holds
    at most 32,767 characters in a cell, so a far longer ``<si>`` was not made by Excel.
    """
    part = next((i for i in zf.infolist() if i.filename.lower() == SHARED_STRINGS), None)
    if part is None:
        return np.zeros(0, dtype=np.int64), 0
    lengths: list[int] = []
    last = -1  # offset of the last <si seen, in the inflated stream
    offset = 0
    tail = b""
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(CHUNK):
                block = tail + chunk
                base = offset - len(tail)
                # every "<si" start, column-wise: tens of thousands of names in a big book.
                # One starting in the 2-byte tail was cut off last round, so none is counted
                # twice
                a = np.frombuffer(block, dtype=np.uint8)
                starts = base + np.flatnonzero((a[:-2] == 60) & (a[1:-1] == 115)
                                               & (a[2:] == 105))
                if len(starts):
                    if last >= 0:
                        lengths.append(int(starts[0]) - last)
                    lengths.extend(np.diff(starts).tolist())
                    last = int(starts[-1])
                offset += len(chunk)
                tail = block[-2:]
                if offset - max(last, 0) > MAX_SHARED_STRING_BYTES:
                    break
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnusableWorkbook(_broken(name)) from exc
    if last >= 0:
        lengths.append(offset - last)
    longest = max(lengths, default=0)
    if longest > MAX_SHARED_STRING_BYTES:
        raise UnusableWorkbook(
            f"Berkas '{name}' ditolak: ada teks sepanjang {_count(longest)} byte atau lebih di "
            "daftar teks bersama (sharedStrings), jauh melebihi batas Excel 32.767 karakter per "
            "sel. Berkas ini tidak dibuat oleh Excel; minta kiriman ulang.")
    return np.asarray(lengths, dtype=np.int64), longest


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- Excel error values ---------------------------------------------------------------------

#: error cells listed per sheet; past this a sheet gets one summary (a column of #N/A from
#: a broken lookup is one problem, not thousands)
MAX_ERROR_CELLS = 100
#: bytes carried from one chunk to the next, so a cell cut by a chunk boundary is seen whole
_ERROR_OVERLAP = 16 << 10
_ERROR_TAG = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bt="e"[^>]*>')
_ERROR_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_ERROR_VALUE = re.compile(rb'(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?'
                          rb'<(?:\w+:)?v>([^<]{1,32})</')


def error_cells(found: ErrorCells, sheets: Collection[str]
                ) -> dict[str, tuple[list[tuple[str, str]], int]]:
    """The error cells ``check_container`` found, in the named sheets (case ignored).

    Returns sheet -> (up to ``MAX_ERROR_CELLS`` of (cell, error text) in file order, the
    number of error cells).
    """
    wanted = {sheet_key(n) for n in sheets}
    return {sheet: (list(cells.items())[:MAX_ERROR_CELLS], len(cells))
            for sheet, cells in found.items() if sheet_key(sheet) in wanted}


def sheet_key(name: str) -> str:
    """A sheet name as the error lookup matches it: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def _error_cells(block: bytes, found: dict[str, str]) -> None:
    """Add the error cells of ``block`` to ``found``; a cell seen again (the overlap) keeps
    the value once one is seen whole."""
    for m in _ERROR_TAG.finditer(block):
        ref = _ERROR_REF.search(m.group(0))
        if ref is None:
            continue
        value = _ERROR_VALUE.match(block, m.end())
        key = ref.group(1).decode("ascii")
        if value is not None or key not in found:
            found[key] = value.group(1).decode("utf-8", "replace") if value else "#?"


def column_number(letters: str) -> int:
    """1-based number of an upper-case column name (``A`` 1, ``XFD`` 16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """The column name of a 1-based column number (``column_number``'s inverse)."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _broken(name: str) -> str:
    return (f"Berkas '{name}' rusak atau terpotong (arsip zip tidak utuh). Minta kiriman ulang "
            "atau buka di Excel dan simpan ulang.")


def _dtd_message(name: str, part: str) -> str:
    return (f"Berkas '{name}' ditolak demi keamanan: bagian {part} memuat deklarasi DTD/entitas "
            "XML yang tidak pernah dibuat Excel. Simpan ulang buku kerja dari Excel.")


def _mib(n: int) -> int:
    return max(1, n >> 20)
