#!/usr/bin/env bash
# Installs the benchmark's peers into tests/bench/node_modules from the committed
# package-lock.json: yaml-language-server, vscode-langservers-extracted (for
# vscode-json-language-server) and @hubspot/local-dev-lib (the CLI's own config code).
# Idempotent: `npm ci` runs only when the lock is newer than the installed tree.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "install.sh: node is required (apt-get install nodejs npm)" >&2; exit 2; }
if [ -f node_modules/.package-lock.json ] && [ -z "$(find package-lock.json -newer node_modules/.package-lock.json)" ] \
   && [ -x node_modules/.bin/yaml-language-server ] && [ -x node_modules/.bin/vscode-json-language-server ] \
   && [ -d node_modules/@hubspot/local-dev-lib ]; then
  echo "install.sh: tests/bench/node_modules up to date"
  exit 0
fi
echo "install.sh: npm ci in tests/bench"
npm ci --no-audit --no-fund --loglevel=error
