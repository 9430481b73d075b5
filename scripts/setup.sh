#!/usr/bin/env bash
# Installs what the app and its tests need on a machine that has only Node 20,
# npm and apt: Node 22 (scripts/env.sh), the workspace packages, and with
# --tests also Debian's Chromium for the end-to-end tests, with --bench Debian's
# redis-server for the Argo CD side-by-side benchmark (bench/peers/argocd).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GITOPS_ROOT"

if [ "${CI:-}" = "true" ]; then
  yarn install --immutable
else
  yarn install
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "[setup] installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "${1:-}" = "--tests" ]; then
  apt_install chromium
fi
if [ "${1:-}" = "--bench" ]; then
  apt_install redis-server
fi
