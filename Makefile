# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run   – install what is missing, migrate, load demo data, start Redis + worker + web server
#   make test  – install what is missing and run the whole test suite
.PHONY: run test setup bench clean verify-history

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

bench: setup
	@bench/extract && bench/vi_correct && bench/render && bench/sign && bench/esign && bench/dashboard && bench/load --duration 30

clean:
	rm -rf .venv var .pytest_cache

verify-history: setup
	@.venv/bin/python -m workflows.history
