"""A per-file result cache for ``konsolidasi``: unchanged files are not read again.

Coordinators re-consolidate every time a corrected file arrives; most files have not
changed. An entry is keyed by the file's SHA-256 and this program's own fingerprint (its
source and catalogue), and holds only what the provincial workbook may show: identity,
engine results, the keterisian score, per-service row counts, findings reduced to
severity, code, sheet and cell, and per recipient a sealed match key (the head of the
pseudonym HMAC under the province's key) with its row number. No name, no NIK, no typed
text: a stolen cache without the province key reveals nobody. Entries live in the user's
cache folder (0700, files 0600), are plain ``.npz`` (numpy arrays and one JSON document,
loaded without pickle), are checked strictly and deleted when anything is off, and the
folder is trimmed to a size bound, least recently used first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import numpy as np

from ..engine import RegionResult
from ..finding_kinds import describe
from ..findings import Finding
from ..keterisian import Keterisian
from ..records import Identity, Settings
from ..regions import PROVINCE_CODE
from .model import FileReport, NarrativeFilled, PersonKeys, Source
from .pseudonym import DIGEST_BYTES, existing_key, nik_digest

CACHE_ENV = "SPM_XL_CACHE"  # a folder to use instead of the user's cache folder
LIMIT_ENV = "SPM_XL_CACHE_MB"  # the size bound in MB
LIMIT_MB = 1024
FORMAT = 3  # 3: the district's Konfigurasi and whether D/E were filled (#11)
SUFFIX = ".npz"


def cache_dir() -> Path:
    """The user's cache folder for spm-xl (``SPM_XL_CACHE`` overrides it)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "spm-xl" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "spm-xl"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spm-xl"


@cache
def program_id() -> str:
    """This program's fingerprint: any change to its code or catalogue retires every entry."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"format {FORMAT}\x1e".encode())
    for path in sorted([*root.rglob("*.py"), *root.joinpath("data").glob("*.json")]):
        h.update(path.relative_to(root).as_posix().encode() + b"\x1f")
        h.update(path.read_bytes() + b"\x1e")
    return h.hexdigest()


def key_check(key: bytes) -> str:
    """Which province key sealed an entry, without revealing the key."""
    return hashlib.blake2b(b"spm-xl cache", key=key[:64], digest_size=8).hexdigest()


def file_sha256(path: Path) -> tuple[str, int]:
    if not path.is_file():  # a FIFO or /dev/zero would never end (issue 12)
        raise OSError(f"{path.name}: bukan berkas biasa")
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# --- sealing -------------------------------------------------------------------------------

def seal_keys(keys: PersonKeys, key: bytes) -> None:
    """Turn a sheet's match keys into ``pseudonym.sealed_digest``s, in place, same order.

    HMAC-SHA256 from two prepared SHA-256 states: the same bytes as ``hmac.digest`` at
    under half its cost per recipient.
    """
    if keys.sealed:
        return
    values = keys.match[:keys.by_nik].view(np.uint64)[:, 0].tolist()
    rest = keys.match[keys.by_nik:].tobytes()
    digests = [nik_digest(v) for v in values]
    digests += [rest[i:i + DIGEST_BYTES] for i in range(0, len(rest), DIGEST_BYTES)]
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    block = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    out = bytearray()
    for d in digests:
        i = inner.copy()
        i.update(d)
        o = outer.copy()
        o.update(i.digest())
        out += o.digest()[:DIGEST_BYTES]
    keys.match = np.frombuffer(bytes(out), dtype=np.uint8).reshape(len(digests), DIGEST_BYTES)
    keys.by_nik = 0
    keys.sealed = True


def seal_report(report: FileReport, key: bytes | None = None) -> None:
    """Seal every sheet of a report, with its province's key if none is given and one exists."""
    if key is None:
        ident = report.identity
        province = ident.kode[:2] if ident else ""
        if not PROVINCE_CODE.match(province):
            return
        key = existing_key(province)
        if key is None:
            return
    for k in report.keys:
        seal_keys(k, key)


def sealed(report: FileReport) -> bool:
    return all(k.sealed for k in report.keys)


