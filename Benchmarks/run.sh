#!/usr/bin/env bash
# judgetop's benchmarks: one command, one table. Release builds, with the Swift runtime linked in
# (--static-swift-stdlib, as the README recommends for large runs); the simulator runs with --instant in
# another process, so the figures are judgetop's (and the tutorial's) own costs, not a model's latency.
#   Benchmarks/run.sh                 everything, 3 runs of each figure (about 15 minutes on 2 cores)
#   RUNS=5 Benchmarks/run.sh          more runs
#   Benchmarks/run.sh tutorial scale hotpaths idle     any subset of the sections, in that order
# Sizes: TUTORIAL_SIZES (default "1000 20000"), SCALE_SIZES (default "100000 1000000").
# Sections:
#   tutorial  Benchmarks/tutorial_pipeline.py (pandas + the openai SDK, as the kluster.ai tutorial
#             does it) and judgetop on the same rows and simulator: wall, CPU (user+sys), peak RSS, the
#             ratios of the medians, and the accuracies each reports, with outputs shuffled (as providers
#             return them) and in input order (--keep-order; the tutorial joins by line order).
#   scale     judgetop alone: wall, CPU, peak RSS, rows/s and CPU per row, which should stay flat.
#   hotpaths  judgetop-bench: JSONL building, output parsing, SQLite storing per 100,000 lines, CSV
#             reading, the report and a dashboard refresh on 100,000 rows, dashboard frames at 1,000
#             and 1,000,000 rows.
#   idle      CPU of the real dashboard in tmux for 10 s, watching a finished run, then a batch in progress.
# Every figure: median (min–max) of RUNS runs. Never part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(tutorial scale hotpaths idle)
# The tutorial's pipeline as a script (arguments: base URL, key, rows CSV, work folder).
tutorial=$PWD/Benchmarks/tutorial_pipeline.py

for product in judgetop judgetop-bench; do
    swift build -c release --static-swift-stdlib --product "$product" > /tmp/judgetop-bench-build.log 2>&1 || { cat /tmp/judgetop-bench-build.log; exit 1; }
done
bin=$PWD/.build/release/judgetop
work=$(mktemp -d)
results=$work/results   # lines: figure|unit|value, one per run
notes=$work/notes       # lines printed under the table
pids=()
tmux_socket=judgetop-bench-$$
trap 'stop_simulators; tmux -L "$tmux_socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

serve() {  # serve NAME [OPTIONS...]: starts a simulator in another process and sets $url; not in a
    # subshell, so that the exit trap knows its pid
    "$bin" serve-sim --instant --port 0 --api-key bench-key "${@:2}" > "$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -q "listening on" "$work/$1.log" && break; sleep 0.1; done
    url=$(sed -n 's/.*listening on //p' "$work/$1.log")
}

stop_simulators() {  # the simulator keeps every file it was sent: one per million-row run bounds its memory
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    pids=()
}

measure() {  # measure LABEL COMMAND...: records LABEL wall, cpu and peak RSS; leaves stdout in $work/out
    local label=$1
    shift
    python3 Benchmarks/measure.py "$work/t" "$@" > "$work/out" 2>"$work/err" || { cat "$work/err" "$work/out"; exit 1; }
    read -r wall user sys rss < "$work/t"
    echo "$label wall|s|$wall" >> "$results"
    echo "$label CPU|s|$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$results"
    echo "$label peak RSS|MB|$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" >> "$results"
}

judgetop_run() {  # judgetop_run LABEL ROWS_CSV URL: one headless run of judgetop
    BENCH_KEY=bench-key measure "$1" "$bin" run --headless --new --dataset "$2" --base-url "$3" --api-key-env BENCH_KEY \
        --runs-dir "$work/runs" --report-json "$work/judgetop.json"
    rm -rf "$work/runs"
}

section_tutorial() {
    python3 -c "import openai, pandas" 2>/dev/null || { echo "tutorial: skipped, needs: pip install openai pandas" >> "$notes"; return; }
    for order in shuffled in-order; do
        serve "$order" $([ "$order" = in-order ] && echo --keep-order)
        for n in ${TUTORIAL_SIZES:-1000 20000}; do
            python3 Benchmarks/synth_rows.py "$n" "$work/rows.csv"
            for _ in $(seq "$runs"); do
                measure "tutorial $n rows, $order:" python3 "$tutorial" "$url" bench-key "$work/rows.csv" "$work/tutorial"
                cp "$work/out" "$work/tutorial.json"
                judgetop_run "judgetop $n rows, $order:" "$work/rows.csv" "$url"
            done
            echo "ratio $n rows, $order|tutorial $n rows, $order:|judgetop $n rows, $order:" >> "$work/ratios"
            python3 - "$work/tutorial.json" "$work/judgetop.json" "$n rows, $order" >> "$notes" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))["accuracy"]
