#!/usr/bin/env bash
# Installs Spectra Kiosk on a Raspberry Pi (Raspberry Pi OS Trixie or Bookworm, 64-bit) from a signed
# release (npm run release): Node.js, libgpiod's tools and the screen's packages, the spectra-kiosk
# user in the dialout and gpio groups, the release under /opt/spectra-kiosk/releases/VERSION with
# the `current` link the units run, the device's configuration, the systemd units (kiosk, screen, the
# update path) and udev rules. Idempotent: every step checks first and says "ok" when there is
# nothing to do. --dry-run prints what it would do and changes nothing.
#
#   sudo scripts/install-pi.sh --release spectra-kiosk-1.2.0-linux-arm64.tar.gz \
#     --release-key release-key.pub --config kiosk.json
#
# Options: --release FILE (with FILE.sha256 and FILE.sha256.sig beside it), --release-key FILE (the
# public half of the release key: kept in /etc/spectra-kiosk/release-key.pub, and every later update
# must be signed by it), --config FILE (the device's configuration, from provision-device; kept if
# one is installed unless --replace-config), --reader-usb VID:PID, --printer-usb VID:PID,
# --no-screen (a kiosk without a display: no cage or Chromium, no screen unit), --root DIR (install
# into a staging tree instead of /: packages, users and systemctl are skipped).
set -euo pipefail

dry_run=0
root=""
config=""
release=""
release_key=""
replace_config=0
screen=1
reader_usb="0403:6001"
printer_usb="04b8:0202"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --root) root="${2:?--root needs a directory}"; shift ;;
    --config) config="${2:?--config needs a file}"; shift ;;
    --release) release="${2:?--release needs a file}"; shift ;;
    --release-key) release_key="${2:?--release-key needs a file}"; shift ;;
    --replace-config) replace_config=1 ;;
    --no-screen) screen=0 ;;
    --reader-usb) reader_usb="${2:?--reader-usb needs VID:PID}"; shift ;;
    --printer-usb) printer_usb="${2:?--printer-usb needs VID:PID}"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install-pi: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

usage_error() { echo "install-pi: $*" >&2; exit 2; }
for usb in "$reader_usb" "$printer_usb"; do
  [[ "$usb" =~ ^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$ ]] || usage_error "$usb is not VID:PID (4 hex digits each)"
done
[ -n "$config" ] && [ ! -f "$config" ] && usage_error "no such config file: $config"
[ -n "$release" ] && [ ! -f "$release" ] && usage_error "no such release: $release"
[ -n "$release_key" ] && [ ! -f "$release_key" ] && usage_error "no such release key: $release_key"
release_name="$(basename "${release:-none}")"
if [ -n "$release" ] && ! [[ "$release_name" =~ ^spectra-kiosk-([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?)-linux-(x64|arm64)\.tar\.gz$ ]]; then
  usage_error "$release_name is not a release (spectra-kiosk-VERSION-linux-ARCH.tar.gz from npm run release)"
fi
version="${BASH_REMATCH[1]:-}"
release_arch="${BASH_REMATCH[3]:-}"
system=1
[ -n "$root" ] && system=0
if [ "$dry_run" = 0 ] && [ "$system" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "install-pi: run as root (sudo), or use --dry-run" >&2
  exit 2
fi

etc="$root/etc/spectra-kiosk"
app="$root/opt/spectra-kiosk"
changes=0
say() { printf '%s\n' "$*"; }
# do_step "description" command...: runs it (or, with --dry-run, says it would).
do_step() {
  local what="$1"; shift
  changes=$((changes + 1))
  if [ "$dry_run" = 1 ]; then say "would: $what"; else say "do: $what"; "$@"; fi
}
ok() { say "ok: $*"; }
skip() { say "skipped: $*"; }
has_package() { dpkg -s "$1" >/dev/null 2>&1; }
# systemd as PID 1 (not a chroot, not a container build): only then reload and start things.
systemd_running() { [ "$system" = 1 ] && [ -d /run/systemd/system ]; }

# Installs one file if it is missing or different.
install_file() {
  local from="$1" to="$2" mode="$3"
  if [ -f "$to" ] && cmp -s "$from" "$to"; then ok "$to"; return; fi
  do_step "install $to" install -D -m "$mode" "$from" "$to"
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
apt_updated=0
apt_update() { [ "$apt_updated" = 1 ] || { apt-get update -q; apt_updated=1; }; }

# 1. The system: Raspberry Pi OS / Debian Trixie or Bookworm, 64-bit, matching the release.
if [ "$system" = 1 ]; then
  codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-unknown}")"
  case "$codename" in
    trixie|bookworm) ok "system: Debian/Raspberry Pi OS $codename" ;;
    *) say "note: $codename is neither Trixie nor Bookworm: continuing, but this is not a tested system" ;;
  esac
  machine_arch="$(dpkg --print-architecture)"
  case "$machine_arch" in arm64) node_arch=arm64 ;; amd64) node_arch=x64 ;; *) node_arch="$machine_arch" ;; esac
  if [ -n "$release" ] && [ "$release_arch" != "$node_arch" ]; then
    echo "install-pi: $release_name is for $release_arch; this system is $machine_arch (a 64-bit Raspberry Pi OS is arm64)" >&2
    exit 2
  fi
