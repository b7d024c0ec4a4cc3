"""The console every command prints its lines through.

Standard error (standard output is for ``--json``), no markup and no highlighting unless a
line asks for markup and escapes its data: a cell value, sheet or file name like
``[/bold]`` is text, not a style tag.
"""

from __future__ import annotations

from typing import Any


def console() -> Any:
    """A rich Console on standard error that prints data as text."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
