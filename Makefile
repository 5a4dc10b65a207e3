# Steppe: `make demo` and `make test` are all a fresh machine needs (network: package registries only).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus
DB ?= $(if $(STEPPE_DB),$(STEPPE_DB),demo.db)  # STEPPE_DB=postgresql://... uses the server store
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test bench lint clean

# Debian packages the tests use for real servers and a real browser. Installed where missing
# and possible (root + apt); otherwise the tests that need them skip with a reason.
SYSTEM_PACKAGES := chromium chromium-driver postgresql poppler-utils

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian packages:$$missing"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
				|| echo "could not install$$missing: the tests that need them will skip"; \
		else \
			echo "missing$$missing (need root + apt): the tests that need them will skip"; \
		fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The machine's pip 23.2 crashes resolving trafilatura's lxml extra: upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[serve,postgres,dask,semantic,dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/steppe ingest $(CORPUS) --db $(DB)
	$(BIN)/steppe stats --db $(DB)
	@if $(BIN)/steppe --help | grep -q '^  serve'; then \
		echo "Serving the workbench at http://$(HOST):$(PORT) (Ctrl-C to stop)"; \
		$(BIN)/steppe serve --db $(DB) --host $(HOST) --port $(PORT); \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

# Every figure Steppe claims, each beside the best peer on the same data in the same run.
# SIZE sets the scale benchmark's item count (1M: make bench SIZE=1000000).
SIZE ?= 10000
bench: $(STAMP)
	@for script in bench/ingest.py bench/extraction.py bench/listing.py bench/entities.py bench/events.py bench/russian.py bench/search.py; do \
		if [ -f $$script ]; then echo "== $$script"; $(BIN)/python $$script || exit 1; fi; \
	done
	@echo "== bench/scale.py --size $(SIZE)"; $(BIN)/python bench/scale.py --size $(SIZE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
