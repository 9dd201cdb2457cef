#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_browser.py) when it is missing.
# Playwright (the `browser` extra) drives this system chromium through `executable_path`, so `playwright install`
# and its browser downloads are never needed. Needs root or sudo; on a machine without apt it says what to do.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium) ($(chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: no chromium on PATH and no apt-get here; install chromium with your package manager" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
echo "chromium: $(command -v chromium)"
