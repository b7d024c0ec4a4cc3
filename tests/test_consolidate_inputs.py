"""Which files take part: discovery, the province, and the per-file gate."""

from __future__ import annotations

from pathlib import Path

from spm_xl.consolidate.inputs import choose_province, discover, gate
from spm_xl.consolidate.model import FileReport, Source
from spm_xl.engine import RegionResult
from spm_xl.records import Identity


def report(kode: str, *, tingkat: str = "kabkota", versi: str = "1.0", triwulan: int = 2,
           name: str | None = None) -> FileReport:
    ident = Identity(tingkat, kode, f"Daerah {kode}", "", 2026, triwulan, "",  # type: ignore[arg-type]
                     versi)
    result = RegionResult((), (None,) * 4, (None,) * 4, 0, 0)  # type: ignore[arg-type]
    return FileReport(Source(name or f"{kode}.xlsx", name or f"{kode}.xlsx"), ident, result)


def test_a_tie_picks_the_smaller_code_and_says_how_to_choose() -> None:
    p = choose_province(None, None, [report("74.01"), report("73.01")])
    assert p is not None and p.kode == "73" and "--kode-provinsi" in p.alasan


def test_province_workbook_beats_kode_provinsi_and_says_so() -> None:
    p = choose_province(report("74", tingkat="provinsi"), "73", [])
    assert p is not None and p.kode == "74" and "--kode-provinsi 73 diabaikan" in p.alasan


def test_unknown_kode_provinsi_chooses_nothing() -> None:
    assert choose_province(None, "99", [report("74.01")]) is None


def test_gate_reasons_for_version_level_and_unknown_code() -> None:
    p = choose_province(None, "74", [])
    g = gate([report("74.01", versi="0.9"), report("74", tingkat="provinsi"),
              report("74.99"), report("74.02")], None, p)
    reasons = {r.report.source.name: r.alasan for r in g.rejected}
    assert "Versi templat '0.9'" in reasons["74.01.xlsx"]
    assert "--provinsi" in reasons["74.xlsx"]
    assert "74.99" in reasons["74.99.xlsx"]
    assert [r.source.name for r in g.districts] == ["74.02.xlsx"]


def test_discovery_skips_lock_and_hidden_files_and_reports_missing_paths(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.XLSM", "~$a.xlsx", ".a.tmp.xlsx", "catatan.txt"):
        (tmp_path / name).write_bytes(b"x")
    files, problems = discover([tmp_path, tmp_path / "a.xlsx", tmp_path / "hilang.xlsx"])
    assert [f.name for f in files] == ["a.xlsx", "b.XLSM"]
    assert [p.source.name for p in problems] == ["hilang.xlsx"]
    assert "tidak ditemukan" in (problems[0].error or "")


def test_discovery_skips_the_backups_hitung_keeps(tmp_path: Path) -> None:
    for name in ("kab.xlsx", "kab.bak.xlsx", "kota.xlsm", "kota.BAK.xlsm"):
        (tmp_path / name).write_bytes(b"x")
    files, _ = discover([tmp_path])
    assert [f.name for f in files] == ["kab.xlsx", "kota.xlsm"]
    files, _ = discover([tmp_path / "kab.bak.xlsx"])  # named explicitly: the user means it
    assert [f.name for f in files] == ["kab.bak.xlsx"]
