#!/usr/bin/env bash
# Every test of the project: unit and integration tests (cargo), then the protocol tests
# that drive the real binary through pytest-lsp.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
tests/lsp/run.sh
