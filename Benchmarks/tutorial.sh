#!/usr/bin/env bash
# judgetop against the tutorial's pipeline (pandas + the official openai SDK, as the kluster.ai
# tutorial does it), both against the same `judgetop serve-sim --instant` in another process.
#   Benchmarks/tutorial.sh [ROWS ...]        default: 1000 20000; needs: pip install openai pandas
# For each size and output order (shuffled, the providers' behaviour; in order, --keep-order): wall
# time, CPU time (user+sys) and peak RSS, median (min–max) of 3 runs, the ratios, and the three
# accuracies each pipeline reports. The tutorial joins outputs by line order, so its accuracies are
# right only when the simulator keeps the order.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 20000)
tutorial=${TUTORIAL:-../shared/bench/tutorial_pipeline.py}
runs=3
python3 -c "import openai, pandas" || { echo "needs: pip install openai pandas"; exit 1; }

swift build -c release --product judgetop >/dev/null
bin=$PWD/.build/release/judgetop
work=$(mktemp -d)
sims=()
trap 'for p in "${sims[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

serve() {  # serve NAME [OPTIONS...]: starts a simulator, prints its URL
    "$bin" serve-sim --instant --port 0 --api-key bench-key "${@:2}" > "$work/$1.log" 2>&1 &
    sims+=($!)
    for _ in $(seq 100); do grep -q "listening on" "$work/$1.log" && break; sleep 0.1; done
    sed -n 's/.*listening on //p' "$work/$1.log"
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f (%.2f–%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
measure() {  # measure LABEL COMMAND...: appends "wall cpu rss" to $work/LABEL.times
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" > "$work/out" 2>"$work/err" || { cat "$work/err"; exit 1; }
    awk '{ printf "%s %s %s\n", $1, $2 + $3, $4 / 1024 }' "$work/t" >> "$work/$LABEL.times"
}

echo "machine: $(nproc) cores; simulator --instant in another process; $runs runs each"
for order in shuffled in-order; do
    url=$(serve "$order" $([ "$order" = in-order ] && echo --keep-order))
    for n in "${sizes[@]}"; do
        python3 Benchmarks/synth_rows.py "$n" "$work/rows.csv"
        for tool in tutorial judgetop; do rm -f "$work/$tool-$n-$order.times"; done
        for _ in $(seq $runs); do
            LABEL=tutorial-$n-$order measure python3 "$tutorial" "$url" bench-key "$work/rows.csv" "$work/tutorial"
            cp "$work/out" "$work/tutorial.json"
            LABEL=judgetop-$n-$order BENCH_KEY=bench-key measure "$bin" run --headless --new --dataset "$work/rows.csv" \
                --base-url "$url" --api-key-env BENCH_KEY --runs-dir "$work/runs" --report-json "$work/judgetop.json"
        done
        echo
        echo "$n rows, $order outputs"
        printf "  %-9s %-24s %-24s %-26s\n" "" "wall s" "cpu s" "peak RSS MB"
        for tool in tutorial judgetop; do
            f="$work/$tool-$n-$order.times"
            printf "  %-9s %-24s %-24s %-26s\n" "$tool" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)"
        done
        mid() { cut -d' ' -f"$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
        awk -v tw="$(mid 1 "$work/tutorial-$n-$order.times")" -v jw="$(mid 1 "$work/judgetop-$n-$order.times")" \
            -v tc="$(mid 2 "$work/tutorial-$n-$order.times")" -v jc="$(mid 2 "$work/judgetop-$n-$order.times")" \
            'BEGIN { printf "  ratio of medians: judgetop takes %.1f× less wall time and %.1f× less CPU\n", tw / jw, tc / jc }'
        python3 - "$work/tutorial.json" "$work/judgetop.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))["accuracy"]
for k in ("judge_determined", "base_vs_truth", "judge_vs_truth"):
    print(f"  {k:17} tutorial {t[k]:.3f}   judgetop {j[k]:.3f}")
PY
    done
done