fi

# 2. Node.js 20.19+ or 22+: Debian's where it is new enough (Trixie: 20.19), otherwise NodeSource's
#    (Bookworm's is 18). Read from what is installed and what apt offers, never assumed from the
#    release name. NodeSource's nodejs carries npm itself; the kiosk's releases need no npm, so
#    Debian's npm package (which conflicts with it) is never installed.
node_version_ok() {
  local version="${1#v}" major minor
  major="${version%%.*}"; minor="${version#*.}"; minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  [ "$major" -ge 22 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }
}
# "1:20.19.2+dfsg-1" → 20.19.2; "22.12.0-1nodesource1" → 22.12.0; "(none)" → empty.
upstream_version() { local v="${1#*:}"; v="${v%%[+~-]*}"; [[ "$v" =~ ^[0-9]+\.[0-9]+ ]] && echo "$v" || true; }
installed_node() {
  if [ -n "${SPECTRA_INSTALL_NODE_VERSION+x}" ]; then echo "$SPECTRA_INSTALL_NODE_VERSION"; return; fi
  command -v node >/dev/null 2>&1 && node --version || true
}
apt_nodejs_candidate() {
  if [ -n "${SPECTRA_INSTALL_APT_NODEJS+x}" ]; then echo "$SPECTRA_INSTALL_APT_NODEJS"; return; fi
  apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { print $2 }'
}
nodesource() {
  apt_update
  apt_install ca-certificates curl gnupg
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_22.x nodistro main" \
    > /etc/apt/sources.list.d/nodesource.list
  apt-get update -q
}
if [ "$system" = 1 ]; then
  node_now="$(installed_node)"
  if [ -n "$node_now" ] && node_version_ok "$node_now"; then
    ok "Node.js $node_now"
  else
    candidate="$(upstream_version "$(apt_nodejs_candidate)")"
    if [ -n "$candidate" ] && node_version_ok "$candidate"; then
      do_step "apt-get install nodejs (Debian's $candidate; installed: ${node_now:-none})" bash -c "$(declare -f apt_install); apt-get update -q && apt_install nodejs"
    else
      do_step "add NodeSource's repository for Node.js 22 (Debian offers nodejs ${candidate:-none}, below 20.19)" nodesource
      do_step "apt-get install nodejs from NodeSource (npm comes with it; Debian's npm package stays out)" apt_install nodejs
    fi
  fi
fi

