#!/usr/bin/env bash
# Install Debian's PostgreSQL server for the store tests when it is missing.
# The tests (tests/pgserver.py) start their own throwaway cluster with initdb and pg_ctl from
# /usr/lib/postgresql/*/bin on 127.0.0.1, so no service is enabled or started here. Needs root or sudo; on a
# machine without apt it says what to do.
set -euo pipefail

newest_initdb() {
  ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1
}

found="$(command -v initdb 2>/dev/null || newest_initdb || true)"
if [ -n "$found" ]; then
  echo "postgresql: $found ($("$found" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no PostgreSQL server (initdb) and no apt-get here; install it with your package manager" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update
# The package may also set up its own 'main' cluster on port 5432; the tests never use it.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql
echo "postgresql: $(newest_initdb)"
