#!/usr/bin/env bash
# `make test`: compile, then mocha over dist/test (unit and integration; the suites start their own etcd).
# The last line of output is the reporter's "N passed, N failed"; the exit status is non-zero on any failure,
# including type errors, which are reported but do not stop the tests from running on the emitted JavaScript.
set -uo pipefail
cd "$(dirname "$0")/.."

typecheck_failed=0
node_modules/.bin/tsc -p tsconfig.json || typecheck_failed=1

# Compiled tests whose TypeScript source is gone would otherwise keep running from dist/.
while IFS= read -r -d '' compiled; do
  source="${compiled#dist/}"
  source="${source%.js}.ts"
  if [[ ! -f "$source" ]]; then rm -f "$compiled" "$compiled.map"; fi
done < <(find dist/test -name '*.test.js' -print0 2>/dev/null)

KGATE_TYPECHECK_FAILED="$typecheck_failed" node_modules/.bin/mocha "$@"
status=$?
if ((status == 0 && typecheck_failed)); then status=1; fi
exit "$status"
