"""Replace a workbook atomically, keep the previous version, refuse concurrent writers.

``atomic_write`` has ``produce`` write a temporary file in the target's own folder (so the
final ``os.replace`` is a rename on one file system), flushes it to disk, keeps the
previous file as a backup and only then swaps the new file in. Whatever goes wrong —
an exception, Ctrl+C, a full disk — the target is either the old file or the new one,
never half of each, and the temporary file is removed; one a killed process could not
remove is swept by the next write of the same file.

Backup: one rolling backup, ``name.bak.xlsx`` (``name.bak.xlsm``): the extension stays last
so Excel opens it. Not timestamped: ``hitung`` never changes an input cell, so the newest
previous version holds the same inputs as every older one, and a folder of dated copies
of a 5 MB workbook would only fill the admin's disk.

Lock: ``.name.xlsx.spm-xl.lock`` next to the target, created with ``O_EXCL`` (atomic on
every OS and on SMB shares) and holding the owner's host, process id and start time. A
second writer refuses with a clear message. A lock is stale — removed and taken over —
when its process on this machine no longer runs (checked on POSIX only: Windows has no
side-effect-free check from the standard library), or when it is older than
``STALE_AFTER_S`` (a ``hitung`` takes seconds). A crash leaves the lock behind; the next
run clears it by either rule, or the admin can delete the file by hand (the message says so).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..findings import UnusableWorkbook

STALE_AFTER_S = 15 * 60


class WriteFailed(UnusableWorkbook):
    """The target could not be written; the message says why, in Indonesian."""


class WorkbookLocked(WriteFailed):
    """Another spm-xl process is writing the same file."""


#: bytes of a file name most file systems allow
NAME_MAX = 255


def _fit(stem: str, rest: str, limit: int = NAME_MAX) -> str:
    """``stem + rest`` cut (at a character boundary) to fit ``limit`` bytes in UTF-8."""
    room = limit - len(rest.encode("utf-8"))
    return stem.encode("utf-8")[:max(room, 1)].decode("utf-8", "ignore") + rest


def backup_path(target: Path) -> Path:
    """``Laporan.xlsx`` -> ``Laporan.bak.xlsx`` (the stem shortened if the name would not fit)."""
    return target.with_name(_fit(target.stem, f".bak{target.suffix}"))


def is_backup(path: Path) -> bool:
    """A backup this tool made (``Laporan.bak.xlsx``), not a workbook anyone sent."""
    return path.stem.lower().endswith(".bak")


def lock_path(target: Path) -> Path:
    return target.with_name(_fit(f".{target.name}", ".spm-xl.lock"))


def atomic_write(target: Path, produce: Callable[[Path], None], *, backup: bool = True,
                 lock: bool = True) -> Path | None:
    """Have ``produce`` write a temporary file, then atomically make it ``target``.

    Returns the backup's path when the previous file was kept. ``lock=False`` is for a
    caller already holding ``file_lock(target)`` (to cover a read and the write).
    """
    folder = target.parent
    if not folder.is_dir():
        raise WriteFailed(f"Folder {folder} tidak ada; berkas {target.name} tidak dapat "
                          "ditulis.")
    if target.exists() and not target.stat().st_mode & stat.S_IWRITE:
        raise WriteFailed(f"Berkas {target.name} bersifat hanya-baca (read-only). Hilangkan "
                          "atribut hanya-baca atau simpan ke berkas lain (-o).")
    with file_lock(target) if lock else contextlib.nullcontext():
        return _write(target, produce, backup)


def _write(target: Path, produce: Callable[[Path], None], backup: bool) -> Path | None:
    _sweep_leftovers(target)
    tmp = _temp_name(target)
    kept: Path | None = None
    try:
        produce(tmp)
        _fsync(tmp)
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
            if backup:
                kept = _keep_backup(target)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise WriteFailed(_explain(exc, target)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return kept


def _sweep_leftovers(target: Path) -> None:
    """Remove temporary files a killed run (power cut, task manager) left beside ``target``.

    Only those older than ``STALE_AFTER_S``: a younger one may belong to a live run writing
    another file whose name starts the same way.
    """
    prefix, suffix = _temp_affixes(target)
    pattern = glob.escape(prefix) + "*" + glob.escape(suffix)
    now = time.time()
    for path in target.parent.glob(pattern):
        with contextlib.suppress(OSError):
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_S:
                path.unlink()


def _temp_affixes(target: Path) -> tuple[str, str]:
    """The temporary names' prefix and suffix; a short prefix, since a name near 255 bytes
    plus the random part would not fit."""
    return f".{target.stem[:40]}.", f".tmp{target.suffix}"


def _temp_name(target: Path) -> Path:
    prefix, suffix = _temp_affixes(target)
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise WriteFailed(_explain(exc, target)) from exc
    os.close(fd)
    return Path(name)


def _keep_backup(target: Path) -> Path:
    """Copy (hard-link when possible) the current file to the backup name, atomically."""
    dest = backup_path(target)
    staging = _temp_name(dest)
    try:
        staging.unlink()
        try:
            os.link(target, staging)
        except OSError:  # FAT/exFAT sticks, some network shares
            with target.open("rb") as src, staging.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        os.replace(staging, dest)
    finally:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
    return dest


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows cannot open a folder for fsync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _explain(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return (f"Ruang disk tidak cukup untuk menulis {target.name}. Kosongkan ruang disk "
                "lalu ulangi; berkas lama tidak berubah.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Tidak ada izin menulis {target.name} di folder {target.parent}, atau "
                "berkas sedang dibuka di program lain (misalnya Excel). Tutup berkasnya atau "
                "simpan ke folder lain; berkas lama tidak berubah.")
    if exc.errno == errno.ENOENT:
        return (f"Gagal menulis {target.name}: {exc.filename or 'berkas atau folder'} tidak "
                "ditemukan. Berkas lama tidak berubah.")
    return f"Gagal menulis {target.name}: {exc.strerror or exc}. Berkas lama tidak berubah."


@contextlib.contextmanager
def file_lock(target: Path) -> Iterator[None]:
    """Hold ``lock_path(target)`` for the duration; a second holder gets WorkbookLocked."""
    path = lock_path(target)
    fd = _acquire(path, target)
    try:
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()


def _acquire(path: Path, target: Path) -> int:
    owner = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "time": time.time()})
    for attempt in (1, 2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            seen = _read_owner(path)
            if attempt == 1 and _is_stale(path, seen):
                # remove only the lock judged stale, not one a third process just took
                if _read_owner(path) == seen:
                    with contextlib.suppress(OSError):
                        path.unlink()
                continue
            raise WorkbookLocked(
                f"Berkas {target.name} sedang ditulis oleh proses spm-xl lain "
                f"({_describe(seen)}). Tunggu sampai selesai lalu ulangi. Jika tidak ada "
                f"proses lain yang berjalan, hapus berkas kunci {path.name}.") from None
        except OSError as exc:
            raise WriteFailed(_explain(exc, target)) from exc
        os.write(fd, owner.encode())
        return fd
    raise AssertionError("unreachable")


def _read_owner(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_stale(path: Path, owner: dict[str, object]) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return True  # vanished meanwhile: just retry
    if age > STALE_AFTER_S:
        return True
    pid = owner.get("pid")
    if owner.get("host") == socket.gethostname() and isinstance(pid, int) and os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0: existence check only (never on Windows: it kills)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def _describe(owner: dict[str, object]) -> str:
    when = owner.get("time")
    started = (time.strftime("%d-%m-%Y %H:%M", time.localtime(when))
               if isinstance(when, int | float) else "waktu tidak diketahui")
    return f"komputer {owner.get('host', '?')}, proses {owner.get('pid', '?')}, mulai {started}"
