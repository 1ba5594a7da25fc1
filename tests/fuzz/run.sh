#!/usr/bin/env bash
# The long no-panic run (not part of the test command): random config, legacy config,
# settings.json and .hsaccount inputs, structured and byte-level, each checked, completed,
# hovered, fixed and edited (server/tests/no_panic.rs), in a release build.
#
#   tests/fuzz/run.sh [CASES_PER_KIND] [SEED] [TEST_NAME_FILTER]   (default 10,000,000 and 24301)
#
# e.g. `tests/fuzz/run.sh 10000000 7 configs` runs only the two config kinds.
set -euo pipefail
cd "$(dirname "$0")/../.."
export HUBSPOT_LS_FUZZ_CASES=${1:-10000000}
export HUBSPOT_LS_FUZZ_SEED=${2:-24301}
# One thread per kind: the kinds advance together, and a run cut short reports each kind's count.
exec cargo test --release -p hubspot-ls --test no_panic -- ${3:+"$3"} --nocapture --test-threads 4
