# Kehu: `make run` starts the CRM with demo data; `make test` runs every check CI runs.
# Both install what is missing on a fresh Debian machine (as root, or with sudo).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.DEFAULT_GOAL := help
.PHONY: help deps frontend run test lint fmt openapi db-stop bench

help:
	@echo "make run      start Kehu with a demo organization on http://127.0.0.1:8080"
	@echo "make test     formatting, lints and every test (what CI runs)"
	@echo "make openapi  regenerate openapi.yaml from the code"
	@echo "make bench    seed a generated dataset (KEHU_BENCH_SCALE=demo|small|medium|large, default"
	@echo "              large), measure the API with wrk and its SQL with pgbench, write BENCHMARKS.md"
	@echo "make fmt      format the code"
	@echo "make db-stop  stop the private PostgreSQL clusters"

deps:
	@scripts/deps.sh

frontend: deps
	@scripts/build-frontend.sh

# DATABASE_URL, when set, is used instead of the private cluster under .data/. The release build:
# what is served should be what is measured (tests stay on the faster-to-build debug profile).
run: deps frontend
	@url="$${DATABASE_URL:-$$(scripts/pg.sh ensure run)}"; \
	DATABASE_URL="$$url" KEHU_DEMO=1 $(CARGO) run --release --quiet -- serve

# Browser tests (tests/e2e) fail rather than skip when Chromium is missing; deps installs it.
test: export KEHU_NEED_BROWSER = 1
test: deps frontend lint
	@export KEHU_TEST_DATABASE_URL="$$(scripts/pg.sh ensure test)"; \
	$(CARGO) test --workspace --locked
	cd frontend && $(CARGO) test --locked

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd frontend && $(CARGO) fmt --check && $(CARGO) clippy --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all
	cd frontend && $(CARGO) fmt

openapi:
	$(CARGO) run --quiet -- openapi > openapi.yaml

# Not part of `test`: minutes of load on a big dataset (seeded once, then reused).
bench: deps
	@scripts/bench.sh

db-stop:
	@scripts/pg.sh stop run; scripts/pg.sh stop test
