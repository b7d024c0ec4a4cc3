"""``python -m spm_xl``: the ``spm-xl`` command without relying on the Scripts folder on PATH."""

from spm_xl.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
