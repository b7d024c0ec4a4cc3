"""Which files take part: discovery in folders, the province, and the per-file gate (SPEC 5).

The gate runs on what workers read, in the order a coordinator would check by hand:
readable workbook, template version, level kab/kota, a kab/kota of this province, the same
year and quarter as the others; then two files claiming one kab/kota are a conflict and
neither is used. Every rejection carries its reason in Bahasa Indonesia.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import labels
from ..book.atomic import is_backup
from ..catalogue import load_catalogue
from ..regions import KABKOTA_CODE, PROVINCE_CODE, KabKota, regions
from .model import FileReport, Source
from .neutral import file_label

#: what a folder scan picks up; .xls/.xlsb/.ods are taken so they are rejected by name
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
Period = tuple[int, int]  # (tahun, triwulan)


@dataclass(frozen=True, slots=True)
class ProvinceChoice:
    kode: str
    nama: str
    alasan: str  # why this province, in Indonesian


class Reason(str):
    """A rejection reason: the Indonesian text, plus a stable code for scripts (``kode``)."""
    kode: str

    def __new__(cls, kode: str, text: str) -> Reason:
        made = super().__new__(cls, text)
        made.kode = kode
        return made


@dataclass(frozen=True, slots=True)
class Rejection:
    report: FileReport
    alasan: str

    @property
    def kode(self) -> str:
        """The reason's code (``tidak_terbaca``, ``versi_templat``, ``periode_beda`` ...)."""
        return getattr(self.alasan, "kode", "berkas_ditolak")


@dataclass(frozen=True, slots=True)
class Conflict:
    kode: str
    reports: tuple[FileReport, ...]


@dataclass(slots=True)
class Gate:
    province: ProvinceChoice | None
    period: Period | None
    districts: list[FileReport] = field(default_factory=list)  # accepted, by code
    own: FileReport | None = None  # the province's own workbook, accepted
    rejected: list[Rejection] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    missing: list[KabKota] = field(default_factory=list)  # kab/kota that sent nothing
    #: byte-identical second copies of a district's file (copy, the one used): one submission
    copies: list[tuple[FileReport, FileReport]] = field(default_factory=list)


def discover(inputs: Sequence[str | Path], exclude: Iterable[Path] = ()) -> tuple[
        list[Path], list[FileReport]]:
    """Files named or found in folders (not recursive), and reports for paths that fail.

    Office lock files (``~$x.xlsx``), hidden files and the backups ``spm-xl hitung`` keeps
    (``x.bak.xlsx``) are skipped in folders; a file given twice is read once; ``exclude``
    (the output, the province's own workbook) is never a district.
    """
    skip = {_same(p) for p in exclude}
    seen: set[Path] = set()
    files: list[Path] = []
    problems: list[FileReport] = []

    def add(path: Path) -> None:
        key = _same(path)
        if key not in seen and key not in skip:
            seen.add(key)
            files.append(path)

    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                           and not p.name.startswith(("~$", ".")) and not is_backup(p))
            for p in found:
                add(p)
            if not found:
                problems.append(FileReport(Source(str(path), path.name or str(path)), error=(
                    f"Folder '{path}' tidak berisi buku kerja (.xlsx/.xlsm).")))
        elif path.exists():
            add(path)
        else:
            problems.append(FileReport(Source(str(path), path.name), error=(
                f"Berkas atau folder '{path}' tidak ditemukan.")))
    return files, problems


#: what a folder scan passes over, and why (said to the user: nothing is skipped silently)
SKIP_REASONS = (
    ("~$", "berkas kunci Excel (nama diawali ~$), bukan kiriman kab/kota"),
    (".", "berkas tersembunyi (nama diawali titik)"),
)
BACKUP_REASON = "cadangan yang dibuat spm-xl hitung (nama berakhiran .bak)"
#: the start of the reason given for an earlier provincial output found among the inputs
EARLIER_OUTPUT = "Hasil konsolidasi provinsi sebelumnya"
HINT = "; bila ini kiriman kab/kota, ganti namanya lalu jalankan lagi."


