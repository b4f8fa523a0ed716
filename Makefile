# Two commands: `make run` (main job on the bundled example) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-embeddings bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/storyline run examples/geneva-2022 --db sqlite:///storyline.db --report storyline-report.html

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

# The optional embeddings extra, tested on its own: torch's CPU wheel first (pip would
# otherwise pull several GB of CUDA builds), then the extra, then its tests.
test-embeddings: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[embeddings]'
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q tests/test_embeddings.py

bench: $(STAMP)
	$(BIN)/python bench/junk_aeb.py

clean:
	rm -rf $(VENV) storyline.db storyline-report.html .mypy_cache .ruff_cache .pytest_cache