def safe_findings(findings: list[Finding]) -> list[Finding]:
    """Findings reduced to what the province may see: kind, sheet and cell, no typed text."""
    return [Finding(f.tingkat, f.kode, describe(f.kode), f.sheet, f.sel) for f in findings]


# --- the store -----------------------------------------------------------------------------

#: an entry found for a file: its path in the cache and the file it stands for
Found = tuple[Path, Source]


class ResultCache:
    """Entries of one cache folder; every failure is a miss, never an error for the user."""

    def __init__(self, folder: Path | None = None, limit_mb: int | None = None) -> None:
        self.folder = folder or cache_dir()
        if limit_mb is None:
            try:
                limit_mb = int(os.environ.get(LIMIT_ENV, LIMIT_MB))
            except ValueError:
                limit_mb = LIMIT_MB
        self.limit = max(limit_mb, 1) * 1_000_000
        self.hits = 0

    def entry(self, sha: str) -> Path:
        name = hashlib.sha256(f"{program_id()}\x1f{sha}".encode()).hexdigest()[:40]
        return self.folder / (name + SUFFIX)

    def find(self, path: Path) -> Found | None:
        """The entry for this file's bytes, if there is one (hashing only, nothing decoded)."""
        try:
            sha, size = file_sha256(path)
        except OSError:
            return None
        entry = self.entry(sha)
        return (entry, Source(str(path), path.name, sha, size)) if entry.is_file() else None

    def read(self, found: Found) -> FileReport | None:
        """A found entry decoded, or None (the bad entry removed: the file is read again)."""
        entry, source = found
        try:
            report = _decode(entry, source)
        except Exception:  # corrupt, truncated, another version, another key: rebuild
            report = None
        if report is None:
            entry.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # least recently used goes first when trimming
        self.hits += 1
        return report

    def save(self, report: FileReport, key: bytes) -> None:
        """Keep a usable, sealed report; silently skip when the folder is not writable."""
        if not report.usable or report.source.sha256 is None or not sealed(report):
            return
        entry = self.entry(report.source.sha256)
        if entry.is_file():
            return  # just read from it
        try:
            self._prepare()
            _encode(entry, report, key)
        except OSError:
            pass

    def trim(self) -> None:
        """Delete least recently used entries until the folder is under its bound."""
        try:
            entries = [(p.stat(), p) for p in self.folder.glob("*" + SUFFIX)]
        except OSError:
            return
        total = sum(s.st_size for s, _ in entries)
        for s, p in sorted(entries, key=lambda e: e[0].st_mtime):
            if total <= self.limit:
                break
            p.unlink(missing_ok=True)
            total -= s.st_size

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)


def _encode(target: Path, report: FileReport, key: bytes) -> None:
    meta = {
        "format": FORMAT, "program": program_id(), "sha256": report.source.sha256,
        "kunci": key_check(key), "identity": _plain(report.identity),
        "result": _plain(report.result),
        "findings": [[f.tingkat, f.kode, f.sheet, f.sel] for f in report.findings],
        "rows": report.rows, "sheets": [[k.kode, k.sheet] for k in report.keys],
        "keterisian": _plain(report.keterisian),
        "settings": _plain(report.settings), "narasi": _plain(report.narasi),
    }
    arrays: dict[str, Any] = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
    for i, k in enumerate(report.keys):
        arrays[f"match{i}"] = np.ascontiguousarray(k.match, dtype=np.uint8)
        arrays[f"rows{i}"] = np.ascontiguousarray(k.rows, dtype=np.int32)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _decode(entry: Path, source: Source) -> FileReport | None:
    with np.load(entry, allow_pickle=False) as npz:
        meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
        if meta.get("format") != FORMAT or meta.get("program") != program_id() \
                or meta.get("sha256") != source.sha256:
            return None
        identity = _build(Identity, meta["identity"])
        key = existing_key(identity.kode[:2]) if PROVINCE_CODE.match(identity.kode[:2]) else None
        if key is None or meta.get("kunci") != key_check(key):
            return None  # the province key changed: the sealed keys would not match
        keys = []
        for i, (kode, sheet) in enumerate(meta["sheets"]):
            match = np.asarray(npz[f"match{i}"], dtype=np.uint8)
            rows = np.asarray(npz[f"rows{i}"], dtype=np.int32)
            if match.ndim != 2 or match.shape[1] != DIGEST_BYTES or len(rows) != len(match):
                return None
            keys.append(PersonKeys(_text(kode), _text(sheet), match, rows, 0, sealed=True))
    findings = _findings(meta["findings"])
    rows_per = {_text(k): _int(v) for k, v in meta["rows"].items()}
    score = _build(Keterisian | None, meta["keterisian"])
    return FileReport(source, identity, _build(RegionResult, meta["result"]), findings,
                      rows_per, keys, keterisian=score,
                      settings=_build(Settings | None, meta["settings"]),
                      narasi=_build(NarrativeFilled | None, meta["narasi"]))


