# Councils: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-unit test-faults lint bench migrate k8s-check browser clean translations messages

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory translations
	@touch $(STAMP)

# Message catalogues: one translations/<lang>/LC_MESSAGES/messages.po per language and domain.
CATALOGUES := gateway/web services/notify

translations:  ## compile every .po to its .mo (also done on first use when one is missing)
	@for d in $(CATALOGUES); do $(VENV)/bin/pybabel -q compile -d $$d/translations || exit 1; done

messages: $(STAMP)  ## re-extract the messages from the code and update every language's .po
	@for d in $(CATALOGUES); do \
	  $(VENV)/bin/pybabel -q extract -F $$d/babel.cfg -o $$d/translations/messages.pot \
	    --no-wrap --project Councils --copyright-holder Councils $$d || exit 1; \
	  $(VENV)/bin/pybabel -q update -i $$d/translations/messages.pot -d $$d/translations \
	    --width 100 --no-fuzzy-matching --ignore-obsolete || exit 1; \
	  rm $$d/translations/messages.pot; \
	  sed -i '/^"POT-Creation-Date:/d' $$d/translations/*/LC_MESSAGES/messages.po; \
	done

run: $(STAMP)  ## the whole system on embedded defaults (Ctrl-C stops it)
	$(PY) -m services.common.devstack

test: $(STAMP) lint k8s-check browser  ## lint, manifests, then the whole suite
	$(PY) -m pytest -q

test-unit: $(STAMP)  ## the unit tier alone: no database, no broker, under a minute
	$(PY) -m pytest -q tests/unit

test-faults: $(STAMP)  ## the fault suite: own PostgreSQL and RabbitMQ, faults under load (< 15 min)
	$(PY) -m tests.faults.run

browser:  ## Debian's Chromium and npm (for axe-core) for the browser tests; never a downloaded browser
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)

lint: $(STAMP)  ## formatting, lint with complexity, types (pyproject.toml says what and how strict)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(STAMP)  ## benchmarks that print figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b --quick || exit 1; done

k8s-check:  ## render every overlay, validate strictly, lint, check the Containerfile and wheel
	$(PYTHON) k8s/check.py

migrate: $(STAMP)
	$(PY) -m services.common.migrate

clean:
	rm -rf .run .pytest_cache
