#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time (docs/fuzzing.md):
#   fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET] [PARALLEL_JOBS] [TARGET...]
# Each target starts from a copy of its committed corpus (fuzz/corpus/<target>, never written)
# plus its regression inputs, so CI never grows the committed corpus, with its dictionary
# (fuzz/dict/<target>.dict: the language's keywords) when it has one. Prints a line per target
# (executions, speed, coverage); a target that crashes, leaks, times out or runs out of memory
# fails the run, and the crashing input's path is printed (under BUILD_DIR/fuzz-artifacts).
set -euo pipefail

build=$(cd "$1" && pwd)
seconds=${2:-10}
jobs=${3:-2}
shift $(($# < 3 ? $# : 3))
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for program in "$build"/fuzz/*_fuzz; do targets+=("$(basename "$program" _fuzz)"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets in $build/fuzz" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

# run_one TARGET: fuzzes one target; its log is $work/TARGET.log, its status $work/TARGET.rc.
run_one() {
  local target=$1 corpus="$work/$1.corpus" rc=0 inputs=() options=()
  mkdir -p "$corpus"
  cp -r "$fuzz_dir/corpus/$target/." "$corpus"
  if [ -d "$fuzz_dir/regression/$target" ]; then inputs=("$fuzz_dir/regression/$target"); fi
  if [ -f "$fuzz_dir/dict/$target.dict" ]; then options=(-dict="$fuzz_dir/dict/$target.dict"); fi
  "$build/fuzz/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "${options[@]}" \
    "$corpus" "${inputs[@]}" >"$work/$target.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$target.rc"
}
export -f run_one
export build seconds fuzz_dir work artifacts

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'

# final_stat LOG NAME: the value of libFuzzer's closing "stat::NAME:" line in LOG.
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

passed=0 failed=0
for target in "${targets[@]}"; do
  log="$work/$target.log"
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [ "$(cat "$work/$target.rc")" = 0 ]; then
    passed=$((passed + 1))
    printf 'fuzz: %-15s ok      %9s runs  %6s exec/s  %s\n' "$target" \
      "$(final_stat "$log" number_of_executed_units)" "$(final_stat "$log" average_exec_per_sec)" \
      "$coverage"
  else
    failed=$((failed + 1))
    printf 'fuzz: %-15s FAILED\n' "$target"
    grep -E '^==[0-9]+==ERROR|SUMMARY|fuzz invariant broken|runtime error' "$log" | head -5 || true
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "fuzz: crashing input: ${input:-none written, see the log below}"
    [ -n "$input" ] || tail -30 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
