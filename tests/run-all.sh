#!/usr/bin/env bash
# Every test of the project, on a fresh Debian 12 machine with a Rust toolchain: the format and
# lint gates, then what the tests need is installed (tests/install.sh: apt, PyPI into
# target/test-venv, npm), then unit and integration tests (cargo), the protocol and `check`
# tests (pytest-lsp), the pre-commit hooks, and the real editors (Neovim 0.7, Helix from $HX
# or PATH, VS Code as code-server in headless Chromium). A missing editor fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v rustup >/dev/null && ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
  echo "run-all: rustup component add rustfmt clippy"
  rustup component add rustfmt clippy
fi
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
bash tests/install.sh
cargo test
tests/lsp/run.sh
target/test-venv/bin/python -m pytest -q tests/hooks
# The VS Code extension packaged as a user packages it: the release binary built and bundled.
VSCODE_PACKAGE_RELEASE=1 tests/editors/run.sh
