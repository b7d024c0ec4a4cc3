"""The corpus of messy and hostile workbooks through periksa, hitung and konsolidasi (SPEC 7).

Each case runs through ``spm_xl.cli.main`` in-process with standard output and error
captured. Every run must exit with the case's code, print the Indonesian message naming the
file, sheet and cell where there is one, print no traceback, and leave its input file
byte-identical. The session writes the report (tests/out/corpus-report.md) and, after the
whole corpus, scans everything printed for fixture NIKs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from corpus import CASES, FIXTURE_NIKS, Case, companion, find_case, run_cli
from corpus_hostile import MARKER
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from spm_xl.consolidate.neutral import unquoted
from spm_xl.labels import OUTPUT_SHEETS

COMMANDS = ("periksa", "periksa-json", "hitung", "konsolidasi")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(slots=True)
class Run:
    case: Case
    command: str
    name: str  # the input file's name
    label: str  # how the provincial outputs name it (spm_xl.consolidate.neutral.file_label)
    exit: int
    out: str
    err: str
    seconds: float
    input_unchanged: bool
    new_files: list[str]
    output: Path | None = None
    problems: list[str] = field(default_factory=list)


class Corpus:
    """Builds each case once and runs each (case, command) once, whatever asks first."""

    def __init__(self, root: Path, report: list[list[str]]) -> None:
        self.root = root
        self.report = report
        self.built: dict[str, Path] = {}
        self.runs: dict[tuple[str, str], Run] = {}
        self.companion = companion(root / "pendamping")

    def source(self, case: Case) -> Path:
        if case.name not in self.built:
            folder = self.root / "sumber" / case.name
            folder.mkdir(parents=True)
            self.built[case.name] = case.build(folder)
        return self.built[case.name]

    def run(self, case: Case, command: str) -> Run:
        key = (case.name, command)
        if key not in self.runs:
            self.runs[key] = self._run(case, command)
            r = self.runs[key]
            self.report.append([case.name, case.what, command,
                                str(self.expected(case, command)), str(r.exit),
                                f"{r.seconds:.2f}", _headline(r)[:120],
                                "ok" if not r.problems else "; ".join(r.problems)])
        return self.runs[key]

    @staticmethod
    def expected(case: Case, command: str) -> int | None:
        if command.startswith("periksa"):
            return case.periksa
        return case.hitung if command == "hitung" else case.konsolidasi

    def _run(self, case: Case, command: str) -> Run:
        folder = self.root / "jalan" / f"{case.name}-{command}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        src = self.source(case)
        work = folder / src.name
        shutil.copy2(src, work)
        output: Path | None = None
        if command == "periksa":
            argv = ["periksa", str(work)]
        elif command == "periksa-json":
            argv = ["periksa", str(work), "--json"]
        elif command == "hitung":
            # an unusable file is given in place: nothing may be written, not even a backup
            output = None if case.hitung == 2 else folder / "hasil" / f"hasil-{src.name}"
            if output is not None:
                output.parent.mkdir()
            argv = ["hitung", str(work), "--json", *(["-o", str(output)] if output else [])]
        else:
            shutil.copy2(self.companion, folder / self.companion.name)
            output = folder / "hasil" / "provinsi.xlsx"
            output.parent.mkdir()
            argv = ["konsolidasi", str(work), str(folder / self.companion.name), "-o",
                    str(output), "--json"]
        before = {p.name for p in folder.iterdir()}
        digest = _sha256(work)
        code, out, err, seconds = run_cli(argv)
        after = {p.name for p in folder.iterdir()}
        label = f"berkas-{digest[:12]}{src.suffix.lower()}"
        run = Run(case, command, src.name, label, code, out, err, seconds,
                  _sha256(work) == digest,
                  sorted(after - before), output if output and output.exists() else None)
        try:
            run.problems = _problems(run, self.expected(case, command))
        except Exception as exc:  # a malformed answer is a wrong answer, not a crash here
            run.problems = [f"jawaban tidak terbaca: {type(exc).__name__}: {exc}"]
        return run


def _headline(r: Run) -> str:
    """The line of the run's text that best shows its answer, for the report."""
    lines = [line.strip() for line in r.err.splitlines() if line.strip()]
    for key in (r.case.pesan, "Ditolak", "Ringkasan temuan", "Temuan di berkas"):
        hit = next((line for line in lines if key in line), None)
        if hit:
            return hit
    try:
        doc = json.loads(r.out) if r.out.strip() else None
    except ValueError:
        doc = None
    if isinstance(doc, dict) and "temuan" in doc:
        found = doc["temuan"]
        return f"JSON: {found['galat']} galat, {found['peringatan']} peringatan"
    if isinstance(doc, list):
        kinds = sorted({f"{f['kode']} {f['sel'] or ''}".strip() for f in doc
                        if f["tingkat"] == "galat"})
        return f"JSON: {len(doc)} temuan; galat: {', '.join(kinds) or '-'}"
    return lines[0] if lines else ""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problems(r: Run, expected: int | None) -> list[str]:
    """Everything wrong with one run, in words (empty when the answer is right)."""
    case, problems = r.case, []
    text = r.out + r.err
    if r.exit != expected:
        problems.append(f"exit {r.exit}, harus {expected}")
    if "Traceback" in text or "Galat tak terduga" in text:
        problems.append("traceback/galat tak terduga")
    if "\x1b" in text:
        problems.append("urutan escape terminal tercetak")
    if not r.input_unchanged:
        problems.append("berkas masukan berubah")
    if r.new_files and r.new_files != ["hasil"]:
        problems.append(f"berkas baru di samping masukan: {r.new_files}")
    if r.command == "konsolidasi":
        problems += _konsolidasi_problems(r)
    elif expected == 2:
        problems += _missing(r.err, r.name, case.pesan, case.sheet and
                             f"[{case.sheet}]")
        if r.command.endswith("json") or r.command == "hitung":
            doc = json.loads(r.out)  # every command: {"galat": {...}, "daftar_temuan": ...}
            found = doc.get("galat", {})
            if case.pesan not in str(found.get("pesan", "")):
                problems.append("JSON tanpa pesan galat")
    elif r.command == "periksa":
        problems += _missing(r.err, case.pesan, case.sheet and f"[{case.sheet}]", case.sel)
    elif r.command == "periksa-json":
        found = {(f["kode"], f["sel"]) for f in json.loads(r.out)["daftar_temuan"]}
        problems += [f"temuan {k} di {sel} tidak ada" for k, sel in case.findings.items()
                     if (k, sel) not in found]
    else:  # hitung into another file
        doc = json.loads(r.out)
        if (doc["temuan"]["galat"] == 0) != (expected == 0):
            problems.append(f"temuan galat {doc['temuan']['galat']}")
        if case.hitung_json is not None and not case.hitung_json(doc):
            problems.append("angka hasil hitung salah")
        if r.output is None:
            problems.append("tidak ada berkas hasil")
        elif expected == 1:
            problems += _missing(_sheet_text(r.output, "Pemeriksaan"), case.pesan,
                                 case.sheet, case.sel)
    return problems


