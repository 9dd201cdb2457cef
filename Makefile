# parallax: `make run` and `make test` each do all of their own set-up on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= build/example/parallax.db
OUT ?= build/example
DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test browser postgres lint typecheck unit eval bench-extraction bench-extract bench-dedup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,web,eval,browser,parquet,postgres,distributed]'
	touch $(STAMP)

## run: set up, analyse the bundled example corpus into SQLite, write the report, serve it on 127.0.0.1:8000
run: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/parallax analyze examples/karabakh-2023 --out $(OUT) --db $(DB)
	@echo "report: $(OUT)/index.html"
	@echo "open http://$(HOST):$(PORT)/"
	$(BIN)/parallax serve --db $(DB) --host $(HOST) --port $(PORT)

## test: set up with the dev extras, Debian chromium and PostgreSQL (browser, store tests), then ruff, mypy, pytest
test: browser postgres lint typecheck unit

## browser: install Debian's chromium for the browser tests when missing (apt-get; root or sudo)
browser:
	scripts/install-browser.sh

## postgres: install Debian's PostgreSQL server when missing: the store tests start their own on 127.0.0.1 (apt-get)
postgres:
	scripts/install-postgres.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

## eval: the evaluation gates on the labeled data in ../shared/data (pinned floors and data hashes)
eval: $(STAMP)
	$(BIN)/python -m parallax.gates --data $(DATA)

## bench-extraction: time parallax's HTML path against bare trafilatura on the extraction benchmark (benchmarks/results)
bench-extraction: $(STAMP)
	$(BIN)/python benchmarks/bench_extraction.py --data $(DATA)

## bench-extract: articles/s of clean + extract on allsides_baly_bias, pysbd against the default splitter (benchmarks/results)
bench-extract: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py --data $(DATA)

## bench-dedup: parallax's near-duplicate path against datasketch MinHashLSH on allsides_baly_bias (benchmarks/results)
bench-dedup: $(STAMP)
	$(BIN)/python benchmarks/bench_dedup.py --data $(DATA) --datasketch-defaults

## bench-web: latency of the real server over a store of the 37.5k allsides_baly_bias articles (built once, cached in benchmarks/.cache)
.PHONY: bench-web
bench-web: $(STAMP)
	$(BIN)/python benchmarks/bench_web.py --data $(DATA)

## bench-engines: the whole pipeline on allsides_baly_bias with the local engine and Ray on 1 and 2 CPUs (LIMIT=N for the first N)
.PHONY: bench-engines bench-scale
bench-engines: $(STAMP)
	$(BIN)/python benchmarks/bench_engines.py --data $(DATA) $(if $(LIMIT),--limit $(LIMIT))

## bench-scale: the cost curve, time and memory of the local pipeline against corpus size (SIZES="10000 20000 ...", ADD=1 keeps the other sizes)
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py --data $(DATA) $(if $(SIZES),--sizes $(SIZES)) $(if $(ADD),--add)

## bench-update: adding articles to a store of BASE=N real articles: update_stories against a rebuild (benchmarks/results)
.PHONY: bench-update
bench-update: $(STAMP)
	$(BIN)/python benchmarks/bench_update.py --data $(DATA) $(if $(BASE),--base $(BASE) --out benchmarks/results/update_$(BASE).json)

clean:
	rm -rf build .mypy_cache .pytest_cache .ruff_cache
