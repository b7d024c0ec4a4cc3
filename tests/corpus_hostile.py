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
from datetime import date
from pathlib import Path

from corpus import K1, KODE, Case, district, nik, person, rewrite_zip, unusable
from workbooks import HARGA_HEADERS, person_row

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


def _cell_in_every_sheet(folder: Path, name: str, seed: int, row: int) -> Path:
    """A district whose every worksheet holds one value at column AN of ``row``."""
    src = district(folder / f"_src-{name}", seed=seed)
    extra = b'<row r="%d"><c r="AN%d"><v>1</v></c></row>' % (row, row)
    dst = folder / name
    rewrite_zip(src, dst, lambda n, b: _sheet_data_end(extra)(b)
                if n.startswith("xl/worksheets/sheet") else b)
    src.unlink()
    return dst


def nine_tall_sheets(folder: Path) -> Path:
    """A cell at AN499999 in every sheet (each passed the old per-sheet bound: 200 M)."""
    return _cell_in_every_sheet(folder, "sembilan-sheet.xlsx", 630, 499_999)


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
    """Rows each with its own unknown status text (the issue's 100,000 rows: 3 MB)."""
    people = [person(10_000 + i, sandang=f"x{i}") for i in range(rows)]
    return district(folder / "status-asing-banyak.xlsx", seed=700, rows={"K1": people})


def book_cells_total(folder: Path) -> Path:
    """A cell at AN100000 in every sheet: each inside the per-sheet bound, 40 M together."""
    return _cell_in_every_sheet(folder, "total-sel.xlsx", 635, 100_000)


def nik_forms(seed: int) -> list[str]:
    """One synthetic NIK each written with dots, spaces, a dash and a zero-width space."""
    a, b, c, d = (nik(seed + i) for i in range(4))
    return [f"{a[:2]}.{a[2:4]}.{a[4:6]}.{a[6:12]}.{a[12:]}", f"{b[:4]} {b[4:8]} {b[8:12]} "
            f"{b[12:]}", f"{c[:8]}-{c[8:]}", f"{d[:7]}\u200b{d[7:]}"]


def nik_with_separators(folder: Path) -> Path:
    """NIKs split by dots, spaces, dashes and zero-width spaces in status cells."""
    rows = [person(810 + i, sandang=form) for i, form in enumerate(nik_forms(800))]
    return district(folder / "nik-pemisah.xlsx", seed=810, rows={"K1": rows})


def _planted(where: str, seed: int) -> str:
    return f"{MARKER}-{where}-{nik(seed)}"


def markers_everywhere(folder: Path) -> Path:
    """MARKER and a NIK in every free-text place a sound district can type into."""
    rows = [person(900, name=_planted("nama", 901), sandang=_planted("status", 902),
                   permakanan="Butuh"),
            {**person(903), "Tanggal Asesmen": _planted("tanggal", 904),
             "Alamat": _planted("alamat", 905)},
            {**person(906), "Jenis Kelamin": _planted("jk", 907)}]
    disaster = [{**person_row(nik(908), "Korban Uji", lahir=date(1980, 1, 2), jk="L",
                              permakanan="TW1"),
                 "Kejadian Bencana": _planted("kejadian", 909),
                 "Tanggal Kejadian": _planted("tglkejadian", 910),
                 "Kelompok Rentan": _planted("rentan", 911)}]
    harga = [["K1", "sandang", "Sandang", "paket", 1, _planted("harga", 912), 0, "SSH"],
             ["K9", _planted("item", 913), _planted("itemnama", 914), "unit", 1, 1000, 0,
              _planted("sumber", 915)]]
    name = f"{MARKER}-berkas-{nik(916)}.xlsx"
    path = district(folder / name, seed=917, rows={"K1": rows, "K5": disaster},
                    harga_rows=harga, budgets={"K1": [1000, 0, 0, 0, 0],
                                               _planted("anggaran", 918): [5, 0, 0, 0, 0]},
                    identitas={"Nama Wilayah": _planted("wilayah", 919),
                               "Nama Admin": _planted("admin", 920),
                               "Provinsi": _planted("provinsi", 921)},
                    konfigurasi={"Bobot Layanan": _planted("bobot", 922)},
                    stamps={"Capaian": ("1.0", _planted("waktu", 923), _planted("sidik", 924))},
                    extra_sheets={f"{MARKER}{nik(925)[:20]}"[:31]: [[_planted("lain", 926)]]})
    assert HARGA_HEADERS
    return path


