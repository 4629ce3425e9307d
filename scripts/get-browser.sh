#!/usr/bin/env bash
# Gets a Chromium for the end-to-end tests on a fresh machine: Playwright's own build if it can be
# downloaded, else the system's chromium (installed from the distribution if missing). If neither
# can be had, it fails loudly: end-to-end tests are never skipped.
set -u
cd "$(dirname "$0")/.."

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] && { echo "browser: CHROMIUM_PATH=$CHROMIUM_PATH"; exit 0; }
  echo "browser: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1
fi

if timeout 300 npx playwright install chromium >/dev/null 2>&1; then
  echo "browser: Playwright's Chromium"; exit 0
fi

find_system() { for c in /usr/bin/chromium /usr/bin/chromium-browser /snap/bin/chromium; do [ -x "$c" ] && { echo "$c"; return 0; }; done; return 1; }

if path=$(find_system); then echo "browser: $path"; exit 0; fi

if command -v apt-get >/dev/null 2>&1; then
  echo "browser: installing Debian's chromium package…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if path=$(find_system); then echo "browser: $path"; exit 0; fi

cat >&2 <<'MSG'
ERROR: no Chromium for the end-to-end tests.
  Playwright could not download its browser and no system chromium could be installed.
  Install one (e.g. `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary.
MSG
exit 1
