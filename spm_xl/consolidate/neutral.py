"""What the provincial outputs may show of a district's typed text: nothing of it (issue 12).

The provincial workbook and ``konsolidasi --json`` travel furthest (governor's office,
Jakarta, chat groups), so a file, sheet, region or version name a district typed is shown
as the official name, a fixed label or a fingerprint, never as typed: a name can hold a NIK
or a person's name as easily as any cell. The coordinator's own terminal still shows the
real file names (printed safely); the Sumber sheet's SHA-256 ties a label to its file.
"""

from __future__ import annotations

import re

from .. import labels
from ..catalogue import load_catalogue
from ..regions import regions
from .model import FileReport

_VERSION = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,2}")
_QUOTED = re.compile("'[^'\n]*'|\"[^\"\n]*\"")
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def file_label(r: FileReport) -> str:
    """A file as the province may name it: its fingerprint, not the name a district chose."""
    name = r.source.name.lower()
    suffix = next((s for s in _SUFFIXES if name.endswith(s)), "")
    sha = r.source.sha256
    return f"berkas-{sha[:12]}{suffix}" if sha else f"berkas-tanpa-sidik{suffix}"


def region_label(kode: str | None) -> str | None:
    """The official name of a known region code; None for anything else."""
    if not kode:
        return None
    names = regions()
    known = names.kabkota.get(kode)
    return known.nama if known else names.provinsi.get(kode)


def code_label(kode: str | None) -> str | None:
    """A region code when it is a known Kemendagri code, else a fixed text."""
    if kode is None:
        return None
    return kode if region_label(kode) else "(kode tidak dikenal)"


def version_label(version: str | None) -> str | None:
    if version is None:
        return None
    return version if _VERSION.fullmatch(version.strip()) else "(tidak dikenal)"


def sheet_label(sheet: str | None) -> str | None:
    """A template sheet's own name, or a fixed text for any sheet a district named."""
    if sheet is None:
        return None
    ours = [labels.PETUNJUK, labels.IDENTITAS, labels.HARGA, labels.ANGGARAN,
            labels.KONFIGURASI, labels.CAPAIAN, *(s.sheet for s in load_catalogue().layanan)]
    key = " ".join(sheet.split()).casefold()
    return next((n for n in ours if n.casefold() == key), "(sheet lain)")


def reason(text: str, r: FileReport) -> str:
    """A rejection reason without anything quoted from the file (names, codes, versions)."""
    return unquoted(text, (r.source.path, r.source.name))


def unquoted(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` with the given names and every quoted piece cut out; a template sheet's own
    name may stay (it says which sheet is missing, and no district typed it)."""
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, "\u2026")

    def keep(m: re.Match[str]) -> str:
        inner = m.group()[1:-1]
        return m.group() if sheet_label(inner) != "(sheet lain)" else "'\u2026'"
    return _QUOTED.sub(keep, text)
