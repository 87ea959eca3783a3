# smartcity_analysis: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: run test test-fast lab bench lint sample docs clean help

help:
	@echo "make run    - install into .venv and run the whole analysis on data/raw"
	@echo "make test   - install into .venv and run the test suite"
	@echo "make test-fast - the suite without the slow end-to-end tests"
	@echo "make lab    - open JupyterLab with the package installed"
	@echo "make bench  - run the benchmarks, write benchmarks/results.md"
	@echo "make sample - regenerate the synthetic sample data in data/raw"

# The install is redone only when the project's dependency list changes.
$(STAMP): pyproject.toml
	@echo "Installing smartcity_analysis and its dependencies into $(VENV) (first time: a few minutes) ..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --progress-bar off -e '.[dev]' | grep -E '^(Collecting|Successfully installed)' | sed 's/^/  /' || true
	@$(BIN)/python -c "import smartcity_analysis" || { echo "install failed: see the messages above"; exit 1; }
	@touch $(STAMP)
	@echo "Installed."

run: $(STAMP)
	$(BIN)/smartcity run --raw data/raw --out data/processed

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# the edit-test loop: everything but the slow end-to-end tests, in under a minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

# --allow-root: containers and CI machines run as root, where JupyterLab refuses to start otherwise
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,) notebooks/

# issue 16's targets, each in a fresh process (about 30 minutes; data cached in
# ~/.cache/smartcity_analysis/bench); BENCH_ARGS="--quick" or "--only national_run" for less
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/run_benchmarks.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check smartcity_analysis tests scripts benchmarks

sample: $(STAMP)
	$(BIN)/python scripts/make_sample_data.py

clean:
	rm -rf $(VENV) data/processed/*/

docs: $(STAMP)
	$(BIN)/python -c "import smartcity_analysis.presentation.catalogue as c; c.write_problem_catalogue()"
