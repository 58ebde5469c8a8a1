# Two set-up commands for a fresh clone: `make run` and `make test`.
# Both create .venv in the repository root if it is missing and install the
# package into it; nothing else needs to be installed but Python >= 3.11.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench install clean data evidence-store serve fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/tradepact assess

test: run
	$(BIN)/python -m pytest

serve: install
	$(BIN)/python -c "import fastapi, uvicorn, plotly, swagger_ui_bundle" 2>/dev/null || $(BIN)/python -m pip install --quiet -e ".[web]"
	$(BIN)/tradepact serve

# Property-based fuzzing of scenario files: 100,000 examples (a few hours);
# `make test` runs the same suite with a fixed small number (profile "ci").
fuzz: install
	TRADEPACT_FUZZ_PROFILE=fuzz $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider --hypothesis-show-statistics

bench: install
	$(BIN)/python benchmarks/run.py

data: install
	$(BIN)/python scripts/build_data.py

# The evidence store shipped with the package: the seeds' claims and sentences (not the pages).
evidence-store: install
	$(BIN)/python scripts/build_evidence_store.py

clean:
	rm -rf $(VENV) tradepact-report .pytest_cache
