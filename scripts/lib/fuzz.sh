# fuzz.sh: running the libFuzzer targets of fuzz/ (sourced by scripts/fuzz
# and scripts/lib/fuzz-test). The committed corpus is only ever read here;
# what a run finds goes under build/fuzz/.

CHAT_FUZZ_BUILD=$CHAT_BUILD/fuzz
CHAT_FUZZ_ARTIFACTS=$CHAT_FUZZ_BUILD/artifacts
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The targets, as fuzz/CMakeLists.txt declares them (one chat_add_fuzzer line
# each), in that order.
fuzz_targets() {
    sed -n 's/^chat_add_fuzzer(\([a-z0-9_]*\)).*/\1/p' "$CHAT_ROOT/fuzz/CMakeLists.txt"
}

# fuzz_inputs NAME: the committed inputs of a target, one path a line: its
# seed corpus, then the inputs of crashes found and fixed.
fuzz_inputs() {
    local d
    for d in "$CHAT_ROOT/fuzz/corpus/$1" "$CHAT_ROOT/fuzz/regress/$1"; do
        [ -d "$d" ] && find "$d" -type f ! -name '.*' | sort
    done
    return 0
}

# fuzz_replay BIN NAME LOG: runs every committed input once; prints how many.
# Fails on the first one that crashes or breaks an invariant.
fuzz_replay() {
    local bin=$1 name=$2 log=$3 files
    mapfile -t files < <(fuzz_inputs "$name")
    echo "${#files[@]}"
    [ "${#files[@]}" -eq 0 ] && return 0
    "$bin" -artifact_prefix="$CHAT_FUZZ_ARTIFACTS/$name-" "${files[@]}" >"$log" 2>&1
}

# fuzz_run BIN NAME SECONDS WORKDIR LOG: fuzzes for SECONDS from the
# committed inputs, writing new corpus entries into WORKDIR only, crash
# inputs into build/fuzz/artifacts/NAME-*. An input slower than 10 s counts
# as a hang.
fuzz_run() {
    local bin=$1 name=$2 secs=$3 work=$4 log=$5 d dirs=()
    mkdir -p "$work" "$CHAT_FUZZ_ARTIFACTS"
    for d in "$CHAT_ROOT/fuzz/corpus/$name" "$CHAT_ROOT/fuzz/regress/$name"; do
        [ -d "$d" ] && dirs+=("$d")
    done
    "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$CHAT_FUZZ_ARTIFACTS/$name-" "$work" "${dirs[@]}" >"$log" 2>&1
}

# fuzz_summary NAME SECONDS LOG STATUS: one line from a run's log.
fuzz_summary() {
    local name=$1 secs=$2 log=$3 status=$4 runs eps cov ft corp crash
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$status" -eq 0 ]; then
        crash=0
    else
        crash="1 ($(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1))"
        [ "$crash" = "1 ()" ] && crash="1 (exit $status, see $log)"
    fi
    printf '%s: %ss, runs %s, exec/s %s, cov %s, ft %s, corpus %s, crashes %s\n' \
        "$name" "$secs" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crash"
}
