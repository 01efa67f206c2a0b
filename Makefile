# One entry point for humans and CI. Everything installs into .venv from pyproject.toml.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-unit test-e2e protos protos-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the whole platform locally (bundled NATS, five services, gateway).
run: install
	$(VENV)/bin/copepod up

## Regenerate the gRPC and protobuf stubs from protos/.
protos: install
	$(PY) -m services.core.protogen

## Fail when the committed stubs differ from a fresh generation.
protos-check: install
	$(PY) -m services.core.protogen --check

## The whole suite: stub freshness, unit, contract and end-to-end tests (SQLite and PostgreSQL legs).
test: install protos-check
	$(PY) -m pytest -q

## Benchmarks against a running stack (started by the bench itself); prints a JSON report.
## HTTP load comes from wrk, installed here when possible (as root); without it, from httpx.
bench: install
	@if [ "$$(id -u)" = 0 ]; then \
		command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)) || true; \
	fi
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) var .pytest_cache
