# casebook: one entry point for the common jobs. `make` sets up and runs the
# main job; `make test` sets up and runs every check (what CI runs).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# uv installs exactly what uv.lock says (`uv sync --frozen`). uv itself comes
# from PyPI at the version and hash pinned in .ci/uv-requirements.txt, into a
# small tools venv of its own.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
# Installed packages arrive compiled to bytecode: a cold command (casebook validate on one file)
# then starts without compiling jieba's and pydantic's sources, even where Python may not write .pyc.
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: all setup system validate site print test lint canonical check serve bench upgrade clean

all: site

$(UV): .ci/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r .ci/uv-requirements.txt
	touch $(UV)

# Every package folder is a dependency too (subfolders included): a module added
# or removed needs a fresh link tree (the editable install is a tree of symlinks).
PACKAGE_DIRS := $(shell find schema builder search -type d -not -name __pycache__)
$(STAMP): pyproject.toml uv.lock $(PACKAGE_DIRS) | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON) --reinstall-package rongcuo-casebook
	touch $(STAMP)

setup: $(STAMP)

# Debian packages: Pango and the Noto CJK fonts for printed casebooks (PDF),
# poppler-utils to check them, chromium for the browser tests (driven by
# Playwright, never its own browser download).
DEBIAN_PACKAGES := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0
system:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || \
	    ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBIAN_PACKAGES); \
	fi

validate: setup
	$(BIN)/casebook validate --strict cases

# The main job: validate the shipped cases and build the site into site/.
site: setup
	$(BIN)/casebook build

# Printed casebooks need the CJK fonts: `make print` installs them if missing.
print: setup system
	@for c in collections/*.yaml; do id=$$(basename $$c .yaml); \
	  for e in student teacher; do $(BIN)/casebook print $$id --edition $$e -o print/$$id-$$e.pdf; done; done

serve: setup
	$(BIN)/casebook serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The committed JSON Schemas match the models; the cases are in canonical form.
canonical: setup
	$(BIN)/casebook schema --check
	$(BIN)/casebook fmt --check cases

# The loop to run after each edit (well under a minute): every test that needs
# neither a browser nor seconds of its own. `make test` runs them all.
check: setup
	$(BIN)/python -m pytest -q -m "not browser and not slow"

test: system lint canonical validate
	$(BIN)/python -m pytest

# Benchmarks at scale (many minutes): run by hand. Their smoke form (every script on a
# tiny corpus, tests/test_bench_smoke.py) runs in `make test`, so that they cannot rot.
bench: setup
	$(BIN)/python -m tests.bench.bench_build 1000 10000 --shipped
	$(BIN)/python -m tests.bench.bench_similar --speed 1000 10000

# Deliberate upgrades: re-resolve every dependency to its newest allowed
# version, install that, and run every test. Commit uv.lock only if it passes.
upgrade: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(UV) sync --frozen --extra dev --python $(PYTHON) --reinstall-package rongcuo-casebook
	touch $(STAMP)
	$(MAKE) test

clean:
	rm -rf $(VENV) $(TOOLS) build *.egg-info .pytest_cache .ruff_cache .mypy_cache .cache site site-internal print
