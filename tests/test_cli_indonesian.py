"""The CLI speaks Indonesian, argparse's own words included, and templat checks its input."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from spm_xl.cli import build_parser, main

ENGLISH = ("usage:", "options:", "show this help", "positional arguments", "error:",
           "the following arguments", "invalid choice", "show program's")


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [(), ("templat",), ("periksa",), ("hitung",),
                                     ("konsolidasi",), ("demo",)])
def test_help_is_indonesian_with_help_for_every_option(
        capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    text = help_text(capsys, *command)
    assert "pemakaian:" in text and "opsi:" in text
    assert not [w for w in ENGLISH if w in text]


def test_every_option_and_argument_has_help() -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    parsers = [parser, *dict.fromkeys(sub.choices.values())]
    missing = [(p.prog, a.dest) for p in parsers for a in p._actions
               if not a.help and not isinstance(a, argparse._SubParsersAction)]
    assert missing == []


def test_top_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert "contoh:" in help_text(capsys)


def test_usage_errors_are_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["hitung"], ["perintah-asing"], ["templat", "--tingkat", "desa"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "galat:" in err and not [w for w in ENGLISH if w in err], err


@pytest.mark.parametrize("argv", [
    ["--tingkat", "kabkota", "--kode", "74.6", "--tahun", "2026"],
    ["--tingkat", "kabkota", "--kode", "7406", "--tahun", "2026"],
    ["--tingkat", "kabkota", "--kode", "74.99", "--tahun", "2026"],
    ["--tingkat", "provinsi", "--kode", "74.06", "--tahun", "2026"],
    ["--tingkat", "provinsi", "--kode", "99", "--tahun", "2026"],
    ["--tingkat", "kabkota", "--kode", "74.06", "--tahun", "26"],
])
def test_templat_refuses_unknown_codes_and_short_years(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["templat", *argv, "-o", str(out)]) == 2
    assert not out.exists()
    assert "--kode" in capsys.readouterr().err or "--tahun" in argv[-2]
