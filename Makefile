# Two commands for a newcomer: `make demo` and `make test`. Both install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-routes test-slow loco lint samples golden model bench bench-quick clean

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

# The slow routes: every corpus read through every rendering (own typesetter, the shared
# render.py, LibreOffice), renderings cached by content; fails where a target listed in
# tests/evaluation_enforced.txt slips. A route whose tool is missing is skipped, said so.
test-routes: $(STAMP)
	$(BIN)/attsats evaluate --routes all --enforce @tests/evaluation_enforced.txt \
		--report out/evaluation-routes.json

# How the trained text classifiers score on a corpus they were not trained on (trains).
loco: $(STAMP)
	$(BIN)/attsats evaluate --loco

# The long reliability runs (500 documents: kill -9 mid-batch, the embedded Prefect
# default without "database is locked"); `make test` leaves them out (marker `slow`).
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

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

# Retrain the shipped clause classifier from pipeline/nlp/training/ (deterministic): the only
# way the committed model changes. `attsats train --out DIR` trains anywhere else.
model: $(STAMP)
	$(BIN)/attsats train --out pipeline/nlp/models/clause_textcat

# Speed and memory against pdfplumber, pypdfium2 and unstructured on one deterministic archive
# (bench/): prints the table, writes bench/results.json and BENCHMARKS.md. Figures, not tests.
# The full run takes about 20 minutes on 2 cores (more the first time), bench-quick under 10.
# unstructured gets its own venv under ~/.cache/attsats/bench on first use (a few minutes more, once).
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

clean:
	rm -rf out .pytest_cache
