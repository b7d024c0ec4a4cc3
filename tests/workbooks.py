"""Hand-built workbooks for tests, written with openpyxl straight from the public labels.

Deliberately independent of the project's template code and of ``spm_xl.labels``: the
sheet names and headers below are copied from SPEC 3, so a test that reads one of these
books checks the reader against the contract, not against itself.

Main entry point: :func:`write_district_workbook`. Row dicts map a header label to the value
to write; :func:`person_row` builds one from item codes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

Row = Mapping[str, object]

#: service code -> (sheet name, has disaster columns)
SERVICES: dict[str, tuple[str, bool]] = {
    "K1": ("K1 Disabilitas", False), "K2": ("K2 Anak", False), "K3": ("K3 Lansia", False),
    "K4": ("K4 Gepeng", False), "K5": ("K5 Bencana", True),
    "P1": ("P1 Disabilitas", False), "P2": ("P2 Anak", False), "P3": ("P3 Lansia", False),
    "P4": ("P4 Gepeng", False), "P5": ("P5 Bencana", True),
}
_K = ("K1", "K2", "K3", "K4")
_P = ("P1", "P2", "P3", "P4")
_DIS = ("K5", "P5")
#: item code -> (column label, unit, services); table order is column order (SPEC 2.2)
ITEMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "permakanan": ("Permakanan", "orang-hari", (*_K, *_DIS, *_P)),
    "sandang": ("Sandang", "paket", (*_K, *_DIS, *_P)),
    "alat_bantu": ("Alat Bantu", "unit", (*_K, *_P)),
    "perbekalan_kesehatan": ("Perbekalan Kesehatan", "paket", (*_K, *_P)),
    "bimbingan_fmss": ("Bimbingan Fisik, Mental, Spiritual dan Sosial", "layanan", (*_K, *_P)),
    "bimbingan_keluarga": ("Bimbingan Sosial Keluarga dan Masyarakat", "layanan", _K),
    "dokumen_kependudukan": ("Fasilitasi Dokumen Kependudukan", "dokumen", (*_K, *_P)),
    "akses_layanan": ("Akses Layanan Pendidikan dan Kesehatan", "layanan", (*_K, *_P)),
    "penelusuran_keluarga": ("Penelusuran Keluarga", "layanan", (*_K, *_P)),
    "reunifikasi": ("Reunifikasi Keluarga", "layanan", (*_K, *_P)),
    "rujukan": ("Rujukan", "layanan", _K),
    "pengasuhan": ("Pengasuhan", "layanan", _P),
    "asrama": ("Asrama", "orang-hari", _P),
    "bimbingan_keterampilan": ("Bimbingan Keterampilan Hidup Sehari-hari", "layanan", _P),
    "pemulangan": ("Pemulangan ke Daerah Asal", "layanan", _P),
    "pemulasaraan": ("Pemulasaraan", "layanan", _P),
    "penampungan": ("Tempat Penampungan", "orang-hari", _DIS),
    "kelompok_rentan": ("Penanganan Khusus Kelompok Rentan", "layanan", _DIS),
    "psikososial": ("Dukungan Psikososial", "layanan", _DIS),
}
PERSON_HEADERS = ["No", "NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Alamat",
                  "Desa/Kelurahan", "Kecamatan", "Tanggal Asesmen"]
DISASTER_HEADERS = ["Kejadian Bencana", "Tanggal Kejadian", "Kelompok Rentan"]
HARGA_HEADERS = ["Kode Layanan", "Kode Item", "Item", "Satuan", "Standar per Penerima",
                 "Harga Satuan (Rp)", "Tersedia", "Sumber Harga"]
ANGGARAN_HEADERS = ["Kode Layanan", "Alokasi (Rp)", "Realisasi TW I (Rp)",
                    "Realisasi TW II (Rp)", "Realisasi TW III (Rp)", "Realisasi TW IV (Rp)"]
KONFIGURASI_DEFAULTS: dict[str, object] = {
    "Bobot Persen Penerima": 0.8, "Bobot Persen Mutu": 0.2,
    "Ambang Tuntas Paripurna": 100, "Ambang Tuntas Utama": 90, "Ambang Tuntas Madya": 80,
    "Ambang Tuntas Pratama": 70, "Ambang Tuntas Muda": 60, "Ambang Belum Tuntas": 0,
    "Layanan Tanpa Sasaran": "Dikecualikan dari rata-rata",
    "Batas Korban Bencana Kab/Kota": 50,
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def services_of(tingkat: str) -> list[str]:
    """Service codes of a level, in sheet order."""
    return [c for c in SERVICES if c.startswith("K" if tingkat == "kabkota" else "P")]


def item_codes(service: str) -> list[str]:
    return [code for code, (_, _, where) in ITEMS.items() if service in where]


def item_labels(service: str) -> list[str]:
    return [ITEMS[code][0] for code in item_codes(service)]


def service_headers(service: str) -> list[str]:
    """The header row of a service sheet in template order (SPEC 3)."""
    extra = DISASTER_HEADERS if SERVICES[service][1] else []
    return [*PERSON_HEADERS, *extra, *item_labels(service), "Keterangan"]


def person_row(nik: object = None, nama: object = None, *, lahir: object = None,
               jk: object = None, **status: object) -> dict[str, object]:
    """A data row: identity columns plus status marks keyed by item code."""
    row: dict[str, object] = {"NIK": nik, "Nama": nama, "Tanggal Lahir": lahir,
                              "Jenis Kelamin": jk}
    for code, mark in status.items():
        row[ITEMS[code][0]] = mark
    return {k: v for k, v in row.items() if v is not None}


def write_district_workbook(
    path: Path, *,
    tingkat: str = "kabkota",
    kode: object = "74.06",
    nama: str = "Kabupaten Bombana",
    provinsi: str = "Sulawesi Tenggara",
    tahun: object = 2026,
    triwulan: object = 2,
    identitas: Mapping[str, object] | None = None,
    rows: Mapping[str, Sequence[Row | None]] | None = None,
    headers: Mapping[str, Sequence[str]] | None = None,
    title_rows: int = 0,
    prices: Mapping[tuple[str, str], object] | None = None,
    default_price: object = 0,
    harga_rows: Sequence[Sequence[object]] | None = None,
    budgets: Mapping[str, Sequence[object]] | None = None,
    konfigurasi: Mapping[str, object] | None = None,
    omit_sheets: Collection[str] = (),
    rename_sheets: Mapping[str, str] | None = None,
    merges: Mapping[str, Sequence[str]] | None = None,
    stamps: Mapping[str, tuple[object, object, object]] | None = None,
    extra_sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """Write a kab/kota (or, with ``tingkat="provinsi"``, province) workbook to ``path``.

    - ``rows``: service code -> data rows (label -> value); ``None`` writes a blank row.
    - ``headers``: service code -> header row replacing the template's (reorder, drop or
      add admin columns); row dicts are written under the matching labels.
    - ``title_rows``: title/blank rows above each table header (service, Harga, Anggaran).
    - ``triwulan``: an int is written as a Roman numeral, anything else as given.
    - ``identitas``: label -> value overrides; a value of ``None`` drops that row.
    - ``prices``: (service, item code) -> Harga Satuan cell; ``harga_rows`` replaces the
      whole Harga Satuan body.
    - ``budgets``: service -> [alokasi, realisasi TW I..IV].
    - ``konfigurasi``: label -> value overrides (``None`` leaves the value blank).
    - ``merges``: sheet name -> ranges to merge, e.g. ``{"K1 Disabilitas": ["M2:M3"]}``.
    - ``stamps``: output sheet name -> (versi, waktu, sidik) written in row 2.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    codes = services_of(tingkat)
    ident: dict[str, object | None] = {
        "Tingkat": "Kabupaten/Kota" if tingkat == "kabkota" else "Provinsi",
        "Kode Wilayah": kode, "Nama Wilayah": nama, "Provinsi": provinsi, "Tahun": tahun,
        "Triwulan": ROMAN.get(triwulan, triwulan) if isinstance(triwulan, int) else triwulan,
        "Nama Admin": "Admin Uji", "Versi Templat": "1.1",
    }
    ident.update(identitas or {})
    _sheet(wb, "Petunjuk", [["Petunjuk pengisian (buku kerja uji)"]])
    _sheet(wb, "Identitas", [[k, v] for k, v in ident.items() if v is not None])
    title = [["Tabel"]] + [[] for _ in range(title_rows - 1)] if title_rows else []
    body = harga_rows if harga_rows is not None else [
        [c, item, ITEMS[item][0], ITEMS[item][1], _standard(c, item),
         (prices or {}).get((c, item), default_price), 0, "SSH uji"]
        for c in codes for item in item_codes(c)]
    _sheet(wb, "Harga Satuan", [*title, HARGA_HEADERS, *body])
    _sheet(wb, "Anggaran", [*title, ANGGARAN_HEADERS,
                            *[[c, *(budgets or {}).get(c, [0, 0, 0, 0, 0])] for c in codes]])
    config = {**KONFIGURASI_DEFAULTS, **(konfigurasi or {})}
    _sheet(wb, "Konfigurasi", [["Pengaturan"], *[[k, v] for k, v in config.items()]])
    for c in codes:
        head = list((headers or {}).get(c, service_headers(c)))
        data = [[None] * len(head) if r is None else [r.get(h) for h in head]
                for r in (rows or {}).get(c, [])]
        ws = _sheet(wb, SERVICES[c][0], [*title, head, *data])
        for col, label in enumerate(head, start=1):
            if label in ("NIK", "No KK"):
                for cell in ws.iter_rows(min_row=title_rows + 2, min_col=col, max_col=col):
                    cell[0].number_format = "@"
    for name, (versi, waktu, sidik) in (stamps or {}).items():
        _sheet(wb, name, [[name], ["Versi Program", versi, "Waktu Hitung", waktu,
                                   "Sidik Masukan", sidik]])
    for name, sheet_rows in (extra_sheets or {}).items():
        _sheet(wb, name, sheet_rows)
    for name, ranges in (merges or {}).items():
        for ref in ranges:
            wb[name].merge_cells(ref)
    for name in omit_sheets:
        del wb[name]
    for old, new in (rename_sheets or {}).items():
        wb[old].title = new
    wb.save(path)
    return path


def write_sheets(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """A bare workbook with the given sheets and rows (for container and odd-shape tests)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in sheets.items():
        _sheet(wb, name, sheet_rows)
    wb.save(path)
    return path


def _sheet(wb: openpyxl.Workbook, name: str, rows: Sequence[Sequence[object]]) -> Worksheet:
    ws = wb.create_sheet(name)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    return ws


def _standard(service: str, item: str) -> int:
    if item in ("permakanan", "asrama"):
        return 180 if service in _P else 7
    return 7 if item == "penampungan" else 1


__all__ = ["ANGGARAN_HEADERS", "DISASTER_HEADERS", "HARGA_HEADERS", "ITEMS",
           "KONFIGURASI_DEFAULTS", "PERSON_HEADERS", "SERVICES", "item_codes",
           "item_labels", "person_row", "service_headers", "services_of",
           "write_district_workbook", "write_sheets"]
