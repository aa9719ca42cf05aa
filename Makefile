# Everything the project needs is installed from here and pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# A chat message is at most 4,000 characters: no frame needs more than 64 KiB.
DAPHNE_LIMITS := --websocket-max-message-size 65536 --websocket-max-frame-size 65536

.PHONY: install run test bench lint format clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG-1} $(PY) manage.py import_resources
	DEBUG=$${DEBUG-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG-1} HOST=$(HOST) PORT=$(PORT) SITE_URL=$${SITE_URL-http://$(HOST):$(PORT)} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
