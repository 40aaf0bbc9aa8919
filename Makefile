# Two commands for a newcomer: `make demo` and `make test`. Both install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint samples golden bench clean

install: $(STAMP)

$(STAMP): pyproject.toml scripts/install.sh system-packages.txt
	bash scripts/install.sh "$(PYTHON)" "$(VENV)"
	touch $(STAMP)

# The main job on the shipped samples: a batch on the embedded Prefect default, one
# folder per document in out/ plus rapport.html. The image-only PDF is read by OCR; the
# encrypted PDF fails on purpose (E105) and is reported, not fatal; a second run adds nothing.
demo: $(STAMP)
	$(BIN)/attsats batch sample_docs --out out

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the DOCX and PDF renderings of the samples and the Word template (committed).
samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py
	$(BIN)/python scripts/make_templates.py

# Regenerate golden files: the only way they change.
golden: $(STAMP)
	ATTSATS_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# Speed and memory figures (printed, not asserted).
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py sample_docs

clean:
	rm -rf out .pytest_cache
