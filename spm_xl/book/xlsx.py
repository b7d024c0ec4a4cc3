"""The one way spm-xl opens an XlsxWriter workbook: every string stays plain text.

Three guards, each against data an admin typed (or a hostile file carries):
- ``strings_to_formulas`` / ``strings_to_urls`` / ``strings_to_numbers`` off, so
  ``=HYPERLINK(...)`` or ``+cmd|...`` is written as text, never as a formula or a link;
- a string shaped ``<r>...</r>`` is what XlsxWriter takes for ready-made rich-text XML and
  writes unescaped (in its shared-string table and in constant-memory inline strings), so
  such text would inject XML into our output; it gets a leading space and stays text.
"""

from __future__ import annotations

from typing import IO, Any, Literal

from xlsxwriter.format import Format
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


class TextWorkbook(Workbook):  # type: ignore[misc]
    worksheet_class = TextWorksheet


def new_workbook(target: str | IO[bytes], **options: Any) -> TextWorkbook:
    """An XlsxWriter workbook with the text guards on; ``options`` add to them."""
    return TextWorkbook(target, {**TEXT_ONLY, **options})
