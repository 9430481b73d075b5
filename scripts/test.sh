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
# Reads the declarations the type-check just wrote; regenerate with `yarn build:api-reports`.
step "api reports"; yarn build:api-reports:only --ci
step "build the frontend for the end-to-end tests"
yarn workspace app build >/dev/null
step "build the test cluster (cached outside the repository; cold: about 12 minutes)"
bash test/cluster/build.sh

results="$(mktemp -d)"
status=0
step "test cluster: a real control plane (node:test)"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/cluster.tap" \
  test/cluster/cluster.test.js || status=$?

step "unit, integration and end-to-end tests (Jest)"
CI=true yarn backstage-cli repo test --json --outputFile="$results/jest.json" "$@" || status=$?

node scripts/summarise-tests.js "$results/cluster.tap" "$results/jest.json"
exit "$status"
