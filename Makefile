# Two commands for a fresh machine: `make run` and `make test`. Each installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test system-packages services lint bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Serve on http://127.0.0.1:5000 with config.yaml, SQLite under instance/, the preview printer
# and the shipped voice clips.
run: $(STAMP)
	$(VENV)/bin/queue-server run

# Debian packages the tests use: chromium for the browser tests, espeak-ng and sox for audio,
# poppler-utils (pdftotext) to read the report PDFs back.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium espeak-ng sox libsndfile1 poppler-utils; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium espeak-ng sox libsndfile1 poppler-utils; fi; \
	fi

# PostgreSQL and Redis for the tests that name them; started only when they are down.
services:
	@bash scripts/ensure-services

test: $(STAMP) system-packages services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -p no:cacheprovider -n 2 --dist loadgroup

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) bench/queue_load.py