def marker_in_code(folder: Path) -> Path:
    return district(folder / "penanda-kode.xlsx", seed=930,
                    identitas={"Kode Wilayah": _planted("kode", 931)})


def marker_in_version(folder: Path) -> Path:
    return district(folder / "penanda-versi.xlsx", seed=935,
                    identitas={"Versi Templat": _planted("versi", 936)})


def marker_in_period(folder: Path) -> Path:
    return district(folder / "penanda-periode.xlsx", seed=940,
                    identitas={"Tahun": _planted("tahun", 941),
                               "Tingkat": _planted("tingkat", 942)})


def marker_in_sheet_name(folder: Path) -> Path:
    """K3 Lansia renamed to a text holding the marker and NIK digits."""
    return district(folder / "penanda-sheet.xlsx", seed=945,
                    rename_sheets={"K3 Lansia": f"K3 {MARKER} {nik(946)[:12]}"})


def spoofing_name(folder: Path) -> Path:
    """A file name with a newline, a fake verdict and a right-to-left override."""
    name = "palsu\nHasil ditulis ke LAPORAN-PALSU.xlsx. 0 galat\u202exslx.xlsx"
    return district(folder / name, seed=950)


def long_name(folder: Path) -> Path:
    """A 240-byte file name: temporary and backup names must stay under 255 bytes."""
    return district(folder / ("b" * 235 + ".xlsx"), seed=955)


TOO_BIG = "terlalu besar untuk dibaca"
HOSTILE_CASES: tuple[Case, ...] = (
    unusable("baris_tanpa_r", "100.000 <row> tanpa r + sel XFD1 (35 KB, dulu 52 GB)",
             rows_without_r, TOO_BIG, sheet=K1),
    unusable("sejuta_baris", "1.000.000 <row/> kosong (37 KB)", million_bare_rows, TOO_BIG,
             sheet=K1),
    unusable("kolom_xfd1220", "satu sel di XFD1220 (dulu 815 MB)", far_column, TOO_BIG,
             sheet=K1),
    unusable("sembilan_sheet", "sel di AN499999 pada setiap sheet (10 sheet)", nine_tall_sheets,
             TOO_BIG, sheet="Identitas"),  # Petunjuk is never parsed: the first parsed one
    unusable("total_sel", "sel di AN100000 pada setiap sheet (40 juta sel)",
             book_cells_total, "seluruh sheet-nya memakai"),
    unusable("teks_bersama_raksasa", "satu teks bersama 7 MB dipakai 300 sel",
             huge_shared_string, "sharedStrings"),
    Case("nik_pemisah", "NIK dengan titik, spasi, tanda hubung, spasi nol-lebar di sel",
         nik_with_separators, 1, 1, 1, pesan="bukan status", sheet=K1, sel="L2",
         findings={"status_tidak_dikenal": "L2"}),
    Case("penanda_di_mana_mana", "penanda + NIK di setiap teks bebas, nama berkas dan sheet",
         markers_everywhere, 1, 1, 1, pesan="bukan status", sheet=K1,
         findings={"status_tidak_dikenal": "L2"}),
    Case("penanda_kode", "penanda + NIK di Kode Wilayah", marker_in_code, 1, 1, 1,
         pesan="Kode Wilayah", sheet="Identitas", ditolak=True),
    Case("penanda_versi", "penanda + NIK di Versi Templat", marker_in_version, 0, 0, 1,
         pesan="0 galat", ditolak=True),
    unusable("penanda_periode", "penanda + NIK di Tahun dan Tingkat", marker_in_period,
             "tidak dikenal", sheet="Identitas"),
    unusable("penanda_nama_sheet", "K3 Lansia diganti nama berisi penanda + NIK",
             marker_in_sheet_name, "tampaknya", sheet="K3 Lansia"),
    Case("nama_berkas_palsu", "nama berkas dengan baris baru, vonis palsu dan U+202E",
         spoofing_name, 0, 0, 0, pesan="0 galat"),
    Case("nama_berkas_panjang", "nama berkas 240 byte", long_name, 0, 0, 0, pesan="0 galat"),
    Case("status_asing_banyak", "20.000 baris, masing-masing dengan status asing sendiri",
         lambda folder: unknown_statuses(folder, 20_000), 1, 1, 1, pesan="Masih ada",
         sheet=K1, findings={"status_tidak_dikenal": "L2"}),
)


__all__ = ["HOSTILE_CASES", "KODE", "MARKER", "nik_forms", "unknown_statuses"]
