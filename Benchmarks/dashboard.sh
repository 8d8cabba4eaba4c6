#!/usr/bin/env bash
# Dashboard benchmarks (release build): frame time with 1,000 and 1,000,000 rows, then the CPU the
# real dashboard uses while it idly watches a finished run in tmux for 10 seconds.
#   Benchmarks/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product judgetop >/dev/null
swift build -c release --product judgetop-bench >/dev/null
.build/release/judgetop-bench 1000 1000000

work=$(mktemp -d)
socket=judgetop-bench-$$
trap 'tmux -L $socket kill-server 2>/dev/null; rm -rf "$work"' EXIT
tmux -L "$socket" -u new-session -d -x 140 -y 45 \
    "env TERM=tmux-256color LANG=C.UTF-8 $PWD/.build/release/judgetop run --limit 300 --runs-dir $work/runs"
for _ in $(seq 300); do tmux -L "$socket" capture-pane -p | grep -q "Batches: 0 live" && break; sleep 0.2; done
pid=$(pgrep -f "judgetop run --limit 300 --runs-dir $work" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks); sleep 10; after=$(ticks)
hz=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "idle dashboard (finished run, 140×45, 10 s): %.2f%% of one core\n", 100 * t / hz / 10 }'
