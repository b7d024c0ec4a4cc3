"""The one path every front end takes: records -> checks + engine -> results.

The CLI, the Excel buttons and the consolidation all call ``evaluate``; only where the
records come from and where the output sheets go differ.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .catalogue import load_catalogue
from .checks import check_workbook
from .engine import RegionResult, compute
from .findings import Finding, sort_findings
from .fingerprint import fingerprint
from .records import Stamp, WorkbookData

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook


@dataclass(frozen=True)
class Evaluation:
    data: WorkbookData
    findings: list[Finding]
    result: RegionResult

    @cached_property
    def sidik(self) -> str:
        """The input fingerprint, computed only when a stamp is written or compared."""
        return fingerprint(self.data)


def evaluate(data: WorkbookData, *, quarter: int | None = None,
             report_stale: bool = True) -> Evaluation:
    """Check and compute one workbook's records.

    ``quarter`` overrides the reported quarter of the Identitas sheet; ``report_stale``
    adds a finding per output sheet computed from other inputs (off when we are about to
    replace those sheets anyway).
    """
    if quarter is not None:
        data.identity = dataclasses.replace(data.identity, triwulan=quarter)
    # comparing stamps needs the fingerprint; a workbook never computed has none to compare
    sidik = fingerprint(data) if report_stale and data.stamps else None
    findings = sort_findings(check_workbook(data, sidik))
    level = load_catalogue().services(data.identity.tingkat)
    services = [data.services[s.kode] for s in level if s.kode in data.services]
    result = compute(services, data.prices, data.budgets, data.settings)
    ev = Evaluation(data, findings, result)
    if sidik is not None:
        ev.__dict__["sidik"] = sidik  # already computed: keep it for the stamp
    return ev


def stamp(sidik: str) -> Stamp:
    return Stamp(f"spm-xl {__version__}",
                 datetime.now().astimezone().isoformat(timespec="seconds"), sidik)


def compute_file(path: Path, out: Path | None = None, *,
                 quarter: int | None = None) -> tuple[Evaluation, Path]:
    """Read, check, compute and write the output sheets into ``out`` (default: ``path``).

    Writing goes to a temporary file that atomically replaces the target; when the target
    already exists its previous version is kept as a backup. Input sheets are copied
    byte-identical (see ``book.splice``).
    """
    from .book.atomic import atomic_write
    from .book.outputs import render_outputs
    from .book.reader import read_workbook
    from .book.splice import write_output_sheets

    ev = evaluate(read_workbook(path), quarter=quarter, report_stale=False)
    target = out or path
    st = stamp(ev.sidik)
    cat = load_catalogue()

    def render(wb: Workbook) -> None:
        render_outputs(wb, identity=ev.data.identity, result=ev.result,
                       findings=ev.findings, stamp=st, catalogue=cat, narasi=ev.data.narasi)

    atomic_write(target, lambda tmp: write_output_sheets(path, tmp, render),
                 backup=target.exists())
    return ev, target
