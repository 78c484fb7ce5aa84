# Two commands for a newcomer: `make extract` and `make test`.
# Both create or refresh .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= output
INPUTS ?= $(wildcard raw/*.pdf raw/*.txt raw/*.md)
RELEASES = $(addprefix $(OUT)/,$(basename $(notdir $(INPUTS))))

.PHONY: extract test validate bench clean help

help:
	@echo "make extract   extract + validate every release in raw/ into $(OUT)/"
	@echo "make test      run the test suite"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(INPUTS) --out $(OUT)
	$(PY) -m pipeline validate $(RELEASES)

validate: $(STAMP)
	$(PY) -m pipeline validate $(RELEASES)

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(OUT) $(VENV)
