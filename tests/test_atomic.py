"""Atomic replace with a backup, and the lock against two writers (SPEC 7, nothing lost)."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spm_xl.book.atomic import (
    STALE_AFTER_S,
    WorkbookLocked,
    WriteFailed,
    atomic_write,
    backup_path,
    file_lock,
    lock_path,
)

OLD = b"PK versi lama"
NEW = b"PK versi baru"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "Buku SPM.xlsx"
    path.write_bytes(OLD)
    return path


def write_new(path: Path) -> None:
    path.write_bytes(NEW)


def test_replaces_target_and_keeps_previous_as_backup(target: Path) -> None:
    kept = atomic_write(target, write_new)
    assert kept == backup_path(target) == target.with_name("Buku SPM.bak.xlsx")
    assert target.read_bytes() == NEW and kept.read_bytes() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == ["Buku SPM.bak.xlsx",
                                                               "Buku SPM.xlsx"]


def test_one_rolling_backup_holds_the_version_just_replaced(target: Path) -> None:
    atomic_write(target, write_new)
    atomic_write(target, lambda p: p.write_bytes(b"PK ketiga"))
    assert backup_path(target).read_bytes() == NEW


def test_new_file_needs_no_backup(tmp_path: Path) -> None:
    assert atomic_write(tmp_path / "baru.xlsm", write_new) is None
    assert (tmp_path / "baru.xlsm").read_bytes() == NEW


@pytest.mark.parametrize("error", [RuntimeError("rusak"), KeyboardInterrupt()])
def test_failure_while_producing_leaves_original_and_no_temp_file(
        target: Path, error: BaseException) -> None:
    def fail(path: Path) -> None:
        path.write_bytes(b"setengah")
        raise error

    with pytest.raises(type(error)):
        atomic_write(target, fail)
    assert target.read_bytes() == OLD
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_killed_runs_old_temporary_file_is_swept_a_live_ones_is_kept(target: Path) -> None:
    old, young = (target.with_name(f".{target.stem}.{tag}.tmp.xlsx") for tag in ("mati", "hidup"))
    for leftover in (old, young):
        leftover.write_bytes(b"PK setengah")
    past = time.time() - STALE_AFTER_S - 60
    os.utime(old, (past, past))
    atomic_write(target, write_new)
    assert not old.exists() and young.exists() and target.read_bytes() == NEW


def test_full_disk_is_reported_in_indonesian(target: Path) -> None:
    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(WriteFailed, match="Ruang disk tidak cukup"):
        atomic_write(target, full)
    assert target.read_bytes() == OLD


def test_read_only_target_is_refused(target: Path) -> None:
    target.chmod(0o444)
    try:
        with pytest.raises(WriteFailed, match="hanya-baca"):
            atomic_write(target, write_new)
        assert target.read_bytes() == OLD
    finally:
        target.chmod(0o644)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteFailed, match="tidak ada"):
        atomic_write(tmp_path / "tidak-ada" / "buku.xlsx", write_new)


def test_keeps_file_permissions(target: Path) -> None:
    target.chmod(0o640)
    atomic_write(target, write_new)
    assert target.stat().st_mode & 0o777 == 0o640


def test_lock_refuses_a_second_writer(target: Path) -> None:
    with file_lock(target):
        with pytest.raises(WorkbookLocked, match="sedang ditulis"):
            atomic_write(target, write_new)
        assert target.read_bytes() == OLD
    assert not lock_path(target).exists()
    atomic_write(target, write_new)  # free again afterwards
    assert target.read_bytes() == NEW


@pytest.mark.skipif(os.name != "posix", reason="Windows relies on the age rule only")
def test_lock_of_a_dead_process_is_taken_over(target: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    lock_path(target).write_text(json.dumps({"host": socket.gethostname(),
                                             "pid": int(done.stdout), "time": time.time()}))
    atomic_write(target, write_new)
    assert target.read_bytes() == NEW and not lock_path(target).exists()


def test_old_lock_is_stale(target: Path) -> None:
    lock_path(target).write_text("{}")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(lock_path(target), (old, old))
    atomic_write(target, write_new)
    assert target.read_bytes() == NEW
