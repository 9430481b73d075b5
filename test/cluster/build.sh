#!/usr/bin/env bash
# Builds the test cluster's binaries from Go modules (no Docker, no downloads
# besides Go modules): etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok, helm, kustomize, jsonnet.
#
# Output: ${GITOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-gitops}/cluster/<key>/bin
# where <key> = k8s-<version>-<sha256 of this file, 12 chars>. Editing a pin
# below (or anything in this file) gives a new key, hence a rebuild.
#
# Usage:
#   test/cluster/build.sh                  build whatever is missing, print the bin dir last
#   test/cluster/build.sh --print-bin-dir  only print the bin dir (builds nothing)
#   test/cluster/build.sh NAME...          build only these binaries (e.g. etcd kubectl)
#   test/cluster/build.sh --prune          also delete other keys' dirs (older pins/scripts, ~410 MB each)
#
# Environment: CLUSTER_BUILD_JOBS (go build -p, default 2).
set -euo pipefail

# ---- pins -------------------------------------------------------------------
ETCD_VERSION=v3.6.16          # go.etcd.io/etcd/server/v3 (package main)
K8S_VERSION=v1.35.8           # k8s.io/kubernetes; staging modules at v0.35.8
KWOK_VERSION=v0.8.0           # sigs.k8s.io/kwok (go.mod: go 1.26.0)
HELM_VERSION=v3.22.0          # helm.sh/helm/v3 (go.mod: go 1.26.0)
KUSTOMIZE_VERSION=v5.8.2      # sigs.k8s.io/kustomize/kustomize/v5 (v5.8.3 needs go 1.27)
JSONNET_VERSION=v0.22.0       # github.com/google/go-jsonnet (go.mod: go 1.24.5)
ALL_BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm kustomize jsonnet)

# ---- layout -----------------------------------------------------------------
script_path=$(readlink -f "${BASH_SOURCE[0]}")
script_hash=$(sha256sum "$script_path" | cut -c1-12)
cache_root="${GITOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-gitops}/cluster"
key="k8s-${K8S_VERSION}-${script_hash}"
key_dir="$cache_root/$key"
bin_dir="$key_dir/bin"
src_dir="$key_dir/src"

if [[ "${1:-}" == "--print-bin-dir" ]]; then
  echo "$bin_dir"
  exit 0
fi

prune=false
if [[ "${1:-}" == "--prune" ]]; then prune=true; shift; fi
requested=("$@")
[[ ${#requested[@]} -eq 0 ]] && requested=("${ALL_BINARIES[@]}")
for name in "${requested[@]}"; do
  case " ${ALL_BINARIES[*]} " in *" $name "*) ;; *) echo "build.sh: unknown binary '$name' (known: ${ALL_BINARIES[*]})" >&2; exit 2 ;; esac
done

command -v go >/dev/null || { echo "build.sh: 'go' is not on PATH" >&2; exit 1; }

mkdir -p "$bin_dir" "$src_dir"
# One build per key at a time (parallel test runs would otherwise race).
exec 9>"$key_dir/.lock"
flock 9
rm -rf "$key_dir"/tmp.*   # leftovers of a killed build (we hold the lock)

export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN=local
export GOPROXY="${GOPROXY:-$(go env GOPROXY)}"
jobs="${CLUSTER_BUILD_JOBS:-2}"
local_go=$(go env GOVERSION)   # e.g. go1.26.8
k8s_minor=$(echo "$K8S_VERSION" | cut -d. -f2)
staging_version="v0.${K8S_VERSION#v1.}"  # v1.35.8 -> v0.35.8

log() { echo "[build.sh] $*" >&2; }

is_built() { [[ -x "$bin_dir/$1" && -f "$bin_dir/.$1.ok" ]] && { [[ "$1" != kwok ]] || [[ -f "$bin_dir/kwok-stages.yaml" ]]; }; }

# toolchain_for GOVERSION_REQUIRED: "local" if the installed Go is new enough,
# otherwise "auto" (the go command then fetches the toolchain module itself).
toolchain_for() {
  local need="go$1" have="$local_go"
  if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -1)" == "$have" ]]; then echo local; else echo auto; fi
}

