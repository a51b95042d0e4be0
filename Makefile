# Thin, documented targets. Every target creates/updates the virtual environment first,
# and puts its bin/ on PATH (nbgrader runs `alembic` by name).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
CHAPTERS ?= $(notdir $(patsubst %/,%,$(sort $(dir $(wildcard source/*/*.ipynb)))))

.PHONY: help venv lab test release lint clean-state

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Reinstalls only when pyproject.toml changed since the last successful install.
$(STAMP): pyproject.toml etc/jupyterlab-overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@# JupyterLab settings for every student: no "fetch Jupyter news?" prompt.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter labextension list 2>&1 | grep -q '@jupyter/nbgrader'
	touch $(STAMP)

venv: $(STAMP)  ## create or update the virtual environment in .venv

lab: $(STAMP)  ## start JupyterLab on the student notebooks (release/), with nbgrader's menu
	mkdir -p exchange
	$(BIN)/jupyter lab --ServerApp.root_dir=release $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: $(STAMP)  ## run the whole test suite (unit, lint, release sync, grading, nbval)
	$(BIN)/python -m pytest -n 2 --dist loadfile

release: $(STAMP)  ## regenerate release/ from source/ for every chapter (CHAPTERS=01_tensors for one)
	@for chapter in $(CHAPTERS); do \
		echo "release/$$chapter"; \
		$(BIN)/nbgrader generate_assignment "$$chapter" --force --log-level=WARN || exit 1; \
	done

lint: $(STAMP)  ## ruff over the package, tests and instructor notebooks
	$(BIN)/ruff check course autograder tests source

clean-state:  ## delete nbgrader's working state (gradebook, submissions, feedback)
	rm -rf gradebook.db submitted autograded feedback
