# Steppe: `make demo` and `make test` are all a fresh machine needs (network: package registries only).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
DB ?= demo.db
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The machine's pip 23.2 crashes resolving trafilatura's lxml extra: upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[serve,dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/steppe ingest $(CORPUS) --db $(DB)
	$(BIN)/steppe stats --db $(DB)
	@if $(BIN)/steppe --help | grep -q '^  serve'; then \
		echo "Serving the workbench at http://$(HOST):$(PORT) (Ctrl-C to stop)"; \
		$(BIN)/steppe serve --db $(DB) --host $(HOST) --port $(PORT); \
	fi

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	@for script in bench/ingest.py bench/extraction.py bench/entities.py bench/events.py; do \
		if [ -f $$script ]; then echo "== $$script"; $(BIN)/python $$script || exit 1; fi; \
	done

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
