"""A small real RegionResult (engine.compute on hand-made status matrices) for output tests."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from spm_xl.catalogue import Catalogue, load_catalogue
from spm_xl.engine import RegionResult, compute
from spm_xl.findings import Finding
from spm_xl.records import BUTUH, Budget, Identity, Price, ServiceRows, Stamp, default_settings

B = BUTUH
FORMULA_TEXT = '=HYPERLINK("http://contoh.invalid","klik")'
#: service -> rows of status marks for the first items (the rest of the row is 0)
STATUS: dict[str, list[list[int]]] = {
    "K1": [[1, 2], [B, 1], [3]],  # 3 recipients, 5 pairs
    "K2": [[1]],
    "K3": [],  # no target
    "K4": [[4, 4, B]],
    "K5": [[1, B]],
}
PRICE = 15_000
STAMP = Stamp("spm-xl 0.1.0", "2026-05-04T09:30:00+08:00", "c0ffee1234")


def service_rows(catalogue: Catalogue, code: str, status: list[list[int]]) -> ServiceRows:
    items = [i.kode for i in catalogue.items(code)]
    matrix = np.zeros((len(status), len(items)), dtype=np.int8)
    for r, marks in enumerate(status):
        matrix[r, :len(marks)] = marks
    return ServiceRows(code, catalogue.service(code).sheet, items, matrix,
                       list(range(2, 2 + len(status))))


def region_result(status: dict[str, list[list[int]]] | None = None) -> RegionResult:
    cat = load_catalogue()
    services = [service_rows(cat, code, marks) for code, marks in (status or STATUS).items()]
    prices = {(s.kode, i): Price(s.kode, i, Decimal(7 if i == "permakanan" else 1), PRICE,
                                 Decimal(0)) for s in services for i in s.items}
    budgets = {"K1": Budget("K1", 10_000_000, (1_000_000, 2_500_000, 0, 0))}
    return compute(services, prices, budgets, default_settings())


def identity(triwulan: int = 2, nama: str = "Kabupaten Bombana") -> Identity:
    return Identity("kabkota", "74.06", nama, "Sulawesi Tenggara", 2026, triwulan, "Admin Uji",
                    "1.1")


def findings() -> list[Finding]:
    return [
        Finding("info", "nik_kosong", "NIK kosong.", "K2 Anak", "B2"),
        Finding("galat", "nik_panjang", "NIK harus 16 digit.", "K1 Disabilitas", "M12",
                FORMULA_TEXT),
        Finding("peringatan", "harga_nol", "Harga satuan 0.", "Harga Satuan", "F3", "0"),
        Finding("info", "umum", "Catatan tanpa sel."),
    ]
