# Ceiba: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | sha1sum | cut -c1-12)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run serve migrate demo test test-postgres e2e lint typecheck layers migrations-check check messages vendor clean

install: $(STAMP)

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

migrate: install
	$(BIN)/ceiba migrate --noinput

SHARED_DATA ?= ../shared/data

demo: migrate
	$(BIN)/ceiba demo
	$(BIN)/ceiba demo_documentation
	$(BIN)/ceiba demo_assessment
	$(BIN)/ceiba demo_policy
	@# The observatory's demo imports the publishers' real files where they are (never copied here).
	if [ -d "$(SHARED_DATA)" ]; then $(BIN)/ceiba observatory demo --data "$(SHARED_DATA)"; \
	else $(BIN)/ceiba observatory seed; fi

run: demo
	$(BIN)/ceiba collectstatic --noinput --verbosity 0
	@echo "Serving Ceiba on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(BIN)/ceiba serve

test: install
	$(BIN)/pytest --ds=config.settings.test -m "not e2e" -n 2 --create-db

test-postgres: install
	CEIBA_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest --ds=config.settings.test -m "not e2e" -n 2 --create-db

e2e: install
	mkdir -p var/screenshots
	$(BIN)/pytest --ds=config.settings.test -m e2e tests/e2e --create-db -p no:xdist

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check ceiba config tests bench

typecheck: install
	$(BIN)/mypy ceiba config

layers: install
	$(BIN)/lint-imports

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/ceiba makemigrations --check --dry-run

check: lint typecheck layers migrations-check
	CEIBA_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) CEIBA_ALLOWED_HOSTS=ceiba.example.org DJANGO_SETTINGS_MODULE=config.settings.production \
		$(BIN)/ceiba check --deploy --fail-level WARNING

messages: install
	cd ceiba && DJANGO_SETTINGS_MODULE=config.settings.local ../$(BIN)/django-admin makemessages --locale es --locale pt --locale fr --locale en --no-obsolete --no-wrap --ignore 'static/*'
	cd ceiba && DJANGO_SETTINGS_MODULE=config.settings.local ../$(BIN)/django-admin compilemessages

vendor: install
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent htmx.org@2.0.11 && tar xzf htmx.org-2.0.11.tgz && \
		cp package/dist/htmx.min.js package/LICENSE $(CURDIR)/ceiba/static/ceiba/vendor/htmx/
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent cytoscape@3.35.0 && tar xzf cytoscape-3.35.0.tgz && \
		mkdir -p $(CURDIR)/ceiba/static/ceiba/vendor/cytoscape && \
		cp package/dist/cytoscape.min.js package/LICENSE $(CURDIR)/ceiba/static/ceiba/vendor/cytoscape/
	$(BIN)/ceiba observatory vendor

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
