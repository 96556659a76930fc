# Two commands for a fresh machine: `make run` and `make test`. Each installs what it needs:
# `make run` the server alone, `make test` the test tools too.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test system-packages services lint bench

# pip prints what it collects and installs as it goes: the first run takes a minute or so.
$(STAMP): pyproject.toml
	@echo "==> Installing queue-server and its dependencies into $(VENV) (first run: about a minute)"
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --progress-bar on -e .
	touch $(STAMP)
	@echo "==> Installed into $(VENV)"

$(TEST_STAMP): $(STAMP)
	@echo "==> Installing the test tools (pytest, Playwright, schemathesis, ruff) into $(VENV)"
	$(PIP) install --progress-bar on -e ".[test]"
	touch $(TEST_STAMP)

# Serve on http://$(HOST):$(PORT) with config.yaml, SQLite under instance/, the preview
# printer and the shipped voice clips. Another port: make run PORT=5050.
run: $(STAMP)
	$(VENV)/bin/queue-server run --host $(HOST) --port $(PORT)

# Debian packages the tests use: chromium for the browser tests, espeak-ng and sox for audio,
# poppler-utils (pdftotext) to read the report PDFs back, nginx for the three-process test. One package per line: add yours.
SYSTEM_PACKAGES := \
	chromium \
	espeak-ng \
	sox \
	libsndfile1 \
	libmp3lame0 \
	poppler-utils \
	nginx \
	fonts-dejavu-core

# apt runs only when one of them is missing (dpkg knows), so a second `make test` is quick.
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "==> Installing Debian packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# PostgreSQL and Redis for the tests that name them; started only when they are down.
services:
	@bash scripts/ensure-services

test: $(TEST_STAMP) system-packages services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -p no:cacheprovider -n 2 --dist loadgroup

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

bench: $(TEST_STAMP)
	$(PY) bench/queue_load.py
