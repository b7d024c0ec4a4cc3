"""Safe open: broken and hostile files end in one clear message, in bounded memory (SPEC 7)."""

from __future__ import annotations

import contextlib
import os
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from workbooks import write_sheets

from spm_xl.book.reader import parses, read_workbook
from spm_xl.book.safe import FULL_SCAN_BYTES, OLE2_MAGIC, check_container, excel_lock_present
from spm_xl.findings import UnusableWorkbook

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_sheets(tmp_path / "buku.xlsx", {"S": [["NIK", "Nama"], ["1", "Budi"]]})


def refused(path: Path, check: Callable[[Path], object] = check_container) -> str:
    with pytest.raises(UnusableWorkbook) as info:
        check(path)
    assert path.name in info.value.pesan
    return info.value.pesan


def rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a zip part by part; ``edit`` returns new bytes, or None to drop the part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in zin.namelist():
            data = edit(name, zin.read(name))
            if data is not None:
                out.writestr(name, data)
    return dst


def patch_declared_size(path: Path, member: str, size: int) -> None:
    """Overwrite the uncompressed size the central directory and local header declare."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + length]) == member.encode():
            struct.pack_into("<I", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


def peak_memory(action: Callable[[], object]) -> int:
    tracemalloc.start()
    with contextlib.suppress(UnusableWorkbook):
        action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_a_sound_workbook_passes(book: Path) -> None:
    check_container(book)


def test_missing_file(tmp_path: Path) -> None:
    assert "tidak ditemukan" in refused(tmp_path / "tidak-ada.xlsx")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert "bukan berkas" in refused(folder)


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "kosong.xlsx"
    empty.write_bytes(b"")
    assert "kosong" in refused(empty)


def test_old_xls_says_to_save_as_xlsx(tmp_path: Path) -> None:
    xls = tmp_path / "lama.xls"
    xls.write_bytes(OLE2_MAGIC + bytes(1000) + "Workbook".encode("utf-16-le") + bytes(100))
    message = refused(xls)
    assert "97-2003" in message and ".xlsx" in message


def test_password_protected_workbook_says_to_remove_the_password(book: Path,
                                                                  tmp_path: Path) -> None:
    locked = tmp_path / "bersandi.xlsx"
    with book.open("rb") as plain, locked.open("wb") as out:
        OOXMLFile(plain).encrypt("rahasia", out)
    message = refused(locked)
    assert "kata sandi" in message and "97-2003" not in message


def test_not_a_zip_at_all(tmp_path: Path) -> None:
    csv = tmp_path / "data.xlsx"
    csv.write_text("No;NIK;Nama\n1;7406011508950001;Budi\n", encoding="utf-8")
    assert "bukan buku kerja Excel" in refused(csv)


def test_truncated_zip(book: Path, tmp_path: Path) -> None:
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    assert "terpotong" in refused(cut)


def test_corrupt_part_fails_its_crc(book: Path) -> None:
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    book.write_bytes(bytes(data))
    assert "rusak" in refused(book)


def test_zip_without_workbook_part(tmp_path: Path) -> None:
    other = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("catatan.txt", "bukan buku kerja")
    assert "xl/workbook.xml" in refused(other)


def test_opendocument_spreadsheet_is_named(tmp_path: Path) -> None:
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert ".ods" in refused(ods)


def test_declared_bomb_is_refused_before_inflating(book: Path) -> None:
    patch_declared_size(book, SHEET, 0x7FFF_FFFF)
    assert "bom zip" in refused(book)
    assert peak_memory(lambda: check_container(book)) < 2_000_000


def test_highly_compressible_part_is_refused_by_its_ratio(book: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bom.xlsx"
    rewrite(book, bomb, lambda _, data: data)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("xl/media/nol.bin", "w") as part:
        for _ in range(32):
            part.write(bytes(1 << 20))
    assert "bom zip" in refused(bomb)
    assert peak_memory(lambda: check_container(bomb)) < 2_000_000


def test_part_inflating_past_its_declared_size_is_refused_in_bounded_memory(
        tmp_path: Path) -> None:
    rows = [[f"baris {i}", "Butuh"] for i in range(5_000)]
    liar = write_sheets(tmp_path / "pembohong.xlsx", {"S": [["NIK", "Nama"], *rows]})
    patch_declared_size(liar, SHEET, 4096)
    assert "rusak" in refused(liar, read_workbook)
    assert peak_memory(lambda: read_workbook(liar)) < 4_000_000


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"".join([b"&lol%d;" % (i - 1)] * 10)
                                            if i > 1 else b"&lol;" * 10)
               for i in range(1, 10))
    + b"]>")


@pytest.mark.parametrize("prolog", [
    BILLION_LAUGHS,
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<?xml version="1.0"?><!-- <worksheet> --><!DOCTYPE w [<!ENTITY a "b">]>',
])
def test_entity_declarations_in_a_sheet_are_refused_unexpanded(
        book: Path, tmp_path: Path, prolog: bytes) -> None:
    def inject(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return prolog + body.replace(b"<v>", b"<v>&lol9;", 1)

    hostile = rewrite(book, tmp_path / "entitas.xlsx", inject)
    assert "DTD" in refused(hostile, read_workbook)
    assert peak_memory(lambda: read_workbook(hostile)) < 2_000_000


def test_entity_declarations_in_the_workbook_part_are_refused(book: Path,
                                                              tmp_path: Path) -> None:
    def inject(name: str, data: bytes) -> bytes:
        return b'<!DOCTYPE workbook [<!ENTITY a "b">]>' + data if name.endswith(
            "workbook.xml") else data

    assert "DTD" in refused(rewrite(book, tmp_path / "buku-dtd.xlsx", inject))


def test_a_stray_value_in_the_last_cell_is_refused_not_allocated(tmp_path: Path) -> None:
    far = write_sheets(tmp_path / "jauh.xlsx", {"K1 Disabilitas": [["NIK", "Nama"]]})

    def stray(name: str, data: bytes) -> bytes:  # <dimension> still claims A1:B1
        if name != SHEET:
            return data
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                            b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')

    message = refused(rewrite(far, tmp_path / "jauh2.xlsx", stray), read_workbook)
    assert "K1 Disabilitas" in message and "XFD" in message


def test_only_the_sheets_a_reader_parses_are_held_to_the_extent_limits(tmp_path: Path) -> None:
    far = write_sheets(tmp_path / "jauh.xlsx", {"K1 Disabilitas": [["NIK", "Nama"]],
                                                 "Catatan Admin": [["catatan"]]})

    def stray_in(part: str) -> Callable[[str, bytes], bytes]:
        def stray(name: str, data: bytes) -> bytes:
            if name != part:
                return data
            return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        return stray

    own = rewrite(far, tmp_path / "milik-admin.xlsx", stray_in("xl/worksheets/sheet2.xml"))
    assert "Catatan Admin" in refused(own)  # every sheet, when the caller parses them all
    check_container(own, parses)  # the reader never parses it: nothing to allocate
    k1 = rewrite(far, tmp_path / "k1.xlsx", stray_in(SHEET))
    assert "K1 Disabilitas" in refused(k1, lambda p: check_container(p, parses))
    assert not parses("Catatan Admin") and not parses("Petunjuk")
    assert parses("k1  disabilitas") and parses("Pemeriksaan") and parses("Identitas")


def test_a_big_sheet_whose_dimension_reaches_the_last_cell_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "K2 Anak"
    for r in range(1, 3001):  # random text: the part stays large once compressed
        ws.cell(row=r, column=1, value=os.urandom(24).hex())
    ws["XFD1048576"] = "x"
    path = tmp_path / "besar.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(SHEET).compress_size > FULL_SCAN_BYTES
    assert "K2 Anak" in refused(path)


def test_excel_lock_file_beside_the_workbook_is_noticed(book: Path) -> None:
    assert not excel_lock_present(book)
    (book.parent / f"~${book.name}").write_bytes(b"\x05Admin")
    assert excel_lock_present(book)
