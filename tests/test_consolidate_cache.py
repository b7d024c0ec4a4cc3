"""The konsolidasi result cache: same figures, only changed files read, nothing personal kept."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from consolidation_data import district, nik, person
from workbooks import person_row

from spm_xl.cli import main as cli
from spm_xl.consolidate import worker
from spm_xl.consolidate.cache import ResultCache, cache_dir, seal_keys
from spm_xl.consolidate.model import PersonKeys
from spm_xl.consolidate.pseudonym import identity_digest, pseudonym, sealed_pseudonym
from spm_xl.consolidate.run import Outcome, consolidate

BORN = date(1990, 5, 17)
NO_NIK = person_row(None, "Tanpa Nik Sekali", lahir=BORN, jk="P", sandang="TW1")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:|\d{4} \d\d\.\d\d WI(?:B|TA|T)\b")
NIK_NAMES = ["Orang Pindahan", "Orang Uji 1", "Orang Uji 2", "Tanpa Nik Sekali"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three districts: a person with a NIK and one without in two of them, blank NIKs."""
    monkeypatch.delenv("SPM_XL_KUNCI", raising=False)
    d = tmp_path / "masuk"
    shared = person("74.06", 7, "Orang Pindahan")
    district(d, "74.06", {"K1": [shared, person("74.06", 1), NO_NIK, NO_NIK]})
    district(d, "74.01", {"K1": [shared, NO_NIK], "K3": [person("74.01", 2, sandang="Butuh")]})
    district(d, "74.05", {"K1": [person_row(None, "Tanpa Nik Lain", sandang="Butuh")]})
    return d


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the workers really read (a spy around the real ``process_file``)."""
    seen: list[str] = []
    real = worker.process_file

    def spy(path: str, personal: bool = False, seal: bool = False) -> object:
        seen.append(Path(path).name)
        return real(path, personal, seal)

    monkeypatch.setattr(worker, "process_file", spy)
    return seen


def values(path: Path) -> list[tuple[str, int, int, object]]:
    """Every cell of every sheet except the run's time stamps (ISO, and Data Tren's local time)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(ws.title, r, c, v) for ws in book.worksheets
                for r, row in enumerate(ws.iter_rows(values_only=True))
                for c, v in enumerate(row)
                if v is not None and not STAMP.search(str(v))]
    finally:
        book.close()


def run(folder: Path, out: Path, **kw: bool) -> Outcome:
    return consolidate([folder], out, jobs=1, **kw)


