#!/usr/bin/env bash
# One-time (and idempotent) set-up of a fresh machine for Kennisbrug.
#
# Installs what the project needs from the package registries only:
#   * Debian packages (as root): chromium for the browser tests, maven if missing,
#     postgresql (the server binaries the tests run; production uses its own server),
#     npm if missing;
#   * a Python virtualenv in .venv with the project and its dev dependencies (PyPI);
#   * node_modules with the test-only npm packages of package.json (axe-core), by npm ci.
# Elasticsearch itself and the Dutch analysis plugin's dependencies come from Maven
# Central when the local node is first started (localnode/node.py, localnode/plugin.py).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The test session starts its own PostgreSQL server from Debian's binaries (tests/pgserver.py).
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install these Debian packages first: ${need_apt[*]} (sudo apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Kennisbrug needs Python 3.11 or newer; found $("$PY" --version 2>&1)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.kennisbrug-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev,postgres]'
  echo "$want" > "$stamp"
fi

# Test-only JavaScript (axe-core for the accessibility tests), pinned by package-lock.json.
lock=node_modules/.kennisbrug-lock
want_js=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$lock" ] || [ "$(cat "$lock")" != "$want_js" ]; then
  say "npm ci (axe-core for the accessibility tests)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want_js" > "$lock"
fi
