#!/usr/bin/env bash
# The real SIP tests (tests/Ivr.Sip.Tests) register Debian's baresip as the lab phones, once a lab Asterisk is
# built (scripts/asterisk-lab.sh build); without that build they are skipped and need nothing.
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$(bash "$root/scripts/asterisk-lab.sh" prefix)/.ivr-lab-asterisk" ] || exit 0
[ -x /usr/bin/baresip ] && exit 0
[ "$(id -u)" -eq 0 ] || { echo "error: the real SIP tests need baresip: apt-get install baresip-core" >&2; exit 1; }
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq baresip-core >/dev/null