gomod_go_line() { # MODULE@VERSION -> the 'go' directive of its go.mod
  local gomod
  gomod=$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod" | head -1
}

timings=()
# timed NAME... -- CMD...: runs CMD, records wall time (and peak RSS if /usr/bin/time exists).
timed() {
  local names=() start end rss=""
  while [[ "$1" != "--" ]]; do names+=("$1"); shift; done
  shift
  start=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -o "$key_dir/.time" -f "%M" "$@"
    rss=" peak RSS $(( $(tail -1 "$key_dir/.time") / 1024 )) MiB"
  else
    "$@"
  fi
  end=$(date +%s.%N)
  local t
  t=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f", e-s}')
  timings+=("${names[*]}: ${t}s${rss}")
  log "built ${names[*]} in ${t}s${rss}"
}

# install_tmp NAME...: move freshly built binaries from tmp into bin, then write markers.
tmp_dir="$key_dir/tmp.$$"
trap 'rm -rf "$tmp_dir"' EXIT
install_tmp() {
  local n
  for n in "$@"; do
    [[ -x "$tmp_dir/$n" ]] || { log "expected $tmp_dir/$n after build"; exit 1; }
    mv -f "$tmp_dir/$n" "$bin_dir/$n"
    echo "$key" > "$bin_dir/.$n.ok"
  done
}

want() { # NAME -> true if requested and not built yet
  local n
  for n in "${requested[@]}"; do [[ "$n" == "$1" ]] && ! is_built "$1" && return 0; done
  return 1
}

mkdir -p "$tmp_dir"
total_start=$(date +%s)

# ---- etcd: own wrapper module (keeps its grpc/otel versions away from k8s) --
if want etcd; then
  d="$src_dir/etcd"
  mkdir -p "$d"
  if [[ ! -f "$d/.ready" ]]; then
    log "preparing etcd wrapper module ($ETCD_VERSION)"
    rm -f "$d/go.mod" "$d/go.sum"
    go mod init -C "$d" backstage-gitops.local/test-cluster/etcd 2>/dev/null
    GOTOOLCHAIN=$(toolchain_for "$(gomod_go_line "go.etcd.io/etcd/server/v3@$ETCD_VERSION")") \
      timed "etcd-modules" -- go get -C "$d" "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    touch "$d/.ready"
  fi
  tc=$(toolchain_for "$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$d/go.mod")")
  GOTOOLCHAIN=$tc timed etcd -- go build -C "$d" -p "$jobs" -mod=mod -trimpath -ldflags "-s -w" -o "$tmp_dir/etcd" go.etcd.io/etcd/server/v3
  install_tmp etcd
fi

