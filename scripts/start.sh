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

# The first build of the control plane takes about 12 minutes; later starts
# reuse the cache outside the repository.
bash test/cluster/build.sh >/dev/null
kubeconfig="$GITOPS_ROOT/.tools/dev-cluster/kubeconfig"
node test/cluster/cli.js start --kubeconfig "$kubeconfig" > .tools/dev-cluster.env &
cluster_pid=$!
trap 'kill -TERM "$cluster_pid" 2>/dev/null; wait "$cluster_pid" 2>/dev/null' EXIT
until [ -s "$kubeconfig" ]; do
  kill -0 "$cluster_pid" 2>/dev/null || { echo "the local cluster failed to start" >&2; exit 1; }
  sleep 1
done
echo "[start] local cluster up: source .tools/dev-cluster.env to use kubectl on it" >&2
export KUBECONFIG="$kubeconfig"

# The example applications as a Git repository, for the guestbook component.
node scripts/dev-git-server.js --port 7008 &
git_pid=$!
trap 'kill -TERM "$cluster_pid" "$git_pid" 2>/dev/null; wait "$cluster_pid" "$git_pid" 2>/dev/null' EXIT

yarn start
