# The two set-up commands are `make run` and `make test`; `make install` alone installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# Optional dependency groups: the app needs `dev` only; the test suite also runs the OpenFisca peer and Spark.
EXTRAS ?= dev

.PHONY: install assets run test test-fast bench lint fmt clean screenshots reliability

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

install: $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e '.[$(EXTRAS)]'
	$(MAKE) assets

# Front-end libraries pinned in package-lock.json, copied into src/cradle/web/static/vendor/ (served locally).
assets:
	npm ci --no-audit --no-fund
	npm run --silent vendor

run: install
	$(BIN)/cradle init-db
	$(BIN)/cradle serve --host 127.0.0.1 --port 8000

# .ci/run drops spark (a 1.5 GB build) from TEST_EXTRAS when the machine is short of disk; its tests then skip.
TEST_EXTRAS ?= dev,bench,spark
test: EXTRAS = $(TEST_EXTRAS)
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m cradle.reliability.depaudit
	$(BIN)/pytest -n 2 --dist loadgroup

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser and not postgres and not slow"

bench: EXTRAS = dev,bench
bench: install
	$(BIN)/python benchmarks/calc_latency.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var build *.egg-info

screenshots: install
	CRADLE_SCREENSHOTS=1 $(BIN)/pytest -q -m browser tests/browser

# Fuzzing (schemathesis, hypothesis, atheris), faults (kill -9, PostgreSQL restart), load curves (locust,
# SQLite and PostgreSQL) and exports onto a full disk, bounded (under 20 minutes on 2 cores); writes
# docs/reliability.md with the counts. The short versions of the same runs are tests in `make test` (CI).
# REL_ARGS=--quick for a shorter report.
reliability: install
	$(BIN)/python -m cradle.reliability.report $(REL_ARGS)
