#!/usr/bin/env bash
# Installs the HubSpot CLI library (@hubspot/local-dev-lib, pinned by package-lock.json) that
# server/tests/migrate_oracle.rs runs as the reference for `hs config migrate`. Idempotent:
# `npm ci` always leaves exactly the locked tree in node_modules.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "install.sh: node is not installed; install Node.js 20+ and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "install.sh: warning: @hubspot/local-dev-lib asks for Node.js 20+, this is $(node --version)" >&2
fi
npm ci --no-audit --no-fund --loglevel=error
# The library loads JSON with import attributes (`with { type: 'json' }`): check it really loads.
node --input-type=module -e "await import('@hubspot/local-dev-lib/config/migrate')" 2>/dev/null || {
    echo "install.sh: @hubspot/local-dev-lib does not load with $(node --version); it needs Node.js 20+" >&2
    exit 1
}
