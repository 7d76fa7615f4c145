# Every target installs what it needs into .venv first, so a fresh clone needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test bench emr-run clean

$(INSTALLED): setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

## run: print the top 10 hashtags of sample_data/
run: $(INSTALLED)
	@find sample_data -type f ! -name '_*' ! -name '.*' ! -name 'expected*' -exec gzip -dcf {} + \
		| ./mapper.py | LC_ALL=C sort | ./reducer.py | LC_ALL=C sort -t '	' -k2,2nr -k1,1 | head -n 10

## test: run the whole test suite
test: $(INSTALLED)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
