#!/usr/bin/env bash
# The website's browser test drives Debian's Chromium (Playwright cannot download a browser here), and Japanese
# pages need a CJK font, which Chromium does not pull in.
[ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && exit 0
[ "$(id -u)" -eq 0 ] || { echo "error: install chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)" >&2; exit 1; }
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
