"""``spm-xl impor``: append the people of a recipient list to one service sheet.

Imported people get no item marked: being on DTKS/DTSEN does not make someone eligible, so
they are candidates until an assessment marks what they need. People already in the sheet
(same NIK, or same name and birth date when there is no NIK) are not added again, so
importing the same list twice adds nobody. Every source row gets an outcome: added, already
present, or skipped with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import labels
from ..book.append import CellValue, append_rows
from ..book.atomic import atomic_write, file_lock
from ..book.cells import display_value, parse_date, parse_text
from ..book.reader import read_workbook
from ..book.safe import column_letters, column_number
from ..checks import SEX_TEXT
from ..findings import UnusableWorkbook
from ..nik import check_nik, clean, mask_nik, sixteen_digits
from ..records import ServiceRows
from .lists import ListGrid, read_list
from .mapping import ColumnMapping, choose_mapping, parse_overrides

ADDED, PRESENT, SKIPPED = "ditambahkan", "sudah_ada", "dilewati"
DATE_LABELS = (labels.D_LAHIR, labels.D_ASESMEN, labels.D_TGL_KEJADIAN)
NUMBER_LABELS = (labels.D_NIK, labels.D_KK)
CANDIDATE_NOTE = ("Orang yang diimpor belum ditandai barang/jasa apa pun: mereka calon penerima "
                  "sampai asesmen menandai kebutuhannya (terdaftar di DTKS/DTSEN belum berarti "
                  "berhak). Tandai Butuh pada item yang dibutuhkan setelah asesmen.")

#: what the workbook itself accepts (checks.SEX_TEXT), plus the codes outside lists use
_SEX = {**{text.casefold(): sex for text, sex in SEX_TEXT.items()},
        **dict.fromkeys(("lk", "lakilaki", "1", "male", "m"), "L"),
        **dict.fromkeys(("pr", "2", "female", "f", "w"), "P")}


@dataclass(slots=True)
class RowOutcome:
    """What happened to one row of the list (1-based row number in the list)."""
    baris: int
    hasil: str  # ADDED, PRESENT or SKIPPED
    alasan: str = ""
    baris_buku: int | None = None  # the sheet row written, or the row already holding them
    nik: str = ""  # masked

    def as_json(self) -> dict[str, object]:
        return {"baris": self.baris, "hasil": self.hasil, "alasan": self.alasan,
                "baris_buku": self.baris_buku, "nik": self.nik}


@dataclass(slots=True)
class ImportResult:
    buku: Path
    keluaran: Path
    layanan: str
    sheet: str
    daftar: str
    dibaca: str  # how the list was read
    mapping: ColumnMapping
    outcomes: list[RowOutcome] = field(default_factory=list)
    backup: Path | None = None

    def count(self, hasil: str) -> int:
        return sum(o.hasil == hasil for o in self.outcomes)

    def mapping_text(self) -> dict[str, str]:
        return {label: self.mapping.source(label) for label in self.mapping.columns}

    def as_json(self) -> dict[str, object]:
        return {
            "buku": str(self.buku),
            "keluaran": str(self.keluaran) if self.count(ADDED) else None,
            "layanan": self.layanan,
            "sheet": self.sheet, "daftar": self.daftar, "dibaca": self.dibaca,
            "format_dtks": self.mapping.dtks,
            "baris_judul": None if self.mapping.header_row is None
            else self.mapping.header_row + 1,
            "pemetaan": self.mapping_text(),
            "digabung_ke_alamat": [h for h, _ in self.mapping.address_parts],
            "kolom_dibuang": self.mapping.dropped,
            "ditambahkan": self.count(ADDED), "sudah_ada": self.count(PRESENT),
            "dilewati": self.count(SKIPPED),
            "baris": [o.as_json() for o in self.outcomes],
            "cadangan": None if self.backup is None else str(self.backup),
        }


def import_list(book: Path, daftar: Path, layanan: str, out: Path | None = None, *,
                kolom: Sequence[str] = (),
                announce: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import ``daftar`` into ``layanan``'s sheet of ``book``, written to ``out`` or ``book``.

    ``announce`` sees the chosen mapping before anything is written (the CLI prints it).
    """
    target = out or book
    if target.suffix.lower() != book.suffix.lower():
        raise UnusableWorkbook(f"Berkas keluaran {target.name} harus berakhiran "
                               f"{book.suffix.lower()} seperti buku kerja masukan.")
    if out is not None and daftar.resolve() == out.resolve():
        raise UnusableWorkbook("Daftar dan berkas keluaran harus berkas yang berbeda.")
    if not target.parent.is_dir():
        raise UnusableWorkbook(f"Folder {target.parent} tidak ada; berkas {target.name} "
                               "tidak dapat ditulis.")
    # one lock over reading the sheet and writing the rows: another run cannot slip in between
    with file_lock(target):
        return _import(book, daftar, layanan, target, kolom, announce)


