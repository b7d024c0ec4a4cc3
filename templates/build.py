"""Build the shipped templates reproducibly: ``python templates/build.py [--tahun YYYY] [DIR]``.

Writes spm-xl-kabkota and spm-xl-provinsi as .xlsx and .xlsm with Kode Wilayah left for the
admin. The same arguments always give byte-identical files, so a rebuild shows in git only
when the catalogue, the labels, the VBA source or this code changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import get_args

from spm_xl.book.template import TemplateFormat, build_template
from spm_xl.catalogue import Level

HERE = Path(__file__).resolve().parent
DEFAULT_YEAR = 2026


def build_all(outdir: Path, tahun: int = DEFAULT_YEAR) -> list[Path]:
    """Write the four templates into ``outdir`` and return their paths."""
    built = []
    for level in get_args(Level):
        for fmt in get_args(TemplateFormat):
            path = outdir / f"spm-xl-{level}.{fmt}"
            built.append(build_template(path, level=level, kode=None, tahun=tahun, fmt=fmt))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Menyusun templat spm-xl yang dibagikan.")
    parser.add_argument("outdir", nargs="?", type=Path, default=HERE)
    parser.add_argument("--tahun", type=int, default=DEFAULT_YEAR)
    args = parser.parse_args(argv)
    for path in build_all(args.outdir, args.tahun):
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
