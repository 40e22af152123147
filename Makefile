# zhenggai — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint doccheck bench snapshots demo check clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "zhenggai 需要 Python 3.11 或更高版本")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/zhenggai

test: lint
	$(PY) -m pytest -q

# Every kind of document rendered by LibreOffice and measured (28 × 22, titles, rows, page
# numbers); part of `make test` too, skipped there where LibreOffice is absent.
doccheck: $(STAMP)
	$(PY) -m pytest -m render -v tests/test_render.py tests/test_render_sheets.py

# Mistakes (ruff) and the layers (import-linter: storage <- writers <- tui); `make test` runs it first.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) benchmarks/run.py

snapshots: $(STAMP)
	$(PY) -m pytest -q tests -k snapshot --snapshot-update

demo: $(STAMP)
	$(VENV)/bin/zhenggai demo

check: $(STAMP)
	$(VENV)/bin/zhenggai check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
