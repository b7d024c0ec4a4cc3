"""Findings by kind: one summary row per sheet and code, with the cells as ranges."""

from __future__ import annotations

from spm_xl.finding_kinds import MAX_RANGES, OTHER, cell_ranges, describe, group_findings
from spm_xl.findings import Finding


def test_consecutive_cells_of_a_column_become_one_range() -> None:
    assert cell_ranges(["B8", "B9", "B10", "D4", "B12", "B9"]) == "B8:B10, B12, D4"
    assert cell_ranges([]) == ""


def test_ranges_past_the_limit_are_counted_not_listed() -> None:
    text = cell_ranges([f"B{2 * i}" for i in range(1, MAX_RANGES + 6)])
    assert text.endswith("(+5 rentang lain)") and text.count(",") == MAX_RANGES


def test_fifty_thousand_findings_of_one_kind_are_one_group() -> None:
    blank = [Finding("info", "nik_kosong", "NIK kosong di sel B{i}", "K1", f"B{i}")
             for i in range(8, 50_008)]
    other = Finding("galat", "nik_panjang", "NIK 12345 terlalu pendek", "K1", "B9")
    groups = group_findings([other, *blank, Finding("info", "nik_kosong", "x", "K2", "B8")])
    assert [(g.tingkat, g.sheet, g.kode, g.jumlah, g.sel) for g in groups] == [
        ("galat", "K1", "nik_panjang", 1, "B9"),
        ("info", "K1", "nik_kosong", 50_000, "B8:B50007"),
        ("info", "K2", "nik_kosong", 1, "B8")]
    assert "12345" not in groups[0].keterangan  # the kind's sentence, not what was typed


def test_an_unknown_code_still_gets_a_generic_sentence() -> None:
    assert describe("kode_baru_sekali") == OTHER
