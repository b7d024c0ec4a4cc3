"""Runtime dependencies are exactly what the product imports (no more, no less)."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OURS = {"spm_xl", "spm_xl_excel"}


def imported(folder: Path) -> set[str]:
    """Top-level modules imported anywhere in ``folder`` (lazy imports inside functions too)."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - OURS


def distributions(modules: set[str]) -> set[str]:
    owners = packages_distributions()
    return {canonicalize_name(owners[m][0]) for m in modules}


def declared(names: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in names}


def test_runtime_dependencies_are_what_the_library_and_the_excel_side_import() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    excel_only = imported(ROOT / "spm_xl_excel") - imported(ROOT / "spm_xl")
    assert declared(project["dependencies"]) == distributions(imported(ROOT / "spm_xl"))
    assert declared(project["optional-dependencies"]["excel"]) == distributions(excel_only)
    assert excel_only == {"xlwings"}