pairs = "   ".join(f"{k} {t[k]:.3f} vs {j[k]:.3f}" for k in ("judge_determined", "base_vs_truth", "judge_vs_truth"))
print(f"accuracies, {sys.argv[3]} (tutorial vs judgetop): {pairs}")
PY
        done
        stop_simulators
    done
}

section_scale() {
    for n in ${SCALE_SIZES:-100000 1000000}; do
        python3 Benchmarks/synth_rows.py "$n" "$work/rows.csv"
        for _ in $(seq "$runs"); do
            serve scale
            judgetop_run "judgetop $n rows:" "$work/rows.csv" "$url"
            stop_simulators
            awk -v n="$n" -F'|' '/^judgetop '"$n"' rows: wall/ { w = $3 } /^judgetop '"$n"' rows: CPU/ { c = $3 }
                END { printf "judgetop %d rows: rows per second|rows/s|%.0f\njudgetop %d rows: CPU per row|µs|%.1f\n", n, n / w, n, c / n * 1e6 }' \
                <(tail -3 "$results") >> "$results"
        done
    done
}

section_hotpaths() {
    .build/release/judgetop-bench --runs "$runs" | tee "$work/bench.txt" | head -1 | sed 's/^/hot paths: /' >> "$notes"
    # "label  median  min  max  unit" → the table's own rows
    tail -n +3 "$work/bench.txt" | awk '{ unit = $NF; max = $(NF-1); min = $(NF-2); med = $(NF-3); $NF = $(NF-1) = $(NF-2) = $(NF-3) = "";
        sub(/ +$/, ""); printf "%s|%s|=%s %s %s\n", $0, unit, med, min, max }' >> "$results"
}

section_idle() {
    command -v tmux >/dev/null || { echo "idle: skipped, needs tmux" >> "$notes"; return; }
    for n in $(seq "$runs"); do
        # The dashboard watching a finished run (the embedded simulator), then one watching a batch in
        # progress: 300 rows answered 10 a second by a simulator of its own, measured once the batch
        # shows in_progress, while judgetop polls it and redraws its progress.
        idle_dashboard "$n-finished" "finished run" "Batches: 0 live" --limit 300
        serve live --requests-per-second 10 --validation-seconds 0
        BENCH_KEY=bench-key idle_dashboard "$n-live" "live batch" "in_progress" --limit 300 --base-url "$url" --api-key-env BENCH_KEY
        stop_simulators
    done
}

idle_dashboard() {  # idle_dashboard ID LABEL TEXT RUN-OPTIONS...: CPU of the dashboard over 10 s once TEXT shows
    # A socket of its own each time: a new session on a server still shutting down failed once.
    tmux_socket=judgetop-bench-$$-$1
    rm -rf "$work/idle"
    tmux -L "$tmux_socket" -u new-session -d -x 140 -y 45 \
        "env TERM=tmux-256color LANG=C.UTF-8 BENCH_KEY=bench-key $bin run ${*:4} --runs-dir $work/idle"
    for _ in $(seq 300); do tmux -L "$tmux_socket" capture-pane -p | grep -q "$3" && break; sleep 0.2; done
    local pid before after
    # Anchored: the tmux server's own command line holds the same words (unanchored, it was measured).
    pid=$(pgrep -f "^$bin run ${*:4} --runs-dir $work/idle")
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat"); sleep 10; after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    echo "idle dashboard, $2, 10 s: CPU|% of a core|$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { print 100 * t / hz / 10 }')" >> "$results"
    tmux -L "$tmux_socket" kill-server
}

echo "judgetop benchmarks: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $runs runs of each figure; $(date -u +%F)"
for s in "${sections[@]}"; do
    echo "running $s ..." >&2
    "section_$s"
done
python3 Benchmarks/table.py "$results" "$work/ratios" "$notes"
