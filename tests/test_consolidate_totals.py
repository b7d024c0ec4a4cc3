"""Property: the provincial workbook's totals are the sums of the districts (SPEC 7)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import openpyxl
import pytest
from consolidation_data import district, random_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spm_xl.book.reader import read_workbook
from spm_xl.consolidate.run import consolidate
from spm_xl.pipeline import evaluate

CODES = ["74.01", "74.02", "74.03", "74.04", "74.05", "74.06", "74.71"]
SERVICES = ["K1", "K2", "K3", "K4", "K5"]


def table(path: Path, sheet: str, first: str) -> dict[str, dict[str, object]]:
    """Rows of the first table on ``sheet`` keyed by their first cell, by header label."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == first)
    head = rows[at]
    out: dict[str, dict[str, object]] = {}
    for r in rows[at + 1:]:
        if not r or r[0] is None:
            break
        out.setdefault(str(r[0]), dict(zip(head, r, strict=False)))
    return out


def total_row(path: Path, sheet: str, head: str, col: int, label: str) -> dict[str, object]:
    """The row whose cell ``col`` starts with ``label``, by the header labels above it."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == head)
    row = next(r for r in rows if len(r) > col and str(r[col]).startswith(label))
    return dict(zip(header, row, strict=False))


@pytest.fixture(autouse=True)
def no_key_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-uji")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4))
def test_service_totals_and_needs_equal_the_sum_of_the_districts(seed: int, n: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        paths = [district(folder, kode, random_rows(rng, kode, SERVICES, seed + i),
                          price=rng.randint(0, 5) * 1000)
                 for i, kode in enumerate(rng.sample(CODES, n))]
        out = consolidate([folder], Path(tmp) / "prov.xlsx", jobs=1)
        results = [evaluate(read_workbook(p)).result for p in paths]
        q = 1  # quarter II, 0-based
        recap = table(Path(tmp) / "prov.xlsx", "Rekap Layanan", "Kode Layanan")
        for i, code in enumerate(SERVICES):
            parts = [r.layanan[i] for r in results]
            row = recap[code]
            assert row["Sasaran (ΣY)"] == sum(s.capaian.sasaran for s in parts)
            assert row["Terlayani (ΣX) TW II"] == sum(s.capaian.terlayani[q] for s in parts)
            assert row["Kebutuhan Biaya (Rp)"] == sum(s.kebutuhan.biaya for s in parts)
            assert row["Sisa (Rp)"] == sum(s.kebutuhan.sisa for s in parts)
        doc = out.document
        assert sum(s["sasaran"] for s in doc["rekap_layanan"]) == sum(
            s.capaian.sasaran for r in results for s in r.layanan)
        total = total_row(Path(tmp) / "prov.xlsx", "Kebutuhan", "Kode Layanan", 1, "Total")
        assert total["Biaya (Rp)"] == sum(r.biaya for r in results)
        assert total["Sisa (Rp)"] == sum(r.sisa for r in results)
        summary = total_row(Path(tmp) / "prov.xlsx", "Ringkasan", "Uraian", 0, "Kab/kota (K1")
        assert summary["Sasaran (Y)"] == sum(s.capaian.sasaran for r in results for s in r.layanan)
        assert summary["Terlayani (X)"] == sum(s.capaian.terlayani[q] for r in results
                                               for s in r.layanan)
        assert summary["Kebutuhan Biaya (Rp)"] == sum(r.biaya for r in results)
