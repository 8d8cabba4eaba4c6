#!/usr/bin/env bash
# Scale benchmark: judgetop (release build) on N synthetic rows made from the bundled dataset, against
# `judgetop serve-sim --instant` in another process. Prints wall time, CPU time (user+sys), peak RSS of
# the judgetop process, rows per second, the batches per stage, and whether the stages overlapped.
#   Benchmarks/scale.sh [ROWS ...]          default: 100000
# Each figure is one run; repeat the command to see the spread. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)

source Benchmarks/lib.sh
start_simulator --instant

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); simulator: $url (--instant, another process)"
printf "%-9s %8s %8s %10s %9s %13s %11s\n" rows wall_s cpu_s peak_rss_MB rows/s "base+judge" overlapped
for n in "${sizes[@]}"; do
    python3 Benchmarks/synth_rows.py "$n" "$work/rows-$n.csv"
    BENCH_KEY=bench-key /usr/bin/time -f "%e %U %S %M" -o "$work/time-$n" \
        "$bin" run --headless --new --dataset "$work/rows-$n.csv" --base-url "$url" --api-key-env BENCH_KEY \
        --runs-dir "$work/runs-$n" > "$work/run-$n.log"
    read -r wall user sys rss < "$work/time-$n"
    base=$(grep -c '^\[base\] batch .* created' "$work/run-$n.log" || true)
    judge=$(grep -c '^\[judge\] batch .* created' "$work/run-$n.log" || true)
    # Pipelined: a judge batch was created before the last base batch stored its answers.
    first_judge=$(grep -n '^\[judge\] batch .* created' "$work/run-$n.log" | head -1 | cut -d: -f1)
    last_base=$(grep -n '^\[base\] batch .*stored' "$work/run-$n.log" | tail -1 | cut -d: -f1)
    overlapped=no; [ -n "$first_judge" ] && [ "$first_judge" -lt "$last_base" ] && overlapped=yes
    awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$base" -v j="$judge" -v o="$overlapped" \
        'BEGIN { printf "%-9d %8.1f %8.1f %10.0f %9.0f %6d+%-6d %11s\n", n, w, u + s, r / 1024, n / w, b, j, o }'
    grep -q "judge answered $n" "$work/run-$n.log" || { echo "run of $n rows did not answer every row:"; tail -20 "$work/run-$n.log"; exit 1; }
done
