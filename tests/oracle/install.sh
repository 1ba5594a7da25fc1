#!/usr/bin/env bash
# Installs the HubSpot CLI library (@hubspot/local-dev-lib, pinned by package-lock.json) that
# server/tests/migrate_oracle.rs runs as the reference for `hs config migrate`. Idempotent:
# `npm ci` always leaves exactly the locked tree in node_modules.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "install.sh: node is not installed (needs Node.js 18+)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
