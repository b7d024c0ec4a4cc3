"""Round two of the corpus (issue 12): memory and time attacks, personal data in every
free-text place, names that spoof a terminal or overflow a file system.

Every builder writes its file from a sound district workbook by code; ``MARKER`` is planted
in free text a district can type (identity fields, sheet and file names, unknown codes,
statuses, dates, prices) so a scan can prove none of it reaches the provincial outputs.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from corpus import KODE, district, nik, person, rewrite_zip

#: unique text planted wherever a district can type; must never reach the province
MARKER = "ZQXMARKER"
K1_PART = "xl/worksheets/sheet2.xml"  # write_district_workbook: Identitas, then K1


def _k1_part(path: Path) -> str:
    from corpus import _sheet_part

    return _sheet_part(path, "K1 Disabilitas")


def _patch_sheet(src: Path, dst: Path, part: str,
                 change: Callable[[bytes], bytes]) -> Path:
    out = rewrite_zip(src, dst, lambda n, b: change(b) if n == part else b)
    src.unlink()
    return out


def _sheet_data_end(extra: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        data = re.sub(rb"<dimension ref=\"[^\"]*\"/>", b'<dimension ref="A1:Z20"/>', data)
        return data.replace(b"</sheetData>", extra + b"</sheetData>")
    return change


def rows_without_r(folder: Path) -> Path:
    """100,000 bare <row> and one cell at XFD1 (the 52 GB ask): 35 KB."""
    src = district(folder / "_src-baris-tanpa-r.xlsx", seed=600)
    extra = b"<row/>" * 100_000 + b'<row><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
    return _patch_sheet(src, folder / "baris-tanpa-r.xlsx", _k1_part(src),
                        _sheet_data_end(extra))


def million_bare_rows(folder: Path) -> Path:
    src = district(folder / "_src-sejuta-baris.xlsx", seed=610)
    return _patch_sheet(src, folder / "sejuta-baris.xlsx", _k1_part(src),
                        _sheet_data_end(b"<row/>" * 1_000_000))


def far_column(folder: Path) -> Path:
    """One cell at XFD1220: just under the old 20-million-cell bound, 815 MB to read."""
    src = district(folder / "_src-kolom-jauh.xlsx", seed=620)
    extra = b'<row r="1220"><c r="XFD1220" t="inlineStr"><is><t>x</t></is></c></row>'
    return _patch_sheet(src, folder / "kolom-jauh.xlsx", _k1_part(src), _sheet_data_end(extra))


def nine_tall_sheets(folder: Path) -> Path:
    """A cell at AN499999 in nine sheets: each inside the per-sheet bound, together 180 M."""
    src = district(folder / "_src-sembilan-sheet.xlsx", seed=630)
    extra = b'<row r="499999"><c r="AN499999"><v>1</v></c></row>'
    dst = folder / "sembilan-sheet.xlsx"
    rewrite_zip(src, dst, lambda n, b: _sheet_data_end(extra)(b)
                if n.startswith("xl/worksheets/sheet") else b)
    src.unlink()
    return dst


def huge_shared_string(folder: Path) -> Path:
    """One 7 MB shared string used by 300 cells (37 KB file, 4.3 GB to read)."""
    src = district(folder / "_src-teks-raksasa.xlsx", seed=640)
    dst = folder / "teks-raksasa.xlsx"
    part = _k1_part(src)
    cells = b"".join(b'<row r="%d"><c r="Z%d" t="s"><v>0</v></c></row>' % (r, r)
                     for r in range(100, 400))
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
           b'.org/spreadsheetml/2006/main" count="300" uniqueCount="1"><si><t>'
           + b"A" * (7 << 20) + b"</t></si></sst>")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        names = zin.namelist()
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = _sheet_data_end(cells)(data)
            elif info.filename == "[Content_Types].xml" and b"sharedStrings" not in data:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http:'
                                    b'//schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            if info.filename.lower() == "xl/sharedstrings.xml":
                continue
            out.writestr(info.filename, data)
        out.writestr("xl/sharedStrings.xml", sst)
        assert names
    src.unlink()
    return dst


def unknown_statuses(folder: Path, rows: int = 100_000) -> Path:
    """100,000 rows, each with its own unknown status text (ordinary mess, 1.8 MB)."""
    people = [person(700 + i % 50, sandang=f"x{i}") for i in range(rows)]
    return district(folder / "status-asing-banyak.xlsx", seed=700, rows={"K1": people})


__all__ = ["KODE", "MARKER", "far_column", "huge_shared_string", "million_bare_rows", "nik",
           "nine_tall_sheets", "rows_without_r", "unknown_statuses"]
