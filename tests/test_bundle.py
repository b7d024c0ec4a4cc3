"""The offline Windows bundle (``make paket-windows``), checked with pip's own resolver.

Marked ``paket``: it needs the package index the first time (wheels are cached in
``dist/.wheel-cache/``), so ``make test`` leaves it out and ``make test-paket`` (run by
``.ci/run`` after ``make test``) runs it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from packaging.tags import Tag
from packaging.utils import parse_wheel_filename

pytestmark = pytest.mark.paket
ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bundle", ROOT / "scripts" /
                                                  "build_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bundle"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bundle = _script()


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bundle.build(tmp_path_factory.mktemp("paket") / "spm-xl-paket-windows")


def test_pip_resolves_spm_xl_excel_for_windows_from_the_bundle_alone(windows: Path) -> None:
    wheels = windows / "wheels"
    report = windows.parent / "report.json"
    done = bundle.pip("install", "--dry-run", "--ignore-installed", "--no-index",
                      "--find-links", str(wheels), "--only-binary=:all:",
                      *bundle.WINDOWS.pip_args(), "--report", str(report), "-q",
                      "spm-xl[excel]", "pywin32", isolated=True)
    assert done.returncode == 0, done.stderr
    chosen = {Path(item["download_info"]["url"].removeprefix("file://")).name
              for item in json.loads(report.read_text("utf-8"))["install"]}
    assert chosen == {p.name for p in wheels.glob("*.whl")}  # all used, nothing else needed
    assert {"xlwings", "pywin32", "numpy", "python_calamine"} <= {
        n.split("-")[0] for n in chosen}


def test_every_requirement_with_windows_markers_has_its_wheel(windows: Path) -> None:
    """pip judges ``pywin32; platform_system == 'Windows'`` on this Linux machine and would
    leave it out; the bundle walks the requirements with Windows' own markers."""
    assert bundle.unmet(windows / "wheels", bundle.WINDOWS) == []
    assert any(p.name.startswith("pywin32-") for p in (windows / "wheels").iterdir())


def test_every_wheel_installs_on_64_bit_windows_python_3_12(windows: Path) -> None:
    accepted = {Tag(i, a, p) for i in ("cp312", "py3", "py2")
                for a in ("cp312", "abi3", "none") for p in ("win_amd64", "any")}
    for path in (windows / "wheels").glob("*.whl"):
        tags = parse_wheel_filename(path.name)[3]
        assert tags & accepted, path.name


def test_the_installer_script_installs_offline_and_checks_the_result(windows: Path) -> None:
    bat = (windows / "pasang.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")
    text = bat.decode("utf-8")
    assert '--no-index --find-links "%PAKET%wheels"' in text
    assert "xlwings.cli addin install" in text and "-m spm_xl --version" in text
    assert "{" not in text  # every placeholder filled
    assert "python-3.12.10-amd64.exe" in (windows / "BACA-SAYA.txt").read_text("utf-8")
    assert {p.suffix for p in (windows / "templat").iterdir()} == {".xlsm", ".xlsx"}


def test_the_same_bundle_for_linux_installs_offline_and_runs_the_demo(tmp_path: Path) -> None:
    wheel = bundle.build_wheel(bundle.CACHE / "spm-xl")
    wheels = tmp_path / "wheels"
    bundle.collect(wheel, bundle.HERE, wheels)
    assert bundle.unmet(wheels, bundle.HERE) == []
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    install = subprocess.run([str(py), "-m", "pip", "--isolated", "install", "-q",
                              "--no-index", "--find-links", str(wheels), "spm-xl[excel]"],
                             capture_output=True, text=True, env=env)
    assert install.returncode == 0, install.stderr
    version = subprocess.run([str(py), "-m", "spm_xl", "--version"], capture_output=True,
                             text=True, env=env)
    assert version.stdout.startswith("spm-xl "), version.stderr
    demo = subprocess.run([str(venv / "bin" / "spm-xl"), "demo", str(tmp_path / "demo")],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert list((tmp_path / "demo").rglob("*.xlsx"))
    buttons = subprocess.run([str(py), "-c", f"import {bundle.EXCEL_PACKAGE}.buttons"],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert buttons.returncode == 0, buttons.stderr


def test_the_wheel_holds_exactly_the_source_trees_packages(windows: Path) -> None:
    """No stale module from an earlier build (setuptools' build/ folder) rides along."""
    wheel = next((windows / "wheels").glob("spm_xl-*.whl"))
    tops = {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"spm_xl", "spm_xl_excel"}
