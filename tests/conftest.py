"""Shared pytest wiring: the ``libreoffice`` marker needs a real LibreOffice.

Locally a missing LibreOffice skips those tests; under CI (``CI`` set) it fails them, so a
missing install step can never pass silently (SPEC 7).

The hostile-input corpus (``test_corpus.py``) collects one report row per case and command
in ``corpus_report``; the table is written to tests/out/corpus-report.md and shown at the
end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's cache or key folders (konsolidasi uses both)."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SPM_XL_CACHE", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice"):
        from libreoffice import require_soffice

        require_soffice()


# --- the corpus report (tests/test_corpus.py) ------------------------------------------------

_CORPUS_REPORT = pytest.StashKey[str]()
CORPUS_REPORT_FILE = Path(__file__).parent / "out" / "corpus-report.md"


@pytest.fixture(scope="session")
def corpus_report(request: pytest.FixtureRequest) -> Iterator[list[list[str]]]:
    """Rows of the corpus report; written to tests/out/corpus-report.md at session end."""
    rows: list[list[str]] = []
    yield rows
    if rows:
        from corpus import report_table

        text = report_table(rows)
        CORPUS_REPORT_FILE.parent.mkdir(exist_ok=True)
        CORPUS_REPORT_FILE.write_text(text, encoding="utf-8")
        request.config.stash[_CORPUS_REPORT] = text


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    text = terminalreporter.config.stash.get(_CORPUS_REPORT, None)
    if text:
        terminalreporter.write_sep("=", f"korpus berkas bermasalah ({CORPUS_REPORT_FILE})")
        terminalreporter.write(text)
