#!/usr/bin/env bash
# judgetop through llama-stack's own Batches server: llama-stack (its reference batches provider,
# local files) in front, its inference pointed at `judgetop serve-sim`, and `judgetop run
# --base-url` against llama-stack on 50 rows. Not part of the test suite: it installs llama-stack
# from PyPI into a virtual environment (needs Python 3.12, a few minutes the first time).
#   Benchmarks/llama_stack_interop.sh                 PYTHON=python3.12 VENV=/tmp/judgetop-llama-stack
# It shows two things: a model named as the simulator names it is refused with the names
# llama-stack offers (it prefixes its provider: sim/…), and the run with those names finishes,
# although llama-stack writes every output line's body as a string holding the JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.12}
venv=${VENV:-/tmp/judgetop-llama-stack}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/llama" ]; then
    "$python" -m venv "$venv"
    # mcp 2 renamed McpError, which llama-stack 0.7 still imports.
    "$venv/bin/pip" install -q llama-stack "mcp>=1.23,<2"
fi
swift build --product judgetop > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bin=$PWD/.build/debug/judgetop

"$bin" serve-sim --port 0 --api-key sim-key --validation-seconds 0 --requests-per-second 1000 > "$work/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/sim.log" && break; sleep 0.1; done
sim_url=$(sed -n 's/.*listening on //p' "$work/sim.log")

cat > "$work/config.yaml" <<YAML
version: 2
distro_name: judgetop-interop
apis: [batches, files, inference]
providers:
  inference:
  - {provider_id: sim, provider_type: "remote::openai", config: {api_key: sim-key, base_url: "$sim_url"}}
  files:
  - provider_id: files
    provider_type: "inline::localfs"
    config: {storage_dir: "$work/files", metadata_store: {table_name: files_metadata, backend: sql_default}}
  batches:
  - {provider_id: reference, provider_type: "inline::reference", config: {kvstore: {namespace: batches, backend: kv_default}}}
storage:
  backends:
    kv_default: {type: kv_sqlite, db_path: "$work/kvstore.db"}
    sql_default: {type: sql_sqlite, db_path: "$work/sql_store.db"}
  stores:
    metadata: {namespace: registry, backend: kv_default}
    inference: {table_name: inference_store, backend: sql_default}
    conversations: {table_name: openai_conversations, backend: sql_default}
    prompts: {namespace: prompts, backend: kv_default}
    connectors: {namespace: connectors, backend: kv_default}
registered_resources: {models: []}
server: {port: 8321}
YAML
port=${PORT:-8321}
"$venv/bin/llama" stack run "$work/config.yaml" --port "$port" > "$work/llama-stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/v1/models" > "$work/models.json" && break; sleep 1; done
echo "llama-stack $("$venv/bin/pip" show llama-stack | sed -n 's/^Version: //p') at http://127.0.0.1:$port/v1, inference from $sim_url"
echo "its models: $(python3 -c 'import json,sys; print(", ".join(m["id"] for m in json.load(open(sys.argv[1]))["data"]))' "$work/models.json")"

run() { LS_KEY=none "$bin" run --headless --new --base-url "http://127.0.0.1:$port/v1" --api-key-env LS_KEY --limit 50 --runs-dir "$work/runs" "$@"; }
echo; echo "== the simulator's model names, which llama-stack does not use:"
run 2>&1 | tail -4 || true
echo; echo "== llama-stack's model names:"
run --base-model sim/klusterai/Meta-Llama-3.1-8B-Instruct-Turbo --judge-model sim/klusterai/Meta-Llama-3.3-70B-Instruct-Turbo
