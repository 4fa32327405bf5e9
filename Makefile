# Set-up and everyday commands. Every target reads the same environment (and .env).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

# The newest Python 3.11+ on the machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup run test migrate worker beat serve bench lint format clean

help:
	@echo "make run     set up and serve on http://$(HOST):$(PORT) (embedded default: SQLite, inline tasks, console email)"
	@echo "make test    set up and run every test"
	@echo "make migrate | worker | beat | serve | bench | lint (ruff and mypy)"

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-mysql.txt scripts/setup_venv.sh scripts/apt.sh
	@PYTHON="$(PYTHON)" VENV="$(VENV)" bash scripts/setup_venv.sh
	@touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

worker: setup
	$(VENV)/bin/celery -A animatic_vision worker --loglevel=INFO -Q "$${CELERY_WORKER_QUEUES:-default,emails,segmentation,render}"

beat: setup
	$(VENV)/bin/celery -A animatic_vision beat --loglevel=INFO --schedule=var/celerybeat-schedule

serve: migrate
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn -c gunicorn.conf.py animatic_vision.wsgi:application

bench: setup
	@bash scripts/bench_tools.sh
	$(PY) bench/run_all.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