# ---- kubernetes: wrapper module with generated staging replaces ------------
k8s_cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
k8s_todo=()
for c in "${k8s_cmds[@]}"; do want "$c" && k8s_todo+=("$c"); done
if [[ ${#k8s_todo[@]} -gt 0 ]]; then
  d="$src_dir/k8s"
  mkdir -p "$d"
  if [[ ! -f "$d/.ready" ]]; then
    log "preparing kubernetes wrapper module ($K8S_VERSION, staging $staging_version)"
    upstream_gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    [[ -f "$upstream_gomod" ]] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
    upstream_go=$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$upstream_gomod" | head -1)
    # Every "k8s.io/x => ./staging/src/k8s.io/x" becomes "k8s.io/x => k8s.io/x v0.N.P".
    mapfile -t staging < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$upstream_gomod" | sort -u)
    [[ ${#staging[@]} -gt 10 ]] || { log "found only ${#staging[@]} staging modules in $upstream_gomod"; exit 1; }
    {
      echo "module backstage-gitops.local/test-cluster/k8s"
      echo
      echo "go $upstream_go"
      echo
      echo "godebug default=go${upstream_go%.*}"
      echo
      echo "require k8s.io/kubernetes $K8S_VERSION"
      echo
      echo "replace ("
      for m in "${staging[@]}"; do echo "	$m => $m $staging_version"; done
      echo ")"
    } > "$d/go.mod"
    rm -f "$d/go.sum"
    GOTOOLCHAIN=$(toolchain_for "$upstream_go") \
      timed "k8s-modules" -- go get -C "$d" $(printf "k8s.io/kubernetes/cmd/%s@$K8S_VERSION " "${k8s_cmds[@]}")
    touch "$d/.ready"
  fi
  tc=$(toolchain_for "$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$d/go.mod")")
  ver_ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ver_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$k8s_minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  # One go build per command, in sequence: they share the build cache, so the
  # later ones only compile what the first did not, and each gets its own timing.
  for c in "${k8s_todo[@]}"; do
    GOTOOLCHAIN=$tc timed "$c" -- go build -C "$d" -p "$jobs" -mod=mod -trimpath -tags selinux,notest,grpcnotrace \
       -ldflags "-s -w$ver_ldflags" -o "$tmp_dir/$c" "k8s.io/kubernetes/cmd/$c"
    install_tmp "$c"
  done
fi

# ---- plain "go install module@version" builds --------------------------------
go_install() { # NAME MODULE@VERSION PACKAGE LDFLAGS
  local name=$1 modver=$2 pkg=$3 ldflags=$4 tc
  tc=$(toolchain_for "$(gomod_go_line "$modver")")
  [[ "$tc" == auto ]] && log "$modver needs a newer Go than $local_go: GOTOOLCHAIN=auto for this build"
  GOBIN="$tmp_dir" GOTOOLCHAIN=$tc timed "$name" -- go install -p "$jobs" -trimpath -ldflags "-s -w $ldflags" "$pkg@${modver#*@}"
  install_tmp "$name"
}
if want kwok; then
  # The kwok binary has no built-in stages (kwokctl adds them): assemble the
  # ones cluster.js uses from this very kwok version's module source.
  kwok_src=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  {
    echo "# Generated by test/cluster/build.sh from sigs.k8s.io/kwok@$KWOK_VERSION kustomize/stage (Apache-2.0)."
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
             pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
             pod/chaos/pod-container-running-failed.yaml; do
      echo "---"
      cat "$kwok_src/kustomize/stage/$f"
    done
  } > "$tmp_dir/kwok-stages.yaml"
  mv -f "$tmp_dir/kwok-stages.yaml" "$bin_dir/kwok-stages.yaml"
  go_install kwok "sigs.k8s.io/kwok@$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
fi
if want helm; then
  go_install helm "helm.sh/helm/v3@$HELM_VERSION" helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
fi
if want kustomize; then
  go_install kustomize "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 ""
fi
if want jsonnet; then
  # The version string is a constant in the module's source: no -X needed.
  go_install jsonnet "github.com/google/go-jsonnet@$JSONNET_VERSION" github.com/google/go-jsonnet/cmd/jsonnet ""
fi

if [[ ${#timings[@]} -gt 0 ]]; then
  log "timings (wall):"
  for t in "${timings[@]}"; do log "  $t"; done
  log "  total: $(( $(date +%s) - total_start ))s"
else
  log "all requested binaries already built"
fi
for name in "${requested[@]}"; do is_built "$name" || { log "missing $name after build"; exit 1; }; done
stale=()
for d in "$cache_root"/k8s-*; do [[ -d "$d" && "$d" != "$key_dir" ]] && stale+=("$d"); done
if [[ ${#stale[@]} -gt 0 ]]; then
  if $prune; then
    for d in "${stale[@]}"; do chmod -R u+w "$d"; rm -rf "$d"; log "pruned $d"; done
  else
    log "other build keys in $cache_root (${#stale[@]}); 'build.sh --prune' deletes them"
  fi
fi
echo "$bin_dir"
