#!/usr/bin/env bash
# The prompt tests regenerate the audio and compare: they need espeak-ng and sox (Debian packages).
command -v espeak-ng >/dev/null && command -v sox >/dev/null && exit 0
[ "$(id -u)" -eq 0 ] || { echo "error: install espeak-ng and sox (apt-get install espeak-ng sox)" >&2; exit 1; }
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng sox >/dev/null
