# spm-xl: `make demo` and `make test` create or reuse .venv in the repo root.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.spm-xl-installed

.PHONY: setup test test-paket paket-windows lint demo bench templates clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(VENV)/bin/ruff check spm_xl spm_xl_excel templates tests benchmarks scripts
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest

# the offline Windows bundle, and its check (needs the package index once; .ci/run runs it)
paket-windows: setup
	$(PY) scripts/build_bundle.py

test-paket: setup
	$(VENV)/bin/pytest -m paket tests/test_bundle.py

demo: setup
	$(VENV)/bin/spm-xl demo demo-output

bench: setup
	$(PY) benchmarks/bench_hitung.py
	$(PY) benchmarks/bench_konsolidasi.py
	$(PY) benchmarks/bench_impor.py

templates: setup
	$(PY) templates/build.py

clean:
	rm -rf $(VENV) dist demo-output benchmarks/out .pytest_cache .mypy_cache .ruff_cache
