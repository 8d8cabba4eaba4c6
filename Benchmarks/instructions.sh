#!/usr/bin/env bash
# Instructions a 20,000-row run executes in user space (valgrind's callgrind), for judgetop as built
# here and for any other judgetop binaries given, alternated, RUNS times each (default 3):
#   Benchmarks/instructions.sh [OTHER_JUDGETOP ...]
# Why: on this machine one run's CPU time varies by about 8% (a standard deviation of 17-28 ms over
# 30 runs of 0.3 s), so a change worth 3% needs some 60 alternated runs to show in `perf stat`;
# instruction counts vary by about 3% (how the simulator shuffles outputs changes SQLite's work) and
# show it in three. They leave out the kernel (a fifth of a run) and memory stalls: confirm a change
# in CPU time too. Needs valgrind (`apt install valgrind`); about 20 s a run. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
rows=${ROWS:-20000}

source Benchmarks/lib.sh
start_simulator --instant
python3 Benchmarks/synth_rows.py "$rows" "$work/rows.csv"
binaries=("$bin" "$@")
# valgrind cannot read the static build's debug information; a copy without it runs the same code.
for i in "${!binaries[@]}"; do strip --strip-debug -o "$work/judgetop-$i" "${binaries[$i]}"; done

echo "machine: $(nproc) cores; $rows rows; user-space instructions (callgrind), $runs runs each, alternated"
for _ in $(seq "$runs"); do
    for i in "${!binaries[@]}"; do
        rm -rf "$work/runs"
        BENCH_KEY=bench-key valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/judgetop-$i" run --headless --new \
            --dataset "$work/rows.csv" --base-url "$url" --api-key-env BENCH_KEY --runs-dir "$work/runs" > /dev/null 2> "$work/valgrind.log"
        echo "$i $(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.log")"
    done
done | python3 -c '
import sys, statistics
names = sys.argv[1:]
counts = {}
for line in sys.stdin:
    i, n = line.split()
    counts.setdefault(int(i), []).append(int(n) / 1e6)
for i, values in sorted(counts.items()):
    print(f"{names[i]:50s} median {statistics.median(values):8.0f}  min {min(values):8.0f}  max {max(values):8.0f}  million instructions")
' "judgetop (this tree)" "$@"
