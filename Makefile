# Two commands run everything on a fresh machine with Python 3.11+ and pip:
#   make reports   build every region's reports and the summary into reports/
#   make test      run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test data benchmark lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/workbench run

test: $(STAMP)
	$(BIN)/python -m pytest

data: $(STAMP)
	$(BIN)/workbench data build

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_data.py
	$(BIN)/python benchmarks/bench_widgets.py

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf reports
