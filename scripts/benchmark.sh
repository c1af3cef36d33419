#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md: a private PostgreSQL, `ivr serve` (Release), then `ivr lab load`
# for each row. Loopback only; every run is bounded by its call count and --time-limit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/postgres.sh
ulimit -n 20000 2>/dev/null || true

pg_start "$root/.tmp/pg-bench"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "DROP DATABASE IF EXISTS ivr_bench" >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ivr_bench
export IVR_DATABASE="$PG_CONNECTION;Database=ivr_bench;Maximum Pool Size=100"
export IVR_PEPPER=$(head -c 32 /dev/urandom | base64)
export IVR_LISTEN=127.0.0.1:14573
export IVR_LOG_LEVEL=Warn
./ivr db migrate >/dev/null
./ivr directory import ../shared/scenarios/directory.csv >/dev/null

run_server() {
  dotnet src/Ivr.Cli/bin/Release/net10.0/ivr.dll serve & server=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/14573) 2>/dev/null && return; sleep 0.1; done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; }
trap 'stop_server 2>/dev/null; pg_stop' EXIT

bench() { # flow calls concurrency [playback-ms]
  run_server
  # Warm-up, not measured: the first calls pay for JIT compilation and the pools' first connections.
  ./ivr lab load --flow "$1" --calls 300 --concurrency 50 --time-limit 120 >/dev/null || true
  echo "\$ ivr lab load --flow $1 --calls $2 --concurrency $3 --playback-ms ${4:-0}"
  ./ivr lab load --flow "$1" --calls "$2" --concurrency "$3" --playback-ms "${4:-0}" --server-pid "$server" --time-limit 300 || true
  stop_server
  echo
}

# Saturation: Asterisk answers at once, so every core is busy with the benchmark itself.
for c in ${NO_WRITE_CONCURRENCY:-1 100 1000 5000}; do bench no-write $(( c < 1000 ? 2000 : c * 2 )) "$c"; done
# Held calls: each prompt and input lasts 0.5 s on the line, as on a real call (a real one lasts longer still).
for c in ${HELD_CONCURRENCY:-1000 5000}; do bench no-write "$c" "$c" 500; done
bench no-write 400 200 500
for c in ${SETUP_CONCURRENCY:-1 50 200}; do bench setup "$c" "$c" 500; done
