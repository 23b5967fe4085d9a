# Revans: `make demo` to run it with demo data, `make test` to run every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo serve test lint format check-deploy chromium clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed  ## set everything up and serve Revans with demo data
	$(BIN)/revans demo --port $(PORT)

serve: $(VENV)/.installed  ## serve without demo data (REVANS_MODE=debug for local work)
	REVANS_MODE=$${REVANS_MODE:-debug} $(BIN)/revans migrate --noinput
	REVANS_MODE=$${REVANS_MODE:-debug} $(BIN)/revans serve --port $(PORT)

chromium:  ## the browser tests drive Debian's Chromium
	@test -x $(CHROMIUM) || command -v chromium >/dev/null || { \
	  echo "Installing Chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(VENV)/.installed
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: $(VENV)/.installed chromium lint  ## lint, then the whole test suite
	$(BIN)/pytest -q -n auto

check-deploy: $(VENV)/.installed  ## Django's deployment checklist with production settings
	REVANS_MODE=production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=revans.example.org REVANS_SITE_URL=https://revans.example.org \
	  $(BIN)/revans check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
