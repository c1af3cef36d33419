#!/usr/bin/env bash
# Makes the guidance audio from prompts/manifest.tsv: espeak-ng speaks each row's kana reading, sox turns it into
# what Asterisk plays natively (8 kHz, mono, 16-bit PCM WAV) at prompts/ja/<id>.wav. Production replaces these
# with recorded voice under the same ids (prompts/README.md). PROMPTS_OUT=DIR writes elsewhere (the tests compare).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "error: install espeak-ng and sox (apt-get install espeak-ng sox)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng sox >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tail -n +2 prompts/manifest.tsv | while IFS=$'\t' read -r id text reading; do
  out="${PROMPTS_OUT:-prompts/ja}/$id.wav"
  mkdir -p "$(dirname "$out")"
  espeak-ng -v ja -s 150 -w "$work/raw.wav" "$reading"
  # espeak-ng leaves silence around speech: cut it and keep a short pause at the end, so that a readback of ten
  # digits flows (SAY DIGITS plays digits/<d> back to back) and prompts follow each other without a gap.
  # No dither (-D) and a fixed format: the same manifest and tools make the same bytes.
  sox "$work/raw.wav" -D -r 8000 -c 1 -b 16 -e signed-integer "$out" \
    silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse pad 0 0.15
  echo "$out"
done
