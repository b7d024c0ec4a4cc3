"""``spm-xl konsolidasi``: orchestration, terminal text and exit codes (SPEC 4-5).

Exit 0: every file consolidated, no data errors; 1: some files rejected or in conflict, or
a consolidated workbook has errors; 2: nothing usable (no output is written). Human text
goes to standard error, ``--json`` prints the SPEC 4 document on standard output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import UnusableWorkbook, counts, has_errors
from ..pipeline import stamp
from ..terminal import console
from .cache import ResultCache, seal_report, sealed
from .duplicates import DuplicateGroup, count_persons, find_duplicates
from .inputs import (
    EARLIER_OUTPUT,
    Gate,
    choose_province,
    discover,
    gate,
    province_code_error,
    skipped_in,
)
from .model import FileReport
from .neutral import file_label, reason
from .previous import read_previous
from .pseudonym import ProvinceKey, check_keys, province_key, pseudonym, sealed_pseudonym
from .summary import consolidation_json, province_text
from .worker import Progress, process_all
from .writer import Book, write_book

EXIT_OK, EXIT_DATA, EXIT_UNUSABLE = 0, 1, 2
#: below this much input, starting worker processes costs more than it saves
POOL_MIN_BYTES = 2_000_000
JOBS = 2

PERSONAL_WARNING = (
    "PERINGATAN: --sertakan-data-pribadi dipakai. Sheet Duplikat akan berisi NAMA dan NIK "
    "penerima (data pribadi spesifik menurut UU 27/2022 tentang Pelindungan Data Pribadi). "
    "Simpan berkas keluaran di tempat aman, jangan dibagikan, dan hapus bila tidak "
    "diperlukan lagi.")


@dataclass(frozen=True, slots=True)
class Outcome:
    gate: Gate
    duplicates: list[DuplicateGroup]
    duplicate_persons: int
    document: dict[str, Any]  # the --json document
    exit_code: int
    written: Path | None
    sources: list[FileReport]
    key: ProvinceKey | None  # the pseudonym key used, if any duplicates needed one
    warnings: tuple[str, ...] = ()  # said before the summary (weak key, loose permissions)
    skipped: list[FileReport] = field(default_factory=list)  # passed over, each with why


def main(args: argparse.Namespace) -> int:
    """Entry from ``spm_xl.cli`` with the parsed ``konsolidasi`` arguments."""
    return consolidate_paths(args.inputs, Path(args.output), provinsi=args.provinsi,
                             kode_provinsi=args.kode_provinsi, as_json=args.json,
                             personal=args.sertakan_data_pribadi,
                             cache=not getattr(args, "tanpa_cache", False),
                             sebelumnya=args.sebelumnya,
                             umpan_balik=getattr(args, "umpan_balik", None))


def consolidate_paths(inputs: Sequence[str | Path], output: Path, *,
                      provinsi: str | Path | None = None, kode_provinsi: str | None = None,
                      as_json: bool = False, personal: bool = False,
                      jobs: int | None = None, sebelumnya: str | Path | None = None,
                      umpan_balik: str | Path | None = None, cache: bool = True) -> int:
    """Consolidate, tell the user what happened, return the exit code."""
    con = console()
    if personal:
        con.print(f"[bold red]{PERSONAL_WARNING}[/]", markup=True)
    with _progress(con) as progress:
        outcome = consolidate(inputs, output, provinsi=provinsi, kode_provinsi=kode_provinsi,
                              personal=personal, jobs=jobs, progress=progress,
                              sebelumnya=sebelumnya, cache=cache)
    _report(con, outcome)
    if umpan_balik is not None:
        _feedback(con, outcome, Path(umpan_balik))
    if as_json:  # the written file is said here: the document itself is about the inputs
        document = {**outcome.document,
                    "berkas_hasil": str(outcome.written) if outcome.written else None}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return outcome.exit_code


def consolidate(inputs: Sequence[str | Path], output: Path, *,
                provinsi: str | Path | None = None, kode_provinsi: str | None = None,
                personal: bool = False, jobs: int | None = None,
                progress: Progress | None = None,
                sebelumnya: str | Path | None = None, cache: bool = True) -> Outcome:
    """Read, gate, recompute and write; never modifies an input, prints nothing.

    ``cache``: reuse the results of files read before (``cache.ResultCache``); never with
    ``personal``, whose names and NIKs the cache must not hold.
    """
    clock = _Clock()
    output = Path(output)
    _check_output(output)
    previous = read_previous(Path(sebelumnya)) if sebelumnya else None
    own_path = Path(provinsi) if provinsi else None
    if kode_provinsi and own_path is None:
        _require_province_code(kode_provinsi)
    warnings: tuple[str, ...] = tuple(check_keys(kode_provinsi.strip() if kode_provinsi else None))
    files, problems = discover(inputs, exclude=[*([own_path] if own_path else []),
                                                *([Path(sebelumnya)] if sebelumnya else [])])
    files = _without_output(files, output, inputs)
    if own_path is not None and _same(own_path) == _same(output):
        raise UnusableWorkbook(_output_is_input(output))
    paths = [*([own_path] if own_path else []), *files]
    store = ResultCache() if cache and not personal else None
    reports = _read_all(paths, store, personal=personal, jobs=jobs, progress=progress)
    clock.lap(f"baca dan hitung {len(paths)} berkas"
              + (f" ({store.hits} dari cache)" if store else ""))
    skipped = [s for raw in inputs if Path(raw).is_dir() for s in skipped_in(Path(raw))]
    earlier = [r for r in reports if r is not (reports[0] if own_path else None)
               and (r.error or "").startswith(EARLIER_OUTPUT)]
    for r in earlier:  # an earlier provincial output is recognised and passed over
        r.error = f"Dilewati: {r.error}"
    reports = [r for r in reports if r not in earlier]
    skipped += earlier
    own = reports[0] if own_path else None
    districts = [*reports[1 if own_path else 0:], *problems]
    province = choose_province(own, kode_provinsi, districts)
    if province is None and kode_provinsi:
        _require_province_code(kode_provinsi)
    g = gate(districts, own, province)
    key = _keep(store, g) if store else None
    groups = find_duplicates([r.keys for r in g.districts])
    persons = count_persons(groups)
    clock.lap("gerbang dan duplikat")
    sources = [*reports, *problems, *skipped]
    document = consolidation_json(g, persons)
    document["dilewati"] = [{"berkas": file_label(r), "alasan": reason(r.error or "", r)}
                            for r in skipped]
    if not g.districts and g.own is None:
        return Outcome(g, groups, persons, document, EXIT_UNUSABLE, None, sources, None,
                       warnings, skipped)
    key_note = "tidak diperlukan (tidak ada duplikat)"
    names: dict[bytes, str] = {}
    if groups:
        assert g.province is not None
        key = key or province_key(g.province.kode)
        names = {grp.digest: sealed_pseudonym(grp.digest) if grp.members[0].keys.sealed
                 else pseudonym(key.key, grp.digest) for grp in groups}
        key_note = f"kunci dari {key.source}, tidak disimpan di buku kerja ini"
    st = stamp(_sidik(g), g.province.kode if g.province else "")
    book = Book(g, groups, persons, names, personal, sources, st, key_note, previous)
    warnings += _write_output(output, lambda tmp: write_book(tmp, book), personal)
    clock.lap("tulis buku kerja provinsi")
    used = [*g.districts, *([g.own] if g.own else [])]
    bad = bool(g.rejected or g.conflicts) or any(has_errors(r.findings) for r in used)
    return Outcome(g, groups, persons, document, EXIT_DATA if bad else EXIT_OK, output,
                   sources, key, warnings, skipped)


def _read_all(paths: list[Path], store: ResultCache | None, *, personal: bool,
              jobs: int | None, progress: Progress | None) -> list[FileReport]:
    """Reports in input order: from the cache where the bytes are known, else read.

    The files to read start first and the cached reports are decoded meanwhile, so a re-run
    with one changed file costs about that file, read in a worker with its memory ceiling
    like any large file (one file can only reject itself, whatever sits in the cache).
    """
    found = {i: f for i, p in enumerate(paths) if store and (f := store.find(p))}
    todo = [i for i in range(len(paths)) if i not in found]
    if jobs is None:
        jobs = JOBS if sum(_size(paths[i]) for i in todo) >= POOL_MIN_BYTES else 1

    def read(indices: list[int]) -> dict[int, FileReport]:
        reports = process_all([paths[i] for i in indices], personal=personal, jobs=jobs,
                              progress=progress, seal=store is not None)
        return dict(zip(indices, reports, strict=True))

    def decode() -> dict[int, FileReport | None]:
        return {i: store.read(f) for i, f in found.items()} if store else {}

    if todo and found:
        with ThreadPoolExecutor(1) as waiter:  # the thread mostly waits for the workers
            reading = waiter.submit(read, todo)
            decoded = decode()
            done = reading.result()
    else:
        decoded, done = decode(), read(todo)
    done |= {i: r for i, r in decoded.items() if r is not None}
    done |= read([i for i, r in decoded.items() if r is None])  # a bad entry: read the file
    return [done[i] for i in range(len(paths))]


def _keep(store: ResultCache, g: Gate) -> ProvinceKey | None:
    """Seal the accepted files' match keys with the province key and cache what was read.

    Workers seal when the key already exists; on a province's first run it is created here.
    """
    used = [*g.districts, *([g.own] if g.own else [])]
    if g.province is None or not used:
        return None
    key = province_key(g.province.kode)
    for r in used:
        if not sealed(r):
            seal_report(r, key.key)
        store.save(r, key.key)
    store.trim()
    return key


class _Clock:
    """Phase times on standard error when SPM_XL_TIMING is set (for the benchmark)."""

    def __init__(self) -> None:
        self.on = bool(os.environ.get("SPM_XL_TIMING"))
        self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        if self.on:
            print(f"waktu: {what}: {now - self.last:.2f} s", file=sys.stderr)
        self.last = now


def _feedback(con: Any, outcome: Outcome, folder: Path) -> None:
    """Per-district feedback workbooks (``--umpan-balik``), named on the terminal."""
    from .feedback import write_feedback

    g = outcome.gate
    st = stamp(_sidik(g), g.province.kode if g.province else "")
    written = write_feedback(folder, g, outcome.duplicates,
                             outcome.key.key if outcome.key else None, st)
    con.print(f"Umpan balik untuk {len(written)} berkas kab/kota ditulis ke {folder}.")


def _write_output(target: Path, produce: Callable[[Path], None], personal: bool
                  ) -> tuple[str, ...]:
    """Write the provincial book; a backup is kept only when neither version holds names.

    A backup of an output made with --sertakan-data-pribadi would leave names and NIKs
    behind in a file nobody asked for, so none is made, a stale one is removed, and the
    user is told.
    """
    from ..book.atomic import atomic_write, backup_path

    notes: list[str] = []
    old_personal = _holds_personal_data(target)
    if personal or old_personal:
        bak = backup_path(target)
        if _holds_personal_data(bak):
            bak.unlink(missing_ok=True)
            notes.append(f"Cadangan lama {bak.name} berisi data pribadi dan telah dihapus.")
        if old_personal:
            notes.append(f"Versi sebelumnya {target.name} berisi data pribadi (nama dan NIK); "
                         "versi itu diganti tanpa disimpan sebagai cadangan.")
    atomic_write(target, produce, backup=not (personal or old_personal))
    return tuple(notes)


#: the first line of the Duplikat sheet of a book made with --sertakan-data-pribadi
PERSONAL_MARK = b"PERINGATAN: sheet ini berisi data pribadi"


def _holds_personal_data(path: Path) -> bool:
    """Whether a provincial book this command wrote was made with --sertakan-data-pribadi."""
    import zipfile

    if not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.startswith("xl/") and info.filename.endswith(".xml") and \
                        info.file_size < 64 << 20 and PERSONAL_MARK in zf.read(info):
                    return True
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False
    return False


def _sidik(g: Gate) -> str:
    """The fingerprint of a consolidation: the bytes of every file it used."""
    h = hashlib.sha256()
    for r in sorted([*g.districts, *([g.own] if g.own else [])], key=lambda r: r.source.name):
        h.update(f"{r.source.name}\x1f{r.source.sha256}\x1e".encode())
    return h.hexdigest()[:20]


def _check_output(output: Path) -> None:
    """Refuse a bad output path before spending a minute reading the districts."""
    if output.suffix.lower() != ".xlsx":
        raise UnusableWorkbook(f"Berkas keluaran '{output.name}' harus berakhiran .xlsx.")
    if not output.parent.is_dir():
        raise UnusableWorkbook(f"Folder keluaran '{output.parent}' tidak ada; buat dulu "
                               "foldernya atau pilih folder lain.")
    from ..book.atomic import NAME_MAX

    if len(output.name.encode("utf-8")) > NAME_MAX - 20:  # room for the lock and temp names
        raise UnusableWorkbook(f"Nama berkas keluaran terlalu panjang ({len(output.name)} "
                               "karakter); pilih nama yang lebih pendek.")
    if not os.access(output.parent, os.W_OK):
        raise UnusableWorkbook(f"Folder keluaran '{output.parent}' tidak dapat ditulisi; pilih "
                               "folder lain.")


def _require_province_code(kode: str) -> None:
    from ..regions import regions

    if kode.strip() not in regions().provinsi:
        raise UnusableWorkbook(province_code_error(kode))


def _without_output(files: list[Path], output: Path, inputs: Sequence[str | Path]) -> list[Path]:
    """Never overwrite an input; a previous output found in an input folder is skipped."""
    from ..book.atomic import backup_path

    target, backup = _same(output), _same(backup_path(output))
    named = {_same(Path(p)) for p in inputs}
    kept = []
    for f in files:
        here = _same(f)
        if here == target and (target in named or not _is_consolidation(f)):
            raise UnusableWorkbook(_output_is_input(output))
        if here not in (target, backup) or not _is_consolidation(f):
            kept.append(f)
    return kept


def _is_consolidation(path: Path) -> bool:
    """A workbook this command wrote earlier (it has the Rekap Kab/Kota sheet)."""
    from .writer import REKAP_KABKOTA

    try:
        import python_calamine

        with python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
            return REKAP_KABKOTA in wb.sheet_names
    except Exception:
        return False


def _output_is_input(output: Path) -> str:
    return (f"Berkas keluaran '{output.name}' adalah salah satu berkas masukan; konsolidasi "
            "tidak pernah menimpa berkas masukan. Pilih nama atau folder keluaran lain.")


def _same(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- terminal ------------------------------------------------------------------------------

class _progress:
    """A progress bar on a terminal only; quiet when standard error is not a TTY."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Progress | None:
        if not sys.stderr.isatty() or os.environ.get("SPM_XL_NO_PROGRESS"):
            return None
        from rich.markup import escape as rich_escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ..book.cells import one_line

        self.bar = Progress(TextColumn("Membaca berkas"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), console=self.con,
                            transient=True)
        self.bar.__enter__()
        self.task = self.bar.add_task("", total=None)

        def tick(report: FileReport, total: int) -> None:
            self.bar.update(self.task, advance=1, total=total,
                            description=rich_escape(one_line(report.source.name, 60)))

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _report(con: Any, out: Outcome) -> None:
    from rich.markup import escape as rich_escape

    from ..book.cells import one_line

    def escape(text: str) -> str:  # file names and reasons are data: no markup, no controls,
        return rich_escape(one_line(text, 4000))  # no newline (a name could fake a line)

    g = out.gate
    for warning in out.warnings:
        con.print(f"[yellow]Peringatan:[/] {escape(warning)}", markup=True)
    con.print(f"Provinsi: {province_text(g.province)}"
              + (f" — {g.province.alasan}." if g.province else "."))
    if g.period:
        from .. import labels

        con.print(f"Periode: Tahun {g.period[0]}, Triwulan "
                  f"{labels.QUARTER_ROMAN[g.period[1] - 1]}.")
    used = len(g.districts) + (1 if g.own else 0)
    con.print(f"{len(out.sources) - len(out.skipped)} berkas diperiksa: {used} dipakai, "
              f"{len(g.rejected)} ditolak, {sum(len(c.reports) for c in g.conflicts)} dalam "
              f"konflik" + (f"; {len(out.skipped)} dilewati." if out.skipped else "."))
    for x in g.rejected:
        con.print(f"[red]Ditolak[/] {escape(x.report.source.name)}: {escape(x.alasan)}",
                  markup=True)
    for r in out.skipped:
        con.print(f"[yellow]Dilewati[/] {escape(r.source.name)}: "
                  f"{escape((r.error or '').removeprefix('Dilewati: '))}", markup=True)
    for c in g.conflicts:
        con.print(f"[red]Konflik[/] kab/kota {escape(c.kode)} dikirim dalam "
                  f"{escape(', '.join(r.source.name for r in c.reports))}; tidak ada yang "
                  "dipakai.", markup=True)
    if g.missing:
        con.print(f"Belum mengirim ({len(g.missing)}): "
                  f"{', '.join(k.nama for k in g.missing)}.")
    if out.duplicate_persons:
        con.print(f"Duplikat lintas kab/kota: {out.duplicate_persons} orang (lihat sheet "
                  "Duplikat).")
    found = counts(f for r in [*g.districts, *([g.own] if g.own else [])] for f in r.findings)
    con.print(f"Temuan di berkas yang dipakai: {found['galat']} galat, "
              f"{found['peringatan']} peringatan, {found['info']} info (sheet Pemeriksaan).")
    if out.key is not None and out.key.created:
        con.print(f"Kunci pseudonim provinsi baru dibuat: {out.key.path}. Simpan cadangannya di "
                  "tempat aman dan jangan dibagikan; tanpa kunci yang sama, ID pseudonim tidak "
                  "cocok lagi antar konsolidasi.")
    if out.written:
        con.print(f"Hasil ditulis ke {one_line(str(out.written), 4000)}.")
    else:
        con.print("[red]Tidak ada berkas yang dapat dikonsolidasikan; tidak ada hasil yang "
                  "ditulis.[/]", markup=True)
