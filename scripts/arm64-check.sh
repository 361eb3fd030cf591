#!/usr/bin/env bash
# The proof on arm64: a Debian Trixie arm64 root (debootstrap, cached) run under qemu user-mode
# emulation (binfmt_misc + qemu-aarch64-static, from Debian's packages), where a kiosk release built
# for arm64 (its native addons cross-compiled) is installed for real with install-pi.sh, its units
# are checked with systemd-analyze verify, the installed kiosk starts with its installed
# configuration, takes a cash payment through the screen's WebSocket and passes `db check`; then a
# second release that never reports healthy is applied and rolled back, the database restored.
#
#   sudo scripts/arm64-check.sh            # needs root (debootstrap, chroot, mounts); ~10 min the first
#                                          # time (the root), a few minutes after that
#
# The base root is cached in $SPECTRA_ARM64_CACHE (default /var/cache/spectra-kiosk-arm64): Debian
# Trixie minbase with systemd and the screen's packages (cage, Chromium) already installed; the check
# runs on an overlay of it, so every run starts from the same root and leaves it untouched. Prints
# one JSON line with the figures at the end (scripts/arm64/check.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${SPECTRA_ARM64_CACHE:-/var/cache/spectra-kiosk-arm64}"
base="$cache/trixie-arm64-base"
# Bump when the base's package set changes, so a stale cache is rebuilt.
base_stamp="spectra-arm64-base v1: minbase systemd systemd-sysv udev dbus dbus-user-session ca-certificates cage chromium"
mirror="${SPECTRA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
limit="${SPECTRA_ARM64_TIMEOUT:-2400}"

say() { printf 'arm64-check: %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "arm64-check: run as root (debootstrap, chroot and mounts need it)" >&2; exit 2; }

# 1. The host's tools: qemu-user-static, binfmt-support, debootstrap, and the arm64 cross compiler.
missing=()
for pkg in qemu-user-static binfmt-support debootstrap g++-aarch64-linux-gnu; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
# The F flag: the kernel opens the interpreter when registering, so it works inside the chroot.
if ! grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
  || { echo "arm64-check: qemu-aarch64 is not registered with binfmt_misc's F flag" >&2; exit 1; }

# 2. The base root, built once.
if [ "$(cat "$base/.spectra-base" 2>/dev/null)" != "$base_stamp" ]; then
  say "building the Debian Trixie arm64 base root in $base (once; cached)"
  rm -rf "$base.tmp"
  mkdir -p "$cache"
  debootstrap --arch=arm64 --variant=minbase --include=systemd,systemd-sysv,udev,dbus,ca-certificates \
    trixie "$base.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  cp /etc/resolv.conf "$base.tmp/etc/resolv.conf"
  mount -t proc proc "$base.tmp/proc"
  trap 'umount "$base.tmp/proc" 2>/dev/null || true' EXIT
  chroot "$base.tmp" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dbus-user-session cage chromium' \
    > "$cache/base-packages.log" 2>&1 || { tail -20 "$cache/base-packages.log" >&2; exit 1; }
  umount "$base.tmp/proc"
  trap - EXIT
  chroot "$base.tmp" apt-get clean
  echo "$base_stamp" > "$base.tmp/.spectra-base"
  rm -rf "$base"
  mv "$base.tmp" "$base"
fi

# 3. An overlay of the base for this run, with /proc, /sys and /dev, removed whatever happens.
run="$(mktemp -d /tmp/spectra-arm64-XXXXXX)"
mkdir -p "$run/upper" "$run/work" "$run/root"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$run/root"
cleanup() {
  set +e
  [ -f "$run/root/var/lib/spectra-kiosk/updates/kiosk.pid" ] && kill "$(cat "$run/root/var/lib/spectra-kiosk/updates/kiosk.pid")" 2>/dev/null
  sleep 1
  for mount in dev/pts dev sys proc; do umount -l "$run/root/$mount" 2>/dev/null; done
  umount -l "$run/root" 2>/dev/null
  rm -rf "$run"
}
trap cleanup EXIT
mount -t proc proc "$run/root/proc"
mount --rbind /sys "$run/root/sys"
mount --bind /dev "$run/root/dev"
mount --bind /dev/pts "$run/root/dev/pts"
cp /etc/resolv.conf "$run/root/etc/resolv.conf"

# 4. The rest runs from Node on the host (the releases, the install, the payment, the rollback), from
#    this checkout built (the releases are made of dist/).
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
say "root ready at $run/root; running the check (at most ${limit}s)"
timeout --kill-after=30 "$limit" npx tsx scripts/arm64/check.ts "$run/root"
