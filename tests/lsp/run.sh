#!/usr/bin/env bash
# Protocol tests against the real binary. Usage: tests/lsp/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -p hubspot-ls --quiet
exec python3 -m pytest -c tests/lsp/pytest.ini tests/lsp -q "$@"
