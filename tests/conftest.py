"""Shared pytest wiring: the ``libreoffice`` marker needs a real LibreOffice.

Locally a missing LibreOffice skips those tests; under CI (``CI`` set) it fails them, so a
missing install step can never pass silently (SPEC 7).
"""

from __future__ import annotations

import pytest


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice"):
        from libreoffice import require_soffice

        require_soffice()
