# The two commands: `make run` (the web app on the bundled data) and `make test` (every test).
# Both bootstrap a virtual environment in .venv first.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned to the CPU build; later resolution then keeps it.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[embeddings,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/triplehelix serve --host $(HOST) --port $(PORT)

browser:
	scripts/ensure-browser

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(STAMP) browser lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest

bench: $(STAMP)
	scripts/ensure-browser
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
