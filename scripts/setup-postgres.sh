#!/usr/bin/env bash
# Sets up central's PostgreSQL: a login role, a database it owns, and password (scram-sha-256)
# authentication for it from this host only. Idempotent: an existing role keeps its password unless
# --new-password; prints the database URL for central.json (central.database.url).
#
#   sudo scripts/setup-postgres.sh [--role spectra_central] [--database spectra] [--password-file FILE]
#
# --password-file FILE: the role's password is read from FILE (made with a random one, mode 0600,
# when FILE does not exist). --host 127.0.0.1: the address central connects from/to. --dry-run.
# Runs psql as the postgres user (peer authentication), as Debian's PostgreSQL is set up.
set -euo pipefail

role=spectra_central
database=spectra
password_file=/etc/spectra-kiosk/postgres-password
host=127.0.0.1
dry_run=0
new_password=0
while [ $# -gt 0 ]; do
  case "$1" in
    --role) role="${2:?}"; shift ;;
    --database) database="${2:?}"; shift ;;
    --password-file) password_file="${2:?}"; shift ;;
    --host) host="${2:?}"; shift ;;
    --new-password) new_password=1 ;;
    --dry-run) dry_run=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup-postgres: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$role" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "setup-postgres: --role is a lower-case SQL name" >&2; exit 2; }
[[ "$database" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "setup-postgres: --database is a lower-case SQL name" >&2; exit 2; }

say() { printf '%s\n' "$*"; }
do_step() { local what="$1"; shift; if [ "$dry_run" = 1 ]; then say "would: $what"; else say "do: $what"; "$@"; fi; }
psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAX "$@"; }
[ -n "${SPECTRA_PSQL_ADMIN:-}" ] && psql_admin() { $SPECTRA_PSQL_ADMIN -v ON_ERROR_STOP=1 -qtAX "$@"; }

# 1. The password, kept in a file only root (and central's group) can read.
if [ ! -s "$password_file" ]; then
  do_step "make a random password in $password_file" sh -c "umask 077 && mkdir -p '$(dirname "$password_file")' && head -c 24 /dev/urandom | base64 | tr -d '/+=' > '$password_file'"
  new_password=1
else say "ok: password in $password_file"; fi
password="$( [ -s "$password_file" ] && cat "$password_file" || echo "(made at install)")"
# psql quotes :'pw' itself (no SQL injection through the password), but only in what it reads from
# standard input, not in -c.
psql_with_password() { printf '%s;\n' "$1" | psql_admin -v pw="$password"; }

# 2. The role and the database.
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = 1 ]; then
  say "ok: role $role"
  [ "$new_password" = 1 ] && do_step "set $role's password" psql_with_password "ALTER ROLE $role PASSWORD :'pw'"
else
  do_step "create role $role (login, no superuser)" psql_with_password "CREATE ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" = 1 ]; then say "ok: database $database"; else
  do_step "create database $database owned by $role" psql_admin -c "CREATE DATABASE $database OWNER $role"
fi
do_step "only $role (and superusers) may connect to $database" psql_admin -c "REVOKE CONNECT ON DATABASE $database FROM PUBLIC; GRANT CONNECT ON DATABASE $database TO $role"

# Puts the rule above the file's first rule (pg_hba.conf is read top down: the first match decides),
# writing the file in place so its owner and mode stay.
insert_rule() {
  local file="$1" rule="$2" updated
  updated="$(awk -v rule="$rule" '!done && /^(local|host)/ { print "# Spectra central (scripts/setup-postgres.sh)"; print rule; done = 1 } { print }' "$file")"
  printf '%s\n' "$updated" > "$file"
}

# 3. Authentication: scram-sha-256 for this role and database from $host only, before other rules.
hba="$(psql_admin -c 'SHOW hba_file')"
rule="host    $database    $role    $host/32    scram-sha-256"
[[ "$host" == *:* ]] && rule="host    $database    $role    $host/128    scram-sha-256"
if grep -qF "$rule" "$hba" 2>/dev/null; then say "ok: $hba has: $rule"; else
  do_step "add to $hba: $rule" insert_rule "$hba" "$rule"
  do_step "reload PostgreSQL's configuration" psql_admin -c "SELECT pg_reload_conf()"
fi
say "central.database.url: postgres://$role:<the password in $password_file>@$host:5432/$database"
