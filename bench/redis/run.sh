#!/usr/bin/env bash
# Redis benchmarks for docs/benchmarks.md ("Redis rate limiter and two nodes"). Not a test.
#  1. Token-bucket checks/s through the library's IRateLimiter (RemateLive.Redis, StackExchange.Redis)
#     vs redis-benchmark running the same script (EVALSHA) against the same Redis, in the same run.
#  2. bid→broadcast latency seen by a client on node A (where the bid lands) vs on node B (via Redis).
# Usage: bench/redis/run.sh [SECONDS=10] [CONCURRENCY=50] [BIDS=300]
# Starts its own PostgreSQL and Redis through scripts/test-env.sh (ports REMATE_PG_PORT/REMATE_REDIS_PORT).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10} concurrency=${2:-50} bids=${3:-300}

if [ -z "${REMATE_BENCH_INSIDE:-}" ]; then
  art=${REMATE_BENCH_ARTIFACTS:-/tmp/remate-redis-bench-art}
  echo "bench/redis: building (Release) into $art" >&2
  dotnet build "$root/bench/redis/RedisBench" -c Release --artifacts-path "$art" -nologo -v q >&2
  dotnet build "$root/samples/RemateLive.Sample" -c Release --artifacts-path "$art" -p:SkipClientBuild=true -nologo -v q >&2
  export REMATE_BENCH_INSIDE=1 REMATE_BENCH_ART=$art
  exec "$root/scripts/test-env.sh" -- "$0" "$seconds" "$concurrency" "$bids"
fi

bench() { dotnet "$REMATE_BENCH_ART/bin/RedisBench/release/RedisBench.dll" "$@"; }
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), redis $(redis-server --version | grep -o 'v=[0-9.]*'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Rate limiter.
sha=$(bench sha "$REMATE_TEST_REDIS")
lib=$(bench ratelimit "$REMATE_TEST_REDIS" "$seconds" "$concurrency" | awk '/library_checks_per_second/ {print $2}')
requests=$(( lib * seconds > 100000 ? lib * seconds : 100000 ))
rb=$(redis-benchmark -h 127.0.0.1 -p "$REMATE_TEST_REDIS_PORT" -c "$concurrency" -n "$requests" -r 10000 --csv \
  EVALSHA "$sha" 1 bench:rb:__rand_int__ 1000000 1000000 | tail -1 | cut -d, -f2 | tr -d '"')
echo "ratelimit: library ${lib}/s vs redis-benchmark EVALSHA ${rb%.*}/s (-c $concurrency, ${seconds}s): ratio $(awk -v a="$lib" -v b="$rb" 'BEGIN {printf "%.2f", a/b}')"
# The library multiplexes its $concurrency in-flight checks over one connection (pipelined); the closest
# redis-benchmark shape is one connection with that many in flight.
rbp=$(redis-benchmark -h 127.0.0.1 -p "$REMATE_TEST_REDIS_PORT" -c 1 -P "$concurrency" -n "$requests" -r 10000 --csv \
  EVALSHA "$sha" 1 bench:rb:__rand_int__ 1000000 1000000 | tail -1 | cut -d, -f2 | tr -d '"')
echo "ratelimit: redis-benchmark EVALSHA -c 1 -P $concurrency ${rbp%.*}/s: library ratio $(awk -v a="$lib" -v b="$rbp" 'BEGIN {printf "%.2f", a/b}')"
# Proof the library's checks ran in Redis as EVALSHA (not EVAL, not the in-memory fallback).
echo "ratelimit: server commandstats: $(redis-cli -p "$REMATE_TEST_REDIS_PORT" info commandstats | grep -E '^cmdstat_eval' | cut -d, -f1 | tr '\r\n' '  ')"

# 2. Two nodes.
logdir=$(mktemp -d /tmp/remate-redis-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for port in 5611 5612; do
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  RemateLive__Postgres__ConnectionString="$REMATE_TEST_POSTGRES" RemateLive__Redis__Configuration="$REMATE_TEST_REDIS" \
  RemateLive__Admin__Password=bench-admin RemateLive__SeedDemoData=false \
  RemateLive__RateLimits__BidBurst=1000000 RemateLive__RateLimits__BidsPerSecond=1000000 \
    dotnet "$REMATE_BENCH_ART/bin/RemateLive.Sample/release/RemateLive.Sample.dll" --urls "http://127.0.0.1:$port" >"$logdir/$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
done
bench latency http://127.0.0.1:5611 http://127.0.0.1:5612 bench-admin "$bids" | sed 's/^/latency: /'
