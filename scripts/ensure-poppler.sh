#!/usr/bin/env bash
# The document tests render every generated PDF page with pdftoppm and read its words with
# pdftotext (Debian's poppler-utils; Waspada itself never needs them at run time).
# Installs them with apt-get when they are missing and we are root; otherwise fails with the command.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "Installing poppler-utils for the document tests (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed; install poppler-utils by hand: apt-get install poppler-utils"
  apt-get install -y -qq poppler-utils >/dev/null || die "apt-get install poppler-utils failed (see above)."
  command -v pdftoppm >/dev/null 2>&1 || die "pdftoppm is still not on PATH after apt-get install."
  exit 0
fi
die "The document tests need pdftoppm and pdftotext (poppler-utils) and they are not installed. Install them with:
    sudo apt-get install poppler-utils
(or run the other tests only: make test ARGS='--ignore-glob=*test_documents_*')."
