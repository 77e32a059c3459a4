# Every target bootstraps .venv itself, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench bytecode screenshots dist venv clean reliability fuzz

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Backstride needs Python 3.11 or newer; found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Compiled once here: some environments set PYTHONDONTWRITEBYTECODE, and every start would
# compile the app's modules again (~30 ms of start-up). Unchanged files are skipped.
bytecode: venv
	@$(PY) -m compileall -q desktop >/dev/null

venv: $(STAMP)

run: bytecode
	$(VENV)/bin/backstride

lint: venv
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/ruff format --check desktop tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest -q

fuzz: venv
	BACKSTRIDE_FUZZ_EXAMPLES=2000 $(PY) -m pytest -q tests/unit/test_fuzz_inputs.py --hypothesis-show-statistics

bench: bytecode
	$(PY) tests/bench/run_all.py

reliability: venv
	$(PY) tests/reliability/kill_test.py --rounds 200 --two-writer-rounds 50

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(PY) tests/tools/screenshots.py docs/screenshots

dist: venv
	$(PY) -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) build dist desktop/*.egg-info
