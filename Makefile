# Two commands matter: `make serve` (build the demo site and serve it) and
# `make test` (run every test). Everything else is a helper for those.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test lint lock clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

serve: $(STAMP)  ## Build the demo site and serve it on http://127.0.0.1:8000
	$(BIN)/invoke serve

build: $(STAMP)  ## Build the demo site into output/
	$(BIN)/invoke build

test: $(STAMP)  ## Run every test (unit, build, browser)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:  ## Regenerate requirements.lock from requirements.in
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --output-file requirements.lock requirements.in

clean:
	rm -rf output output.* .pytest_cache
