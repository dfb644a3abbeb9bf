#!/usr/bin/env bash
# `make messages`: refresh the English catalogue from the Indonesian strings in the code.
# Needs GNU gettext (xgettext, msgmerge) on this machine only: apt-get install gettext.
# Existing translations are kept; changed strings become fuzzy; removed ones are dropped.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

command -v xgettext >/dev/null || die "makemessages needs GNU gettext: sudo apt-get install gettext"
manage makemessages --locale en --add-location file --no-obsolete \
  --ignore 'var/*' --ignore 'docs/*' --ignore 'bench/*' --ignore 'tests/*' --ignore '*/tests/*'
manage compile_translations
"$PY" - <<'PY'
import polib

catalogue = polib.pofile("locale/en/LC_MESSAGES/django.po")
todo = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
print(f"English catalogue: {catalogue.percent_translated()}% translated, {len(todo)} to do.")
for entry in todo[:40]:
    print(f"  {'fuzzy' if entry.fuzzy else 'new  '} {entry.msgid[:90]!r}")
PY
