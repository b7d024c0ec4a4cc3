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
from .fingerprint import fingerprint, fingerprints
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
    if quarter is not None and quarter != data.identity.triwulan:
        data.findings.append(quarter_override(data.identity.triwulan, quarter))
        data.identity = dataclasses.replace(data.identity, triwulan=quarter)
    # comparing stamps needs the fingerprint; a workbook never computed has none to compare
    sidiks = fingerprints(data) if report_stale and data.stamps else None
    sidik = sidiks[data.identity.triwulan] if sidiks else None
    findings = sort_findings(check_workbook(data, sidiks))
    level = load_catalogue().services(data.identity.tingkat)
    services = [data.services[s.kode] for s in level if s.kode in data.services]
    result = compute(services, data.prices, data.budgets, data.settings)
    ev = Evaluation(data, findings, result)
    if sidik is not None:
        ev.__dict__["sidik"] = sidik  # already computed: keep it for the stamp
    return ev


def quarter_override(own: int, quarter: int) -> Finding:
    """Said once when ``--triwulan`` differs from Identitas (the stamp records ``quarter``)."""
    from . import labels
    from .quarters import roman

    was = roman(own) if 1 <= own <= 4 else str(own)
    return Finding("info", "triwulan_diganti",
                   f"Dihitung untuk Triwulan {roman(quarter)} (--triwulan), sedangkan sheet "
                   f"{labels.IDENTITAS} menyebut Triwulan {was}; hasil bertanda Triwulan "
                   f"{roman(quarter)}. Ubah Triwulan di {labels.IDENTITAS} bila itu yang benar.",
                   labels.IDENTITAS)


def stamp(sidik: str, kode: str = "") -> Stamp:
    """Version, time in the region's zone (WIB/WITA/WIT, from ``kode``) and fingerprint."""
    from .waktu import indonesian_time

    return Stamp(f"spm-xl {__version__}", indonesian_time(datetime.now().astimezone(), kode),
                 sidik)


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
    st = stamp(ev.sidik, ev.data.identity.kode)
    cat = load_catalogue()

    def render(wb: Workbook) -> None:
        render_outputs(wb, identity=ev.data.identity, result=ev.result,
                       findings=ev.findings, stamp=st, catalogue=cat, narasi=ev.data.narasi)

    atomic_write(target, lambda tmp: write_output_sheets(path, tmp, render),
                 backup=target.exists())
    return ev, target
