# Everything a reader or a contributor runs. Each target creates .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-requirements
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint build offline new-topic soak clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=python3.11 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)  ## live-reloading site on http://127.0.0.1:8000 (labs shown unexecuted)
	SITE_URL=http://127.0.0.1:8000/ LABS_EXECUTE=false LABS_CACHE=true PRINT_SITE=false \
		$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint  ## lint, type-check, then every example, page, test and a strict build
	$(BIN)/pytest

build: $(STAMP)  ## strict build into site/
	LABS_EXECUTE=true LABS_CACHE=false $(BIN)/mkdocs build --strict --site-dir site

offline: DIST ?= dist
offline: $(STAMP)  ## dist/backend-engineering-offline.zip: the site for file://, search included
	rm -rf $(DIST)/backend-engineering $(DIST)/backend-engineering-offline.zip
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(DIST)/backend-engineering
	$(BIN)/python -m zipfile -c $(DIST)/backend-engineering-offline.zip $(DIST)/backend-engineering

soak: RUNS ?= 10
soak: BUSY ?= 0
soak: $(STAMP)  ## make soak RUNS=10 BUSY=2: the timing-sensitive tests again and again, failures per test
	$(BIN)/python benchmarks/soak.py --runs $(RUNS) --busy $(BUSY)

new-topic: $(STAMP)  ## make new-topic NAME="Push"
	$(BIN)/python scripts/new_topic.py "$(NAME)"

clean:
	rm -rf site dist .cache .mypy_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
