#!/usr/bin/env bash
# A private PostgreSQL for Prefect's server, from Debian's postgresql package.
#
#   scripts/postgres.sh start DIR [PORT]   set up (first time) and start; prints the URL
#   scripts/postgres.sh stop DIR           stop it (the data stays in DIR)
#
# The cluster lives in DIR, listens on 127.0.0.1:PORT only (default 5433), trusts local
# connections and holds one database, `prefect`. The URL printed on the last line is what
# PREFECT_API_DATABASE_CONNECTION_URL takes. Installs the package when it is missing.
# `start` on a cluster that is already running only prints the URL.
#
# PostgreSQL refuses to run as root. Run as root (a container, CI), the cluster belongs to
# the package's `postgres` user: DIR is handed to it, and every folder above DIR must let
# it through (a checkout under /root does not; use a DIR such as /tmp/... or /srv/...).
set -euo pipefail
usage="usage: postgres.sh start|stop DIR [PORT]"
cmd=${1:?$usage}
dir=${2:?$usage}
port=${3:-5433}
user=attsats

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

root=false
[ "$(id -u)" -eq 0 ] && root=true
sudo=""
$root || sudo="sudo"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] && [ "$cmd" = start ]; then
  echo "Installing Debian's postgresql" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$bin" ] || die "PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin)"

as_owner() {
  if $root; then runuser -u postgres -- "$@"; else "$@"; fi
}

[ "$cmd" = stop ] && [ ! -d "$dir" ] && exit 0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"

running() {
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case "$cmd" in
  start)
    if $root; then
      id postgres >/dev/null 2>&1 || die "the postgres user is missing (Debian's postgresql creates it)"
      chown postgres: "$dir"
      as_owner test -w "$dir" ||
        die "the postgres user cannot write $dir: a folder above it is closed to other users"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    fi
    if ! running; then
      as_owner "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null ||
        die "PostgreSQL did not start: $(tail -n 5 "$dir/postgres.log" 2>/dev/null)"
    fi
    if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'prefect'" | grep -q 1; then
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" prefect
    fi
    echo "postgresql+asyncpg://$user@127.0.0.1:$port/prefect"
    ;;
  stop)
    if running; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
