# The two commands: `make run` (the web app on the bundled data) and `make test` (every test).
# Both bootstrap a virtual environment in .venv first.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench browser oidc catalogue clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned to the CPU build; later resolution then keeps it.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[embeddings,dev]'
	touch $(STAMP)

# Translations: each language's catalogue (.po, written by people) compiles to a .mo at set-up.
CATALOGUES := $(wildcard src/triplehelix/locale/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Re-extract the English messages from code and templates and update every catalogue;
# `make catalogue NEW_LANGUAGE=de` starts a catalogue for another language (docs/i18n.md).
catalogue: $(STAMP)
	mkdir -p var
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext --no-location --sort-output \
		--project triplehelix -o var/messages.pot .
	if [ -n "$(NEW_LANGUAGE)" ]; then \
		$(BIN)/pybabel init -i var/messages.pot -d src/triplehelix/locale -l $(NEW_LANGUAGE); fi
	$(BIN)/pybabel -q update -i var/messages.pot -d src/triplehelix/locale \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

run: $(STAMP) $(COMPILED)
	$(BIN)/triplehelix serve --host $(HOST) --port $(PORT)

browser:
	scripts/ensure-browser

# The OpenID provider the single sign-on tests start (npm's oidc-provider under Node.js).
oidc:
	scripts/ensure-oidc

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(STAMP) $(COMPILED) browser oidc lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest --cov --cov-report=term

# Benchmarks (not tests): each prints its figures beside a baseline; results go in bench/RESULTS.md.
# The directory benchmark needs wrk (apt-get install wrk); SciFact and the ROR files are read from
# ../shared when that folder is there.
bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/leiden_needs.py
	$(BIN)/python bench/directory_http.py --workers 1 2
	$(BIN)/python bench/bookings_http.py --workers 2
	if [ -d ../shared/data/ror ]; then $(BIN)/python bench/ror_matching.py && $(BIN)/python bench/ror_import.py 120000; fi
	if [ -d ../shared/bench/scifact ]; then HF_HUB_OFFLINE=1 $(BIN)/triplehelix bench beir ../shared/bench/scifact; fi

clean:
	rm -rf $(VENV) var
