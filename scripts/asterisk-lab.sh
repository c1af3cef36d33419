#!/usr/bin/env bash
# Builds the lab Asterisk (22 LTS, PJSIP with its bundled pjproject, FastAGI) into a prefix outside the checkout,
# where the real SIP tests (tests/Ivr.Sip.Tests) and the softphone lab (docs/softphone-lab.md) find it.
#
#   scripts/asterisk-lab.sh build [--source DIR|TARBALL] [--download-cache DIR] [--prefix DIR]
#   scripts/asterisk-lab.sh prefix      print the prefix the tests look in
#
# --source: an Asterisk 22 source tree or release tarball; without it the official release tarball is downloaded.
# --download-cache: a folder holding pjproject-X.Y.tar.bz2 (the version third-party/versions.mak names), for a
#   machine without network; Asterisk checks it against the md5 it ships. Without it, Asterisk downloads it.
# Prefix: --prefix, else IVR_LAB_ASTERISK, else /opt/ivr-lab/asterisk-VERSION as root and
#   ${XDG_CACHE_HOME:-~/.cache}/ivr-lab/asterisk-VERSION otherwise. The binaries hold the prefix's absolute path,
#   so the build happens where the prefix will stay. As root, missing Debian build packages are installed.
set -euo pipefail

version=22.10.1
release_url=https://downloads.asterisk.org/pub/telephony/asterisk/releases

die() { echo "error: $*" >&2; exit 1; }

default_prefix() {
  if [ -n "${IVR_LAB_ASTERISK:-}" ]; then echo "$IVR_LAB_ASTERISK"
  elif [ "$(id -u)" -eq 0 ]; then echo "/opt/ivr-lab/asterisk-$version"
  else echo "${XDG_CACHE_HOME:-$HOME/.cache}/ivr-lab/asterisk-$version"; fi
}

install_build_packages() {
  local packages=(build-essential libedit-dev libjansson-dev libxml2-dev uuid-dev libsqlite3-dev libssl-dev
    libsrtp2-dev pkg-config bzip2 patch)
  local missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || die "install the build packages first: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Unpacks or copies the sources into $work/src (a build writes into its tree; the caller's stays untouched).
prepare_sources() {
  local source=$1 work=$2
  if [ -z "$source" ]; then
    command -v wget >/dev/null || die "wget is needed to download the release tarball (or pass --source)"
    source=$work/asterisk-$version.tar.gz
    wget -q -O "$source" "$release_url/asterisk-$version.tar.gz" || die "could not download asterisk-$version.tar.gz (no network? pass --source)"
    wget -q -O "$source.sha256" "$release_url/asterisk-$version.sha256" || die "could not download asterisk-$version.sha256"
    (cd "$work" && sha256sum -c --quiet "$source.sha256") || die "asterisk-$version.tar.gz does not match its sha256"
  fi
  mkdir -p "$work/src"
  if [ -d "$source" ]; then
    cp -a "$source/." "$work/src/"
  elif [ -f "$source" ]; then
    tar -xf "$source" -C "$work/src" --strip-components=1
  else
    die "no such source directory or tarball: $source"
  fi
  [ -f "$work/src/main/asterisk.c" ] || die "$source is not an Asterisk source tree"
  # A tree exported from git has no .version, and the build would then call itself UNKNOWN__…
  [ -f "$work/src/.version" ] || echo "$version" >"$work/src/.version"
  case $(cat "$work/src/.version") in
    22.*) ;;
    *) die "$source is Asterisk $(cat "$work/src/.version"); the lab needs Asterisk 22 LTS" ;;
  esac
}

