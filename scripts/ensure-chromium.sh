#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; browsers are
# never downloaded at run time. Install the Debian package when it is missing and we can.
set -u
CHROMIUM=${SETKA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
  fi
  if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
    echo "Installing Debian's chromium for the browser tests…"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 \
      || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; }
  fi
fi
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and could not be installed: browser tests cannot run (CI=true makes this a failure)." >&2
  exit 1
fi
echo "note: $CHROMIUM is missing; browser tests will be skipped (install Debian's chromium package)." >&2
exit 0
