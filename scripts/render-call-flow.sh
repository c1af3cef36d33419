#!/usr/bin/env bash
# Re-exports the call flow's graph from the state machine and renders docs/call-flow.svg with Graphviz.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v dot >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; }
./ivr docs call-flow --output docs
dot -Tsvg docs/call-flow.dot -o docs/call-flow.svg
echo "wrote docs/call-flow.svg"
