#!/usr/bin/env bash
# Runs every test of the solution against a throwaway PostgreSQL cluster of its own, then prints
# one summary line `tests: N passed, N failed[, N skipped]` and exits non-zero on any failure.
# Installs PostgreSQL with apt-get when it is missing (as root). No other service is needed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/postgres.sh

results=$root/.tmp/test-results
rm -rf "$results" "$root/.tmp/pg-test"
mkdir -p "$results"

fail_summary() { echo "error: $*" >&2; echo "tests: 0 passed, 1 failed"; exit 1; }

pg_start "$root/.tmp/pg-test" || fail_summary "could not start the test PostgreSQL"
trap pg_stop EXIT
export IVR_TEST_POSTGRES="$PG_CONNECTION"
# The fault tests stop and restart this very cluster (issue 5).
export IVR_TEST_PG_DATA="$PG_DATA" IVR_TEST_PG_BIN="$PG_BIN" IVR_TEST_PG_PORT="$PG_PORT"

for hook in scripts/test-prerequisites.d/*.sh; do
  [ -f "$hook" ] && { bash "$hook" || fail_summary "$hook failed"; }
done

dotnet build Ivr.sln -nologo -v q -clp:ErrorsOnly >"$results/build.log" 2>&1 || {
  cat "$results/build.log" >&2; fail_summary "the build failed"; }

dotnet test Ivr.sln --no-build -nologo --logger "console;verbosity=normal" --results-directory "$results" \
  >"$results/test.log" 2>&1
status=$?
grep -E '^\s*(Failed|Skipped) |^(Passed|Failed)! |error' "$results/test.log" | grep -v '^\s*Passed ' >&2 || true

# One line per test assembly: "Passed!  - Failed: 0, Passed: 53, Skipped: 0, Total: 53, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! ' "$results/test.log" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i == "Passed") p += $(i+1); if ($i == "Skipped") s += $(i+1) } }
  END { print p + 0, f + 0, s + 0 }')
assemblies=$(grep -cE '^(Passed|Failed)! ' "$results/test.log")
expected=$(ls -d tests/*.Tests | wc -l)
if [ "$assemblies" -lt "$expected" ]; then
  echo "error: only $assemblies of $expected test assemblies reported (a test host crashed?), see $results/test.log" >&2
  failed=$((failed + expected - assemblies))
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
