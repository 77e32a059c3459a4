# Every target bootstraps .venv itself, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench bytecode screenshots dist icons install-desktop venv clean reliability fuzz

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

# The slow tests (make dist and the built app's smoke run, minutes) run with
# `$(PY) -m pytest -m slow`.
test: lint
	$(PY) -m pytest -q -m "not slow"

fuzz: venv
	BACKSTRIDE_FUZZ_EXAMPLES=2000 $(PY) -m pytest -q tests/unit/test_fuzz_inputs.py --hypothesis-show-statistics

bench: bytecode
	$(PY) tests/bench/run_all.py

reliability: venv
	$(PY) tests/reliability/kill_test.py --rounds 200 --two-writer-rounds 50

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(PY) tests/tools/screenshots.py docs/screenshots

# A wheel and an sdist in dist/, then the app folder dist/backstride/ built by PyInstaller
# (packaging/backstride.spec) in a clean venv made from the wheel, never the editable
# checkout. packaging/README.md covers Windows and macOS.
BUILD_VENV := build/venv
dist: venv
	rm -rf build/lib build/bdist.* build/pyinstaller $(BUILD_VENV) dist
	$(PY) -m build --no-isolation --outdir dist .
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install --quiet "$$(ls dist/backstride-*.whl)[packaging]"
	$(BUILD_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
	    --workpath build/pyinstaller packaging/backstride.spec
	@du -sh dist/backstride

# The icon in every size and format, from resources/icons/backstride.svg.
icons: venv
	$(PY) packaging/make_icons.py

# The menu entry, icons and AppStream file for this user (PREFIX=/usr/local or DESTDIR=...
# to install elsewhere). The entry starts the built app, else this checkout's venv.
PREFIX   ?= $(HOME)/.local
APP_EXEC ?= $(if $(wildcard dist/backstride/backstride),$(CURDIR)/dist/backstride/backstride,$(CURDIR)/$(VENV)/bin/backstride-gui)
install-desktop:
	packaging/linux/install-desktop.sh "$(DESTDIR)$(PREFIX)" "$(APP_EXEC)"

clean:
	rm -rf $(VENV) build dist desktop/*.egg-info
