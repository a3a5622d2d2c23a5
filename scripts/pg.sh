#!/usr/bin/env bash
# A private PostgreSQL cluster per purpose, under .data/:
#   scripts/pg.sh ensure run|test   initialize (once) and start the cluster; print its admin URL
#   scripts/pg.sh stop run|test
# `run` keeps its data durably; `test` trades durability for speed (fsync off) and is disposable.
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user in a
# directory it can reach (/var/lib/kehu/…), linked from .data/.
set -euo pipefail

cmd=${1:?usage: pg.sh ensure|stop run|test}
cluster=${2:?usage: pg.sh ensure|stop run|test}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${KEHU_DATA:-$root/.data}
# Memory as PostgreSQL's own tuning guidance has it: shared_buffers a quarter of RAM (capped at
# 4 GB), planner told that half of RAM caches files. The server's 128 MB default leaves a
# million-contact database reading from the OS cache on every page (see BENCHMARKS.md).
mem_mb=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null || echo 2048)
limit=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo max)  # a container's own limit
if [[ $limit =~ ^[0-9]+$ ]] && [ $((limit / 1048576)) -lt "$mem_mb" ]; then mem_mb=$((limit / 1048576)); fi
shared_mb=$(( mem_mb / 4 > 4096 ? 4096 : mem_mb / 4 ))
[ "$shared_mb" -ge 128 ] || shared_mb=128
memory="-c shared_buffers=${KEHU_PG_SHARED_BUFFERS:-${shared_mb}MB} -c effective_cache_size=$(( mem_mb / 2 ))MB"
case $cluster in
  run)  port=${KEHU_PG_PORT_RUN:-54329}; flags="$memory" ;;
  test) port=${KEHU_PG_PORT_TEST:-54339}; flags="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" ;;
  *) echo "pg.sh: unknown cluster '$cluster' (run or test)" >&2; exit 2 ;;
esac

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL is not installed (scripts/deps.sh installs it)" >&2; exit 1; }

mkdir -p "$data"
link="$data/pg-$cluster"
as_pg=()
base=$data
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
  base="/var/lib/kehu/$(printf '%s' "$root" | sha1sum | cut -c1-12)"
  mkdir -p "$base"
  chmod 755 /var/lib/kehu "$base"
  [ -L "$link" ] || ln -sfn "$base/pg-$cluster" "$link"
fi
dir="$base/pg-$cluster"

# The cluster's superuser password lives beside the clusters, so it always matches them.
pw_file="$base/pg-password"
if [ ! -s "$pw_file" ]; then
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$pw_file")
fi
password=$(cat "$pw_file")

pgctl() { "${as_pg[@]}" "$bin/pg_ctl" -D "$dir" "$@"; }

case $cmd in
  stop)
    [ -f "$dir/PG_VERSION" ] && pgctl status >/dev/null 2>&1 && pgctl -m fast -w stop >&2
    exit 0 ;;
  ensure) ;;
  *) echo "pg.sh: unknown command '$cmd'" >&2; exit 2 ;;
esac

if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  tmp_pw="$dir.pw"
  (umask 077; printf '%s\n' "$password" > "$tmp_pw")
  if [ ${#as_pg[@]} -gt 0 ]; then chown postgres "$dir" "$tmp_pw"; fi
  chmod 700 "$dir"
  "${as_pg[@]}" "$bin/initdb" -D "$dir" -U kehu --pwfile="$tmp_pw" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$data/pg-$cluster-initdb.log" 2>&1 \
    || { rm -f "$tmp_pw"; cat "$data/pg-$cluster-initdb.log" >&2; exit 1; }
  rm -f "$tmp_pw"
fi

if ! pgctl status >/dev/null 2>&1; then
  pgctl -w -t 30 -l "$dir/server.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $flags" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
fi

url="postgres://kehu:$password@127.0.0.1:$port"
if [ "$cluster" = run ]; then
  exists=$(PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U kehu -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'kehu'")
  [ "$exists" = 1 ] || PGPASSWORD=$password "$bin/psql" -q -h 127.0.0.1 -p "$port" -U kehu -d postgres \
    -c "CREATE DATABASE kehu" >&2
  echo "$url/kehu"
else
  echo "$url/postgres"
fi
