#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL and Redis on 127.0.0.1, stopped again (by PID) on exit,
# even when the command fails. Exports for the command:
#   REMATE_TEST_POSTGRES  Npgsql connection string (superuser, database "postgres")
#   REMATE_TEST_REDIS     StackExchange.Redis configuration string
# Usage: scripts/test-env.sh [--no-redis] [--no-postgres] -- command args...
# Ports: REMATE_PG_PORT (default 25432), REMATE_REDIS_PORT (default 26379) — below the ephemeral range, so an
# outgoing connection cannot already hold them.
# Durability: tests run PostgreSQL with fsync off (throwaway data); REMATE_PG_DURABLE=1 turns fsync,
# synchronous_commit and full_page_writes on, as benchmarks require.
set -euo pipefail

want_pg=1 want_redis=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-postgres) want_pg=0; shift ;;
    --no-redis) want_redis=0; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--no-redis] [--no-postgres] -- command..." >&2; exit 2; }

pg_port=${REMATE_PG_PORT:-25432}
redis_port=${REMATE_REDIS_PORT:-26379}
dir=$(mktemp -d /tmp/remate-test-env.XXXXXX)
chmod 755 "$dir"

stop() {
  if [ -f "$dir/pg/postmaster.pid" ]; then
    pid=$(head -1 "$dir/pg/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}
trap stop EXIT

if [ "$want_pg" = 1 ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "test-env: PostgreSQL server binaries not found; installing postgresql" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  mkdir -p "$dir/pg"; chown -R postgres:postgres "$dir"
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  run_pg "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; echo "test-env: initdb failed" >&2; exit 1; }
  if [ "${REMATE_PG_DURABLE:-0}" = 1 ]; then
    durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  else
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  run_pg "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir $durability -c max_connections=1000 -c shared_buffers=256MB" start >/dev/null \
    || { cat "$dir/pg.log" >&2; echo "test-env: PostgreSQL did not start on 127.0.0.1:$pg_port" >&2; exit 1; }
  export REMATE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"
  export REMATE_TEST_PGBIN="$pgbin" REMATE_TEST_PGDATA="$dir/pg"
  echo "test-env: PostgreSQL on 127.0.0.1:$pg_port ($pgbin; ${durability%% -c synchronous*})"
fi

if [ "$want_redis" = 1 ]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "test-env: redis-server not found; installing redis-server" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null || { cat "$dir/redis.log" >&2; echo "test-env: Redis did not start on 127.0.0.1:$redis_port" >&2; exit 1; }
  export REMATE_TEST_REDIS="127.0.0.1:$redis_port,allowAdmin=true"
  export REMATE_TEST_REDIS_PORT="$redis_port" REMATE_TEST_REDIS_PIDFILE="$dir/redis.pid"
  echo "test-env: Redis on 127.0.0.1:$redis_port"
fi

set +e
"$@"
rc=$?
set -e
exit $rc