# 3. Other packages: libgpiod's tools (GPIO on the character device), a time sync that can be waited
#    for, the screen (cage + Chromium) unless --no-screen.
if [ "$system" = 1 ]; then
  packages=(gpiod ca-certificates)
  if has_package chrony || has_package ntpsec || has_package openntpd; then ok "time sync: another daemon than systemd-timesyncd"
  else packages+=(systemd-timesyncd); fi
  [ "$screen" = 1 ] && packages+=(cage chromium)
  missing=()
  for pkg in "${packages[@]}"; do has_package "$pkg" || missing+=("$pkg"); done
  if [ ${#missing[@]} -eq 0 ]; then ok "packages ${packages[*]}"; else
    do_step "apt-get install ${missing[*]}" bash -c "$(declare -f apt_install); apt-get update -q && apt_install ${missing[*]}"
  fi
else skip "packages (installing into $root)"; fi

# 4. The user and its groups: dialout for the serial devices, gpio for the GPIO character device;
#    video, render and input for the screen under cage.
if [ "$system" = 1 ]; then
  planned_groups=""
  if getent group gpio >/dev/null; then ok "group gpio"; else
    do_step "create group gpio" groupadd --system gpio
    planned_groups="gpio"
  fi
  if id spectra-kiosk >/dev/null 2>&1; then ok "user spectra-kiosk"; else
    do_step "create user spectra-kiosk" useradd --system --home-dir /var/lib/spectra-kiosk --shell /usr/sbin/nologin spectra-kiosk
  fi
  groups=(dialout gpio)
  [ "$screen" = 1 ] && groups+=(video render input)
  for group in "${groups[@]}"; do
    if ! getent group "$group" >/dev/null && [ "$group" != "$planned_groups" ]; then say "note: no group $group on this system"; continue; fi
    if id -nG spectra-kiosk 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then ok "spectra-kiosk in $group"; else
      do_step "add spectra-kiosk to $group" usermod -aG "$group" spectra-kiosk
    fi
  done
else skip "users and groups (installing into $root)"; fi

# 5. The release key, then the release: checked against it before anything is unpacked.
target_key="$etc/release-key.pub"
if [ -n "$release_key" ]; then
  if [ -f "$target_key" ] && ! cmp -s "$release_key" "$target_key"; then
    echo "install-pi: $target_key holds another release key: remove it first if the fleet's key really changed" >&2
    exit 2
  fi
  install_file "$release_key" "$target_key" 0644
fi
verify_release() {
  local key="$1"
  node -e '
    const { readFileSync } = require("node:fs");
    const { createPublicKey, verify } = require("node:crypto");
    const [file, key] = process.argv.slice(1);
    const sums = readFileSync(file + ".sha256");
    const signature = Buffer.from(readFileSync(file + ".sha256.sig", "utf8").trim(), "base64");
    if (!verify(null, sums, createPublicKey(readFileSync(key)), signature)) {
      console.error("install-pi: [RELEASE_BAD_SIGNATURE] " + file + " is not signed by the release key");
      process.exit(1);
    }' "$release" "$key"
  (cd "$(dirname "$release")" && sha256sum --quiet -c "$release_name.sha256") \
    || { echo "install-pi: [RELEASE_CHECKSUM_MISMATCH] $release_name does not match its signed checksum" >&2; exit 1; }
}
unpack_release() {
  local incoming="$app/releases/.incoming-$version"
  rm -rf "$incoming"
  mkdir -p "$incoming"
  tar -xzf "$release" -C "$incoming" --no-same-owner
  mv "$incoming/${release_name%.tar.gz}" "$app/releases/$version"
  rm -rf "$incoming"
}
if [ -n "$release" ]; then
  key_for_check="$target_key"
  [ -f "$key_for_check" ] || key_for_check="$release_key"
  [ -n "$key_for_check" ] && [ -f "$key_for_check" ] || usage_error "no release key: --release-key FILE (the public half of the release key)"
  if [ -f "$app/releases/$version/package.json" ]; then ok "release $version in $app/releases"; else
    verify_release "$key_for_check"
    ok "release $version: signed by the release key, checksum matches"
    do_step "unpack release $version into $app/releases/$version" unpack_release
  fi
  current="$(basename "$(readlink "$app/current" 2>/dev/null || echo none)")"
  if [ "$current" = "$version" ]; then ok "$app/current → $version"
  elif [ "$current" = none ]; then do_step "link $app/current → releases/$version" ln -sfn "releases/$version" "$app/current"
  elif systemd_running; then
    do_step "update $current → $version (backup, health check, rollback)" node "$app/current/bin/spectra-kiosk.js" release apply "$release" --root "$app" --key "$key_for_check"
  else
    say "note: $current is current; switch with: spectra-kiosk release apply $release (--service process without systemd)"
  fi
elif [ -e "$app/current" ]; then ok "$app/current → $(basename "$(readlink "$app/current")")"
else say "note: no --release given and none installed: the kiosk has nothing to run"; fi

# 6. Configuration: the device's file, kept across reinstalls unless --replace-config.
target_config="$etc/kiosk.json"
if [ -z "$config" ]; then
  [ -f "$target_config" ] && ok "$target_config" || say "note: no --config given and none installed; the kiosk will not start until $target_config exists"
elif [ -f "$target_config" ] && [ "$replace_config" = 0 ]; then
  cmp -s "$config" "$target_config" && ok "$target_config" || say "kept: $target_config differs from $config (use --replace-config to replace it)"
else
  install_file "$config" "$target_config" 0640
fi
if [ "$system" = 1 ] && [ -f "$target_config" ] && [ "$(stat -c %G "$target_config")" != spectra-kiosk ] && id spectra-kiosk >/dev/null 2>&1; then
  do_step "let spectra-kiosk read $target_config (group)" chgrp spectra-kiosk "$target_config"
fi

# 7. systemd units (from the release when one is given, else from this checkout) and udev rules.
units_from="$source_dir/systemd"
[ -n "$release" ] && [ -d "$app/releases/$version/systemd" ] && units_from="$app/releases/$version/systemd"
units=(spectra-kiosk.service spectra-kiosk-update.service spectra-kiosk-update.path)
[ "$screen" = 1 ] && units+=(spectra-screen.service)
for unit in "${units[@]}"; do install_file "$units_from/$unit" "$root/etc/systemd/system/$unit" 0644; done
# systemd-time-wait-sync waits forever by default; a kiosk that boots offline must still start.
install_file "$units_from/time-wait-sync-timeout.conf" "$root/etc/systemd/system/systemd-time-wait-sync.service.d/spectra-kiosk.conf" 0644
rule=$(mktemp)
trap 'rm -f "$rule"' EXIT
sed -e "s/@READER_VID@/${reader_usb%%:*}/; s/@READER_PID@/${reader_usb##*:}/" \
    -e "s/@PRINTER_VID@/${printer_usb%%:*}/; s/@PRINTER_PID@/${printer_usb##*:}/" \
    "$units_from/udev/99-spectra-kiosk.rules" > "$rule"
install_file "$rule" "$root/etc/udev/rules.d/99-spectra-kiosk.rules" 0644

# 8. Reload and enable: the kiosk, its screen, the update path, and waiting for the clock.
if [ "$system" = 1 ]; then
  if [ "$changes" -gt 0 ] && systemd_running; then
    [ -S /run/udev/control ] && do_step "reload udev rules" udevadm control --reload-rules
    do_step "systemctl daemon-reload" systemctl daemon-reload
  elif [ "$changes" -gt 0 ]; then skip "daemon-reload (systemd is not running here)"; fi
  enable=(spectra-kiosk.service spectra-kiosk-update.path)
  [ "$screen" = 1 ] && enable+=(spectra-screen.service)
  [ -f /lib/systemd/system/systemd-time-wait-sync.service ] || [ -f /usr/lib/systemd/system/systemd-time-wait-sync.service ] || [ "$dry_run" = 1 ] \
    && enable+=(systemd-time-wait-sync.service)
  for unit in "${enable[@]}"; do
    systemctl is-enabled --quiet "$unit" 2>/dev/null && ok "$unit enabled" || do_step "enable $unit" systemctl enable --quiet "$unit"
  done
else skip "udev reload and systemctl (installing into $root)"; fi

if [ "$changes" = 0 ]; then say "nothing to do: Spectra Kiosk is installed"; elif [ "$dry_run" = 1 ]; then say "dry run: $changes change(s) would be made"; else say "installed: $changes change(s) made"; fi
