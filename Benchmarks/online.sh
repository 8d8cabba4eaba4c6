#!/usr/bin/env bash
# Online-mode throughput: judgetop (release build) against `judgetop serve-sim --latency-ms 20` in
# another process, at several concurrency limits. The Little's-law bound is concurrency / latency:
# with every slot always busy, 32 requests in flight at 20 ms each give 1,600 requests per second.
#   Benchmarks/online.sh [CONCURRENCY ...]     default: 8 32 128
# Prints the measured requests per second (both stages, over the online phase) and its share of the bound.
set -euo pipefail
cd "$(dirname "$0")/.."
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(8 32 128)
latency_ms=20

source Benchmarks/lib.sh
start_simulator --latency-ms "$latency_ms"

echo "machine: $(nproc) cores; simulator: $url, ${latency_ms} ms per chat completion (another process)"
printf "%-12s %8s %10s %10s %8s\n" concurrency requests "req/s" "bound/s" share
for c in "${levels[@]}"; do
    rows=$(( c * 30 > 1000 ? c * 30 : 1000 ))
    python3 Benchmarks/synth_rows.py "$rows" "$work/rows.csv"
    BENCH_KEY=bench-key "$bin" run --headless --new --mode online --concurrency "$c" --dataset "$work/rows.csv" \
        --base-url "$url" --api-key-env BENCH_KEY --runs-dir "$work/runs-$c" > "$work/run-$c.log"
    rate=$(grep '^\[online\]' "$work/run-$c.log" | tail -1 | sed -n 's/.*answered, \([0-9]*\) req\/s.*/\1/p')
    awk -v c="$c" -v n="$((rows * 2))" -v r="$rate" -v l="$latency_ms" \
        'BEGIN { b = c * 1000 / l; printf "%-12d %8d %10d %10d %7.0f%%\n", c, n, r, b, 100 * r / b }'
done
