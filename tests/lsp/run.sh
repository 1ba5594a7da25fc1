#!/usr/bin/env bash
# Protocol tests against the real binary. Usage: tests/lsp/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -p hubspot-ls -p fake-hubspot --quiet
# The binaries cargo just built, wherever its target directory is (CARGO_TARGET_DIR honoured).
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export HUBSPOT_LS_BIN="${HUBSPOT_LS_BIN:-$target_dir/debug/hubspot-ls}"
# The command tests start the fake HubSpot (tests/lsp/fake_hubspot.py looks here first).
export FAKE_HUBSPOT_BIN="${FAKE_HUBSPOT_BIN:-$target_dir/debug/fake-hubspot}"
# The venv tests/install.sh makes, else whatever python3 has pytest-lsp.
PY=python3
[ -x target/test-venv/bin/python ] && PY=target/test-venv/bin/python
# Four workers: each test spends most of its time waiting on its own server and fake, so four
# at once take a quarter of the time even on two cores. `-n 0` after this runs them in turn.
exec "$PY" -m pytest -c tests/lsp/pytest.ini tests/lsp -q -n 4 "$@"
