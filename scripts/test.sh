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

dotnet test Ivr.sln --no-build -nologo --logger trx --logger "console;verbosity=minimal" --results-directory "$results" \
  >"$results/test.log" 2>&1
status=$?
grep -E '^\s*Failed |error' "$results/test.log" >&2 || true

# Each test assembly writes one TRX report: <Counters total=".." executed=".." passed=".." failed=".." ...>.
passed=0 failed=0 skipped=0 reports=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count total) - $(count executed)))
done
# A test project whose host crashed writes no report: count it as a failure, never as a pass.
expected=0
for project in tests/*.Tests; do
  ls "$project"/*.cs "$project"/*/*.cs >/dev/null 2>&1 && expected=$((expected + 1))
done
if [ "$reports" -lt "$expected" ]; then
  echo "error: only $reports of $expected test assemblies reported (a test host crashed?), see $results/test.log" >&2
  failed=$((failed + expected - reports))
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
