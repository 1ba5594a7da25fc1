#!/usr/bin/env bash
# The side-by-side benchmark: builds hubspot-ls (release), installs the peers if missing,
# runs tests/bench/bench.py (5 rounds of fresh processes, interleaved) and prints the table.
# Exits 1 when a target is missed. Not part of the test suite (tests/run-all.sh leaves it out).
# Extra arguments go to bench.py (e.g. --rounds 3 --sizes 10 2000). JSON: target/bench/results.json
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p hubspot-ls
bash tests/bench/install.sh
TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
exec python3 tests/bench/bench.py --server "$TARGET_DIR/release/hubspot-ls" --out "$PWD/target/bench/results.json" "$@"
