# Two commands do everything on a fresh machine: `make demo` and `make test`.
# Both install into ./.venv first when needed (once; a second run only checks a stamp).
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp
# The exact releases this project is tested with. They lie on the build machine's disk; on a CUDA
# machine pick the build that matches your driver, e.g. `make TORCH="torch torchvision" test`,
# or use environment.yml with conda.
TORCH ?= torch==2.14.1 torchvision==0.29.1

.PHONY: install demo test sync-check lab clean-venv

install: $(STAMP)

$(STAMP): settings.ini setup.py
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing torch ($(TORCH)) and scnet[dev] into $(VENV) ..."
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: install
	$(BIN)/scnet demo

# Fails when the notebooks and the library disagree or a notebook is not clean; then tests every
# notebook twice: with nbdev_test (no kernel) and once through a real Jupyter kernel, as JupyterLab runs it.
test: install sync-check
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python .ci/test_notebooks.py

sync-check: install
	@before=$$(find nbs scnet -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/.ipynb_checkpoints/*' | sort | xargs sha1sum); \
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean; \
	after=$$(find nbs scnet -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/.ipynb_checkpoints/*' | sort | xargs sha1sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_export/nbdev_clean changed these files (now fixed on disk; review and commit them):"; \
	  diff <(echo "$$before") <(echo "$$after") | grep '^[<>]' | awk '{print "  " $$3}' | sort -u; exit 1; fi; \
	echo "notebooks clean and library in sync"

lab: install
	$(BIN)/jupyter lab nbs

clean-venv:
	rm -rf $(VENV)
