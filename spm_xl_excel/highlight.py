"""Colouring the offending input cells, and taking the previous run's colours off (SPEC 3).

The only change the buttons make to input sheets is a cell's fill colour. What was coloured,
and the fill it had before, is kept on a hidden sheet (``BOOK_SHEET``), not in a defined
name (whose formula text is limited to 8,192 characters, some hundred cells) and never in an
input cell. On the next run a cell that no longer has a finding gets its own fill back; one
whose colour the admin changed meanwhile is left as the admin made it. Only errors and
warnings are coloured: an info finding (for example a missing NIK, which is allowed) is not
something to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spm_xl import labels
from spm_xl.findings import Finding, Severity

from . import xl
from .xl import Rgb

if TYPE_CHECKING:
    import xlwings as xw

BOOK_SHEET = "spm-xl sorotan"
NOTE = ("Catatan spm-xl: sel yang diwarnai tombol Periksa Data / Hitung Ulang dan warna "
        "aslinya, untuk dikembalikan pada klik berikutnya. Jangan diubah.")
HEADER = ["Sheet", "Sel", "Warna Asli", "Warna Sorot"]
#: Excel's own "Bad" and "Neutral" cell-style fills
COLOURS: dict[Severity, Rgb] = {"galat": (255, 199, 206), "peringatan": (255, 235, 156)}
#: cells coloured per run at most (each costs two calls into Excel); the rest are listed only
MAX_CELLS = 2000

_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")


@dataclass(frozen=True, slots=True)
class Mark:
    sheet: str
    cell: str
    original: Rgb | None
    colour: Rgb


@dataclass(frozen=True, slots=True)
class Outcome:
    coloured: int  # cells carrying a highlight after this run
    cleared: int  # highlights of the previous run taken off
    failed: int  # cells Excel refused to colour (a locked sheet)
    capped: bool  # more cells had findings than MAX_CELLS


def wanted_cells(findings: Iterable[Finding],
                 sheets: list[str]) -> tuple[dict[tuple[str, str], Rgb], bool]:
    """(sheet, cell) -> colour for each error/warning on an input sheet; errors win.

    Sheet names are the book's own spelling; a range finding colours its first cell.
    """
    actual = {name.casefold(): name for name in sheets}
    skip = {n.casefold() for n in (*labels.OUTPUT_SHEETS, BOOK_SHEET)}
    out: dict[tuple[str, str], Rgb] = {}
    capped = False
    for f in sorted(findings, key=lambda f: f.tingkat != "galat"):
        colour = COLOURS.get(f.tingkat)
        sheet = actual.get((f.sheet or "").casefold())
        m = _CELL.match(f.sel or "")
        if colour is None or sheet is None or m is None or sheet.casefold() in skip:
            continue
        key = (sheet, m.group(1) + m.group(2))
        if key in out:
            continue
        if len(out) >= MAX_CELLS:
            capped = True
            break
        out[key] = colour
    return out, capped


def update(book: xw.Book, findings: Iterable[Finding]) -> Outcome:
    """Take off the previous highlights that no longer apply, colour the new ones."""
    names = xl.sheet_names(book)
    wanted, capped = wanted_cells(findings, names)
    actual = {n.casefold(): n for n in names}
    kept: list[Mark] = []
    cleared = failed = 0
    for mark in _read_marks(book, names):
        sheet = actual.get(mark.sheet.casefold())
        if sheet is None:
            continue  # the sheet is gone
        key = (sheet, mark.cell)
        try:
            if xl.fill(book, sheet, mark.cell) != mark.colour:
                continue  # recoloured by the admin since: theirs now
            colour = wanted.pop(key, None)
            if colour is None:
                xl.set_fill(book, sheet, mark.cell, mark.original)
                cleared += 1
                continue
            if colour != mark.colour:
                xl.set_fill(book, sheet, mark.cell, colour)
            kept.append(Mark(sheet, mark.cell, mark.original, colour))
        except Exception:  # a locked sheet: leave that cell alone
            failed += 1
    for (sheet, cell), colour in wanted.items():
        try:
            original = xl.fill(book, sheet, cell)
            xl.set_fill(book, sheet, cell, colour)
        except Exception:  # a locked sheet: the cell stays uncoloured
            failed += 1
            continue
        kept.append(Mark(sheet, cell, original, colour))
    _write_marks(book, names, kept)
    return Outcome(len(kept), cleared, failed, capped)


def _read_marks(book: xw.Book, names: list[str]) -> list[Mark]:
    if BOOK_SHEET not in names:
        return []
    rows, cols = xl.used_extent(book, BOOK_SHEET)
    grid = xl.values(book, BOOK_SHEET, rows, max(cols, len(HEADER)))
    marks: dict[tuple[str, str], Mark] = {}
    for row in grid[2:]:
        sheet, cell, original, colour = (_text(v) for v in row[:4])
        m = _CELL.fullmatch(cell)
        ours = _rgb(colour)
        if sheet and m and ours is not None:
            ref = m.group(1) + m.group(2)
            marks.setdefault((sheet.casefold(), ref), Mark(sheet, ref, _rgb(original), ours))
    return list(marks.values())


def _write_marks(book: xw.Book, names: list[str], marks: list[Mark]) -> None:
    if BOOK_SHEET not in names:
        if not marks:
            return
        xl.add_hidden_sheet(book, BOOK_SHEET, after=names[-1])
    # a leading apostrophe keeps a sheet name such as "=Data" text; _text drops it again
    rows: list[list[object]] = [[NOTE, "", "", ""], list(HEADER)]
    rows += [["'" + m.sheet, m.cell, _hex(m.original), _hex(m.colour)] for m in marks]
    xl.replace_values(book, BOOK_SHEET, rows)


def _text(value: object) -> str:
    text = value if isinstance(value, str) else ""
    return text[1:] if text.startswith("'") else text


def _hex(rgb: Rgb | None) -> str:
    return "" if rgb is None else "#{:02X}{:02X}{:02X}".format(*rgb)


def _rgb(text: str) -> Rgb | None:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", text):
        return None
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
