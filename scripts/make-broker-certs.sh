#!/usr/bin/env bash
# Makes the broker's TLS files: a certificate authority for the fleet (kept: made once) and the
# broker's server certificate for its host name(s), signed by it. Kiosks trust ca.crt
# (provision-device --ca-file); config/mosquitto/tls-listener.conf reads the files from
# /etc/mosquitto/certs. ECDSA P-256 keys, SHA-256; the CA for 10 years, the server for 2.
# Idempotent: an existing CA is kept; a server certificate is made again only for other names, when
# it expires within 30 days, or with --renew.
#
#   sudo scripts/make-broker-certs.sh --host broker.lakeside.example [--host 10.0.0.5] [--dir /etc/mosquitto/certs]
set -euo pipefail

dir=/etc/mosquitto/certs
hosts=()
renew=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?}"; shift ;;
    --host) hosts+=("${2:?}"); shift ;;
    --renew) renew=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "make-broker-certs: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#hosts[@]} -gt 0 ] || { echo "make-broker-certs: --host NAME (the name kiosks connect to) is required" >&2; exit 2; }
for host in "${hosts[@]}"; do
  [[ "$host" =~ ^[A-Za-z0-9.:-]+$ ]] || { echo "make-broker-certs: $host is not a host name or address" >&2; exit 2; }
done
say() { printf '%s\n' "$*"; }
mkdir -p "$dir"
umask 077

san=""
for host in "${hosts[@]}"; do
  if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then san+="IP:$host,"; else san+="DNS:$host,"; fi
done
san="${san%,}"

if [ -s "$dir/ca.key" ] && [ -s "$dir/ca.crt" ]; then say "ok: CA $dir/ca.crt (kept)"; else
  say "do: make the fleet's CA ($dir/ca.crt)"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=Spectra Kiosk fleet CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.crt"
fi

current_san=""
[ -s "$dir/broker.crt" ] && current_san="$(openssl x509 -in "$dir/broker.crt" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ' | sed 's/IPAddress:/IP:/g')"
if [ "$renew" = 0 ] && [ -s "$dir/broker.key" ] && [ "$current_san" = "$san" ] \
  && openssl x509 -in "$dir/broker.crt" -noout -checkend $((30 * 86400)) >/dev/null \
  && openssl verify -CAfile "$dir/ca.crt" "$dir/broker.crt" >/dev/null 2>&1; then
  say "ok: broker certificate $dir/broker.crt for $san"
else
  say "do: make the broker's certificate for $san"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/broker.key"
  openssl req -new -key "$dir/broker.key" -subj "/CN=${hosts[0]}" -out "$dir/broker.csr"
  extensions="$(mktemp)"
  trap 'rm -f "$extensions"' EXIT
  printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$san" > "$extensions"
  openssl x509 -req -in "$dir/broker.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -sha256 -days 730 \
    -extfile "$extensions" -out "$dir/broker.crt" 2>/dev/null
  rm -f "$dir/broker.csr"
fi
chmod 0644 "$dir/ca.crt" "$dir/broker.crt"
# Mosquitto reads its key as the mosquitto user; the CA's key stays root's alone.
if getent group mosquitto >/dev/null; then chgrp mosquitto "$dir/broker.key" && chmod 0640 "$dir/broker.key"; fi
say "kiosks trust $dir/ca.crt (provision-device --ca-file); the broker uses $dir/broker.crt and broker.key"
