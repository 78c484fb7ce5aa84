# Two commands for a newcomer: `make extract` and `make test`.
# Both create or refresh .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= output
INPUTS ?= $(wildcard raw/*.pdf raw/*.txt raw/*.md)
RELEASES = $(addprefix $(OUT)/,$(basename $(notdir $(INPUTS))))

.PHONY: extract test validate review browser bench clean help

help:
	@echo "make extract   extract + validate every release in raw/ into $(OUT)/"
	@echo "make test      run the test suite"
	@echo "make review RELEASE=<id>   write $(OUT)/<id>/review.html"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(INPUTS) --out $(OUT)
	$(PY) -m pipeline validate $(RELEASES)
	$(PY) -m pipeline publish --out $(OUT)

validate: $(STAMP)
	$(PY) -m pipeline validate $(RELEASES)

test: $(STAMP) browser
	$(PY) -m pytest

review: $(STAMP)
	@test -n "$(RELEASE)" || { echo "usage: make review RELEASE=<release id> (a folder in $(OUT)/)"; exit 2; }
	$(PY) -m pipeline review $(OUT)/$(RELEASE)

# Headless Chromium (Debian's package) and a Japanese font, for the review
# page's browser test. Installed when missing and we are root with apt.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and fonts-noto-cjk (Debian packages) for the review page test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "note: chromium is missing and cannot be installed here; the browser test will be skipped"; fi

bench: $(STAMP)
	$(PY) -m pipeline.bench

clean:
	rm -rf $(OUT) $(VENV)

# make diff OLD=output/<old release> NEW=output/<new release> [DIFF_OUT=dir]; NEW alone gives the
# year-over-year table inside one release. Writes diff.csv, diff.md, chart.png (+ consistency.csv).
.PHONY: diff
diff: $(STAMP)
	@test -n "$(NEW)" || { echo "usage: make diff OLD=output/<old release> NEW=output/<new release> [DIFF_OUT=dir]"; exit 2; }
	$(PY) -m pipeline diff $(OLD) $(NEW) --out $(if $(DIFF_OUT),$(DIFF_OUT),$(OUT)/diff)
