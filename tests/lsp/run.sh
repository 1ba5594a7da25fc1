#!/usr/bin/env bash
# Protocol tests against the real binary. Usage: tests/lsp/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -p hubspot-ls --quiet
# The binary cargo just built, wherever its target directory is (CARGO_TARGET_DIR honoured).
if [ -z "${HUBSPOT_LS_BIN:-}" ]; then
  target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  export HUBSPOT_LS_BIN="$target_dir/debug/hubspot-ls"
fi
exec python3 -m pytest -c tests/lsp/pytest.ini tests/lsp -q "$@"
