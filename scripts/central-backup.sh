#!/usr/bin/env bash
# Backs up central: its PostgreSQL database (pg_dump, custom format, restorable with pg_restore) and
# the command key every kiosk trusts (without it no kiosk takes a command from a rebuilt central).
# Run by spectra-central-backup.timer (daily); keeps --keep-days (default 14) days of backups.
#
#   scripts/central-backup.sh [--config /etc/spectra-kiosk/central.json] [--to /var/backups/spectra-central]
set -euo pipefail

config=/etc/spectra-kiosk/central.json
to=/var/backups/spectra-central
keep_days=14
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="${2:?}"; shift ;;
    --to) to="${2:?}"; shift ;;
    --keep-days) keep_days="${2:?}"; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "central-backup: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$keep_days" =~ ^[0-9]+$ ]] || { echo "central-backup: --keep-days is a number" >&2; exit 2; }
read_config() { node -e 'const c = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).central; console.log(process.argv[2] === "url" ? c.database.url : (c.dashboard.commandKeyFile ?? ""))' "$config" "$1"; }
url="$(read_config url)"
key="$(read_config key)"
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
umask 077
mkdir -p "$to"
pg_dump --format=custom --no-owner --file="$to/central-$stamp.dump" "$url"
pg_restore --list "$to/central-$stamp.dump" >/dev/null   # a dump that cannot be read is no backup
echo "central-backup: database → $to/central-$stamp.dump"
if [ -n "$key" ] && [ -f "$key" ]; then
  cp "$key" "$to/command-key-$stamp.pem"
  [ -f "$key.pub" ] && cp "$key.pub" "$to/command-key-$stamp.pem.pub"
  echo "central-backup: command key → $to/command-key-$stamp.pem"
fi
find "$to" -maxdepth 1 -type f \( -name 'central-*.dump' -o -name 'command-key-*' \) -mtime +"$keep_days" -print -delete
