# Shared by the benchmark scripts: a release build of judgetop and its simulator in another process.
# start_simulator ARGS...   sets $bin, $work (a temporary folder, removed on exit) and $url.
start_simulator() {
    swift build -c release --static-swift-stdlib --product judgetop >/dev/null
    bin=$PWD/.build/release/judgetop
    work=$(mktemp -d)
    "$bin" serve-sim --port 0 --api-key bench-key "$@" > "$work/sim.log" 2>&1 &
    sim=$!
    trap 'kill $sim 2>/dev/null; rm -rf "$work"' EXIT
    for _ in $(seq 100); do grep -q "listening on" "$work/sim.log" && break; sleep 0.1; done
    url=$(sed -n 's/.*listening on //p' "$work/sim.log")
}
