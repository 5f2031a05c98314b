#!/usr/bin/env bash
# `make conformance`: the node-free part of the official e2e suite (test/conformance/selection.txt) against the
# reference kube-apiserver and against kgate in the same run, each over its own etcd. Needs `make reference` first.
# Prints `both pass` / `kgate fails` / `reference fails` per test and ends with `N passed, N failed` (tests that pass
# on the reference only). KGATE_CONFORMANCE_DIR keeps reports and logs in a named dir (default: a temp dir);
# KGATE_CONFORMANCE_TIMEOUT bounds each e2e.test run (default 14m).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="$(scripts/reference.sh --print-dir)"
for binary in kube-apiserver e2e.test; do
  if [[ ! -x "$dir/$binary" ]]; then
    echo "conformance: $dir/$binary is missing; run \`make reference\` first (the first build takes tens of minutes)" >&2
    exit 2
  fi
done
exec node dist/test/conformance/run.js
