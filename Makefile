# partnerhub — the two commands a new user needs are `make serve` and `make test`.
# The virtual environment is created on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: serve test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/partnerhub serve

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# `make bench`: not part of `make test`. BENCH_RUNS lists backend:workers pairs; BENCH_ARGS
# goes to bench/run.py (e.g. BENCH_ARGS="--duration 5" for a quick check). See README.
BENCH_RUNS ?= sqlite:1 postgresql:2
BENCH_ARGS ?=

bench: $(STAMP)
	@for run in $(BENCH_RUNS); do \
	  $(BIN)/python bench/run.py --backend $${run%%:*} --workers $${run##*:} $(BENCH_ARGS) || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
