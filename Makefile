# The two commands a newcomer needs: `make run` (the full demo) and `make test` (everything).
.PHONY: run test setup lint bench clean-node

run:
	bash scripts/setup.sh
	.venv/bin/python -m demo

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

# The gates of .pre-commit-config.yaml, in the same order.
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy
	.venv/bin/lint-imports --no-cache
	.venv/bin/vulture

bench:
	bash scripts/setup.sh
	.venv/bin/python -m bench.crawl
	.venv/bin/python -m bench.index
	.venv/bin/python -m bench.search
	.venv/bin/python -m bench.relevance
	.venv/bin/python -m bench.cluster

clean-node:
	.venv/bin/kennisbrug es stop || true
