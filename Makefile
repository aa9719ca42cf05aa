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

# Local mode (community/settings.py): DEBUG off unless DEBUG=1, plain HTTP, a secret
# key kept under var/. Static files are collected for the non-debug storage.
LOCAL := LOCAL_MODE=1 DEBUG=$${DEBUG-0}
run: $(STAMP)
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(LOCAL) $(PY) manage.py import_resources
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) HOST=$(HOST) PORT=$(PORT) SITE_URL=$${SITE_URL-http://$(HOST):$(PORT)} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT)

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
