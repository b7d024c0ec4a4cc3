"""What the two buttons do, on the open workbook: the CLI's pipeline, Excel's reads and writes.

Reading goes through ``XlwingsSource`` into the same ``read_source`` as the file path, the
checks and engine are ``pipeline.evaluate``, the output sheets are the same
``book.outputs`` renderings; only where cells come from and go to differs (``spm_xl_excel.xl``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import xlsxwriter

from spm_xl import labels
from spm_xl.book.outputs import render_outputs, render_pemeriksaan
from spm_xl.book.splice import Render
from spm_xl.catalogue import load_catalogue
from spm_xl.pipeline import Evaluation, evaluate, stamp

from . import highlight, xl
from .source import read_book
from .write import write_output_sheets

if TYPE_CHECKING:
    import xlwings as xw


@dataclass(frozen=True, slots=True)
class Run:
    evaluation: Evaluation
    sheets: list[str]  # output sheets written
    highlights: highlight.Outcome


def check(book: xw.Book) -> Run:
    """Periksa Data: findings, highlights and the Pemeriksaan sheet; no figures computed.

    The Pemeriksaan sheet is rewritten now, so a finding that it is stale would be false.
    """
    progress = _progress(book)
    ev = evaluate(read_book(book, progress))
    findings = [f for f in ev.findings
                if not (f.kode == "hasil_usang" and f.sheet == labels.PEMERIKSAAN)]
    ev = dataclasses.replace(ev, findings=findings)
    st = stamp(ev.sidik, ev.data.identity.kode)

    def render(wb: xlsxwriter.Workbook) -> None:
        render_pemeriksaan(wb, ev.data.identity, ev.findings, st)

    return _finish(book, ev, render, progress)


def recompute(book: xw.Book) -> Run:
    """Hitung Ulang: what ``spm-xl hitung`` does, into the open workbook."""
    progress = _progress(book)
    data = read_book(book, progress)
    progress("menghitung")
    ev = evaluate(data, report_stale=False)
    st = stamp(ev.sidik, ev.data.identity.kode)
    cat = load_catalogue()

    def render(wb: xlsxwriter.Workbook) -> None:
        render_outputs(wb, identity=ev.data.identity, result=ev.result, findings=ev.findings,
                       stamp=st, catalogue=cat, narasi=ev.data.narasi)

    return _finish(book, ev, render, progress)


def _progress(book: xw.Book) -> Callable[[str], None]:
    """Progress in Excel's status bar: the screen is frozen, so it is all the admin sees."""
    return lambda text: xl.status(book, f"SPM-XL: {text}...")


def _finish(book: xw.Book, ev: Evaluation, render: Render,
            progress: Callable[[str], None]) -> Run:
    active = xl.active_sheet(book)
    sheets = write_output_sheets(book, render, progress)
    progress("mewarnai sel yang bermasalah")
    outcome = highlight.update(book, ev.findings)
    if active in xl.sheet_names(book):
        xl.activate_sheet(book, active)  # a copied or added sheet takes the focus
    return Run(ev, sheets, outcome)
