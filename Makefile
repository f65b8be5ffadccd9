# Two commands from a fresh clone: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE_DIR ?= site

# mkdocs-material prints a banner about MkDocs 2.0 before every command; it says nothing
# about this project's own build.
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: site test serve check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

serve: $(STAMP)
	$(BIN)/mkdocs serve

check: $(STAMP)
	$(BIN)/plans check

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(SITE_DIR) $(VENV)
