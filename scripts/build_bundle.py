"""Build the offline Windows bundle: ``make paket-windows`` -> ``dist/spm-xl-paket-windows/``.

The bundle is what an office PC without internet needs besides Python itself: the spm-xl wheel
built here (so nothing is built on the PC: no setuptools, no compiler), every runtime
dependency of ``spm-xl[excel]`` as a binary wheel for 64-bit Windows and the Python the README
names, ``pasang.bat`` that installs them with ``--no-index --find-links`` (never from a public
index: "spm-xl" is not registered there, and an unregistered name invites squatting), the
built templates and a short guide in Bahasa Indonesia.

Which wheels go in is decided by pip's own resolver for the target platform tag
(``--only-binary=:all: --platform win_amd64 --python-version 3.12``), never by a hand list.
Downloads are kept in ``dist/.wheel-cache/<target>/`` so a rerun resolves offline from there
and only goes to the index when something is missing. ``tests/test_bundle.py`` checks the
bundle with the same resolver, and installs the same kind of bundle for Linux into a fresh venv.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
OUT = DIST / "spm-xl-paket-windows"
CACHE = DIST / ".wheel-cache"
#: the Python the README names: 3.12.10 is the last 3.12 release with a Windows installer
PYTHON_VERSION = "3.12"
PYTHON_INSTALLER = "python-3.12.10-amd64.exe"
REQUIREMENT = "spm-xl[excel]"
#: the Excel side's top-level package (what the buttons' RunPython imports)
EXCEL_PACKAGE = "spm_xl_excel"
FILLS = {"PYTHON_VERSION": PYTHON_VERSION, "PYTHON_INSTALLER": PYTHON_INSTALLER,
         "PYTHON_VERSION_TUPLE": PYTHON_VERSION.replace(".", ", "),
         "EXCEL_PACKAGE": EXCEL_PACKAGE}


@dataclass(frozen=True, slots=True)
class Target:
    """A platform to resolve wheels for; ``None`` fields mean the running interpreter.

    ``markers`` is the target's PEP 508 environment: pip evaluates dependency markers such as
    xlwings' ``pywin32; platform_system == 'Windows'`` against the machine it runs on, even
    with ``--platform``, so the bundle adds what the markers want on the target itself.
    """
    name: str
    platform: str | None = None
    python_version: str | None = None
    markers: dict[str, str] = field(default_factory=lambda: dict(default_environment()))

    def pip_args(self) -> list[str]:
        if self.platform is None:
            return []
        assert self.python_version is not None
        abi = "cp" + self.python_version.replace(".", "")
        return ["--platform", self.platform, "--python-version", self.python_version,
                "--implementation", "cp", "--abi", abi]


WINDOWS = Target("win_amd64-cp312", "win_amd64", PYTHON_VERSION, {
    "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
    "platform_machine": "AMD64", "platform_release": "", "platform_version": "",
    "platform_python_implementation": "CPython", "implementation_name": "cpython",
    "python_version": PYTHON_VERSION, "python_full_version": PYTHON_INSTALLER.split("-")[1],
    "implementation_version": PYTHON_INSTALLER.split("-")[1]})
HERE = Target(f"here-cp{sys.version_info.major}{sys.version_info.minor}")


def pip(*args: str, isolated: bool = False) -> subprocess.CompletedProcess[str]:
    """Run this interpreter's pip; ``isolated`` ignores pip.conf and PIP_* variables (so an
    offline resolve sees only the folders named on the command line)."""
    env = {k: v for k, v in os.environ.items() if not (isolated and k.startswith("PIP_"))}
    cmd = [sys.executable, "-m", "pip", *(["--isolated"] if isolated else []), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)


def build_wheel(dest: Path) -> Path:
    """The spm-xl wheel of this source tree (``pip wheel --no-deps``)."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("spm_xl-*.whl"):
        old.unlink()
    # setuptools builds in ROOT/build and keeps what it finds there: a module since moved or
    # deleted would ride along into the wheel
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    done = pip("wheel", "--no-deps", "-q", "-w", str(dest), str(ROOT))
    if done.returncode != 0:
        raise SystemExit(f"pip wheel failed:\n{done.stderr}")
    return next(dest.glob("spm_xl-*.whl"))


