#!/usr/bin/env bash
# Runs the service with a demo, on a private PostgreSQL under .tmp/: migrates, loads the demo directory,
# starts the FastAGI server, replays a demo call with its transcript, then keeps serving until Ctrl+C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/postgres.sh

pg_start "$root/.tmp/pg-demo"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = 'ivr'" | grep -q 1 \
  || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ivr

# The demo's pepper is a secret of this checkout only: made once, kept in .tmp/ (ignored by git), never in the repo.
pepper_file=$root/.tmp/demo-pepper
[ -s "$pepper_file" ] || { head -c 32 /dev/urandom | base64 > "$pepper_file"; chmod 600 "$pepper_file"; }

# Likewise the website's key ring key (its Data Protection keys live in the database, encrypted with it).
key_ring_key_file=$root/.tmp/demo-key-ring-key
[ -s "$key_ring_key_file" ] || { head -c 32 /dev/urandom | base64 > "$key_ring_key_file"; chmod 600 "$key_ring_key_file"; }

export IVR_DATABASE="$PG_CONNECTION;Database=ivr"
export IVR_PEPPER_FILE="$pepper_file"
export IVR_WEB__KEY_RING_KEY_FILE="$key_ring_key_file"
export IVR_LISTEN="${IVR_LISTEN:-127.0.0.1:4573}"
export IVR_WEB__LISTEN="${IVR_WEB__LISTEN:-127.0.0.1:8080}"
export IVR_LOG_LEVEL="${IVR_LOG_LEVEL:-Warn}"
# Audit rows the database cannot take wait here (docs/operations.md); beside the demo's database, not the build.
export IVR_AUDIT_SPOOL="${IVR_AUDIT_SPOOL:-$root/.tmp/demo-audit-spool}"

./ivr db migrate
./ivr directory import demo/directory.csv

server_pid="" web_pid=""
cleanup() {
  [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  pg_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

./ivr serve &
server_pid=$!
./ivr web &
web_pid=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/${IVR_LISTEN%:*}/${IVR_LISTEN##*:}") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "error: ivr serve stopped, see above" >&2; exit 1; }
  sleep 0.2
done

echo
echo "== Demo call: the contract's main line 0612345678 sets a line-unit temporary password =="
./ivr lab call --caller 0612345678 --press 1 --press 24681357 --press 24681357
echo
echo "== The website's view of that login =="
./ivr credentials show 0612345678
echo
cat <<TXT
The FastAGI server is listening on $IVR_LISTEN, the settings website on http://$IVR_WEB__LISTEN/
(Ctrl+C stops both and the demo database). Operators: http://127.0.0.1:9464/health/ready and /metrics for the
server, http://127.0.0.1:9465/health/ready and /metrics for the website (docs/operations.md). Log in there with 0612345678 and the temporary password 24681357:
the website asks for a password of your own (8-12 letters and digits, not digits only).
In another terminal, with the same environment:
  export IVR_DATABASE='$IVR_DATABASE' IVR_PEPPER_FILE='$pepper_file'
  ./ivr lab call --caller 0612345679 --press 3 --press 11223344 --press 11223344
  ./ivr lab replay ../shared/scenarios
  echo 24681357 | ./ivr credentials verify 0612345678
  ./ivr audit tail -n 5
TXT
wait "$server_pid"
