"""Faults while writing: nothing is lost, nothing half-written takes the workbook's place.

``hitung`` runs in-process (``corpus.run_cli``) or, where a real process must die or hold
the lock, as ``spm-xl hitung`` in a child Python whose writer is slowed down by the test
itself (a monkeypatch inside the child: no hook in the product). Every test checks the
workbook afterwards: byte-identical when the write failed, a sound book when it succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from corpus import district, run_cli

import spm_xl.book.splice as splice
from spm_xl.book.atomic import backup_path, lock_path
from spm_xl.book.reader import read_workbook
from spm_xl.book.zipcopy import rewrite_zip
from spm_xl.labels import OUTPUT_SHEETS

#: the child: spm-xl hitung whose zip writer writes the temporary file (half of it with
#: HALF=1), says so through the READY file, then waits for the GO file (or is killed)
SLOW_HITUNG = """
import os, sys, time
from pathlib import Path
import spm_xl.book.splice as splice

real = splice.rewrite_zip

def slow(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if os.environ.get("HALF"):
        with open(dst, "r+b") as f:
            f.truncate(os.path.getsize(dst) // 2)
    Path(os.environ["READY"]).write_text(str(os.getpid()))
    deadline = time.monotonic() + 30
    while not Path(os.environ["GO"]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)

splice.rewrite_zip = slow
from spm_xl.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "kerja"
    folder.mkdir()
    return district(folder / "Bombana 2026.xlsx", seed=900)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_sound_with_outputs(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    data = read_workbook(path)
    assert set(OUTPUT_SHEETS) <= set(data.stamps)


def hitung(path: Path, *extra: str) -> tuple[int, str]:
    code, out, err, _ = run_cli(["hitung", str(path), *extra])
    assert "Traceback" not in out + err
    return code, err


def patch_writer(monkeypatch: pytest.MonkeyPatch,
                 fail: Callable[[Path], None]) -> None:
    """The zip writer writes the temporary file, then ``fail(tmp)`` (an interruption)."""
    def writer(src: Path, dst: Path, replace: Mapping[str, bytes], remove: set[str],
               add: Mapping[str, bytes]) -> None:
        rewrite_zip(src, dst, replace, remove, add)
        with dst.open("r+b") as f:
            f.truncate(dst.stat().st_size // 2)
        fail(dst)

    monkeypatch.setattr(splice, "rewrite_zip", writer)


# --- interrupted writes --------------------------------------------------------------------

@pytest.mark.parametrize("interruption,exit_code,message", [
    (RuntimeError("rusak di tengah jalan"), 2, "Berkas masukan tidak diubah"),
    (KeyboardInterrupt(), 130, "Dibatalkan"),
])
def test_an_interrupted_write_leaves_the_workbook_and_no_half_file(
        book: Path, monkeypatch: pytest.MonkeyPatch, interruption: BaseException,
        exit_code: int, message: str) -> None:
    before, listing = sha(book), names(book.parent)

    def fail(_: Path) -> None:
        raise interruption

    patch_writer(monkeypatch, fail)
    code, err = hitung(book)
    assert code == exit_code and message in err
    assert sha(book) == before and names(book.parent) == listing


def _child(argv: list[str], tmp: Path, **env: str) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SPM_XL_DEBUG"}
    environ.update(READY=str(tmp / "siap"), GO=str(tmp / "lanjut"), **env)
    return subprocess.Popen([sys.executable, "-c", SLOW_HITUNG, *argv], env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(proc: subprocess.Popen[str], ready: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"child never reached the write (exit {proc.returncode}): {err}")
        time.sleep(0.02)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_process_killed_mid_write_leaves_the_workbook_and_the_next_run_recovers(
        book: Path, tmp_path: Path) -> None:
    before = sha(book)
    proc = _child(["hitung", str(book)], tmp_path, HALF="1")
    _wait_ready(proc, tmp_path / "siap")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert sha(book) == before  # the half-written file never took its place
    left = [n for n in names(book.parent) if n != book.name]
    assert all(n.startswith(".") for n in left), left  # only hidden temp and lock files
    assert lock_path(book).name in left
    code, err = hitung(book)  # the dead process's lock is stale: taken over
    assert code == 0, err
    assert_sound_with_outputs(book)
    assert sha(backup_path(book)) == before


def test_two_hitung_on_one_file_one_refuses_and_the_file_stays_sound(
        book: Path, tmp_path: Path) -> None:
    before = sha(book)
    first = _child(["hitung", str(book)], tmp_path)
    try:
        _wait_ready(first, tmp_path / "siap")  # holds the lock, temp file written
        code, err = hitung(book)
        assert code == 2 and "sedang ditulis oleh proses spm-xl lain" in err
        assert sha(book) == before
    finally:
        (tmp_path / "lanjut").write_text("")
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert "Traceback" not in out + err
    assert_sound_with_outputs(book)
    assert not lock_path(book).exists()


def test_two_hitung_started_together_never_corrupt_the_file(book: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "SPM_XL_DEBUG"}
    exe = [sys.executable, "-m", "spm_xl.cli", "hitung", str(book)]
    procs = [subprocess.Popen(exe, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or (code == 2 and "sedang ditulis" in err), err
    assert any(code == 0 for code, _ in results)
    assert_sound_with_outputs(book)
    assert not lock_path(book).exists()


# --- targets that cannot be written ----------------------------------------------------------

def test_read_only_workbook_is_refused_and_untouched(book: Path) -> None:
    before = sha(book)
    book.chmod(0o444)
    try:
        code, err = hitung(book)
    finally:
        book.chmod(0o644)
    assert code == 2 and "hanya-baca" in err and book.name in err
    assert sha(book) == before and names(book.parent) == [book.name]


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """``chattr +i``: not even root may create a file inside (skips where unsupported)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr tidak ada")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i tidak didukung di sini: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_folder_nobody_may_write_is_a_clear_error(book: Path) -> None:
    before = sha(book)
    with immutable(book.parent):
        code, err = hitung(book)
    assert code == 2 and "Tidak ada izin menulis" in err and book.name in err
    assert sha(book) == before and names(book.parent) == [book.name]


def test_output_into_a_missing_folder_is_a_clear_error(book: Path, tmp_path: Path) -> None:
    before = sha(book)
    code, err = hitung(book, "-o", str(tmp_path / "tidak-ada" / "hasil.xlsx"))
    assert code == 2 and "tidak ada" in err and "hasil.xlsx" in err
    assert sha(book) == before


def test_output_under_a_file_instead_of_a_folder_is_a_clear_error(book: Path) -> None:
    code, err = hitung(book, "-o", str(book / "hasil.xlsx"))
    assert code == 2 and "tidak ada" in err


def test_full_disk_is_a_clear_error_and_leaves_no_half_file(
        book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, listing = sha(book), names(book.parent)

    def disk_full(_: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    patch_writer(monkeypatch, disk_full)
    code, err = hitung(book)
    assert code == 2 and "Ruang disk tidak cukup" in err and "berkas lama tidak berubah" in err
    assert sha(book) == before and names(book.parent) == listing


@contextlib.contextmanager
def tiny_disk(folder: Path, kib: int) -> Iterator[None]:
    """A real, tiny tmpfs at ``folder`` (skips where mounting is not allowed)."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs tidak dapat dipasang: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_a_really_full_disk_is_a_clear_error(book: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    size = book.stat().st_size
    with tiny_disk(disk, kib=size // 1024 + 8):  # the workbook fits, workbook + outputs not
        small = disk / book.name
        shutil.copy(book, small)
        before = sha(small)
        code, err = hitung(small)
        assert code == 2 and "Ruang disk tidak cukup" in err, err
        assert sha(small) == before and names(disk) == [book.name]


# --- Excel has the workbook open ----------------------------------------------------------

def test_excel_lock_file_beside_the_workbook_says_it_is_open_in_excel(book: Path) -> None:
    owner = book.parent / f"~${book.name}"
    owner.write_bytes(b"\x05Admin Dinsos" + bytes(150))
    before = sha(book)
    code, err = hitung(book)
    assert code == 2 and "sedang dibuka di Excel" in err and owner.name in err
    assert sha(book) == before
    code, _, err, _ = run_cli(["periksa", str(book)])  # reading an open book is fine
    assert code == 0 and "sedang dibuka di Excel" in err and "terakhir disimpan" in err


def test_konsolidasi_skips_excel_lock_files_in_a_folder(book: Path, tmp_path: Path) -> None:
    (book.parent / f"~${book.name}").write_bytes(b"\x05Admin" + bytes(150))
    code, out, err, _ = run_cli(["konsolidasi", str(book.parent), "-o",
                                 str(tmp_path / "provinsi.xlsx"), "--json"])
    assert code == 0, err  # passed over, never rejected, and said so (issue 12)
    doc = json.loads(out)
    assert not doc["ditolak"] and len(doc["dilewati"]) == 1
    assert "berkas kunci Excel" in doc["dilewati"][0]["alasan"] and "Dilewati" in err
