# Two commands matter: `make serve` (build the demo site and serve it) and
# `make test` (run every test). Everything else is a helper for those.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed

.PHONY: serve build test lint lock clean system-deps

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE)

system-deps:
	.ci/system-deps

serve: $(STAMP)  ## Build the demo site and serve it on http://127.0.0.1:8000
	$(BIN)/invoke serve

build: $(STAMP)  ## Build the demo site into output/
	$(BIN)/invoke build

test: system-deps $(STAMP) $(NODE)  ## Run every test (unit, build, browser, HTML and accessibility checks)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:  ## Regenerate requirements.lock from requirements.in
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --output-file requirements.lock requirements.in

clean:
	rm -rf output output.* .pytest_cache node_modules
