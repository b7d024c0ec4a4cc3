"""Pseudonymous ids for people found in two districts (SPEC 2.8).

A person's ``identity_digest`` is BLAKE2b of the normalised NIK, or of name + birth date
when there is no NIK; it is computable before the province (hence its key) is known. Workers
hand back a NIK as its integer value (matching on it is exact and costs no hashing) and the
digest otherwise; the main process digests only the NIKs of duplicates. Only the duplicates
are then shown, as ``pseudonym`` = HMAC-SHA256 keyed with the province's key over that
digest, so the shown id is the same whichever form the worker used. The key comes from
``SPM_XL_KUNCI`` or from a key file created on first use, readable by its owner only,
outside every workbook.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..findings import UnusableWorkbook
from ..nik import clean, sixteen_digits

KEY_ENV = "SPM_XL_KUNCI"
DIGEST_BYTES = 16  # 128 bits: no accidental collision among millions of people
PSEUDONYM_HEX = 16


def identity_key(nik: object, name: object, birth: object) -> str | None:
    """The text that identifies a person: the NIK, else name + birth date, else None."""
    if sixteen_digits(nik):  # the common case, fast
        return "nik:" + nik
    text, problem = clean(nik)
    if problem is None and sixteen_digits(text):
        return "nik:" + text
    if isinstance(name, str) and name.strip() and isinstance(birth, date):
        day = birth.date() if isinstance(birth, datetime) else birth
        return "nama:" + " ".join(name.casefold().split()) + "|" + day.isoformat()
    return None


def identity_digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=DIGEST_BYTES).digest()


def nik_digest(value: int) -> bytes:
    """``identity_digest`` of a NIK carried as its integer value (see ``model.PersonKeys``)."""
    return identity_digest(f"nik:{value:016d}")


def pseudonym(province_key: bytes, digest: bytes) -> str:
    """The id printed for a person: stable across runs with the same province key."""
    mac = hmac.new(province_key, digest, hashlib.sha256).hexdigest()
    return "ID-" + mac[:PSEUDONYM_HEX].upper()


def sealed_digest(province_key: bytes, digest: bytes) -> bytes:
    """The match key the result cache keeps: the head of ``pseudonym``'s HMAC, never a NIK.

    The same person still matches across districts (same key, same digest), and the shown
    id is read straight off it (``sealed_pseudonym``), equal to ``pseudonym``.
    """
    return hmac.digest(province_key, digest, "sha256")[:DIGEST_BYTES]


def sealed_pseudonym(sealed: bytes) -> str:
    """``pseudonym`` of a person whose match key is already ``sealed_digest``."""
    return "ID-" + sealed[:PSEUDONYM_HEX // 2].hex().upper()


def config_dir() -> Path:
    """Where spm-xl keeps per-user settings (never next to the workbooks)."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "spm-xl"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "spm-xl"


def key_path(province: str) -> Path:
    return config_dir() / f"kunci-{province}"


@dataclass(frozen=True, slots=True)
class ProvinceKey:
    key: bytes
    source: str  # where it came from, without a path (safe to print in a workbook)
    path: Path | None  # the key file, None when from the environment
    created: bool  # a new key file was written by this call


def existing_key(province: str) -> bytes | None:
    """The province's key if it already exists (environment or key file); never creates one."""
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return from_env.encode("utf-8")
    path = key_path(province)
    try:
        text = path.read_text("utf-8").strip()
    except OSError:
        return None
    return text.encode("utf-8") if text else None


