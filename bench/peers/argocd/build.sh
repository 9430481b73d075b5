#!/usr/bin/env bash
# Builds Argo CD's application controller and repo server from the Go module
# proxy, for the side-by-side benchmark (bench/peers/argocd). No Docker, no
# downloads besides Go modules. Argo CD ships one binary that dispatches on its
# name, so both commands are symlinks to it.
#
# Output: ${GITOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-gitops}/argocd/<key>/bin
# where <key> = argocd-<version>-<sha256 of this file, 12 chars>, as in
# test/cluster/build.sh: editing this file gives a new key, hence a rebuild
# (mostly linking: the Go build cache is kept).
#
# Usage:
#   bench/peers/argocd/build.sh                  build if missing, print the bin dir last
#   bench/peers/argocd/build.sh --print-bin-dir  only print the bin dir (builds nothing)
#
# Environment: ARGOCD_BUILD_JOBS (go build -p, default 1: the machine is shared).
set -euo pipefail

ARGOCD_VERSION=v2.14.21       # github.com/argoproj/argo-cd/v2 (go.mod: go 1.22+; builds with Go 1.26)
ARGOCD_MODULE=github.com/argoproj/argo-cd/v2

script_path=$(readlink -f "${BASH_SOURCE[0]}")
script_hash=$(sha256sum "$script_path" | cut -c1-12)
cache_root="${GITOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-gitops}/argocd"
key="argocd-${ARGOCD_VERSION}-${script_hash}"
key_dir="$cache_root/$key"
bin_dir="$key_dir/bin"
src_dir="$key_dir/src"

if [[ "${1:-}" == "--print-bin-dir" ]]; then
  echo "$bin_dir"
  exit 0
fi

log() { echo "[argocd build.sh] $*" >&2; }
command -v go >/dev/null || { log "'go' is not on PATH"; exit 1; }
if ! command -v redis-server >/dev/null; then
  log "note: redis-server is not installed; the benchmark needs it (Debian package 'redis-server',"
  log "      installed by 'bash scripts/setup.sh --bench')"
fi

mkdir -p "$bin_dir"
exec 9>"$key_dir/.lock"
flock 9

if [[ -x "$bin_dir/argocd" && -f "$bin_dir/.argocd.ok" ]]; then
  log "already built"
  echo "$bin_dir"
  exit 0
fi

export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN=local
export GOPROXY="${GOPROXY:-$(go env GOPROXY)}"
jobs="${ARGOCD_BUILD_JOBS:-1}"

# A writable copy of the module (the module cache is read-only), with the
# placeholder UI the server package embeds: we run no API server or UI.
if [[ ! -f "$src_dir/.ready" ]]; then
  log "downloading $ARGOCD_MODULE@$ARGOCD_VERSION"
  mod_dir=$(go mod download -json "$ARGOCD_MODULE@$ARGOCD_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d "$mod_dir" ]] || { log "could not download $ARGOCD_MODULE@$ARGOCD_VERSION"; exit 1; }
  rm -rf "$src_dir"
  cp -r "$mod_dir" "$src_dir"
  chmod -R u+w "$src_dir"
  mkdir -p "$src_dir/ui/dist/app"
  echo '<!doctype html><title>Argo CD (no UI in this build)</title>' > "$src_dir/ui/dist/app/index.html"
  log "downloading the module's dependencies"
  go mod download -C "$src_dir"
  touch "$src_dir/.ready"
fi

start=$(date +%s)
log "building ./cmd with -p $jobs (nice); this takes 15-30 minutes on 2 cores"
pkg=$ARGOCD_MODULE/common
nice -n 19 go build -C "$src_dir" -p "$jobs" -trimpath \
  -ldflags "-s -w -X $pkg.version=${ARGOCD_VERSION#v} -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z" \
  -o "$bin_dir/argocd.tmp" ./cmd
mv -f "$bin_dir/argocd.tmp" "$bin_dir/argocd"
for name in argocd-application-controller argocd-repo-server; do
  ln -sfn argocd "$bin_dir/$name"
done
# The CRDs the benchmark installs, from the same module version.
rm -rf "$bin_dir/crds"
cp -r "$src_dir/manifests/crds" "$bin_dir/crds"
echo "$key" > "$bin_dir/.argocd.ok"
log "built in $(( $(date +%s) - start ))s"
echo "$bin_dir"
