# shellcheck shell=bash
# Private PostgreSQL clusters for the demo and the tests: sourced by demo.sh and test.sh.
# A cluster lives under .tmp/ in the project folder, listens on 127.0.0.1 only, on a free port,
# and trusts local connections: it is a throwaway, never a production database.

pg_log() { printf '%s\n' "$*" >&2; }

# Finds the newest installed PostgreSQL server binaries; installs Debian's package when there are none.
pg_ensure_installed() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      pg_log "error: PostgreSQL is not installed; run 'sudo apt-get install -y postgresql' and try again"
      return 1
    fi
    pg_log "installing PostgreSQL (apt-get)..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || {
      pg_log "error: apt-get could not install postgresql"; return 1; }
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  export PG_BIN
}

# A TCP port nobody listens on, from the kernel's ephemeral range.
pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# Runs a PostgreSQL program as the cluster's owner: initdb refuses root, so root runs it as 'postgres'.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start DIR: creates the cluster in DIR if needed and starts it on a free loopback port.
# Sets PG_PORT and PG_DATA, and IVR_TEST_POSTGRES-style PG_CONNECTION (superuser, trust).
pg_start() {
  local dir=$1
  pg_ensure_installed || return 1
  mkdir -p "$dir"
  PG_DATA="$dir/data"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    # The owner must be able to reach the folder through the project's parents.
    local p=$dir; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      pg_log "error: initdb failed, see $dir/initdb.log"; return 1; }
  fi
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    PG_PORT=$(sed -n 4p "$PG_DATA/postmaster.pid")
  else
    PG_PORT=$(pg_free_port)
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c max_connections=300 -c fsync=off" start >/dev/null || {
      pg_log "error: PostgreSQL did not start, see $dir/server.log"; return 1; }
  fi
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  export PG_DATA PG_PORT PG_CONNECTION
}

pg_stop() {
  [ -n "${PG_DATA:-}" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}
