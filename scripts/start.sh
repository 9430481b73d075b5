#!/usr/bin/env bash
# Installs everything and starts the app on its embedded defaults: the frontend
# on http://localhost:3000 and the backend (with the GitOps plugin) on :7007.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GITOPS_ROOT"

bash scripts/setup.sh
exec yarn start