def _konsolidasi_problems(r: Run) -> list[str]:
    case = r.case
    doc = json.loads(r.out)
    rejected = {x["berkas"]: x["alasan"] for x in doc["ditolak"]}
    label = r.label  # the province names a file by its fingerprint, never as a district did
    problems = []
    if case.hitung == 2 or case.ditolak:
        if label not in rejected:
            problems.append("berkas tidak ditolak")
        problems += _missing(r.err, f"Ditolak {r.name}", None if case.ditolak else case.pesan)
    elif label in rejected:
        problems.append(f"ditolak: {rejected[label]}")
    if r.output is None:
        problems.append("tidak ada buku kerja provinsi")
    elif case.konsolidasi == 1:
        # the provincial Pemeriksaan says the kind of problem and where, never a typed value
        kind = unquoted(case.pesan, (r.name,)) if case.hitung == 2 else None if \
            case.ditolak else next(iter(case.findings), None)
        problems += _missing(_sheet_text(r.output, "Pemeriksaan"), label, kind)
    return problems


def _missing(text: str, *wanted: str | None) -> list[str]:
    return [f"tidak menyebut {w!r}" for w in wanted if w and w not in text]


def _sheet_text(path: Path, sheet: str) -> str:
    """Every cell of a sheet (and its numbered continuations) as one text."""
    with CalamineWorkbook.from_path(str(path)) as wb:
        names = [n for n in wb.sheet_names if n == sheet or re.fullmatch(
            rf"{re.escape(sheet)} \d+", n)]
        return "\n".join(" | ".join(str(v) for v in row) for n in names
                         for row in wb.get_sheet_by_name(n).to_python())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory,
           corpus_report: list[list[str]]) -> Iterator[Corpus]:
    saved = os.environ.pop("SPM_XL_DEBUG", None)
    yield Corpus(tmp_path_factory.mktemp("korpus"), corpus_report)
    if saved is not None:
        os.environ["SPM_XL_DEBUG"] = saved


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_case_gets_its_answer(corpus: Corpus, case: Case, command: str) -> None:
    run = corpus.run(case, command)
    assert not run.problems, f"{case.name} {command}: {run.problems}\n{run.err}\n{run.out}"


