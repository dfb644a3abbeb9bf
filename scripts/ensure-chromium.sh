#!/usr/bin/env bash
# The browser tests need Debian's Chromium (Playwright never downloads a browser here).
# Installs it with apt-get when it is missing and we are root; otherwise fails with the command.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "Installing Chromium for the browser tests (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed; install Chromium by hand: apt-get install chromium"
  apt-get install -y -qq chromium >/dev/null || die "apt-get install chromium failed (see above)."
  command -v chromium >/dev/null 2>&1 || die "chromium is still not on PATH after apt-get install."
  exit 0
fi
die "The browser tests need Chromium and it is not installed. Install it with:
    sudo apt-get install chromium
(or run the other tests only: make test ARGS='-m \"not browser\"')."