def _import(book: Path, daftar: Path, layanan: str, target: Path, kolom: Sequence[str],
            announce: Callable[[ImportResult], None] | None) -> ImportResult:
    data = read_workbook(book)
    code = layanan.strip().upper()
    rows = data.services.get(code)
    if rows is None:
        raise UnusableWorkbook(
            f"Layanan {code} tidak ada di buku kerja {book.name} (tingkat "
            f"{labels.TINGKAT_TEXT[data.identity.tingkat]}); pilih salah satu dari "
            f"{', '.join(data.services)}.")
    columns = {label: _col_index(letters) for label, letters in rows.columns.items()}
    items = _item_labels(code)
    wanted = [label for label in columns if label != labels.D_NO and label not in items]
    grid = read_list(daftar)
    mapping = choose_mapping(grid.rows, wanted, daftar.name, parse_overrides(kolom, wanted),
                             grid.delimiter)
    result = ImportResult(book, target, code, rows.sheet, daftar.name, _read_text(grid),
                          mapping)
    new_rows = _convert(grid, mapping, rows, data.identity.tahun, result)
    if announce is not None:
        announce(result)
    if not new_rows:
        return result
    first_no = _next_no(rows)
    for k, row in enumerate(new_rows):
        if labels.D_NO in columns:
            row[labels.D_NO] = first_no + k

    def produce(tmp: Path) -> None:
        where = append_rows(book, tmp, rows.sheet, columns, new_rows)
        added = [o for o in result.outcomes if o.hasil == ADDED]
        for k, o in enumerate(added):
            o.baris_buku = where.first + k

    result.backup = atomic_write(target, produce, backup=target.exists(), lock=False)
    return result


def _read_text(grid: ListGrid) -> str:
    return f"{grid.kind}, {grid.detail}"


def _item_labels(code: str) -> set[str]:
    from ..catalogue import load_catalogue

    return {i.label for i in load_catalogue().items(code)}


def _col_index(letters: str) -> int:
    return column_number(letters) - 1


def _next_no(rows: ServiceRows) -> int:
    numbers = [int(v) for v in rows.person.get(labels.D_NO, [])
               if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v)]
    return max(max(numbers, default=0), len(rows.rows)) + 1


def _name_key(name: object, born: object) -> tuple[str, date] | None:
    if not isinstance(name, str) or not name.strip() or not isinstance(born, date):
        return None
    return " ".join(name.split()).casefold(), born


def _existing(rows: ServiceRows) -> tuple[dict[str, int], dict[tuple[str, date], int]]:
    """Who is in the sheet already: NIK -> row, (name, birth date) -> row."""
    by_nik: dict[str, int] = {}
    by_name: dict[tuple[str, date], int] = {}
    empty: list[object] = [None] * len(rows.rows)
    niks = rows.person.get(labels.D_NIK, empty)
    names = rows.person.get(labels.D_NAMA, empty)
    born = rows.person.get(labels.D_LAHIR, empty)
    for i, excel_row in enumerate(rows.rows):
        text, _ = clean(niks[i])
        if text:
            by_nik.setdefault(text, excel_row)
        key = _name_key(names[i], born[i])
        if key is not None:
            by_name.setdefault(key, excel_row)
    return by_nik, by_name


