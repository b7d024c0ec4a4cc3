"""Quarter awareness: figures after the reported quarter are not results yet.

The engine computes all four quarters from the marks (a TW IV mark counts from TW IV on), so
a TW II report would otherwise show TW III and IV equal to TW II. Every front end (sheets,
JSON, the provincial recap) asks ``reported_only`` which quarters may be shown; later ones
are ``None`` (JSON ``null``) or the word ``belum`` in a sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from . import labels

T = TypeVar("T")

#: what a sheet shows for a quarter after the reported one
BELUM = "belum"


def reported_only(values: Sequence[T], quarter: int) -> list[T | None]:
    """The four quarterly figures with those after ``quarter`` (1-4) replaced by None."""
    return [v if q <= quarter else None for q, v in enumerate(values, start=1)]


def roman(quarter: int) -> str:
    return labels.QUARTER_ROMAN[quarter - 1]


def quarter_argument(text: str) -> int:
    """``--triwulan``: 1-4, I-IV, TW2 or "Triwulan II" (argparse type function)."""
    import argparse

    from .book.cells import parse_quarter

    q, _ = parse_quarter(text.strip())
    if q is None:
        raise argparse.ArgumentTypeError(
            f"triwulan '{text}' tidak dikenal; isi 1-4 atau I-IV")
    return q
