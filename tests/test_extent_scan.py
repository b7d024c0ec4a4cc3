"""The extent scan of a large sheet part: the fast path for plain blocks misses nothing.

A part over ``FULL_SCAN_BYTES`` compressed is not read reference by reference: blocks in
which every row and cell carries its reference first are only counted, the rest go the
careful way. These tests build such parts (random text keeps them large once compressed)
and hide in them what the reader would allocate.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from workbooks import write_sheets

from spm_xl.book import safe
from spm_xl.findings import UnusableWorkbook

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"


def sheet_xml(rows: list[bytes], cols: bool = True) -> bytes:
    """A worksheet part: optional column widths, then the rows as given."""
    widths = b'<cols><col min="1" max="2" width="20" customWidth="1"/></cols>' if cols else b""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:B2"/>' + widths + b"<sheetData>" + b"".join(rows)
            + b"</sheetData></worksheet>")


def shared_strings(*texts: bytes) -> bytes:
    """A sharedStrings part holding ``texts`` in order."""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">' % (len(texts), len(texts))
            + b"".join(b"<si><t>" + t + b"</t></si>" for t in texts) + b"</sst>")


def noise_rows(n: int, start: int = 1) -> list[bytes]:
    """Numbered rows of random inline text: a part that stays large once compressed."""
    return [b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
            % (r, r, os.urandom(12).hex().encode()) for r in range(start, start + n)]


def book_with(tmp_path: Path, part: bytes, shared: bytes | None = None) -> Path:
    """A sound one-sheet book whose sheet part (and shared strings) are replaced."""
    src = write_sheets(tmp_path / "asal.xlsx", {"K1 Disabilitas": [["NIK", "Nama"]]})
    dst = tmp_path / "uji.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in zin.namelist():
            data = zin.read(name)
            if name == SHEET:
                data = part
            elif name == SHARED and shared is not None:
                data = shared
            out.writestr(name, data)
        if shared is not None and SHARED not in zin.namelist():
            out.writestr(SHARED, shared)
    with zipfile.ZipFile(dst) as zf:
        assert zf.getinfo(SHEET).compress_size > safe.FULL_SCAN_BYTES
    return dst


@pytest.fixture(params=[safe.CHUNK, 4093], ids=["blok-1MiB", "blok-kecil"])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every test runs with the real block size and with blocks cut everywhere."""
    monkeypatch.setattr(safe, "CHUNK", request.param)
    return int(request.param)


def test_a_large_plain_sheet_with_column_widths_passes(tmp_path: Path, chunk: int) -> None:
    safe.check_container(book_with(tmp_path, sheet_xml(noise_rows(6_000))))


def test_bare_rows_after_plain_blocks_follow_the_last_numbered_row(
        tmp_path: Path, chunk: int) -> None:
    # 6,000 plain rows, then rows without r: the last numbered row is 499,000, so 2,000
    # bare rows reach 501,000, past the row limit, though no cell reference says so. The
    # numbered row is empty and long (an unknown attribute), so with small blocks its tag
    # and the bare rows fall in different blocks
    padding = os.urandom(6_000).hex().encode()
    rows = [*noise_rows(6_000), b'<row r="499000" x="' + padding + b'"></row>',
            *[b"<row><c><v>1</v></c></row>"] * 2_000]
    assert "501000" in _refused(book_with(tmp_path, sheet_xml(rows)))


def test_a_far_cell_hidden_among_plain_rows_is_found(tmp_path: Path, chunk: int) -> None:
    rows = noise_rows(6_000)
    rows[3_000] = b'<row r="3001"><c r="XFD3001"><v>1</v></c></row>'
    assert "XFD" in _refused(book_with(tmp_path, sheet_xml(rows)))


def test_a_far_cell_whose_reference_is_not_first_is_found(tmp_path: Path, chunk: int) -> None:
    rows = noise_rows(6_000)
    rows[3_000] = b'<row r="3001"><c s="0" r="XFD3001"><v>1</v></c></row>'
    assert "XFD" in _refused(book_with(tmp_path, sheet_xml(rows)))


@pytest.mark.parametrize("row", [b"x:row", b"row"], ids=["baris-berawalan", "baris-biasa"])
def test_prefixed_bare_cells_count_as_columns(tmp_path: Path, chunk: int, row: bytes) -> None:
    # <x:c> is a cell to the reader (it matches local names): 1,000 of them without r in
    # one row make the sheet 1,000 columns wide, 6 million cells
    cells = b"<x:c><x:v>1</x:v></x:c>" * 1_000
    rows = noise_rows(6_000)
    rows[100] = (b"<" + row + b' r="101" xmlns:x="http://schemas.openxmlformats.org/'
                 b'spreadsheetml/2006/main">' + cells + b"</" + row + b">")
    assert "kolom ALM" in _refused(book_with(tmp_path, sheet_xml(rows)))