# Only what a FastAGI + PJSIP lab uses: fewer libraries to need, a shorter build. Every sound package is off
# (they would be downloaded); the service brings its own prompts.
select_modules() {
  local pjsip=() m
  for m in res/res_pjsip*.c; do
    m=$(basename "$m" .c)
    case $m in
      # These need libraries or modules the lab does not build.
      *stir_shaken|*geolocation|*phoneprov*|*config_sangoma|*aoc|*history|*maintenance|*websocket|*send_to_voicemail) ;;
      *) pjsip+=("$m") ;;
    esac
  done
  make menuselect.makeopts >/dev/null
  # Careful: `menuselect --list-category X menuselect.makeopts` rewrites the file; never pass it the file to list.
  menuselect/menuselect \
    --disable-category MENUSELECT_ADDONS --disable-category MENUSELECT_APPS --disable-category MENUSELECT_BRIDGES \
    --disable-category MENUSELECT_CDR --disable-category MENUSELECT_CEL --disable-category MENUSELECT_CHANNELS \
    --disable-category MENUSELECT_CODECS --disable-category MENUSELECT_FORMATS --disable-category MENUSELECT_FUNCS \
    --disable-category MENUSELECT_PBX --disable-category MENUSELECT_RES --disable-category MENUSELECT_TESTS \
    --disable-category MENUSELECT_UTILS --disable-category MENUSELECT_AGIS \
    --disable-category MENUSELECT_CORE_SOUNDS --disable-category MENUSELECT_MOH \
    --disable-category MENUSELECT_EXTRA_SOUNDS \
    --disable BUILD_NATIVE \
    --enable res_agi --enable pbx_config --enable app_stack --enable app_playback --enable app_read \
    --enable app_verbose --enable app_exec --enable app_senddtmf --enable app_dial --enable app_echo \
    --enable chan_pjsip $(printf -- '--enable %s ' "${pjsip[@]}") \
    --enable res_pjproject --enable res_rtp_asterisk --enable res_srtp \
    --enable res_sorcery_config --enable res_sorcery_memory --enable res_sorcery_astdb \
    --enable res_sorcery_memory_cache --enable res_sorcery_realtime \
    --enable res_timing_timerfd --enable res_clioriginate --enable res_musiconhold \
    --enable bridge_simple --enable bridge_native_rtp --enable bridge_builtin_features --enable bridge_holding \
    --enable codec_ulaw --enable codec_alaw --enable codec_a_mu --enable codec_gsm \
    --enable format_wav --enable format_pcm --enable format_sln --enable format_gsm --enable format_wav_gsm \
    --enable func_callerid --enable func_channel --enable func_cut --enable func_global --enable func_strings \
    --enable func_logic --enable func_math --enable func_env --enable func_timeout --enable func_hangupcause \
    --enable func_pjsip_endpoint --enable func_pjsip_aor --enable func_pjsip_contact --enable func_sorcery \
    --enable func_version \
    menuselect.makeopts >/dev/null
}

build() {
  local source="" cache="" prefix
  prefix=$(default_prefix)
  while [ $# -gt 0 ]; do
    case $1 in
      --source) source=$(realpath "${2:?--source needs a path}"); shift 2 ;;
      --download-cache) cache=$(realpath "${2:?--download-cache needs a folder}"); shift 2 ;;
      --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
      *) die "unknown option $1 (see the header of $0)" ;;
    esac
  done
  case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
  install_build_packages
  # Global, not local: the EXIT trap runs after this function has returned.
  work=$(mktemp -d "${TMPDIR:-/tmp}/asterisk-lab.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  prepare_sources "$source" "$work"
  cd "$work/src"
  local jobs
  jobs=$(nproc)
  echo "configuring Asterisk $(cat .version) for $prefix" >&2
  ./configure --prefix="$prefix" --with-pjproject-bundled --with-jansson-bundled=no \
    ${cache:+--with-download-cache="$cache"} >"$work/configure.log" 2>&1 ||
    { tail -n 30 "$work/configure.log" >&2; die "configure failed"; }
  select_modules
  echo "building with $jobs jobs" >&2
  make -j"$jobs" >"$work/make.log" 2>&1 || { grep -E 'error|Error' "$work/make.log" | tail -n 30 >&2; die "make failed"; }
  # Replaces only an earlier lab build, never a folder of something else.
  if [ -e "$prefix" ] && [ -n "$(ls -A "$prefix")" ]; then
    [ -f "$prefix/.ivr-lab-asterisk" ] || die "$prefix exists and is not a lab Asterisk; choose another --prefix"
    rm -rf "$prefix"
  fi
  make install >"$work/install.log" 2>&1 || { tail -n 30 "$work/install.log" >&2; die "make install failed"; }
  cat .version >"$prefix/.ivr-lab-asterisk"
  echo "Asterisk $(cat .version) installed in $prefix" >&2
}

case ${1:-} in
  build) shift; build "$@" ;;
  prefix) default_prefix ;;
  *) die "usage: $0 build [--source DIR|TARBALL] [--download-cache DIR] [--prefix DIR] | $0 prefix" ;;
esac
