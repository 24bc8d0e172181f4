# casebook: one entry point for the common jobs. `make` sets up and runs the
# main job; `make test` sets up and runs every check (what CI runs).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all setup system validate site print test lint check serve bench clean

all: site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

check: setup
	$(BIN)/casebook schema --check
	$(BIN)/casebook fmt --check cases

test: system lint check validate
	$(BIN)/python -m pytest

# Benchmarks at scale (several minutes): run by hand, never part of `make test`.
bench: setup
	$(BIN)/python -m tests.bench.bench_build 1000 10000 --shipped
	$(BIN)/python -m tests.bench.bench_similar --speed 1000 10000

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache .cache site site-internal print
