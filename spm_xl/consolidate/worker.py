"""Per-file work, run in a process pool: read, check, compute, reduce to a small summary.

Each task reads one workbook, evaluates it like ``spm-xl hitung`` would (checks + engine,
stale outputs included), compares its saved Capaian sheet, turns every recipient into an
identity digest and returns a ``FileReport``; the full records die with the task, so peak
memory is about two workbooks at a time whatever the number of districts. Everything here is
importable top-level and picklable, as the ``spawn`` start method requires.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime
from pathlib import Path

import numpy as np

from .. import labels
from ..findings import UnusableWorkbook, sort_findings
from ..nik import clean
from ..records import ServiceRows
from .model import FileReport, PersonKeys, Source
from .pseudonym import DIGEST_BYTES, identity_digest, identity_key

#: called after each file with its report and the number of files
Progress = Callable[[FileReport, int], None]


def process_file(path: str, personal: bool = False) -> FileReport:
    """Everything the consolidation needs from one file; never raises for a bad file."""
    p = Path(path)
    source = Source(str(p), p.name)
    try:
        sha, size = _hash(p)
        source = Source(str(p), p.name, sha, size)
        return _evaluate(p, source, personal)
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


def _evaluate(path: Path, source: Source, personal: bool) -> FileReport:
    from ..book.reader import read_workbook  # checks the container (book.safe) first
    from ..pipeline import evaluate
    from .saved import saved_output_findings

    data = read_workbook(path)
    ev = evaluate(data)
    stale = any(f.kode == "hasil_usang" for f in ev.findings)
    extra = saved_output_findings(path, ev.result, data.identity.triwulan, stale,
                                  stamped=labels.CAPAIAN in data.stamps)
    rows = {code: len(s.rows) for code, s in data.services.items()}
    keys = [person_keys(s, personal) for s in data.services.values()]
    return FileReport(source, data.identity, ev.result, sort_findings([*ev.findings, *extra]),
                      rows, keys)


def person_keys(rows: ServiceRows, personal: bool) -> PersonKeys:
    """Identity digests (and, only when asked, the identity itself) of a sheet's recipients."""
    empty: list[object] = [None] * len(rows.rows)
    niks = rows.person.get(labels.D_NIK, empty)
    names = rows.person.get(labels.D_NAMA, empty)
    births = rows.person.get(labels.D_LAHIR, empty)
    digests = bytearray()
    at: list[int] = []
    kept: list[int] = []
    for i in np.flatnonzero(rows.recipients).tolist():
        n = niks[i]
        if n.__class__ is str and len(n) == 16 and n.isdigit():
            key = "nik:" + n  # the common case, inlined for speed
        else:
            found = identity_key(n, names[i], births[i])
            if found is None:
                continue
            key = found
        digests += identity_digest(key)
        at.append(rows.rows[i])
        kept.append(i)
    arr = np.frombuffer(bytes(digests), dtype=np.uint8).reshape(len(at), DIGEST_BYTES)
    keys = PersonKeys(rows.kode, rows.sheet, arr, np.asarray(at, dtype=np.int32))
    if personal:
        keys.nik = [clean(niks[i])[0] for i in kept]
        keys.nama = [_text(names[i]) for i in kept]
        keys.lahir = [_day(births[i]) for i in kept]
    return keys


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def process_all(paths: Sequence[Path], *, personal: bool, jobs: int,
                progress: Progress | None = None) -> list[FileReport]:
    """``process_file`` for every path, in input order; ``jobs`` > 1 uses a spawn pool."""
    if jobs <= 1 or len(paths) <= 1:
        out = []
        for p in paths:
            report = process_file(str(p), personal)
            if progress:
                progress(report, len(paths))
            out.append(report)
        return out
    results: list[FileReport | None] = [None] * len(paths)
    # biggest first: the last task to start should be a small one (better load balance)
    order = sorted(range(len(paths)), key=lambda i: -_size(paths[i]))
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures: dict[Future[FileReport], int] = {
            pool.submit(process_file, str(paths[i]), personal): i for i in order}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                report = fut.result()
            except BrokenProcessPool:
                report = FileReport(Source(str(paths[i]), paths[i].name), error=(
                    "Proses pembaca berhenti mendadak (kemungkinan memori habis) saat membaca "
                    "berkas ini; coba lagi dengan lebih sedikit berkas sekaligus."))
            except Exception as e:  # e.g. a result that could not travel back
                report = FileReport(Source(str(paths[i]), paths[i].name), error=_unexpected(e))
            results[i] = report
            if progress:
                progress(report, len(paths))
    return [r for r in results if r is not None]


def _unexpected(e: BaseException) -> str:
    return (f"Galat tak terduga saat membaca berkas ini ({type(e).__name__}); berkas dilewati. "
            "Jalankan dengan SPM_XL_DEBUG=1 untuk rinciannya.")


def _hash(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
