#!/usr/bin/env bash
# The whole test command: set-up, quality gates, then every test (unit, the Maven
# build of the analysis plugin with its own tests, and the integration tests against a
# real local Elasticsearch, real HTTP demo sites and a real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
say "mypy"
.venv/bin/mypy
say "import-linter (architecture rules in pyproject.toml, docs/architecture.md)"
.venv/bin/lint-imports --no-cache
say "vulture (dead code; whitelist in pyproject.toml)"
.venv/bin/vulture
say "pytest"
# -p no:cacheprovider keeps a read-only clone clean; junit XML goes to test-artifacts/.
mkdir -p test-artifacts
exec .venv/bin/pytest -p no:cacheprovider --junitxml=test-artifacts/junit.xml "$@"
