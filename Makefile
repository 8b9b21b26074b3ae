# The two set-up commands are `make run` and `make test`; `make install` alone installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# Optional dependency groups: the app needs `dev` only; the test suite also runs the OpenFisca peer and Spark.
EXTRAS ?= dev

.PHONY: install system-deps assets run test test-fast bench lint fmt clean screenshots reliability

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

# Debian's PostgreSQL, chromium, CJK fonts, node/npm and Java (scripts/system-deps.sh lists them and why).
system-deps:
	./scripts/system-deps.sh

# Byte-compiled once here: otherwise every interpreter (each test process, each spawned worker, each `cradle`
# subprocess) compiles what it imports, and writes nothing back where PYTHONDONTWRITEBYTECODE is set (importing
# the app took 3.6 s of CPU instead of 1.2 s). compileall skips what is up to date.
install: system-deps $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e '.[$(EXTRAS)]'
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib src
	$(MAKE) assets

# Front-end libraries pinned in package-lock.json, copied into src/cradle/web/static/vendor/ (served locally).
assets:
	npm ci --no-audit --no-fund
	npm run --silent vendor

run: install
	$(BIN)/cradle init-db
	$(BIN)/cradle serve --host 127.0.0.1 --port 8000

# PySpark ships as a source archive: building it takes about 1.5 GB on top of the rest (about 2 GB). A machine
# with less free disk than both tests without it (tests/batch/test_spark.py then skips) and keeps no download cache.
FREE_MB := $(shell df -Pm . 2>/dev/null | awk 'NR==2 {print $$4}')
ifeq ($(shell [ "$(FREE_MB)" -lt 6000 ] 2>/dev/null && echo low),low)
TEST_EXTRAS ?= dev,bench
export UV_NO_CACHE = 1
else
TEST_EXTRAS ?= dev,bench,spark
endif
test: EXTRAS = $(TEST_EXTRAS)
test: install
	@echo "free disk: $(FREE_MB) MB; extras: $(TEST_EXTRAS)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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
