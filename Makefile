# The README's two commands: `make demo` (the main job) and `make test` (the test suite).
# Each creates or refreshes the virtual environment in .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
# The CDK tests run twice: in $(VENV) on cdktn, and in $(VENV_CDKTF) on cdktf (one library per venv).
VENV_CDKTF ?= .venv-cdktf
PYTEST_ARGS ?=
# Two pytest-xdist workers: much of the suite waits on Terraform, servers and subprocesses, and a
# serial run keeps one of CI's two cores idle. Each test file is one unit of work, the `webapp`
# deployment's tests one more (tests/conftest.py's scheduler); PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
PYTEST_XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder)
FEDSTACK_PROVIDER_MIRROR ?= $(shell scripts/find-provider-mirror)
export FEDSTACK_PROVIDER_MIRROR

.PHONY: lint demo test venv venv-cdktf node_modules prereqs clean

prereqs:
	@scripts/check-prereqs

$(VENV)/.installed: pyproject.toml
	@scripts/check-prereqs
	@echo "setting up $(VENV) (python: $$($(PYTHON) -V))"
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install --quiet --upgrade pip
	@$(VENV)/bin/python -m pip install --quiet -e '.[dev,cdktn,provider]'
	@touch $@

$(VENV_CDKTF)/.installed: pyproject.toml
	@scripts/check-prereqs
	@echo "setting up $(VENV_CDKTF) (cdktf 0.21)"
	@$(PYTHON) -m venv $(VENV_CDKTF)
	@$(VENV_CDKTF)/bin/python -m pip install --quiet --upgrade pip
	@$(VENV_CDKTF)/bin/python -m pip install --quiet -e '.[test,cdktf]'
	@touch $@

venv-cdktf: prereqs $(VENV_CDKTF)/.installed

# cdktf-cli (npm) into ./node_modules, pinned by package-lock.json; never a global install.
node_modules/.installed: package.json package-lock.json
	@echo "installing cdktf-cli into node_modules"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node_modules: node_modules/.installed

venv: prereqs $(VENV)/.installed

demo: venv
	$(VENV)/bin/fedstack demo

# The whole suite on cdktn, then the CDK tests again on cdktf (the sandbox end-to-end test once
# only); both runs always happen, and the target fails when either failed.
test: venv venv-cdktf node_modules
	@status=0; \
	FEDSTACK_CDK=cdktn $(VENV)/bin/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS) || status=$$?; \
	echo "== CDK tests again on cdktf ($(VENV_CDKTF))"; \
	FEDSTACK_CDK=cdktf $(VENV_CDKTF)/bin/python -m pytest tests/cdk --ignore=tests/cdk/test_cdk_e2e.py $(PYTEST_XDIST) $(PYTEST_ARGS) || status=$$?; \
	exit $$status

# ruff (lint and format) and mypy over the whole tree, as CI runs them.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	MYPY=$(abspath $(VENV))/bin/mypy scripts/typecheck

clean:
	rm -rf $(VENV) $(VENV_CDKTF) node_modules build *.egg-info .pytest_cache
