# The two commands a fresh machine needs (see README): `make app` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: app test setup setup-test browser lint messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

# Browser tests drive Debian's chromium (Playwright's own browser download is not used).
browser:
	@bash scripts/ensure_chromium.sh

app: setup
	$(BIN)/streamlit run app.py

test: setup-test browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The Ukrainian catalogue brought up to date with the messages marked in the code (docs/i18n.md):
# new messages arrive untranslated, removed ones are dropped; translate, then run the tests.
# Besides gettext's names, the templates of messages made below the interface (i18n/message.py).
CATALOGUE := src/oblastwatch/i18n/uk.po
MESSAGE_KEYWORDS := -k Message -k plural_message:1,2
messages: setup-test
	@mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg $(MESSAGE_KEYWORDS) --no-location --sort-output \
		--project=oblastwatch -o build/oblastwatch.pot app.py pages src/oblastwatch
	$(BIN)/pybabel update -i build/oblastwatch.pot -o $(CATALOGUE) -l uk --init-missing \
		--no-fuzzy-matching --ignore-obsolete
