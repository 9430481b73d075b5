#!/usr/bin/env bash
# Sets everything up and runs every check: formatting, lint, type-check, then
# unit, integration and end-to-end tests in one Jest run. Ends with one line
# that counts passed and failed tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GITOPS_ROOT"

bash scripts/setup.sh --tests

step() { echo "::: $*" >&2; }
step "formatting";  yarn prettier --check . >/dev/null
step "lint";        yarn backstage-cli repo lint
step "type-check";  yarn tsc
step "build the frontend for the end-to-end tests"
yarn workspace app build >/dev/null

step "tests"
results="$(mktemp -d)/jest.json"
status=0
CI=true yarn backstage-cli repo test --json --outputFile="$results" "$@" || status=$?
if [ -s "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  ' "$results"
fi
exit "$status"
