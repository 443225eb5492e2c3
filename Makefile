# taxotag: `make run` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test browser clean

run: setup
	$(BIN)/taxotag run

test: setup-test
	$(BIN)/python -m pytest -q

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test browser

# The HTML report test renders the page in Debian's headless Chromium.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: install Debian's chromium and chromium-driver to run the browser test"; fi

$(VENV)/.installed: pyproject.toml pipeline/model/_term_counts.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) out models/default
