#!/usr/bin/env bash
# Installs Spectra Kiosk on a Raspberry Pi (Raspberry Pi OS / Debian 12): the app under
# /opt/spectra-kiosk, its systemd units, a udev rule for stable reader and printer names, and the
# spectra-kiosk user in the dialout and gpio groups. Idempotent: every step checks first and says
# "ok" when there is nothing to do. --dry-run prints what it would do and changes nothing.
#
#   sudo scripts/install-pi.sh --config kiosk.json            # from a built checkout (npm run build)
#   scripts/install-pi.sh --dry-run --config kiosk.json
#
# Options: --config FILE (the device's configuration, from scripts/provision-device; kept if one is
# already installed unless --replace-config), --reader-usb VID:PID, --printer-usb VID:PID,
# --root DIR (install into a staging tree instead of /: users, packages and systemctl are skipped),
# --no-npm (do not install node modules: for a staging tree that gets them elsewhere).
set -euo pipefail

dry_run=0
root=""
config=""
replace_config=0
npm_install=1
reader_usb="0403:6001"
printer_usb="04b8:0202"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --root) root="${2:?--root needs a directory}"; shift ;;
    --config) config="${2:?--config needs a file}"; shift ;;
    --replace-config) replace_config=1 ;;
    --no-npm) npm_install=0 ;;
    --reader-usb) reader_usb="${2:?--reader-usb needs VID:PID}"; shift ;;
    --printer-usb) printer_usb="${2:?--printer-usb needs VID:PID}"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install-pi: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for usb in "$reader_usb" "$printer_usb"; do
  [[ "$usb" =~ ^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$ ]] || { echo "install-pi: $usb is not VID:PID (4 hex digits each)" >&2; exit 2; }
done
[ -n "$config" ] && [ ! -f "$config" ] && { echo "install-pi: no such config file: $config" >&2; exit 2; }
[ -d "$source_dir/dist" ] || { echo "install-pi: $source_dir/dist is missing: run 'npm ci && npm run build' first" >&2; exit 2; }
system=1
[ -n "$root" ] && system=0
if [ "$dry_run" = 0 ] && [ "$system" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "install-pi: run as root (sudo), or use --dry-run" >&2
  exit 2
fi

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

# Installs one file if it is missing or different.
install_file() {
  local from="$1" to="$2" mode="$3"
  if [ -f "$to" ] && cmp -s "$from" "$to"; then ok "$to"; return; fi
  do_step "install $to" install -D -m "$mode" "$from" "$to"
}

# 1. Packages: Node.js 20+, the screen (cage + chromium), and a compiler for the native addons.
packages=(nodejs npm cage chromium build-essential python3 rsync)
if [ "$system" = 1 ]; then
  missing=()
  for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -eq 0 ]; then ok "packages ${packages[*]}"; else
    do_step "apt-get install ${missing[*]}" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
  fi
else skip "packages (installing into $root)"; fi

# 2. The user and its groups: dialout for the serial devices, gpio for the pins.
if [ "$system" = 1 ]; then
  getent group gpio >/dev/null && ok "group gpio" || do_step "create group gpio" groupadd --system gpio
  if id spectra-kiosk >/dev/null 2>&1; then ok "user spectra-kiosk"; else
    do_step "create user spectra-kiosk" useradd --system --home-dir /var/lib/spectra-kiosk --shell /usr/sbin/nologin spectra-kiosk
  fi
  for group in dialout gpio; do
    if id -nG spectra-kiosk 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then ok "spectra-kiosk in $group"; else
      do_step "add spectra-kiosk to $group" usermod -aG "$group" spectra-kiosk
    fi
  done
else skip "users and groups (installing into $root)"; fi

# 3. The app: the built checkout, without development files, and its production dependencies.
rsync_app=(rsync -a --delete --mkpath --exclude .git --exclude node_modules --exclude data --exclude test
  --exclude '.bench-*' "$source_dir/" "$app/")
if [ -d "$app" ] && [ -z "$("${rsync_app[@]}" --dry-run --itemize-changes)" ]; then
  ok "$app is up to date"
else
  do_step "copy the app to $app" "${rsync_app[@]}"
  if [ "$npm_install" = 1 ]; then
    do_step "npm ci --omit=dev in $app" npm ci --omit=dev --no-audit --no-fund --prefix "$app"
  else skip "npm ci (--no-npm)"; fi
fi

# 4. Configuration: the device's file, kept across reinstalls unless --replace-config.
target_config="$root/etc/spectra-kiosk/kiosk.json"
if [ -z "$config" ]; then
  [ -f "$target_config" ] && ok "$target_config" || say "note: no --config given and none installed; the kiosk will not start until $target_config exists"
elif [ -f "$target_config" ] && [ "$replace_config" = 0 ]; then
  cmp -s "$config" "$target_config" && ok "$target_config" || say "kept: $target_config differs from $config (use --replace-config to replace it)"
else
  install_file "$config" "$target_config" 0640
fi

# 5. systemd units and the udev rule.
for unit in "$source_dir"/systemd/*.service; do install_file "$unit" "$root/etc/systemd/system/$(basename "$unit")" 0644; done
rule=$(mktemp)
trap 'rm -f "$rule"' EXIT
sed -e "s/@READER_VID@/${reader_usb%%:*}/; s/@READER_PID@/${reader_usb##*:}/" \
    -e "s/@PRINTER_VID@/${printer_usb%%:*}/; s/@PRINTER_PID@/${printer_usb##*:}/" \
    "$source_dir/systemd/udev/99-spectra-kiosk.rules" > "$rule"
install_file "$rule" "$root/etc/udev/rules.d/99-spectra-kiosk.rules" 0644

# 6. Reload and enable.
if [ "$system" = 1 ]; then
  if [ "$changes" -gt 0 ]; then
    do_step "reload udev rules" udevadm control --reload-rules
    do_step "systemctl daemon-reload" systemctl daemon-reload
  fi
  for unit in spectra-kiosk.service; do
    systemctl is-enabled --quiet "$unit" 2>/dev/null && ok "$unit enabled" || do_step "enable $unit" systemctl enable "$unit"
  done
else skip "udev reload and systemctl (installing into $root)"; fi

if [ "$changes" = 0 ]; then say "nothing to do: Spectra Kiosk is installed"; elif [ "$dry_run" = 1 ]; then say "dry run: $changes change(s) would be made"; else say "installed: $changes change(s) made"; fi