def province_key(province: str) -> ProvinceKey:
    """The province's key: ``SPM_XL_KUNCI`` if set, else its key file, created on first use.

    A new key is written to a private temporary file (mode 0600) and hard-linked into place,
    so two runs racing to create it end up with the same complete key.
    """
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return ProvinceKey(from_env.encode("utf-8"), f"variabel lingkungan {KEY_ENV}", None,
                           False)
    path = key_path(province)
    source = f"berkas kunci {path.name} di folder konfigurasi pengguna"
    if path.exists() or path.is_symlink():
        return ProvinceKey(_read_key(path), source, path, False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UnusableWorkbook(f"Folder kunci pseudonim {path.parent} tidak dapat dibuat: "
                               f"{exc.strerror or exc}. Tetapkan kunci dengan {KEY_ENV}.") from exc
    text = secrets.token_hex(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise UnusableWorkbook(f"Berkas kunci pseudonim {path} tidak dapat dibuat: "
                               f"{exc.strerror or exc}. Tetapkan kunci dengan {KEY_ENV}.") from exc
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            return ProvinceKey(_read_key(path), source, path, False)
    finally:
        tmp.unlink(missing_ok=True)
    return ProvinceKey(text.encode("utf-8"), source, path, True)


#: a key typed into SPM_XL_KUNCI shorter than this is warned about (a generated key is 64)
WEAK_KEY_CHARS = 20


def check_keys(province: str | None) -> list[str]:
    """Refuse, before any input is read, what cannot be a key; return warnings to print.

    Checks ``SPM_XL_KUNCI`` (a short one is guessable: with the key, the ids of one
    province's NIKs can be enumerated), the configuration folder (it must be or become a
    folder) and every key file already in it (a regular, readable, non-empty UTF-8 file,
    private to its owner).
    """
    warnings: list[str] = []
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        if len(from_env) < WEAK_KEY_CHARS:
            warnings.append(
                f"Kunci pseudonim dari {KEY_ENV} hanya {len(from_env)} karakter; kunci sependek "
                "ini dapat ditebak sehingga ID pseudonim dapat dibalik menjadi NIK. Pakai kunci "
                f"acak minimal {WEAK_KEY_CHARS} karakter (mis. hasil 'python -c \"import "
                "secrets; print(secrets.token_hex(32))\"'), satu kunci untuk satu provinsi.")
        return warnings
    folder = config_dir()
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UnusableWorkbook(
            f"Folder konfigurasi spm-xl {folder} tidak dapat dibuat karena {ancestor} adalah "
            f"berkas, bukan folder. Pindahkan berkas itu atau tetapkan kunci dengan {KEY_ENV}.")
    if folder.is_dir():
        names = {key_path(province).name} if province else set()
        for path in sorted(folder.glob("kunci-*")) + [folder / n for n in names]:
            if path.exists() or path.is_symlink():
                _read_key(path)
                warnings += _permission_warning(path)
    return warnings


def _permission_warning(path: Path) -> list[str]:
    if sys.platform == "win32":
        return []
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & 0o077:
        return [f"Berkas kunci pseudonim {path} dapat dibaca pengguna lain (izin "
                f"{oct(mode & 0o777)}); batasi dengan 'chmod 600 {path}'."]
    return []


def _read_key(path: Path) -> bytes:
    """The key in a key file; a file that cannot be a key is refused, naming it."""
    what = f"Berkas kunci pseudonim {path}"
    if path.is_dir():
        raise UnusableWorkbook(f"{what} adalah folder, bukan berkas kunci. Hapus atau pindahkan "
                               f"folder itu, atau tetapkan kunci dengan {KEY_ENV}.")
    if not path.is_file():
        raise UnusableWorkbook(f"{what} bukan berkas biasa (tautan rusak, pipa atau perangkat).")
    try:
        if path.stat().st_size > 4096:
            raise UnusableWorkbook(f"{what} terlalu besar untuk sebuah kunci (lebih dari 4 KB); "
                                   "pastikan itu berkas kunci spm-xl.")
        text = path.read_text("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise UnusableWorkbook(f"{what} bukan teks UTF-8, jadi bukan kunci spm-xl. Pulihkan "
                               "kunci lama dari cadangan, atau hapus berkas itu agar kunci baru "
                               "dibuat (ID pseudonim lama tidak akan cocok lagi).") from exc
    except OSError as exc:
        raise UnusableWorkbook(f"{what} tidak dapat dibaca: {exc.strerror or exc}.") from exc
    if not text:
        raise UnusableWorkbook(f"Berkas kunci pseudonim {path} kosong. Pulihkan kunci lama dari "
                               f"cadangan, atau hapus berkas itu agar kunci baru dibuat (ID "
                               "pseudonim lama tidak akan cocok lagi).")
    return text.encode("utf-8")
