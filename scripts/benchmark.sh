#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md: a private PostgreSQL, a fresh Release `ivr serve` per row warmed up by
# 600 unmeasured calls, then the row's load twice: with the independent C client agiload
# (../shared/tools/agiload) and with `ivr lab load`, both with the same options, both reading the server's
# CPU and memory from /proc. Loopback only; every run is bounded by its call count and a duration limit.
#   ROWS="held surge setup capacity"   which rows (default: all four)
#   CLIENTS="agiload lab"     which clients (default: both)
#   REPEAT=N                  runs of each row and client (default 1)
#   SERVER_DLLS="a.dll b.dll" servers to compare, run by turns within each repeat (default: this tree's Release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/postgres.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p .tmp
agiload=$root/.tmp/agiload
cc -O2 -Wall -o "$agiload" ../shared/tools/agiload/agiload.c -lm
dotnet build src/Ivr.Cli/Ivr.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

pg_start "$root/.tmp/pg-bench"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "DROP DATABASE IF EXISTS ivr_bench" >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ivr_bench
# The pool as `ivr` sizes one the connection string leaves unsized (10 connections; builds before 2026-12-04 took
# Npgsql's 100), the way an operator who sets nothing runs it.
export IVR_DATABASE="$PG_CONNECTION;Database=ivr_bench"
export IVR_PEPPER=$(head -c 32 /dev/urandom | base64)
export IVR_LISTEN=127.0.0.1:14573
export IVR_LOG_LEVEL=Warn
./ivr db migrate >/dev/null
./ivr directory import ../shared/scenarios/directory.csv >/dev/null

server=
run_server() { # [DLL]
  dotnet "${1:-src/Ivr.Cli/bin/Release/net10.0/ivr.dll}" serve & server=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/14573) 2>/dev/null && break; sleep 0.1; done
  # Warm-up, not measured: the first calls pay for JIT compilation and the pools' first connections.
  "$agiload" --port 14573 --flow three-bad-inputs --calls 600 --concurrency 100 --duration-limit 60 >/dev/null || true
  sleep 2
}
# With no server left to stop it still succeeds: the exit trap runs it under set -e, and the script's status is its.
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi; }
trap 'stop_server 2>/dev/null; pg_stop' EXIT

# bench FLOW CALLS CONCURRENCY RATE THINK_MS: one fresh server per client and run.
bench() {
  local flow=$1 calls=$2 concurrency=$3 rate=$4 think=$5 client run dll
  for run in $(seq 1 "${REPEAT:-1}"); do
    for dll in ${SERVER_DLLS:-src/Ivr.Cli/bin/Release/net10.0/ivr.dll}; do
    for client in ${CLIENTS:-agiload lab}; do
      run_server "$dll"
      echo "server: $dll"
      if [ "$client" = agiload ]; then
        echo "\$ agiload --flow $flow --calls $calls --concurrency $concurrency --rate $rate --think-ms $think --think-jitter 0.5"
        "$agiload" --port 14573 --flow "$flow" --calls "$calls" --concurrency "$concurrency" --rate "$rate" \
          --think-ms "$think" --think-jitter 0.5 --pid "$server" --duration-limit 120 || true
      else
        echo "\$ ivr lab load --flow $flow --calls $calls --concurrency $concurrency --rate $rate --think-ms $think --think-jitter 0.5"
        ./ivr lab load --server "$IVR_LISTEN" --flow "$flow" --calls "$calls" --concurrency "$concurrency" --rate "$rate" \
          --think-ms "$think" --think-jitter 0.5 --server-pid "$server" --time-limit 120 || true
      fi
      sleep 3 # memory after the surge: read by the clients' last sample; the settle time shows in the server's RSS
      echo "server RSS after the run + 3 s: $(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status" 2>/dev/null)"
      stop_server
      echo
    done
    done
  done
}

for row in ${ROWS:-held surge setup capacity}; do
  case $row in
    # The issue's load: 700 calls/s, 1 s ±50 % keying, about 2,300 calls open at once.
    held) bench three-bad-inputs 14000 5000 700 1000 ;;
    # Over 10,000 calls open at once: 600 calls/s, each of the three GET DATA keyed in 6 s ±50 % (about 18 s a
    # call), so that the open calls, not the two cores, are what is measured.
    surge) bench three-bad-inputs 24000 12000 600 6000 ;;
    # Full setups, hash and commit, at 4 calls/s: the wait after the confirmation is the commit's turnaround.
    setup) bench setup 120 100 4 1000 ;;
    # Setups at well over 10x what the hashing slots can do (one slot, ~5 hashes a second here): every caller must
    # hear completed or system-error within IVR_HASH_WAIT, never a longer silence.
    capacity) bench setup 600 600 150 1000 ;;
  esac
done
