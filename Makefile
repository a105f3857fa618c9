# The README's two commands: `make demo` (the main job) and `make test` (the test suite).
# Each creates or refreshes the virtual environment in .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
FEDSTACK_PROVIDER_MIRROR ?= $(shell scripts/find-provider-mirror)
export FEDSTACK_PROVIDER_MIRROR

.PHONY: demo test venv prereqs clean

prereqs:
	@scripts/check-prereqs

$(VENV)/.installed: pyproject.toml
	@scripts/check-prereqs
	@echo "setting up $(VENV) (python: $$($(PYTHON) -V))"
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install --quiet --upgrade pip
	@$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	@touch $@

venv: prereqs $(VENV)/.installed

demo: venv
	$(VENV)/bin/fedstack demo

test: venv
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
