#!/usr/bin/env bash
# Installs everything and starts the app on its embedded defaults: the frontend
# on http://localhost:3000, the backend (with the GitOps plugin) on :7007, a
# local Kubernetes control plane (test/cluster) for the plugin to deploy to,
# and the example applications served as a Git repository on :7008, which the
# plugin reconciles. Ctrl-C stops all of it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$GITOPS_ROOT"

bash scripts/setup.sh

# Each service runs in a process group of its own; leaving (Ctrl-C, a kill,
# or a failure) stops every group, children included.
groups=()
cleanup() {
  for pgid in "${groups[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The first build of the control plane takes about 12 minutes; later starts
# reuse the cache outside the repository.
bash test/cluster/build.sh >/dev/null
kubeconfig="$GITOPS_ROOT/.tools/dev-cluster/kubeconfig"
rm -f "$kubeconfig"
setsid node test/cluster/cli.js start --kubeconfig "$kubeconfig" > .tools/dev-cluster.env &
cluster_pid=$!
groups+=("$cluster_pid")
until [ -s "$kubeconfig" ]; do
  kill -0 "$cluster_pid" 2>/dev/null || { echo "the local cluster failed to start" >&2; exit 1; }
  sleep 1
done
echo "[start] local cluster up: source .tools/dev-cluster.env to use kubectl on it" >&2
export KUBECONFIG="$kubeconfig"

# The example applications as a Git repository, for the guestbook component.
setsid node scripts/dev-git-server.js --port 7008 &
groups+=("$!")

setsid yarn start &
app_pid=$!
groups+=("$app_pid")
wait "$app_pid"
