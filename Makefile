# Two commands for a newcomer: `make extract` and `make test`.
# Both create or refresh .venv from pyproject.toml and constraints.txt when it is missing or stale.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= output
INPUTS ?= $(wildcard raw/*.pdf raw/*.txt raw/*.md)
RELEASES = $(addprefix $(OUT)/,$(basename $(notdir $(INPUTS))))

.PHONY: help extract validate review diff publish test lint typecheck browser ocr bench lock clean

help:
	@echo "make extract    extract, validate and publish every release in raw/ into $(OUT)/"
	@echo "make validate   validate the releases of raw/ already extracted into $(OUT)/"
	@echo "make review RELEASE=<id>         write $(OUT)/<id>/review.html (every figure beside its PDF crop)"
	@echo "make diff OLD=<folder> NEW=<folder> [DIFF_OUT=dir]   what changed between two releases"
	@echo "make publish    rebuild $(OUT)/budget.duckdb and $(OUT)/datapackage.json from $(OUT)/"
	@echo "make test       lint, type check and the test suite (installs what it needs)"
	@echo "make lint       ruff on pipeline/ and tests/"
	@echo "make typecheck  mypy on pipeline/"
	@echo "make bench      speed of extract on the bundled release and on large made-up decks"
	@echo "make browser    install Debian's chromium and a Japanese font (for the review page test)"
	@echo "make ocr        install Debian's Tesseract and its Japanese models (pictures and scans are read by OCR)"
	@echo "make lock       rewrite constraints.txt from a fresh install of pyproject.toml"
	@echo "make clean      remove $(OUT)/ and $(VENV)/"
	@echo "make help       this list (also plain make)"

# Every installed package, direct or not, comes from constraints.txt (make lock writes it).
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11, 3.12 or 3.13 is required; make PYTHON=python3.12 …)"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

extract: $(STAMP) ocr
	$(PY) -m pipeline extract $(INPUTS) --out $(OUT)
	$(PY) -m pipeline validate $(RELEASES)
	$(PY) -m pipeline publish --out $(OUT)

validate: $(STAMP)
	$(PY) -m pipeline validate $(RELEASES)

publish: $(STAMP)
	$(PY) -m pipeline publish --out $(OUT)

review: $(STAMP)
	@test -n "$(RELEASE)" || { echo "usage: make review RELEASE=<release id> (a folder in $(OUT)/)"; exit 2; }
	$(PY) -m pipeline review $(OUT)/$(RELEASE)

# NEW alone gives the year-over-year table inside one release. Writes diff.csv, diff.md, chart.png (+ consistency.csv).
diff: $(STAMP)
	@test -n "$(NEW)" || { echo "usage: make diff OLD=output/<old release> NEW=output/<new release> [DIFF_OUT=dir]"; exit 2; }
	$(PY) -m pipeline diff $(OLD) $(NEW) --out $(if $(DIFF_OUT),$(DIFF_OUT),$(OUT)/diff)

test: $(STAMP) browser ocr lint typecheck
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Headless Chromium (Debian's package) and a Japanese font, for the review
# page's browser test. Installed when missing and we are root with apt.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and fonts-noto-cjk (Debian packages) for the review page test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "note: chromium is missing and cannot be installed here; the browser test will be skipped"; fi

# Tesseract (Debian's package) and its Japanese models (the script model is used), for the
# pictures of a PDF (pipeline/ocr.py). Installed when missing and we are root
# with apt; without them image regions and scanned pages are left unread (and
# validation says so).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan
ocr:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx Japanese; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(OCR_PACKAGES) (Debian packages) for OCR of pictures"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES) >/dev/null; \
	else echo "note: tesseract with the Japanese model is missing and cannot be installed here; pictures will not be read"; fi

bench: $(STAMP) ocr
	$(PY) -m pipeline.bench

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	{ echo "# Every package make installs, at the version the tests ran with. Written by make lock."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(OUT) $(VENV)
