# casebook: one entry point for the common jobs. `make` sets up and runs the
# main job; `make test` sets up and runs every check (what CI runs).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: all setup validate site test lint check serve clean

all: site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

validate: setup
	$(BIN)/casebook validate --strict cases

# The main job. Until the site builder lands it validates the shipped cases.
site: validate

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: setup
	$(BIN)/casebook schema --check
	$(BIN)/casebook fmt --check cases

test: lint check validate
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache
