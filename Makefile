# Every target installs what it needs into .venv first, so a fresh clone needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test bench scripts emr-run clean

$(INSTALLED): setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

## run: print the top 10 hashtags of sample_data/
run: $(INSTALLED)
	$(BIN)/hashtag-count top sample_data -n 10

## test: run the whole test suite
test: $(INSTALLED)
	$(BIN)/python -m pytest

## scripts: rebuild mapper.py and reducer.py from the package's modules (standard library only)
scripts:
	$(PYTHON) tools/build_scripts.py

## bench: mapper/reducer MB/s on 200 MB, then every local engine vs DuckDB and Polars on 512 MB stream, delete-heavy, .gz and }{ corpora (cached in bench/data/)
bench: $(INSTALLED)
	$(BIN)/python bench/bench_streaming.py
	$(BIN)/python bench/bench_memory.py
	$(BIN)/python -m pip install --quiet -e '.[bench,test]'
	$(BIN)/python bench/bench_engines.py

## emr-run: count on AWS EMR: make emr-run INPUT=s3://tweets/firehose FROM=2017-02-01 TO=2017-02-28 CODE=s3://my-code/hashtag-count [ARGS='--dry-run']
emr-run: $(INSTALLED)
	@test -n "$(INPUT)" -a -n "$(CODE)" || { echo "usage: make emr-run INPUT=s3://... [FROM=YYYY-MM-DD TO=YYYY-MM-DD] CODE=s3://... [ARGS='more options']" >&2; exit 2; }
	@$(BIN)/hashtag-count emr run --input '$(INPUT)' $(if $(FROM),--from '$(FROM)') $(if $(TO),--to '$(TO)') --code-uri '$(CODE)' $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
