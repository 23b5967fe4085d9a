# Revans: `make demo` to run it with demo data, `make test` to run every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo serve test lint format check-deploy chromium clean lock

# uv installs exactly what uv.lock names (versions and hashes); it lives in a small venv of its
# own, itself installed from hashes, so that the project's venv holds only the project.
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

$(UV): uv-requirements.txt
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r uv-requirements.txt
	touch $@

# --locked: stop, rather than resolve anew, when uv.lock and pyproject.toml disagree.
# --compile-bytecode, and compileall for Revans' own modules: every process then reads compiled
# modules instead of compiling each one it imports, as it would where Python may not write
# its cache (PYTHONDONTWRITEBYTECODE): about 2.5 s a process, which the test suite starts
# dozens of. Then the grouping engine's compiled search goes into numba's cache, once, so that
# the first search after installing spends its time limit searching, not compiling (8–15 s).
$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet --compile-bytecode
	$(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -c "from revans.grouping.kernel import compile_all; compile_all()"
	touch $@

lock: $(UV)  ## resolve pyproject.toml's ranges into uv.lock (UPGRADE=1: newest allowed versions)
	$(UV) lock $(if $(UPGRADE),--upgrade)

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
	$(UV) lock --check --quiet
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	REVANS_MODE=test $(BIN)/mypy

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
	rm -rf $(VENV) $(UV_HOME) var .pytest_cache .ruff_cache