def _convert(grid: ListGrid, mapping: ColumnMapping, rows: ServiceRows, year: int,
             result: ImportResult) -> list[dict[str, CellValue]]:
    """The rows to append, in list order; an outcome for every non-empty list row."""
    by_nik, by_name = _existing(rows)
    start = 0 if mapping.header_row is None else mapping.header_row + 1
    cols = mapping.columns
    out: list[dict[str, CellValue]] = []
    added_nik: dict[str, int] = {}
    added_name: dict[tuple[str, date], int] = {}
    width = max(cols.values(), default=-1) + 1
    fields = [(label, c, _kind(label)) for label, c in cols.items()
              if label not in (labels.D_NIK, labels.D_KK)]
    nik_col, kk_col = cols.get(labels.D_NIK), cols.get(labels.D_KK)
    for r in range(start, len(grid.rows)):
        raw = grid.rows[r]
        if _blank(raw):
            continue
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        line = r + 1
        notes: list[str] = []
        raw_nik = None if nik_col is None or raw[nik_col] == "" else raw[nik_col]
        nik, problem = clean(raw_nik)
        if problem is not None:
            ref = _ref(mapping, labels.D_NIK, line)
            result.outcomes.append(RowOutcome(line, SKIPPED, f"{ref}: {problem[2]} Perbaiki "
                                              "daftar lalu impor lagi.",
                                              nik=display_value(raw_nik)))
            continue
        if nik is not None and not sixteen_digits(nik):
            _, problems = check_nik(nik, year)
            notes += [p[2] for p in problems if p[0] == "galat"]
        values = _values(raw, fields, notes)
        if nik:
            values[labels.D_NIK] = nik
        kk, kk_problem = clean(None if kk_col is None or raw[kk_col] == "" else raw[kk_col])
        if kk_problem is not None:
            notes.append(f"No KK tidak diimpor: {kk_problem[2]}")
        elif kk:
            values[labels.D_KK] = kk
        if mapping.address_parts:
            extra = [f"{part} {text}" for part, c in mapping.address_parts
                     if c < len(raw) and (text := parse_text(raw[c] or None))]
            if extra:
                base = str(values.get(labels.D_ALAMAT, ""))
                values[labels.D_ALAMAT] = ", ".join([base, *extra] if base else extra)
        name_key = _name_key(values.get(labels.D_NAMA), values.get(labels.D_LAHIR))
        shown = mask_nik(nik) if nik else ""
        if nik:
            where = by_nik.get(nik)
            if where is not None:
                result.outcomes.append(RowOutcome(line, PRESENT, f"NIK {shown} sudah ada di "
                                                  f"sheet {rows.sheet} baris {where}.", where,
                                                  shown))
                continue
            if nik in added_nik:
                result.outcomes.append(RowOutcome(line, PRESENT, f"NIK {shown} sama dengan "
                                                  f"baris {added_nik[nik]} daftar ini.",
                                                  nik=shown))
                continue
        elif name_key is not None:
            where = by_name.get(name_key)
            if where is not None:
                result.outcomes.append(RowOutcome(
                    line, PRESENT, f"Tanpa NIK; nama dan tanggal lahir sama dengan sheet "
                    f"{rows.sheet} baris {where}.", where))
                continue
            if name_key in added_name:
                result.outcomes.append(RowOutcome(
                    line, PRESENT, f"Tanpa NIK; nama dan tanggal lahir sama dengan baris "
                    f"{added_name[name_key]} daftar ini."))
                continue
        else:
            result.outcomes.append(RowOutcome(
                line, SKIPPED, "Tanpa identitas yang dapat dipakai: NIK kosong dan nama atau "
                "tanggal lahir tidak lengkap. Lengkapi daftar lalu impor lagi."))
            continue
        if nik:
            added_nik[nik] = line
        if name_key is not None:
            added_name.setdefault(name_key, line)
        result.outcomes.append(RowOutcome(line, ADDED, "; ".join(notes), nik=shown))
        out.append(values)
    return out


_TEXT, _DATE, _SEX_KIND = 0, 1, 2


def _kind(label: str) -> int:
    return _DATE if label in DATE_LABELS else _SEX_KIND if label == labels.D_JK else _TEXT


def _blank(raw: list[object]) -> bool:
    """Nothing but empty or whitespace cells (a text list's rows are all strings)."""
    try:
        return not "".join(raw).strip()  # type: ignore[arg-type]
    except TypeError:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in raw)


def _values(raw: list[object], fields: list[tuple[str, int, int]],
            notes: list[str]) -> dict[str, CellValue]:
    """One list row's values by workbook label (NIK and No KK apart)."""
    values: dict[str, CellValue] = {}
    for label, c, kind in fields:
        v = raw[c]
        if v is None or v == "":
            continue
        if kind == _TEXT:
            text = v.strip() if type(v) is str else parse_text(v)
            if text:
                values[label] = text
        elif kind == _DATE:
            parsed, error = parse_date(v)
            if parsed is not None:
                values[label] = parsed
            elif error is not None:
                text = parse_text(v)
                if text:
                    values[label] = text
                notes.append(f"{label}: {error}")
        else:
            text = parse_text(v) or ""
            values[label] = _SEX.get(text.casefold(), text)
    return values


def _ref(mapping: ColumnMapping, label: str, line: int) -> str:
    return f"Sel {column_letters(mapping.columns[label] + 1)}{line}"
