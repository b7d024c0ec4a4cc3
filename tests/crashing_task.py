"""A worker task that aborts its process on one file (importable by spawned workers)."""

from __future__ import annotations

import os

from spm_xl.consolidate.model import FileReport
from spm_xl.consolidate.worker import process_file


def abort_on_marked(path: str, personal: bool, seal: bool = False) -> FileReport:
    """Like ``process_file``, but a file named ``*-abort.xlsx`` kills the worker outright,
    as a Rust allocation failure would (no exception, no cleanup)."""
    if path.endswith("-abort.xlsx"):
        os.abort()
    return process_file(path, personal, seal)
