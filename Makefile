# Every target bootstraps .venv itself, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench screenshots dist venv clean reliability fuzz

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Backstride needs Python 3.11 or newer; found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: venv
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

bench: venv
	$(PY) tests/bench/run_all.py

reliability: venv
	$(PY) tests/reliability/kill_test.py --rounds 200 --two-writer-rounds 50

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(PY) tests/tools/screenshots.py docs/screenshots

dist: venv
	$(PY) -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) build dist desktop/*.egg-info
