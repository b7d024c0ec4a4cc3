"""The one way spm-xl opens an XlsxWriter workbook: every string stays plain text.

Three guards, each against data an admin typed (or a hostile file carries):
- ``strings_to_formulas`` / ``strings_to_urls`` / ``strings_to_numbers`` off, so
  ``=HYPERLINK(...)`` or ``+cmd|...`` is written as text, never as a formula or a link;
- a string shaped ``<r>...</r>`` is what XlsxWriter takes for ready-made rich-text XML and
  writes unescaped (in its shared-string table and in constant-memory inline strings), so
  such text would inject XML into our output; it gets a leading space and stays text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import IO, Any, Literal

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False}


def plain_text(value: str) -> str:
    """``value`` unless XlsxWriter would write it as raw rich-text XML."""
    if value.startswith("<r>") and value.endswith("</r>"):
        return " " + value
    return value


class TextWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose every string cell goes through ``plain_text``."""

    def _write_string(self, row: int, col: int, string: str,
                      cell_format: Format | None = None) -> Literal[0, -1, -2]:
        result: Literal[0, -1, -2] = super()._write_string(row, col, plain_text(string),
                                                            cell_format)
        return result


#: what XlsxWriter rewrites in an inline string: control characters and its own escapes
_CONTROL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f]")
_EDGE_SPACE = re.compile(r"^\s|\s$")
#: a string with none of these is written as it is (no escape, no xml:space, not rich text)
_SPECIAL = re.compile(r"[\x00-\x1f&<>\"]|_x|^\s|\s$")
_STRMAX = 32767 // 2  # characters surely under Excel's 32,767 UTF-16 units
#: one row's cells: column, a string or a finite number, and the cell's format
Cell = tuple[int, str | int | float, Format]


class FastRowWorksheet(TextWorksheet):
    """``write_plain_row``: a long table's row as one piece of XML, in constant memory.

    XlsxWriter's per-cell path (a cell object, dimension checks, attribute lists and three
    regexes per string) was most of the time of the provincial workbook's long sheets;
    here a row costs one string join. The XML is what XlsxWriter writes for the same cells
    (same formats, inline strings, escapes); anything unusual takes its ordinary path.
    """

    def write_plain_row(self, row: int, cells: Sequence[Cell]) -> None:
        xml = None
        if self._row_free(row) and cells:
            # the previous row goes out first: its formats get their numbers before ours
            self._write_single_row(row)
            xml = self._row_xml(row, cells)
        if xml is None:
            for col, value, fmt in cells:
                if isinstance(value, str):
                    self.write_string(row, col, value, fmt)
                else:
                    self.write_number(row, col, value, fmt)
            return
        self._check_dimensions(row, cells[0][0])
        self._check_dimensions(row, cells[-1][0])
        self._write_row(row, None)
        self.fh.write(xml)
        self._xml_end_tag("row")

    def _row_free(self, row: int) -> bool:
        """Constant memory, below every row begun, nothing else attached to the row."""
        return bool(self.constant_memory and self.previous_row < row < self.xls_rowmax
                    and row not in self.row_info and row not in self.comments)

    def _row_xml(self, row: int, cells: Sequence[Cell]) -> str | None:
        """The row's cells as XlsxWriter writes them, or None when one is not plain."""
        n = row + 1
        parts = []
        last = -1
        for col, value, fmt in cells:
            if col <= last or col >= self.xls_colmax or fmt is None:
                return None
            last = col
            ref = f'<c r="{_col_name(col)}{n}" s="{fmt._get_xf_index()}"'
            if type(value) is str:
                if len(value) > _STRMAX:
                    return None
                text = self._escaped(value) if _SPECIAL.search(value) else ">" + value
                parts.append(f'{ref} t="inlineStr"><is><t{text}</t></is></c>')
            elif type(value) is int or (type(value) is float and math.isfinite(value)):
                parts.append(f"{ref}><v>{value:.16G}</v></c>")
            else:
                return None
        return "".join(parts)

    def _escaped(self, value: str) -> str:
        """``>`` plus the text, or the xml:space attribute and the text, escaped as XlsxWriter
        would (its _escape_control_characters and _escape_data)."""
        text = plain_text(value)
        if _CONTROL.search(text):
            text = self._escape_control_characters(text)
        space = ' xml:space="preserve">' if _EDGE_SPACE.search(text) else ">"
        return space + str(self._escape_data(text))


_COLUMN_NAMES: dict[int, str] = {}


def _col_name(col: int) -> str:
    name = _COLUMN_NAMES.get(col)
    if name is None:
        name = _COLUMN_NAMES[col] = xl_col_to_name(col)
    return name


class TextWorkbook(Workbook):  # type: ignore[misc]
    worksheet_class = FastRowWorksheet


def new_workbook(target: str | IO[bytes], **options: Any) -> TextWorkbook:
    """An XlsxWriter workbook with the text guards on; ``options`` add to them."""
    return TextWorkbook(target, {**TEXT_ONLY, **options})