def resolve_offline(folders: list[Path], target: Target, dest: Path,
                    extra: list[str]) -> subprocess.CompletedProcess[str]:
    """``pip download`` of spm-xl[excel] (and ``extra``) from local folders only into ``dest``."""
    links = [a for f in folders for a in ("--find-links", str(f))]
    return pip("download", "--no-index", *links, "--only-binary=:all:", *target.pip_args(),
               "-q", "-d", str(dest), REQUIREMENT, *extra, isolated=True)


def unmet(folder: Path, target: Target) -> list[str]:
    """Requirements of spm-xl[excel], followed through the wheels in ``folder`` with markers
    judged for ``target``, that no wheel in ``folder`` satisfies."""
    wheels: dict[str, tuple[str, list[Requirement]]] = {}
    for path in folder.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(path.name)
        wheels[name] = (str(version), _requires(path))
    missing: list[str] = []
    todo = [(canonicalize_name("spm-xl"), frozenset({"excel"}))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen or name not in wheels:
            continue
        seen.add((name, extras))
        for req in wheels[name][1]:
            if req.marker is not None and not any(
                    req.marker.evaluate({**target.markers, "extra": e})
                    for e in (extras or {""})):
                continue
            dep = canonicalize_name(req.name)
            found = wheels.get(dep)
            if found is None or not req.specifier.contains(found[0], prereleases=True):
                missing.append(f"{req.name}{req.specifier}")
            else:
                todo.append((dep, frozenset(req.extras)))
    return sorted(set(missing))


def _requires(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(zf.read(meta).decode("utf-8"))
    return [Requirement(r) for r in headers.get_all("Requires-Dist") or []]


def collect(wheel: Path, target: Target, dest: Path, cache: Path = CACHE) -> list[Path]:
    """Every wheel ``spm-xl[excel]`` needs on ``target`` into ``dest`` (emptied first).

    Offline from the cache first; whatever is missing is downloaded into the cache and the
    offline resolve repeated, until the target's markers want nothing more.
    """
    folder = cache / target.name
    folder.mkdir(parents=True, exist_ok=True)
    extra: list[str] = []
    for _ in range(5):
        for stale in folder.glob("spm_xl-*.whl"):  # pip download copies ours in: never reuse
            stale.unlink()
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        done = resolve_offline([wheel.parent, folder], target, dest, extra)
        missing = unmet(dest, target) if done.returncode == 0 else []
        if done.returncode == 0 and not missing:
            return sorted(dest.glob("*.whl"))
        extra = sorted(set(extra + missing))
        online = pip("download", "--only-binary=:all:", *target.pip_args(), "-q",
                     "-d", str(folder), f"{REQUIREMENT} @ {wheel.as_uri()}", *extra)
        if online.returncode != 0:
            raise SystemExit(f"pip download for {target.name} failed:\n{online.stderr}")
    raise SystemExit(f"the wheels for {target.name} do not settle: {extra}")


def build(out: Path = OUT, target: Target = WINDOWS, cache: Path = CACHE) -> Path:
    """The whole bundle in ``out``: wheels/, templat/, pasang.bat, BACA-SAYA.txt."""
    if out.exists():
        shutil.rmtree(out)
    wheel = build_wheel(cache / "spm-xl")
    collect(wheel, target, out / "wheels", cache)
    templates = out / "templat"
    templates.mkdir()
    for built in sorted((ROOT / "templates").glob("spm-xl-*.xls[xm]")):
        shutil.copy2(built, templates / built.name)
    here = Path(__file__).with_name("bundle")
    for name in ("pasang.bat", "BACA-SAYA.txt"):
        # CRLF: cmd.exe misreads labels in a batch file with bare LF line ends
        text = (here / name).read_text("utf-8").replace("\r\n", "\n")
        for key, value in FILLS.items():
            text = text.replace("{" + key + "}", value)
        (out / name).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    out = build(args.out)
    wheels = sorted(p.name for p in (out / "wheels").glob("*.whl"))
    print(f"{out}: {len(wheels)} wheels for {WINDOWS.name}")
    for name in wheels:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
