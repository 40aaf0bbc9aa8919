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

# The samples include an encrypted and an image-only PDF that are meant to fail (E105,
# E106): exit code 1 ("an input failed") is the expected result, anything else is not.
demo: $(STAMP)
	$(BIN)/attsats analyze sample_docs --out out; test $$? -le 1

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the DOCX and PDF renderings of the samples (committed).
samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py

# Regenerate golden files: the only way they change.
golden: $(STAMP)
	ATTSATS_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# Speed and memory figures (printed, not asserted).
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py sample_docs

clean:
	rm -rf out .pytest_cache