LONG = 200_000  # one shared string under the per-string limit
#: what the scan counts for it: "<si><t>", the text, "</t></si></sst>"
LONG_COPY = 7 + LONG + 15


@pytest.mark.parametrize("cell", [b'<c r="B%d" t="s"><v>0</v></c>',
                                  b'<c t="s" r="B%d"><v>0</v></c>'],
                         ids=["tipe-terakhir", "tipe-di-depan"])
def test_every_copy_of_a_long_shared_string_counts_in_either_attribute_order(
        tmp_path: Path, chunk: int, cell: bytes) -> None:
    shared = shared_strings(b"x" * LONG)
    most = safe.MAX_STRING_COPY_BYTES // LONG_COPY  # copies still within the limit
    rows = noise_rows(6_000)
    for r in range(1, most + 1):
        rows[r] = rows[r].replace(b"</row>", cell % (r + 1) + b"</row>")
    safe.check_container(book_with(tmp_path, sheet_xml(rows), shared))
    rows[most + 1] = rows[most + 1].replace(b"</row>", cell % (most + 2) + b"</row>")
    assert "teks bersama" in _refused(book_with(tmp_path, sheet_xml(rows), shared))


def test_a_cell_longer_than_a_carry_is_read_past(tmp_path: Path, chunk: int) -> None:
    rows = noise_rows(6_000)
    text = os.urandom(50_000).hex().encode()  # 100 KB of inline text in one cell
    rows[10] = b'<row r="11"><c r="A11" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    safe.check_container(book_with(tmp_path, sheet_xml(rows)))


def test_a_far_reference_behind_a_very_long_tag_is_never_missed(
        tmp_path: Path, chunk: int) -> None:
    # read whole inside one big block; cut by small ones, the tag itself is refused
    rows = noise_rows(6_000)
    rows[10] = (b'<row r="11"><c x="' + os.urandom(50_000).hex().encode()
                + b'" r="XFD11"><v>1</v></c></row>')
    message = _refused(book_with(tmp_path, sheet_xml(rows)))
    assert ("XFD" if chunk > 100_000 else "tag XML yang sangat panjang") in message


def test_error_cells_of_a_large_part_are_noted_once(tmp_path: Path, chunk: int) -> None:
    rows = noise_rows(6_000)
    for r in (10, 2_500, 5_990):
        rows[r - 1] = rows[r - 1].replace(
            b"</row>", b'<c r="B%d" t="e"><f>VLOOKUP(A%d,X,2,0)</f><v>#N/A</v></c></row>' % (r, r))
    found = safe.check_container(book_with(tmp_path, sheet_xml(rows)))
    assert found == {"K1 Disabilitas": {"B10": "#N/A", "B2500": "#N/A", "B5990": "#N/A"}}


def _refused(path: Path) -> str:
    with pytest.raises(UnusableWorkbook) as info:
        safe.check_container(path)
    return info.value.pesan


def _strings_book(tmp_path: Path, short_cells: int, long_cells: int) -> Path:
    """Plain string cells copying a 6-byte string and a 300-byte one (a Petunjuk paragraph)."""
    shared = shared_strings(b"pendek", b"p" * 300)
    rows = noise_rows(6_000)
    for r in range(short_cells + long_cells):
        index = 0 if r < short_cells else 1
        rows[r] = rows[r].replace(b"</row>", b'<c r="B%d" t="s"><v>%d</v></c></row>'
                                  % (r + 1, index))
    return book_with(tmp_path, sheet_xml(rows), shared)


def test_plain_string_cells_are_bounded_without_reading_each_index(
        tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(*args: object) -> int:
        raise AssertionError("every index read")

    monkeypatch.setattr(safe, "_copied_bytes", unexpected)
    safe.check_container(_strings_book(tmp_path, 3_000, 50))


def test_a_bound_past_the_limit_is_counted_again_exactly(
        tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # bound: 1,050 cells x 200 + 50 x 122 = 216,100 bytes; exact: 1,000 x 22 + 50 x 322
    monkeypatch.setattr(safe, "MAX_STRING_COPY_BYTES", 100_000)
    safe.check_container(_strings_book(tmp_path, 1_000, 50))
    assert "teks bersama" in _refused(_strings_book(tmp_path, 1_000, 300))  # 118,600 bytes