def _findings(raw: Any) -> list[Finding]:
    """The stored findings, checked; each kind's sentence looked up once per entry."""
    sentences: dict[str, str] = {}
    out = []
    for t, k, s, c in raw:
        sentence = sentences.get(k)
        if sentence is None:
            sentence = sentences[_text(k)] = describe(k)
        if not (s is None or type(s) is str) or not (c is None or type(c) is str):
            raise ValueError("expected text")
        out.append(Finding(_severity(t), k, sentence, s, c))
    return out


# --- a strict codec for the frozen result dataclasses ----------------------------------------

def _plain(value: object) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Fraction | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def _build(tp: Any, raw: Any) -> Any:
    """``raw`` as type ``tp``, checked all the way down (a mismatch raises)."""
    return _builder(tp)(raw)


Builder = Callable[[Any], Any]


@cache
def _builder(tp: Any) -> Builder:
    """The checking constructor of one type, made once: an entry holds thousands of values,
    and working out the type of each of them again cost more than building it."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        inner = _builder(next(a for a in args if a is not type(None)))
        nullable = type(None) in args

        def union(raw: Any) -> Any:
            if raw is None:
                if nullable:
                    return None
                raise ValueError("unexpected null")
            return inner(raw)
        return union
    if origin is typing.Literal:
        def literal(raw: Any) -> Any:
            if raw not in args:
                raise ValueError(f"unexpected {raw!r}")
            return raw
        return literal
    if isinstance(tp, type) and is_dataclass(tp):
        hints = _hints(tp)
        names = hints.keys()
        parts = [(name, _builder(t)) for name, t in hints.items()]

        def dataclass(raw: Any) -> Any:
            if not isinstance(raw, dict) or raw.keys() != names:
                raise ValueError(f"bad {tp.__name__}")
            return tp(**{name: build(raw[name]) for name, build in parts})
        return dataclass
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _builder(args[0])

            def sequence(raw: Any) -> Any:
                if not isinstance(raw, list):
                    raise ValueError("expected a list")
                return tuple(each(v) for v in raw)
            return sequence
        items = [_builder(a) for a in args]

        def fixed(raw: Any) -> Any:
            if not isinstance(raw, list):
                raise ValueError("expected a list")
            return tuple(b(v) for b, v in zip(items, raw, strict=True))
        return fixed
    if tp is Fraction:
        return lambda raw: Fraction(_text(raw))
    if tp is Decimal:
        return lambda raw: Decimal(_text(raw))
    if tp is bool:
        return _bool
    if tp is int:
        return _int
    if tp is str:
        return _text
    raise TypeError(f"cannot read {tp!r}")


@cache
def _hints(tp: type) -> dict[str, Any]:
    """A dataclass's field types, resolved once (``get_type_hints`` compiles each string)."""
    hints = get_type_hints(tp)
    return {f.name: hints[f.name] for f in fields(tp)}


def _bool(raw: Any) -> bool:
    if type(raw) is not bool:
        raise ValueError("expected true or false")
    return raw


def _int(raw: Any) -> int:
    if type(raw) is not int:
        raise ValueError("expected an integer")
    return raw


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected text")
    return raw


def _severity(raw: Any) -> Any:
    if raw not in ("galat", "peringatan", "info"):
        raise ValueError("bad severity")
    return raw