# --- formula-looking text ---------------------------------------------------------------------

def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_NS}Relationship")}
    out = {}
    for s in book.iter(f"{MAIN_NS}sheet"):
        target = targets[s.get(f"{REL_NS}id")]
        out[s.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _cells_holding(path: Path, texts: tuple[str, ...], sheets: set[str] | None = None
                   ) -> Iterator[tuple[str, str, str | None, bool]]:
    """(sheet, cell, type, has a formula) of every cell whose XML holds one of ``texts``."""
    with zipfile.ZipFile(path) as zf:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sst = ElementTree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN_NS}t"))
                      for si in sst.iter(f"{MAIN_NS}si")]
        for sheet, part in _sheet_parts(zf).items():
            if sheets is not None and sheet not in sheets:
                continue
            root = ElementTree.fromstring(zf.read(part))
            for c in root.iter(f"{MAIN_NS}c"):
                formula = c.find(f"{MAIN_NS}f")
                value = c.find(f"{MAIN_NS}v")
                text = "".join(t.text or "" for t in c.iter(f"{MAIN_NS}t"))
                if c.get("t") == "s" and value is not None and value.text:
                    text = shared[int(value.text)]
                elif value is not None:
                    text += value.text or ""
                if formula is not None:
                    text += formula.text or ""
                if any(t in text or t.lstrip("=+-@") in text for t in texts):
                    yield sheet, c.get("r", "?"), c.get("t"), formula is not None


@pytest.mark.parametrize("case", [c for c in CASES if c.formula_texts], ids=lambda c: c.name)
def test_formula_looking_text_stays_text_in_every_output(corpus: Corpus, case: Case) -> None:
    district = corpus.run(case, "hitung").output
    province = corpus.run(case, "konsolidasi").output
    assert district is not None and province is not None
    cells = list(_cells_holding(district, case.formula_texts, set(OUTPUT_SHEETS)))
    assert cells, f"no output cell of {district.name} holds the texts"
    for text in case.formula_texts:
        assert any(text in _sheet_text(district, s) for s, _, _, _ in cells), text
    # the provincial Pemeriksaan lists kinds, not typed text; what does reach the province
    # (the region name on Sumber) must still be text
    for path, sheets in ((district, set(OUTPUT_SHEETS)), (province, None)):
        for sheet, ref, kind, has_formula in _cells_holding(path, case.formula_texts, sheets):
            assert not has_formula, f"{path.name} [{sheet}] {ref} is a formula"
            assert kind in ("s", "inlineStr"), f"{path.name} [{sheet}] {ref} has t={kind}"


# --- after the whole corpus -------------------------------------------------------------------

def test_no_fixture_nik_appears_unmasked_anywhere(corpus: Corpus) -> None:
    """Every message, JSON document and log line of every run, and every provincial book."""
    for case in CASES:
        for command in COMMANDS:
            corpus.run(case, command)
    assert FIXTURE_NIKS
    pattern = re.compile("|".join(sorted(FIXTURE_NIKS)))
    for (name, command), run in corpus.runs.items():
        leak = pattern.search(run.out + run.err)
        assert leak is None, f"{name} {command} printed NIK {leak.group()}"
        if run.output is None:
            continue
        with zipfile.ZipFile(run.output) as zf:  # the provincial book, a district's outputs
            parts = _sheet_parts(zf)
            members = zf.namelist() if command == "konsolidasi" else [
                parts[s] for s in OUTPUT_SHEETS if s in parts]
            for member in members:
                data = zf.read(member).decode("utf-8", "replace")
                assert pattern.search(data) is None, f"{name} {command}: NIK in {member}"


# --- personal data: marker and NIK scans (issue 12) -----------------------------------------

_NIK_SEPARATORS = re.compile("(?<=\\d)[\\s.\\-/\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                             "\ufeff]+(?=\\d)")


def nik_leak(text: str, niks: set[str]) -> str | None:
    """A NIK of ``niks`` in ``text`` whatever its separators, or the 8 digits a mask hides."""
    collapsed = _NIK_SEPARATORS.sub("", text)
    pieces = sorted({n for n in niks} | {n[6:14] for n in niks})
    m = re.search("|".join(pieces), collapsed) if pieces else None
    return m.group() if m else None


