# Two entry points for a fresh clone: `make run` (index the corpus, serve API and web page) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STORE ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run index serve test lint browser-deps

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# torch first and pinned: the CPU wheel; an unpinned torch would pull gigabytes of CUDA packages.
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

index: install
	$(PY) -m indexer corpus --store $(STORE)

serve: install
	$(PY) -m api --store $(STORE) --host $(HOST) --port $(PORT)

run: index serve

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy indexer api evals
	$(PY) -m evals check
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
