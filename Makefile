# Everything the project needs is installed from here: exact versions with their
# hashes from requirements/*.lock (made from pyproject.toml by `make lock`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What running needs (`make run`), and that plus the test and bench tools
# (`make test`, `make lint`, `make bench`): two stamps, so `make test` after
# `make run` still installs the test tools.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PIP_INSTALL := $(PY) -m pip install --quiet
HOST ?= 127.0.0.1
PORT ?= 8000
# A chat message is at most 4,000 characters: no frame needs more than 64 KiB.
DAPHNE_LIMITS := --websocket-max-message-size 65536 --websocket-max-frame-size 65536

.PHONY: install install-test run test bench bench-lighthouse lint format clean lock audit

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip and setuptools are upgraded first (a new venv's setuptools is years old and
# builds this project's editable install).
$(RUN_STAMP): requirements/run.lock pyproject.toml | $(PY)
	$(PIP_INSTALL) --upgrade pip setuptools
	$(PIP_INSTALL) --require-hashes -r requirements/run.lock
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

$(TEST_STAMP): requirements/test.lock pyproject.toml | $(PY)
	$(PIP_INSTALL) --upgrade pip setuptools
	$(PIP_INSTALL) --require-hashes -r requirements/test.lock
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)

# Local mode (community/settings.py): DEBUG off unless DEBUG=1, plain HTTP, a secret
# key kept under var/. Static files are collected for the non-debug storage.
LOCAL := LOCAL_MODE=1 DEBUG=$${DEBUG-0}
run: $(RUN_STAMP)
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(LOCAL) $(PY) manage.py import_resources
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) HOST=$(HOST) PORT=$(PORT) SITE_URL=$${SITE_URL-http://$(HOST):$(PORT)} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT)

test: $(TEST_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	$(PY) bench/run_all.py

# Lighthouse (npm, pinned in bench/package-lock.json) with Debian's Chromium over the
# seven key pages; needs node, npm and /usr/bin/chromium. Not part of `make test`.
bench-lighthouse: $(TEST_STAMP)
	cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse.py

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-make the lock files after changing a dependency in pyproject.toml (pip-tools,
# installed into the venv on first use). Run `make test` after: it reinstalls.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
lock: | $(PY)
	test -x $(VENV)/bin/pip-compile || $(PIP_INSTALL) "pip-tools>=7.4,<8"
	$(PIP_COMPILE) -o requirements/run.lock pyproject.toml
	$(PIP_COMPILE) --extra test --extra bench -o requirements/test.lock pyproject.toml
	$(PIP_COMPILE) --extra audit -o requirements/audit.lock pyproject.toml

# Known vulnerabilities in the locked versions (pip-audit, PyPI's advisory data);
# needs the network, so it is not part of `make test`. --strict: a package whose
# data cannot be reached fails the audit instead of passing unaudited.
audit: | $(PY)
	$(PIP_INSTALL) --require-hashes -r requirements/audit.lock
	$(VENV)/bin/pip-audit --strict --disable-pip --require-hashes -r requirements/test.lock

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