def skipped_in(folder: Path) -> list[FileReport]:
    """Workbook-like files a folder scan passes over, each with its reason as ``error``."""
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() not in WORKBOOK_SUFFIXES:
            continue
        why = next((r for prefix, r in SKIP_REASONS if p.name.startswith(prefix)), None)
        if why is None and is_backup(p):
            why = BACKUP_REASON
        if why is not None:
            out.append(FileReport(Source(str(p), p.name), error=f"Dilewati: {why}{HINT}"))
    return out


def choose_province(own: FileReport | None, kode_provinsi: str | None,
                    reports: Sequence[FileReport]) -> ProvinceChoice | None:
    """``--provinsi``'s province, else ``--kode-provinsi``, else the one most files name."""
    names = regions().provinsi
    if own is not None and own.usable and own.identity is not None \
            and own.identity.tingkat == "provinsi" and own.identity.kode in names:
        kode = own.identity.kode
        note = ""
        if kode_provinsi and kode_provinsi.strip() != kode:
            note = f"; --kode-provinsi {kode_provinsi.strip()} diabaikan"
        return ProvinceChoice(kode, names[kode],
                              f"dari buku kerja provinsi {file_label(own)} (--provinsi){note}")
    if kode_provinsi:
        kode = kode_provinsi.strip()
        if kode not in names:
            return None
        return ProvinceChoice(kode, names[kode], "ditetapkan dengan --kode-provinsi")
    votes = Counter(r.identity.kode[:2] for r in reports
                    if r.usable and r.identity is not None
                    and KABKOTA_CODE.match(r.identity.kode) and r.identity.kode[:2] in names)
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    kode, n = ranked[0]
    reason = (f"provinsi yang paling banyak disebut berkas masukan ({n} dari "
              f"{sum(votes.values())} berkas kab/kota yang terbaca)")
    ties = [k for k, c in ranked[1:] if c == n]
    if ties:
        reason += (f"; jumlahnya sama dengan {', '.join(ties)}, dipilih kode terkecil — "
                   "tetapkan dengan --kode-provinsi bila keliru")
    return ProvinceChoice(kode, names[kode], reason)


def province_code_error(kode_provinsi: str) -> str:
    return (f"Kode provinsi '{kode_provinsi}' tidak dikenal; gunakan kode Kemendagri dua digit, "
            "mis. 74 untuk Sulawesi Tenggara.")


def gate(reports: Sequence[FileReport], own: FileReport | None,
         province: ProvinceChoice | None) -> Gate:
    """Accept, reject or hold in conflict every file; list the kab/kota that sent nothing."""
    result = Gate(province, None)
    candidates: list[FileReport] = []
    for r in reports:
        reason = _district_problem(r, province)
        if reason:
            result.rejected.append(Rejection(r, reason))
        else:
            candidates.append(r)
    own_ok = None
    if own is not None:
        reason = _own_problem(own, province)
        if reason:
            result.rejected.append(Rejection(own, reason))
        else:
            own_ok = own
    result.period = _majority_period(candidates, own_ok)
    by_code: dict[str, list[FileReport]] = {}
    for r in candidates:
        assert r.identity is not None
        if (r.identity.tahun, r.identity.triwulan) != result.period:
            result.rejected.append(Rejection(r, _period_reason(r, result.period)))
        else:
            by_code.setdefault(r.identity.kode, []).append(r)
    if own_ok is not None:
        assert own_ok.identity is not None
        if (own_ok.identity.tahun, own_ok.identity.triwulan) != result.period:
            result.rejected.append(Rejection(own_ok, _period_reason(own_ok, result.period)))
        else:
            result.own = own_ok
    for code in sorted(by_code):
        group = _one_per_content(by_code[code], result.copies)
        if len(group) > 1:
            result.conflicts.append(Conflict(code, tuple(group)))
        else:
            result.districts.append(group[0])
    if province is not None:
        sent = set(by_code)
        result.missing = [k for k in regions().kabkota_of(province.kode) if k.kode not in sent]
    return result


def _one_per_content(group: list[FileReport],
                     copies: list[tuple[FileReport, FileReport]]) -> list[FileReport]:
    """Files with the same SHA-256 are one submission ("… (1).xlsx" is not a conflict)."""
    first: dict[str, FileReport] = {}
    out = []
    for r in group:
        digest = r.source.sha256 or r.source.path
        if digest in first:
            copies.append((r, first[digest]))
        else:
            first[digest] = r
            out.append(r)
    return out


