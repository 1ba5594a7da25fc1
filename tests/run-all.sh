#!/usr/bin/env bash
# Every test of the project: the format and lint gates, unit and integration tests (cargo),
# the protocol tests that drive the real binary through pytest-lsp, then the real editors
# (Neovim 0.7 headless, the Helix configuration, VS Code as code-server in headless
# Chromium). The editors come from tests/editors/install.sh; a missing one fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
tests/lsp/run.sh
tests/editors/run.sh
