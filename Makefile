# The two commands: `make run` serves the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev install-load lint format bench load backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_camau_2023
	$(BIN)/python manage.py simulate_history
	$(BIN)/python manage.py remind
	scripts/serve.sh

# Browser tests need Debian's chromium; install it when missing (needs root, as on CI).
test: install-dev
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Cần cài chromium: sudo apt-get install chromium" >&2; exit 1; fi; }
	$(BIN)/python -m pytest

# Style (ruff) and the direction of imports between the apps (import-linter, contracts in .importlinter).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Speed of the dashboard on generated data: make bench TASKS=100000
TASKS ?= 100000
bench: install
	$(BIN)/python manage.py bench_dashboard --tasks $(TASKS)

# A dated folder under var/backups/ (BACKUP_DIR): database dump, uploaded files, manifest.json.
# 50 users on 100,000 simulated tasks for 2 minutes, PostgreSQL + gunicorn DEBUG=0 (scripts/load.sh):
# make load [LOAD_TASKS=… LOAD_SECONDS=… LOAD_DATABASE_URL=postgres://…/camau_load]
$(VENV)/.installed-load: requirements-load.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-load.txt
	touch $@

install-load: $(VENV)/.installed-load

load: install-load
	scripts/load.sh

backup: install
	$(BIN)/python manage.py backup

# Replaces the database and the uploaded files: make restore BACKUP=var/backups/2026-12-03_0905
restore: install
	@test -n "$(BACKUP)" || { echo "Chỉ định bản sao lưu: make restore BACKUP=var/backups/<thư mục>" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" --yes

clean:
	rm -rf $(VENV) var