def test_same_figures_json_and_workbook_with_and_without_the_cache(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = run(folder, tmp_path / "a.xlsx")
    seen = counted(monkeypatch)
    warm = run(folder, tmp_path / "b.xlsx")
    assert seen == []  # everything came from the cache
    off = run(folder, tmp_path / "c.xlsx", cache=False)
    assert seen == ["7401.xlsx", "7405.xlsx", "7406.xlsx"]
    assert cold.document == warm.document == off.document
    assert off.duplicate_persons == warm.duplicate_persons == 2
    assert values(tmp_path / "a.xlsx") == values(tmp_path / "b.xlsx") == \
        values(tmp_path / "c.xlsx")
    ids = [v for *_, v in values(tmp_path / "b.xlsx") if str(v).startswith("ID-")]
    assert len(set(ids)) == 2


def test_only_the_changed_file_is_read_again(folder: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    run(folder, tmp_path / "a.xlsx")
    district(folder, "74.05", {"K1": [person("74.05", 3)]})
    seen = counted(monkeypatch)
    changed = run(folder, tmp_path / "b.xlsx")
    assert seen == ["7405.xlsx"]
    assert changed.document == run(folder, tmp_path / "c.xlsx", cache=False).document


def test_a_corrupt_entry_is_ignored_and_rebuilt(folder: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(folder, tmp_path / "a.xlsx")
    entries = sorted(cache_dir().glob("*.npz"))
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[:200])  # truncated
    entries[1].write_bytes(b"PK\x03\x04 rusak")
    seen = counted(monkeypatch)
    again = run(folder, tmp_path / "b.xlsx")
    assert len(seen) == 2 and again.document == first.document
    for e in entries:  # rewritten, and whole again
        with np.load(e, allow_pickle=False) as npz:
            assert "meta" in npz.files


def test_another_province_key_retires_the_entries(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-satu")
    run(folder, tmp_path / "a.xlsx")
    monkeypatch.setenv("SPM_XL_KUNCI", "kunci-dua")
    seen = counted(monkeypatch)
    out = run(folder, tmp_path / "b.xlsx")
    assert len(seen) == 3
    ids = {v for *_, v in values(tmp_path / "b.xlsx") if str(v).startswith("ID-")}
    digest = identity_digest("nik:" + nik("74.06", 7, BORN))
    assert pseudonym(b"kunci-dua", digest) in ids and out.duplicate_persons == 2


def test_cache_files_hold_no_name_and_no_nik_and_are_private(
        folder: Path, tmp_path: Path) -> None:
    run(folder, tmp_path / "a.xlsx")
    entries = list(cache_dir().glob("*.npz"))
    assert entries
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    niks = [nik("74.06", 7, BORN), nik("74.06", 1, BORN), nik("74.01", 2, BORN)]
    forbidden = [n.encode() for n in niks] + [s.encode() for s in NIK_NAMES]
    forbidden += [np.uint64(int(n)).tobytes() for n in niks]  # a NIK as its integer value
    forbidden += [identity_digest("nik:" + n) for n in niks]  # unkeyed, hence guessable
    for e in entries:
        assert stat.S_IMODE(e.stat().st_mode) == 0o600
        with zipfile.ZipFile(e) as z:
            blobs = [e.read_bytes(), *(z.read(n) for n in z.namelist())]
        for blob in blobs:
            for bad in forbidden:
                assert bad not in blob, (e.name, bad)
            assert b"Orang" not in blob and b"Nik" not in blob


def test_tanpa_cache_neither_reads_nor_writes_the_cache(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(["konsolidasi", str(folder), "-o", str(tmp_path / "p.xlsx"), "--tanpa-cache"])
    assert code == 0 and not list(cache_dir().glob("*.npz"))
    cli(["konsolidasi", str(folder), "-o", str(tmp_path / "p.xlsx")])
    assert len(list(cache_dir().glob("*.npz"))) == 3


def test_personal_data_runs_never_touch_the_cache(folder: Path, tmp_path: Path) -> None:
    run(folder, tmp_path / "a.xlsx", personal=True)
    assert not cache_dir().exists() or not list(cache_dir().glob("*.npz"))


def test_the_cache_folder_is_trimmed_to_its_bound(folder: Path, tmp_path: Path) -> None:
    run(folder, tmp_path / "a.xlsx")
    entries = sorted(cache_dir().glob("*.npz"), key=lambda p: p.stat().st_mtime)
    os.utime(entries[0], (1, 1))  # the least recently used
    store = ResultCache()
    store.limit = sum(p.stat().st_size for p in entries) - 1
    store.trim()
    assert not entries[0].exists() and entries[1].exists() and entries[2].exists()


def test_sealed_keys_give_the_same_pseudonym_as_the_plain_hmac() -> None:
    value = int(nik("74.06", 7, BORN))
    other = identity_digest("nama:tanpa nik|1990-05-17")
    pairs = np.zeros((1, 2), dtype=np.uint64)
    pairs[0, 0] = value
    match = np.concatenate([pairs.view(np.uint8), np.frombuffer(other, np.uint8)[None, :]])
    keys = PersonKeys("K1", "K1", match, np.asarray([8, 9], dtype=np.int32), by_nik=1)
    for key in (b"kunci", b"k" * 100):
        k = PersonKeys(keys.kode, keys.sheet, keys.match.copy(), keys.rows, 1)
        seal_keys(k, key)
        assert k.sealed and k.by_nik == 0
        shown = [sealed_pseudonym(bytes(m)) for m in k.match]
        assert shown == [pseudonym(key, identity_digest(f"nik:{value:016d}")),
                         pseudonym(key, other)]


def test_the_provinces_own_workbook_is_cached_too(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from consolidation_data import province_book

    own = province_book(tmp_path / "prov")
    first = consolidate([folder], tmp_path / "a.xlsx", provinsi=own, jobs=1)
    seen = counted(monkeypatch)
    again = consolidate([folder], tmp_path / "b.xlsx", provinsi=own, jobs=1)
    assert seen == [] and again.document == first.document
    assert again.document["provinsi"] is not None
    assert values(tmp_path / "a.xlsx") == values(tmp_path / "b.xlsx")
