# The set-up and the two commands: `make book` and `make test` (see README.md).
# Both create .venv from requirements.txt when it is missing, and refresh it when
# requirements.txt or pyproject.toml change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Sphinx warnings are errors; -n reports every broken reference; --keep-going lists them all;
# --all re-reads every page. Chapters are executed through jupyter-cache (_config.yml), which
# is emptied first (the library may have changed since the cache was filled).
BOOK_FLAGS := -W -n --keep-going --all
BOOK_CACHE := _build/.jupyter_cache

.PHONY: book test test-lib test-notebooks test-book lab clean help assignments

help:
	@echo "make book   - build the HTML book into _build/html (executes every notebook)"
	@echo "make test   - library tests, every notebook through nbval, the book build and browser checks"
	@echo "make lab    - open the notebooks in JupyterLab"
	@echo "make assignments - student notebooks and the instructor key in _build/assignments"
	@echo "make clean  - remove _build and caches (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "plrnn_lib supports Python 3.10 to 3.12; this is %d.%d. Run e.g. make PYTHON=python3.11 ..." % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	rm -rf $(BOOK_CACHE)
	$(BIN)/jupyter-book build . --builder html $(BOOK_FLAGS)
	@echo "The book is in _build/html/index.html"

# In `make test` the notebook tests execute each chapter once and store the result in the
# book's cache (conftest.py); the book build then renders those outputs.
test: test-lib test-notebooks
	$(BIN)/python -m pytest tests -m book -v

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests -m "not book" -q

test-notebooks: $(STAMP)
	rm -rf $(BOOK_CACHE)
	$(BIN)/python -m pytest --nbval-lax book --durations=0 -q -p no:cacheprovider

test-book: $(STAMP)
	rm -rf $(BOOK_CACHE)
	$(BIN)/python -m pytest tests -m book -v

lab: $(STAMP)
	$(BIN)/jupyter lab book

# Student notebooks (solutions replaced by stubs) and the instructor key, with nbgrader
# metadata, from every chapter in book/ (see book/instructors.md).
assignments: $(STAMP)
	$(BIN)/python -m plrnn_lib.assignments --book book --out _build/assignments

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
