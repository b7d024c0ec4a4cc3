"""Round two of hostile input (issue 12): pool isolation, non-regular files, keys, backups
with personal data, files passed over in a folder, long output names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from consolidation_data import district, person
from crashing_task import abort_on_marked

from spm_xl.cli import main as cli
from spm_xl.consolidate.pseudonym import KEY_ENV, key_path
from spm_xl.consolidate.worker import process_all


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, Any, str]:
    code = cli(["konsolidasi", *map(str, args), "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else None, out.err


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    return tmp_path / "config"


def duplicated(folder: Path) -> Path:
    """Two districts sharing one person, so the run needs the pseudonym key."""
    shared = person("74.06", 7, "Orang Pindahan")
    district(folder, "74.06", {"K1": [shared]})
    district(folder, "74.01", {"K1": [shared]})
    return folder


# --- the worker pool -------------------------------------------------------------------------

def test_a_worker_that_dies_rejects_only_its_own_file(tmp_path: Path) -> None:
    """A process abort (what a Rust allocation failure does) breaks the pool; every other
    file is still read, in a fresh pool, and only the aborting file is rejected."""
    a = district(tmp_path, "74.01")
    b = district(tmp_path, "74.06", file="7406-abort.xlsx")
    c = district(tmp_path, "74.02")
    reports = process_all([a, b, c], personal=False, jobs=2, task=abort_on_marked)
    assert [r.source.name for r in reports] == [a.name, b.name, c.name]
    assert reports[0].usable and reports[2].usable
    assert reports[1].error is not None and "berhenti mendadak" in reports[1].error


def test_a_lone_large_file_is_read_in_a_worker_too(tmp_path: Path) -> None:
    """A re-run with one changed file reads only that file: it still gets a worker (and its
    memory ceiling), so it cannot take the cached districts down with it."""
    b = district(tmp_path, "74.06", file="7406-abort.xlsx")
    [report] = process_all([b], personal=False, jobs=2, task=abort_on_marked)
    assert report.error is not None and "berhenti mendadak" in report.error


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_among_the_inputs_is_refused_without_hanging(tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    good = district(folder, "74.06")
    fifo = tmp_path / "pipa.xlsx"
    os.mkfifo(fifo)
    exe = Path(sys.executable).with_name("spm-xl")
    done = subprocess.run([str(exe), "konsolidasi", str(good), str(fifo), "/dev/zero", "-o",
                           str(tmp_path / "prov.xlsx"), "--json"],
                          capture_output=True, text=True, timeout=60)
    doc = json.loads(done.stdout)
    assert done.returncode == 1 and len(doc["ditolak"]) == 2
    assert all("bukan berkas biasa" in x["alasan"] for x in doc["ditolak"])
    assert (tmp_path / "prov.xlsx").exists()


# --- keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["folder", "bukan-utf8"])
def test_a_key_file_that_cannot_be_a_key_is_refused_before_any_input_is_read(
        tmp_path: Path, config_home: Path, capsys: pytest.CaptureFixture[str],
        kind: str) -> None:
    key = key_path("74")
    key.parent.mkdir(parents=True)
    if kind == "folder":
        key.mkdir()
    else:
        key.write_bytes(b"\xff\xfe\x00kunci")
    code, _, err = run(capsys, duplicated(tmp_path / "masuk"), "-o", tmp_path / "prov.xlsx")
    assert code == 2 and str(key) in err.replace("\n", "")
    assert "Galat tak terduga" not in err and "Membaca" not in err
    assert not (tmp_path / "prov.xlsx").exists()


def test_a_config_folder_that_cannot_be_made_is_refused_by_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    code, _, err = run(capsys, duplicated(tmp_path / "masuk"), "-o", tmp_path / "prov.xlsx")
    assert code == 2 and "bukan folder" in err and "Galat tak terduga" not in err


def test_a_short_key_and_a_loose_key_file_are_warned_about(
        tmp_path: Path, config_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = duplicated(tmp_path / "masuk")
    monkeypatch.setenv(KEY_ENV, "x")
    code, _, err = run(capsys, folder, "-o", tmp_path / "a.xlsx")
    assert code == 0 and "hanya 1 karakter" in err
    monkeypatch.delenv(KEY_ENV)
    run(capsys, folder, "-o", tmp_path / "b.xlsx")  # creates the key file, private
    key_path("74").chmod(0o644)
    code, _, err = run(capsys, folder, "-o", tmp_path / "c.xlsx")
    assert code == 0 and "dapat dibaca pengguna lain" in err.replace("\n", " ")


# --- backups with personal data --------------------------------------------------------------

def test_no_backup_keeps_names_after_a_run_with_personal_data(
        tmp_path: Path, config_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = duplicated(tmp_path / "masuk")
    out = tmp_path / "prov.xlsx"
    cli(["konsolidasi", str(folder), "-o", str(out), "--sertakan-data-pribadi"])
    capsys.readouterr()
    code, _, err = run(capsys, folder, "-o", out)
    assert code == 0 and not (tmp_path / "prov.bak.xlsx").exists()
    assert "berisi data pribadi" in err
    run(capsys, folder, "-o", out)  # two ordinary runs: the usual backup is kept
    assert (tmp_path / "prov.bak.xlsx").exists()


# --- files passed over, earlier outputs, names ------------------------------------------------

def test_every_file_passed_over_in_a_folder_is_listed_with_its_reason(
        tmp_path: Path, config_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "masuk"
    district(folder, "74.06")
    for name in ("7401.bak.xlsx", ".7402.xlsx", "~$7403.xlsx"):
        shutil.copy(district(tmp_path / "lain", "74.01"), folder / name)
    run(capsys, folder, "-o", tmp_path / "lama-prov.xlsx")
    shutil.copy(tmp_path / "lama-prov.xlsx", folder / "rekap-provinsi-tw1.xlsx")
    code, doc, err = run(capsys, folder, "-o", tmp_path / "prov.xlsx")
    assert code == 0, err  # an earlier provincial output is passed over, not rejected
    reasons = " ".join(x["alasan"] for x in doc["dilewati"])
    assert len(doc["dilewati"]) == 4 and not doc["ditolak"]
    for why in (".bak", "titik", "~$", "konsolidasi provinsi sebelumnya"):
        assert why in reasons
    assert err.count("Dilewati") == 4


def test_an_output_name_too_long_is_refused_before_reading(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "masuk"
    district(folder, "74.06")
    code, _, err = run(capsys, folder, "-o", tmp_path / ("p" * 250 + ".xlsx"))
    assert code == 2 and "terlalu panjang" in err and "Membaca" not in err
