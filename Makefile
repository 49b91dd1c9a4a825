# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages makemessages bench stack clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Django's compilemessages needs GNU gettext; Babel (pure Python) stands in where it is missing.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else \
		$(BIN)/pybabel -q compile -d locale -D django; \
	fi

makemessages: $(STAMP)
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=staticfiles

run: messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: messages lint
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

bench: messages
	$(BIN)/python scripts/bench.py

# The production stack on this machine: nginx (deploy/nginx.conf) in front of two gunicorn
# instances, PostgreSQL and Redis on 127.0.0.1, checked end to end (scripts/stack.py).
stack: messages
	$(BIN)/python scripts/stack.py $(STACK_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
