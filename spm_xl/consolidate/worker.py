"""Per-file work, run in a process pool: read, check, compute, reduce to a small summary.

Each task reads one workbook, evaluates it like ``spm-xl hitung`` would (checks + engine,
stale outputs included), compares its saved Capaian sheet, turns every recipient into an
identity digest and returns a ``FileReport``; the full records die with the task, so peak
memory is about two workbooks at a time whatever the number of districts. Everything here is
importable top-level and picklable, as the ``spawn`` start method requires.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date, datetime
from itertools import compress
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .. import labels
from ..findings import UnusableWorkbook, sort_findings
from ..nik import clean, plain_mask
from ..records import ServiceRows
from .cache import file_sha256, safe_findings, seal_report
from .model import FileReport, NarrativeFilled, PersonKeys, Source
from .pseudonym import DIGEST_BYTES, identity_digest, identity_key

#: called after each file with its report and the number of files
Progress = Callable[[FileReport, int], None]


def process_file(path: str, personal: bool = False, seal: bool = False) -> FileReport:
    """Everything the consolidation needs from one file; never raises for a bad file.

    ``seal``: the match keys are sealed with the province key when it exists already
    (``cache.seal_report``), here in the worker rather than in the main process.
    """
    p = Path(path)
    source = Source(str(p), p.name)
    try:
        if not p.is_file():  # a FIFO or /dev/zero named by a glob would hang the hash
            raise UnusableWorkbook(f"'{p.name}' bukan berkas biasa (folder, pipa atau "
                                   "perangkat); dilewati.")
        sha, size = file_sha256(p)
        source = Source(str(p), p.name, sha, size)
        with _no_cycle_collection():
            report = _evaluate(p, source, personal)
            if seal:
                seal_report(report)
            return report
    except UnusableWorkbook as e:
        return FileReport(source, error=e.pesan)
    except OSError as e:
        return FileReport(source, error=f"Berkas '{p.name}' tidak dapat dibaca: "
                                        f"{e.strerror or type(e).__name__}.")
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as e:  # one odd file must not stop a province (a Rust panic in the
        # reader is pyo3's PanicException, a BaseException); say so without a traceback
        if os.environ.get("SPM_XL_DEBUG"):
            raise
        return FileReport(source, error=_unexpected(e))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while one workbook is read and evaluated.

    Reading builds about a million cell objects, none of them in a reference cycle, and
    each allocation burst triggers collector passes over all of them: about a tenth of a
    file's time for nothing. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(path: Path, source: Source, personal: bool) -> FileReport:
    from ..book.reader import read_workbook  # checks the container (book.safe) first
    from ..keterisian import keterisian
    from ..pipeline import evaluate
    from .saved import saved_output_findings

    data = read_workbook(path)
    ev = evaluate(data)
    # a result computed for another quarter (--triwulan) shows other figures: not compared
    stale = any(f.kode in ("hasil_usang", "hasil_triwulan_lain") for f in ev.findings)
    extra = saved_output_findings(data.saved, ev.result, data.identity.triwulan, stale,
                                  stamped=labels.CAPAIAN in data.stamps)
    rows = {code: len(s.rows) for code, s in data.services.items()}
    keys = [person_keys(s, personal) for s in data.services.values()]
    found = sort_findings([*ev.findings, *extra])
    return FileReport(source, data.identity, ev.result, safe_findings(found), rows, keys,
                      keterisian=keterisian(data, ev.result, found), settings=data.settings,
                      narasi=NarrativeFilled.of(data.narasi))


def person_keys(rows: ServiceRows, personal: bool) -> PersonKeys:
    """Match keys (and, only when asked, the identity itself) of a sheet's recipients.

    A plain 16-digit NIK (nearly every row) is keyed by its value, converted for the whole
    column with numpy; only the other rows go through ``identity_key`` and BLAKE2b.
    """
    empty: list[object] = [None] * len(rows.rows)
    niks = rows.person.get(labels.D_NIK, empty)
    names = rows.person.get(labels.D_NAMA, empty)
    births = rows.person.get(labels.D_LAHIR, empty)
    at = np.flatnonzero(rows.recipients).tolist()
    cells = [niks[i] for i in at]
    plain = plain_mask(cells)
    nik_at = list(compress(at, plain))
    nik_text = [str(n) for n in compress(cells, plain)]
    other_at: list[int] = []
    digests: list[bytes] = []
    for i in compress(at, [not p for p in plain]):
        key = identity_key(niks[i], names[i], births[i])
        if key is None:
            continue
        if key.startswith("nik:") and key.isascii():  # a NIK written with separators
            nik_at.append(i)
            nik_text.append(key[4:])
        else:
            other_at.append(i)
            digests.append(identity_digest(key))
    order = np.argsort(np.asarray(nik_at, dtype=np.int64), kind="stable")
    nik_at = [nik_at[j] for j in order.tolist()]
    values = _nik_values([nik_text[j] for j in order.tolist()])
    pairs = np.zeros((len(values), 2), dtype=np.uint64)
    pairs[:, 0] = values
    match = np.concatenate([
        pairs.view(np.uint8).reshape(len(values), DIGEST_BYTES),
        np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(digests), DIGEST_BYTES)])
    kept = nik_at + other_at
    keys = PersonKeys(rows.kode, rows.sheet, match,
                      np.asarray([rows.rows[i] for i in kept], dtype=np.int32), len(nik_at))
    if personal:
        keys.nik = [clean(niks[i])[0] for i in kept]
        keys.nama = [_text(names[i]) for i in kept]
        keys.lahir = [_day(births[i]) for i in kept]
    return keys


_POWERS = 10 ** np.arange(15, -1, -1, dtype=np.uint64)


def _nik_values(texts: list[str]) -> npt.NDArray[np.uint64]:
    """16-digit ASCII texts as integers (at most 10**16 - 1, well inside uint64)."""
    digits = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(-1, 16)
    return np.asarray((digits - np.uint8(48)).astype(np.uint64) @ _POWERS, dtype=np.uint64)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


Task = Callable[[str, bool, bool], FileReport]


def process_all(paths: Sequence[Path], *, personal: bool, jobs: int,
                progress: Progress | None = None, seal: bool = False,
                task: Task | None = None) -> list[FileReport]:
    """``process_file`` for every path, in input order; ``jobs`` > 1 uses a spawn pool (even
    for one file: a worker has the memory ceiling, the caller's process does not)."""
    if jobs <= 1 or not paths:
        out = []
        for p in paths:
            report = process_file(str(p), personal, seal)
            if progress:
                progress(report, len(paths))
            out.append(report)
        return out
    results: list[FileReport | None] = [None] * len(paths)
    # biggest first: the last task to start should be a small one (better load balance)
    order = sorted(range(len(paths)), key=lambda i: -_size(paths[i]))
    run = task or process_file
    broken = _run_pool(run, paths, order, personal, seal, jobs, results, progress)
    for i in broken:  # a worker died: each file it may have held runs alone, so one file can
        # only ever reject itself and every sound district is still read
        again = _run_pool(run, paths, [i], personal, seal, 1, results, progress)
        if again:
            lost = FileReport(Source(str(paths[i]), paths[i].name), error=(
                "Proses pembaca berhenti mendadak (memori habis atau berkas rusak) saat "
                "membaca berkas ini; berkas dilewati. Minta kiriman ulang berkas ini."))
            results[i] = lost
            if progress:
                progress(lost, len(paths))
    return [r for r in results if r is not None]


def _run_pool(task: Task, paths: Sequence[Path], order: Sequence[int], personal: bool,
              seal: bool, jobs: int, results: list[FileReport | None],
              progress: Progress | None) -> list[int]:
    """Run ``order`` in a fresh pool; the indices whose worker died come back to retry."""
    ctx = multiprocessing.get_context("spawn")
    broken: list[int] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(order)), mp_context=ctx,
                             initializer=limit_memory) as pool:
        futures: dict[Future[FileReport], int] = {
            pool.submit(task, str(paths[i]), personal, seal): i for i in order}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                report = fut.result()
            except BrokenProcessPool:
                broken.append(i)
                continue
            except Exception as e:  # e.g. a result that could not travel back
                report = FileReport(Source(str(paths[i]), paths[i].name), error=_unexpected(e))
            results[i] = report
            if progress:
                progress(report, len(paths))
    return sorted(broken)


#: address space a worker may use (bytes); SPM_XL_MEMORI_MB overrides it
WORKER_MEMORY = 3 << 30


def limit_memory() -> None:
    """Cap this worker's address space, so a file that would exhaust memory kills only it.

    POSIX only (``RLIMIT_AS``); Windows has no per-process limit without job objects, so
    there the bounds in ``book.safe`` are the only defence (see README, threat model).
    """
    try:
        import resource
    except ImportError:  # Windows
        return
    mb = os.environ.get("SPM_XL_MEMORI_MB", "")
    limit = int(mb) << 20 if mb.isdigit() and int(mb) > 0 else WORKER_MEMORY
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _unexpected(e: BaseException) -> str:
    return (f"Galat tak terduga saat membaca berkas ini ({type(e).__name__}); berkas dilewati. "
            "Jalankan dengan SPM_XL_DEBUG=1 untuk rinciannya.")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
