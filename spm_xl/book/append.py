"""Append rows to one input sheet of an admin's workbook, touching nothing else (SPEC 7).

``spm-xl impor`` is the one command that writes into an input sheet. It must not cost the
admin anything openpyxl would drop on load-and-save, so the rows are spliced into that
sheet's XML part as text: every other zip member is copied as raw bytes (``zipcopy``),
``sharedStrings.xml`` is left alone (the new cells hold inline strings), and the sheet's
drop-downs, protection, frozen panes and column formats stay exactly as they were, because
only ``<sheetData>`` gains rows and ``<dimension>`` grows to cover them.

Each new cell takes the style of its column (``<col style=...>``), which in the template
is the Text format for NIK and No KK and the date format for the date columns. Text is
written as an inline string, so ``=HYPERLINK(...)`` stays text and a NIK never becomes a
number.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from ..findings import UnusableWorkbook
from . import opc
from .opc import Package
from .safe import column_letters, column_number
from .splice import workbook_sheets
from .zipcopy import rewrite_zip

#: what one new cell holds: text, a whole number (the No column) or a real date
CellValue = str | int | date
_EXCEL_EPOCH = date(1899, 12, 30)
#: characters XML 1.0 cannot carry at all; Excel would refuse the file
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel reads _xHHHH_ inside a string as an escaped character; escape the underscore
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
#: anything that needs escaping or removing (most names and addresses need nothing)
_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
#: leading or trailing whitespace of a value inside a newline-joined column
_EDGE_SPACE = re.compile(r"(?:^|\n)[^\S\n]|[^\S\n](?:\n|$)")
_ROW_START = re.compile(r'<(?:[\w.-]+:)?row\b[^>]*?\br="(\d+)"')


@dataclass(frozen=True, slots=True)
class Appended:
    """Where the rows went: Excel row numbers of the first and last new row."""
    first: int
    last: int


def sheet_part(zf: zipfile.ZipFile, label: str, sheet: str) -> str:
    """The zip member holding the worksheet named ``sheet`` (case-insensitive)."""
    pkg = Package(zf, label)
    wb_part = pkg.main_part()
    for s in workbook_sheets(pkg, wb_part, pkg.text(wb_part)):
        if s.name.casefold() == sheet.casefold() and s.part is not None:
            return s.part
    raise UnusableWorkbook(f"Sheet '{sheet}' tidak ada di berkas {label}.", sheet=sheet)


def append_rows(src: Path, dst: Path, sheet: str, columns: Mapping[str, int],
                rows: Sequence[Mapping[str, CellValue]]) -> Appended:
    """Write ``src`` to ``dst`` with ``rows`` ({label: value}) appended below ``sheet``'s data.

    ``columns`` maps a label to its 0-based column. Only the sheet's part differs in ``dst``.
    """
    with zipfile.ZipFile(src) as zf:
        part = sheet_part(zf, src.name, sheet)
        try:
            xml = zf.read(part).decode("utf-8")
        except (UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            raise UnusableWorkbook(f"Sheet '{sheet}' di berkas {src.name} tidak dapat "
                                   "dibaca; simpan ulang berkas di Excel.", sheet=sheet) from exc
    new_xml, where = add_rows(xml, columns, rows)
    rewrite_zip(src, dst, {part: new_xml.encode("utf-8")}, set(), {})
    return where


def add_rows(xml: str, columns: Mapping[str, int],
             rows: Sequence[Mapping[str, CellValue]]) -> tuple[str, Appended]:
    """The sheet XML with ``rows`` appended after its last ``<row>``."""
    p = opc.prefix_of(xml, "worksheet")
    close = f"</{p}sheetData>"
    empty = re.search(rf"<{re.escape(p)}sheetData\s*/>", xml)
    end = xml.find(close)
    if end < 0 and empty is None:
        raise UnusableWorkbook("Lembar tujuan tidak berisi bagian data (sheetData).")
    body = xml[:end] if end >= 0 else ""
    last = max((int(m.group(1)) for m in _ROW_START.finditer(body)), default=0)
    styles = _column_styles(xml, p)
    first = last + 1
    # per column: label, the start of its cell tag, its style attribute
    layout = [(label, f'<{p}c r="{column_letters(col + 1)}',
               f' s="{styles[col]}"' if styles.get(col) else "")
              for label, col in sorted(columns.items(), key=lambda kv: kv[1])]
    numbers = [str(first + i) for i in range(len(rows))]
    columns_xml = [_column_cells(start, s, p, numbers, [row.get(label) for row in rows])
                   for label, start, s in layout]
    parts = [f'<{p}row r="{r}">{"".join(cells)}</{p}row>'
             for r, cells in zip(numbers, zip(*columns_xml, strict=True), strict=True)]
    fragment = "".join(parts)
    if end >= 0:
        xml = xml[:end] + fragment + xml[end:]
    else:
        assert empty is not None
        xml = (xml[:empty.start()] + f"<{p}sheetData>{fragment}{close}"
               + xml[empty.end():])
    if rows:
        xml = _grow_dimension(xml, p, first + len(rows) - 1, max(columns.values(), default=0))
    return xml, Appended(first, first + len(rows) - 1)


def _column_cells(start: str, s: str, p: str, numbers: list[str],
                  values: list[CellValue | None]) -> list[str]:
    """The XML of one column's new cells, one per row ("" for an empty cell).

    Built a column at a time: a column of plain text (nearly every column: names, NIKs,
    addresses) needs no escaping, which one search over the joined column proves.
    """
    tail = f"</{p}t></{p}is></{p}c>"
    strings = [v for v in values if type(v) is str]
    joined = "\n".join(strings)
    if (len(strings) == sum(v is not None for v in values)
            and _NEEDS_WORK.search(joined) is None and _EDGE_SPACE.search(joined) is None):
        head = f'"{s} t="inlineStr"><{p}is><{p}t>'
        return [f"{start}{r}{head}{v}{tail}" if v else ""
                for r, v in zip(numbers, values, strict=True)]
    out = []
    for r, v in zip(numbers, values, strict=True):
        if v is None or v == "":
            out.append("")
        elif isinstance(v, str):
            text, space = _text(v)
            out.append(f'{start}{r}"{s} t="inlineStr"><{p}is><{p}t{space}>{text}{tail}')
        elif isinstance(v, date):
            out.append(f'{start}{r}"{s}><{p}v>{(v - _EXCEL_EPOCH).days}</{p}v></{p}c>')
        else:
            out.append(f'{start}{r}"{s}><{p}v>{int(v)}</{p}v></{p}c>')
    return out


def _text(value: str) -> tuple[str, str]:
    """Cell text as XML and its ``xml:space`` attribute; plain text passes through as is."""
    if _NEEDS_WORK.search(value) is not None:
        value = escape(_OOXML_ESCAPE.sub(r"_x005F_\1", _XML_INVALID.sub("", value)))
    if value[:1].isspace() or value[-1:].isspace():
        return value, ' xml:space="preserve"'
    return value, ""


def _column_styles(xml: str, p: str) -> dict[int, int]:
    """0-based column -> the style index its ``<col>`` gives new cells."""
    out: dict[int, int] = {}
    for m in re.finditer(rf"<{re.escape(p)}col\b[^>]*>", xml):
        a = opc.attributes(m.group(0))
        style, lo, hi = a.get("style", ""), a.get("min", ""), a.get("max", "")
        if style.isdigit() and lo.isdigit() and hi.isdigit():
            for c in range(int(lo) - 1, min(int(hi), int(lo) + 200)):
                out.setdefault(c, int(style))
    return out


def _grow_dimension(xml: str, p: str, last_row: int, last_col: int) -> str:
    m = re.search(rf'<{re.escape(p)}dimension\s+ref="([^"]*)"\s*/>', xml)
    if m is None:
        return xml
    ref = m.group(1)
    start, _, stop = ref.partition(":")
    stop = stop or start
    sm = re.fullmatch(r"([A-Z]+)(\d+)", stop)
    col = max(column_number(sm.group(1)) if sm else 0, last_col + 1)
    row = max(int(sm.group(2)) if sm else 0, last_row)
    new = f'<{p}dimension ref="{start or "A1"}:{column_letters(col)}{row}"/>'
    return xml[:m.start()] + new + xml[m.end():]