def book_text(path: Path) -> str:
    """Every part of an xlsx as text (cells, sheet names, properties): what a reader sees."""
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def test_provincial_outputs_hold_no_marker_and_no_nik_in_any_form(corpus: Corpus) -> None:
    """The marker planted in every free-text place (identity fields, statuses, dates, prices,
    unknown codes, sheet and file names) and every fixture NIK in any separator form: none
    in the provincial workbook or ``konsolidasi --json``, for every case of the corpus."""
    for case in CASES:
        run = corpus.run(case, "konsolidasi")
        assert MARKER not in run.out, f"{case.name}: marker in JSON"
        leak = nik_leak(run.out, FIXTURE_NIKS)
        assert leak is None, f"{case.name}: NIK {leak} in JSON"
        if run.output is None:
            continue
        text = book_text(run.output)
        assert MARKER not in text, f"{case.name}: marker in the provincial workbook"
        leak = nik_leak(text, FIXTURE_NIKS)
        assert leak is None, f"{case.name}: NIK {leak} in the provincial workbook"


def test_no_message_prints_a_nik_in_any_form(corpus: Corpus) -> None:
    """Terminal and JSON of periksa, hitung and konsolidasi: every NIK masked, however it was
    written (dots, spaces, dashes, zero-width spaces), and no NIK-derived birth date."""
    for case in CASES:
        for command in COMMANDS:
            run = corpus.run(case, command)
            leak = nik_leak(run.out + run.err, FIXTURE_NIKS)
            assert leak is None, f"{case.name} {command} printed {leak}"
            assert not re.search(r"tersirat di NIK \(\d", run.out + run.err)


def test_a_file_name_cannot_fake_a_line_or_reverse_text(corpus: Corpus) -> None:
    for command in COMMANDS:
        run = corpus.run(find_case("nama_berkas_palsu"), command)
        lines = run.err.splitlines()
        assert not any(line.startswith("Hasil ditulis ke LAPORAN-PALSU") for line in lines)
        assert "\u202e" not in run.err + run.out, command


# --- zip bomb: memory and time of a whole periksa process --------------------------------------

#: runs ARGV as its only child and reports that child's peak RSS (KiB on Linux) and time
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"exit": done.returncode, "stderr": done.stderr,
                  "seconds": time.perf_counter() - start,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


#: every file under 10 MB answers within these, whatever it holds (issue 12)
MAX_SECONDS, MAX_PEAK_MB = 5.0, 300


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_periksa_answers_every_case_within_5_seconds_and_300_mb(
        corpus: Corpus, corpus_report: list[list[str]], case: Case) -> None:
    """``periksa`` in a process of its own: its time and peak RSS go into the report."""
    src = corpus.source(case)
    spm_xl = Path(sys.executable).with_name("spm-xl")
    env = {k: v for k, v in os.environ.items() if k != "SPM_XL_DEBUG"}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(spm_xl), "periksa", str(src)],
                          capture_output=True, text=True, env=env, check=True)
    m = json.loads(done.stdout)
    peak_mb = m["peak_kib"] / 1024
    ok = peak_mb < MAX_PEAK_MB and m["seconds"] < MAX_SECONDS and m["exit"] == case.periksa
    corpus_report.append([case.name, f"{case.what} (proses sendiri)", "periksa (subproses)",
                          str(case.periksa), str(m["exit"]), f"{m['seconds']:.2f}",
                          f"RSS puncak {peak_mb:.0f} MB", "ok" if ok else "terlalu besar/lama"])
    assert m["exit"] == case.periksa and "Traceback" not in m["stderr"]
    assert peak_mb < MAX_PEAK_MB, f"peak RSS {peak_mb:.0f} MB"
    assert m["seconds"] < MAX_SECONDS, f"{m['seconds']:.2f} s"


def test_the_old_xls_and_encrypted_fixtures_are_real_ole2_files(corpus: Corpus) -> None:
    import msoffcrypto
    import olefile

    xls = corpus.source(find_case("xls_lama"))
    with olefile.OleFileIO(str(xls)) as ole:
        assert ole.listdir() == [["Workbook"]]
        assert ole.openstream("Workbook").read(4) == bytes.fromhex("09081000")  # BIFF8 BOF
    with corpus.source(find_case("bersandi")).open("rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
