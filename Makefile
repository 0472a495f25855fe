# Two entry points, both self-installing on a fresh machine:
#   make run   - set up .venv, build the index of the seed article, serve the web UI
#   make test  - set up .venv (+ Chromium for browser tests), run lint, types and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 7860

# Nothing may reach a model hub or phone home at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install browser lint bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch pinned in the same command: 2.13.0 is a local CPU build; unpinned pip pulls CUDA.
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[test]'
	touch $@

install: $(VENV)/.installed

browser:
	# Debian's Chromium: Playwright cannot download its own browser offline.
	@command -v chromium >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/qa index
	$(BIN)/qa serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check qa embeddings ui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python benchmarks/validate_sets.py

test: install browser lint
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/run_all.py