def _unreadable(r: FileReport) -> str | None:
    """Why a file cannot take part at all, whatever its role: unreadable, or another template."""
    if not r.usable or r.identity is None:
        return Reason("tidak_terbaca", r.error or "Berkas tidak dapat dibaca.")
    return _version_problem(r.identity.versi_templat)


def _district_problem(r: FileReport, province: ProvinceChoice | None) -> str | None:
    problem = _unreadable(r)
    if problem or r.identity is None:
        return problem
    ident = r.identity
    if ident.tingkat != "kabkota":
        return Reason("tingkat_salah", "Buku kerja ini bertingkat Provinsi, bukan "
                      "Kabupaten/Kota; berikan buku kerja provinsi sendiri dengan --provinsi.")
    if not KABKOTA_CODE.match(ident.kode) or ident.kode not in regions().kabkota:
        return Reason("kode_wilayah_tidak_dikenal",
                      f"Kode Wilayah '{ident.kode}' pada sheet {labels.IDENTITAS} bukan kode "
                      "kabupaten/kota Kemendagri yang dikenal.")
    if province is None:
        return Reason("provinsi_tidak_diketahui", "Provinsi konsolidasi tidak dapat ditentukan.")
    if ident.kode[:2] != province.kode:
        other = regions().provinsi.get(ident.kode[:2], ident.kode[:2])
        return Reason("provinsi_lain",
                      f"Kab/kota {ident.kode} ({regions().kabkota[ident.kode].nama}) termasuk "
                      f"Provinsi {other}, bukan Provinsi {province.nama} ({province.kode}) yang "
                      "sedang dikonsolidasikan.")
    return None


def _own_problem(r: FileReport, province: ProvinceChoice | None) -> str | None:
    problem = _unreadable(r)
    if problem or r.identity is None:
        return problem
    ident = r.identity
    if ident.tingkat != "provinsi" or not PROVINCE_CODE.match(ident.kode):
        return Reason("tingkat_salah",
                      f"Berkas --provinsi harus buku kerja tingkat Provinsi; yang ini bertingkat "
                      f"{labels.TINGKAT_TEXT.get(ident.tingkat, ident.tingkat)} "
                      f"('{ident.kode}').")
    if province is not None and ident.kode != province.kode:
        return Reason("provinsi_lain",
                      f"Buku kerja provinsi ini milik provinsi '{ident.kode}', bukan "
                      f"{province.kode} yang sedang dikonsolidasikan.")
    return None


def _version_problem(version: str) -> str | None:
    current = load_catalogue().versi_templat
    if version.split(".")[0] == current.split(".")[0] and version.strip():
        return None
    shown = version.strip() or "(kosong)"
    return Reason("versi_templat",
                  f"Versi templat '{shown}' tidak didukung; konsolidasi ini membaca templat "
                  f"versi {current.split('.')[0]}.x. Pindahkan datanya ke templat terbaru "
                  "(spm-xl templat).")


def _majority_period(candidates: Sequence[FileReport], own: FileReport | None) -> Period | None:
    """The (year, quarter) most files report; ties go to the province's own, then the latest."""
    periods = [(r.identity.tahun, r.identity.triwulan) for r in [*candidates, *([own] if own
               else [])] if r.identity is not None]
    if not periods:
        return None
    votes = Counter(periods)
    top = max(votes.values())
    tied = [p for p, n in votes.items() if n == top]
    if own is not None and own.identity is not None:
        mine = (own.identity.tahun, own.identity.triwulan)
        if mine in tied:
            return mine
    return max(tied)


def _period_reason(r: FileReport, period: Period | None) -> str:
    assert r.identity is not None and period is not None
    mine = f"tahun {r.identity.tahun} triwulan {_roman(r.identity.triwulan)}"
    theirs = f"tahun {period[0]} triwulan {_roman(period[1])}"
    return Reason("periode_beda",
                  f"Periode laporan berkas ini ({mine}) berbeda dengan periode sebagian besar "
                  f"berkas ({theirs}).")


def _roman(q: int) -> str:
    return labels.QUARTER_ROMAN[q - 1] if 1 <= q <= 4 else str(q)


def _same(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
