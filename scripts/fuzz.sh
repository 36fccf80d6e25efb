#!/usr/bin/env bash
# Runs the fuzz targets of src/fuzzing.rs under libFuzzer (nightly toolchain, cargo-fuzz):
#
#   scripts/fuzz.sh                    # every target, 600 s each
#   FUZZ_SECONDS=60 scripts/fuzz.sh text_input settings
#
# Builds the targets once (`cargo fuzz build -O`: release, debug assertions, AddressSanitizer),
# copies them to $FUZZ_BIN, then runs each from its committed corpus (fuzz/corpus/<target>) and
# dictionary (fuzz/dict/<target>.dict, when there is one). A run stops at the first crash, a hang
# (an input over 5 s) or an input that needs over 2 GB, and prints libFuzzer's final figures.
# The corpus is then minimised in place (libFuzzer's -merge), ready to commit. A crash leaves its
# input in fuzz/artifacts/<target>/: once fixed, copy it to fuzz/regressions/<target>/, and
# `cargo test` replays it from then on (tests/it/fuzz.rs).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${FUZZ_SECONDS:-600}"
bin="${FUZZ_BIN:-/tmp/kabinet-fuzz/bin}"
logs="${FUZZ_LOGS:-/tmp/kabinet-fuzz/logs}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(text_input buttons telegram_update gateway_callback gateway_answer settings)
fi
mkdir -p "$bin" "$logs"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    cargo +nightly fuzz build -O
    for t in "${targets[@]}"; do
        cp "target/x86_64-unknown-linux-gnu/release/$t" "$bin/$t"
    done
fi
for t in "${targets[@]}"; do
    extra=()
    if [ -f "dict/$t.dict" ]; then extra+=("-dict=dict/$t.dict"); fi
    mkdir -p "artifacts/$t"
    echo "== $t: ${secs} s"
    status=0
    "$bin/$t" "corpus/$t" -max_total_time="$secs" -max_len=4096 -timeout=5 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
        "${extra[@]}" >"$logs/$t.log" 2>&1 || status=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|^#[0-9]+ +DONE|SUMMARY|ERROR' \
        "$logs/$t.log" || true
    if [ "$status" -ne 0 ]; then
        echo "$t: libFuzzer exited with $status (see $logs/$t.log and fuzz/artifacts/$t/)"
        exit "$status"
    fi
    before=$(ls "corpus/$t" | wc -l)
    rm -rf "corpus/$t.min" && mkdir "corpus/$t.min"
    "$bin/$t" -merge=1 "corpus/$t.min" "corpus/$t" >"$logs/$t.merge.log" 2>&1
    rm -rf "corpus/$t" && mv "corpus/$t.min" "corpus/$t"
    echo "$t: corpus $before -> $(ls "corpus/$t" | wc -l) inputs after merge"
done
